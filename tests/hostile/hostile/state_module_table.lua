-- Hostile rule: a field set on a helper module's table.
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
local stats = require "stats"
return {
  id = "hostile.state_module_table",
  title = "hostile: state_module_table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    stats.calls = (stats.calls or 0) + 1
    return pass(tostring(stats.calls))
  end,
}
