-- Benchmark: funding per beneficiary of item 0 against the binding standard.
return {
  id = "bench.compliance_item0",
  title = "bench item 0: funding per beneficiary >= standard",
  basis = "bench",
  item = "bench.item0",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local per = r:fact("bench.item0.spend") / r:fact("bench.item0.beneficiaries")
    return at_least(per, r:standard("bench.item0"), { unit = "元/人" })
  end,
}
