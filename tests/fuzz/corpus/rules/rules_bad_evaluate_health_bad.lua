return {
  {
    id = "health.string_evaluate",
    title = "evaluate 不是函数",
    basis = "测试",
    kind = "compliance",
    level = "city",
    evaluate = "return pass()",
  },
  {
    id = "health.no_evaluate",
    title = "无 evaluate",
    basis = "测试",
    kind = "compliance",
    level = "city",
  },
}
