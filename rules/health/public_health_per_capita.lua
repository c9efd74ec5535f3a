-- 基本公共卫生服务: the funding per resident must reach the standard in
-- force. Counted over the resident (常住) population, not the registered
-- one (粤财办〔2019〕1号 二(二)2 扩面共享).
-- Counties deliver the item: the rule evaluates every city and every county
-- of the data (level = { "city", "county" }); a county is held to the same
-- standard as a city, so a county below it shows under a city that passes.
local check = require "check"

return {
  id = "health.public_health_per_capita",
  title = "基本公共卫生服务人均经费（经费÷常住人口）不低于标准",
  basis = "国办发〔2018〕6号; 粤财办〔2019〕1号 二(一)、二(二)2",
  item = "health.public_health",
  kind = "compliance",
  level = { "city", "county" },
  effective = { from = 2018 },
  evaluate = function(r)
    -- 经费 ÷ 常住人口 ≥ 标准
    return check.per_unit(r, {
      amount = "health.public_health.spend", per = "pop.resident",
      standard = "health.public_health", unit = "元/人",
      note = "经费 %.0f 元 ÷ 常住人口 %.0f 人",
      no_standard = "本年度无国家或省级人均经费标准",
      no_units = "常住人口为0，无法计算人均经费",
    })
  end,
}
