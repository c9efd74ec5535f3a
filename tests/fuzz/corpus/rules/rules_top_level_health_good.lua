-- a rule that loads: the other files' problems must not stop it
return {
  id = "health.good",
  title = "能加载的规则",
  basis = "测试",
  kind = "compliance",
  level = "city",
  evaluate = function(r) return pass() end,
}
