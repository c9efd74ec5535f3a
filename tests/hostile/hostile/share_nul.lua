-- Hostile rule: a NUL in an item given to r:share.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.share_nul",
  title = "hostile: share_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(r:share("health.public_health\0x")))
  end,
}
