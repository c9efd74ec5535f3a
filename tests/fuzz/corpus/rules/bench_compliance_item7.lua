-- Benchmark: funding per beneficiary of item 7 against the binding standard.
return {
  id = "bench.compliance_item7",
  title = "bench item 7: funding per beneficiary >= standard",
  basis = "bench",
  item = "bench.item7",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local per = r:fact("bench.item7.spend") / r:fact("bench.item7.beneficiaries")
    return at_least(per, r:standard("bench.item7"), { unit = "元/人" })
  end,
}
