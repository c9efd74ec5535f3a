return {
  id = "health.loose",
  title = "不在部门目录",
  basis = "测试",
  kind = "compliance",
  level = "city",
  evaluate = function(r) return pass() end,
}
