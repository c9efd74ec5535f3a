-- 一(三) 主要目标, third measure beside finance.spending_gap: the range of
-- basic public service spending per resident across the province's
-- cities relative to their mean, (max − min) ÷ mean (each city one
-- observation, unweighted; values fin.basic_service.spend ÷ pop.resident).
-- The policy sets no target for it; params.max_range (1.0) is the finance
-- department's working target.
local peers = require "peers"
local stats = require "stats"

return {
  id = "finance.spending_range",
  title = "各市人均基本公共服务支出极差率（(最高−最低)÷均值）不超过工作目标",
  basis = "粤财办〔2019〕1号 一(三); 政策未给出公式, 极差率 = (各市人均支出最高 − 最低) "
    .. "÷ 各市均值(不加权); 目标 max_range 为财政厅工作目标",
  kind = "indicator",
  level = "province",
  effective = { from = 2018 },
  params = { max_range = 1.0 },
  evaluate = function(r)
    local spread = peers.levels(r, "fin.basic_service.spend", "pop.resident")
    local values, lo, hi = spread.values, spread.lowest, spread.highest
    if #values < 2 then
      return skip("有常住人口的市不足2个，无法计算极差")
    end
    local mean = stats.mean(values)
    if mean <= 0 then
      return skip("各市人均支出均为0")
    end
    return indicator(stats.max_gap(values), params.max_range, "<=", {
      unit = "比例",
      note = string.format("(最高 %s %.2f − 最低 %s %.2f) ÷ %d 个市均值 %.2f",
                           hi.name, hi.value, lo.name, lo.value, #values, mean),
    })
  end,
}
