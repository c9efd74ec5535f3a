-- Worked example 2 of docs/rule-authoring.md: from compliance to a cut.
-- 粤财办〔2019〕1号 二(四)1: a fiscally strong city (revenue per resident at
-- least params.strong_ratio × the cities' average) that raised its own
-- basic pension standard above the binding one gets no provincial subsidy
-- for the increment: the province's share of it is cut (核减) from the
-- transfer it paid on the item.
local money = require "money"
local peers = require "peers"
local ITEM = "pension.resident_basic"
local BENEFICIARIES = "pension.resident_basic.beneficiaries"

---@type equirule.Rule
return {
  id = "finance.pension_cut_example",
  title = "财力较强地区自行提高基础养老金标准的提标部分核减省级补助（示例）",
  basis = "粤财办〔2019〕1号 二(四)1",
  item = ITEM,
  kind = "cut",
  level = "city",
  effective = { from = 2019 },
  params = { strong_ratio = 1.5 },
  evaluate = function(r)
    local own = r:standard(ITEM, "local")
    local binding = r:standard(ITEM)
    if not own or not binding or own <= binding then
      return cut(0, "未自行提高标准")
    end
    -- fiscal strength: revenue per resident against the average of every
    -- city (a city without revenue or residents: missing, naming it)
    local all, gap = peers.totals(r:region(r.parent), "fin.revenue",
                                  "pop.resident", { each = true })
    if not all then
      return gap
    end
    local per_capita = r:fact("fin.revenue") / r:fact("pop.resident")
    if per_capita < params.strong_ratio * all.level then
      return cut(0, string.format("人均收入 %.2f 元 < %g × 平均 %.2f 元",
                                  per_capita, params.strong_ratio, all.level))
    end
    -- the province's share of the increment, at most what it paid: in fen,
    -- never above the transfer (money.cap_fen rounds the cap down)
    local increment = r:share(ITEM) * (own - binding) * r:fact(BENEFICIARIES) * 12
    local fen = money.cap_fen(increment, r:transfer(ITEM))
    return cut(fen / 100, string.format("省分担 %g × (%g − %g) 元/月 × %.0f 人 × 12",
                                        r:share(ITEM), own, binding,
                                        r:fact(BENEFICIARIES)))
  end,
}
