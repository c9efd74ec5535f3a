-- Tests of finance.cut_redistribution, run with finance.subsidy_cut (whose
-- results it reads). The pool is the year's cuts; it goes to the 3 cities
-- with the lowest basic public service spending per resident among those
-- eligible (outside the core zone by default, never a city cut that year),
-- in proportion to their resident population, in fen adding up to the
-- pool; with nobody eligible the pool stays unallocated and the finding
-- fails, carrying it.
local CUT = "finance.subsidy_cut"
local RULE = "finance.cut_redistribution"
local ITEM = "pension.resident_basic"
local BEN = "pension.resident_basic.beneficiaries"
local kit = require "testkit"
local case = kit.cases_of(RULE)
local province, city = kit.province, kit.city
-- Facts of one city: revenue, residents, spending per resident.
local function city_facts(revenue, pop, per_capita)
  return { ["fin.revenue"] = revenue, ["pop.resident"] = pop,
           ["fin.basic_service.spend"] = per_capita * pop }
end
local shares = { [ITEM] = { [1] = 0.7, [2] = 0.5, [3] = 0.3 } }
local standards = { [ITEM] = { national = 88, provincial = 170,
                               ["local"] = { ["440300"] = 300 } } }

-- The sample's 2019 picture: 深圳 (strong, local standard 300) is cut
-- 0.3 × 130 × 20500 × 12 = 9594000; 揭阳, 茂名, 汕头 have the lowest
-- spending per resident (4100, 4300, 4500).
local sample_regions = kit.regions("440100", "440300", "440500", "440800",
                                   "440900", "445200")
local function sample_facts()
  local f = {
    ["440100"] = city_facts(1.6972e11, 15305900, 7600),
    ["440300"] = city_facts(3.7732e11, 13438800, 9200),
    ["440500"] = city_facts(1.503e10, 5670000, 4500),
    ["440800"] = city_facts(1.453e10, 7360000, 4600),
    ["440900"] = city_facts(1.401e10, 6410000, 4300),
    ["445200"] = city_facts(9.85e9, 6100000, 4100),
  }
  f["440300"][BEN] = 20500
  return f
end
-- 深圳's pension transfer of 2019.
local shenzhen_paid = { ["440300"] = { [ITEM] = 12546000 } }
-- How 深圳's cut alone (9594000) is allocated.
local sample_allocations = {
  ["445200"] = { outcome = "allocation", amount = 3219108.91 },
  ["440900"] = { outcome = "allocation", amount = 3382702.97 },
  ["440500"] = { outcome = "allocation", amount = 2992188.12 },
}

