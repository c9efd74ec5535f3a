-- Hostile rule file: the pattern bomb through gsub, another path to
-- str_find_aux's matcher.
-- expect-load: timeout: loading did not finish within 1 s and was stopped (a hang the instruction limit cannot stop); the file's rules are left out
local n = select(2, ("a"):rep(3000):gsub(".-.-.-b", ""))
return {
  id = "hostile.load_gsub_bomb",
  title = "hostile: load_gsub_bomb",
  basis = "tests/hostile/load",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return pass() end,
}
