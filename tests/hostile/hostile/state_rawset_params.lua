-- Hostile rule: rawset on params, which the run records as {"limit":1}.
-- level: city
-- expect: error: params are read-only
return {
  id = "hostile.state_rawset_params",
  title = "hostile: state_rawset_params",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  params = { limit = 1 },
  evaluate = function(r)
    rawset(params, "limit", params.limit + 1)
    return pass(tostring(params.limit))
  end,
}
