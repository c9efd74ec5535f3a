-- Hostile rule: a NUL after the operator of indicator.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.indicator_op_nul",
  title = "hostile: indicator_op_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return indicator(1, 2, "<=\0x")
  end,
}
