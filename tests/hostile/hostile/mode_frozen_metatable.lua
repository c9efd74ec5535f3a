-- Hostile rule: __mode in a frozen file-level table given to setmetatable.
-- expect: error: setmetatable: __mode is not allowed in rules
local WEAK = { __mode = "kv" }
return {
  id = "hostile.mode_frozen_metatable",
  title = "hostile: mode_frozen_metatable",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    setmetatable({}, WEAK)
    return pass()
  end,
}
