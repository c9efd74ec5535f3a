-- Tests of the finance.cost_sharing.<item> rules: required = standard ×
-- beneficiaries (Σ over the item's parts, × 12 for a monthly standard);
-- province due = round(share × required), city due = round(required) −
-- province due; the province pays by transfer, the city from its own
-- spending (spending − transfer). measured = the lower payment ratio.
local PH = "finance.cost_sharing.health.public_health"
local EDU = "finance.cost_sharing.edu.public_funds"
local PEN = "finance.cost_sharing.pension.resident_basic"
local MED = "finance.cost_sharing.medical.resident_insurance"
local NUT = "finance.cost_sharing.edu.nutrition"
local kit = require "testkit"
local case = kit.cases_of(PH, EDU, PEN, MED, NUT)
local tiers = { [1] = 0.7, [2] = 0.5, [3] = 0.3 }
local shares = {
  ["health.public_health"] = tiers,
  ["edu.public_funds"] = tiers,
  ["pension.resident_basic"] = tiers,
  ["medical.resident_insurance"] = tiers,
  ["edu.nutrition"] = tiers,
}
local ph = { ["health.public_health"] = { national = 69 } }
-- One city's public health figures (spend nil: not reported).
local function ph_facts(residents, spend)
  return { ["pop.resident"] = residents, ["health.public_health.spend"] = spend }
end
-- The public health transfer paid to one city.
local function ph_paid(yuan)
  return { ["health.public_health"] = yuan }
end
-- 河源 in 2018 and 2019, when the standard rose from 55 to 69.
local heyuan_two_years = {
  ["pop.resident"] = { [2018] = 1000000, [2019] = 1000000 },
  ["health.public_health.spend"] = { [2018] = 55000000, [2019] = 60000000 } }
local ph_two_years = { ["health.public_health"] = {
  national = { [2018] = 55, [2019] = 69 } } }

return {
  case {
    name = "both levels paid their part: pass",
    year = 2019,
    city = "441600",
    -- required 69 × 1000000 = 69000000; province 48300000 paid; city due
    -- 20700000, own 72000000 − 48300000 = 23700000.
    facts = ph_facts(1000000, 72000000),
    standards = ph,
    shares = shares,
    transfers = ph_paid(48300000),
    expect = { [PH] = {
      outcome = "pass", measured = 1, required = 1, unit = "到位率",
      note = "所需 69 × 1000000 = 69000000 元；省级（第1档 0.7）应担 48300000 元，"
        .. "已拨 48300000.00 元；市级应担 20700000 元，自有支出 23700000.00 元" } },
  },
  case {
    name = "the city paid less than its part: fail (the sample's 梅州 in 2019)",
    year = 2019,
    city = "441400",
    facts = ph_facts(4380000, 280000000),
    standards = ph,
    shares = shares,
    transfers = ph_paid(211554000),
    -- city due 302220000 − 211554000 = 90666000; own 68446000.
    expect = { [PH] = {
      outcome = "fail", measured = 68446000 / 90666000, required = 1,
      note = "市级少支 22220000.00 元" } },
  },
  case {
    name = "the province paid less than its part: fail (the sample's 韶关 in 2020)",
    year = 2020,
    city = "440200",
    facts = { ["medical.resident_insurance.insured"] = 2492800,
              ["medical.resident_insurance.subsidy"] = 1425881600 },
    standards = { ["medical.resident_insurance"] = { national = 550 } },
    shares = shares,
    -- paid at the 2019 standard: 0.7 × 520 × 2492800 = 907379200; due
    -- 0.7 × 550 × 2492800 = 959728000.
    transfers = { ["medical.resident_insurance"] = 907379200 },
    expect = { [MED] = {
      outcome = "fail", measured = 907379200 / 959728000,
      note = "省级少拨 52348800.00 元" } },
  },
  case {
    name = "both levels exactly at their part: pass",
    year = 2019,
    city = "440300",
    -- 170 × 100 × 12 = 204000; province 0.3 → 61200; city 142800.
    facts = { ["pension.resident_basic.beneficiaries"] = 100,
              ["pension.resident_basic.spend"] = 204000 },
    standards = { ["pension.resident_basic"] = { national = 88, provincial = 170 } },
    shares = shares,
    transfers = { ["pension.resident_basic"] = 61200 },
    expect = { [PEN] = {
      outcome = "pass", measured = 1,
      note = "所需 170 × 100 × 12 = 204000 元；省级（第3档 0.3）应担 61200 元，"
        .. "已拨 61200.00 元；市级应担 142800 元，自有支出 142800.00 元" } },
  },
  case {
    name = "an item with two parts sums them (primary and junior public funds)",
    year = 2019,
    city = "440700",
    facts = { ["edu.pupils.primary"] = 1000,
              ["edu.pupils.junior"] = 500,
              ["edu.public_funds.spend.primary"] = 700000,
              ["edu.public_funds.spend.junior"] = 450000 },
    standards = { ["edu.public_funds.primary"] = { national = 650 },
                  ["edu.public_funds.junior"] = { national = 850 } },
    shares = shares,
    transfers = { ["edu.public_funds"] = 537500 },
    expect = { [EDU] = {
      outcome = "pass", measured = 1,
      note = "所需 650 × 1000 + 850 × 500 = 1075000 元；省级（第2档 0.5）应担 537500 元" } },
  },
  case {
    name = "the standard of the year evaluated applies (2019: 69, not 2018's 55)",
    year = 2019,
    city = "441600",
    facts = heyuan_two_years,
    standards = ph_two_years,
    shares = shares,
    -- paid at last year's standard: 0.7 × 55 × 1000000 = 38500000 < 48300000.
    transfers = ph_paid(38500000),
    expect = { [PH] = {
      outcome = "fail", measured = 38500000 / 48300000,
      note = "所需 69 × 1000000 = 69000000 元" } },
  },
  case {
    name = "the same data judged in 2018, at 55, passes",
    year = 2018,
    city = "441600",
    facts = heyuan_two_years,
    standards = ph_two_years,
    shares = shares,
    transfers = ph_paid(38500000),
    expect = { [PH] = {
      outcome = "pass", note = "所需 55 × 1000000 = 55000000 元" } },
  },
  case {
    name = "dues are rounded to the yuan: 0.7 × 165 = 115.5 → 116 and 49",
    year = 2019,
    city = "441600",
    facts = ph_facts(3, 165),
    standards = { ["health.public_health"] = { national = 55 } },
    shares = shares,
    transfers = ph_paid(116),
    expect = { [PH] = {
      outcome = "pass", measured = 1,
      note = "应担 116 元，已拨 116.00 元；市级应担 49 元，自有支出 49.00 元" } },
  },
  case {
    name = "a transfer one yuan short of the rounded due fails",
    year = 2019,
    city = "441600",
    facts = ph_facts(3, 165),
    standards = { ["health.public_health"] = { national = 55 } },
    shares = shares,
    transfers = ph_paid(115),
    expect = { [PH] = {
      outcome = "fail", measured = 115 / 116, note = "省级少拨 1.00 元" } },
  },
  case {
    name = "no transfer at all: the province paid nothing",
    year = 2018,
    city = "440800",
    facts = { ["edu.nutrition.beneficiaries"] = 1000,
              ["edu.nutrition.spend"] = 800000 },
    standards = { ["edu.nutrition"] = { national = 800 } },
    shares = shares,
    expect = { [NUT] = {
      outcome = "fail", measured = 0, note = "省级少拨 560000.00 元" } },
  },
  case {
    name = "a city without its spending figure is a data gap",
    year = 2019,
    city = "441500",
    facts = ph_facts(3040000),
    standards = ph,
    shares = shares,
    transfers = ph_paid(146832000),
    expect = { [PH] = { outcome = "missing" } },
  },
  case {
    name = "a tier without a share is a data gap",
    year = 2019,
    city = kit.city("441500", { tier = 4 }),
    facts = ph_facts(3040000, 210000000),
    standards = ph,
    shares = shares,
    expect = { [PH] = { outcome = "missing" } },
  },
  case {
    name = "no beneficiaries: nothing required, skipped",
    year = 2019,
    city = "440100",
    facts = { ["edu.nutrition.beneficiaries"] = 0,
              ["edu.nutrition.spend"] = 0 },
    standards = { ["edu.nutrition"] = { national = 800 } },
    shares = shares,
    expect = { [NUT] = { outcome = "skip" } },
  },
  case {
    name = "no standard in force: skipped",
    year = 2019,
    city = "440100",
    facts = ph_facts(15305900, 1300000000),
    shares = shares,
    expect = { [PH] = { outcome = "skip" } },
  },
  case {
    name = "a requirement that rounds to 0 yuan is skipped",
    year = 2019,
    city = "441600",
    facts = ph_facts(1, 0),
    standards = { ["health.public_health"] = { national = 0.4 } },
    shares = shares,
    expect = { [PH] = { outcome = "skip" } },
  },
  case {
    -- The issue's case: a negative public health spend gave a ratio of
    -- −2.33 and a note that the city under-spent three times its due.
    name = "a negative spending figure is never a ratio: missing, named",
    year = 2019,
    city = "441400",
    facts = ph_facts(4380000, -280000000),
    standards = ph,
    shares = shares,
    transfers = ph_paid(211554000),
    expect = { [PH] = {
      outcome = "missing",
      note = "数据不可用（2019年）：梅州市 health.public_health.spend 为负数 -280000000" } },
  },
  case {
    name = "a negative beneficiary count or transfer is named too",
    year = 2019,
    city = "441400",
    facts = ph_facts(-4380000, 280000000),
    standards = ph,
    shares = shares,
    transfers = ph_paid(211554000),
    expect = { [PH] = {
      outcome = "missing", note = "梅州市 pop.resident 为负数 -4380000" } },
  },
}
