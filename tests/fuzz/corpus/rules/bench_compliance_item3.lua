-- Benchmark: funding per beneficiary of item 3 against the binding standard.
return {
  id = "bench.compliance_item3",
  title = "bench item 3: funding per beneficiary >= standard",
  basis = "bench",
  item = "bench.item3",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local per = r:fact("bench.item3.spend") / r:fact("bench.item3.beneficiaries")
    return at_least(per, r:standard("bench.item3"), { unit = "元/人" })
  end,
}
