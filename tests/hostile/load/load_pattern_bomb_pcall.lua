-- Hostile rule file: the same pattern bomb inside pcall: pcall
-- cannot catch a hang.
-- expect-load: timeout: loading did not finish within 1 s and was stopped (a hang the instruction limit cannot stop); the file's rules are left out
pcall(string.match, ("a"):rep(3000), ".-.-.-b")
return {
  id = "hostile.load_pattern_bomb_pcall",
  title = "hostile: load_pattern_bomb_pcall",
  basis = "tests/hostile/load",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return pass() end,
}
