-- Fixture of `equirule diff`: a rule the head removes.
return {
  id = "demo.removed",
  title = "测试：删除的规则",
  basis = "测试",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    return pass()
  end,
}
