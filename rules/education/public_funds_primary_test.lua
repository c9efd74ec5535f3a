-- Tests of education.public_funds_primary: 小学公用经费 per pupil against the
-- benchmark quota (元/生·年), the larger of the national and provincial one.
local RULE = "education.public_funds_primary"
local KEY = "edu.public_funds.primary"
local SPEND = "edu.public_funds.spend.primary"
local PUPILS = "edu.pupils.primary"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "a city above the national quota passes",
    year = 2019,
    regions = { province, city("440100", "广州市", "core", 3) },
    facts = { ["440100"] = { [PUPILS] = 1454060, [SPEND] = 1454060 * 1200 } },
    standards = { [KEY] = { national = 650 } },
    expect = { [RULE] = { ["440100"] = {
      outcome = "pass", measured = 1200, required = 650 } } },
  },
  {
    name = "a city below the national quota fails",
    year = 2019,
    regions = { province, city("445300", "云浮市", "north", 1) },
    facts = { ["445300"] = { [PUPILS] = 30600, [SPEND] = 18000000 } },
    standards = { [KEY] = { national = 650 } },
    expect = { [RULE] = { ["445300"] = {
      outcome = "fail", measured = 18000000 / 30600, required = 650 } } },
  },
  {
    name = "a city exactly at the quota passes",
    year = 2018,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [PUPILS] = 52440, [SPEND] = 650 * 52440 } },
    standards = { [KEY] = { national = 650 } },
    expect = { [RULE] = { ["441400"] = {
      outcome = "pass", measured = 650, required = 650 } } },
  },
  {
    name = "a provincial quota above the national one binds",
    year = 2020,
    regions = { province, city("440700", "江门市", "core", 2) },
    facts = { ["440700"] = { [PUPILS] = 10000,
                             [SPEND] = 10000 * 650 + 5000000 } },
    standards = { [KEY] = { national = 650, provincial = 650 + 600 } },
    expect = { [RULE] = { ["440700"] = {
      outcome = "fail", measured = 650 + 500, required = 650 + 600 } } },
  },
  {
    name = "a city without its pupil count is a data gap",
    year = 2019,
    regions = { province, city("440200", "韶关市", "north", 1) },
    facts = { ["440200"] = { [SPEND] = 30000000 } },
    standards = { [KEY] = { national = 650 } },
    expect = { [RULE] = { ["440200"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no pupils is skipped",
    year = 2019,
    regions = { province, city("441700", "阳江市", "west", 1) },
    facts = { ["441700"] = { [PUPILS] = 0, [SPEND] = 0 } },
    standards = { [KEY] = { national = 650 } },
    expect = { [RULE] = { ["441700"] = { outcome = "skip" } } },
  },
  {
    name = "the quota in force in the year evaluated applies",
    year = 2020,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [PUPILS] = { [2019] = 1000, [2020] = 1000 },
                             [SPEND] = { [2019] = 670 * 1000,
                                         [2020] = 670 * 1000 } } },
    standards = { [KEY] = { national = { [2019] = 650, [2020] = 700 } } },
    expect = { [RULE] = { ["441400"] = {
      outcome = "fail", measured = 670, required = 700 } } },
  },
  {
    name = "a year without a quota is skipped",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [PUPILS] = 1000, [SPEND] = 1000000 } },
    expect = { [RULE] = { ["441400"] = { outcome = "skip" } } },
  },
}
