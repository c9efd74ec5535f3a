-- Hostile rule file: a pattern that backtracks for ever, at the top
-- level: str_find_aux runs in C, out of the count hook's reach.
-- expect-load: timeout: loading did not finish within 1 s and was stopped (a hang the instruction limit cannot stop); the file's rules are left out
local s = ("a"):rep(3000)
s:find(".-.-.-b")
return {
  id = "hostile.load_pattern_bomb",
  title = "hostile: load_pattern_bomb",
  basis = "tests/hostile/load",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return pass() end,
}
