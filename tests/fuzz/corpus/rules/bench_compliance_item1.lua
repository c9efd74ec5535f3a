-- Benchmark: funding per beneficiary of item 1 against the binding standard.
return {
  id = "bench.compliance_item1",
  title = "bench item 1: funding per beneficiary >= standard",
  basis = "bench",
  item = "bench.item1",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local per = r:fact("bench.item1.spend") / r:fact("bench.item1.beneficiaries")
    return at_least(per, r:standard("bench.item1"), { unit = "元/人" })
  end,
}
