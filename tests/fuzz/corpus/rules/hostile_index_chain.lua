-- Hostile rule: index chain.
-- expect: error: '__index' chain too long; possible loop
return {
  id = "hostile.index_chain",
  title = "hostile: index_chain",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local t = {} for i = 1, 5000 do t = setmetatable({}, {__index = t}) end return at_least(t.x, 0)
  end,
}
