-- Hostile rule: sql findings.
-- expect: error: access to view "finding" prohibited
return {
  id = "hostile.sql_findings",
  title = "hostile: sql_findings",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT * FROM finding")
  end,
}
