-- Hostile rule: a NUL in opts.unit.
-- expect: error: at_least: the unit contains a NUL byte
return {
  id = "hostile.unit_nul",
  title = "hostile: unit_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return at_least(2, 1, { unit = "元\0/人" })
  end,
}
