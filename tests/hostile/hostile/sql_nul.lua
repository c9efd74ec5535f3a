-- Hostile rule: a NUL in SQL text (once cut there and run).
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.sql_nul",
  title = "hostile: sql_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(#r:sql("SELECT 1 AS one\0; DELETE FROM fact")))
  end,
}
