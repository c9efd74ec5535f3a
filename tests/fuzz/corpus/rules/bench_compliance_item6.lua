-- Benchmark: funding per beneficiary of item 6 against the binding standard.
return {
  id = "bench.compliance_item6",
  title = "bench item 6: funding per beneficiary >= standard",
  basis = "bench",
  item = "bench.item6",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local per = r:fact("bench.item6.spend") / r:fact("bench.item6.beneficiaries")
    return at_least(per, r:standard("bench.item6"), { unit = "元/人" })
  end,
}
