-- 医疗救助: there is no unified national funding standard. The department's
-- indicator is coverage of the eligible population: people in hardship
-- whose enrolment in the resident medical insurance is paid by medical
-- assistance (资助参保) ÷ people eligible for it, at least
-- params.min_coverage (0.99, the department's working target).
local check = require "check"

return {
  id = "medical.assistance_enrolment",
  title = "医疗救助资助参保率（资助参保人数÷应资助对象）不低于目标"
    .. "（无统一标准，按覆盖率）",
  basis = "国办发〔2018〕6号 医疗救助; 粤财办〔2019〕1号 二(一); "
    .. "无统一经费标准: 以应资助困难人员的资助参保覆盖率衡量, "
    .. "目标 min_coverage 为医保局工作目标",
  item = "medical.assistance",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  params = { min_coverage = 0.99 },
  evaluate = function(r)
    -- 资助参保人数 ÷ 应资助对象 ≥ params.min_coverage
    return check.coverage(r, {
      amount = "medical.assistance.enrolled", per = "medical.assistance.eligible",
      target = params.min_coverage,
      note = "资助参保 %.0f 人 ÷ 应资助对象 %.0f 人",
      no_units = "无应资助参保的困难人员",
    })
  end,
}
