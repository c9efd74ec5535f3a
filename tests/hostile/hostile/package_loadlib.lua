-- Hostile rule: package loadlib.
-- expect: error: unknown global 'package' (the sandbox leaves it out: rules cannot use it)
return {
  id = "hostile.package_loadlib",
  title = "hostile: package_loadlib",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return package.loadlib("libc.so.6", "system")
  end,
}
