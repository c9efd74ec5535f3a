-- Hostile rule: a cut of nan.
-- expect: error: cut: amount is nan
return {
  id = "hostile.cut_nan",
  title = "hostile: cut_nan",
  basis = "tests/hostile",
  kind = "cut",
  level = "province",
  evaluate = function(r)
    return cut(0/0)
  end,
}
