-- Tests of civil_affairs.disability_subsidy_coverage: people receiving the
-- two disability subsidies ÷ people eligible, against
-- params.min_coverage (0.95).
local RULE = "civil_affairs.disability_subsidy_coverage"
local ELIGIBLE = "assist.disability.eligible"
local RECIPIENTS = "assist.disability.recipients"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "a city covering 98% passes",
    year = 2019,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = { [ELIGIBLE] = 52560, [RECIPIENTS] = 51509 } },
    expect = { [RULE] = { ["441400"] = {
      outcome = "pass", measured = 51509 / 52560, required = 0.95,
      unit = "比例" } } },
  },
  {
    name = "a city covering 90% fails",
    year = 2019,
    regions = { province, city("445300", "云浮市", "north", 1) },
    facts = { ["445300"] = { [ELIGIBLE] = 30600, [RECIPIENTS] = 27540 } },
    expect = { [RULE] = { ["445300"] = {
      outcome = "fail", measured = 0.9, required = 0.95,
      note = "发放 27540 人 ÷ 符合条件 30600 人" } } },
  },
  {
    name = "a city exactly at 95% passes",
    year = 2019,
    regions = { province, city("445300", "云浮市", "north", 1) },
    facts = { ["445300"] = { [ELIGIBLE] = 30600, [RECIPIENTS] = 29070 } },
    expect = { [RULE] = { ["445300"] = {
      outcome = "pass", measured = 0.95, required = 0.95 } } },
  },
  {
    name = "the counts of the year evaluated are used",
    year = 2020,
    regions = { province, city("445300", "云浮市", "north", 1) },
    facts = { ["445300"] = { [ELIGIBLE] = { [2019] = 30600, [2020] = 30720 },
                             [RECIPIENTS] = { [2019] = 29070, [2020] = 27648 } } },
    expect = { [RULE] = { ["445300"] = { outcome = "fail", measured = 0.9 } } },
  },
  {
    name = "a run may lower the target",
    year = 2019,
    regions = { province, city("445300", "云浮市", "north", 1) },
    facts = { ["445300"] = { [ELIGIBLE] = 30600, [RECIPIENTS] = 27540 } },
    params = { [RULE] = { min_coverage = 0.9 } },
    expect = { [RULE] = { ["445300"] = { outcome = "pass", required = 0.9 } } },
  },
  {
    name = "a city without its recipient count is a data gap",
    year = 2019,
    regions = { province, city("441500", "汕尾市", "east", 1) },
    facts = { ["441500"] = { [ELIGIBLE] = 36480 } },
    expect = { [RULE] = { ["441500"] = { outcome = "missing" } } },
  },
  {
    name = "a city with nobody eligible is skipped",
    year = 2019,
    regions = { province, city("440300", "深圳市", "core", 3) },
    facts = { ["440300"] = { [ELIGIBLE] = 0, [RECIPIENTS] = 0 } },
    expect = { [RULE] = { ["440300"] = { outcome = "skip" } } },
  },
}
