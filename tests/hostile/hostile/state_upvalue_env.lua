-- Hostile rule: evaluate replaces its _ENV, which it shares with the file.
-- level: city
-- expect: error: file-level local '_ENV' was assigned during evaluation
return {
  id = "hostile.state_upvalue_env",
  title = "hostile: state_upvalue_env",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    local p, s = pass, tostring
    _ENV = { n = 1 }
    return p(s(n))
  end,
}
