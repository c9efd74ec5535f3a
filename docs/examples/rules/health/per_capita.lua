-- Worked example 1 of docs/rule-authoring.md: a compliance rule.
-- 基本公共卫生服务: funding per resident (常住人口, 扩面共享) must reach the
-- binding standard (the larger of the national and provincial ones).
---@type equirule.Rule
return {
  id = "health.per_capita_example",
  title = "基本公共卫生服务人均经费不低于标准（示例）",
  basis = "国办发〔2018〕6号; 粤财办〔2019〕1号 二(一)、二(二)2",
  item = "health.public_health",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  params = { warn_band = 0.05 },
  evaluate = function(r)
    local standard = r:standard("health.public_health")
    if not standard then
      return skip("本年度无人均经费标准")
    end
    local spend = r:fact("health.public_health.spend")
    local pop = r:fact("pop.resident")
    if pop <= 0 then
      return skip("常住人口为0")
    end
    return at_least(spend / pop, standard, {
      unit = "元/人",
      warn_within = params.warn_band,
      note = string.format("经费 %.0f 元 ÷ 常住人口 %.0f 人", spend, pop),
    })
  end,
}
