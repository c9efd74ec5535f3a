return {
  {
    id = "health.typo",
    title = "拼写错误",
    basis = "测试",
    descripton = "a typo of a field that does not exist either",
    kind = "compliance",
    level = "city",
    evaluate = function(r) return pass() end,
  },
  {
    id = "health.evalute",
    title = "evaluate 拼错",
    basis = "测试",
    kind = "compliance",
    level = "city",
    evalute = function(r) return pass() end,
  },
}
