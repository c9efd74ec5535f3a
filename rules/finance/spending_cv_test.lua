-- Tests of finance.spending_cv: the coefficient of variation (population
-- standard deviation ÷ mean, unweighted) of the cities' basic public
-- service spending per resident, against params.max_cv (0.25).
local RULE = "finance.spending_cv"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local four = kit.regions("440100", "440300", "440500", "441400")
local function facts(a, b, c, d, pop)
  local function f(per_capita)
    return { ["pop.resident"] = pop or 1000000,
             ["fin.basic_service.spend"] = per_capita * (pop or 1000000) }
  end
  return { ["440100"] = f(a), ["440300"] = f(b), ["440500"] = f(c),
           ["441400"] = f(d) }
end

return {
  case {
    name = "a small spread passes",
    year = 2019,
    regions = four,
    -- mean 5750; deviations ±250, ±750; sd √312500 = 559.017; cv 0.0972203.
    facts = facts(6500, 6000, 5500, 5000),
    expect = { ["440000"] = {
      outcome = "pass", measured = 0.0972203, required = 0.25,
      unit = "变异系数",
      note = "4 个市人均支出均值 5750.00 元；最低 梅州市 5000.00 元，最高 广州市 6500.00 元" } },
  },
  case {
    name = "a wide spread fails",
    year = 2018,
    regions = four,
    -- mean 6000; sd √((2000² + 1000² + 0 + 3000²) ÷ 4) = 1870.83; cv 0.311805.
    facts = facts(6000, 9000, 5000, 4000),
    expect = { ["440000"] = {
      outcome = "fail", measured = 0.311805, required = 0.25 } },
  },
  case {
    name = "a cv of exactly 0.25 is within the target",
    year = 2019,
    regions = four,
    -- 3000, 5000, 3000, 5000: mean 4000, sd 1000.
    facts = facts(3000, 5000, 3000, 5000),
    expect = { ["440000"] = {
      outcome = "pass", measured = 0.25, required = 0.25 } },
  },
  case {
    name = "cities weigh the same whatever their population",
    year = 2019,
    regions = four,
    facts = (function()
      local f = facts(3000, 5000, 3000, 5000)
      f["440300"] = { ["pop.resident"] = 13438800,
                      ["fin.basic_service.spend"] = 5000 * 13438800 }
      return f
    end)(),
    expect = { ["440000"] = { outcome = "pass", measured = 0.25 } },
  },
  case {
    name = "the figures of the year evaluated are used",
    year = 2020,
    regions = four,
    facts = (function()
      local f = facts(3000, 5000, 3000, 5000)
      f["440300"]["fin.basic_service.spend"] = { [2019] = 5000 * 1000000,
                                                 [2020] = 9000 * 1000000 }
      return f
    end)(),
    -- 2020: 3000, 9000, 3000, 5000: mean 5000, sd √6000000 = 2449.49; cv 0.489898.
    expect = { ["440000"] = { outcome = "fail", measured = 0.489898 } },
  },
  case {
    name = "a run may loosen the target",
    year = 2018,
    regions = four,
    facts = facts(6000, 9000, 5000, 4000),
    params = { [RULE] = { max_cv = 0.35 } },
    expect = { ["440000"] = { outcome = "pass", required = 0.35 } },
  },
  case {
    name = "a city with no residents is not left out: missing, naming it",
    year = 2019,
    regions = four,
    facts = (function()
      local f = facts(3000, 5000, 3000, 5000)
      f["441400"] = { ["pop.resident"] = 0, ["fin.basic_service.spend"] = 0 }
      return f
    end)(),
    expect = { ["440000"] = {
      outcome = "missing",
      note = "缺数据（2019年）：梅州市 pop.resident 为 0（须大于 0）" } },
  },
  case {
    name = "cities without their spending figure are a data gap, each named",
    year = 2019,
    regions = four,
    facts = (function()
      local f = facts(3000, 5000, 3000, 5000)
      f["440100"]["fin.basic_service.spend"] = nil
      f["441400"]["fin.basic_service.spend"] = nil
      return f
    end)(),
    expect = { ["440000"] = {
      outcome = "missing",
      note = "广州市 fin.basic_service.spend 无 2019 年数值、梅州市 fin.basic_service.spend 无 2019 年数值" } },
  },
  case {
    name = "no city with residents: missing, every city named",
    year = 2019,
    regions = four,
    facts = facts(3000, 5000, 3000, 5000, 0),
    expect = { ["440000"] = {
      outcome = "missing",
      note = "广州市 pop.resident 为 0（须大于 0）、深圳市 pop.resident 为 0（须大于 0）、汕头市 pop.resident 为 0（须大于 0）、梅州市 pop.resident 为 0（须大于 0）" } },
  },
  case {
    name = "fewer than two cities: skipped",
    year = 2019,
    regions = kit.regions("440100"),
    facts = { ["440100"] = { ["pop.resident"] = 1000000,
                             ["fin.basic_service.spend"] = 3e9 } },
    expect = { ["440000"] = { outcome = "skip" } },
  },
  case {
    name = "every city spending nothing: skipped",
    year = 2019,
    regions = four,
    facts = facts(0, 0, 0, 0),
    expect = { ["440000"] = { outcome = "skip" } },
  },
}
