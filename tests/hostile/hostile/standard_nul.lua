-- Hostile rule: a NUL in a standard key.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.standard_nul",
  title = "hostile: standard_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(r:standard("health.public_health\0x")))
  end,
}
