-- Hostile rule: setmetatable close.
-- expect: error: setmetatable: __close is not allowed in rules
return {
  id = "hostile.setmetatable_close",
  title = "hostile: setmetatable_close",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local x <close> = setmetatable({}, {__close = function() error("x") end}) return pass()
  end,
}
