-- Hostile rule: collectgarbage.
-- expect: error: unknown global 'collectgarbage' (the sandbox leaves it out: rules cannot use it)
return {
  id = "hostile.collectgarbage",
  title = "hostile: collectgarbage",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    collectgarbage("stop") return pass()
  end,
}
