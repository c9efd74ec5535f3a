-- Tests of finance.resident_coverage: people insured in the basic medical
-- insurance (employee + resident schemes) ÷ resident population, against
-- params.min_resident (0.95), with ÷ registered population beside it.
local RULE = "finance.resident_coverage"
local EMP = "medical.employee_insurance.insured"
local RES = "medical.resident_insurance.insured"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end
local function facts(employee, resident_scheme, resident, registered)
  return { [EMP] = employee, [RES] = resident_scheme,
           ["pop.resident"] = resident, ["pop.registered"] = registered }
end

return {
  {
    name = "a city insuring 97% of its residents passes",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = facts(525600, 3723000, 4380000, 5520000) },
    expect = { [RULE] = { ["441400"] = {
      outcome = "pass", measured = 0.97, required = 0.95, unit = "比例",
      note = "参保 4248600 人（职工 525600 + 城乡居民 3723000）÷ 常住人口 4380000 = 97.00%；"
        .. "÷ 户籍人口 5520000 = 76.97%" } } },
  },
  {
    name = "a city covering its registered but not its resident population fails and says so",
    year = 2019,
    regions = { province, city("441900", "东莞市", "core", 3) },
    -- the sample's 东莞: 7871985 ÷ 8464500 = 93%, ÷ 2510000 = 313.62%.
    facts = { ["441900"] = facts(4909410, 2962575, 8464500, 2510000) },
    expect = { [RULE] = { ["441900"] = {
      outcome = "fail", measured = 0.93, required = 0.95,
      note = "÷ 户籍人口 2510000 = 313.62%；按户籍口径达标、按常住口径未达标，距目标尚差 169290 人" } } },
  },
  {
    name = "a city exactly at the target passes",
    year = 2019,
    regions = { province, city("442000", "中山市", "core", 3) },
    facts = { ["442000"] = facts(1000000, 900000, 2000000, 1850000) },
    expect = { [RULE] = { ["442000"] = {
      outcome = "pass", measured = 0.95, required = 0.95 } } },
  },
  {
    name = "below target on both bases: no registered-basis remark",
    year = 2019,
    regions = { province, city("445300", "云浮市", "north", 1) },
    facts = { ["445300"] = facts(200000, 2000000, 2550000, 3000000) },
    expect = { [RULE] = { ["445300"] = {
      outcome = "fail", measured = 2200000 / 2550000,
      note = "÷ 户籍人口 3000000 = 73.33%" } } },
  },
  {
    name = "the counts of the year evaluated are used",
    year = 2020,
    regions = { province, city("441900", "东莞市", "core", 3) },
    facts = { ["441900"] = {
      [EMP] = { [2019] = 4909410, [2020] = 5203550 },
      [RES] = { [2019] = 2962575, [2020] = 2985500 },
      ["pop.resident"] = { [2019] = 8464500, [2020] = 8530000 },
      ["pop.registered"] = { [2019] = 2510000, [2020] = 2547650 } } },
    -- 2020: (5203550 + 2985500) ÷ 8530000 = 0.96.
    expect = { [RULE] = { ["441900"] = { outcome = "pass", measured = 0.96 } } },
  },
  {
    name = "a run may raise the target",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = facts(525600, 3723000, 4380000, 5520000) },
    params = { [RULE] = { min_resident = 0.98 } },
    expect = { [RULE] = { ["441400"] = { outcome = "fail", required = 0.98 } } },
  },
  {
    name = "a city without its registered population is a data gap",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [EMP] = 525600, [RES] = 3723000,
                             ["pop.resident"] = 4380000 } },
    expect = { [RULE] = { ["441400"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no residents is skipped",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = facts(0, 0, 0, 0) },
    expect = { [RULE] = { ["441400"] = { outcome = "skip" } } },
  },
  {
    name = "with no registered population only the resident basis is given",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = facts(525600, 3723000, 4380000, 0) },
    expect = { [RULE] = { ["441400"] = { outcome = "pass", measured = 0.97 } } },
  },
}
