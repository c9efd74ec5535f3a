-- Hostile rule: sql huge string.
-- expect: error: string or blob too big
return {
  id = "hostile.sql_huge_string",
  title = "hostile: sql_huge_string",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT replace(printf('%.*c', 5000, 'x'), 'x', printf('%.*c', 5000, 'y')) AS s")
  end,
}
