-- the same id again, in another file
return {
  id = "health.same",
  title = "second",
  basis = "测试",
  kind = "compliance",
  level = "county",
  evaluate = function(r)
    return fail()
  end,
}
