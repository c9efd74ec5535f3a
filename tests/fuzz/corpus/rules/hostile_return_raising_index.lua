-- Hostile rule: return raising index.
-- expect: error: evaluate returned table, not an outcome
return {
  id = "hostile.return_raising_index",
  title = "hostile: return_raising_index",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return setmetatable({}, {__index = function() error("boom") end})
  end,
}
