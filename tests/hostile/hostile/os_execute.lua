-- Hostile rule: os execute.
-- expect: error: unknown global 'os' (the sandbox leaves it out: rules cannot use it)
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
