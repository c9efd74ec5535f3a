-- Hostile rule: a gmatch iterator made at file level keeps its position in
-- C, out of the freeze's sight: each evaluation would get the next word.
-- level: city
-- expect: error: a gmatch iterator made while the file loads cannot be used during evaluation
local words = string.gmatch(string.rep("w ", 50), "%a+")
return {
  id = "hostile.state_gmatch_iterator",
  title = "hostile: state_gmatch_iterator",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    return pass(tostring(words()))
  end,
}
