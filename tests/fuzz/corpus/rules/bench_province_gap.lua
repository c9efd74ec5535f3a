-- Benchmark: one aggregate per province over every county.
local stats = require "stats"
return {
  id = "bench.province_gap",
  title = "bench: coefficient of variation of spending per resident",
  basis = "bench",
  kind = "indicator",
  level = "province",
  evaluate = function(r)
    local per = {}
    for i, c in ipairs(r:children("county")) do
      per[i] = c:fact("fin.basic_service.spend") / c:fact("pop.resident")
    end
    return indicator(stats.cv(per), 0.5, "<=")
  end,
}
