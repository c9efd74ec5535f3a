-- Hostile rule: a helper module first required inside evaluate is that
-- evaluation's own, so a field set on it never reaches the next one.
-- level: city
-- expect: pass: [calls=1]
return {
  id = "hostile.state_module_required_late",
  title = "hostile: state_module_required_late",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    local money = require "money"
    money.calls = (money.calls or 0) + 1
    return pass("[calls=" .. money.calls .. "]")
  end,
}
