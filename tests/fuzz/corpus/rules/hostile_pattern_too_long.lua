-- Hostile rule: pattern too long.
-- expect: error: pattern too long (256 bytes at most)
return {
  id = "hostile.pattern_too_long",
  title = "hostile: pattern_too_long",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(#tostring(("a"):rep(100):find(("a?"):rep(200))), 0)
  end,
}
