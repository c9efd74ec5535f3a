-- Hostile rule: rawset env.
-- expect: error: rawset on the rule environment is not allowed
return {
  id = "hostile.rawset_env",
  title = "hostile: rawset_env",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    rawset(_G, "at_least", function() return pass() end) return pass()
  end,
}
