-- Fixture of `equirule diff`: funding per resident against a floor (a
-- param). The head copy raises the floor from 65 to 68.
return {
  id = "demo.per_capita",
  title = "测试：人均经费不低于下限",
  basis = "测试",
  item = "health.public_health",
  kind = "compliance",
  level = "city",
  params = { floor = 65 },
  evaluate = function(r)
    local per_capita = r:fact("health.public_health.spend") / r:fact("pop.resident")
    return at_least(per_capita, params.floor, { unit = "元/人" })
  end,
}
