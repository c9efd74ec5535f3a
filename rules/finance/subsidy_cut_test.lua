-- Tests of finance.subsidy_cut. A city is fiscally strong when its revenue
-- per resident is at least 1.5 × the cities' average (total revenue ÷ total
-- residents). For every item on which a strong city's local standard is
-- above the binding one, it is cut share × (local − binding) ×
-- beneficiaries (× 12 for the monthly pension), at most the transfer it was
-- paid on that item, each rounded to the fen; the finding's amount is the
-- sum.
local RULE = "finance.subsidy_cut"
local ITEM = "pension.resident_basic"
local BEN = "pension.resident_basic.beneficiaries"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local province, city = kit.province, kit.city
local cities = kit.regions("440100", "440300", "441400", "445200")
-- Revenue per resident: 广州 11088.53, 深圳 28076.91, 梅州 1954.34,
-- 揭阳 1614.75; average 5.6545e11 ÷ 39224700 = 14415.66, × 1.5 = 21623.49:
-- only 深圳 is strong.
local function facts(shenzhen_beneficiaries)
  return {
    ["440100"] = { ["fin.revenue"] = 1.6972e11, ["pop.resident"] = 15305900,
                   [BEN] = 535707 },
    ["440300"] = { ["fin.revenue"] = 3.7732e11, ["pop.resident"] = 13438800,
                   [BEN] = shenzhen_beneficiaries },
    ["441400"] = { ["fin.revenue"] = 8.56e9, ["pop.resident"] = 4380000,
                   [BEN] = 438000 },
    ["445200"] = { ["fin.revenue"] = 9.85e9, ["pop.resident"] = 6100000,
                   [BEN] = 524600 },
  }
end
-- facts(20500) with figures of one city set, or removed by a nil value:
-- facts_with(code, metric, value [, metric, value ...]).
local function facts_with(code, ...)
  local f = facts(20500)
  for i = 1, select("#", ...), 2 do
    local metric, value = select(i, ...)
    f[code][metric] = value
  end
  return f
end
local shares = { [ITEM] = { [1] = 0.7, [2] = 0.5, [3] = 0.3 } }
-- The pension standards of 2019 (national 88, provincial 170) with the
-- local standards given: { [code] = 元/人·月 }.
local function pension_standards(locals)
  return { [ITEM] = { national = 88, provincial = 170, ["local"] = locals } }
end
-- 深圳's pension transfer of 2019.
local shenzhen_paid = { ["440300"] = { [ITEM] = 12546000 } }

