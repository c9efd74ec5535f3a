-- Hostile rule: sql runs.
-- expect: error: is prohibited
return {
  id = "hostile.sql_runs",
  title = "hostile: sql_runs",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT * FROM run")
  end,
}
