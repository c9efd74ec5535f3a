-- Tests of finance.spending_gap: gap = 1 − (non-core spending per resident
-- ÷ core spending per resident), each group's figure being its total
-- spending ÷ its total residents; the target is gap ≤ 0.30.
local RULE = "finance.spending_gap"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local province, city = kit.province, kit.city
local function city_facts(pop, per_capita)
  return { ["pop.resident"] = pop,
           ["fin.basic_service.spend"] = per_capita * pop }
end
local four = kit.regions("440100", "440300", "440500", "441400")
-- Core: (7000 + 9000) × 10000000 ÷ 20000000 = 8000 元 per resident.
local function facts(east, north)
  return {
    ["440100"] = city_facts(10000000, 7000),
    ["440300"] = city_facts(10000000, 9000),
    ["440500"] = city_facts(5000000, east),
    ["441400"] = city_facts(5000000, north),
  }
end

return {
  case {
    name = "a gap of 25% is within the target",
    year = 2019,
    regions = four,
    facts = facts(5000, 7000),  -- non-core 6000: 1 − 6000 ÷ 8000 = 0.25
    expect = { ["440000"] = {
      outcome = "pass", measured = 0.25, required = 0.30 } },
  },
  case {
    name = "a gap of 37.5% fails",
    year = 2018,
    regions = four,
    facts = facts(4000, 6000),  -- non-core 5000: 1 − 5000 ÷ 8000 = 0.375
    expect = { ["440000"] = {
      outcome = "fail", measured = 0.375, required = 0.30 } },
  },
  case {
    name = "a gap of exactly 30% is within the target",
    year = 2020,
    regions = four,
    facts = facts(4600, 6600),  -- non-core 5600: 1 − 5600 ÷ 8000 = 0.30
    expect = { ["440000"] = {
      outcome = "pass", measured = 0.30, required = 0.30 } },
  },
  case {
    name = "groups are weighted by residents",
    year = 2019,
    regions = four,
    facts = (function()
      local f = facts(5000, 7000)
      f["440500"] = city_facts(15000000, 5000)
      return f
    end)(),
    -- non-core (15000000 × 5000 + 5000000 × 7000) ÷ 20000000 = 5500;
    -- 1 − 5500 ÷ 8000 = 0.3125.
    expect = { ["440000"] = {
      outcome = "fail", measured = 0.3125, required = 0.30 } },
  },
  case {
    name = "a city with no zone is not left out: missing, naming it",
    year = 2019,
    regions = { province,
                city("440100"),
                city("440300"),
                city("440500"),
                city("441400"),
                city("441900", { zone = false }) },
    facts = (function()
      local f = facts(5000, 7000)
      f["441900"] = city_facts(1000000, 100)
      return f
    end)(),
    expect = { ["440000"] = {
      outcome = "missing", note = "东莞市 分组 未标明所属分区（zone）" } },
  },
  case {
    -- The issue's case: 云浮 with no residents but its spending kept
    -- moved the gap from 0.2877 to 0.2523 without a word.
    name = "a city with no residents but spending: missing, not a moved gap",
    year = 2019,
    regions = kit.regions("440100", "440300", "440500", "445300"),
    facts = {
      ["440100"] = city_facts(10000000, 7000),
      ["440300"] = city_facts(10000000, 9000),
      ["440500"] = city_facts(5000000, 5000),
      ["445300"] = { ["pop.resident"] = 0,
                     ["fin.basic_service.spend"] = 2.5e10 },
    },
    expect = { ["440000"] = {
      outcome = "missing",
      note = "缺数据（2019年）：云浮市 pop.resident 为 0（须大于 0）" } },
  },
  case {
    name = "a negative population or spending is never summed",
    year = 2019,
    regions = four,
    facts = (function()
      local f = facts(5000, 7000)
      f["440500"]["pop.resident"] = -5000000
      f["441400"]["fin.basic_service.spend"] = -5e9
      return f
    end)(),
    expect = { ["440000"] = {
      outcome = "missing",
      note = "汕头市 pop.resident 为 -5000000（须大于 0）、梅州市 fin.basic_service.spend 为负数 -5000000000" } },
  },
  case {
    name = "every city lacking a figure is named, not only the first",
    year = 2019,
    regions = four,
    facts = (function()
      local f = facts(5000, 7000)
      f["440300"]["pop.resident"] = nil
      f["441400"]["fin.basic_service.spend"] = nil
      return f
    end)(),
    expect = { ["440000"] = {
      outcome = "missing",
      note = "深圳市 pop.resident 无 2019 年数值、梅州市 fin.basic_service.spend 无 2019 年数值" } },
  },
  case {
    name = "a run may tighten the target",
    year = 2019,
    regions = four,
    facts = facts(5000, 7000),
    params = { [RULE] = { max_gap = 0.2 } },
    expect = { ["440000"] = {
      outcome = "fail", measured = 0.25, required = 0.2 } },
  },
  case {
    name = "a city without its spending figure is a data gap",
    year = 2019,
    regions = four,
    facts = (function()
      local f = facts(5000, 7000)
      f["441400"]["fin.basic_service.spend"] = nil
      return f
    end)(),
    expect = { ["440000"] = { outcome = "missing" } },
  },
  case {
    name = "non-core cities without residents are missing, named, not a skip",
    year = 2019,
    regions = four,
    facts = {
      ["440100"] = city_facts(10000000, 7000),
      ["440300"] = city_facts(10000000, 9000),
      ["440500"] = city_facts(0, 0),
      ["441400"] = city_facts(0, 0),
    },
    expect = { ["440000"] = {
      outcome = "missing",
      note = "汕头市 pop.resident 为 0（须大于 0）、梅州市 pop.resident 为 0（须大于 0）" } },
  },
  case {
    name = "without non-core cities there is no gap to measure",
    year = 2019,
    regions = kit.regions("440100", "440300"),
    facts = {
      ["440100"] = city_facts(10000000, 7000),
      ["440300"] = city_facts(10000000, 9000),
    },
    expect = { ["440000"] = { outcome = "skip" } },
  },
  case {
    name = "max_gap typed as a percent (30) is an error naming it, never a pass",
    year = 2019,
    regions = four,
    facts = facts(4000, 6000),
    params = { [RULE] = { max_gap = 30 } },
    expect = { ["440000"] = { outcome = "error",
      note = "params.max_gap 30 is not a ratio in 0..1: write 0.30 for 30%" } },
  },
  case {
    name = "a max_gap of 12.5 says 0.125",
    year = 2019,
    regions = four,
    facts = facts(4000, 6000),
    params = { [RULE] = { max_gap = 12.5 } },
    expect = { ["440000"] = { outcome = "error",
      note = "params.max_gap 12.5 is not a ratio in 0..1: write 0.125 for 12.5%" } },
  },
}
