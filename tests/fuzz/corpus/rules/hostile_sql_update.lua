-- Hostile rule: sql update.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_update",
  title = "hostile: sql_update",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("UPDATE fact SET value = 0")
  end,
}
