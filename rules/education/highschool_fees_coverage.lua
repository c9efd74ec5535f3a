-- 普高免学杂费补助: students from families in difficulty are exempt from
-- high-school tuition and fees. DOMAIN.md holds no unified funding standard
-- for the item (the fee levels are set locally), so the department's
-- indicator is coverage of the eligible population: students exempted ÷
-- students eligible must reach params.min_coverage (1.0: every eligible
-- student, 应免尽免).
local check = require "check"

return {
  id = "education.highschool_fees_coverage",
  title = "普高免学杂费覆盖率（已免除人数÷符合条件人数）不低于目标"
    .. "（无统一经费标准，按覆盖率）",
  basis = "国办发〔2018〕6号 普高免学杂费补助; 粤财办〔2019〕1号 二(一); "
    .. "无统一经费标准: 以符合条件学生覆盖率衡量, 目标 min_coverage 为教育厅工作目标",
  item = "aid.highschool_fees",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  params = { min_coverage = 1.0 },
  evaluate = function(r)
    -- 已免学杂费人数 ÷ 符合条件人数 ≥ params.min_coverage
    return check.coverage(r, {
      amount = "aid.highschool_fees.exempted", per = "aid.highschool_fees.eligible",
      target = params.min_coverage,
      note = "已免学杂费 %.0f 人 ÷ 符合条件 %.0f 人",
      no_units = "无符合免学杂费条件的学生",
    })
  end,
}
