-- Simple benchmark rule: spending on item 2 >= its standard x 20,000.
return {
  id = "bench.simple_item2_spend",
  title = "bench simple: spending on item 2 >= its standard x 20,000",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_least(r:fact("bench.item2.spend"), r:standard("bench.item2") * 20000, { unit = "元" })
  end,
}
