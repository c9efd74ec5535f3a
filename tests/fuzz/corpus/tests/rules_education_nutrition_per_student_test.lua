-- Tests of education.nutrition_per_student: the nutrition subsidy per
-- pupil covered (spend ÷ beneficiaries) against the binding standard
-- (national 800 元/生·年).
local RULE = "education.nutrition_per_student"
local KEY = "edu.nutrition"
local BEN = "edu.nutrition.beneficiaries"
local SPEND = "edu.nutrition.spend"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "a city paying the standard passes, exactly at it",
    year = 2019,
    regions = { province, city("440900", "茂名市", "west", 1) },
    facts = { ["440900"] = { [BEN] = 179480, [SPEND] = 179480 * 800 } },
    standards = { [KEY] = { national = 800 } },
    expect = { [RULE] = { ["440900"] = {
      outcome = "pass", measured = 800, required = 800, unit = "元/生·年" } } },
  },
  {
    name = "a city still paying 3 元 a day fails (the sample's 湛江 in 2018)",
    year = 2018,
    regions = { province, city("440800", "湛江市", "west", 1) },
    facts = { ["440800"] = { [BEN] = 249220, [SPEND] = 149532000 } },
    standards = { [KEY] = { national = 800 } },
    expect = { [RULE] = { ["440800"] = {
      outcome = "fail", measured = 600, required = 800,
      note = "营养膳食补助 149532000 元 ÷ 受助学生 249220 人" } } },
  },
  {
    name = "a raised standard applies from its year",
    year = 2020,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [BEN] = 1000, [SPEND] = { [2019] = 800000,
                                                      [2020] = 850000 } } },
    standards = { [KEY] = { national = { [2019] = 800, [2020] = 1000 } } },
    expect = { [RULE] = { ["441600"] = {
      outcome = "fail", measured = 850, required = 1000 } } },
  },
  {
    name = "a city without its spending figure is a data gap",
    year = 2019,
    regions = { province, city("445100", "潮州市", "east", 1) },
    facts = { ["445100"] = { [BEN] = 9000 } },
    standards = { [KEY] = { national = 800 } },
    expect = { [RULE] = { ["445100"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no pupils in the covered areas is skipped",
    year = 2019,
    regions = { province, city("440100", "广州市", "core", 3) },
    facts = { ["440100"] = { [BEN] = 0, [SPEND] = 0 } },
    standards = { [KEY] = { national = 800 } },
    expect = { [RULE] = { ["440100"] = { outcome = "skip" } } },
  },
  {
    name = "a year without a standard is skipped",
    year = 2019,
    regions = { province, city("440900", "茂名市", "west", 1) },
    facts = { ["440900"] = { [BEN] = 100, [SPEND] = 80000 } },
    expect = { [RULE] = { ["440900"] = { outcome = "skip" } } },
  },
}
