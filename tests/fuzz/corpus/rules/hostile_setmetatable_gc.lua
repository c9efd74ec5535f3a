-- Hostile rule: setmetatable gc.
-- expect: error: setmetatable: __gc is not allowed in rules
return {
  id = "hostile.setmetatable_gc",
  title = "hostile: setmetatable_gc",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    setmetatable({}, {__gc = function() while true do end end}) return pass()
  end,
}
