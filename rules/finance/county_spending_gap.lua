-- 一(三) and 二(三)3 促进县(区)间基本公共服务水平均衡, within each city: the
-- gap in basic public service spending per resident across the city's
-- counties, with the measures the province-level family uses
-- (finance.spending_gap, spending_cv, spending_range). The policy gives no
-- formula for the within-city gap; this rule measures
-- gap = 1 − (the lowest county's spending per resident ÷ the highest
-- county's), each county one observation (fin.basic_service.spend ÷
-- pop.resident), against params.max_gap (0.30: the policy's 30% between
-- regions, applied within the city), and reports beside it the
-- coefficient of variation and (max − min) ÷ mean of the counties' values.
--
-- Every county counts: a county lacking its spending or its residents
-- (absent, negative, residents 0 or less) makes the finding `missing`,
-- naming each such county (peers.levels), never a gap computed without it.
-- A city with no county in the data is `skip`, saying so.
-- params.max_gap is a share in 0..1 (0.30); any other value (30 typed for
-- 30%) makes the finding `error`, naming it (check.ratio).
local check = require "check"
local peers = require "peers"
local stats = require "stats"

return {
  id = "finance.county_spending_gap",
  title = "市内各县（区）人均基本公共服务支出差距（1 − 最低 ÷ 最高）不超过30%",
  basis = "粤财办〔2019〕1号 一(三)、二(三)3 促进县(区)间基本公共服务水平均衡; "
    .. "政策未给出市内公式: 差距 = 1 − 人均支出最低县(区) ÷ 最高县(区)(每县一个观测值), "
    .. "并报告变异系数与极差率; 目标 max_gap 沿用一(三)的30%",
  kind = "indicator",
  level = "city",
  effective = { from = 2018 },
  params = { max_gap = 0.30 },
  evaluate = function(r)
    check.ratio("max_gap", params.max_gap) -- a share: 0.30, not 30
    local counties = r:children("county")
    if #counties == 0 then
      return skip("本市在数据中无下辖县（区），不计算市内差距")
    end
    -- every county contributes, or missing naming each one that does not
    local s, gap = peers.levels(counties, "fin.basic_service.spend",
                                "pop.resident")
    if not s then
      return gap
    end
    if #s.values < 2 then
      return skip("本市在数据中仅有 1 个县（区），无法计算市内差距")
    end
    local low, high = s.lowest, s.highest
    if high.value <= 0 then
      return skip("各县（区）人均支出均为0")
    end
    -- (high − low) ÷ high is 1 − low ÷ high, written as one division so
    -- that a gap of exactly 30% compares equal to 0.30
    return indicator((high.value - low.value) / high.value, params.max_gap,
                     "<=", {
      unit = "比例",
      note = string.format(
        "%d 个县（区）：最低 %s %.2f 元 ÷ 最高 %s %.2f 元；"
          .. "变异系数 %.4f，(最高−最低)÷均值 %.4f",
        #s.values, low.name, low.value, high.name, high.value,
        stats.cv(s.values), stats.max_gap(s.values)),
    })
  end,
}
