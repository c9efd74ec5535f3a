-- Hostile rule: a cut of 1e300 yuan.
-- expect: error: cut: amount 1e+300 yuan is out of range
return {
  id = "hostile.cut_1e300",
  title = "hostile: cut_1e300",
  basis = "tests/hostile",
  kind = "cut",
  level = "province",
  evaluate = function(r)
    return cut(1e300)
  end,
}
