-- Tests of civil_affairs.disability_subsidy_coverage: people receiving the
-- two disability subsidies ÷ people eligible, against
-- params.min_coverage (0.95).
local RULE = "civil_affairs.disability_subsidy_coverage"
local ELIGIBLE = "assist.disability.eligible"
local RECIPIENTS = "assist.disability.recipients"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "a city covering 98% passes",
    year = 2019,
    city = "441400",
    facts = { [ELIGIBLE] = 52560, [RECIPIENTS] = 51509 },
    expect = {
      outcome = "pass", measured = 51509 / 52560, required = 0.95,
      unit = "比例" },
  },
  case {
    name = "a city covering 90% fails",
    year = 2019,
    city = "445300",
    facts = { [ELIGIBLE] = 30600, [RECIPIENTS] = 27540 },
    expect = {
      outcome = "fail", measured = 0.9, required = 0.95,
      note = "发放 27540 人 ÷ 符合条件 30600 人" },
  },
  case {
    name = "a city exactly at 95% passes",
    year = 2019,
    city = "445300",
    facts = { [ELIGIBLE] = 30600, [RECIPIENTS] = 29070 },
    expect = { outcome = "pass", measured = 0.95, required = 0.95 },
  },
  case {
    name = "the counts of the year evaluated are used",
    year = 2020,
    city = "445300",
    facts = { [ELIGIBLE] = { [2019] = 30600, [2020] = 30720 },
              [RECIPIENTS] = { [2019] = 29070, [2020] = 27648 } },
    expect = { outcome = "fail", measured = 0.9 },
  },
  case {
    name = "a run may lower the target",
    year = 2019,
    city = "445300",
    facts = { [ELIGIBLE] = 30600, [RECIPIENTS] = 27540 },
    params = { [RULE] = { min_coverage = 0.9 } },
    expect = { outcome = "pass", required = 0.9 },
  },
  case {
    name = "a city without its recipient count is a data gap",
    year = 2019,
    city = "441500",
    facts = { [ELIGIBLE] = 36480 },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with nobody eligible is skipped",
    year = 2019,
    city = "440300",
    facts = { [ELIGIBLE] = 0, [RECIPIENTS] = 0 },
    expect = { outcome = "skip" },
  },
}
