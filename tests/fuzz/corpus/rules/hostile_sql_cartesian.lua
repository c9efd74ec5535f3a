-- Hostile rule: sql cartesian.
-- expect: error: time limit exceeded
return {
  id = "hostile.sql_cartesian",
  title = "hostile: sql_cartesian",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT count(*) AS n FROM fact a, fact b, fact c, fact d")
  end,
}
