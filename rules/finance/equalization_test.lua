-- Tests of finance.equalization.*: the worked example of
-- docs/rules-catalog.md ("Equalization index"): four cities in two zones,
--
--   city        zone   residents   spending        per resident
--   广州 440100 core   3,000,000   18,000,000,000   6,000
--   深圳 440300 core   1,000,000   10,000,000,000  10,000
--   韶关 440200 north  2,000,000   10,000,000,000   5,000
--   梅州 441400 north  2,000,000    6,000,000,000   3,000
--
-- in 2019 (μ = 44e9 ÷ 8e6 = 5500; core 7000, north 4000), against the
-- base year 2018 (深圳 11,000, 韶关 4,500) and in 2020 (深圳 12,000). The
-- expected values were worked out by hand, step by step, in the catalog.
local kit = require "testkit"
local P = "440000"
local ID = "finance.equalization."
local RULES = { ID .. "cv_weighted", ID .. "gini", ID .. "theil",
                ID .. "theil_between_zone", ID .. "theil_within_zone",
                ID .. "theil_within_city" }
local SPEND, POP = "fin.basic_service.spend", "pop.resident"

local four = kit.regions("440100", "440300", "440200", "441400")

-- The facts of the example for 2018, 2019 and 2020: per resident, by year.
local function years(v)
  return { [2018] = v, [2019] = v, [2020] = v }
end
local function city(pop, per)
  return { [POP] = years(pop), [SPEND] = { [2018] = per[1] * pop,
                                    [2019] = per[2] * pop,
                                    [2020] = per[3] * pop } }
end
local function example()
  return {
    ["440100"] = city(3000000, { 6000, 6000, 6000 }),
    ["440300"] = city(1000000, { 11000, 10000, 12000 }),
    ["440200"] = city(2000000, { 4500, 5000, 5000 }),
    ["441400"] = city(2000000, { 3000, 3000, 3000 }),
  }
end

-- { [rule] = { [province] = finding } } of the five city-level measures.
local function expect(outcome, measured, required, notes)
  local out = {}
  for i = 1, 5 do
    out[RULES[i]] = { [P] = { outcome = outcome[i], measured = measured[i],
                              required = required[i],
                              note = notes and notes[i] or nil } }
  end
  return out
end

local BASE = { 0.433609, 0.21875, 0.0851812, 0.0515105, 0.0336706 }

