-- Hostile rule: result not needed.
-- expect: error: result: 'health.public_health_per_capita' is not in the needs of hostile.result_not_needed
return {
  id = "hostile.result_not_needed",
  title = "hostile: result_not_needed",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return r:result("health.public_health_per_capita")
  end,
}
