-- Hostile rule: one allocation of several out of range.
-- expect: error: distribute: amount for 440300, 9.3e+16 yuan is out of range
return {
  id = "hostile.distribute_huge_one_of_many",
  title = "hostile: distribute_huge_one_of_many",
  basis = "tests/hostile",
  kind = "allocation",
  level = "province",
  evaluate = function(r)
    return distribute({ ["440100"] = 1, ["440300"] = 9.3e16 })
  end,
}
