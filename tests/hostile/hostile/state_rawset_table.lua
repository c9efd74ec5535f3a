-- Hostile rule: rawset on a file-level table, past its __newindex.
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
local n = {}
return {
  id = "hostile.state_rawset_table",
  title = "hostile: state_rawset_table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    rawset(n, "c", (rawget(n, "c") or 0) + 1)
    return pass(tostring(n.c))
  end,
}
