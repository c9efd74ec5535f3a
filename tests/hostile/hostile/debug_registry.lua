-- Hostile rule: debug registry.
-- expect: error: unknown global 'debug' (the sandbox leaves it out: rules cannot use it)
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
