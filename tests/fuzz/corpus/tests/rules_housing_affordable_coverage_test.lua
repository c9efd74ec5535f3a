-- Tests of housing.affordable_coverage: covered ÷ eligible households
-- against params.min_coverage (0.95 unless a run overrides it).
local RULE = "housing.affordable_coverage"
local COVERED = "housing.affordable.covered"
local ELIGIBLE = "housing.affordable.eligible"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "a city covering 98% passes",
    year = 2019,
    regions = { province, city("440200", "韶关市", "north", 1) },
    facts = { ["440200"] = { [ELIGIBLE] = 9696, [COVERED] = 9502 } },
    expect = { [RULE] = { ["440200"] = {
      outcome = "pass", measured = 9502 / 9696, required = 0.95 } } },
  },
  {
    name = "a city covering 93% fails",
    year = 2018,
    regions = { province, city("440800", "湛江市", "west", 1) },
    facts = { ["440800"] = { [ELIGIBLE] = 27854, [COVERED] = 25904 } },
    expect = { [RULE] = { ["440800"] = {
      outcome = "fail", measured = 0.929992, required = 0.95 } } },
  },
  {
    name = "a city covering exactly 95% passes",
    year = 2019,
    regions = { province, city("441500", "汕尾市", "east", 1) },
    facts = { ["441500"] = { [ELIGIBLE] = 10640, [COVERED] = 10108 } },
    expect = { [RULE] = { ["441500"] = {
      outcome = "pass", measured = 0.95, required = 0.95 } } },
  },
  {
    name = "a run may raise the target",
    year = 2019,
    regions = { province, city("440200", "韶关市", "north", 1) },
    facts = { ["440200"] = { [ELIGIBLE] = 9696, [COVERED] = 9502 } },
    params = { [RULE] = { min_coverage = 1.0 } },
    expect = { [RULE] = { ["440200"] = {
      outcome = "fail", measured = 9502 / 9696, required = 1.0 } } },
  },
  {
    name = "a city without its covered count is a data gap",
    year = 2019,
    regions = { province, city("441800", "清远市", "north", 1) },
    facts = { ["441800"] = { [ELIGIBLE] = 12837 } },
    expect = { [RULE] = { ["441800"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no eligible households is skipped",
    year = 2019,
    regions = { province, city("440300", "深圳市", "core", 3) },
    facts = { ["440300"] = { [ELIGIBLE] = 0, [COVERED] = 0 } },
    expect = { [RULE] = { ["440300"] = { outcome = "skip" } } },
  },
  {
    name = "the counts of the year evaluated are used (the sample's 湛江, 2019)",
    year = 2019,
    regions = { province, city("440800", "湛江市", "west", 1) },
    facts = { ["440800"] = { [ELIGIBLE] = { [2018] = 27854, [2019] = 27968 },
                             [COVERED] = { [2018] = 25904, [2019] = 26849 } } },
    expect = { [RULE] = { ["440800"] = {
      outcome = "pass", measured = 26849 / 27968, required = 0.95 } } },
  },
}
