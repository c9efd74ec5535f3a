-- Hostile rule: pattern bomb.
-- expect: error: timeout: no result within 3 s, the worker was stopped
return {
  id = "hostile.pattern_bomb",
  title = "hostile: pattern_bomb",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(#tostring(("a"):rep(2000):find(".-.-.-b")), 0)
  end,
}
