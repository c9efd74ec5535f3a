-- Hostile rule: a table held in a global assigned while the file loads.
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
counters = {}
return {
  id = "hostile.state_global_table",
  title = "hostile: state_global_table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    counters.n = (counters.n or 0) + 1
    return pass(tostring(counters.n))
  end,
}
