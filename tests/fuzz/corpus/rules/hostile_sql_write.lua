-- Hostile rule: sql write.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_write",
  title = "hostile: sql_write",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("DELETE FROM fact")
  end,
}