return {
  {
    name = "the worked example in 2019 is below its base year: pass",
    year = 2019,
    regions = four,
    facts = example(),
    rules = { RULES[1], RULES[2], RULES[3], RULES[4], RULES[5] },
    expect = expect({ "pass", "pass", "pass", "pass", "pass" },
      { 0.374828, 0.193182, 0.0671513, 0.0376654, 0.0294859 }, BASE,
      { "人口加权变异系数 0.3748（不加权 0.4249）；基尼系数 0.1932；4 个市，"
          .. "人均支出（常住人口加权）5500.00 元；基期（2018年）0.4336",
        "基尼系数 0.1932；人口加权变异系数 0.3748",
        "泰尔指数 0.0672 = 区域间 0.0377（56.1%）+ 区域内 0.0295（43.9%）；"
          .. "各区内部：珠三角核心区 0.0283（2 个市，支出占 63.6%）、"
          .. "北部生态发展区 0.0316（2 个市，支出占 36.4%）",
        "区域间 0.0377，占泰尔指数 0.0672 的 56.1%；各区人均：珠三角核心区 "
          .. "7000.00 元（人口占 50.0%）、北部生态发展区 4000.00 元（人口占 50.0%）",
        "区域内 0.0295，占泰尔指数 0.0672 的 43.9%" }),
  },
  {
    name = "in the base year each measure is its own target, said so",
    year = 2018,
    regions = four,
    facts = example(),
    rules = { RULES[1], RULES[2], RULES[3], RULES[4], RULES[5] },
    expect = expect({ "pass", "pass", "pass", "pass", "pass" }, BASE, BASE,
      { "本年为基期（2018年）", "本年为基期（2018年）", "本年为基期（2018年）",
        "本年为基期（2018年）", "本年为基期（2018年）" }),
  },
  {
    name = "in 2020 深圳 rises to 12000: every measure above its base fails",
    year = 2020,
    regions = four,
    facts = example(),
    rules = { RULES[1], RULES[2], RULES[3], RULES[4], RULES[5] },
    expect = expect({ "fail", "fail", "fail", "pass", "fail" },
      { 0.458072, 0.222826, 0.093335, 0.0470567, 0.0462783 }, BASE),
  },
  {
    name = "a base year after the year evaluated is the rule's error",
    year = 2018,
    regions = four,
    facts = example(),
    params = { [RULES[3]] = { base_year = 2019 } },
    rules = { RULES[3] },
    expect = { [RULES[3]] = { [P] = {
      outcome = "error", note = "params.base_year 2019 is after the year "
        .. "evaluated (2018): the base year must be from 2000 to 2018" } } },
  },
  {
    name = "a base year far ahead (a typo) is an error, never a skip",
    year = 2020,
    regions = four,
    facts = example(),
    params = { [RULES[6]] = { base_year = 2030 } },
    rules = { RULES[6] },
    expect = { [RULES[6]] = { [P] = {
      outcome = "error", note = "params.base_year 2030 is after the year "
        .. "evaluated (2020)" } } },
  },
  {
    name = "a base year of 0 is an error naming params.base_year",
    year = 2019,
    regions = four,
    facts = example(),
    params = { [RULES[2]] = { base_year = 0 } },
    rules = { RULES[2] },
    expect = { [RULES[2]] = { [P] = {
      outcome = "error",
      note = "params.base_year 0 is not a year from 2000 to 2019" } } },
  },
  {
    name = "a negative base year is an error naming params.base_year",
    year = 2019,
    regions = four,
    facts = example(),
    params = { [RULES[4]] = { base_year = -1 } },
    rules = { RULES[4] },
    expect = { [RULES[4]] = { [P] = {
      outcome = "error",
      note = "params.base_year -1 is not a year from 2000 to 2019" } } },
  },
  {
    name = "a base year of 2000, the earliest, is accepted",
    year = 2019,
    regions = four,
    facts = (function()
      local f = example()
      for _, code in ipairs({ "440100", "440300", "440200", "441400" }) do
        f[code][POP][2000] = f[code][POP][2018]
        f[code][SPEND][2000] = f[code][SPEND][2018]
      end
      return f
    end)(),
    params = { [RULES[3]] = { base_year = 2000 } },
    rules = { RULES[3] },
    expect = { [RULES[3]] = { [P] = {
      outcome = "pass", measured = 0.0671513, required = 0.0851812,
      note = "基期（2000年）0.0852" } } },
  },
  {
    name = "a city without residents is not left out: missing, naming it",
    year = 2019,
    regions = four,
    facts = (function()
      local f = example()
      f["440200"][POP][2019] = nil
      return f
    end)(),
    rules = { RULES[3] },
    expect = { [RULES[3]] = { [P] = {
      outcome = "missing",
      note = "缺数据（2019年）：韶关市 pop.resident 无 2019 年数值" } } },
  },
  {
    name = "a city lacking its base-year spending: missing, naming the year",
    year = 2019,
    regions = four,
    facts = (function()
      local f = example()
      f["441400"][SPEND][2018] = nil
      return f
    end)(),
    rules = { RULES[2] },
    expect = { [RULES[2]] = { [P] = {
      outcome = "missing",
      note = "缺数据（2018年，基期）：梅州市 fin.basic_service.spend 无 2018 年数值" } } },
  },
  {
    name = "gaps of the year and of the base year are named together",
    year = 2020,
    regions = four,
    facts = (function()
      local f = example()
      f["441400"][SPEND][2018] = nil
      f["440300"][POP][2020] = 0
      f["440200"][POP][2020] = nil
      return f
    end)(),
    rules = { RULES[5] },
    expect = { [RULES[5]] = { [P] = {
      outcome = "missing",
      note = "缺数据（2020年）：韶关市 pop.resident 无 2020 年数值、"
        .. "深圳市 pop.resident 为 0（须大于 0）；"
        .. "缺数据（2018年，基期）：梅州市 fin.basic_service.spend 无 2018 年数值" } } },
  },
  {
    name = "a city outside the four zones is not left out: missing",
    year = 2019,
    regions = { kit.province, kit.city("440100"), kit.city("440300"),
                kit.city("440200", { zone = false }), kit.city("441400") },
    facts = example(),
    rules = { RULES[4] },
    expect = { [RULES[4]] = { [P] = {
      outcome = "missing", note = "韶关市 分组 未标明所属分区（zone）" } } },
  },
  {
    name = "no spending anywhere: no measure of spread, skipped",
    year = 2019,
    regions = kit.regions("440100", "441400"),
    facts = { ["440100"] = { [POP] = 1000, [SPEND] = 0 },
              ["441400"] = { [POP] = 2000, [SPEND] = 0 } },
    rules = { RULES[2] },
    params = { [RULES[2]] = { base_year = 2019 } },
    expect = { [RULES[2]] = { [P] = {
      outcome = "skip", note = "2019 年无有常住人口且有支出的市，无法测算" } } },
  },
  {
    name = "the part within the cities needs every city too",
    year = 2019,
    regions = four,
    facts = (function()
      local f = example()
      f["440300"][SPEND][2019] = -1
      return f
    end)(),
    rules = { RULES[6] },
    expect = { [RULES[6]] = { [P] = {
      outcome = "missing",
      note = "缺数据（2019年）：深圳市 fin.basic_service.spend 为负数 -1" } } },
  },
  {
    name = "the part within the cities: 广州 split into two counties",
    year = 2019,
    regions = { kit.province, kit.city("440100"), kit.city("440300"),
                kit.city("440200"), kit.city("441400"),
                kit.county("440103"), kit.county("440104") },
    facts = (function()
      local f = example()
      -- 荔湾 5000 and 越秀 6500 per resident (2019), 5500 and 6250 (2018)
      f["440103"] = { [POP] = years(1000000),
                      [SPEND] = { [2018] = 5.5e9, [2019] = 5e9 } }
      f["440104"] = { [POP] = years(2000000),
                      [SPEND] = { [2018] = 1.25e10, [2019] = 1.3e10 } }
      return f
    end)(),
    rules = { RULES[6] },
    -- T_fine 0.0700819 = the cities' 0.0671513 + within 0.00293062
    expect = { [RULES[6]] = { [P] = {
      outcome = "fail", measured = 0.00293062, required = 0.000720735,
      note = "县级泰尔指数 0.0701 = 市间 0.0672 + 市内 0.002931（4.2%）；"
        .. "分解的市：广州市（2 个县区）；基期（2018年）0.000721" } } },
  },
  {
    name = "no county in the data: the part within the cities is 0",
    year = 2019,
    regions = four,
    facts = example(),
    rules = { RULES[6] },
    expect = { [RULES[6]] = { [P] = {
      outcome = "pass", measured = 0, required = 0,
      note = "分解的市：无（数据中无县区）" } } },
  },
  {
    -- the adversarial case: 广州 split in the base year, a county lacking
    -- its spending in the year: never 广州 whole against 广州 split
    name = "a county lacking a figure in the year: missing, naming it",
    year = 2019,
    regions = { kit.province, kit.city("440100"), kit.city("440300"),
                kit.city("440200"), kit.city("441400"),
                kit.county("440103"), kit.county("440104") },
    facts = (function()
      local f = example()
      f["440103"] = { [POP] = years(1000000),
                      [SPEND] = { [2018] = 5.5e9 } }
      f["440104"] = { [POP] = years(2000000),
                      [SPEND] = { [2018] = 1.25e10, [2019] = 1.3e10 } }
      return f
    end)(),
    rules = { RULES[6] },
    expect = { [RULES[6]] = { [P] = {
      outcome = "missing",
      note = "缺数据（2019年）：广州市荔湾区 fin.basic_service.spend "
        .. "无 2019 年数值" } } },
  },
  {
    name = "a county lacking a figure in the base year: missing, naming it",
    year = 2019,
    regions = { kit.province, kit.city("440100"), kit.city("440300"),
                kit.city("440200"), kit.city("441400"),
                kit.county("440103"), kit.county("440104") },
    facts = (function()
      local f = example()
      f["440103"] = { [POP] = { [2019] = 1000000 },
                      [SPEND] = { [2018] = 5.5e9, [2019] = 5e9 } }
      f["440104"] = { [POP] = years(2000000),
                      [SPEND] = { [2018] = 1.25e10, [2019] = 1.3e10 } }
      return f
    end)(),
    rules = { RULES[6] },
    expect = { [RULES[6]] = { [P] = {
      outcome = "missing",
      note = "缺数据（2018年，基期）：广州市荔湾区 pop.resident 无 2018 年数值" } } },
  },
  {
    name = "counties that do not add up to their city: missing, naming it",
    year = 2019,
    regions = { kit.province, kit.city("440100"), kit.city("440300"),
                kit.city("440200"), kit.city("441400"),
                kit.county("440103"), kit.county("440104") },
    facts = (function()
      local f = example()
      f["440103"] = { [POP] = years(1000000),
                      [SPEND] = { [2018] = 5.5e9, [2019] = 5e9 + 1e6 } }
      f["440104"] = { [POP] = years(2000000),
                      [SPEND] = { [2018] = 1.25e10, [2019] = 1.3e10 } }
      return f
    end)(),
    rules = { RULES[6] },
    expect = { [RULES[6]] = { [P] = {
      outcome = "missing",
      note = "缺数据（2019年）：广州市 fin.basic_service.spend 与所辖 2 个县"
        .. "（区）合计不符（全市 18000000000，各县区合计 18001000000）" } } },
  },
  {
    name = "counties not adding up in the base year: missing, said so",
    year = 2020,
    regions = { kit.province, kit.city("440100"), kit.city("440300"),
                kit.city("440200"), kit.city("441400"),
                kit.county("440103"), kit.county("440104") },
    facts = (function()
      local f = example()
      f["440103"] = { [POP] = { [2018] = 900000, [2020] = 1000000 },
                      [SPEND] = { [2018] = 5.5e9, [2020] = 5e9 } }
      f["440104"] = { [POP] = years(2000000),
                      [SPEND] = { [2018] = 1.25e10, [2020] = 1.3e10 } }
      return f
    end)(),
    rules = { RULES[6] },
    expect = { [RULES[6]] = { [P] = {
      outcome = "missing",
      note = "缺数据（2018年，基期）：广州市 pop.resident 与所辖 2 个县（区）"
        .. "合计不符（全市 3000000，各县区合计 2900000）" } } },
  },
}
