-- Benchmark: a cut for fiscally strong counties above the standard.
return {
  id = "bench.strong_cut",
  title = "bench: cut for strong counties",
  basis = "bench",
  item = "bench.item0",
  kind = "cut",
  level = "county",
  params = { strong = 25000 },
  evaluate = function(r)
    local per = r:fact("fin.revenue") / r:fact("pop.resident")
    if per < params.strong then
      return cut(0)
    end
    local over = r:fact("bench.item0.spend") / r:fact("bench.item0.beneficiaries")
                 - r:standard("bench.item0")
    if over <= 0 then
      return cut(0)
    end
    return cut(math.min(r:transfer("bench.item0"), over * 0.1))
  end,
}
