-- Fixture of `equirule lint`: reads a metric the catalog does not have
-- (line 14), declares a param it never reads (unused), and has no test file
-- beside it.
return {
  id = "demo.bad",
  title = "测试：有问题的规则",
  basis = "测试",
  item = "health.public_health",
  kind = "compliance",
  level = "city",
  params = { used = 60, unused = 1 },
  evaluate = function(r)
    local pop = r:fact("pop.resident")
    local spend = r:fact("no.such.metric")
    return at_least(spend / pop, params.used)
  end,
}
