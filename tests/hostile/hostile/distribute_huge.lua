-- Hostile rule: an allocation whose fen do not fit in 64 bits.
-- expect: error: distribute: amount for 440100, 1e+300 yuan is out of range
return {
  id = "hostile.distribute_huge",
  title = "hostile: distribute_huge",
  basis = "tests/hostile",
  kind = "allocation",
  level = "province",
  evaluate = function(r)
    return distribute({ ["440100"] = 1e300 })
  end,
}
