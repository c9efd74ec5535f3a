-- Benchmark: basic service spending per resident against 80% of the city's.
return {
  id = "bench.spend_per_capita",
  title = "bench: spending per resident >= 80% of the city's",
  basis = "bench",
  kind = "compliance",
  level = "county",
  params = { ratio = 0.8 },
  evaluate = function(r)
    local per = r:fact("fin.basic_service.spend") / r:fact("pop.resident")
    return at_least(per, params.ratio * 6000, { unit = "元/人" })
  end,
}
