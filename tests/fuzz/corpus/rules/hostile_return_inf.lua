-- Hostile rule: return inf.
-- expect: error: at_least: value is infinite (a division by zero?)
return {
  id = "hostile.return_inf",
  title = "hostile: return_inf",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(1/0, 1)
  end,
}
