-- Hostile rule: global assignment.
-- expect: error: assignment to global 'counter' during evaluation
return {
  id = "hostile.global_assignment",
  title = "hostile: global_assignment",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    counter = 1 return pass()
  end,
}
