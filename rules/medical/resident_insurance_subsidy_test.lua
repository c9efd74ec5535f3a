-- Tests of medical.resident_insurance_subsidy: fiscal subsidy per insured
-- resident (subsidy ÷ insured, 元/人·年) against the year's standard.
local RULE = "medical.resident_insurance_subsidy"
local KEY = "medical.resident_insurance"
local SUBSIDY = "medical.resident_insurance.subsidy"
local INSURED = "medical.resident_insurance.insured"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "a city above the 2019 standard passes",
    year = 2019,
    city = "440600",
    facts = { [INSURED] = 3263440, [SUBSIDY] = 1890000000 },
    standards = { [KEY] = { national = 520 } },
    expect = {
      outcome = "pass", measured = 1890000000 / 3263440, required = 520 },
  },
  case {
    name = "a city below the standard fails",
    year = 2020,
    city = "440800",
    facts = { [INSURED] = 6133700, [SUBSIDY] = 3300000000 },
    standards = { [KEY] = { national = 550 } },
    expect = {
      outcome = "fail", measured = 3300000000 / 6133700, required = 550 },
  },
  case {
    name = "a city exactly at the standard passes",
    year = 2018,
    city = "441600",
    facts = { [INSURED] = 2604000, [SUBSIDY] = 490 * 2604000 },
    standards = { [KEY] = { national = 490 } },
    expect = { outcome = "pass", measured = 490, required = 490 },
  },
  case {
    name = "a city without its subsidy figure is a data gap",
    year = 2019,
    city = "441700",
    facts = { [INSURED] = 2056000 },
    standards = { [KEY] = { national = 520 } },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no insured residents is skipped",
    year = 2019,
    city = "440300",
    facts = { [INSURED] = 0, [SUBSIDY] = 0 },
    standards = { [KEY] = { national = 520 } },
    expect = { outcome = "skip" },
  },
  case {
    name = "the standard of the year evaluated applies (490, 520, 550)",
    year = 2020,
    city = "441600",
    facts = { [INSURED] = 1000,
              [SUBSIDY] = { [2019] = 530000, [2020] = 530000 } },
    standards = { [KEY] = { national = { [2018] = 490, [2019] = 520, [2020] = 550 } } },
    expect = { outcome = "fail", measured = 530, required = 550 },
  },
  case {
    name = "the same subsidy passes against the 2019 standard",
    year = 2019,
    city = "441600",
    facts = { [INSURED] = 1000,
              [SUBSIDY] = { [2019] = 530000, [2020] = 530000 } },
    standards = { [KEY] = { national = { [2018] = 490, [2019] = 520, [2020] = 550 } } },
    expect = { outcome = "pass", measured = 530, required = 520 },
  },
  case {
    name = "a year without a standard is skipped",
    year = 2019,
    city = "441600",
    facts = { [INSURED] = 1000, [SUBSIDY] = 530000 },
    expect = { outcome = "skip" },
  },
}
