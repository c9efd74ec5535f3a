-- Hostile rule: sql bad param.
-- expect: error: sql: the query takes 1 parameters, 0 given
return {
  id = "hostile.sql_bad_param",
  title = "hostile: sql_bad_param",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT * FROM region WHERE code = ?")
  end,
}
