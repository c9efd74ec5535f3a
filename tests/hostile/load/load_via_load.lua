-- Hostile rule file: the handler loop in a chunk made with load() at the top
-- level.
-- expect-load: timeout: loading did not finish within 1 s and was stopped (a hang the instruction limit cannot stop); the file's rules are left out
load("xpcall(function() while true do end end, function() while true do end end)")()
return {
  id = "hostile.load_via_load",
  title = "hostile: load_via_load",
  basis = "tests/hostile/load",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return pass() end,
}
