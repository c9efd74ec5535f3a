-- Hostile rule: loadfile.
-- expect: error: attempt to call a nil value (global 'loadfile')
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
