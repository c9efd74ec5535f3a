-- 一(三) 主要目标, second measure beside finance.spending_gap: the
-- coefficient of variation of basic public service spending per resident
-- across the province's cities (each city one observation, unweighted:
-- population standard deviation ÷ mean of the cities' values
-- fin.basic_service.spend ÷ pop.resident). The policy sets no target for
-- it; params.max_cv (0.25) is the finance department's working target.
local check = require "check"
local stats = require "stats"

return {
  id = "finance.spending_cv",
  title = "各市人均基本公共服务支出变异系数不超过工作目标（标准差÷均值，不加权）",
  basis = "粤财办〔2019〕1号 一(三); 政策未给出公式, 变异系数 = 各市人均支出的总体标准差 "
    .. "÷ 均值(每市一个观测值, 不加权); 目标 max_cv 为财政厅工作目标",
  kind = "indicator",
  level = "province",
  effective = { from = 2018 },
  params = { max_cv = 0.25 },
  report = { index = "cv" },
  evaluate = function(r)
    -- 各市人均支出（支出 ÷ 常住人口）的变异系数 ≤ max_cv
    return check.spread(r, {
      amount = "fin.basic_service.spend", per = "pop.resident",
      measure = stats.cv, target = params.max_cv, unit = "变异系数",
      too_few = "有常住人口的市不足2个，无法计算离散程度",
      none = "各市人均支出均为0",
      note = function(s)
        return string.format(
          "%d 个市人均支出均值 %.2f 元；最低 %s %.2f 元，最高 %s %.2f 元",
          #s.values, s.mean, s.lowest.name, s.lowest.value,
          s.highest.name, s.highest.value)
      end,
    })
  end,
}
