-- Hostile rule: a NUL in a module name.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.require_nul",
  title = "hostile: require_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(require("stats\0x")))
  end,
}
