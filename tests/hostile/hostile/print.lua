-- Hostile rule: print.
-- expect: error: unknown global 'print' (the sandbox leaves it out: rules cannot use it)
return {
  id = "hostile.print",
  title = "hostile: print",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    print("hello") return pass()
  end,
}
