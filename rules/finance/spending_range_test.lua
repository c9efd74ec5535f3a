-- Tests of finance.spending_range: (max − min) ÷ mean (unweighted) of the
-- cities' basic public service spending per resident, against
-- params.max_range (1.0).
local RULE = "finance.spending_range"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local three = kit.regions("440300", "440500", "445200")
local function facts(a, b, c, pop)
  local function f(per_capita)
    return { ["pop.resident"] = pop or 1000000,
             ["fin.basic_service.spend"] = per_capita * (pop or 1000000) }
  end
  return { ["440300"] = f(a), ["440500"] = f(b), ["445200"] = f(c) }
end

return {
  case {
    name = "a range below the mean passes",
    year = 2019,
    regions = three,
    -- (9000 − 4000) ÷ 6000 = 0.833333.
    facts = facts(9000, 5000, 4000),
    expect = { ["440000"] = {
      outcome = "pass", measured = 0.833333, required = 1, unit = "比例",
      note = "(最高 深圳市 9000.00 − 最低 揭阳市 4000.00) ÷ 3 个市均值 6000.00" } },
  },
  case {
    name = "a range above the mean fails",
    year = 2018,
    regions = three,
    -- (9000 − 2500) ÷ 6000 = 1.08333.
    facts = facts(9000, 6500, 2500),
    expect = { ["440000"] = {
      outcome = "fail", measured = 1.08333, required = 1 } },
  },
  case {
    name = "a range of exactly the mean is within the target",
    year = 2019,
    regions = three,
    -- (9000 − 3000) ÷ 6000 = 1.
    facts = facts(9000, 6000, 3000),
    expect = { ["440000"] = { outcome = "pass", required = 1,
                              note = "(最高 深圳市 9000.00 − 最低 揭阳市 3000.00)" } },
  },
  case {
    name = "the figures of the year evaluated are used",
    year = 2020,
    regions = three,
    facts = (function()
      local f = facts(9000, 6000, 3000)
      f["445200"]["fin.basic_service.spend"] = { [2019] = 3000 * 1000000,
                                                 [2020] = 6000 * 1000000 }
      return f
    end)(),
    -- 2020: (9000 − 6000) ÷ 7000 = 0.428571.
    expect = { ["440000"] = { outcome = "pass", measured = 0.428571 } },
  },
  case {
    name = "a run may tighten the target",
    year = 2019,
    regions = three,
    facts = facts(9000, 5000, 4000),
    params = { [RULE] = { max_range = 0.5 } },
    expect = { ["440000"] = { outcome = "fail", required = 0.5 } },
  },
  case {
    name = "a city without its residents is a data gap",
    year = 2019,
    regions = three,
    facts = (function()
      local f = facts(9000, 5000, 4000)
      f["440500"]["pop.resident"] = nil
      return f
    end)(),
    expect = { ["440000"] = { outcome = "missing" } },
  },
  case {
    name = "no city with residents: missing, every city named",
    year = 2019,
    regions = three,
    facts = facts(9000, 5000, 4000, 0),
    expect = { ["440000"] = {
      outcome = "missing",
      note = "缺数据（2019年）：深圳市 pop.resident 为 0（须大于 0）、汕头市 pop.resident 为 0（须大于 0）、揭阳市 pop.resident 为 0（须大于 0）" } },
  },
  case {
    name = "one city with no residents is not left out of the range",
    year = 2019,
    regions = three,
    facts = (function()
      local f = facts(9000, 5000, 4000)
      f["445200"]["pop.resident"] = 0
      return f
    end)(),
    expect = { ["440000"] = {
      outcome = "missing", note = "揭阳市 pop.resident 为 0（须大于 0）" } },
  },
  case {
    name = "every city spending nothing: skipped",
    year = 2019,
    regions = three,
    facts = facts(0, 0, 0),
    expect = { ["440000"] = { outcome = "skip" } },
  },
}
