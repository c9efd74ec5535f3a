return {
  id = "health.audit",
  title = "未知类型",
  basis = "测试",
  kind = "audit",
  level = "city",
  evaluate = function(r) return pass() end,
}
