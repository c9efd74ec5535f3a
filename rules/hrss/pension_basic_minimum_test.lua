-- Tests of hrss.pension_basic_minimum: basic pension paid per beneficiary
-- and month (spend ÷ beneficiaries ÷ 12) against the binding minimum, the
-- larger of the national (88 元/月 in 2019) and provincial (170) one.
local RULE = "hrss.pension_basic_minimum"
local KEY = "pension.resident_basic"
local SPEND = "pension.resident_basic.spend"
local BEN = "pension.resident_basic.beneficiaries"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "a city paying above the provincial minimum passes",
    year = 2019,
    city = "440400",
    facts = { [BEN] = 60711, [SPEND] = 60711 * 185 * 12 },
    standards = { [KEY] = { national = 88, provincial = 170 } },
    expect = { outcome = "pass", measured = 185, required = 170 },
  },
  case {
    name = "a city still paying the 2018 amount after the raise fails",
    year = 2019,
    city = "445200",
    facts = { [BEN] = 524600, [SPEND] = 524600 * 148 * 12 },
    standards = { [KEY] = { national = 88, provincial = 170 } },
    expect = { outcome = "fail", measured = 148, required = 170 },
  },
  case {
    name = "a city paying exactly the minimum passes",
    year = 2019,
    city = "441400",
    facts = { [BEN] = 438000, [SPEND] = 438000 * 170 * 12 },
    standards = { [KEY] = { national = 88, provincial = 170 } },
    expect = { outcome = "pass", measured = 170, required = 170 },
  },
  case {
    name = "without a provincial standard the national minimum binds",
    year = 2020,
    city = "441400",
    facts = { [BEN] = 1000, [SPEND] = 1000 * 90 * 12 },
    standards = { [KEY] = { national = 93 } },
    expect = { outcome = "fail", measured = 90, required = 93 },
  },
  case {
    name = "a city's own higher standard does not change the minimum checked",
    year = 2019,
    regions = kit.regions("440300"),
    facts = { ["440300"] = { [BEN] = 20500, [SPEND] = 20500 * 250 * 12 } },
    standards = { [KEY] = { national = 88, provincial = 170,
                            ["local"] = { ["440300"] = 300 } } },
    expect = { ["440300"] = {
      outcome = "pass", measured = 250, required = 170 } },
  },
  case {
    name = "a city without its beneficiary count is a data gap",
    year = 2019,
    city = "441500",
    facts = { [SPEND] = 545779200 },
    standards = { [KEY] = { national = 88, provincial = 170 } },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no beneficiaries is skipped",
    year = 2019,
    city = "441900",
    facts = { [BEN] = 0, [SPEND] = 0 },
    standards = { [KEY] = { national = 88, provincial = 170 } },
    expect = { outcome = "skip" },
  },
  case {
    name = "the provincial minimum rose from 148 (2018) to 170 (2019)",
    year = 2019,
    city = "441400",
    facts = { [BEN] = 1000,
              [SPEND] = { [2018] = 1000 * 148 * 12,
                          [2019] = 1000 * 148 * 12 } },
    standards = { [KEY] = { national = { [2018] = 88, [2019] = 88 },
                            provincial = { [2018] = 148, [2019] = 170 } } },
    expect = { outcome = "fail", measured = 148, required = 170 },
  },
  case {
    name = "a year without any minimum is skipped",
    year = 2019,
    city = "441400",
    facts = { [BEN] = 1000, [SPEND] = 1000 * 170 * 12 },
    expect = { outcome = "skip" },
  },
}
