-- Hostile rule: return nothing.
-- expect: error: evaluate returned nil, not an outcome
return {
  id = "hostile.return_nothing",
  title = "hostile: return_nothing",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return
  end,
}
