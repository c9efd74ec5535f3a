-- 一(三) 主要目标, second measure beside finance.spending_gap: the
-- coefficient of variation of basic public service spending per resident
-- across the province's cities (each city one observation, unweighted:
-- population standard deviation ÷ mean of the cities' values
-- fin.basic_service.spend ÷ pop.resident). The policy sets no target for
-- it; params.max_cv (0.25) is the finance department's working target.
local peers = require "peers"
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
  evaluate = function(r)
    local spread = peers.levels(r, "fin.basic_service.spend", "pop.resident")
    local values, lo, hi = spread.values, spread.lowest, spread.highest
    if #values < 2 then
      return skip("有常住人口的市不足2个，无法计算离散程度")
    end
    local mean = stats.mean(values)
    if mean <= 0 then
      return skip("各市人均支出均为0")
    end
    return indicator(stats.cv(values), params.max_cv, "<=", {
      unit = "变异系数",
      note = string.format("%d 个市人均支出均值 %.2f 元；最低 %s %.2f 元，最高 %s %.2f 元",
                           #values, mean, lo.name, lo.value, hi.name, hi.value),
    })
  end,
}
