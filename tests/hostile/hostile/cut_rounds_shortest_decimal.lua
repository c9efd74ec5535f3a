-- 765432109876.003 yuan is 0.3 fen past whole fen: rounds down, as
-- money.to_fen does (the note carries to_fen's answer to compare).
-- expect: cut: 76543210987600
return {
  id = "hostile.cut_rounds_shortest_decimal",
  title = "a large cut with a fraction of a fen",
  basis = "hostile test",
  kind = "cut",
  level = "province",
  evaluate = function(r)
    return cut(765432109876.003,
               {note = tostring(require("money").to_fen(765432109876.003))})
  end,
}
