-- 义务教育公用经费保障, 小学: public funds per 小学 pupil must reach the
-- benchmark quota in force (the larger of the national and provincial one).
return {
  id = "education.public_funds_primary",
  title = "义务教育小学生均公用经费不低于基准定额",
  basis = "国办发〔2018〕6号 义务教育公用经费基准定额; 粤财办〔2019〕1号 二(一)",
  item = "edu.public_funds",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  evaluate = function(r)
    local standard = r:standard("edu.public_funds.primary")
    if not standard then
      return skip("本年度无小学公用经费基准定额")
    end
    local spend = r:fact("edu.public_funds.spend.primary")
    local pupils = r:fact("edu.pupils.primary")
    if pupils <= 0 then
      return skip("无小学在校生")
    end
    return at_least(spend / pupils, standard, {
      unit = "元/生·年",
      note = string.format("公用经费 %.0f 元 ÷ 小学在校生 %.0f 人",
                           spend, pupils),
    })
  end,
}
