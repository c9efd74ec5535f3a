-- Hostile rule: a traversal prepared at load over a file-level table; once
-- the table is frozen its contents moved, and a sum over it would silently
-- be 0. Using the iterator during evaluation raises instead.
-- expect: error: a pairs iterator made while the file loads cannot be used during evaluation
local POP = { ["440100"] = 100, ["440300"] = 200 }
local iter, state = pairs(POP)
return {
  id = "hostile.pairs_iterator_load_sum",
  title = "hostile: pairs iterator made at load, summed",
  basis = "tests/hostile",
  kind = "cut",
  level = "province",
  evaluate = function(r)
    local total = 0
    for _, v in iter, state do total = total + v end
    return cut(total, "total " .. total)
  end,
}
