-- Tests of finance.county_spending_gap: within a city, 1 − (the lowest
-- county's basic public service spending per resident ÷ the highest
-- county's), against params.max_gap (0.30); a city without counties is
-- skipped, a county lacking a figure makes the finding missing.
local RULE = "finance.county_spending_gap"
local SPEND, POP = "fin.basic_service.spend", "pop.resident"
local kit = require "testkit"
local case = kit.cases_of(RULE)

-- A county's facts: per_capita 元 for each of pop residents.
local function f(per_capita, pop)
  pop = pop or 100000
  return { [POP] = pop, [SPEND] = per_capita * pop }
end

return {
  case {
    name = "a city whose counties stay within the threshold passes",
    year = 2019,
    regions = kit.regions("441400", "441402", "441422", "441424"),
    -- 梅江区 6000, 大埔县 5400, 五华县 5100 (residents do not weigh):
    -- 1 − 5100 ÷ 6000 = 0.15; mean 5500, cv √((500² + 100² + 400²) ÷ 3)
    -- ÷ 5500 = 0.0680301, (6000 − 5100) ÷ 5500 = 0.1636364.
    facts = {
      ["441400"] = f(5480, 1000000),
      ["441402"] = f(6000, 380000),
      ["441422"] = f(5400, 370000),
      ["441424"] = f(5100, 1050000),
    },
    expect = { ["441400"] = {
      outcome = "pass", measured = 0.15, required = 0.30, unit = "比例",
      note = "3 个县（区）：最低 五华县 5100.00 元 ÷ 最高 梅江区 6000.00 元；"
        .. "变异系数 0.0680，(最高−最低)÷均值 0.1636" } },
  },
  case {
    name = "a city whose counties diverge beyond the threshold fails, another in the same run passes",
    year = 2019,
    regions = kit.regions("440800", "440802", "440825", "440882",
                          "441600", "441602", "441621"),
    -- 湛江: 赤坎区 7000, 徐闻县 4100, 雷州市 4200: 1 − 4100 ÷ 7000 =
    -- 0.4142857. 河源: 源城区 6400, 紫金县 5700: 1 − 5700 ÷ 6400 = 0.109375.
    facts = {
      ["440800"] = f(4600, 7360000),
      ["440802"] = f(7000),
      ["440825"] = f(4100),
      ["440882"] = f(4200),
      ["441600"] = f(5900, 3110000),
      ["441602"] = f(6400),
      ["441621"] = f(5700),
    },
    expect = {
      ["440800"] = { outcome = "fail", measured = 1 - 4100 / 7000,
                     required = 0.30,
                     note = "最低 徐闻县 4100.00 元 ÷ 最高 赤坎区 7000.00 元" },
      ["441600"] = { outcome = "pass", measured = 0.109375, required = 0.30 },
    },
  },
  case {
    name = "a gap of exactly 30% is within the threshold",
    year = 2019,
    regions = kit.regions("441600", "441602", "441621"),
    facts = { ["441602"] = f(10000), ["441621"] = f(7000) },
    expect = { ["441600"] = { outcome = "pass", measured = 0.30,
                              required = 0.30 } },
  },
  case {
    name = "a run may set another threshold",
    year = 2019,
    regions = kit.regions("441600", "441602", "441621"),
    facts = { ["441602"] = f(6400), ["441621"] = f(5700) },
    params = { [RULE] = { max_gap = 0.10 } },
    expect = { ["441600"] = { outcome = "fail", measured = 0.109375,
                              required = 0.10 } },
  },
  case {
    name = "a county lacking a figure makes the finding missing, naming it",
    year = 2019,
    regions = kit.regions("441400", "441402", "441422", "441424"),
    facts = {
      ["441402"] = f(6000),
      ["441422"] = { [POP] = 370000 },
      ["441424"] = f(5100),
    },
    expect = { ["441400"] = {
      outcome = "missing",
      note = "大埔县 fin.basic_service.spend 无 2019 年数值" } },
  },
  case {
    name = "a county with no residents makes the finding missing, naming it",
    year = 2019,
    regions = kit.regions("441400", "441402", "441422"),
    facts = { ["441402"] = f(6000), ["441422"] = { [POP] = 0, [SPEND] = 0 } },
    expect = { ["441400"] = { outcome = "missing", note = "大埔县 pop.resident" } },
  },
  case {
    name = "a city without counties in the data is skipped, saying so",
    year = 2019,
    regions = kit.regions("440300"),
    facts = { ["440300"] = f(9200, 13438800) },
    expect = { ["440300"] = { outcome = "skip",
                              note = "本市在数据中无下辖县（区）" } },
  },
  case {
    name = "a city with one county is skipped",
    year = 2019,
    regions = kit.regions("441600", "441602"),
    facts = { ["441602"] = f(6400) },
    expect = { ["441600"] = { outcome = "skip", note = "仅有 1 个县（区）" } },
  },
  case {
    -- 湛江's gap 0.4142857 would pass a target of 30 (3000%)
    name = "max_gap typed as a percent (30) is an error naming it, never a pass",
    year = 2019,
    regions = kit.regions("440800", "440802", "440825"),
    facts = { ["440802"] = f(7000), ["440825"] = f(4100) },
    params = { [RULE] = { max_gap = 30 } },
    expect = { ["440800"] = { outcome = "error",
      note = "rules/finance/county_spending_gap.lua:33: params.max_gap 30 is not a ratio in 0..1: "
        .. "write 0.30 for 30%" } },
  },
  case {
    name = "a negative max_gap is an error naming it",
    year = 2019,
    regions = kit.regions("440800", "440802", "440825"),
    facts = { ["440802"] = f(7000), ["440825"] = f(4100) },
    params = { [RULE] = { max_gap = -1 } },
    expect = { ["440800"] = { outcome = "error",
      note = "params.max_gap -1 is not a ratio in 0..1" } },
  },
}
