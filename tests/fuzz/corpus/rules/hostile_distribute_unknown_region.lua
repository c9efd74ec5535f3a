-- Hostile rule: distribute unknown region.
-- expect: error: distribute: unknown region code '999999'
return {
  id = "hostile.distribute_unknown_region",
  title = "hostile: distribute_unknown_region",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return distribute({["999999"] = 1})
  end,
}
