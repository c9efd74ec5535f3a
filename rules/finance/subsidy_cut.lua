-- 核减 (粤财办〔2019〕1号 二(四)1): a fiscally strong city that raised its own
-- resident basic pension above the national/provincial minimum gets no
-- provincial money for the increment. What the province's share of that
-- increment would be is cut from the transfer it paid on the item, never
-- more than that transfer.
--
-- Fiscally strong: general budget revenue per resident at least
-- params.strong_ratio times the average of the province's cities (their
-- total revenue ÷ their total resident population).
-- Cut = provincial share × (local − binding standard) × beneficiaries × 12
-- (the standard is monthly), capped by the transfer paid.

local ITEM = "pension.resident_basic"
local STANDARD = "pension.resident_basic"
local BENEFICIARIES = "pension.resident_basic.beneficiaries"
local MONTHS = 12

return {
  id = "finance.subsidy_cut",
  title = "财力较强地区自行提高基础养老金标准的提标部分核减省级补助",
  basis = "粤财办〔2019〕1号 二(四)1",
  item = ITEM,
  kind = "cut",
  level = "city",
  effective = { from = 2019 },
  params = { strong_ratio = 1.5 },
  evaluate = function(r)
    local own = r:standard(STANDARD, "local")
    if not own then
      return cut(0, "未自行制定本地标准")
    end
    local binding = r:standard(STANDARD)
    if not binding then
      return skip("无国家或省级标准，无提标可言")
    end
    if own <= binding then
      return cut(0, string.format("本地标准 %g 元/月不高于国家/省标准 %g 元/月",
                                  own, binding))
    end
    if not r.parent then
      return skip("无上级地区，无法判断财力")
    end

    local revenue, pop = 0, 0
    for _, c in ipairs(r:region(r.parent):children("city")) do
      revenue = revenue + c:fact("fin.revenue")
      pop = pop + c:fact("pop.resident")
    end
    local own_pop = r:fact("pop.resident")
    if pop <= 0 or own_pop <= 0 then
      return skip("常住人口为0，无法计算人均财力")
    end
    local average = revenue / pop
    local per_capita = r:fact("fin.revenue") / own_pop
    if per_capita < params.strong_ratio * average then
      return cut(0, string.format(
        "人均一般公共预算收入 %.2f 元低于全省各市平均 %.2f 元的 %g 倍，不属财力较强地区",
        per_capita, average, params.strong_ratio))
    end

    local share = r:share(ITEM)
    if not share then
      return cut(0, "本档无省级分担比例")
    end
    local beneficiaries = r:fact(BENEFICIARIES)
    local increment = share * (own - binding) * beneficiaries * MONTHS
    local paid = r:transfer(ITEM)
    local amount = math.min(increment, paid)
    return cut(amount, string.format(
      "人均收入 %.2f 元 ≥ %g × 平均 %.2f 元；"
        .. "省分担 %g × (本地 %g − 标准 %g) 元/月 × %.0f 人 × 12 = %.2f 元；"
        .. "省级已拨 %.2f 元；核减 %.2f 元",
      per_capita, params.strong_ratio, average, share, own, binding,
      beneficiaries, increment, paid, amount))
  end,
}
