-- Hostile rule: a table captured at file level counts evaluations; with
-- state kept, notes would run 1, 2, 3... and depend on --jobs.
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
local n = { c = 0 }
return {
  id = "hostile.state_file_table",
  title = "hostile: state_file_table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    n.c = n.c + 1
    return pass(tostring(n.c))
  end,
}
