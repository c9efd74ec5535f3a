-- Tests of finance.short_board: for each item with a national average (or,
-- failing one, a national standard), the province's spending ÷ (reference
-- × its beneficiaries × periods); items below 1 lag, ranked by gap (1 −
-- ratio), largest first; measured = how many lag, target ≤
-- params.max_lagging (0). The cases without national_averages measure
-- every item against its national standard, and the note says so.
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
      note = "3 项达到参照水平；无全国平均水平、以国家标准为参照："
        .. NUT .. "、基本公共卫生服务、" .. FP } },
  },
  case {
    name = "two lagging items are ranked, largest gap first, and the finding fails",
    year = 2018,
    regions = { province },
    facts = facts(760, 78, 70),
    standards = standards,
    expect = { ["440000"] = {
      outcome = "fail", measured = 2, required = 0,
      note = "低于参照水平（差距由大到小）：1. " .. NUT .. " 达标率 95.00%（差距 5.00%）；"
        .. "2. " .. FP .. " 达标率 97.50%（差距 2.50%）；1 项达到参照水平" } },
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
                              note = "1 项达到参照水平" } },
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
      note = "2 项达到参照水平；无全国平均水平、以国家标准为参照：基本公共卫生服务、"
        .. FP .. "；无全国平均水平和国家标准或无受益对象未排序：义务教育公用经费保障、"
        .. "家庭经济困难学生生活补助、" .. NUT } },
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
  case {
    -- 粤财办〔2019〕1号 二(二)1: 以基本公共服务项目的全国平均水平为参照. Nutrition
    -- 800 against an average of 850 (94.12%), public health 74 against 80
    -- (92.50%); family planning has no average: its standard (80) is the
    -- yardstick, met by 85, and the note says so.
    name = "the national average is the yardstick; an item without one falls back to its standard, named",
    year = 2020,
    regions = { province },
    facts = facts(800, 85, 74),
    standards = standards,
    national_averages = { ["edu.nutrition"] = 850,
                          ["health.public_health"] = 80 },
    expect = { ["440000"] = {
      outcome = "fail", measured = 2, required = 0, unit = "项",
      note = "低于参照水平（差距由大到小）：1. 基本公共卫生服务 达标率 92.50%（差距 7.50%）；"
        .. "2. " .. NUT .. " 达标率 94.12%（差距 5.88%）；1 项达到参照水平；"
        .. "无全国平均水平、以国家标准为参照：" .. FP } },
  },
  case {
    name = "an item at its national average passes even below a higher standard",
    year = 2019,
    regions = { province },
    facts = facts(760, 80, 69),
    standards = standards,
    national_averages = { ["edu.nutrition"] = 750 },
    -- 760 ≥ 750 (the standard, 800, is not the yardstick here)
    expect = { ["440000"] = {
      outcome = "pass", measured = 0,
      note = "3 项达到参照水平；无全国平均水平、以国家标准为参照：基本公共卫生服务、" .. FP } },
  },
  case {
    name = "the national average of the year evaluated; another year's falls back",
    year = 2020,
    regions = { province },
    facts = facts(800, 80, 74),
    standards = standards,
    national_averages = { ["edu.nutrition"] = { [2019] = 900, [2020] = 820 } },
    -- 2020: 800 ÷ 820 = 97.56%
    expect = { ["440000"] = {
      outcome = "fail", measured = 1,
      note = "1. " .. NUT .. " 达标率 97.56%（差距 2.44%）；2 项达到参照水平" } },
  },
  case {
    name = "a monthly item's average is per month: 85 against 90 (× 12 each)",
    year = 2020,
    regions = { province },
    facts = facts(800, 85, 74),
    standards = standards,
    national_averages = { ["edu.nutrition"] = 800, ["health.public_health"] = 74,
                          ["health.family_planning"] = 90 },
    -- 85 × 1000 × 12 ÷ (90 × 1000 × 12) = 94.44%
    expect = { ["440000"] = {
      outcome = "fail", measured = 1,
      note = "低于参照水平（差距由大到小）：1. " .. FP .. " 达标率 94.44%（差距 5.56%）；"
        .. "2 项达到参照水平" } },
  },
  case {
    -- Compulsory education: the primary part has an average (750), the
    -- junior part only its standard (850). Spending 700 × 1000 + 900 × 500
    -- = 1150000 against 750 × 1000 + 850 × 500 = 1175000: 97.87%.
    name = "a part without an average falls back alone, and the note names it",
    year = 2019,
    regions = { province },
    facts = { ["440000"] = {
      ["edu.pupils.primary"] = 1000, ["edu.public_funds.spend.primary"] = 700000,
      ["edu.pupils.junior"] = 500, ["edu.public_funds.spend.junior"] = 450000,
    } },
    standards = { ["edu.public_funds.primary"] = { national = 650 },
                  ["edu.public_funds.junior"] = { national = 850 } },
    national_averages = { ["edu.public_funds.primary"] = 750 },
    expect = { ["440000"] = {
      outcome = "fail", measured = 1,
      note = "1. 义务教育公用经费保障 达标率 97.87%（差距 2.13%）；0 项达到参照水平；"
        .. "无全国平均水平、以国家标准为参照：义务教育公用经费保障（edu.public_funds.junior）" } },
  },
  case {
    -- The junior part has neither average nor standard: it is left out of
    -- the reference and of the spending (700000 ÷ (750 × 1000) = 93.33%,
    -- never (700000 + 450000) ÷ 750000), and the note names it.
    name = "a part with neither average nor standard is left out of both sides, and named",
    year = 2019,
    regions = { province },
    facts = { ["440000"] = {
      ["edu.pupils.primary"] = 1000, ["edu.public_funds.spend.primary"] = 700000,
      ["edu.pupils.junior"] = 500, ["edu.public_funds.spend.junior"] = 450000,
    } },
    standards = { ["edu.public_funds.primary"] = { national = 650 } },
    national_averages = { ["edu.public_funds.primary"] = 750 },
    expect = { ["440000"] = {
      outcome = "fail", measured = 1,
      note = "1. 义务教育公用经费保障 达标率 93.33%（差距 6.67%）；0 项达到参照水平；"
        .. "部分子项无全国平均水平和国家标准、仅按其余子项计（支出与参照同口径）："
        .. "义务教育公用经费保障（edu.public_funds.junior 未计入）" } },
  },
}
