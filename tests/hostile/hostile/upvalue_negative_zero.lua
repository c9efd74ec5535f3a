-- Hostile rule: a file-level 0.0 flipped to -0.0 during evaluation; the two
-- compare equal, but the sign steers money. The upvalue check compares
-- floats bit for bit.
-- level: city
-- expect: error: file-level local 'z' was assigned during evaluation
local z = 0.0
return {
  id = "hostile.upvalue_negative_zero",
  title = "hostile: -0.0 upvalue",
  basis = "tests/hostile",
  kind = "cut",
  level = "city",
  evaluate = function(r)
    local a = (1 / z > 0) and 100 or 0
    z = -z
    return cut(a)
  end,
}
