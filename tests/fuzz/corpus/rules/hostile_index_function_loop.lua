-- Hostile rule: index function loop.
-- expect: error: stack overflow
return {
  id = "hostile.index_function_loop",
  title = "hostile: index_function_loop",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local t t = setmetatable({}, {__index = function(s, k) return t[k] end}) return at_least(t.x, 0)
  end,
}
