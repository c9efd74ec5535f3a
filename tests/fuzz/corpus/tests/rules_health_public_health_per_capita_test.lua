-- Tests of health.public_health_per_capita. The standard (元/人) is the
-- larger of the national and provincial ones; measured = spend ÷ residents.
local RULE = "health.public_health_per_capita"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end
-- One city's figures (spend nil: not reported).
local function facts(code, residents, spend)
  return { [code] = { ["pop.resident"] = residents,
                      ["health.public_health.spend"] = spend } }
end
local national_69 = { ["health.public_health"] = { national = 69 } }
-- 汕尾 spends 60 per resident in 2018 and 2019; the standard rose from 55
-- to 69.
local shanwei_two_years = facts("441500",
  { [2018] = 3020000, [2019] = 3040000 },
  { [2018] = 60 * 3020000, [2019] = 60 * 3040000 })
local rose_in_2019 = { ["health.public_health"] = {
  national = { [2018] = 55, [2019] = 69 } } }

return {
  {
    name = "a city above the 2019 standard passes",
    year = 2019,
    regions = { province, city("440100", "广州市", "core", 3) },
    facts = facts("440100", 15305900, 1300000000),
    standards = national_69,
    expect = { [RULE] = {
      ["440100"] = { outcome = "pass", measured = 1300000000 / 15305900,
                     required = 69 } } },
  },
  {
    name = "a city below the national standard fails",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = facts("441400", 4380000, 2.8e8),
    standards = national_69,
    expect = { [RULE] = {
      ["441400"] = { outcome = "fail", measured = 63.926941,
                     required = 69 } } },
  },
  {
    name = "a city exactly at the standard passes",
    year = 2019,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = facts("441600", 3110000, 69 * 3110000),
    standards = national_69,
    expect = { [RULE] = {
      ["441600"] = { outcome = "pass", measured = 69, required = 69 } } },
  },
  {
    name = "a provincial standard above the national one binds",
    year = 2019,
    regions = { province, city("440700", "江门市", "core", 2) },
    facts = facts("440700", 1000000, 72000000),
    standards = { ["health.public_health"] = { national = 69,
                                               provincial = 75 } },
    expect = { [RULE] = {
      ["440700"] = { outcome = "fail", measured = 72, required = 75 } } },
  },
  {
    name = "a city without its spending figure is a data gap",
    year = 2019,
    regions = { province, city("441500", "汕尾市", "east", 1) },
    facts = facts("441500", 3040000),
    standards = national_69,
    expect = { [RULE] = {
      ["441500"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no resident population is skipped",
    year = 2019,
    regions = { province, city("441700", "阳江市", "west", 1) },
    facts = facts("441700", 0, 0),
    standards = national_69,
    expect = { [RULE] = {
      ["441700"] = { outcome = "skip" } } },
  },
  {
    name = "a year without any standard is skipped",
    year = 2019,
    regions = { province, city("440100", "广州市", "core", 3) },
    facts = facts("440100", 15305900, 1300000000),
    expect = { [RULE] = {
      ["440100"] = { outcome = "skip" } } },
  },
  {
    name = "the standard rose from 55 (2018) to 69 (2019): 60 per resident passes in 2018",
    year = 2018,
    regions = { province, city("441500", "汕尾市", "east", 1) },
    facts = shanwei_two_years,
    standards = rose_in_2019,
    expect = { [RULE] = {
      ["441500"] = { outcome = "pass", measured = 60, required = 55 } } },
  },
  {
    name = "the standard rose from 55 (2018) to 69 (2019): 60 per resident fails in 2019",
    year = 2019,
    regions = { province, city("441500", "汕尾市", "east", 1) },
    facts = shanwei_two_years,
    standards = rose_in_2019,
    expect = { [RULE] = {
      ["441500"] = { outcome = "fail", measured = 60, required = 69 } } },
  },
}
