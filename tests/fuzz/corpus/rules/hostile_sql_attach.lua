-- Hostile rule: sql attach.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_attach",
  title = "hostile: sql_attach",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("ATTACH DATABASE '/tmp/equirule-x.db' AS x")
  end,
}
