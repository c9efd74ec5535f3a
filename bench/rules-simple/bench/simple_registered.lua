-- Simple benchmark rule: registered population <= 1,500,000.
return {
  id = "bench.simple_registered",
  title = "bench simple: registered population <= 1,500,000",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_most(r:fact("pop.registered"), 1500000, { unit = "人" })
  end,
}
