-- 贫困地区学生营养膳食补助: the subsidy per pupil covered must reach the
-- national standard (800 元/生·年, 4 元 a school day). Only cities with
-- pupils in the covered (poor) areas have beneficiaries; the others are
-- skipped.
return {
  id = "education.nutrition_per_student",
  title = "贫困地区学生人均营养膳食补助不低于国家标准",
  basis = "国办发〔2018〕6号 营养膳食补助（每生每天4元, 800元/生·年）; 粤财办〔2019〕1号 二(一)",
  item = "edu.nutrition",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  evaluate = function(r)
    local standard = r:standard("edu.nutrition")
    if not standard then
      return skip("本年度无营养膳食补助标准")
    end
    local paid = r:fact("edu.nutrition.spend")
    local n = r:fact("edu.nutrition.beneficiaries")
    if n <= 0 then
      return skip("无营养膳食补助对象（不属试点贫困地区）")
    end
    return at_least(paid / n, standard, {
      unit = "元/生·年",
      note = string.format("营养膳食补助 %.0f 元 ÷ 受助学生 %.0f 人", paid, n),
    })
  end,
}
