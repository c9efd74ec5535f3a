return {
  {
    id = "health.town",
    title = "未知层级",
    basis = "测试",
    kind = "compliance",
    level = "town",
    evaluate = function(r) return pass() end,
  },
  {
    id = "health.no_level",
    title = "无层级",
    basis = "测试",
    kind = "compliance",
    evaluate = function(r) return pass() end,
  },
}
