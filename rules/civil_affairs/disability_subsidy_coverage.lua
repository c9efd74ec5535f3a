-- 残疾人服务: there is no unified national funding standard. The
-- department (with the 残联) measures coverage of the eligible population
-- by the two disability subsidies (困难残疾人生活补贴, 重度残疾人护理补贴):
-- people receiving them ÷ people eligible, at least params.min_coverage
-- (0.95, the department's working target).
local check = require "check"

return {
  id = "civil_affairs.disability_subsidy_coverage",
  title = "残疾人两项补贴覆盖率（发放人数÷符合条件人数）不低于目标"
    .. "（无统一标准，按覆盖率）",
  basis = "国办发〔2018〕6号 残疾人服务; 粤财办〔2019〕1号 二(一); "
    .. "无统一经费标准: 以符合条件残疾人的两项补贴覆盖率衡量, "
    .. "目标 min_coverage 为民政厅、残联工作目标",
  item = "assist.disability",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  params = { min_coverage = 0.95 },
  evaluate = function(r)
    -- 发放人数 ÷ 符合条件人数 ≥ params.min_coverage
    return check.coverage(r, {
      amount = "assist.disability.recipients", per = "assist.disability.eligible",
      target = params.min_coverage,
      note = "发放 %.0f 人 ÷ 符合条件 %.0f 人",
      no_units = "无符合条件的残疾人",
    })
  end,
}
