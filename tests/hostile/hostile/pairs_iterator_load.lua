-- Hostile rule: a pairs iterator made while the file loads keeps its
-- position in C from one evaluation to the next (the findings would depend
-- on --jobs); using it during evaluation raises.
-- level: city
-- expect: error: a pairs iterator made while the file loads cannot be used during evaluation
local it = pairs({ a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7 })
return {
  id = "hostile.pairs_iterator_load",
  title = "hostile: pairs iterator made at load",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    local k = it()
    return pass(tostring(k))
  end,
}
