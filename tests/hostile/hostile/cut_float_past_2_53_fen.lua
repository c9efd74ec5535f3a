-- A float amount past 2^53 fen cannot hold every fen: refused, not rounded.
-- expect: error: cut: amount 90071992547410 yuan is out of range
return {
  id = "hostile.cut_float_past_2_53_fen",
  title = "a float cut past 2^53 fen",
  basis = "hostile test",
  kind = "cut",
  level = "province",
  evaluate = function(r) return cut(90071992547410.0) end,
}
