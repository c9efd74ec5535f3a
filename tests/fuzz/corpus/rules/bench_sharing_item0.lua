-- Benchmark: the provincial transfer for item 0 covers the province's share.
return {
  id = "bench.sharing_item0",
  title = "bench item 0: transfer covers the provincial share",
  basis = "bench",
  item = "bench.item0",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    local required = r:standard("bench.item0") * r:fact("bench.item0.beneficiaries")
    return at_least(r:transfer("bench.item0"), r:share("bench.item0") * required,
                    { unit = "元" })
  end,
}