-- The sample's picture with 珠海 added (17023.27 per resident, strong:
-- ≥ 1.5 × 11275.58).
local zhuhai_regions = { table.unpack(sample_regions) }
zhuhai_regions[#zhuhai_regions + 1] = city("440400")
local function zhuhai_facts()
  local f = sample_facts()
  f["440400"] = city_facts(3.445e10, 2023700, 8800)
  return f
end

-- Four cities of 1000000 residents each beside 广州 and 深圳.
local small_regions = kit.regions("440100", "440300", "440200", "440500",
                                  "440800", "441400")
local function small_facts(levels)
  local f = {
    ["440100"] = city_facts(1.6972e11, 15305900, 7600),
    ["440300"] = city_facts(3.7732e11, 13438800, 9200),
  }
  for code, level in pairs(levels) do
    f[code] = city_facts(1e9, 1000000, level)
  end
  f["440300"][BEN] = 20500
  return f
end

-- All 21 cities, every one spending 5000 per resident: 深圳 (strong,
-- local standard 300) is cut 9594000 as in the sample; 韶关, 汕头 and 湛江
-- have 3000000, 5670000 and 7360000 residents, the others 1000000.
local all_codes = { "440100", "440200", "440300", "440400", "440500",
                    "440600", "440700", "440800", "440900", "441200",
                    "441300", "441400", "441500", "441600", "441700",
                    "441800", "441900", "442000", "445100", "445200",
                    "445300" }
local function equal_facts()
  local f = {}
  for _, code in ipairs(all_codes) do
    f[code] = city_facts(1e9, 1000000, 5000)
  end
  f["440300"] = city_facts(3.7732e11, 13438800, 5000)
  f["440300"][BEN] = 20500
  f["440200"] = city_facts(1e9, 3000000, 5000)
  f["440500"] = city_facts(1e9, 5670000, 5000)
  f["440800"] = city_facts(1e9, 7360000, 5000)
  return f
end

return {
  {
    name = "the cut goes to the three lowest cities by resident population",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    rules = { CUT, RULE },
    -- 959400000 fen × 6100000 / 18180000 = 321910891.09 → 321910891
    --              × 6410000 / 18180000 = 338270297.03 → 338270297
    --              × 5670000 / 18180000 = 299218811.88 → 299218812
    -- (one fen left over, to the largest remainder: 汕头).
    expect = {
      [CUT] = { ["440300"] = { outcome = "cut", amount = 9594000 } },
      [RULE] = sample_allocations,
    },
  },
  {
    name = "a pool of 100.00 yuan split three ways adds up to the fen",
    year = 2019,
    regions = small_regions,
    facts = small_facts({ ["440200"] = 4200, ["440500"] = 4000,
                          ["440800"] = 4100, ["441400"] = 5000 }),
    standards = standards,
    shares = shares,
    -- 深圳's cut is capped at the 100 yuan it was paid.
    transfers = { ["440300"] = { [ITEM] = 100 } },
    rules = { CUT, RULE },
    -- 10000 fen ÷ 3 = 3333 each, remainders equal: the fen left over goes
    -- to the code that sorts first.
    expect = {
      [CUT] = { ["440300"] = { outcome = "cut", amount = 100 } },
      [RULE] = {
        ["440200"] = { outcome = "allocation", amount = 33.34 },
        ["440500"] = { outcome = "allocation", amount = 33.33 },
        ["440800"] = { outcome = "allocation", amount = 33.33 },
      },
    },
  },
  case {
    name = "equal levels at the boundary go to the lower code",
    year = 2019,
    regions = kit.regions("440100", "440300", "440200", "440500", "440800",
                          "441400"),
    facts = (function()
      local f = small_facts({ ["440200"] = 4100, ["440500"] = 4000,
                              ["440800"] = 4100, ["441400"] = 4100 })
      f["440200"] = city_facts(1e9, 3000000, 4100)
      return f
    end)(),
    standards = standards,
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 100 } },
    params = { [RULE] = { recipients = 2 } },
    rules = { CUT, RULE },
    -- 汕头 (4000) and 韶关 (4100, before 湛江 and 梅州): 1 : 3. The tie
    -- decided who received money: the note says so.
    expect = {
      ["440500"] = { outcome = "allocation", amount = 25 },
      ["440200"] = { outcome = "allocation", amount = 75,
                     note = "并列：韶关市(440200)、湛江市(440800)、梅州市(441400) "
                       .. "人均支出相同（4100.00 元），按地区代码先后：韶关市(440200) "
                       .. "入选，湛江市(440800)、梅州市(441400) 未入选" },
      ["440800"] = false, ["441400"] = false,
    },
  },
  case {
    name = "a city with no residents leaves the ranking unknown: missing, named",
    year = 2019,
    regions = kit.regions("440100", "440300", "440200", "440500", "440800",
                          "441400", "441600"),
    facts = (function()
      local f = small_facts({ ["440200"] = 4100, ["440500"] = 4000,
                              ["440800"] = 4100, ["441400"] = 4100 })
      f["441600"] = city_facts(0, 0, 0)
      return f
    end)(),
    standards = standards,
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 100 } },
    rules = { CUT, RULE },
    expect = { ["440000"] = {
      outcome = "missing",
      note = "缺数据（2019年）：河源市 pop.resident 为 0（须大于 0）" } },
  },
  case {
    -- The issue's case: negative spending made 潮州 the "lowest" city and
    -- gave it part of the pool.
    name = "a negative spending figure is never ranked: missing, named",
    year = 2019,
    regions = sample_regions,
    facts = (function()
      local f = sample_facts()
      f["440800"]["fin.basic_service.spend"] = -5e9
      return f
    end)(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    rules = { CUT, RULE },
    expect = { ["440000"] = {
      outcome = "missing",
      note = "湛江市 fin.basic_service.spend 为负数 -5000000000" } },
  },
  {
    name = "a city whose cut is missing: the pool is incomplete and not allocated",
    year = 2019,
    regions = zhuhai_regions,
    -- 珠海 is strong and has a local standard, but its beneficiary count
    -- is missing: the pool is known to lack 珠海's cut.
    facts = zhuhai_facts(),
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440300"] = 300,
                                           ["440400"] = 200 } } },
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 12546000 },
                  ["440400"] = { [ITEM] = 3000000 } },
    rules = { CUT, RULE },
    expect = {
      [CUT] = { ["440400"] = { outcome = "missing" } },
      [RULE] = {
        ["440000"] = { outcome = "missing",
                       note = "核减资金池不完整，不予分配：核减未能评估：珠海市（missing）；已知核减 9594000.00 元（深圳市 9594000.00 元）" },
        ["445200"] = false, ["440900"] = false, ["440500"] = false,
      },
    },
  },
  {
    -- The issue's case: 深圳 with no residents was skipped and its
    -- 12,852,000 元 cut silently left the pool.
    name = "a cut city whose cut cannot be judged leaves the pool unallocated",
    year = 2019,
    regions = sample_regions,
    facts = (function()
      local f = sample_facts()
      f["440300"]["pop.resident"] = 0
      return f
    end)(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    rules = { CUT, RULE },
    expect = {
      [CUT] = { ["440300"] = { outcome = "missing" } },
      [RULE] = {
        ["440000"] = { outcome = "missing",
                       note = "核减资金池不完整，不予分配：核减未能评估：深圳市（missing）；已知核减 0.00 元" },
        ["445200"] = false,
      },
    },
  },
  {
    name = "a partial pool is allocated when a run allows it, naming what it lacks",
    year = 2019,
    regions = zhuhai_regions,
    facts = zhuhai_facts(),
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440300"] = 300,
                                           ["440400"] = 200 } } },
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 12546000 },
                  ["440400"] = { [ITEM] = 3000000 } },
    params = { [RULE] = { allow_partial_pool = true } },
    rules = { CUT, RULE },
    expect = {
      [CUT] = { ["440400"] = { outcome = "missing" } },
      [RULE] = {
        ["445200"] = { outcome = "allocation", amount = 3219108.91,
                       note = "部分资金池（allow_partial_pool）：核减未能评估：珠海市（missing）" },
        ["440900"] = { outcome = "allocation", amount = 3382702.97 },
        ["440500"] = { outcome = "allocation", amount = 2992188.12 },
      },
    },
  },
  {
    name = "no cut, nothing to distribute",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = { [ITEM] = { national = 88, provincial = 170 } },
    shares = shares,
    transfers = shenzhen_paid,
    rules = { CUT, RULE },
    expect = {
      [CUT] = { ["440300"] = { outcome = "pass", amount = 0 } },
      [RULE] = { ["440000"] = { outcome = "skip" } },
    },
  },
  case {
    name = "a city without its spending figure leaves the ranking unknown",
    year = 2019,
    regions = sample_regions,
    facts = (function()
      local f = sample_facts()
      f["440800"]["fin.basic_service.spend"] = nil
      return f
    end)(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    rules = { CUT, RULE },
    expect = { ["440000"] = { outcome = "missing" } },
  },
  {
    name = "the pool adds up the cuts of every city and item (the sample's 2019)",
    year = 2019,
    regions = zhuhai_regions,
    facts = zhuhai_facts(),
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440300"] = 300 } },
                  ["health.public_health"] = { national = 69,
                                               ["local"] = { ["440400"] = 90 } } },
    shares = { [ITEM] = shares[ITEM], ["health.public_health"] = shares[ITEM] },
    transfers = { ["440300"] = { [ITEM] = 12546000 },
                  ["440400"] = { ["health.public_health"] = 41890590 } },
    -- 珠海 17023.27 ≥ 1.5 × 11275.58 here; cut 0.3 × 21 × 2023700 = 12749310.
    -- Pool 9594000 + 12749310 = 22343310.00 = 2234331000 fen:
    --   × 6100000 / 18180000 = 749693019.80 → 749693019 (+1: .80)
    --   × 6410000 / 18180000 = 787792173.27 → 787792173
    --   × 5670000 / 18180000 = 696845806.93 → 696845806 (+1: .93)
    rules = { CUT, RULE },
    expect = { [CUT] = { ["440300"] = { outcome = "cut", amount = 9594000 },
                ["440400"] = { outcome = "cut", amount = 12749310 } },
      [RULE] = {
        ["445200"] = { outcome = "allocation", amount = 7496930.20,
                       note = "核减资金 22343310.00 元（深圳市 9594000.00 元、珠海市 12749310.00 元）" },
        ["440900"] = { outcome = "allocation", amount = 7877921.73 },
        ["440500"] = { outcome = "allocation", amount = 6968458.07 },
        ["440800"] = false,
      },
    },
  },
  {
    name = "a pool with fen that do not divide evenly still adds up (0.26 in three)",
    year = 2019,
    regions = { province,
                city("440400", { tier = 2 }),
                city("440200"),
                city("440500"),
                city("440800") },
    -- 珠海 is cut 0.13 + 0.13 = 0.26 (see subsidy_cut_test); 26 fen over
    -- three equal cities: 8 each, the 2 left to the first two codes.
    facts = {
      ["440400"] = { ["fin.revenue"] = 1e6, ["pop.resident"] = 1,
                     ["fin.basic_service.spend"] = 9000,
                     ["edu.nutrition.beneficiaries"] = 1 },
      ["440200"] = city_facts(1e9, 1000000, 4000),
      ["440500"] = city_facts(1e9, 1000000, 4000),
      ["440800"] = city_facts(1e9, 1000000, 4000),
    },
    standards = { ["health.public_health"] = { national = 69,
                                               ["local"] = { ["440400"] = 69.25 } },
                  ["edu.nutrition"] = { national = 800,
                                        ["local"] = { ["440400"] = 800.25 } } },
    shares = { ["health.public_health"] = shares[ITEM],
               ["edu.nutrition"] = shares[ITEM] },
    transfers = { ["440400"] = { ["health.public_health"] = 34.5,
                                 ["edu.nutrition"] = 400 } },
    rules = { CUT, RULE },
    expect = {
      [CUT] = { ["440400"] = { outcome = "cut", amount = 0.26 } },
      [RULE] = {
        ["440200"] = { outcome = "allocation", amount = 0.09 },
        ["440500"] = { outcome = "allocation", amount = 0.09 },
        ["440800"] = { outcome = "allocation", amount = 0.08 },
      },
    },
  },
  case {
    name = "the recipients' residents of the year evaluated weigh the shares",
    year = 2020,
    regions = small_regions,
    facts = (function()
      local f = small_facts({ ["440200"] = 4200, ["440500"] = 4000,
                              ["440800"] = 4100, ["441400"] = 5000 })
      f["440200"]["pop.resident"] = { [2019] = 1000000, [2020] = 3000000 }
      f["440200"]["fin.basic_service.spend"] = 4200 * 3000000
      return f
    end)(),
    standards = { [ITEM] = { national = { [2019] = 88, [2020] = 93 },
                             provincial = 170,
                             ["local"] = { ["440300"] = { [2019] = 300, [2020] = 360 } } } },
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 500 } },
    rules = { CUT, RULE },
    -- 500 yuan over 3000000 : 1000000 : 1000000 = 300, 100, 100.
    expect = {
      ["440200"] = { outcome = "allocation", amount = 300 },
      ["440500"] = { outcome = "allocation", amount = 100 },
      ["440800"] = { outcome = "allocation", amount = 100 },
    },
  },
  case {
    name = "a run that names no recipients leaves the pool unallocated: fail",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    params = { [RULE] = { recipients = 0 } },
    rules = { CUT, RULE },
    expect = { ["440000"] = {
      outcome = "fail", note = "核减资金 9594000.00 元无可分配的地市" } },
  },
  case {
    -- The issue's case: with every city at the same level the lowest codes
    -- won, and 深圳 (440300) received part of its own cut. Now the core
    -- cities never receive, 深圳 least of all; among the 12 eligible cities
    -- the tie is broken by code, and the note says so.
    name = "all cities at the same level: the core never receives, the tie is stated",
    year = 2019,
    regions = kit.regions(table.unpack(all_codes)),
    facts = equal_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    rules = { CUT, RULE },
    -- 959400000 fen over 3000000 : 5670000 : 7360000 (16030000):
    --   440200 179550842.17 → 179550842
    --   440500 339351091.70 → 339351092 (+1: .70, the largest remainder)
    --   440800 440498066.12 → 440498066
    expect = {
      ["440200"] = { outcome = "allocation", amount = 1795508.42,
                     note = "人均支出相同（5000.00 元），按地区代码先后：韶关市(440200)、"
                       .. "汕头市(440500)、湛江市(440800) 入选，茂名市(440900)、" },
      ["440500"] = { outcome = "allocation", amount = 3393510.92,
                     note = "受援条件：eligible_zones = east,west,north 的地市（欠发达地区），"
                       .. "当年被核减或核减未能评估的地市除外（当年被核减：深圳市）" },
      ["440800"] = { outcome = "allocation", amount = 4404980.66 },
      ["440100"] = false, ["440300"] = false, ["440400"] = false,
      ["440900"] = false,
    },
  },
  case {
    name = "recipients larger than the eligible set: all eligible receive, and the note says so",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    params = { [RULE] = { recipients = 21 } },
    rules = { CUT, RULE },
    -- 广州 and 深圳 are core; the four others share 959400000 fen over
    -- 5670000 : 7360000 : 6410000 : 6100000 (25540000):
    --   440500 212991307.75 → 212991308 (+1: .75)
    --   440800 276475489.43 → 276475489
    --   440900 240789115.11 → 240789115
    --   445200 229144087.71 → 229144088 (+1: .71)
    expect = {
      ["440500"] = { outcome = "allocation", amount = 2129913.08,
                     note = "参数 recipients = 21 多于符合条件的地市（4 个），全部入选" },
      ["440800"] = { outcome = "allocation", amount = 2764754.89 },
      ["440900"] = { outcome = "allocation", amount = 2407891.15 },
      ["445200"] = { outcome = "allocation", amount = 2291440.88 },
      ["440100"] = false, ["440300"] = false,
    },
  },
  case {
    name = "no eligible city: nothing is allocated, the finding fails carrying the pool",
    year = 2019,
    regions = kit.regions("440100", "440300", "440400", "440600"),
    facts = (function()
      local f = sample_facts()
      f["440400"] = city_facts(1e9, 1000000, 4000)
      f["440600"] = city_facts(1e9, 1000000, 4000)
      f["440500"], f["440800"], f["440900"], f["445200"] = nil, nil, nil, nil
      return f
    end)(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    rules = { CUT, RULE },
    expect = {
      ["440000"] = { outcome = "fail", measured = 9594000, required = 0,
                     unit = "元",
                     note = "核减资金 9594000.00 元无符合受援条件的地市，未分配"
                       .. "（深圳市 9594000.00 元）" },
      ["440100"] = false, ["440400"] = false, ["440600"] = false,
    },
  },
  case {
    name = "eligible zones with no city in them: nothing is allocated, fail",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    params = { [RULE] = { eligible_zones = "north" } },
    rules = { CUT, RULE },
    expect = {
      ["440000"] = { outcome = "fail", measured = 9594000,
                     note = "受援条件：eligible_zones = north 的地市" },
      ["445200"] = false,
    },
  },
  case {
    name = "a run may widen the eligible zones (core cities then compete, never the cut one)",
    year = 2019,
    regions = kit.regions("440100", "440300", "440500", "440600"),
    facts = (function()
      local f = sample_facts()
      f["440600"] = city_facts(1e9, 1000000, 3000)
      f["440800"], f["440900"], f["445200"] = nil, nil, nil
      return f
    end)(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    params = { [RULE] = { eligible_zones = " core , east", recipients = 1 } },
    rules = { CUT, RULE },
    -- 佛山 (3000) is lowest; 深圳, cut, is never ranked.
    expect = {
      ["440600"] = { outcome = "allocation", amount = 9594000,
                     note = "受援条件：eligible_zones = core,east 的地市" },
      ["440300"] = false, ["440500"] = false,
    },
  },
  case {
    name = "an unknown zone in eligible_zones is an error, named",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    params = { [RULE] = { eligible_zones = "east,esat" } },
    rules = { CUT, RULE },
    expect = { ["440000"] = {
      outcome = "error",
      note = "params.eligible_zones: unknown zone 'esat' in 'east,esat' "
        .. "(the zones are core, east, west, north)" } },
  },
  case {
    name = "an empty eligible_zones is an error",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    params = { [RULE] = { eligible_zones = "" } },
    rules = { CUT, RULE },
    expect = { ["440000"] = {
      outcome = "error", note = "params.eligible_zones: unknown zone ''" } },
  },
  case {
    name = "a fractional recipients is an error",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    params = { [RULE] = { recipients = 2.5 } },
    rules = { CUT, RULE },
    expect = { ["440000"] = {
      outcome = "error", note = "params.recipients must be a whole number, got 2.5" } },
  },
  case {
    name = "a recipients no integer holds (1e308) is an error naming the param",
    year = 2019,
    regions = sample_regions,
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    params = { [RULE] = { recipients = 1e308 } },
    rules = { CUT, RULE },
    expect = { ["440000"] = {
      outcome = "error", note = "params.recipients must be a whole number, got 1e+308" } },
  },
  case {
    name = "a city with no zone could be eligible: missing, named, nothing allocated",
    year = 2019,
    regions = kit.regions("440100", "440300", "440500",
                          kit.city("440800", { zone = false }), "440900",
                          "445200"),
    facts = sample_facts(),
    standards = standards,
    shares = shares,
    transfers = shenzhen_paid,
    rules = { CUT, RULE },
    expect = {
      ["440000"] = { outcome = "missing",
                     note = "核减资金 9594000.00 元未分配：地市未划分区域（zone），"
                       .. "无法判断是否符合受援条件：湛江市(440800)" },
      ["445200"] = false,
    },
  },
  {
    -- 汕头 (east) spends least per resident, but it is fiscally strong
    -- (revenue 1.2e11: 21164.02 per resident ≥ 1.5 × 12995.14) and raised
    -- its own pension standard to 200: it is cut 0.7 × (200 − 170) × 10000
    -- × 12 = 2520000 and never receives.
    name = "a cut city that would otherwise rank lowest does not receive",
    year = 2019,
    regions = sample_regions,
    facts = (function()
      local f = sample_facts()
      f["440500"] = city_facts(1.2e11, 5670000, 4000)
      f["440500"][BEN] = 10000
      return f
    end)(),
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440300"] = 300,
                                           ["440500"] = 200 } } },
    shares = shares,
    transfers = { ["440300"] = { [ITEM] = 12546000 },
                  ["440500"] = { [ITEM] = 5000000 } },
    rules = { CUT, RULE },
    -- Pool 9594000 + 2520000 = 12114000.00 = 1211400000 fen over 湛江,
    -- 茂名, 揭阳 (7360000 : 6410000 : 6100000 = 19870000):
    --   440800 448711826.87 → 448711827 (+1: .87)
    --   440900 390793860.09 → 390793860
    --   445200 371894313.03 → 371894313
    expect = {
      [CUT] = { ["440500"] = { outcome = "cut", amount = 2520000 } },
      [RULE] = {
        ["440800"] = { outcome = "allocation", amount = 4487118.27,
                       note = "（当年被核减：深圳市、汕头市）" },
        ["440900"] = { outcome = "allocation", amount = 3907938.60 },
        ["445200"] = { outcome = "allocation", amount = 3718943.13 },
        ["440500"] = false, ["440300"] = false,
      },
    },
  },
}
