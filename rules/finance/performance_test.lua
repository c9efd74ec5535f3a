-- Tests of finance.performance (绩效考核). Every needed compliance rule runs
-- on each case's data; the cases set the weight of every department but the
-- ones they look at to 0, so that a hand count of a few findings gives the
-- score: 100 × Σ w·credit ÷ Σ w. The findings used:
--   health.public_health_per_capita  (卫健, city and county) spend ÷ pop.resident
--                                    ≥ national 69 元/人
--   health.family_planning_award     (卫健, city) spend ÷ beneficiaries ÷ 12
--                                    ≥ national 80 元/人·月
--   housing.affordable_coverage      (住建, city) covered ÷ eligible ≥ 0.95
-- A finding below full credit costs 100 × w × (1 − credit) ÷ Σ w points.
local RULE = "finance.performance"
local kit = require "testkit"

-- Weights: every department 0 but those given.
local function only(w)
  local p = { weight_civil_affairs = 0, weight_education = 0,
              weight_finance = 0, weight_health = 0, weight_housing = 0,
              weight_hrss = 0, weight_medical = 0 }
  for k, v in pairs(w) do
    p[k] = v
  end
  return { [RULE] = p }
end

-- One region's health and housing figures. ph: public health spend per
-- resident (pop 1000000); fp: family planning award per beneficiary and
-- month (1000 beneficiaries); cov: housing coverage (1000 eligible). nil
-- leaves the figures out (missing).
local function figures(ph, fp, cov)
  local f = { ["pop.resident"] = 1000000 }
  if ph then
    f["health.public_health.spend"] = ph * 1000000
  end
  if fp then
    f["health.family_planning.spend"] = fp * 1000 * 12
    f["health.family_planning.beneficiaries"] = 1000
  end
  if cov then
    f["housing.affordable.covered"] = cov * 1000
    f["housing.affordable.eligible"] = 1000
  end
  return f
end
local standards = {
  ["health.public_health"] = { national = 69 },
  ["health.family_planning"] = { national = 80 },
}

