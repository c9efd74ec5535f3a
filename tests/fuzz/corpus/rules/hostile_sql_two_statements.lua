-- Hostile rule: sql two statements.
-- expect: error: sql: one statement only
return {
  id = "hostile.sql_two_statements",
  title = "hostile: sql_two_statements",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT 1; DELETE FROM fact")
  end,
}
