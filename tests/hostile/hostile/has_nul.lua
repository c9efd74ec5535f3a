-- Hostile rule: a NUL in a metric name given to r:has.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.has_nul",
  title = "hostile: has_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(r:has("pop.resident\0x")))
  end,
}
