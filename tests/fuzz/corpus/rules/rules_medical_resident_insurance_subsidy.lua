-- 城乡居民基本医疗保险: the fiscal subsidy per insured resident must reach
-- the per-capita subsidy standard of the year.
return {
  id = "medical.resident_insurance_subsidy",
  title = "城乡居民医保人均财政补助不低于标准",
  basis = "国办发〔2018〕6号; 年度城乡居民医保人均财政补助标准; 粤财办〔2019〕1号 二(一)",
  item = "medical.resident_insurance",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  evaluate = function(r)
    local standard = r:standard("medical.resident_insurance")
    if not standard then
      return skip("本年度无人均财政补助标准")
    end
    local subsidy = r:fact("medical.resident_insurance.subsidy")
    local insured = r:fact("medical.resident_insurance.insured")
    if insured <= 0 then
      return skip("无城乡居民医保参保人员")
    end
    return at_least(subsidy / insured, standard, {
      unit = "元/人·年",
      note = string.format("财政补助 %.0f 元 ÷ 参保人数 %.0f 人",
                           subsidy, insured),
    })
  end,
}
