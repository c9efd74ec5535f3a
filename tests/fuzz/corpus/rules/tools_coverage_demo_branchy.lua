-- Fixture of `equirule test --coverage`: the tests beside it never take the
-- branch of line 14, and take every other line.
return {
  id = "demo.branchy",
  title = "测试：覆盖率",
  basis = "测试",
  kind = "compliance",
  level = "city",
  params = { floor = 60 },
  evaluate = function(r)
    local pop = r:fact("pop.resident")
    local spend = r:fact("health.public_health.spend")
    if pop <= 0 then
      return skip("no residents")
    end
    local per_capita = spend / pop
    return at_least(per_capita, params.floor, {
      unit = "元/人",
      note = string.format("%.0f / %.0f", spend, pop),
    })
  end,
}
