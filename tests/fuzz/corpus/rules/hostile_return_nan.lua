-- Hostile rule: return nan.
-- expect: error: at_least: value is nan (a division by zero?)
return {
  id = "hostile.return_nan",
  title = "hostile: return_nan",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(0/0, 1)
  end,
}
