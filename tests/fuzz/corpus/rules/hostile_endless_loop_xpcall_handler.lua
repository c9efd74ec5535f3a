-- Hostile rule: endless loop xpcall handler.
-- A message handler that loops while the budget error is raised: Lua
-- 5.4.4 does not come back from it (the hook cannot stop it), so only the
-- supervisor's deadline does.
-- expect: error: timeout: no result within 3 s, the worker was stopped
return {
  id = "hostile.endless_loop_xpcall_handler",
  title = "hostile: endless_loop_xpcall_handler",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    xpcall(function() while true do end end, function() while true do end end) return pass()
  end,
}
