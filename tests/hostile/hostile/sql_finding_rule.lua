-- Hostile rule: sql finding_rule (the stored findings, read past the view).
-- expect: error: access to finding_rule.rule is prohibited
return {
  id = "hostile.sql_finding_rule",
  title = "hostile: sql_finding_rule",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:sql("SELECT rule FROM finding_rule")
  end,
}
