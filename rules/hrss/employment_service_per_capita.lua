-- 基本公共就业服务: there is no unified national funding standard, so the
-- department holds each city's spending per resident (常住人口, so that
-- migrant workers count: 粤财办〔2019〕1号 二(二)2) against the provincial
-- mean: it must be at least params.ratio of the cities' average (their
-- total spending ÷ their total resident population). A city whose own
-- figures are missing ends as `missing`, and so does every other city,
-- naming it: an average without it is not the province's
-- (scripts/lib/peers.lua).
local check = require "check"

return {
  id = "hrss.employment_service_per_capita",
  title = "常住人口人均基本公共就业服务支出不低于全省平均的规定比例"
    .. "（无统一标准，对照全省平均）",
  basis = "国办发〔2018〕6号 基本公共就业服务; 粤财办〔2019〕1号 二(一)、二(二)2; "
    .. "无统一经费标准: 人均支出不低于全省各市平均(总支出÷总常住人口)的 ratio 倍, "
    .. "ratio 为人社厅工作目标",
  item = "employment.public_service",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  params = { ratio = 0.6 },
  evaluate = function(r)
    -- 常住人口人均就业服务支出 ≥ ratio × 全省各市平均
    return check.peer_ratio(r, {
      amount = "employment.public_service.spend", per = "pop.resident",
      ratio = params.ratio, unit = "元/人",
      note = "就业服务支出 %.0f 元 ÷ 常住人口 %.0f 人",
      no_units = "常住人口为0，无法计算人均支出",
    })
  end,
}
