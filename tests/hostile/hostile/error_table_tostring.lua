-- Hostile rule: error() with a table whose __tostring would make the
-- message; __tostring is rule code and is not run outside the limits, so
-- the error names the rule's file and line instead of nothing.
-- expect: error: error_table_tostring.lua:11: (error object is a table value)
return {
  id = "hostile.error_table_tostring",
  title = "hostile: error with a table",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    error(setmetatable({}, { __tostring = function() return "boom" end }))
  end,
}
