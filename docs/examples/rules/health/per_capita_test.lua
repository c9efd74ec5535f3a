-- Tests of health.per_capita_example (docs/rule-authoring.md).
local RULE = "health.per_capita_example"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name)
  return { code = code, level = "city", parent = "440000", name = name,
           tier = 1 }
end

---@type equirule.TestCase[]
return {
  {
    name = "below the standard by more than 5% fails",
    year = 2019,
    regions = { province, city("441400", "梅州市") },
    facts = { ["441400"] = { ["pop.resident"] = 4380000,
                             ["health.public_health.spend"] = 2.8e8 } },
    standards = { ["health.public_health"] = { national = 69 } },
    expect = { [RULE] = { ["441400"] = {
      outcome = "fail", measured = 63.93, required = 69 } } },
  },
  {
    name = "within 5% below the standard warns",
    year = 2019,
    regions = { province, city("441500", "汕尾市") },
    facts = { ["441500"] = { ["pop.resident"] = 3040000,
                             ["health.public_health.spend"] = 67 * 3040000 } },
    standards = { ["health.public_health"] = { national = 69 } },
    expect = { [RULE] = { ["441500"] = { outcome = "warn", measured = 67 } } },
  },
  {
    name = "a provincial standard above the national one binds",
    year = 2019,
    regions = { province, city("440100", "广州市") },
    facts = { ["440100"] = { ["pop.resident"] = 1000000,
                             ["health.public_health.spend"] = 7.2e7 } },
    standards = { ["health.public_health"] = { national = 69,
                                               provincial = 80 } },
    expect = { [RULE] = { ["440100"] = {
      outcome = "fail", measured = 72, required = 80 } } },
  },
  {
    name = "no standard in force: skipped",
    year = 2019,
    regions = { province, city("440100", "广州市") },
    facts = { ["440100"] = { ["pop.resident"] = 1000000,
                             ["health.public_health.spend"] = 7.2e7 } },
    expect = { [RULE] = { ["440100"] = { outcome = "skip" } } },
  },
  {
    name = "no residents: skipped",
    year = 2019,
    regions = { province, city("440100", "广州市") },
    facts = { ["440100"] = { ["pop.resident"] = 0,
                             ["health.public_health.spend"] = 0 } },
    standards = { ["health.public_health"] = { national = 69 } },
    expect = { [RULE] = { ["440100"] = { outcome = "skip" } } },
  },
  {
    name = "a missing spending figure is a data gap",
    year = 2019,
    regions = { province, city("440100", "广州市") },
    facts = { ["440100"] = { ["pop.resident"] = 1000000 } },
    standards = { ["health.public_health"] = { national = 69 } },
    expect = { [RULE] = { ["440100"] = { outcome = "missing" } } },
  },
}
