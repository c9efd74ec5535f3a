-- Hostile rule: params write.
-- expect: error: params are read-only
return {
  id = "hostile.params_write",
  title = "hostile: params_write",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    params.x = 1 return pass()
  end,
}
