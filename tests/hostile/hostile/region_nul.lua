-- Hostile rule: a NUL in a region code given to r:region.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.region_nul",
  title = "hostile: region_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(r:region("440100\0x")))
  end,
}
