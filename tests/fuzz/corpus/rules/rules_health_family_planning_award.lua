-- 计划生育扶助保障: the award paid per beneficiary and month (spending ÷
-- beneficiaries ÷ 12) must reach the binding standard (national 80
-- 元/人·月, the larger of national and provincial where both exist).
return {
  id = "health.family_planning_award",
  title = "计划生育家庭奖励扶助月人均标准不低于国家标准",
  basis = "国办发〔2018〕6号 计划生育扶助保障（奖励扶助不低于80元/人·月, 数值待核）; "
    .. "粤财办〔2019〕1号 二(一)",
  item = "health.family_planning",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  evaluate = function(r)
    local standard = r:standard("health.family_planning")
    if not standard then
      return skip("本年度无奖励扶助标准")
    end
    local spend = r:fact("health.family_planning.spend")
    local n = r:fact("health.family_planning.beneficiaries")
    if n <= 0 then
      return skip("无奖励扶助对象")
    end
    return at_least(spend / n / 12, standard, {
      unit = "元/人·月",
      note = string.format("奖励扶助金 %.0f 元 ÷ 扶助对象 %.0f 人 ÷ 12 个月",
                           spend, n),
    })
  end,
}
