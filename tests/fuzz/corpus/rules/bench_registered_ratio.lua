-- Benchmark: registered over resident population.
return {
  id = "bench.registered_ratio",
  title = "bench: registered / resident <= 1.2",
  basis = "bench",
  kind = "indicator",
  level = "county",
  evaluate = function(r)
    return indicator(r:fact("pop.registered") / r:fact("pop.resident"), 1.2, "<=")
  end,
}
