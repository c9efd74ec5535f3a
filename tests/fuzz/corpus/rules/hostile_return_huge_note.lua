-- Hostile rule: return huge note.
-- expect: fail
return {
  id = "hostile.return_huge_note",
  title = "hostile: return_huge_note",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return fail(("说明"):rep(1000000))
  end,
}
