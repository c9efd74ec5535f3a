-- Simple benchmark rule: always passes (the fixed cost of one evaluation).
return {
  id = "bench.simple_pass",
  title = "bench simple: always passes (the fixed cost of one evaluation)",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return pass()
  end,
}
