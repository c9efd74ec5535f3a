return {
  id = "finance.middle",
  title = "阶段",
  basis = "测试",
  kind = "compliance",
  level = "city",
  needs = { "health.base" },
  evaluate = function(r) return pass() end,
}
