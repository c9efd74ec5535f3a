-- Hostile rule: functions as keys of a file-level table (frozen: the
-- frozen table's pairs), visited in address order; pairs refuses.
-- expect: error: pairs: keys that are tables, functions or userdata have no fixed order
local t = {}
for i = 1, 20 do t[function() return i end] = i end
return {
  id = "hostile.pairs_function_keys",
  title = "hostile: pairs over function keys",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local s = ""
    for k, v in pairs(t) do s = s .. v .. "," end
    return pass(s)
  end,
}
