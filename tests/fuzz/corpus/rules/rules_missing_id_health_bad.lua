return {
  {
    title = "无 id",
    basis = "测试",
    kind = "compliance",
    level = "city",
    evaluate = function(r) return pass() end,
  },
  {
    id = 42,
    title = "id 不是字符串",
    basis = "测试",
    kind = "compliance",
    level = "city",
    evaluate = function(r) return pass() end,
  },
}
