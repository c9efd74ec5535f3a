-- Benchmark: funding per beneficiary of item 5 against the binding standard.
return {
  id = "bench.compliance_item5",
  title = "bench item 5: funding per beneficiary >= standard",
  basis = "bench",
  item = "bench.item5",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local per = r:fact("bench.item5.spend") / r:fact("bench.item5.beneficiaries")
    return at_least(per, r:standard("bench.item5"), { unit = "元/人" })
  end,
}
