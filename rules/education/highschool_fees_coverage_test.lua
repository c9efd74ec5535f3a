-- Tests of education.highschool_fees_coverage: students exempted from
-- high-school fees ÷ students eligible, against params.min_coverage (1.0).
local RULE = "education.highschool_fees_coverage"
local ELIGIBLE = "aid.highschool_fees.eligible"
local EXEMPTED = "aid.highschool_fees.exempted"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "every eligible student exempted passes, exactly at the target",
    year = 2019,
    city = "441600",
    facts = { [ELIGIBLE] = 4665, [EXEMPTED] = 4665 },
    expect = { outcome = "pass", measured = 1, required = 1, unit = "比例" },
  },
  case {
    name = "a city leaving eligible students paying fails",
    year = 2019,
    city = "445100",
    facts = { [ELIGIBLE] = 4000, [EXEMPTED] = 3900 },
    expect = {
      outcome = "fail", measured = 0.975, required = 1,
      note = "已免学杂费 3900 人 ÷ 符合条件 4000 人" },
  },
  case {
    name = "a run may lower the target",
    year = 2019,
    city = "445100",
    facts = { [ELIGIBLE] = 4000, [EXEMPTED] = 3900 },
    params = { [RULE] = { min_coverage = 0.975 } },
    expect = { outcome = "pass", measured = 0.975, required = 0.975 },
  },
  case {
    name = "the counts of the year evaluated are used",
    year = 2018,
    city = "445100",
    facts = { [ELIGIBLE] = { [2018] = 3960, [2019] = 4000 },
              [EXEMPTED] = { [2018] = 3960, [2019] = 3900 } },
    expect = { outcome = "pass", measured = 1 },
  },
  case {
    name = "a city without its count of exempted students is a data gap",
    year = 2019,
    city = "441800",
    facts = { [ELIGIBLE] = 5835 },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no eligible students is skipped",
    year = 2019,
    city = "440300",
    facts = { [ELIGIBLE] = 0, [EXEMPTED] = 0 },
    expect = { outcome = "skip" },
  },
}
