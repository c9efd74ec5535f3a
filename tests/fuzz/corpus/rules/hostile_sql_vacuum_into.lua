-- Hostile rule: sql vacuum into.
-- expect: error: sql: only SELECT is allowed
return {
  id = "hostile.sql_vacuum_into",
  title = "hostile: sql_vacuum_into",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("VACUUM INTO '/tmp/equirule-x.db'")
  end,
}
