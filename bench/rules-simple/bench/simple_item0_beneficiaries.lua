-- Simple benchmark rule: beneficiaries of item 0 >= 20,000.
return {
  id = "bench.simple_item0_beneficiaries",
  title = "bench simple: beneficiaries of item 0 >= 20,000",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_least(r:fact("bench.item0.beneficiaries"), 20000, { unit = "人" })
  end,
}
