-- Hostile rule: os execute.
-- expect: error: attempt to index a nil value (global 'os')
return {
  id = "hostile.os_execute",
  title = "hostile: os_execute",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    os.execute("touch /tmp/equirule-pwned") return pass()
  end,
}
