-- Tests of health.public_health_per_capita. The standard (元/人) is the
-- larger of the national and provincial ones; measured = spend ÷ residents.
local RULE = "health.public_health_per_capita"
local kit = require "testkit"
local case = kit.cases_of(RULE)
-- One city's figures (spend nil: not reported).
local function facts(residents, spend)
  return { ["pop.resident"] = residents, ["health.public_health.spend"] = spend }
end
local national_69 = { ["health.public_health"] = { national = 69 } }
-- 汕尾 spends 60 per resident in 2018 and 2019; the standard rose from 55
-- to 69.
local shanwei_two_years = facts(
  { [2018] = 3020000, [2019] = 3040000 },
  { [2018] = 60 * 3020000, [2019] = 60 * 3040000 })
local rose_in_2019 = { ["health.public_health"] = {
  national = { [2018] = 55, [2019] = 69 } } }

return {
  case {
    name = "a city above the 2019 standard passes",
    year = 2019,
    city = "440100",
    facts = facts(15305900, 1300000000),
    standards = national_69,
    expect = { outcome = "pass", measured = 1300000000 / 15305900,
               required = 69 },
  },
  case {
    name = "a city below the national standard fails",
    year = 2019,
    city = "441400",
    facts = facts(4380000, 2.8e8),
    standards = national_69,
    expect = { outcome = "fail", measured = 63.926941, required = 69 },
  },
  case {
    name = "a city exactly at the standard passes",
    year = 2019,
    city = "441600",
    facts = facts(3110000, 69 * 3110000),
    standards = national_69,
    expect = { outcome = "pass", measured = 69, required = 69 },
  },
  case {
    name = "a provincial standard above the national one binds",
    year = 2019,
    city = "440700",
    facts = facts(1000000, 72000000),
    standards = { ["health.public_health"] = { national = 69,
                                               provincial = 75 } },
    expect = { outcome = "fail", measured = 72, required = 75 },
  },
  case {
    name = "a city without its spending figure is a data gap",
    year = 2019,
    city = "441500",
    facts = facts(3040000),
    standards = national_69,
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no resident population is skipped",
    year = 2019,
    city = "441700",
    facts = facts(0, 0),
    standards = national_69,
    expect = { outcome = "skip" },
  },
  case {
    name = "a year without any standard is skipped",
    year = 2019,
    city = "440100",
    facts = facts(15305900, 1300000000),
    expect = { outcome = "skip" },
  },
  case {
    name = "the standard rose from 55 (2018) to 69 (2019): 60 per resident passes in 2018",
    year = 2018,
    city = "441500",
    facts = shanwei_two_years,
    standards = rose_in_2019,
    expect = { outcome = "pass", measured = 60, required = 55 },
  },
  case {
    name = "the standard rose from 55 (2018) to 69 (2019): 60 per resident fails in 2019",
    year = 2019,
    city = "441500",
    facts = shanwei_two_years,
    standards = rose_in_2019,
    expect = { outcome = "fail", measured = 60, required = 69 },
  },
  case {
    -- the sample's 2020 figures (data/sample/README.md): 梅州 spends 74.50
    -- per resident, above the 74 standard; its 大埔县 66.23, below it.
    name = "a county below the standard under a city that passes",
    year = 2020,
    regions = kit.regions("441400", "441422", "441402"),
    facts = {
      ["441400"] = facts(4390000, 327055000),
      ["441422"] = facts(370845, 24561579),
      ["441402"] = facts(380868, 28665246),
    },
    standards = { ["health.public_health"] = { national = 74 } },
    expect = {
      ["441400"] = { outcome = "pass", measured = 74.5, required = 74 },
      ["441422"] = { outcome = "fail", measured = 24561579 / 370845,
                     required = 74,
                     note = "经费 24561579 元 ÷ 常住人口 370845 人" },
      ["441402"] = { outcome = "pass", measured = 28665246 / 380868,
                     required = 74 },
    },
  },
}
