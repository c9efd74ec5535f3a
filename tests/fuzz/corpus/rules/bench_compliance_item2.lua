-- Benchmark: funding per beneficiary of item 2 against the binding standard.
return {
  id = "bench.compliance_item2",
  title = "bench item 2: funding per beneficiary >= standard",
  basis = "bench",
  item = "bench.item2",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local per = r:fact("bench.item2.spend") / r:fact("bench.item2.beneficiaries")
    return at_least(per, r:standard("bench.item2"), { unit = "元/人" })
  end,
}
