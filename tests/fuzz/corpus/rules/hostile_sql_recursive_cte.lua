-- Hostile rule: sql recursive cte.
-- expect: error: sql: not authorized
return {
  id = "hostile.sql_recursive_cte",
  title = "hostile: sql_recursive_cte",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c")
  end,
}
