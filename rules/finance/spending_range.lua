-- 一(三) 主要目标, third measure beside finance.spending_gap: the range of
-- basic public service spending per resident across the province's
-- cities relative to their mean, (max − min) ÷ mean (each city one
-- observation, unweighted; values fin.basic_service.spend ÷ pop.resident).
-- The policy sets no target for it; params.max_range (1.0) is the finance
-- department's working target.
local check = require "check"
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
    -- 各市人均支出（支出 ÷ 常住人口）的 (最高 − 最低) ÷ 均值 ≤ max_range
    return check.spread(r, {
      amount = "fin.basic_service.spend", per = "pop.resident",
      measure = stats.max_gap, target = params.max_range, unit = "比例",
      too_few = "有常住人口的市不足2个，无法计算极差",
      none = "各市人均支出均为0",
      note = function(s)
        return string.format("(最高 %s %.2f − 最低 %s %.2f) ÷ %d 个市均值 %.2f",
                             s.highest.name, s.highest.value, s.lowest.name,
                             s.lowest.value, #s.values, s.mean)
      end,
    })
  end,
}
