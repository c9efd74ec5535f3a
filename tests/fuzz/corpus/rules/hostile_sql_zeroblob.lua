-- Hostile rule: sql zeroblob.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_zeroblob",
  title = "hostile: sql_zeroblob",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT zeroblob(1000000000) AS b")
  end,
}
