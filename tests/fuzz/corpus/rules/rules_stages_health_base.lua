return {
  id = "health.base",
  title = "阶段",
  basis = "测试",
  kind = "compliance",
  level = "city",
  needs = {  },
  evaluate = function(r) return pass() end,
}
