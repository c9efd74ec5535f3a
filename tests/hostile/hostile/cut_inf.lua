-- Hostile rule: a cut of an infinite amount.
-- expect: error: cut: amount is infinite
return {
  id = "hostile.cut_inf",
  title = "hostile: cut_inf",
  basis = "tests/hostile",
  kind = "cut",
  level = "province",
  evaluate = function(r)
    return cut(math.huge)
  end,
}
