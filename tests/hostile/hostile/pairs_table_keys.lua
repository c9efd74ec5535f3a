-- Hostile rule: tables as keys, visited in address order; pairs refuses.
-- expect: error: pairs: keys that are tables, functions or userdata have no fixed order
return {
  id = "hostile.pairs_table_keys",
  title = "hostile: pairs over table keys",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local t = {}
    for i = 1, 20 do t[{ i }] = i end
    local s = ""
    for k, v in pairs(t) do s = s .. v .. "," end
    return pass(s)
  end,
}
