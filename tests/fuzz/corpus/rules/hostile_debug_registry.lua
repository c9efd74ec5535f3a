-- Hostile rule: debug registry.
-- expect: error: attempt to index a nil value (global 'debug')
return {
  id = "hostile.debug_registry",
  title = "hostile: debug_registry",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return debug.getregistry()
  end,
}
