-- Hostile rule: sql finding_row (the stored findings, read past the view).
-- expect: error: access to finding_row.outcome is prohibited
return {
  id = "hostile.sql_finding_row",
  title = "hostile: sql_finding_row",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT outcome FROM finding_row")
  end,
}
