-- Hostile rule: __gc assigned to a metatable after setmetatable, then the
-- object set again with the same metatable.
-- expect: error: setmetatable: __gc is not allowed in rules
return {
  id = "hostile.gc_after_setmetatable",
  title = "hostile: gc_after_setmetatable",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local mt = {}
    local o = setmetatable({}, mt)
    mt.__gc = function() while true do end end
    setmetatable(o, mt)
    return pass()
  end,
}
