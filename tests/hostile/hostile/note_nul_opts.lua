-- Hostile rule: a NUL in opts.note.
-- expect: error: at_least: the note contains a NUL byte
return {
  id = "hostile.note_nul_opts",
  title = "hostile: note_nul_opts",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(2, 1, { note = "ok\0hidden" })
  end,
}
