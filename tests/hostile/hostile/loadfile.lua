-- Hostile rule: loadfile.
-- expect: error: unknown global 'loadfile' (the sandbox leaves it out: rules cannot use it)
return {
  id = "hostile.loadfile",
  title = "hostile: loadfile",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return loadfile("/etc/passwd")
  end,
}
