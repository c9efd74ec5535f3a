-- Tests of demo.branchy: a pass and a fail, never a region without
-- residents (so line 14 of branchy.lua never runs).
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name)
  return { code = code, level = "city", parent = "440000", name = name,
           tier = 1 }
end
return {
  {
    name = "a city above the floor passes",
    year = 2019,
    regions = { province, city("440100", "广州市") },
    facts = { ["440100"] = { ["pop.resident"] = 100,
                             ["health.public_health.spend"] = 9000 } },
    expect = { ["demo.branchy"] = {
      ["440100"] = { outcome = "pass", measured = 90, required = 60 } } },
  },
  {
    name = "a city below the floor fails",
    year = 2019,
    regions = { province, city("441400", "梅州市") },
    facts = { ["441400"] = { ["pop.resident"] = 100,
                             ["health.public_health.spend"] = 5000 } },
    expect = { ["demo.branchy"] = {
      ["441400"] = { outcome = "fail", measured = 50 } } },
  },
  {
    name = "a deliberately wrong expectation, for the JUnit report",
    year = 2019,
    regions = { province, city("441500", "汕尾市") },
    facts = { ["441500"] = { ["pop.resident"] = 100,
                             ["health.public_health.spend"] = 6700 } },
    expect = { ["demo.branchy"] = {
      ["441500"] = { outcome = "fail" } } },
  },
}
