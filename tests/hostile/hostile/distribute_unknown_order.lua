-- Hostile rule: several unknown region codes in distribute; the error names
-- the smallest, not the first in hash order (which changes between runs).
-- expect: error: distribute: unknown region code '999991'
return {
  id = "hostile.distribute_unknown_order",
  title = "hostile: distribute unknown code order",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local t = {}
    for i = 8, 1, -1 do t["99999" .. i] = 1 end
    return distribute(t)
  end,
}
