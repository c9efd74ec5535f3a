-- Tests of education.nutrition_per_student: the nutrition subsidy per
-- pupil covered (spend ÷ beneficiaries) against the binding standard
-- (national 800 元/生·年).
local RULE = "education.nutrition_per_student"
local KEY = "edu.nutrition"
local BEN = "edu.nutrition.beneficiaries"
local SPEND = "edu.nutrition.spend"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "a city paying the standard passes, exactly at it",
    year = 2019,
    city = "440900",
    facts = { [BEN] = 179480, [SPEND] = 179480 * 800 },
    standards = { [KEY] = { national = 800 } },
    expect = {
      outcome = "pass", measured = 800, required = 800, unit = "元/生·年" },
  },
  case {
    name = "a city still paying 3 元 a day fails (the sample's 湛江 in 2018)",
    year = 2018,
    city = "440800",
    facts = { [BEN] = 249220, [SPEND] = 149532000 },
    standards = { [KEY] = { national = 800 } },
    expect = {
      outcome = "fail", measured = 600, required = 800,
      note = "营养膳食补助 149532000 元 ÷ 受助学生 249220 人" },
  },
  case {
    name = "a raised standard applies from its year",
    year = 2020,
    city = "441600",
    facts = { [BEN] = 1000, [SPEND] = { [2019] = 800000,
                                       [2020] = 850000 } },
    standards = { [KEY] = { national = { [2019] = 800, [2020] = 1000 } } },
    expect = { outcome = "fail", measured = 850, required = 1000 },
  },
  case {
    name = "a city without its spending figure is a data gap",
    year = 2019,
    city = "445100",
    facts = { [BEN] = 9000 },
    standards = { [KEY] = { national = 800 } },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no pupils in the covered areas is skipped",
    year = 2019,
    city = "440100",
    facts = { [BEN] = 0, [SPEND] = 0 },
    standards = { [KEY] = { national = 800 } },
    expect = { outcome = "skip" },
  },
  case {
    name = "a year without a standard is skipped",
    year = 2019,
    city = "440900",
    facts = { [BEN] = 100, [SPEND] = 80000 },
    expect = { outcome = "skip" },
  },
  case {
    name = "a county is evaluated too: one paying 3 元/天 fails while its city passes",
    year = 2019,
    regions = kit.regions("441600", "441623", "441602"),
    -- 连平县 1000 pupils at 600, 源城区 4000 at 850; 河源市's row is their
    -- sum: (600000 + 3400000) ÷ 5000 = 800, exactly the standard.
    facts = {
      ["441600"] = { [BEN] = 5000, [SPEND] = 4000000 },
      ["441623"] = { [BEN] = 1000, [SPEND] = 600000 },
      ["441602"] = { [BEN] = 4000, [SPEND] = 3400000 },
    },
    standards = { [KEY] = { national = 800 } },
    expect = {
      ["441600"] = { outcome = "pass", measured = 800, required = 800 },
      ["441623"] = { outcome = "fail", measured = 600, required = 800 },
      ["441602"] = { outcome = "pass", measured = 850, required = 800 },
    },
  },
}
