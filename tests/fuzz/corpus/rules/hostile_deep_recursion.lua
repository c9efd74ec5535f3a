-- Hostile rule: deep recursion.
-- expect: error: stack overflow
return {
  id = "hostile.deep_recursion",
  title = "hostile: deep_recursion",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local function f(n) return f(n + 1) + 1 end return at_least(f(1), 0)
  end,
}
