return {
  id = "health.bad",
  title = "语法错误",
  basis = "测试",,
  kind = "compliance",
}
