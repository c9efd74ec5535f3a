-- Hostile rule: io open.
-- expect: error: attempt to index a nil value (global 'io')
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
