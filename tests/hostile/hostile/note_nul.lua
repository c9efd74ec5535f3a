-- Hostile rule: text after a NUL in a note (once dropped silently).
-- expect: error: pass: the note contains a NUL byte
return {
  id = "hostile.note_nul",
  title = "hostile: note_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass("paid\0 in full? no")
  end,
}
