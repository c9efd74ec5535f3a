-- Hostile rule: __gc in a plain table built while the file loads (frozen
-- since: its fields live in a shadow), given to setmetatable during an
-- evaluation. The guard reads the contents, not the empty table.
-- expect: error: setmetatable: __gc is not allowed in rules
local MT = { __gc = function() while true do end end }
return {
  id = "hostile.gc_frozen_metatable",
  title = "hostile: gc_frozen_metatable",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    setmetatable({}, MT)
    return pass()
  end,
}
