-- Hostile rule: math random.
-- expect: error: attempt to call a nil value (field 'random')
return {
  id = "hostile.math_random",
  title = "hostile: math_random",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(math.random(), 0)
  end,
}
