-- Tests of education.highschool_fees_coverage: students exempted from
-- high-school fees ÷ students eligible, against params.min_coverage (1.0).
local RULE = "education.highschool_fees_coverage"
local ELIGIBLE = "aid.highschool_fees.eligible"
local EXEMPTED = "aid.highschool_fees.exempted"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "every eligible student exempted passes, exactly at the target",
    year = 2019,
    regions = { province, city("441600", "河源市", "north", 1) },
    facts = { ["441600"] = { [ELIGIBLE] = 4665, [EXEMPTED] = 4665 } },
    expect = { [RULE] = { ["441600"] = {
      outcome = "pass", measured = 1, required = 1, unit = "比例" } } },
  },
  {
    name = "a city leaving eligible students paying fails",
    year = 2019,
    regions = { province, city("445100", "潮州市", "east", 1) },
    facts = { ["445100"] = { [ELIGIBLE] = 4000, [EXEMPTED] = 3900 } },
    expect = { [RULE] = { ["445100"] = {
      outcome = "fail", measured = 0.975, required = 1,
      note = "已免学杂费 3900 人 ÷ 符合条件 4000 人" } } },
  },
  {
    name = "a run may lower the target",
    year = 2019,
    regions = { province, city("445100", "潮州市", "east", 1) },
    facts = { ["445100"] = { [ELIGIBLE] = 4000, [EXEMPTED] = 3900 } },
    params = { [RULE] = { min_coverage = 0.975 } },
    expect = { [RULE] = { ["445100"] = {
      outcome = "pass", measured = 0.975, required = 0.975 } } },
  },
  {
    name = "the counts of the year evaluated are used",
    year = 2018,
    regions = { province, city("445100", "潮州市", "east", 1) },
    facts = { ["445100"] = { [ELIGIBLE] = { [2018] = 3960, [2019] = 4000 },
                             [EXEMPTED] = { [2018] = 3960, [2019] = 3900 } } },
    expect = { [RULE] = { ["445100"] = { outcome = "pass", measured = 1 } } },
  },
  {
    name = "a city without its count of exempted students is a data gap",
    year = 2019,
    regions = { province, city("441800", "清远市", "north", 1) },
    facts = { ["441800"] = { [ELIGIBLE] = 5835 } },
    expect = { [RULE] = { ["441800"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no eligible students is skipped",
    year = 2019,
    regions = { province, city("440300", "深圳市", "core", 3) },
    facts = { ["440300"] = { [ELIGIBLE] = 0, [EXEMPTED] = 0 } },
    expect = { [RULE] = { ["440300"] = { outcome = "skip" } } },
  },
}
