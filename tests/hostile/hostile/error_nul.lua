-- Hostile rule: an error message with a NUL byte: the text after it is kept
-- (the NUL shown as \0), not dropped silently.
-- expect: error: before\0after the NUL
return {
  id = "hostile.error_nul",
  title = "hostile: error_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    error("before\0after the NUL")
  end,
}
