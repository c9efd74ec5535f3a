-- Hostile rule: several bad amounts in distribute; the error names the
-- smallest code, not the first in hash order (which changes between runs).
-- expect: error: distribute: amount for 440100 must be finite and not negative
return {
  id = "hostile.distribute_error_order",
  title = "hostile: distribute error order",
  basis = "tests/hostile",
  kind = "compliance",
  level = "province",
  evaluate = function(r)
    local t = {}
    for _, c in ipairs({ "440700", "440300", "440500", "440100", "440400",
                         "440600" }) do
      t[c] = -1
    end
    return distribute(t)
  end,
}
