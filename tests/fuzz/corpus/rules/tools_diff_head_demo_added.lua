-- Fixture of `equirule diff`: a rule the head adds.
return {
  id = "demo.added",
  title = "测试：新增的规则",
  basis = "测试",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return skip("新规则")
  end,
}
