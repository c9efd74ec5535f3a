-- Fixture of `equirule lint`: a rule with nothing to report. The metric
-- key is a local constant, as rule authors often write them.
local SPEND = "health.public_health.spend"

return {
  id = "demo.good",
  title = "测试：没有问题的规则",
  basis = "测试",
  item = "health.public_health",
  kind = "compliance",
  level = "city",
  params = { floor = 60 },
  evaluate = function(r)
    local standard = r:standard("health.public_health") or params["floor"]
    return at_least(r:fact(SPEND) / r:fact("pop.resident"), standard)
  end,
}
