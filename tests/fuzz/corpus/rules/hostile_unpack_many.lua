-- Hostile rule: unpack many.
-- expect: error: too many results to unpack
return {
  id = "hostile.unpack_many",
  title = "hostile: unpack_many",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(select("#", table.unpack({}, 1, 1e8)), 0)
  end,
}
