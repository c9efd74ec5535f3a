-- Simple benchmark rule: beneficiaries of item 4 <= 500,000.
return {
  id = "bench.simple_item4_beneficiaries",
  title = "bench simple: beneficiaries of item 4 <= 500,000",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_most(r:fact("bench.item4.beneficiaries"), 500000, { unit = "人" })
  end,
}
