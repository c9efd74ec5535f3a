-- Tests of housing.affordable_coverage: covered ÷ eligible households
-- against params.min_coverage (0.95 unless a run overrides it).
local RULE = "housing.affordable_coverage"
local COVERED = "housing.affordable.covered"
local ELIGIBLE = "housing.affordable.eligible"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "a city covering 98% passes",
    year = 2019,
    city = "440200",
    facts = { [ELIGIBLE] = 9696, [COVERED] = 9502 },
    expect = { outcome = "pass", measured = 9502 / 9696, required = 0.95 },
  },
  case {
    name = "a city covering 93% fails",
    year = 2018,
    city = "440800",
    facts = { [ELIGIBLE] = 27854, [COVERED] = 25904 },
    expect = { outcome = "fail", measured = 0.929992, required = 0.95 },
  },
  case {
    name = "a city covering exactly 95% passes",
    year = 2019,
    city = "441500",
    facts = { [ELIGIBLE] = 10640, [COVERED] = 10108 },
    expect = { outcome = "pass", measured = 0.95, required = 0.95 },
  },
  case {
    name = "a run may raise the target",
    year = 2019,
    city = "440200",
    facts = { [ELIGIBLE] = 9696, [COVERED] = 9502 },
    params = { [RULE] = { min_coverage = 1.0 } },
    expect = { outcome = "fail", measured = 9502 / 9696, required = 1.0 },
  },
  case {
    name = "a city without its covered count is a data gap",
    year = 2019,
    city = "441800",
    facts = { [ELIGIBLE] = 12837 },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no eligible households is skipped",
    year = 2019,
    city = "440300",
    facts = { [ELIGIBLE] = 0, [COVERED] = 0 },
    expect = { outcome = "skip" },
  },
  case {
    name = "the counts of the year evaluated are used (the sample's 湛江, 2019)",
    year = 2019,
    city = "440800",
    facts = { [ELIGIBLE] = { [2018] = 27854, [2019] = 27968 },
              [COVERED] = { [2018] = 25904, [2019] = 26849 } },
    expect = { outcome = "pass", measured = 26849 / 27968, required = 0.95 },
  },
}
