return {
  {
    id = "health.no_title",
    basis = "测试",
    kind = "compliance",
    level = "city",
    evaluate = function(r) return pass() end,
  },
  {
    id = "health.empty_basis",
    title = "依据为空",
    basis = "",
    kind = "compliance",
    level = "city",
    evaluate = function(r) return pass() end,
  },
}
