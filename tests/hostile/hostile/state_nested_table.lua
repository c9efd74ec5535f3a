-- Hostile rule: a table nested in a file-level table.
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
local cfg = { inner = { c = 0 } }
return {
  id = "hostile.state_nested_table",
  title = "hostile: state_nested_table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    cfg.inner.c = cfg.inner.c + 1
    return pass(tostring(cfg.inner.c))
  end,
}
