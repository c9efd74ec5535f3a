-- Tests of health.family_planning_award: the award per beneficiary and
-- month (spend ÷ beneficiaries ÷ 12) against the binding standard
-- (national 80 元/人·月).
local RULE = "health.family_planning_award"
local KEY = "health.family_planning"
local BEN = "health.family_planning.beneficiaries"
local SPEND = "health.family_planning.spend"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "a city paying above the standard passes",
    year = 2019,
    regions = { province, city("440100", "广州市", "core", 3) },
    facts = { ["440100"] = { [BEN] = 22959, [SPEND] = 22959 * 100 * 12 } },
    standards = { [KEY] = { national = 80 } },
    expect = { [RULE] = { ["440100"] = {
      outcome = "pass", measured = 100, required = 80, unit = "元/人·月" } } },
  },
  {
    name = "a city still paying 70 fails (the sample's 茂名)",
    year = 2019,
    regions = { province, city("440900", "茂名市", "west", 1) },
    facts = { ["440900"] = { [BEN] = 25640, [SPEND] = 21537600 } },
    standards = { [KEY] = { national = 80 } },
    expect = { [RULE] = { ["440900"] = {
      outcome = "fail", measured = 70, required = 80,
      note = "奖励扶助金 21537600 元 ÷ 扶助对象 25640 人 ÷ 12 个月" } } },
  },
  {
    name = "a city paying exactly the standard passes",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [BEN] = 17520, [SPEND] = 17520 * 80 * 12 } },
    standards = { [KEY] = { national = 80 } },
    expect = { [RULE] = { ["441400"] = {
      outcome = "pass", measured = 80, required = 80 } } },
  },
  {
    name = "a standard raised in 2020 applies in 2020",
    year = 2020,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [BEN] = 1000, [SPEND] = 1000 * 85 * 12 } },
    standards = { [KEY] = { national = { [2019] = 80, [2020] = 90 } } },
    expect = { [RULE] = { ["441400"] = {
      outcome = "fail", measured = 85, required = 90 } } },
  },
  {
    name = "a provincial standard above the national one binds",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [BEN] = 1000, [SPEND] = 1000 * 85 * 12 } },
    standards = { [KEY] = { national = 80, provincial = 100 } },
    expect = { [RULE] = { ["441400"] = {
      outcome = "fail", measured = 85, required = 100 } } },
  },
  {
    name = "a city without its beneficiary count is a data gap",
    year = 2019,
    regions = { province, city("441500", "汕尾市", "east", 1) },
    facts = { ["441500"] = { [SPEND] = 11673600 } },
    standards = { [KEY] = { national = 80 } },
    expect = { [RULE] = { ["441500"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no beneficiaries is skipped",
    year = 2019,
    regions = { province, city("440300", "深圳市", "core", 3) },
    facts = { ["440300"] = { [BEN] = 0, [SPEND] = 0 } },
    standards = { [KEY] = { national = 80 } },
    expect = { [RULE] = { ["440300"] = { outcome = "skip" } } },
  },
  {
    name = "a year without a standard is skipped",
    year = 2019,
    regions = { province, city("440300", "深圳市", "core", 3) },
    facts = { ["440300"] = { [BEN] = 10, [SPEND] = 9600 } },
    expect = { [RULE] = { ["440300"] = { outcome = "skip" } } },
  },
}
