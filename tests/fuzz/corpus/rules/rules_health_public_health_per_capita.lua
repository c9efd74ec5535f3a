-- 基本公共卫生服务: the funding per resident must reach the standard in
-- force. Counted over the resident (常住) population, not the registered
-- one (粤财办〔2019〕1号 二(二)2 扩面共享).
return {
  id = "health.public_health_per_capita",
  title = "基本公共卫生服务人均经费（经费÷常住人口）不低于标准",
  basis = "国办发〔2018〕6号; 粤财办〔2019〕1号 二(一)、二(二)2",
  item = "health.public_health",
  kind = "compliance",
  level = "city",
  effective = { from = 2018 },
  evaluate = function(r)
    local standard = r:standard("health.public_health")
    if not standard then
      return skip("本年度无国家或省级人均经费标准")
    end
    local spend = r:fact("health.public_health.spend")
    local pop = r:fact("pop.resident")
    if pop <= 0 then
      return skip("常住人口为0，无法计算人均经费")
    end
    return at_least(spend / pop, standard, {
      unit = "元/人",
      note = string.format("经费 %.0f 元 ÷ 常住人口 %.0f 人", spend, pop),
    })
  end,
}
