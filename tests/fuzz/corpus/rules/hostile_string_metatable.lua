-- Hostile rule: string metatable.
-- expect: error: the string metatable is not available
return {
  id = "hostile.string_metatable",
  title = "hostile: string_metatable",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local mt = getmetatable("") mt.__index = {} return pass()
  end,
}
