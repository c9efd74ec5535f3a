-- Hostile rule: pattern bomb pcall.
-- expect: error: timeout: no result within 3 s, the worker was stopped
return {
  id = "hostile.pattern_bomb_pcall",
  title = "hostile: pattern_bomb_pcall",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    pcall(string.find, ("a"):rep(3000), ".-.-.-b") return pass()
  end,
}
