-- Hostile rule: __close assigned to a metatable after setmetatable, then
-- the object used as a to-be-closed variable.
-- expect: error: non-closable value
return {
  id = "hostile.close_after_setmetatable",
  title = "hostile: close_after_setmetatable",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local mt = {}
    local o = setmetatable({}, mt)
    mt.__close = function() while true do end end
    do local x <close> = o end
    return pass()
  end,
}
