-- Hostile rule: dofile.
-- expect: error: attempt to call a nil value (global 'dofile')
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
