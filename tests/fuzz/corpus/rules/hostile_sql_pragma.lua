-- Hostile rule: sql pragma.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_pragma",
  title = "hostile: sql_pragma",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("PRAGMA writable_schema = 1")
  end,
}
