-- Hostile rule: __close rawset into a metatable in use, and into the
-- metatable getmetatable gives back.
-- expect: error: non-closable value
return {
  id = "hostile.close_rawset_after_setmetatable",
  title = "hostile: close_rawset_after_setmetatable",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local mt = {}
    local o = setmetatable({}, mt)
    rawset(mt, "__close", function() while true do end end)
    rawset(getmetatable(o), "__close", function() while true do end end)
    do local x <close> = o end
    return pass()
  end,
}
