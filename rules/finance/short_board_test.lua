-- Tests of finance.short_board: for each item with a national standard,
-- the province's spending ÷ (national standard × its beneficiaries ×
-- periods); items below 1 lag, ranked by gap (1 − ratio), largest first;
-- measured = how many lag, target ≤ params.max_lagging (0).
local RULE = "finance.short_board"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local province = kit.province
local NUT = "贫困地区学生营养膳食补助"
local FP = "计划生育扶助保障"
local standards = {
  ["edu.nutrition"] = { national = 800 },
  ["health.family_planning"] = { national = 80 },
  ["health.public_health"] = { national = 69 },
}
local function facts(nutrition, family_planning, public_health)
  return { ["440000"] = {
    ["edu.nutrition.beneficiaries"] = 1000,
    ["edu.nutrition.spend"] = nutrition * 1000,
    ["health.family_planning.beneficiaries"] = 1000,
    ["health.family_planning.spend"] = family_planning * 1000 * 12,
    ["pop.resident"] = 1000000,
    ["health.public_health.spend"] = public_health * 1000000,
  } }
end

return {
  case {
    name = "every item at or above the national standard passes",
    year = 2020,
    regions = { province },
    facts = facts(800, 85, 74),
    standards = standards,
    expect = { ["440000"] = {
      outcome = "pass", measured = 0, required = 0, unit = "项",
      note = "3 项达到国家标准" } },
  },
  case {
    name = "two lagging items are ranked, largest gap first, and the finding fails",
    year = 2018,
    regions = { province },
    facts = facts(760, 78, 70),
    standards = standards,
    expect = { ["440000"] = {
      outcome = "fail", measured = 2, required = 0,
      note = "低于国家标准（差距由大到小）：1. " .. NUT .. " 达标率 95.00%（差距 5.00%）；"
        .. "2. " .. FP .. " 达标率 97.50%（差距 2.50%）；1 项达到国家标准" } },
  },
  case {
    name = "the larger gap ranks first whatever the catalog order",
    year = 2018,
    regions = { province },
    facts = facts(790, 70, 70),
    standards = standards,
    expect = { ["440000"] = {
      outcome = "fail", measured = 2,
      note = "1. " .. FP .. " 达标率 87.50%（差距 12.50%）；2. " .. NUT } },
  },
  case {
    name = "equal gaps rank in catalog order",
    year = 2018,
    regions = { province },
    facts = facts(720, 72, 70),
    standards = standards,
    expect = { ["440000"] = {
      outcome = "fail", measured = 2,
      note = "1. " .. NUT .. " 达标率 90.00%（差距 10.00%）；2. " .. FP } },
  },
  case {
    name = "an item exactly at the national standard does not lag",
    year = 2019,
    regions = { province },
    facts = facts(800, 80, 69),
    standards = standards,
    expect = { ["440000"] = { outcome = "pass", measured = 0 } },
  },
  case {
    name = "the national standard is the yardstick, not a higher provincial one",
    year = 2019,
    regions = { province },
    facts = facts(800, 80, 70),
    standards = { ["edu.nutrition"] = { national = 800, provincial = 1000 },
                  ["health.family_planning"] = { national = 80 },
                  ["health.public_health"] = { national = 69 } },
    expect = { ["440000"] = { outcome = "pass", measured = 0 } },
  },
  case {
    name = "the national standard of the year evaluated applies (2019: 69)",
    year = 2019,
    regions = { province },
    facts = facts(800, 80, 60),
    standards = { ["health.public_health"] = { national = { [2018] = 55, [2019] = 69 } } },
    expect = { ["440000"] = {
      outcome = "fail", measured = 1,
      note = "1. 基本公共卫生服务 达标率 86.96%（差距 13.04%）" } },
  },
  case {
    name = "the same spending judged in 2018 (55) does not lag",
    year = 2018,
    regions = { province },
    facts = facts(800, 80, 60),
    standards = { ["health.public_health"] = { national = { [2018] = 55, [2019] = 69 } } },
    expect = { ["440000"] = { outcome = "pass", measured = 0,
                              note = "1 项达到国家标准" } },
  },
  case {
    name = "an item with no beneficiaries is not ranked",
    year = 2020,
    regions = { province },
    facts = (function()
      local f = facts(800, 80, 74)
      f["440000"]["edu.nutrition.beneficiaries"] = 0
      f["440000"]["edu.nutrition.spend"] = 0
      return f
    end)(),
    standards = standards,
    expect = { ["440000"] = {
      outcome = "pass", measured = 0,
      note = "2 项达到国家标准；无国家标准或无受益对象未排序：义务教育公用经费保障" } },
  },
  case {
    name = "a run may tolerate one lagging item",
    year = 2018,
    regions = { province },
    facts = facts(800, 78, 70),
    standards = standards,
    params = { [RULE] = { max_lagging = 1 } },
    expect = { ["440000"] = { outcome = "pass", measured = 1, required = 1 } },
  },
  case {
    name = "a provincial figure missing is a data gap",
    year = 2019,
    regions = { province },
    facts = (function()
      local f = facts(800, 80, 69)
      f["440000"]["health.family_planning.spend"] = nil
      return f
    end)(),
    standards = standards,
    expect = { ["440000"] = { outcome = "missing" } },
  },
  case {
    name = "negative figures rank nothing: missing, each named",
    year = 2019,
    regions = { province },
    facts = (function()
      local f = facts(800, 80, 69)
      f["440000"]["edu.nutrition.spend"] = -800000
      f["440000"]["health.family_planning.beneficiaries"] = -1000
      return f
    end)(),
    standards = standards,
    expect = { ["440000"] = {
      outcome = "missing",
      note = "数据不可用（2019年）：广东省 edu.nutrition.spend 为负数 -800000、"
        .. "广东省 health.family_planning.beneficiaries 为负数 -1000" } },
  },
}
