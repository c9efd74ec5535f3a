-- Hostile rule: method dump.
-- expect: error: attempt to call a nil value (method 'dump')
return {
  id = "hostile.method_dump",
  title = "hostile: method_dump",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return ("x"):dump()
  end,
}
