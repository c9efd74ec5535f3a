-- Tests of medical.assistance_enrolment: people whose insurance enrolment
-- is paid by medical assistance ÷ people eligible for it, against
-- params.min_coverage (0.99).
local RULE = "medical.assistance_enrolment"
local ELIGIBLE = "medical.assistance.eligible"
local ENROLLED = "medical.assistance.enrolled"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "a city enrolling every eligible person passes",
    year = 2019,
    city = "440100",
    facts = { [ELIGIBLE] = 76530, [ENROLLED] = 76530 },
    expect = { outcome = "pass", measured = 1, required = 0.99, unit = "比例" },
  },
  case {
    name = "a city enrolling 98% fails",
    year = 2019,
    city = "441400",
    facts = { [ELIGIBLE] = 122640, [ENROLLED] = 120187 },
    expect = {
      outcome = "fail", measured = 0.98, required = 0.99,
      note = "资助参保 120187 人 ÷ 应资助对象 122640 人" },
  },
  case {
    name = "a city exactly at 99% passes",
    year = 2019,
    city = "441600",
    facts = { [ELIGIBLE] = 10000, [ENROLLED] = 9900 },
    expect = { outcome = "pass", measured = 0.99, required = 0.99 },
  },
  case {
    name = "a run may raise the target",
    year = 2019,
    city = "441600",
    facts = { [ELIGIBLE] = 10000, [ENROLLED] = 9900 },
    params = { [RULE] = { min_coverage = 1 } },
    expect = { outcome = "fail", required = 1 },
  },
  case {
    name = "the counts of the year evaluated are used",
    year = 2018,
    city = "441600",
    facts = { [ELIGIBLE] = { [2018] = 10000, [2019] = 10000 },
              [ENROLLED] = { [2018] = 9800, [2019] = 9900 } },
    expect = { outcome = "fail", measured = 0.98 },
  },
  case {
    name = "a city without its enrolment count is a data gap",
    year = 2019,
    city = "441500",
    facts = { [ELIGIBLE] = 76000 },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with nobody eligible is skipped",
    year = 2019,
    city = "440300",
    facts = { [ELIGIBLE] = 0, [ENROLLED] = 0 },
    expect = { outcome = "skip" },
  },
}
