-- 一(三) 主要目标: by 2020 the gap in per-capita basic public service
-- spending between regions within 30%. No official formula was found; this
-- rule measures gap = 1 − (per-resident spending of the non-core cities ÷
-- per-resident spending of the core cities), each group's spending being
-- its total spending ÷ its total resident population (core = 珠三角核心区;
-- non-core = 沿海经济带东西两翼 + 北部生态发展区). The note adds the
-- coefficient of variation and (max − min) ÷ mean of the cities' values.
local stats = require "stats"

return {
  id = "finance.spending_gap",
  title = "人均基本公共服务支出差距（1 − 非核心区人均 ÷ 核心区人均）不超过30%",
  basis = "粤财办〔2019〕1号 一(三)",
  kind = "indicator",
  level = "province",
  effective = { from = 2018 },
  params = { max_gap = 0.30 },
  report = { chart = "per_capita_gap" },
  evaluate = function(r)
    local spend = { core = 0, other = 0 }
    local pop = { core = 0, other = 0 }
    local per_capita = {}
    for _, c in ipairs(r:children("city")) do
      local group
      if c.zone == "core" then
        group = "core"
      elseif c.zone == "east" or c.zone == "west" or c.zone == "north" then
        group = "other"
      end
      if group then
        local s = c:fact("fin.basic_service.spend")
        local p = c:fact("pop.resident")
        spend[group] = spend[group] + s
        pop[group] = pop[group] + p
        if p > 0 then per_capita[#per_capita + 1] = s / p end
      end
    end
    if pop.core <= 0 or pop.other <= 0 or spend.core <= 0 then
      return skip("核心区或非核心区无常住人口或支出，无法计算差距")
    end

    local core = spend.core / pop.core
    local other = spend.other / pop.other
    -- (core − other) ÷ core is 1 − other ÷ core; written as one division so
    -- that a gap of exactly 30% compares equal to 0.30.
    return indicator((core - other) / core, params.max_gap, "<=", {
      unit = "比例",
      note = string.format(
        "非核心区人均 %.2f 元 ÷ 核心区人均 %.2f 元；"
          .. "各市人均变异系数 %.4f，(最大−最小)÷均值 %.4f",
        other, core, stats.cv(per_capita), stats.max_gap(per_capita)),
    })
  end,
}
