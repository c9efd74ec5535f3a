-- Hostile rule: a NUL after a level name given to r:children.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.children_nul",
  title = "hostile: children_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(#r:children("city\0x")))
  end,
}
