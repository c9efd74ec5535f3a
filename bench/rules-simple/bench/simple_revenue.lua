-- Simple benchmark rule: revenue >= 5 billion.
return {
  id = "bench.simple_revenue",
  title = "bench simple: revenue >= 5 billion",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_least(r:fact("fin.revenue"), 5e9, { unit = "元" })
  end,
}
