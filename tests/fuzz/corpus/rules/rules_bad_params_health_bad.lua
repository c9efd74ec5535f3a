return {
  {
    id = "health.table_param",
    title = "参数是表",
    basis = "测试",
    kind = "compliance",
    level = "city",
    params = { ratio = 1.5, rates = { 0.7, 0.5, 0.3 } },
    evaluate = function(r) return pass() end,
  },
  {
    id = "health.number_params",
    title = "params 是数",
    basis = "测试",
    kind = "compliance",
    level = "city",
    params = 5,
    evaluate = function(r) return pass() end,
  },
  {
    id = "health.function_param",
    title = "参数是函数",
    basis = "测试",
    kind = "compliance",
    level = "city",
    params = { f = function() return 1 end },
    evaluate = function(r) return pass() end,
  },
}
