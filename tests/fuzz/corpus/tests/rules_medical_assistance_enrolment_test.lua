-- Tests of medical.assistance_enrolment: people whose insurance enrolment
-- is paid by medical assistance ÷ people eligible for it, against
-- params.min_coverage (0.99).
local RULE = "medical.assistance_enrolment"
local ELIGIBLE = "medical.assistance.eligible"
local ENROLLED = "medical.assistance.enrolled"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "a city enrolling every eligible person passes",
    year = 2019,
    regions = { province, city("440100", "广州市", "core", 3) },
    facts = { ["440100"] = { [ELIGIBLE] = 76530, [ENROLLED] = 76530 } },
    expect = { [RULE] = { ["440100"] = {
      outcome = "pass", measured = 1, required = 0.99, unit = "比例" } } },
  },
  {
    name = "a city enrolling 98% fails",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [ELIGIBLE] = 122640, [ENROLLED] = 120187 } },
    expect = { [RULE] = { ["441400"] = {
      outcome = "fail", measured = 0.98, required = 0.99,
      note = "资助参保 120187 人 ÷ 应资助对象 122640 人" } } },
  },
  {
    name = "a city exactly at 99% passes",
    year = 2019,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [ELIGIBLE] = 10000, [ENROLLED] = 9900 } },
    expect = { [RULE] = { ["441600"] = {
      outcome = "pass", measured = 0.99, required = 0.99 } } },
  },
  {
    name = "a run may raise the target",
    year = 2019,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [ELIGIBLE] = 10000, [ENROLLED] = 9900 } },
    params = { [RULE] = { min_coverage = 1 } },
    expect = { [RULE] = { ["441600"] = { outcome = "fail", required = 1 } } },
  },
  {
    name = "the counts of the year evaluated are used",
    year = 2018,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [ELIGIBLE] = { [2018] = 10000, [2019] = 10000 },
                             [ENROLLED] = { [2018] = 9800, [2019] = 9900 } } },
    expect = { [RULE] = { ["441600"] = { outcome = "fail", measured = 0.98 } } },
  },
  {
    name = "a city without its enrolment count is a data gap",
    year = 2019,
    regions = { province, city("441500", "汕尾市", "east", 1) },
    facts = { ["441500"] = { [ELIGIBLE] = 76000 } },
    expect = { [RULE] = { ["441500"] = { outcome = "missing" } } },
  },
  {
    name = "a city with nobody eligible is skipped",
    year = 2019,
    regions = { province, city("440300", "深圳市", "core", 3) },
    facts = { ["440300"] = { [ELIGIBLE] = 0, [ENROLLED] = 0 } },
    expect = { [RULE] = { ["440300"] = { outcome = "skip" } } },
  },
}
