-- Hostile rule file: a message handler that loops while an error is
-- raised, at the top level: Lua 5.4.4 calls it from C where the count hook
-- cannot stop it, so only the supervisor's deadline does.
-- expect-load: timeout: loading did not finish within 1 s and was stopped (a hang the instruction limit cannot stop); the file's rules are left out
xpcall(function() while true do end end, function() while true do end end)
return {
  id = "hostile.load_xpcall_handler",
  title = "hostile: load_xpcall_handler",
  basis = "tests/hostile/load",
  kind = "compliance",
  level = "province",
  evaluate = function(r) return pass() end,
}
