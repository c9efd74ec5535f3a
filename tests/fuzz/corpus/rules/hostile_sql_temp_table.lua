-- Hostile rule: sql temp table.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_temp_table",
  title = "hostile: sql_temp_table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("CREATE TEMP TABLE t(x)")
  end,
}
