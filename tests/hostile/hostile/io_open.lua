-- Hostile rule: io open.
-- expect: error: unknown global 'io' (the sandbox leaves it out: rules cannot use it)
return {
  id = "hostile.io_open",
  title = "hostile: io_open",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    return io.open("/etc/passwd")
  end,
}
