-- Hostile rule: cut negative.
-- expect: error: cut: amount must not be negative
return {
  id = "hostile.cut_negative",
  title = "hostile: cut_negative",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return cut(-1)
  end,
}
