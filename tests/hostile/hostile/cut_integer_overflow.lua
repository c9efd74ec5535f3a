-- An integer amount whose fen do not fit in 64 bits is refused, naming it.
-- expect: error: cut: amount 92233720368547759 yuan is out of range (its fen must fit in 64 bits)
return {
  id = "hostile.cut_integer_overflow",
  title = "an integer cut whose fen overflow",
  basis = "hostile test",
  kind = "cut",
  level = "province",
  evaluate = function(r) return cut(92233720368547759) end,
}
