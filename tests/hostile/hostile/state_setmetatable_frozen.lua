-- Hostile rule: a metatable put on a file-level table during evaluation.
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
local t = {}
return {
  id = "hostile.state_setmetatable_frozen",
  title = "hostile: state_setmetatable_frozen",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    setmetatable(t, { __index = function() return r.code end })
    return pass(t.x)
  end,
}
