-- Hostile rule: subject too long.
-- expect: error: pattern subject too long (65536 bytes at most)
return {
  id = "hostile.subject_too_long",
  title = "hostile: subject_too_long",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(#tostring(("a"):rep(100000):match("b")), 0)
  end,
}
