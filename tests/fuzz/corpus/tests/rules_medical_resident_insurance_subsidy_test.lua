-- Tests of medical.resident_insurance_subsidy: fiscal subsidy per insured
-- resident (subsidy ÷ insured, 元/人·年) against the year's standard.
local RULE = "medical.resident_insurance_subsidy"
local KEY = "medical.resident_insurance"
local SUBSIDY = "medical.resident_insurance.subsidy"
local INSURED = "medical.resident_insurance.insured"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "a city above the 2019 standard passes",
    year = 2019,
    regions = { province, city("440600", "佛山市", "core", 3) },
    facts = { ["440600"] = { [INSURED] = 3263440, [SUBSIDY] = 1890000000 } },
    standards = { [KEY] = { national = 520 } },
    expect = { [RULE] = { ["440600"] = {
      outcome = "pass", measured = 1890000000 / 3263440, required = 520 } } },
  },
  {
    name = "a city below the standard fails",
    year = 2020,
    regions = { province, city("440800", "湛江市", "west", 1) },
    facts = { ["440800"] = { [INSURED] = 6133700, [SUBSIDY] = 3300000000 } },
    standards = { [KEY] = { national = 550 } },
    expect = { [RULE] = { ["440800"] = {
      outcome = "fail", measured = 3300000000 / 6133700, required = 550 } } },
  },
  {
    name = "a city exactly at the standard passes",
    year = 2018,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [INSURED] = 2604000, [SUBSIDY] = 490 * 2604000 } },
    standards = { [KEY] = { national = 490 } },
    expect = { [RULE] = { ["441600"] = {
      outcome = "pass", measured = 490, required = 490 } } },
  },
  {
    name = "a city without its subsidy figure is a data gap",
    year = 2019,
    regions = { province, city("441700", "阳江市", "west", 1) },
    facts = { ["441700"] = { [INSURED] = 2056000 } },
    standards = { [KEY] = { national = 520 } },
    expect = { [RULE] = { ["441700"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no insured residents is skipped",
    year = 2019,
    regions = { province, city("440300", "深圳市", "core", 3) },
    facts = { ["440300"] = { [INSURED] = 0, [SUBSIDY] = 0 } },
    standards = { [KEY] = { national = 520 } },
    expect = { [RULE] = { ["440300"] = { outcome = "skip" } } },
  },
  {
    name = "the standard of the year evaluated applies (490, 520, 550)",
    year = 2020,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [INSURED] = 1000,
                             [SUBSIDY] = { [2019] = 530000, [2020] = 530000 } } },
    standards = { [KEY] = { national = { [2018] = 490, [2019] = 520, [2020] = 550 } } },
    expect = { [RULE] = { ["441600"] = {
      outcome = "fail", measured = 530, required = 550 } } },
  },
  {
    name = "the same subsidy passes against the 2019 standard",
    year = 2019,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [INSURED] = 1000,
                             [SUBSIDY] = { [2019] = 530000, [2020] = 530000 } } },
    standards = { [KEY] = { national = { [2018] = 490, [2019] = 520, [2020] = 550 } } },
    expect = { [RULE] = { ["441600"] = {
      outcome = "pass", measured = 530, required = 520 } } },
  },
  {
    name = "a year without a standard is skipped",
    year = 2019,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [INSURED] = 1000, [SUBSIDY] = 530000 } },
    expect = { [RULE] = { ["441600"] = { outcome = "skip" } } },
  },
}
