-- Tests of civil_affairs.hardship_per_capita: assistance per beneficiary
-- (spend ÷ beneficiaries) against params.ratio (0.6) × the average over the
-- province's cities (their total spend ÷ their total beneficiaries).
local RULE = "civil_affairs.hardship_per_capita"
local SPEND = "assist.hardship.spend"
local BEN = "assist.hardship.beneficiaries"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local city = kit.city
local three = kit.regions("440100", "441400", "445200")
-- 广州 18000, 梅州 7000, 揭阳 4000 元/人·年.
local facts = {
  ["440100"] = { [BEN] = 76530, [SPEND] = 76530 * 18000 },
  ["441400"] = { [BEN] = 122640, [SPEND] = 122640 * 7000 },
  ["445200"] = { [BEN] = 134200, [SPEND] = 134200 * 4000 },
}
-- The average: (1377540000 + 858480000 + 536800000) ÷ 333370 = 8317.5451...
local average = (76530 * 18000 + 122640 * 7000 + 134200 * 4000)
                / (76530 + 122640 + 134200)

return {
  case {
    name = "cities above 60% of the average pass, one below fails",
    year = 2019,
    regions = three,
    facts = facts,
    expect = {
      ["440100"] = { outcome = "pass", measured = 18000,
                     required = 0.6 * average },
      ["441400"] = { outcome = "pass", measured = 7000,
                     required = 4990.5270 },
      ["445200"] = { outcome = "fail", measured = 4000,
                     required = 4990.5270 },
    },
  },
  case {
    name = "a run may raise the ratio",
    year = 2019,
    regions = three,
    facts = facts,
    params = { [RULE] = { ratio = 0.9 } },
    expect = {
      ["441400"] = { outcome = "fail", measured = 7000,
                     required = 0.9 * average },
    },
  },
  case {
    name = "a city exactly at 60% of the average passes",
    year = 2019,
    regions = kit.regions("441600", "440300"),
    -- Average (60000000 + 140000000) ÷ 20000 = 10000; 60% = 6000.
    facts = {
      ["441600"] = { [BEN] = 10000, [SPEND] = 60000000 },
      ["440300"] = { [BEN] = 10000, [SPEND] = 140000000 },
    },
    expect = {
      ["441600"] = { outcome = "pass", measured = 6000, required = 6000 },
    },
  },
  case {
    name = "a city without its beneficiary count leaves the average unknown: missing for all",
    year = 2019,
    regions = kit.regions("440100", "441400", "441500"),
    facts = {
      ["440100"] = facts["440100"],
      ["441400"] = facts["441400"],
      ["441500"] = { [SPEND] = 509200000 },
    },
    expect = {
      ["441500"] = { outcome = "missing", note = "assist.hardship.beneficiaries" },
      ["441400"] = { outcome = "missing",
                     note = "缺数据（2019年）：汕尾市 assist.hardship.beneficiaries 无 2019 年数值" },
    },
  },
  case {
    name = "every city lacking a figure is named in the others' findings",
    year = 2019,
    regions = kit.regions("440100", "441400", "441500"),
    facts = {
      ["440100"] = { [BEN] = 76530 },
      ["441400"] = facts["441400"],
      ["441500"] = { [SPEND] = 509200000 },
    },
    expect = {
      ["441400"] = { outcome = "missing",
                     note = "广州市 assist.hardship.spend 无 2019 年数值、汕尾市 assist.hardship.beneficiaries 无 2019 年数值" },
    },
  },
  case {
    name = "a city with no beneficiaries and no spending is skipped and adds nothing to the average",
    year = 2019,
    regions = three,
    facts = {
      ["440100"] = { [BEN] = 0, [SPEND] = 0 },
      ["441400"] = facts["441400"],
      ["445200"] = facts["445200"],
    },
    expect = {
      ["440100"] = { outcome = "skip" },
      ["445200"] = { outcome = "pass", measured = 4000,
                     required = 0.6 * (122640 * 7000 + 134200 * 4000)
                     / (122640 + 134200) },
    },
  },
  case {
    name = "the figures of the year evaluated are used",
    year = 2020,
    regions = kit.regions("441600", "440300"),
    -- 2020: average (50000000 + 150000000) ÷ 20000 = 10000; 60% = 6000.
    facts = {
      ["441600"] = { [BEN] = 10000, [SPEND] = { [2019] = 60000000, [2020] = 50000000 } },
      ["440300"] = { [BEN] = 10000, [SPEND] = { [2019] = 140000000, [2020] = 150000000 } },
    },
    expect = {
      ["441600"] = { outcome = "fail", measured = 5000, required = 6000 },
    },
  },
  -- (a city with no parent is refused by the integrity check before
  -- any rule runs: "region …: a city must have a parent (a province)")
  case {
    name = "a county is held to the province's average of the cities, its own figures outside it",
    year = 2019,
    -- the three cities as above, and 梅州's 大埔县 at 4500 and 梅江区 at
    -- 9000: each against 0.6 × the cities' average (8317.55 → 4990.53),
    -- which the counties do not change.
    regions = kit.regions("440100", "441400", "445200", "441422", "441402"),
    facts = {
      ["440100"] = facts["440100"],
      ["441400"] = facts["441400"],
      ["445200"] = facts["445200"],
      ["441422"] = { [BEN] = 10000, [SPEND] = 45000000 },
      ["441402"] = { [BEN] = 10000, [SPEND] = 90000000 },
    },
    expect = {
      ["441400"] = { outcome = "pass", measured = 7000,
                     required = 0.6 * average },
      ["441422"] = { outcome = "fail", measured = 4500,
                     required = 0.6 * average,
                     note = "全省平均 8317.55 元/人·年（3 个市）× 0.6" },
      ["441402"] = { outcome = "pass", measured = 9000,
                     required = 0.6 * average },
    },
  },
}
