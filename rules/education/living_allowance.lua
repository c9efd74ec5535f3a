-- 家庭经济困难学生生活补助: the living allowance paid per boarding pupil
-- from a family in difficulty must reach the national standard (primary
-- 1000, junior 1250 元/生·年; the larger of national and provincial where
-- both exist). One rule per school level, made by the same function.
-- Counties deliver the item: the rule evaluates every city and every county
-- of the data (level = { "city", "county" }); a county is held to the same
-- standard as a city, so a county below it shows under a city that passes.
local check = require "check"

local function rule(level, name, key, beneficiaries, spend)
  return {
    id = "education.living_allowance_" .. level,
    title = "义务教育" .. name .. "家庭经济困难寄宿生人均生活补助不低于标准",
    basis = "国办发〔2018〕6号 家庭经济困难学生生活补助（小学1000、初中1250元/生·年）; "
      .. "粤财办〔2019〕1号 二(一)",
    item = "edu.living_allowance",
    kind = "compliance",
    level = { "city", "county" },
    effective = { from = 2018 },
    evaluate = function(r)
      -- 生活补助 ÷ 受助寄宿生 ≥ 标准（元/生·年）
      return check.per_unit(r, {
        amount = spend, per = beneficiaries, standard = key,
        unit = "元/生·年",
        note = "生活补助 %.0f 元 ÷ " .. name .. "受助寄宿生 %.0f 人",
        no_standard = "本年度无" .. name .. "生活补助标准",
        no_units = "无" .. name .. "家庭经济困难寄宿生",
      })
    end,
  }
end

return {
  rule("primary", "小学", "edu.living_allowance.primary",
       "edu.living_allowance.beneficiaries.primary",
       "edu.living_allowance.spend.primary"),
  rule("junior", "初中", "edu.living_allowance.junior",
       "edu.living_allowance.beneficiaries.junior",
       "edu.living_allowance.spend.junior"),
}
