-- 基本公共就业服务: there is no unified national funding standard, so the
-- department holds each city's spending per resident (常住人口, so that
-- migrant workers count: 粤财办〔2019〕1号 二(二)2) against the provincial
-- mean: it must be at least params.ratio of the cities' average (their
-- total spending ÷ their total resident population). A city whose own
-- figures are missing ends as `missing` and is left out of the average.
local stats = require "stats"

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
    local spend = r:fact("employment.public_service.spend")
    local pop = r:fact("pop.resident")
    if pop <= 0 then
      return skip("常住人口为0，无法计算人均支出")
    end
    if not r.parent then
      return skip("无上级地区，无法计算全省平均")
    end

    local levels, weights, gaps = {}, {}, {}
    for _, c in ipairs(r:region(r.parent):children("city")) do
      if c:has("employment.public_service.spend") and c:has("pop.resident") then
        local n = c:fact("pop.resident")
        if n > 0 then
          levels[#levels + 1] = c:fact("employment.public_service.spend") / n
          weights[#weights + 1] = n
        end
      else
        gaps[#gaps + 1] = c.name or c.code
      end
    end
    local average = stats.weighted_mean(levels, weights)

    local note = string.format(
      "就业服务支出 %.0f 元 ÷ 常住人口 %.0f 人；全省平均 %.2f 元/人（%d 个市）× %g",
      spend, pop, average, #levels, params.ratio)
    if #gaps > 0 then
      note = note .. "；平均未含数据缺失的：" .. table.concat(gaps, "、")
    end
    return at_least(spend / pop, params.ratio * average,
                    { unit = "元/人", note = note })
  end,
}
