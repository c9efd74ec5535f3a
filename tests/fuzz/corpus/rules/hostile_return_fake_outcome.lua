-- Hostile rule: return fake outcome.
-- expect: error: evaluate returned table, not an outcome
return {
  id = "hostile.return_fake_outcome",
  title = "hostile: return_fake_outcome",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return {outcome = "pass"}
  end,
}
