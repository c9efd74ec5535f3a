-- Benchmark: the provincial transfer for item 1 covers the province's share.
return {
  id = "bench.sharing_item1",
  title = "bench item 1: transfer covers the provincial share",
  basis = "bench",
  item = "bench.item1",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local required = r:standard("bench.item1") * r:fact("bench.item1.beneficiaries")
    return at_least(r:transfer("bench.item1"), r:share("bench.item1") * required,
                    { unit = "元" })
  end,
}
