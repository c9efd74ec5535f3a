-- Tests of the finance.cost_sharing.<item> rules: required = standard ×
-- beneficiaries (Σ over the item's parts, × 12 for a monthly standard);
-- province due = round(share × required), city due = round(required) −
-- province due; the province pays by transfer, the city from its own
-- spending (spending − transfer). measured = the lower payment ratio.
-- At county level (finance.county_cost_sharing.<item>): of the rest, the
-- city owes round(split × rest) paid by city transfer, the county the
-- remainder from its own spending (spending − both transfers). After a
-- cut (finance.subsidy_cut), the province's payment is the transfer net
-- of the cut.
local PH = "finance.cost_sharing.health.public_health"
local EDU = "finance.cost_sharing.edu.public_funds"
local PEN = "finance.cost_sharing.pension.resident_basic"
local MED = "finance.cost_sharing.medical.resident_insurance"
local NUT = "finance.cost_sharing.edu.nutrition"
local CPH = "finance.county_cost_sharing.health.public_health"
local kit = require "testkit"
local case = kit.cases_of(PH, EDU, PEN, MED, NUT, CPH)
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


-- ---- county level --------------------------------------------------------
-- 梅江区 (441402), a county of 梅州 (441400, tier 1): 400000 residents,
-- required 69 × 400000 = 27600000; by 梅州's tier 0.7 the province owes
-- 19320000, the rest is 8280000; 梅州's split 0.6 gives the city
-- 4968000, the county 3312000.
local meizhou_county = kit.regions("441400",
  kit.county("441402", "441400", { name = "梅江区" }))
local function county_facts(spend)
  return { ["441402"] = { ["pop.resident"] = 400000,
                          ["health.public_health.spend"] = spend } }
end
local county_cases = {
  case {
    name = "county: province, city and county each paid their part: pass",
    year = 2019,
    regions = meizhou_county,
    facts = county_facts(27600000),
    standards = ph,
    shares = shares,
    splits = { ["441400"] = { default = 0.6 } },
    transfers = { ["441402"] = { ["health.public_health"] = 19320000 } },
    city_transfers = { ["441402"] = { ["health.public_health"] = 4968000 } },
    expect = { [CPH] = { ["441402"] = {
      outcome = "pass", measured = 1, required = 1, unit = "到位率",
      note = "所需 69 × 400000 = 27600000 元；省级（梅州市第1档 0.7）应担 "
        .. "19320000 元，已拨 19320000.00 元；市级（梅州市 分担 0.6）应担 "
        .. "0.6 × (27600000 − 19320000) = 4968000 元，已拨 4968000.00 元；"
        .. "县级应担 3312000 元，自有支出 3312000.00 元（支出 27600000.00 − "
        .. "省级转移 19320000.00 − 市级转移 4968000.00）" } } },
  },
  case {
    name = "county: the city paid less than its split: fail, city short",
    year = 2019,
    regions = meizhou_county,
    -- the county spent its own 3312000 on top of what it received
    facts = county_facts(25632000),
    standards = ph,
    shares = shares,
    splits = { ["441400"] = { default = 0.6 } },
    transfers = { ["441402"] = { ["health.public_health"] = 19320000 } },
    city_transfers = { ["441402"] = { ["health.public_health"] = 3000000 } },
    expect = { [CPH] = { ["441402"] = {
      outcome = "fail", measured = 3000000 / 4968000,
      note = "已拨 3000000.00 元；县级应担 3312000 元，自有支出 3312000.00 元"
        .. "（支出 25632000.00 − 省级转移 19320000.00 − 市级转移 3000000.00）"
        .. "；市级少拨 1968000.00 元" } } },
  },
  case {
    name = "county: its own tier and the city's split of the item win",
    year = 2019,
    regions = kit.regions("441400",
      kit.county("441402", "441400", { name = "梅江区", tier = 2 })),
    facts = county_facts(27600000),
    standards = ph,
    shares = shares,
    -- tier 2: 0.5 → 13800000; the item's split 0.5 of the rest 13800000
    splits = { ["441400"] = { default = 0.6, ["health.public_health"] = 0.5 } },
    transfers = { ["441402"] = { ["health.public_health"] = 13800000 } },
    city_transfers = { ["441402"] = { ["health.public_health"] = 6900000 } },
    expect = { [CPH] = { ["441402"] = {
      outcome = "pass", measured = 1,
      note = "省级（第2档 0.5）应担 13800000 元，已拨 13800000.00 元；市级（梅州市 "
        .. "分担 0.5）应担 0.5 × (27600000 − 13800000) = 6900000 元，已拨 "
        .. "6900000.00 元；县级应担 6900000 元，自有支出 6900000.00 元" } } },
  },
  case {
    name = "county: no split in force for its city: missing, naming it",
    year = 2019,
    regions = meizhou_county,
    facts = county_facts(27600000),
    standards = ph,
    shares = shares,
    transfers = { ["441402"] = { ["health.public_health"] = 19320000 } },
    expect = { [CPH] = { ["441402"] = {
      outcome = "missing",
      note = "no city-county split of health.public_health for 441400 梅州市 "
        .. "in 2019" } } },
  },
  case {
    -- the split as stored, so that the note's arithmetic can be redone by
    -- hand: 0.3333333 × 8280000 = 2759999.72 → 2760000 (%g would print
    -- 0.333333, whose product is 2759997)
    name = "county: the split is printed as stored",
    year = 2019,
    regions = meizhou_county,
    facts = county_facts(27600000),
    standards = ph,
    shares = shares,
    splits = { ["441400"] = { default = 0.3333333 } },
    transfers = { ["441402"] = { ["health.public_health"] = 19320000 } },
    city_transfers = { ["441402"] = { ["health.public_health"] = 2760000 } },
    expect = { [CPH] = { ["441402"] = {
      outcome = "pass", measured = 1,
      note = "市级（梅州市 分担 0.3333333）应担 0.3333333 × (27600000 − "
        .. "19320000) = 2760000 元，已拨 2760000.00 元；县级应担 5520000 元" } } },
  },
  -- (a payment of a fraction of a fen, such as 4967999.996, is refused
  -- by import and by the integrity check before any rule runs: see
  -- tests/e2e/integrity.sh)
  case {
    -- 3 residents at 55: required 165, the province's exact share 0.7 ×
    -- 165 = 115.5 → due 116; paid 115, its share rounded down (as a city's
    -- share split over its counties by largest remainder leaves some):
    -- paid. City 0.6 × 49 = 29.4 → 29, county 20, own 165 − 115 − 29 = 21.
    name = "county: a province payment short by the rounding of its share only counts as paid",
    year = 2019,
    regions = meizhou_county,
    facts = { ["441402"] = { ["pop.resident"] = 3,
                             ["health.public_health.spend"] = 165 } },
    standards = { ["health.public_health"] = { national = 55 } },
    shares = shares,
    splits = { ["441400"] = { default = 0.6 } },
    transfers = { ["441402"] = { ["health.public_health"] = 115 } },
    city_transfers = { ["441402"] = { ["health.public_health"] = 29 } },
    expect = { [CPH] = { ["441402"] = {
      outcome = "pass", measured = 1,
      note = "县级应担 20 元，自有支出 21.00 元（支出 165.00 − 省级转移 115.00 − "
        .. "市级转移 29.00）；省级已拨 115.00 元不少于应担 115.50 元舍去元以下部分"
        .. "（分县按元取整），视为足额" } } },
  },
  case {
    name = "county: one yuan below the rounded-down share fails",
    year = 2019,
    regions = meizhou_county,
    facts = { ["441402"] = { ["pop.resident"] = 3,
                             ["health.public_health.spend"] = 165 } },
    standards = { ["health.public_health"] = { national = 55 } },
    shares = shares,
    splits = { ["441400"] = { default = 0.6 } },
    transfers = { ["441402"] = { ["health.public_health"] = 114 } },
    city_transfers = { ["441402"] = { ["health.public_health"] = 29 } },
    expect = { [CPH] = { ["441402"] = {
      outcome = "fail", measured = 114 / 116, note = "省级少拨 2.00 元" } } },
  },
  case {
    name = "county: nothing paid by the city is 0, not missing: fail",
    year = 2019,
    regions = meizhou_county,
    facts = county_facts(22632000),
    standards = ph,
    shares = shares,
    splits = { ["441400"] = { default = 0.6 } },
    transfers = { ["441402"] = { ["health.public_health"] = 19320000 } },
    expect = { [CPH] = { ["441402"] = {
      outcome = "fail", measured = 0, note = "市级少拨 4968000.00 元" } } },
  },
}

-- ---- after a cut ------------------------------------------------------------
-- 深圳 (440300, tier 3, 0.3) raised its public health standard to 90 over
-- the national 74 and is fiscally strong (the cities' revenues as in
-- subsidy_cut_test.lua): finance.subsidy_cut takes back 0.3 × (90 − 74)
-- × 13438800 = 64506240. Required 74 × 13438800 = 994471200; the province
-- owes 298341360, the city 696129840; 深圳 spent 1300000000.
local cut_regions = kit.regions("440100", "440300", "441400", "445200")
local cut_facts = {
  ["440100"] = { ["fin.revenue"] = 1.6972e11, ["pop.resident"] = 15305900 },
  ["440300"] = { ["fin.revenue"] = 3.7732e11, ["pop.resident"] = 13438800,
                 ["health.public_health.spend"] = 1300000000 },
  ["441400"] = { ["fin.revenue"] = 8.56e9, ["pop.resident"] = 4380000 },
  ["445200"] = { ["fin.revenue"] = 9.85e9, ["pop.resident"] = 6100000 },
}
local cut_standards = { ["health.public_health"] = {
  national = 74, ["local"] = { ["440300"] = 90 } } }

-- cut_facts without 广州's residents: whether 深圳 is strong is unknown.
local cut_facts_no_gz = {}
for code, f in pairs(cut_facts) do
  cut_facts_no_gz[code] = f
end
cut_facts_no_gz["440100"] = { ["fin.revenue"] = 1.6972e11 }

local cut_cases = {
  case {
    -- the cut is missing, so the province's net payment is unknown: the
    -- finding says what the cut lacked rather than read the gross transfer
    name = "after a cut that could not be computed: missing, naming its gap",
    year = 2019,
    regions = cut_regions,
    facts = cut_facts_no_gz,
    standards = cut_standards,
    shares = shares,
    transfers = { ["440300"] = { ["health.public_health"] = 362847600 } },
    expect = { [PH] = { ["440300"] = {
      outcome = "missing", note = "广州市 pop.resident 无 2019 年数值" } } },
  },
  case {
    -- reading A: the transfer included the increment's subsidy (0.3 × 90 ×
    -- 13438800 = 362847600); net of the cut the province paid exactly its
    -- part. Gross it would have paid 121.6%, and the city's own spending
    -- would read 937152400.
    name = "after a cut: a transfer paid on the raised standard nets to the province's part: pass",
    year = 2019,
    regions = cut_regions,
    facts = cut_facts,
    standards = cut_standards,
    shares = shares,
    transfers = { ["440300"] = { ["health.public_health"] = 362847600 } },
    expect = { [PH] = { ["440300"] = {
      outcome = "pass", measured = 1,
      note = "所需 74 × 13438800 = 994471200 元；省级（第3档 0.3）应担 298341360 元，"
        .. "已拨 362847600.00 元，核减 64506240.00 元，净拨 298341360.00 元；"
        .. "市级应担 696129840 元，自有支出 1001658640.00 元（支出 1300000000.00 − "
        .. "省级净拨 298341360.00）；按已拨毛额计（不采用）省级 362847600.00 元、"
        .. "市级自有 937152400.00 元" } } },
  },
  case {
    -- reading B: the transfer was paid at the binding standard only, and
    -- the cut took 64506240 out of the province's own part: gross it reads
    -- fully paid (the issue's defect), net it is short by the cut.
    name = "after a cut: a transfer paid at the binding standard is short by the cut: fail",
    year = 2019,
    regions = cut_regions,
    facts = cut_facts,
    standards = cut_standards,
    shares = shares,
    transfers = { ["440300"] = { ["health.public_health"] = 298341360 } },
    expect = { [PH] = { ["440300"] = {
      outcome = "fail", measured = 233835120 / 298341360,
      note = "已拨 298341360.00 元，核减 64506240.00 元，净拨 233835120.00 元；"
        .. "市级应担 696129840 元，自有支出 1066164880.00 元（支出 1300000000.00 − "
        .. "省级净拨 233835120.00）；按已拨毛额计（不采用）省级 298341360.00 元、"
        .. "市级自有 1001658640.00 元；省级少拨 64506240.00 元" } } },
  },
}

-- ---- a county of a cut city -------------------------------------------------
-- 深圳's cut above (64506240) falls on its counties in proportion to their
-- province transfers for the item (the city's row is what the province
-- paid on its whole territory). 罗湖 (440303) holds a third of 深圳's
-- residents (4479600) and of its transfer: its part of the cut is
-- 21502080. Required 74 × 4479600 = 331490400; the province owes
-- 0.3 × it = 99447120; 深圳's split 0.5 of the rest 232043280 gives the
-- city 116021640 and the county 116021640.
local cut_county_regions = kit.regions("440100", "440300", "441400", "445200",
  kit.county("440303", "440300", { name = "罗湖区" }),
  kit.county("440304", "440300", { name = "福田区" }))
local cut_county_facts = {}
for code, f in pairs(cut_facts) do
  cut_county_facts[code] = f
end
cut_county_facts["440303"] = { ["pop.resident"] = 4479600,
                               ["health.public_health.spend"] = 372992480 }
-- the transfers of 深圳 and its two counties (1 : 2), and 罗湖's city transfer
local function cut_county_transfers(luohu, futian)
  return { ["440300"] = { ["health.public_health"] = luohu + futian },
           ["440303"] = { ["health.public_health"] = luohu },
           ["440304"] = { ["health.public_health"] = futian } }
end
local cut_county_cases = {
  case {
    -- reading A: the counties' transfers included the increment's subsidy
    -- (0.3 × 90 × 4479600 = 120949200 for 罗湖): net of its part of the
    -- cut the province paid exactly its part. Own spending 372992480 −
    -- 99447120 − 116021640 = 157523720; gross it would read 136021640.
    name = "county of a cut city: its part of the cut is netted: pass",
    year = 2019,
    regions = cut_county_regions,
    facts = cut_county_facts,
    standards = cut_standards,
    shares = shares,
    splits = { ["440300"] = { default = 0.5 } },
    transfers = cut_county_transfers(120949200, 241898400),
    city_transfers = { ["440303"] = { ["health.public_health"] = 116021640 } },
    expect = { [CPH] = { ["440303"] = {
      outcome = "pass", measured = 1,
      note = "所需 74 × 4479600 = 331490400 元；省级（深圳市第3档 0.3）应担 "
        .. "99447120 元，已拨 120949200.00 元，分摊核减 21502080.00 元（深圳市 "
        .. "核减 64506240.00 元 × 本县省级转移 120949200.00 ÷ 各县省级转移合计 "
        .. "362847600.00，最大余数法到分），净拨 99447120.00 元；市级（深圳市 "
        .. "分担 0.5）应担 0.5 × (331490400 − 99447120) = 116021640 元，已拨 "
        .. "116021640.00 元；县级应担 116021640 元，自有支出 157523720.00 元"
        .. "（支出 372992480.00 − 省级净拨 99447120.00 − 市级转移 116021640.00）"
        .. "；按已拨毛额计（不采用）省级 120949200.00 元、县级自有 136021640.00 元" } } },
  },
  case {
    -- reading B: the counties were paid at the binding standard only
    -- (99447120 and 198894240); the city's cut 64506240 comes out of the
    -- province's part: 罗湖 is short by its third, 21502080.
    name = "county of a cut city paid at the binding standard: short by its part of the cut: fail",
    year = 2019,
    regions = cut_county_regions,
    facts = cut_county_facts,
    standards = cut_standards,
    shares = shares,
    splits = { ["440300"] = { default = 0.5 } },
    transfers = cut_county_transfers(99447120, 198894240),
    city_transfers = { ["440303"] = { ["health.public_health"] = 116021640 } },
    expect = { [CPH] = { ["440303"] = {
      outcome = "fail", measured = 77945040 / 99447120,
      note = "已拨 99447120.00 元，分摊核减 21502080.00 元（深圳市 核减 "
        .. "64506240.00 元 × 本县省级转移 99447120.00 ÷ 各县省级转移合计 "
        .. "298341360.00，最大余数法到分），净拨 77945040.00 元；市级（深圳市 "
        .. "分担 0.5）应担 0.5 × (331490400 − 99447120) = 116021640 元，已拨 "
        .. "116021640.00 元；县级应担 116021640 元，自有支出 179025800.00 元"
        .. "（支出 372992480.00 − 省级净拨 77945040.00 − 市级转移 116021640.00）"
        .. "；按已拨毛额计（不采用）省级 99447120.00 元、县级自有 157523720.00 元"
        .. "；省级少拨 21502080.00 元" } } },
  },
  case {
    name = "county of a city whose cut could not be computed: missing, naming its gap",
    year = 2019,
    regions = cut_county_regions,
    facts = (function()
      local f = {}
      for code, v in pairs(cut_county_facts) do f[code] = v end
      f["440100"] = cut_facts_no_gz["440100"]
      return f
    end)(),
    standards = cut_standards,
    shares = shares,
    splits = { ["440300"] = { default = 0.5 } },
    transfers = cut_county_transfers(120949200, 241898400),
    city_transfers = { ["440303"] = { ["health.public_health"] = 116021640 } },
    expect = { [CPH] = { ["440303"] = {
      outcome = "missing", note = "广州市 pop.resident 无 2019 年数值" } } },
  },
  case {
    name = "county of a cut city whose counties' transfers cannot carry the cut: missing",
    year = 2019,
    regions = cut_county_regions,
    facts = cut_county_facts,
    standards = cut_standards,
    shares = shares,
    splits = { ["440300"] = { default = 0.5 } },
    transfers = { ["440300"] = { ["health.public_health"] = 362847600 },
                  ["440303"] = { ["health.public_health"] = 30000000 },
                  ["440304"] = { ["health.public_health"] = 20000000 } },
    expect = { [CPH] = { ["440303"] = {
      outcome = "missing",
      note = "深圳市 的 health.public_health 转移支付被核减 64506240.00 元，"
        .. "其所辖县省级转移合计 50000000.00 元不足以分摊，县级净拨未知" } } },
  },
}

local cases = {
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
    -- the junior part has no standard in force: its spending (205232500)
    -- would pay the primary part's share; never compared
    name = "a part of the item without a standard: missing, naming it",
    year = 2020,
    city = "441400",
    facts = { ["edu.pupils.primary"] = 526800, ["edu.pupils.junior"] = 241450,
              ["edu.public_funds.spend.primary"] = 376662000,
              ["edu.public_funds.spend.junior"] = 205232500 },
    standards = { ["edu.public_funds.primary"] = { national = 650 } },
    shares = shares,
    transfers = { ["edu.public_funds"] = 370296500 },
    expect = { [EDU] = {
      outcome = "missing",
      note = "edu.public_funds 的子项 edu.public_funds.junior 本年度无国家或省级"
        .. "标准：所需资金不完整，不与全部子项的支出和转移比较" } },
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
for _, more in ipairs({ county_cases, cut_cases, cut_county_cases }) do
  for _, c in ipairs(more) do
    cases[#cases + 1] = c
  end
end
return cases
