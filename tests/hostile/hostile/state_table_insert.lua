-- Hostile rule: table.insert into a file-level list.
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
local seen = {}
return {
  id = "hostile.state_table_insert",
  title = "hostile: state_table_insert",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    table.insert(seen, r.code)
    return pass(tostring(#seen))
  end,
}
