-- Hostile rule: a file-level local (not a table) counts evaluations.
-- level: city
-- expect: error: file-level local 'count' was assigned during evaluation
local count = 0
return {
  id = "hostile.state_upvalue",
  title = "hostile: state_upvalue",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    count = count + 1
    return pass(tostring(count))
  end,
}
