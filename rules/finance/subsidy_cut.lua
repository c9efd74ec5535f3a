-- 核减 (粤财办〔2019〕1号 二(四)1): a fiscally strong city that raised its own
-- standard for an item above the binding (national/provincial) one gets no
-- provincial money for the increment. For every item with a unified
-- standard (scripts/lib/funding.lua) on which the city has a local
-- standard above the binding one, the province's share of the increment
-- is cut from the transfer it paid on that item, never more than that
-- transfer:
--
--   cut(item) = min(share × Σ (local − binding) × beneficiaries × periods,
--                   transfer paid on the item)
--
-- (periods = 12 for a monthly standard), in whole fen: the amount due
-- rounded half away from zero, the transfer rounded down, so that a cut
-- is never more than was paid (money.cap_fen); the finding's amount is
-- their sum, so the parts in the note add up to it.
--
-- Fiscally strong: general budget revenue per resident at least
-- params.strong_ratio times the average of the province's cities (their
-- total revenue ÷ their total resident population). Every city must
-- contribute both to the average: a city without a usable figure (absent,
-- negative revenue, residents 0 or less) makes the finding `missing`,
-- naming each such city (peers.totals), rather than an average without it.
local facts = require "facts"
local funding = require "funding"
local peers = require "peers"

-- Yuan with at least two decimals and up to four, so that an amount below
-- the fen shows how it was rounded (0.125 → "0.125", 9594000 → "9594000.00").
local function yuan(x)
  local s = string.format("%.4f", x):gsub("0+$", "")
  local decimals = #s - (s:find(".", 1, true) or #s)
  return s .. string.rep("0", math.max(0, 2 - decimals))
end

return {
  id = "finance.subsidy_cut",
  title = "财力较强地区自行提高保障标准的提标部分核减省级补助（各有统一标准的项目）",
  basis = "粤财办〔2019〕1号 二(四)1; 核减额 = 省级分担比例 × (本地标准 − 国家/省标准) "
    .. "× 受益人数, 以该项目已拨省级转移支付为限; 财力较强: 人均一般公共预算收入 "
    .. "≥ strong_ratio × 全省各市平均",
  kind = "cut",
  level = "city",
  effective = { from = 2019 },
  params = { strong_ratio = 1.5 },
  evaluate = function(r)
    -- Items on which the city's own standard is above the binding one.
    local raised, any_local, unbound, equal = {}, false, false, {}
    for _, e in ipairs(funding.items) do
      local parts, has_local, no_binding, same = funding.raised(r, e)
      any_local = any_local or has_local
      unbound = unbound or no_binding
      for _, t in ipairs(same) do equal[#equal + 1] = t end
      if #parts > 0 then
        raised[#raised + 1] = { entry = e, parts = parts }
      end
    end
    if not any_local then
      return cut(0, "未自行制定本地标准")
    end
    if #raised == 0 then
      if unbound and #equal == 0 then
        return skip("无国家或省级标准，无提标可言")
      end
      return cut(0, "本地标准不高于国家/省标准：" .. table.concat(equal, "；"))
    end
    if not r.parent then
      return skip("无上级地区，无法判断财力")
    end

    -- Every city contributes its revenue and residents to the average, or
    -- the finding is `missing` naming those that cannot (peers.totals).
    local all, gap = peers.totals(r:region(r.parent), "fin.revenue",
                                  "pop.resident", { each = true })
    if not all then
      return gap
    end
    if not all.level then
      return skip("上级地区下无市，无法判断财力")
    end
    local own
    for _, c in ipairs(all.regions) do
      if c.code == r.code then own = c end
    end
    if not own then
      -- not among the parent's cities: read its own figures the same way
      local gaps = facts.gaps()
      local rev, n = gaps:amount(r, "fin.revenue"), gaps:count(r, "pop.resident")
      if gaps:any() then
        return gaps:missing()
      end
      own = { value = rev / n }
    end
    local average = all.level
    local per_capita = own.value
    if per_capita < params.strong_ratio * average then
      return cut(0, string.format(
        "人均一般公共预算收入 %.2f 元低于全省各市平均 %.2f 元的 %g 倍，不属财力较强地区",
        per_capita, average, params.strong_ratio))
    end

    local total_fen, lines = 0, {}
    for _, x in ipairs(raised) do
      local e = x.entry
      local share = r:share(e.item)
      local paid = r:transfer(e.item)
      local gaps = facts.gaps()
      -- never more than was paid, to the fen (the cap is rounded down)
      local c = funding.increment_cut(r, x.parts, share, paid, gaps)
      if not c then
        return gaps:missing("数据不可用")
      end
      total_fen = total_fen + c.fen
      lines[#lines + 1] = string.format(
        "%s：%g × %s = %s 元，省级已拨 %s 元，核减 %.2f 元",
        e.name, share, table.concat(c.terms, " + "), yuan(c.due), yuan(paid),
        c.fen / 100)
    end
    return cut(total_fen / 100, string.format(
      "人均收入 %.2f 元 ≥ %g × 平均 %.2f 元；%s",
      per_capita, params.strong_ratio, average, table.concat(lines, "；")))
  end,
}
