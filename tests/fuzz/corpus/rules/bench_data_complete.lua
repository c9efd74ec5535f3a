-- Benchmark: the spending data is present (r:has) and positive.
return {
  id = "bench.data_complete",
  title = "bench: spending data present",
  basis = "bench",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    if not r:has("fin.basic_service.spend") then
      return fail("no spending data")
    end
    return at_least(r:fact("fin.basic_service.spend"), 0)
  end,
}
