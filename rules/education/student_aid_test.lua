-- Tests of the three student-aid rules: amount paid per recipient (spend ÷
-- recipients) of 中职国家助学金, 中职免学费 and 普高国家助学金 against the
-- binding standard (2000 元/生·年 each).
local VG = "education.vocational_grant_per_student"
local VT = "education.vocational_tuition_per_student"
local HG = "education.highschool_grant_per_student"
local kit = require "testkit"
local standards = {
  ["aid.vocational_grant"] = { national = 2000 },
  ["aid.vocational_tuition"] = { national = 2000 },
  ["aid.highschool_grant"] = { national = 2000 },
}
local function aid(vg, vg_paid, vt, vt_paid, hg, hg_paid)
  return {
    ["aid.vocational_grant.recipients"] = vg,
    ["aid.vocational_grant.spend"] = vg_paid,
    ["aid.vocational_tuition.recipients"] = vt,
    ["aid.vocational_tuition.spend"] = vt_paid,
    ["aid.highschool_grant.recipients"] = hg,
    ["aid.highschool_grant.spend"] = hg_paid,
  }
end

return {
  {
    name = "grants paid at exactly the standard pass",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = aid(13140, 13140 * 2000, 30660, 30660 * 2000,
                               15330, 15330 * 2000) },
    standards = standards,
    expect = {
      [VG] = { ["441400"] = { outcome = "pass", measured = 2000, required = 2000 } },
      [VT] = { ["441400"] = { outcome = "pass", measured = 2000, required = 2000 } },
      [HG] = { ["441400"] = { outcome = "pass", measured = 2000, required = 2000,
                              unit = "元/生·年" } },
    },
  },
  {
    name = "one grant paid short fails its rule only",
    year = 2019,
    regions = kit.regions("445200"),
    facts = { ["445200"] = aid(1000, 1900000, 1000, 2000000, 1000, 2100000) },
    standards = standards,
    expect = {
      [VG] = { ["445200"] = { outcome = "fail", measured = 1900, required = 2000,
                              note = "资助支出 1900000 元 ÷ 受助学生 1000 人" } },
      [VT] = { ["445200"] = { outcome = "pass" } },
      [HG] = { ["445200"] = { outcome = "pass", measured = 2100 } },
    },
  },
  {
    name = "a standard raised in 2020 applies in 2020",
    year = 2020,
    regions = kit.regions("440800"),
    facts = { ["440800"] = aid(100, 200000, 100, 200000, 100, 200000) },
    standards = {
      ["aid.vocational_grant"] = { national = { [2019] = 2000, [2020] = 2500 } },
      ["aid.vocational_tuition"] = { national = 2000 },
      ["aid.highschool_grant"] = { national = { [2019] = 2000, [2020] = 2500 } },
    },
    expect = {
      [VG] = { ["440800"] = { outcome = "fail", measured = 2000, required = 2500 } },
      [VT] = { ["440800"] = { outcome = "pass", required = 2000 } },
      [HG] = { ["440800"] = { outcome = "fail", required = 2500 } },
    },
  },
  {
    name = "missing figures are data gaps, no recipients is a skip",
    year = 2019,
    regions = kit.regions("440300"),
    facts = { ["440300"] = {
      ["aid.vocational_grant.recipients"] = 20158,
      ["aid.vocational_tuition.recipients"] = 0,
      ["aid.vocational_tuition.spend"] = 0,
      ["aid.highschool_grant.spend"] = 1000000,
    } },
    standards = standards,
    expect = { [VG] = { ["440300"] = { outcome = "missing" } },
      [VT] = { ["440300"] = { outcome = "skip" } },
      [HG] = { ["440300"] = { outcome = "missing" } },
    },
  },
  {
    name = "a year without a standard is skipped",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = aid(1, 2000, 1, 2000, 1, 2000) },
    standards = { ["aid.highschool_grant"] = { national = 2000 } },
    expect = { [VG] = { ["441400"] = { outcome = "skip" } },
      [VT] = { ["441400"] = { outcome = "skip" } },
      [HG] = { ["441400"] = { outcome = "pass" } },
    },
  },
}
