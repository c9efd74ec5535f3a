-- every field of the rule contract
return {
  id = "health.per_capita",
  title = "基本公共卫生服务人均经费不低于标准",
  basis = "国办发〔2018〕6号",
  item = "health.public_health",
  kind = "compliance",
  level = "city",
  effective = { from = 2018, to = 2020 },
  params = { ratio = 1.5, label = "人均", strict = true },
  needs = { },
  evaluate = function(r)
    local spend = r:fact("health.public_health.spend")
    return at_least(spend / r:fact("pop.resident"),
                    r:standard("health.public_health") * params.ratio)
  end,
}
