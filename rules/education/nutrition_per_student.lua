-- 贫困地区学生营养膳食补助: the subsidy per pupil covered must reach the
-- national standard (800 元/生·年, 4 元 a school day). Only cities with
-- pupils in the covered (poor) areas have beneficiaries; the others are
-- skipped.
-- Counties deliver the item: the rule evaluates every city and every county
-- of the data (level = { "city", "county" }); a county is held to the same
-- standard as a city, so a county below it shows under a city that passes.
local check = require "check"

return {
  id = "education.nutrition_per_student",
  title = "贫困地区学生人均营养膳食补助不低于国家标准",
  basis = "国办发〔2018〕6号 营养膳食补助（每生每天4元, 800元/生·年）; 粤财办〔2019〕1号 二(一)",
  item = "edu.nutrition",
  kind = "compliance",
  level = { "city", "county" },
  effective = { from = 2018 },
  evaluate = function(r)
    -- 营养膳食补助 ÷ 受助学生 ≥ 标准（元/生·年）
    return check.per_unit(r, {
      amount = "edu.nutrition.spend", per = "edu.nutrition.beneficiaries",
      standard = "edu.nutrition", unit = "元/生·年",
      note = "营养膳食补助 %.0f 元 ÷ 受助学生 %.0f 人",
      no_standard = "本年度无营养膳食补助标准",
      no_units = "无营养膳食补助对象（不属试点贫困地区）",
    })
  end,
}
