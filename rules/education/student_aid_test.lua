-- Tests of the three student-aid rules: amount paid per recipient (spend ÷
-- recipients) of 中职国家助学金, 中职免学费 and 普高国家助学金 against the
-- binding standard (2000 元/生·年 each).
local VG = "education.vocational_grant_per_student"
local VT = "education.vocational_tuition_per_student"
local HG = "education.highschool_grant_per_student"
local kit = require "testkit"
local case = kit.cases_of(VG, VT, HG)
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
  case {
    name = "grants paid at exactly the standard pass",
    year = 2019,
    city = "441400",
    facts = aid(13140, 13140 * 2000, 30660, 30660 * 2000,
                15330, 15330 * 2000),
    standards = standards,
    expect = {
      [VG] = { outcome = "pass", measured = 2000, required = 2000 },
      [VT] = { outcome = "pass", measured = 2000, required = 2000 },
      [HG] = { outcome = "pass", measured = 2000, required = 2000,
               unit = "元/生·年" },
    },
  },
  case {
    name = "one grant paid short fails its rule only",
    year = 2019,
    city = "445200",
    facts = aid(1000, 1900000, 1000, 2000000, 1000, 2100000),
    standards = standards,
    expect = {
      [VG] = { outcome = "fail", measured = 1900, required = 2000,
               note = "资助支出 1900000 元 ÷ 受助学生 1000 人" },
      [VT] = { outcome = "pass" },
      [HG] = { outcome = "pass", measured = 2100 },
    },
  },
  case {
    name = "a standard raised in 2020 applies in 2020",
    year = 2020,
    city = "440800",
    facts = aid(100, 200000, 100, 200000, 100, 200000),
    standards = {
      ["aid.vocational_grant"] = { national = { [2019] = 2000, [2020] = 2500 } },
      ["aid.vocational_tuition"] = { national = 2000 },
      ["aid.highschool_grant"] = { national = { [2019] = 2000, [2020] = 2500 } },
    },
    expect = {
      [VG] = { outcome = "fail", measured = 2000, required = 2500 },
      [VT] = { outcome = "pass", required = 2000 },
      [HG] = { outcome = "fail", required = 2500 },
    },
  },
  case {
    name = "missing figures are data gaps, no recipients is a skip",
    year = 2019,
    city = "440300",
    facts = {
      ["aid.vocational_grant.recipients"] = 20158,
      ["aid.vocational_tuition.recipients"] = 0,
      ["aid.vocational_tuition.spend"] = 0,
      ["aid.highschool_grant.spend"] = 1000000,
    },
    standards = standards,
    expect = {
      [VG] = { outcome = "missing" },
      [VT] = { outcome = "skip" },
      [HG] = { outcome = "missing" },
    },
  },
  case {
    name = "a year without a standard is skipped",
    year = 2019,
    city = "441400",
    facts = aid(1, 2000, 1, 2000, 1, 2000),
    standards = { ["aid.highschool_grant"] = { national = 2000 } },
    expect = {
      [VG] = { outcome = "skip" },
      [VT] = { outcome = "skip" },
      [HG] = { outcome = "pass" },
    },
  },
}
