-- Hostile rule: a file-level local counted by a helper function the rule
-- calls, not by evaluate itself; then set back to a number that compares
-- equal but is a float.
-- level: city
-- expect: error: file-level local 'seen' was assigned during evaluation
local seen = 0
local function bump() seen = seen + 1; seen = seen - 1.0 end
return {
  id = "hostile.state_upvalue_helper",
  title = "hostile: state_upvalue_helper",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    bump()
    return pass(tostring(seen))
  end,
}
