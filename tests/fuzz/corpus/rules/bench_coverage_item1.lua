-- Benchmark: beneficiaries of item 1 over the resident population.
return {
  id = "bench.coverage_item1",
  title = "bench item 1: coverage of the resident population",
  basis = "bench",
  item = "bench.item1",
  kind = "compliance",
  level = "county",
  params = { min_coverage = 0.08 },
  evaluate = function(r)
    local cov = r:fact("bench.item1.beneficiaries") / r:fact("pop.resident")
    return at_least(cov, params.min_coverage, { unit = "比例" })
  end,
}
