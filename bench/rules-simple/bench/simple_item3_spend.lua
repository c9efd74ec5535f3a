-- Simple benchmark rule: spending on item 3 >= its standard x 20,000.
return {
  id = "bench.simple_item3_spend",
  title = "bench simple: spending on item 3 >= its standard x 20,000",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return at_least(r:fact("bench.item3.spend"), r:standard("bench.item3") * 20000, { unit = "元" })
  end,
}
