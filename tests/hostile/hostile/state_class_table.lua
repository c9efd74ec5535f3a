-- Hostile rule: a count kept on a class (a metatable) defined at file level.
-- level: city
-- expect: error: file-level tables are read-only during evaluation; use a local
local C = {}
C.__index = C
function C.new() return setmetatable({}, C) end
return {
  id = "hostile.state_class_table",
  title = "hostile: state_class_table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    local o = C.new()
    getmetatable(o).count = (C.count or 0) + 1
    return pass(tostring(C.count))
  end,
}
