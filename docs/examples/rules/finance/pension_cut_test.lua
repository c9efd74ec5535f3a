-- Tests of finance.pension_cut_example (docs/rule-authoring.md).
local RULE = "finance.pension_cut_example"
local ITEM = "pension.resident_basic"
local BEN = "pension.resident_basic.beneficiaries"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           tier = tier }
end
-- 3000 and 1000 元 per resident: average 2000, × 1.5 = 3000.
local regions = { province, city("440400", "珠海市", 3),
                  city("441600", "河源市", 1) }
local facts = {
  ["440400"] = { ["fin.revenue"] = 3e9, ["pop.resident"] = 1e6, [BEN] = 100 },
  ["441600"] = { ["fin.revenue"] = 1e9, ["pop.resident"] = 1e6, [BEN] = 1e5 },
}
local shares = { [ITEM] = { [1] = 0.7, [3] = 0.3 } }

---@type equirule.TestCase[]
return {
  {
    name = "a strong city that raised its standard is cut the province's share",
    year = 2019,
    regions = regions,
    facts = facts,
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440400"] = 180 } } },
    shares = shares,
    transfers = { ["440400"] = { [ITEM] = 61200 } },
    expect = { [RULE] = {
      -- 0.3 × (180 − 170) × 100 × 12 = 3600
      ["440400"] = { outcome = "cut", amount = 3600 },
      ["441600"] = { outcome = "pass", amount = 0 },
    } },
  },
  {
    name = "the cut is at most the transfer paid",
    year = 2019,
    regions = regions,
    facts = facts,
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440400"] = 180 } } },
    shares = shares,
    transfers = { ["440400"] = { [ITEM] = 1000 } },
    expect = { [RULE] = { ["440400"] = { outcome = "cut", amount = 1000 } } },
  },
  {
    name = "a city that is not strong enough is not cut",
    year = 2019,
    regions = regions,
    facts = facts,
    params = { [RULE] = { strong_ratio = 1.6 } },
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440400"] = 180 } } },
    shares = shares,
    transfers = { ["440400"] = { [ITEM] = 61200 } },
    expect = { [RULE] = { ["440400"] = {
      outcome = "pass", amount = 0, note = "< 1.6 × 平均" } } },
  },
  {
    name = "a city without residents leaves the average unknown: missing, named",
    year = 2019,
    regions = regions,
    facts = {
      ["440400"] = facts["440400"],
      ["441600"] = { ["fin.revenue"] = 1e9, ["pop.resident"] = 0, [BEN] = 1e5 },
    },
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440400"] = 180 } } },
    shares = shares,
    transfers = { ["440400"] = { [ITEM] = 61200 } },
    expect = { [RULE] = { ["440400"] = {
      outcome = "missing", note = "河源市 pop.resident 为 0" } } },
  },
  {
    -- (a transfer is whole fen: a fraction of one is refused before any
    -- rule runs)
    name = "a cut capped by the transfer never passes it",
    year = 2019,
    regions = regions,
    facts = facts,
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440400"] = 180 } } },
    shares = shares,
    transfers = { ["440400"] = { [ITEM] = 1000.55 } },
    expect = { [RULE] = { ["440400"] = { outcome = "cut", amount = 1000.55 } } },
  },
}
