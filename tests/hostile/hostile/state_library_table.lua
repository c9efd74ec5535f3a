-- Hostile rule: a field set on a library table (the file's copy of string).
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
return {
  id = "hostile.state_library_table",
  title = "hostile: state_library_table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    string.cnt = (string.cnt or 0) + 1
    return pass(tostring(string.cnt))
  end,
}
