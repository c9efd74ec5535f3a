-- Tests of finance.cut_pool_example, run with the cut it reads.
local CUT = "finance.pension_cut_example"
local RULE = "finance.cut_pool_example"
local ITEM = "pension.resident_basic"
local BEN = "pension.resident_basic.beneficiaries"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           tier = tier }
end
local function facts(per_capita_spend)
  local f = {
    ["440400"] = { ["fin.revenue"] = 3e9, ["pop.resident"] = 1e6,
                   [BEN] = 100, ["fin.basic_service.spend"] = 9000 * 1e6 },
  }
  for code, level in pairs(per_capita_spend) do
    f[code] = { ["fin.revenue"] = 1e8, ["pop.resident"] = 1e6, [BEN] = 1e5,
                ["fin.basic_service.spend"] = level * 1e6 }
  end
  return f
end

---@type equirule.TestCase[]
return {
  {
    name = "the pool goes to the lowest cities, adding up to the fen",
    year = 2019,
    regions = { province, city("440400", "珠海市", 3),
                city("441400", "梅州市", 1), city("441500", "汕尾市", 1),
                city("441600", "河源市", 1), city("445300", "云浮市", 1) },
    facts = facts({ ["441400"] = 4000, ["441500"] = 4100,
                    ["441600"] = 4200, ["445300"] = 5000 }),
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440400"] = 180 } } },
    shares = { [ITEM] = { [1] = 0.7, [3] = 0.3 } },
    transfers = { ["440400"] = { [ITEM] = 61200 } },
    rules = { CUT, RULE },
    -- a pool of 3600.00 split three ways (equal residents): 1200 each
    expect = {
      [CUT] = { ["440400"] = { outcome = "cut", amount = 3600 } },
      [RULE] = {
        ["441400"] = { outcome = "allocation", amount = 1200 },
        ["441500"] = { outcome = "allocation", amount = 1200 },
        ["441600"] = { outcome = "allocation", amount = 1200 },
        ["445300"] = false,
      },
    },
  },
  {
    name = "no cut: nothing to distribute",
    year = 2019,
    regions = { province, city("440400", "珠海市", 3),
                city("441400", "梅州市", 1) },
    facts = facts({ ["441400"] = 4000 }),
    standards = { [ITEM] = { national = 88, provincial = 170 } },
    shares = { [ITEM] = { [1] = 0.7, [3] = 0.3 } },
    rules = { CUT, RULE },
    expect = { [RULE] = { ["440000"] = { outcome = "skip" } } },
  },
  {
    name = "a cut that could not be evaluated: the pool is not allocated",
    year = 2019,
    regions = { province, city("440400", "珠海市", 3),
                city("441400", "梅州市", 1) },
    facts = (function()
      local f = facts({ ["441400"] = 4000 })
      f["440400"][BEN] = nil
      return f
    end)(),
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440400"] = 180 } } },
    shares = { [ITEM] = { [1] = 0.7, [3] = 0.3 } },
    transfers = { ["440400"] = { [ITEM] = 61200 } },
    rules = { CUT, RULE },
    expect = {
      [CUT] = { ["440400"] = { outcome = "missing" } },
      [RULE] = { ["440000"] = { outcome = "missing", note = "珠海市" } },
    },
  },
  {
    name = "a city without its spending leaves the ranking unknown",
    year = 2019,
    regions = { province, city("440400", "珠海市", 3),
                city("441400", "梅州市", 1) },
    facts = (function()
      local f = facts({ ["441400"] = 4000 })
      f["441400"]["fin.basic_service.spend"] = nil
      return f
    end)(),
    standards = { [ITEM] = { national = 88, provincial = 170,
                             ["local"] = { ["440400"] = 180 } } },
    shares = { [ITEM] = { [1] = 0.7, [3] = 0.3 } },
    transfers = { ["440400"] = { [ITEM] = 61200 } },
    rules = { CUT, RULE },
    expect = { [RULE] = { ["440000"] = {
      outcome = "missing", note = "梅州市 fin.basic_service.spend 无 2019 年数值" } } },
  },
}
