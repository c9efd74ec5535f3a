-- Hostile rule: a province rule allocates to the province itself.
-- expect: error: distribute: region 440000 is not below 440000, the region evaluated
return {
  id = "hostile.distribute_to_itself",
  title = "hostile: distribute_to_itself",
  basis = "tests/hostile",
  kind = "allocation",
  level = "province",
  evaluate = function(r)
    return distribute({["440000"] = 5})
  end,
}
