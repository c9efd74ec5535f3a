-- Hostile rule: an allocation of nan.
-- expect: error: distribute: amount for 440100 must be finite
return {
  id = "hostile.distribute_nan",
  title = "hostile: distribute_nan",
  basis = "tests/hostile",
  kind = "allocation",
  level = "province",
  evaluate = function(r)
    return distribute({ ["440100"] = 0/0 })
  end,
}
