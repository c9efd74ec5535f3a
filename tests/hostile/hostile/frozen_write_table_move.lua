-- Hostile rule: a write to a frozen file-level table through table.move
-- (C code between the rule and the write): refused, and the message names
-- the rule's line.
-- expect: error: frozen_write_table_move.lua:14: file-level tables are read-only during evaluation
local T = { 1, 2, 3 }
return {
  id = "hostile.frozen_write_table_move",
  title = "hostile: frozen table written by table.move",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local src = { 7, 8, 9 }
    table.move(src, 1, 3, 1, T)
    return pass()
  end,
}