---@type equirule.TestCase[]
return {
  {
    -- health: public health pass (1), family planning fail (0); housing:
    -- not reported, missing (0). Σw = 1 + 1 + 2 = 4; Σ w·credit = 1;
    -- score 25; costs: housing 100 × 2 ÷ 4 = 50, family planning 25.
    name = "department weights and credits: pass 1, fail 0, missing 0",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(70, 60, nil) },
    standards = standards,
    params = only { weight_health = 1, weight_housing = 2 },
    expect = { [RULE] = { ["441400"] = {
      outcome = "fail", measured = 25, required = 60, unit = "分",
      note = "得分 25.00，全省第 1/1 名；计分 3 项：通过 1、预警 0、未通过 1、"
        .. "缺数据 1（缺数据即未报送，按未通过计）；不适用 0 项不计；"
        .. "扣分：住建 housing.affordable_coverage 缺数据 −50.00 分、"
        .. "卫健 health.family_planning_award 未通过 −25.00 分" } } },
  },
  {
    -- the same figures, --set finance.performance.weight_health=3 as a
    -- what-if: Σw = 3 + 3 + 2 = 8; Σ w·credit = 3; score 37.5; costs:
    -- housing 100 × 2 ÷ 8 = 25, family planning 100 × 3 ÷ 8 = 37.5.
    name = "a what-if weight (--set weight_health=3) moves the score",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(70, 60, nil) },
    standards = standards,
    params = only { weight_health = 3, weight_housing = 2 },
    expect = { [RULE] = { ["441400"] = {
      outcome = "fail", measured = 37.5,
      note = "扣分：卫健 health.family_planning_award 未通过 −37.50 分、"
        .. "住建 housing.affordable_coverage 缺数据 −25.00 分" } } },
  },
  {
    -- health only: the city's two findings pass, its county 梅江区 fails
    -- public health (county-level); 3 findings of weight 1: 66.67 ≥ 60.
    name = "a county's findings count with the city's",
    year = 2019,
    regions = kit.regions("441400", "441402"),
    facts = { ["441400"] = figures(70, 90, nil),
              ["441402"] = figures(50, nil, nil) },
    standards = standards,
    params = only { weight_health = 1 },
    expect = { [RULE] = {
      ["441400"] = { outcome = "pass", measured = 66.6667, note =
        "计分 3 项：通过 2、预警 0、未通过 1、缺数据 0（缺数据即未报送，按未通过计）；"
        .. "不适用 0 项不计；扣分：卫健 health.public_health_per_capita（梅江区） "
        .. "未通过 −33.33 分" },
      ["441402"] = false } },
  },
  {
    -- no standard in force: both health findings skip and are not
    -- scored; housing passes alone: 100.
    name = "a skipped finding is not scored",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(nil, nil, 0.96) },
    params = only { weight_health = 5, weight_housing = 1 },
    expect = { [RULE] = { ["441400"] = {
      outcome = "pass", measured = 100, note =
        "得分 100.00，全省第 1/1 名；计分 1 项：通过 1、预警 0、未通过 0、缺数据 0"
        .. "（缺数据即未报送，按未通过计）；不适用 2 项不计；无扣分" } } },
  },
  {
    name = "nothing scored: skipped",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(nil, nil, nil) },
    params = only { weight_health = 1 },
    expect = { [RULE] = { ["441400"] = {
      outcome = "skip", note = "无计分的合规检查结果" } } },
  },
  {
    -- 梅州 100 (housing passes), 汕尾 and 河源 0 (housing fails): 汕尾 and
    -- 河源 share rank 2 of 3.
    name = "cities ranked; equal scores share a rank",
    year = 2019,
    regions = kit.regions("441400", "441500", "441600"),
    facts = { ["441400"] = figures(nil, nil, 0.99),
              ["441500"] = figures(nil, nil, 0.5),
              ["441600"] = figures(nil, nil, 0.5) },
    params = only { weight_housing = 1 },
    expect = { [RULE] = {
      ["441400"] = { outcome = "pass", measured = 100,
                     note = "得分 100.00，全省第 1/3 名；" },
      ["441500"] = { outcome = "fail", measured = 0,
                     note = "得分 0.00，全省第 2/3 名（与 1 个市同分并列）" },
      ["441600"] = { outcome = "fail", measured = 0,
                     note = "得分 0.00，全省第 2/3 名（与 1 个市同分并列）" } } },
  },
  {
    -- housing.affordable_coverage with min_coverage = 2 raises (not a
    -- ratio): its finding is error, and the score cannot be computed.
    name = "an error finding of a needed rule makes the score an error",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(70, 90, 0.99) },
    standards = standards,
    params = { [RULE] = only({ weight_health = 1, weight_housing = 1 })[RULE],
               ["housing.affordable_coverage"] = { min_coverage = 2 } },
    expect = {
      ["housing.affordable_coverage"] = { ["441400"] = { outcome = "error" } },
      [RULE] = { ["441400"] = { outcome = "error", note =
        "441400 梅州市 的 housing.affordable_coverage 结果为 error" } } },
  },
  {
    -- 汕尾's public health cost sharing cannot be computed in fen (a
    -- required funding of 69 × 1e14 元 is out of range): an error finding
    -- in 汕尾 only, of a department of weight 0 — still never ignored. 梅州
    -- is scored; 汕尾 is left out of the ranking and named.
    name = "a city whose score cannot be computed is left out of the ranking",
    year = 2019,
    regions = kit.regions("441400", "441500"),
    facts = { ["441400"] = figures(nil, nil, 0.99),
              ["441500"] = { ["pop.resident"] = 1e14,
                             ["health.public_health.spend"] = 1e15,
                             ["housing.affordable.covered"] = 500,
                             ["housing.affordable.eligible"] = 1000 } },
    standards = { ["health.public_health"] = { national = 69 } },
    shares = { ["health.public_health"] = { [1] = 0.7 } },
    params = only { weight_housing = 1 },
    expect = { ["finance.cost_sharing.health.public_health"] = {
                 ["441500"] = { outcome = "error" } },
               [RULE] = {
      ["441400"] = { outcome = "pass", note = "全省第 1/1 名（1 个市得分未能计算，"
        .. "不参与排名：汕尾市（finance.cost_sharing.health.public_health 为 error））；" },
      ["441500"] = { outcome = "error" } } },
  },
  {
    name = "a negative weight is an error naming the param",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(70, 90, 0.99) },
    standards = standards,
    params = only { weight_health = -1, weight_housing = 1 },
    expect = { [RULE] = { ["441400"] = { outcome = "error",
      note = "params.weight_health must be a number ≥ 0, got -1" } } },
  },
  {
    name = "all weights 0 is an error",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(70, 90, 0.99) },
    standards = standards,
    params = only {},
    expect = { [RULE] = { ["441400"] = { outcome = "error",
      note = "every department weight is 0" } } },
  },
  {
    name = "credit_warn outside 0..1 is an error",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(70, 90, 0.99) },
    standards = standards,
    params = { [RULE] = { credit_warn = 1.5 } },
    expect = { [RULE] = { ["441400"] = { outcome = "error",
      note = "params.credit_warn must be a number in 0..1, got 1.5" } } },
  },
  {
    -- Σ w of 1e308 weights overflows to inf, the score to nan: refused
    name = "a weight above 1000 is an error naming the param",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(70, 90, 0.99) },
    standards = standards,
    params = only { weight_health = 1e308, weight_housing = 1e308 },
    expect = { [RULE] = { ["441400"] = { outcome = "error",
      note = "params.weight_health must be at most 1000, got 1e+308" } } },
  },
  {
    name = "weights of 1000, the largest, score as weights of 1",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = figures(70, 60, nil) },
    standards = standards,
    params = only { weight_health = 1000, weight_housing = 1000 },
    expect = { [RULE] = { ["441400"] = { outcome = "fail",
      measured = 33.3333, required = 60 } } },
  },
}
