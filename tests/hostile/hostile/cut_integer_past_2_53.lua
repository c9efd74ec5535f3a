-- A Lua integer amount is whole yuan and converts exactly, even past 2^53.
-- expect: cut
return {
  id = "hostile.cut_integer_past_2_53",
  title = "an integer cut above 2^53 yuan",
  basis = "hostile test",
  kind = "cut",
  level = "province",
  evaluate = function(r)
    local fen = require("money").to_fen(9007199254740993)
    return cut(9007199254740993, {note = tostring(fen)})
  end,
}
