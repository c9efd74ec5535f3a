-- Hostile rule: sql schema.
-- expect: error: is prohibited
return {
  id = "hostile.sql_schema",
  title = "hostile: sql_schema",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT * FROM sqlite_schema")
  end,
}
