-- Hostile rule: print.
-- expect: error: attempt to call a nil value (global 'print')
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
