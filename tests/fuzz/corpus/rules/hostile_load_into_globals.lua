-- Hostile rule: load into globals.
-- expect: error: assignment to global 'leak' during evaluation
return {
  id = "hostile.load_into_globals",
  title = "hostile: load_into_globals",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    load("leak = 1", "x", "t", _G)() return pass()
  end,
}