return {
  case {
    name = "a strong city with a higher local standard is cut its share of the increment",
    year = 2019,
    regions = cities,
    facts = facts(20500),
    standards = pension_standards({ ["440300"] = 300, ["440100"] = 200 }),
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 12546000 },
                  ["440100"] = { [ITEM] = 327852684 },
                  ["441400"] = { [ITEM] = 62546400 } },
    expect = {
      -- 0.3 × (300 − 170) × 20500 × 12 = 9594000 < 12546000 paid.
      ["440300"] = { outcome = "cut", amount = 9594000 },
      -- 广州 raised its standard too, but is not fiscally strong.
      ["440100"] = { outcome = "pass", amount = 0 },
      -- No local standard.
      ["441400"] = { outcome = "pass", amount = 0 },
      ["445200"] = { outcome = "pass", amount = 0 },
    },
  },
  case {
    name = "the cut is capped by the transfer paid",
    year = 2020,
    regions = cities,
    facts = facts(21000),
    standards = { [ITEM] = { national = 93, provincial = 170,
                             ["local"] = { ["440300"] = 360 } } },
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 12852000 } },
    expect = {
      -- 0.3 × (360 − 170) × 21000 × 12 = 14364000 > 12852000 paid.
      ["440300"] = { outcome = "cut", amount = 12852000 },
    },
  },
  case {
    name = "a strong city paid no transfer on the item is not cut",
    year = 2019,
    regions = cities,
    facts = facts(20500),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    expect = { ["440300"] = { outcome = "pass", amount = 0 } },
  },
  case {
    name = "a local standard equal to the binding one is no increment",
    year = 2019,
    regions = cities,
    facts = facts(20500),
    standards = pension_standards({ ["440300"] = 170 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = { ["440300"] = { outcome = "pass", amount = 0 } },
  },
  case {
    name = "revenue per resident exactly 1.5 × the average is strong",
    year = 2019,
    regions = kit.regions("440400", "441600"),
    -- 3000 and 1000 元 per resident; average 4e9 ÷ 2e6 = 2000; × 1.5 = 3000.
    facts = {
      ["440400"] = { ["fin.revenue"] = 3e9, ["pop.resident"] = 1000000,
                     [BEN] = 100 },
      ["441600"] = { ["fin.revenue"] = 1e9, ["pop.resident"] = 1000000,
                     [BEN] = 100000 },
    },
    standards = pension_standards({ ["440400"] = 180 }),
    shares = shares,
    transfers = { ["440400"] = { [ITEM] = 61200 } },
    expect = {
      -- 0.3 × (180 − 170) × 100 × 12 = 3600.
      ["440400"] = { outcome = "cut", amount = 3600 },
    },
  },
  case {
    name = "a run may change the strength ratio",
    year = 2019,
    regions = cities,
    facts = facts(20500),
    params = { [RULE] = { strong_ratio = 0.5 } },
    standards = pension_standards({ ["440100"] = 200 }),
    shares = shares,
    transfers = { ["440100"] = { [ITEM] = 327852684 } },
    expect = {
      -- 11088.53 ≥ 0.5 × 14415.66: 0.3 × 30 × 535707 × 12 = 57856356
      -- (paid 327852684).
      ["440100"] = { outcome = "cut", amount = 57856356 },
    },
  },
  case {
    name = "the cut is rounded to the fen",
    year = 2019,
    regions = cities,
    facts = facts(7),
    standards = pension_standards({ ["440300"] = 170.01 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = {
      -- 0.3 × 0.01 × 7 × 12 = 0.252 → 0.25.
      ["440300"] = { outcome = "cut", amount = 0.25 },
    },
  },
  case {
    name = "a strong city with no beneficiaries is not cut",
    year = 2019,
    regions = cities,
    facts = facts(0),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = { ["440300"] = { outcome = "pass", amount = 0 } },
  },
  case {
    name = "a strong city without its beneficiary count is a data gap",
    year = 2019,
    regions = cities,
    facts = facts(nil),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = {
      ["440300"] = { outcome = "missing" },
      ["441400"] = { outcome = "pass", amount = 0 },
    },
  },
  case {
    name = "another city's missing revenue leaves the strength unknown",
    year = 2019,
    regions = cities,
    facts = facts_with("441400", "fin.revenue", nil),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = {
      ["440300"] = { outcome = "missing" },
      ["445200"] = { outcome = "pass", amount = 0 },
    },
  },
  case {
    name = "two raised items: each item's cut is capped by its own transfer, then summed",
    year = 2019,
    regions = cities,
    facts = facts(20500),
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440300"] = 300 } },
                  ["health.public_health"] = { national = 69,
                                               ["local"] = { ["440300"] = 90 } } },
    shares = { [ITEM] = shares[ITEM], ["health.public_health"] = shares[ITEM] },
    transfers = { ["440300"] = { [ITEM] = 12546000,
                                 ["health.public_health"] = 50000000 } },
    expect = {
      -- pension 0.3 × 130 × 20500 × 12 = 9594000 (paid 12546000);
      -- public health 0.3 × 21 × 13438800 = 84664440, capped at 50000000.
      ["440300"] = { outcome = "cut", amount = 59594000,
                     note = "基本公共卫生服务：0.3 × (本地 90 − 标准 69) × 13438800 = "
                       .. "84664440.00 元，省级已拨 50000000.00 元，核减 50000000.00 元" },
      ["440100"] = { outcome = "pass", amount = 0 },
    },
  },
  case {
    name = "an item with two parts adds the increments of both (public funds)",
    year = 2019,
    regions = cities,
    facts = facts_with("440300", "edu.pupils.primary", 1000,
                       "edu.pupils.junior", 500),
    standards = {
      ["edu.public_funds.primary"] = { national = 650, ["local"] = { ["440300"] = 800 } },
      ["edu.public_funds.junior"] = { national = 850, ["local"] = { ["440300"] = 1000 } },
    },
    shares = { ["edu.public_funds"] = shares[ITEM] },
    transfers = { ["440300"] = { ["edu.public_funds"] = 1000000 } },
    -- 0.3 × (150 × 1000 + 150 × 500) = 67500.
    expect = { ["440300"] = { outcome = "cut", amount = 67500 } },
  },
  case {
    name = "the local and binding standards of the year evaluated apply",
    year = 2020,
    regions = cities,
    facts = facts({ [2019] = 20500, [2020] = 21000 }),
    standards = { [ITEM] = { national = { [2019] = 88, [2020] = 93 },
                             provincial = { [2019] = 170, [2020] = 180 },
                             ["local"] = { ["440300"] = { [2019] = 300,
                                                          [2020] = 360 } } } },
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 20000000 } },
    -- 2020: 0.3 × (360 − 180) × 21000 × 12 = 13608000.
    expect = { ["440300"] = {
      outcome = "cut", amount = 13608000,
      note = "0.3 × (本地 360 − 标准 180) × 21000 × 12" } },
  },
  case {
    name = "each item's cut is rounded to the fen and the parts add up to the amount",
    year = 2019,
    regions = { province, city("440400", { tier = 2 }),
                city("441600") },
    -- 珠海: 1 resident, so strong; tier 2 (share 0.5).
    -- public health 0.5 × 0.25 × 1 = 0.125 → 0.13; nutrition likewise 0.13;
    -- the amount is 0.26 (rounding the unrounded 0.25 would lose a fen).
    facts = {
      ["440400"] = { ["fin.revenue"] = 1e6, ["pop.resident"] = 1,
                     ["edu.nutrition.beneficiaries"] = 1 },
      ["441600"] = { ["fin.revenue"] = 1e9, ["pop.resident"] = 1000000 },
    },
    standards = { ["health.public_health"] = { national = 69,
                                               ["local"] = { ["440400"] = 69.25 } },
                  ["edu.nutrition"] = { national = 800,
                                        ["local"] = { ["440400"] = 800.25 } } },
    shares = { ["health.public_health"] = shares[ITEM],
               ["edu.nutrition"] = shares[ITEM] },
    transfers = { ["440400"] = { ["health.public_health"] = 34.5,
                                 ["edu.nutrition"] = 400 } },
    expect = { ["440400"] = {
      outcome = "cut", amount = 0.26,
      note = "0.5 × (本地 69.25 − 标准 69) × 1 = 0.125 元，省级已拨 34.50 元，核减 0.13 元" } },
  },
  case {
    name = "a city with no local standard on any item is not cut",
    year = 2019,
    regions = cities,
    facts = facts(20500),
    standards = { [ITEM] = { national = 88, provincial = 170 },
                  ["health.public_health"] = { national = 69 } },
    shares = shares,
    expect = { ["440300"] = {
      outcome = "pass", amount = 0, note = "未自行制定本地标准" } },
  },
  case {
    name = "a local standard with no national or provincial one is skipped",
    year = 2019,
    regions = cities,
    facts = facts(20500),
    standards = { ["health.family_planning"] = { ["local"] = { ["440300"] = 100 } } },
    shares = shares,
    expect = { ["440300"] = { outcome = "skip" } },
  },
  -- (a city with no parent is refused by the integrity check before
  -- any rule runs: "region …: a city must have a parent (a province)")
  case {
    name = "a city with no residents cannot be judged strong: missing, named",
    year = 2019,
    regions = cities,
    facts = facts_with("440300", "pop.resident", 0),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = { ["440300"] = {
      outcome = "missing",
      note = "缺数据（2019年）：深圳市 pop.resident 为 0（须大于 0）" } },
  },
  case {
    -- The issue's case: another city's residents set to 0 moved the
    -- average used to judge strength, without a word.
    name = "another city with no residents leaves the average unknown, named",
    year = 2019,
    regions = cities,
    facts = facts_with("441400", "pop.resident", 0),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = { ["440300"] = {
      outcome = "missing",
      note = "梅州市 pop.resident 为 0（须大于 0），而 fin.revenue 为 8560000000" } },
  },
  case {
    name = "every city lacking revenue or residents is named",
    year = 2019,
    regions = cities,
    facts = (function()
      local f = facts_with("441400", "fin.revenue", nil)
      f["445200"]["pop.resident"] = -6100000
      return f
    end)(),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = { ["440300"] = {
      outcome = "missing",
      note = "梅州市 fin.revenue 无 2019 年数值、揭阳市 pop.resident 为 -6100000（须大于 0）" } },
  },
  case {
    name = "a negative beneficiary count is never cut from: missing, named",
    year = 2019,
    regions = cities,
    facts = facts(-20500),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    transfers = shenzhen_paid,
    expect = { ["440300"] = {
      outcome = "missing",
      note = "数据不可用（2019年）：深圳市 pension.resident_basic.beneficiaries 为负数 -20500" } },
  },
  case {
    -- The issue's case: min, then round half away from zero, cut
    -- 500,000,056 fen from a transfer of 5,000,000.555 元.
    -- (a transfer of a fraction of a fen, 5000000.555, is refused by the
    -- integrity check before any rule runs: money paid is whole fen)
    name = "a cut capped by the transfer never passes it, to the fen",
    year = 2019,
    regions = cities,
    facts = facts(20500),
    standards = pension_standards({ ["440300"] = 300 }),
    shares = shares,
    -- due 0.3 × 130 × 20500 × 12 = 9594000 > 5000000.55 paid
    transfers = { ["440300"] = { [ITEM] = 5000000.55 } },
    expect = { ["440300"] = {
      outcome = "cut", amount = 5000000.55,
      note = "省级已拨 5000000.55 元，核减 5000000.55 元" } },
  },
}
