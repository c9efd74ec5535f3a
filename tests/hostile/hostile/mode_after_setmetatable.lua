-- Hostile rule: __mode assigned to a metatable after setmetatable: a weak
-- table would lose entries whenever the collector runs, so findings would
-- depend on timing. The table stays strong.
-- expect: pass: entries=50
return {
  id = "hostile.mode_after_setmetatable",
  title = "hostile: mode_after_setmetatable",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local mt = {}
    local cache = setmetatable({}, mt)
    mt.__mode = "k"
    for i = 1, 50 do cache[{}] = i end
    local s = ""
    for i = 1, 5000 do s = s .. "x" .. i; if #s > 1000 then s = "" end end
    local n = 0
    -- next, not pairs: pairs refuses table keys (no fixed order); a count
    -- does not depend on the order
    for _ in next, cache do n = n + 1 end
    return pass("entries=" .. n)
  end,
}
