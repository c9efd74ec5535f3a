return {
  id = "health.p",
  title = "参数",
  basis = "测试",
  kind = "compliance",
  level = "city",
  params = { rate = 0.3, label = "人均", strict = true, count = 3 },
  evaluate = function(r) return pass() end,
}
