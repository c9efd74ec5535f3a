-- Hostile rule: setmetatable env.
-- expect: error: cannot change a protected metatable
return {
  id = "hostile.setmetatable_env",
  title = "hostile: setmetatable_env",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    setmetatable(_G, {}) return pass()
  end,
}
