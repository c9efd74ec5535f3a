-- Simple benchmark rule: beneficiaries of item 1 <= 400,000.
return {
  id = "bench.simple_item1_beneficiaries",
  title = "bench simple: beneficiaries of item 1 <= 400,000",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_most(r:fact("bench.item1.beneficiaries"), 400000, { unit = "人" })
  end,
}
