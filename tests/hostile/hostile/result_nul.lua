-- Hostile rule: a NUL in a rule id given to r:result.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.result_nul",
  title = "hostile: result_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(r:result("health.public_health_per_capita\0x")))
  end,
}
