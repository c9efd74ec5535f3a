-- Hostile rule: a counter kept in the payload bits of a file-level NaN
-- (every NaN is unequal to itself). The upvalue check compares floats bit
-- for bit.
-- level: city
-- expect: error: file-level local 'state' was assigned during evaluation
local function nan_of(n)
  return (string.unpack("<d", string.pack("<i8", 0x7FF8000000000000 | n)))
end
local function count_of(x)
  return string.unpack("<i8", string.pack("<d", x)) & 0xFFFFFFFF
end
local state = nan_of(0)
return {
  id = "hostile.upvalue_nan_payload",
  title = "hostile: NaN payload upvalue",
  basis = "tests/hostile",
  kind = "cut",
  level = "city",
  evaluate = function(r)
    local n = count_of(state)
    state = nan_of(n + 1)
    return cut(1000 * n, "evaluations before this one: " .. n)
  end,
}
