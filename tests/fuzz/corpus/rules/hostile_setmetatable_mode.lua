-- Hostile rule: setmetatable mode.
-- expect: error: setmetatable: __mode is not allowed in rules
return {
  id = "hostile.setmetatable_mode",
  title = "hostile: setmetatable_mode",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    setmetatable({}, {__mode = "k"}) return pass()
  end,
}
