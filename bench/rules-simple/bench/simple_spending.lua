-- Simple benchmark rule: basic service spending >= 2 billion.
return {
  id = "bench.simple_spending",
  title = "bench simple: basic service spending >= 2 billion",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_least(r:fact("fin.basic_service.spend"), 2e9, { unit = "元" })
  end,
}
