return {
  id = "finance.top",
  title = "阶段",
  basis = "测试",
  kind = "compliance",
  level = "city",
  needs = { "finance.middle", "health.base" },
  evaluate = function(r) return pass() end,
}
