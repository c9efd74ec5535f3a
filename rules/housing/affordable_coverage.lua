-- 城乡保障性安居工程: there is no unified national funding standard, so
-- the department's indicator is coverage of the eligible population: the
-- share of eligible urban households in housing difficulty that are
-- covered (public rental housing or rent subsidy) must reach
-- params.min_coverage (0.95, the department's working target).
local check = require "check"

return {
  id = "housing.affordable_coverage",
  title = "住房困难家庭保障覆盖率（已保障户数÷保障对象户数）不低于目标"
    .. "（无统一标准，按覆盖率）",
  basis = "国办发〔2018〕6号 城乡保障性安居工程; 粤财办〔2019〕1号 二(一); "
    .. "无统一经费标准: 以保障对象覆盖率衡量, 目标 min_coverage 为住建厅工作目标",
  item = "housing.affordable",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  params = { min_coverage = 0.95 },
  evaluate = function(r)
    -- 已保障户数 ÷ 保障对象户数 ≥ params.min_coverage
    return check.coverage(r, {
      amount = "housing.affordable.covered", per = "housing.affordable.eligible",
      target = params.min_coverage,
      note = "已保障 %.0f 户 ÷ 保障对象 %.0f 户",
      no_units = "无符合条件的住房困难家庭",
    })
  end,
}
