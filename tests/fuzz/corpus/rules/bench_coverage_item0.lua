-- Benchmark: beneficiaries of item 0 over the resident population.
return {
  id = "bench.coverage_item0",
  title = "bench item 0: coverage of the resident population",
  basis = "bench",
  item = "bench.item0",
  kind = "compliance",
  level = "county",
  params = { min_coverage = 0.08 },
  evaluate = function(r)
    local cov = r:fact("bench.item0.beneficiaries") / r:fact("pop.resident")
    return at_least(cov, params.min_coverage, { unit = "比例" })
  end,
}
