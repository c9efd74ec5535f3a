-- Hostile rule: call not function.
-- expect: error: setmetatable: __call must be a function
return {
  id = "hostile.call_not_function",
  title = "hostile: call_not_function",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    setmetatable({}, {__call = setmetatable({}, {__call = function() end})}) return pass()
  end,
}
