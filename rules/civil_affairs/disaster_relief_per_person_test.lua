-- Tests of civil_affairs.disaster_relief_per_person: relief per person in
-- need (spend ÷ people in need) against params.ratio (0.6) × the average
-- over the cities with people in need (total spend ÷ total in need).
local RULE = "civil_affairs.disaster_relief_per_person"
local SPEND = "assist.disaster.spend"
local NEED = "assist.disaster.in_need"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local city = kit.city
local three = kit.regions("440400", "440800", "441700")
-- 珠海 1500, 湛江 900, 阳江 400 元 per person in need.
local facts = {
  ["440400"] = { [NEED] = 2000, [SPEND] = 2000 * 1500 },
  ["440800"] = { [NEED] = 22080, [SPEND] = 22080 * 900 },
  ["441700"] = { [NEED] = 7710, [SPEND] = 7710 * 400 },
}
-- Average (3000000 + 19872000 + 3084000) ÷ 31790 = 816.4831...
local average = (2000 * 1500 + 22080 * 900 + 7710 * 400)
                / (2000 + 22080 + 7710)

return {
  case {
    name = "cities above 60% of the average pass, one below fails",
    year = 2018,
    regions = three,
    facts = facts,
    expect = {
      ["440400"] = { outcome = "pass", measured = 1500, required = 0.6 * average,
                     unit = "元/人" },
      ["440800"] = { outcome = "pass", measured = 900, required = 489.890 },
      ["441700"] = { outcome = "fail", measured = 400, required = 489.890,
                     note = "全省平均 816.48 元/人（3 个市）× 0.6" },
    },
  },
  case {
    name = "a city exactly at 60% of the average passes",
    year = 2019,
    regions = kit.regions("440400", "441700"),
    -- Average (1400000 + 600000) ÷ 2000 = 1000; 60% = 600.
    facts = {
      ["440400"] = { [NEED] = 1000, [SPEND] = 1400000 },
      ["441700"] = { [NEED] = 1000, [SPEND] = 600000 },
    },
    expect = {
      ["441700"] = { outcome = "pass", measured = 600, required = 600 },
    },
  },
  case {
    name = "the figures of the year evaluated are used",
    year = 2020,
    regions = kit.regions("440400", "441700"),
    facts = {
      ["440400"] = { [NEED] = 1000, [SPEND] = { [2019] = 1400000, [2020] = 1500000 } },
      ["441700"] = { [NEED] = 1000, [SPEND] = { [2019] = 600000, [2020] = 500000 } },
    },
    -- 2020: average 1000, 60% = 600; 阳江 500 fails.
    expect = {
      ["441700"] = { outcome = "fail", measured = 500, required = 600 },
    },
  },
  case {
    name = "a run may change the ratio",
    year = 2018,
    regions = three,
    facts = facts,
    params = { [RULE] = { ratio = 0.4 } },
    expect = {
      ["441700"] = { outcome = "pass", measured = 400, required = 0.4 * average },
    },
  },
  case {
    name = "a city with nobody in need and nothing spent is skipped and adds nothing to the average",
    year = 2019,
    regions = three,
    facts = {
      ["440400"] = { [NEED] = 0, [SPEND] = 0 },
      ["440800"] = facts["440800"],
      ["441700"] = facts["441700"],
    },
    expect = {
      ["440400"] = { outcome = "skip" },
      ["441700"] = { outcome = "fail", measured = 400,
                     required = 0.6 * (22080 * 900 + 7710 * 400)
                     / (22080 + 7710),
                     note = "计入平均、数量与金额均为 0 的：珠海市" },
    },
  },
  case {
    name = "a city without its spending figure leaves the average unknown: missing for all",
    year = 2019,
    regions = three,
    facts = {
      ["440400"] = facts["440400"],
      ["440800"] = { [NEED] = 22080 },
      ["441700"] = facts["441700"],
    },
    expect = {
      ["440800"] = { outcome = "missing" },
      -- Without 湛江 the average would be 626.57 and 阳江 would pass: an
      -- average without a city is not the province's average.
      ["441700"] = { outcome = "missing",
                     note = "缺数据（2019年）：湛江市 assist.disaster.spend 无 2019 年数值" },
    },
  },
  case {
    name = "a city with relief spent but nobody in need leaves the average unknown",
    year = 2019,
    regions = three,
    facts = {
      ["440400"] = { [NEED] = 0, [SPEND] = 3000000 },
      ["440800"] = facts["440800"],
      ["441700"] = facts["441700"],
    },
    expect = {
      ["440400"] = { outcome = "skip" },
      ["441700"] = { outcome = "missing",
                     note = "珠海市 assist.disaster.in_need 为 0（须大于 0），而 assist.disaster.spend 为 3000000" },
    },
  },
  -- (a city with no parent is refused by the integrity check before
  -- any rule runs: "region …: a city must have a parent (a province)")
}
