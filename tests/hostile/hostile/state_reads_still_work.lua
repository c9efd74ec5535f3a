-- Hostile rule (control): frozen file-level tables read as before: fields,
-- #, ipairs, pairs, next, rawget, rawlen, table.concat, table.unpack,
-- getmetatable, a class with methods, a distribute of a file-level table.
-- level: city
-- expect: pass: sum=65 len=3 raw=3,10,3 concat=10,20,30 unpack=20 n=4 area=12 cls=true
local T = { 10, 20, 30, x = 5 }
local Rect = {}
Rect.__index = Rect
function Rect.new(w, h) return setmetatable({ w = w, h = h }, Rect) end
function Rect:area() return self.w * self.h end
local square = Rect.new(3, 4)
return {
  id = "hostile.state_reads_still_work",
  title = "hostile: state_reads_still_work",
  basis = "tests/hostile",
  kind = "compliance",
  level = "city",
  evaluate = function(r)
    local sum, n = 0, 0
    for _, v in pairs(T) do sum = sum + v; n = n + 1 end
    for _, v in ipairs(T) do assert(v > 0) end
    assert(next(T) ~= nil)
    local _, second = table.unpack(T)
    local o = Rect.new(2, 2)
    return pass(string.format(
      "sum=%d len=%d raw=%d,%d,%d concat=%s unpack=%d n=%d area=%d cls=%s",
      sum, #T, rawlen(T), rawget(T, 1), #T, table.concat(T, ","), second, n,
      square:area(), tostring(getmetatable(o) == Rect and o:area() == 4)))
  end,
}
