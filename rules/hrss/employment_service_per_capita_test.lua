-- Tests of hrss.employment_service_per_capita: employment-service spending
-- per resident against params.ratio (0.6) × the cities' average (their
-- total spending ÷ their total residents).
local RULE = "hrss.employment_service_per_capita"
local SPEND = "employment.public_service.spend"
local POP = "pop.resident"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local city = kit.city
local three = kit.regions("440100", "441400", "445200")
-- 广州 52, 梅州 29.4, 揭阳 15 元 per resident.
local facts = {
  ["440100"] = { [POP] = 15305900, [SPEND] = 15305900 * 52 },
  ["441400"] = { [POP] = 4380000, [SPEND] = 4380000 * 29.4 },
  ["445200"] = { [POP] = 6100000, [SPEND] = 6100000 * 15 },
}
-- Average (795906800 + 128772000 + 91500000) ÷ 25785900 = 39.4083...
local average = (15305900 * 52 + 4380000 * 29.4 + 6100000 * 15)
                / (15305900 + 4380000 + 6100000)

return {
  case {
    name = "cities above 60% of the average pass, one below fails",
    year = 2019,
    regions = three,
    facts = facts,
    expect = {
      ["440100"] = { outcome = "pass", measured = 52, required = 0.6 * average,
                     unit = "元/人" },
      ["441400"] = { outcome = "pass", measured = 29.4, required = 23.6450 },
      ["445200"] = { outcome = "fail", measured = 15, required = 23.6450,
                     note = "全省平均 39.41 元/人（3 个市）× 0.6" },
    },
  },
  case {
    name = "a run may lower the ratio",
    year = 2019,
    regions = three,
    facts = facts,
    params = { [RULE] = { ratio = 0.3 } },
    expect = {
      ["445200"] = { outcome = "pass", measured = 15, required = 0.3 * average },
    },
  },
  case {
    name = "a city exactly at 60% of the average passes",
    year = 2019,
    regions = kit.regions("441600", "440300"),
    -- Average (30000000 + 70000000) ÷ 2000000 = 50; 60% = 30.
    facts = {
      ["441600"] = { [POP] = 1000000, [SPEND] = 30000000 },
      ["440300"] = { [POP] = 1000000, [SPEND] = 70000000 },
    },
    expect = {
      ["441600"] = { outcome = "pass", measured = 30, required = 30 },
    },
  },
  case {
    name = "the figures of the year evaluated are used",
    year = 2020,
    regions = kit.regions("441600", "440300"),
    facts = {
      ["441600"] = { [POP] = 1000000,
                     [SPEND] = { [2019] = 30000000, [2020] = 20000000 } },
      ["440300"] = { [POP] = 1000000,
                     [SPEND] = { [2019] = 70000000, [2020] = 80000000 } },
    },
    -- 2020: average 50, 60% = 30; 河源 20 fails.
    expect = {
      ["441600"] = { outcome = "fail", measured = 20, required = 30 },
    },
  },
  case {
    name = "a city without its spending figure leaves the average unknown: missing for all",
    year = 2019,
    regions = three,
    facts = {
      ["440100"] = facts["440100"],
      ["441400"] = facts["441400"],
      ["445200"] = { [POP] = 6100000 },
    },
    expect = {
      ["445200"] = { outcome = "missing" },
      ["441400"] = { outcome = "missing",
                     note = "缺数据（2019年）：揭阳市 employment.public_service.spend 无 2019 年数值" },
    },
  },
  case {
    name = "a city with spending but no residents leaves the average unknown",
    year = 2019,
    regions = three,
    facts = {
      ["440100"] = { [POP] = 0, [SPEND] = 795906800 },
      ["441400"] = facts["441400"],
      ["445200"] = facts["445200"],
    },
    expect = {
      ["440100"] = { outcome = "skip" },
      ["445200"] = { outcome = "missing",
                     note = "广州市 pop.resident 为 0（须大于 0），而 employment.public_service.spend 为 795906800" },
    },
  },
  case {
    name = "a city with no residents and no spending is skipped and adds nothing to the average",
    year = 2019,
    regions = three,
    facts = {
      ["440100"] = { [POP] = 0, [SPEND] = 0 },
      ["441400"] = facts["441400"],
      ["445200"] = facts["445200"],
    },
    expect = {
      ["440100"] = { outcome = "skip" },
      -- 广州 adds nothing: the average is 21.02; 60% = 12.61: 揭阳 passes.
      ["445200"] = { outcome = "pass", measured = 15,
                     required = 0.6 * (4380000 * 29.4 + 6100000 * 15)
                     / (4380000 + 6100000) },
    },
  },
  -- (a city with no parent is refused by the integrity check before
  -- any rule runs: "region …: a city must have a parent (a province)")
}
