-- Hostile rule: a cut whose fen do not fit in 64 bits (once stored as -9223372036854775808).
-- expect: error: cut: amount 9.3e+16 yuan is out of range (a non-integer amount must be at most 2^53 fen
return {
  id = "hostile.cut_huge",
  title = "hostile: cut_huge",
  basis = "tests/hostile",
  kind = "cut",
  level = "province",
  evaluate = function(r)
    return cut(9.3e16)
  end,
}
