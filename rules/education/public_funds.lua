-- 义务教育公用经费保障: public funds per pupil must reach the benchmark
-- quota in force (the larger of the national and provincial one), for 小学
-- and 初中 separately. One rule per school level, made by the same
-- function.
-- Counties deliver the item: the rule evaluates every city and every county
-- of the data (level = { "city", "county" }); a county is held to the same
-- standard as a city, so a county below it shows under a city that passes.
local check = require "check"

local function rule(level, name, key, pupils_metric, spend_metric)
  return {
    id = "education.public_funds_" .. level,
    title = "义务教育" .. name .. "生均公用经费不低于基准定额",
    basis = "国办发〔2018〕6号 义务教育公用经费基准定额; 粤财办〔2019〕1号 二(一)",
    item = "edu.public_funds",
    kind = "compliance",
    level = { "city", "county" },
    effective = { from = 2018 },
    evaluate = function(r)
      -- 公用经费 ÷ 在校生 ≥ 基准定额（元/生·年）
      return check.per_unit(r, {
        amount = spend_metric, per = pupils_metric, standard = key,
        unit = "元/生·年",
        note = "公用经费 %.0f 元 ÷ " .. name .. "在校生 %.0f 人",
        no_standard = "本年度无" .. name .. "公用经费基准定额",
        no_units = "无" .. name .. "在校生",
      })
    end,
  }
end

return {
  rule("primary", "小学", "edu.public_funds.primary", "edu.pupils.primary",
       "edu.public_funds.spend.primary"),
  rule("junior", "初中", "edu.public_funds.junior", "edu.pupils.junior",
       "edu.public_funds.spend.junior"),
}
