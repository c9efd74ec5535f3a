-- Hostile rule: string.format's %p (an address), through the string
-- metatable.
-- expect: error: string.format: %p is not allowed in rules
return {
  id = "hostile.address_format_p",
  title = "hostile: address_format_p",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return pass(("%5p"):format({}))
  end,
}
