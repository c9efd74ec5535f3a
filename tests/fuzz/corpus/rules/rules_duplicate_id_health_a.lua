return {
  id = "health.same",
  title = "first",
  basis = "测试",
  kind = "compliance",
  level = "city",
  evaluate = function(r) return pass() end,
}
