-- Tests of health.family_planning_award: the award per beneficiary and
-- month (spend ÷ beneficiaries ÷ 12) against the binding standard
-- (national 80 元/人·月).
local RULE = "health.family_planning_award"
local KEY = "health.family_planning"
local BEN = "health.family_planning.beneficiaries"
local SPEND = "health.family_planning.spend"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "a city paying above the standard passes",
    year = 2019,
    city = "440100",
    facts = { [BEN] = 22959, [SPEND] = 22959 * 100 * 12 },
    standards = { [KEY] = { national = 80 } },
    expect = {
      outcome = "pass", measured = 100, required = 80, unit = "元/人·月" },
  },
  case {
    name = "a city still paying 70 fails (the sample's 茂名)",
    year = 2019,
    city = "440900",
    facts = { [BEN] = 25640, [SPEND] = 21537600 },
    standards = { [KEY] = { national = 80 } },
    expect = {
      outcome = "fail", measured = 70, required = 80,
      note = "奖励扶助金 21537600 元 ÷ 扶助对象 25640 人 ÷ 12 个月" },
  },
  case {
    name = "a city paying exactly the standard passes",
    year = 2019,
    city = "441400",
    facts = { [BEN] = 17520, [SPEND] = 17520 * 80 * 12 },
    standards = { [KEY] = { national = 80 } },
    expect = { outcome = "pass", measured = 80, required = 80 },
  },
  case {
    name = "a standard raised in 2020 applies in 2020",
    year = 2020,
    city = "441400",
    facts = { [BEN] = 1000, [SPEND] = 1000 * 85 * 12 },
    standards = { [KEY] = { national = { [2019] = 80, [2020] = 90 } } },
    expect = { outcome = "fail", measured = 85, required = 90 },
  },
  case {
    name = "a provincial standard above the national one binds",
    year = 2019,
    city = "441400",
    facts = { [BEN] = 1000, [SPEND] = 1000 * 85 * 12 },
    standards = { [KEY] = { national = 80, provincial = 100 } },
    expect = { outcome = "fail", measured = 85, required = 100 },
  },
  case {
    name = "a city without its beneficiary count is a data gap",
    year = 2019,
    city = "441500",
    facts = { [SPEND] = 11673600 },
    standards = { [KEY] = { national = 80 } },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no beneficiaries is skipped",
    year = 2019,
    city = "440300",
    facts = { [BEN] = 0, [SPEND] = 0 },
    standards = { [KEY] = { national = 80 } },
    expect = { outcome = "skip" },
  },
  case {
    name = "a year without a standard is skipped",
    year = 2019,
    city = "440300",
    facts = { [BEN] = 10, [SPEND] = 9600 },
    expect = { outcome = "skip" },
  },
}
