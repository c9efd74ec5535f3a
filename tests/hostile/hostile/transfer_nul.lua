-- Hostile rule: a NUL in an item given to r:transfer.
-- expect: error: the string contains a NUL byte
return {
  id = "hostile.transfer_nul",
  title = "hostile: transfer_nul",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(tostring(r:transfer("health.public_health\0x")))
  end,
}
