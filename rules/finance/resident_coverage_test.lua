-- Tests of finance.resident_coverage: people insured in the basic medical
-- insurance (employee + resident schemes) ÷ resident population, against
-- params.min_resident (0.95), with ÷ registered population beside it.
local RULE = "finance.resident_coverage"
local EMP = "medical.employee_insurance.insured"
local RES = "medical.resident_insurance.insured"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local function facts(employee, resident_scheme, resident, registered)
  return { [EMP] = employee, [RES] = resident_scheme,
           ["pop.resident"] = resident, ["pop.registered"] = registered }
end

return {
  case {
    name = "a city insuring 97% of its residents passes",
    year = 2019,
    city = "441400",
    facts = facts(525600, 3723000, 4380000, 5520000),
    expect = {
      outcome = "pass", measured = 0.97, required = 0.95, unit = "比例",
      note = "参保 4248600 人（职工 525600 + 城乡居民 3723000）÷ 常住人口 4380000 = 97.00%；"
        .. "÷ 户籍人口 5520000 = 76.97%" },
  },
  case {
    name = "a city covering its registered but not its resident population fails and says so",
    year = 2019,
    city = "441900",
    -- the sample's 东莞: 7871985 ÷ 8464500 = 93%, ÷ 2510000 = 313.62%.
    facts = facts(4909410, 2962575, 8464500, 2510000),
    expect = {
      outcome = "fail", measured = 0.93, required = 0.95,
      note = "÷ 户籍人口 2510000 = 313.62%；按户籍口径达标、按常住口径未达标，距目标尚差 169290 人" },
  },
  case {
    name = "a city exactly at the target passes",
    year = 2019,
    city = "442000",
    facts = facts(1000000, 900000, 2000000, 1850000),
    expect = { outcome = "pass", measured = 0.95, required = 0.95 },
  },
  case {
    name = "below target on both bases: no registered-basis remark",
    year = 2019,
    city = "445300",
    facts = facts(200000, 2000000, 2550000, 3000000),
    expect = {
      outcome = "fail", measured = 2200000 / 2550000,
      note = "÷ 户籍人口 3000000 = 73.33%" },
  },
  case {
    name = "the counts of the year evaluated are used",
    year = 2020,
    city = "441900",
    facts = {
      [EMP] = { [2019] = 4909410, [2020] = 5203550 },
      [RES] = { [2019] = 2962575, [2020] = 2985500 },
      ["pop.resident"] = { [2019] = 8464500, [2020] = 8530000 },
      ["pop.registered"] = { [2019] = 2510000, [2020] = 2547650 } },
    -- 2020: (5203550 + 2985500) ÷ 8530000 = 0.96.
    expect = { outcome = "pass", measured = 0.96 },
  },
  case {
    name = "a run may raise the target",
    year = 2019,
    city = "441400",
    facts = facts(525600, 3723000, 4380000, 5520000),
    params = { [RULE] = { min_resident = 0.98 } },
    expect = { outcome = "fail", required = 0.98 },
  },
  case {
    name = "a city without its registered population is a data gap",
    year = 2019,
    city = "441400",
    facts = { [EMP] = 525600, [RES] = 3723000,
              ["pop.resident"] = 4380000 },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no residents is a data gap, not a skip",
    year = 2019,
    city = "441400",
    facts = facts(0, 0, 0, 0),
    expect = { outcome = "missing",
               note = "数据不可用（2019年）：梅州市 pop.resident 为 0（须大于 0）" },
  },
  case {
    name = "negative counts are named, never divided",
    year = 2019,
    city = "441400",
    facts = facts(-1, 3723000, 4380000, -5),
    expect = { outcome = "missing",
               note = "梅州市 medical.employee_insurance.insured 为负数 -1、梅州市 pop.registered 为负数 -5" },
  },
  case {
    name = "with no registered population only the resident basis is given",
    year = 2019,
    city = "441400",
    facts = facts(525600, 3723000, 4380000, 0),
    expect = { outcome = "pass", measured = 0.97 },
  },
  case {
    name = "min_resident typed as a percent (95) is an error naming it",
    year = 2019,
    city = "441400",
    facts = facts(525600, 3723000, 4380000, 0),
    params = { ["finance.resident_coverage"] = { min_resident = 95 } },
    expect = { outcome = "error",
               note = "params.min_resident 95 is not a ratio in 0..1: write 0.95 for 95%" },
  },
}
