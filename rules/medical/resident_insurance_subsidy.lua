-- 城乡居民基本医疗保险: the fiscal subsidy per insured resident must reach
-- the per-capita subsidy standard of the year.
local check = require "check"

return {
  id = "medical.resident_insurance_subsidy",
  title = "城乡居民医保人均财政补助不低于标准",
  basis = "国办发〔2018〕6号; 年度城乡居民医保人均财政补助标准; 粤财办〔2019〕1号 二(一)",
  item = "medical.resident_insurance",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  evaluate = function(r)
    -- 财政补助 ÷ 参保人数 ≥ 人均财政补助标准
    return check.per_unit(r, {
      amount = "medical.resident_insurance.subsidy",
      per = "medical.resident_insurance.insured",
      standard = "medical.resident_insurance", unit = "元/人·年",
      note = "财政补助 %.0f 元 ÷ 参保人数 %.0f 人",
      no_standard = "本年度无人均财政补助标准",
      no_units = "无城乡居民医保参保人员",
    })
  end,
}
