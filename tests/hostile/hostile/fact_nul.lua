-- Hostile rule: a NUL in a metric name (once read as pop.resident).
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.fact_nul",
  title = "hostile: fact_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(r:fact("pop.resident\0x")))
  end,
}
