-- Fixture of `equirule diff`: the same in base and head.
return {
  id = "demo.same",
  title = "测试：人均经费不低于标准",
  basis = "测试",
  item = "health.public_health",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    local standard = r:standard("health.public_health")
    local per_capita = r:fact("health.public_health.spend") / r:fact("pop.resident")
    return at_least(per_capita, standard, { unit = "元/人" })
  end,
}
