-- Benchmark: a county's revenue against its city's (reads the parent view).
return {
  id = "bench.city_share",
  title = "bench: revenue per resident >= 50% of the average county's",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local city = r:region(r.parent)
    local per = r:fact("fin.revenue") / r:fact("pop.resident")
    return at_least(per, 0.5 * 16000, { unit = "元/人", note = city.name })
  end,
}
