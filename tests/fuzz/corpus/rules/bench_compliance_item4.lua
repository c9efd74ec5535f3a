-- Benchmark: funding per beneficiary of item 4 against the binding standard.
return {
  id = "bench.compliance_item4",
  title = "bench item 4: funding per beneficiary >= standard",
  basis = "bench",
  item = "bench.item4",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local per = r:fact("bench.item4.spend") / r:fact("bench.item4.beneficiaries")
    return at_least(per, r:standard("bench.item4"), { unit = "元/人" })
  end,
}
