-- 计划生育扶助保障: the award paid per beneficiary and month (spending ÷
-- beneficiaries ÷ 12) must reach the binding standard (national 80
-- 元/人·月, the larger of national and provincial where both exist).
local check = require "check"

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
    -- 奖励扶助金 ÷ 扶助对象 ÷ 12 个月 ≥ 标准（元/人·月）
    return check.per_unit(r, {
      amount = "health.family_planning.spend",
      per = "health.family_planning.beneficiaries", periods = 12,
      standard = "health.family_planning", unit = "元/人·月",
      note = "奖励扶助金 %.0f 元 ÷ 扶助对象 %.0f 人 ÷ 12 个月",
      no_standard = "本年度无奖励扶助标准",
      no_units = "无奖励扶助对象",
    })
  end,
}
