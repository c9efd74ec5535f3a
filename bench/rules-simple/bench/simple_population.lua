-- Simple benchmark rule: resident population >= 100,000.
return {
  id = "bench.simple_population",
  title = "bench simple: resident population >= 100,000",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_least(r:fact("pop.resident"), 100000, { unit = "人" })
  end,
}
