-- Hostile rule: collectgarbage.
-- expect: error: attempt to call a nil value (global 'collectgarbage')
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
