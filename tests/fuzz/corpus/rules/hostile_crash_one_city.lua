-- Hostile rule: the worker dies with SIGSEGV while evaluating one city (fault
-- injected by the test with EQUIRULE_FAULT=crash:hostile.crash_one_city@440300);
-- the other cities of the unit are evaluated again by a new worker.
-- region: 440300
-- expect: error: crashed with signal 11
return {
  id = "hostile.crash_one_city",
  title = "hostile: crash one city",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    return pass()
  end,
}
