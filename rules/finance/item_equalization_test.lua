-- Tests of finance.item_equalization.<item>: the beneficiary-weighted
-- Theil index of funding per beneficiary across cities, against its base
-- year (2018). Funding per resident of 基本公共卫生服务 in the proportions of
-- the worked example of docs/rules-catalog.md (60, 100, 50, 30 元 for
-- 广州, 深圳, 韶关, 梅州; 2018: 深圳 110, 韶关 45): the index is the same,
-- a Theil index does not change when every value is scaled.
local kit = require "testkit"
local P = "440000"
local HEALTH = "finance.item_equalization.health.public_health"
local FUNDS = "finance.item_equalization.edu.public_funds"
local NUTRITION = "finance.item_equalization.edu.nutrition"

local four = kit.regions("440100", "440300", "440200", "441400")
local function health(pop, per2018, per2019)
  return { ["pop.resident"] = { [2018] = pop, [2019] = pop },
           ["health.public_health.spend"] = { [2018] = per2018 * pop,
                                              [2019] = per2019 * pop } }
end
local function example()
  return {
    ["440100"] = health(3000000, 60, 60),
    ["440300"] = health(1000000, 110, 100),
    ["440200"] = health(2000000, 45, 50),
    ["441400"] = health(2000000, 30, 30),
  }
end
local function nutrition(n, spend)
  return { ["edu.nutrition.beneficiaries"] = n, ["edu.nutrition.spend"] = spend }
end

return {
  {
    name = "a base year after the year evaluated is an error, never a skip",
    year = 2019,
    regions = four,
    facts = example(),
    params = { [HEALTH] = { base_year = 2030 } },
    rules = { HEALTH },
    expect = { [HEALTH] = { [P] = {
      outcome = "error", note = "params.base_year 2030 is after the year "
        .. "evaluated (2019): the base year must be from 2000 to 2019" } } },
  },
  {
    name = "a base year of 0 is an error naming params.base_year",
    year = 2019,
    regions = four,
    facts = example(),
    params = { [HEALTH] = { base_year = 0 } },
    rules = { HEALTH },
    expect = { [HEALTH] = { [P] = {
      outcome = "error",
      note = "params.base_year 0 is not a year from 2000 to 2019" } } },
  },
  {
    name = "per resident funding of public health: the worked example's index",
    year = 2019,
    regions = four,
    facts = example(),
    rules = { HEALTH },
    expect = { [HEALTH] = { [P] = {
      outcome = "pass", measured = 0.0671513, required = 0.0851812,
      unit = "泰尔指数",
      note = "泰尔指数 0.0672 = 区域间 0.0377（56.1%）+ 区域内 0.0295（43.9%）；"
        .. "各区内部：珠三角核心区 0.0283（2 个市，支出占 63.6%）、"
        .. "北部生态发展区 0.0316（2 个市，支出占 36.4%）；"
        .. "变异系数 0.4249（受益对象加权 0.3748）；基尼系数 0.1932；"
        .. "4 个市，每受益对象经费（加权）55.00 元；基期（2018年）0.0852" } } },
  },
  {
    name = "an item of two parts: spending and beneficiaries summed over both",
    year = 2018,
    regions = kit.regions("440100", "441400"),
    facts = {
      -- 广州 (650000 + 850000) ÷ (1000 + 1000) = 750
      ["440100"] = { ["edu.pupils.primary"] = 1000,
                     ["edu.public_funds.spend.primary"] = 650000,
                     ["edu.pupils.junior"] = 1000,
                     ["edu.public_funds.spend.junior"] = 850000 },
      -- 梅州 (1950000 + 850000) ÷ (3000 + 1000) = 700
      ["441400"] = { ["edu.pupils.primary"] = 3000,
                     ["edu.public_funds.spend.primary"] = 1950000,
                     ["edu.pupils.junior"] = 1000,
                     ["edu.public_funds.spend.junior"] = 850000 },
    },
    rules = { FUNDS },
    -- μ = 4300000 ÷ 6000 = 716.67; T = (1/3)(750/μ) ln(750/μ)
    --   + (2/3)(700/μ) ln(700/μ) = 0.000536783
    expect = { [FUNDS] = { [P] = {
      outcome = "pass", measured = 0.000536783, required = 0.000536783,
      note = "变异系数 0.0345（受益对象加权 0.0329）" } } },
  },
  {
    name = "a city the item does not reach is named and weighs nothing",
    year = 2018,
    regions = kit.regions("440100", "440200", "441400"),
    facts = {
      ["440100"] = nutrition(0, 0),
      ["440200"] = nutrition(1000, 800000),
      ["441400"] = nutrition(3000, 2400000),
    },
    rules = { NUTRITION },
    expect = { [NUTRITION] = { [P] = {
      outcome = "pass", measured = 0, required = 0,
      note = "无受益对象、无支出的市（不计）：广州市" } } },
  },
  {
    name = "spending without beneficiaries is a gap, named",
    year = 2018,
    regions = kit.regions("440100", "440200", "441400"),
    facts = {
      ["440100"] = nutrition(0, 1000),
      ["440200"] = nutrition(1000, 800000),
      ["441400"] = nutrition(3000, 2400000),
    },
    rules = { NUTRITION },
    expect = { [NUTRITION] = { [P] = {
      outcome = "missing",
      note = "缺数据（2018年）：广州市 edu.nutrition.beneficiaries 为 0（须大于 0），而支出为 1000" } } },
  },
  {
    name = "every city lacking a figure is named",
    year = 2018,
    regions = kit.regions("440100", "440200", "441400"),
    facts = {
      ["440100"] = { ["edu.nutrition.spend"] = 0 },
      ["440200"] = nutrition(1000, 800000),
      ["441400"] = nutrition(3000, -1),
    },
    rules = { NUTRITION },
    expect = { [NUTRITION] = { [P] = {
      outcome = "missing",
      note = "广州市 edu.nutrition.beneficiaries 无 2018 年数值、梅州市 edu.nutrition.spend 为负数 -1" } } },
  },
  {
    name = "no city with beneficiaries: skipped, said so",
    year = 2018,
    regions = kit.regions("440100", "440200"),
    facts = { ["440100"] = nutrition(0, 0), ["440200"] = nutrition(0, 0) },
    rules = { NUTRITION },
    expect = { [NUTRITION] = { [P] = {
      outcome = "skip", note = "各市均无贫困地区学生营养膳食补助受益对象" } } },
  },
}
