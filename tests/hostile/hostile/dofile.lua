-- Hostile rule: dofile.
-- expect: error: unknown global 'dofile' (the sandbox leaves it out: rules cannot use it)
return {
  id = "hostile.dofile",
  title = "hostile: dofile",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return dofile("/etc/passwd")
  end,
}
