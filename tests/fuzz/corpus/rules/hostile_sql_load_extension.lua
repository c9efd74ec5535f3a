-- Hostile rule: sql load extension.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_load_extension",
  title = "hostile: sql_load_extension",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT load_extension('/tmp/x.so')")
  end,
}
