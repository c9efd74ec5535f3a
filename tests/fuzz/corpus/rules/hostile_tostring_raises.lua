-- Hostile rule: tostring raises.
-- expect: error: (error object is a table value)
return {
  id = "hostile.tostring_raises",
  title = "hostile: tostring_raises",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    error(setmetatable({}, {__tostring = function() error("boom") end}))
  end,
}
