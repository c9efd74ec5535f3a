-- Hostile rule: the same through the string metatable (s:gmatch), which
-- reaches the real string library rather than the file's copy.
-- level: city
-- expect: error: a gmatch iterator made while the file loads cannot be used during evaluation
local words = (string.rep("w ", 50)):gmatch("%a+")
return {
  id = "hostile.state_gmatch_iterator_method",
  title = "hostile: state_gmatch_iterator_method",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    return pass(tostring(words()))
  end,
}
