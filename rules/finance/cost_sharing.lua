-- 共同财政事权按比例分担 (粤财办〔2019〕1号 二(三)3): for each item with a
-- unified funding standard, the funding a region requires is standard ×
-- beneficiaries (scripts/lib/funding.lua: Σ over the item's parts, × 12
-- for a monthly standard), at the binding standard (the larger of national
-- and provincial). The province owes its tier's share of it (r:share: the
-- region's tier, a county without one taking its city's) and pays it as a
-- transfer (r:transfer). Amounts due are rounded half up to the yuan
-- (transfers are paid in whole yuan): province due = round(share ×
-- required).
--
-- Two families of rules, one rule per item in each, made by the same
-- functions:
--
-- finance.cost_sharing.<item> (a finding per city and item): the city
-- owes the rest, city due = round(required) − province due, and pays it
-- from its own spending on the item (the item's spending less the
-- transfer it kept). Where finance.subsidy_cut cut part of the item's
-- transfer (the subsidy paid on a raised local standard's increment,
-- funding.increment_cut), the province's payment is the transfer net of
-- the cut: the cut takes back money the policy never owed (the increment
-- is the city's own choice), so the province paid its part when the net
-- transfer covers its share at the binding standard, and the city's own
-- spending is the spending less the net transfer. The note shows paid,
-- cut and net, and what the gross reading would have given
-- (docs/rules-catalog.md).
--
-- finance.county_cost_sharing.<item> (a finding per county and item): of
-- the rest, the county's city owes its split (r:split: the city's part of
-- what the province does not pay), city due = round(split × (round(required)
-- − province due)), paid to the county (r:transfer(item, { payer = "city"
-- })); the county owes what is left, county due = round(required) −
-- province due − city due, from its own spending (the spending less both
-- transfers). No split in force for the county's city: `missing`, naming
-- it. Where finance.subsidy_cut cut the city's transfer of the item, the
-- city's row is what the province paid on its whole territory (its
-- counties' rows), so the cut is apportioned to the city's counties in
-- proportion to their province transfers for the item (money.apportion:
-- largest remainder, to the fen) and the county's province payment is its
-- transfer net of its part, as at city level (paid, cut, net and the
-- gross reading in the note). A cut that cannot be computed, or counties
-- whose transfers add up to less than the cut: `missing`, naming it.
-- A province or city payment short of its due by the rounding of its
-- share only (at least the exact due rounded down to the yuan: a city's
-- share split over its counties in whole yuan by largest remainder rounds
-- some down) counts as paid, and the note says so; one yuan less fails.
-- Both transfers count in whole fen (as the city rule's), and the note
-- prints the split as stored (%.15g) so its arithmetic can be redone.
--
-- An item with parts (compulsory education: primary and junior) of which
-- some have a standard in force and some have none: `missing`, naming the
-- parts without one. The transfer and the spending are the whole item's
-- (a transfer is not split by part), so a requirement of some parts is
-- never compared with them: the left-out part's spending would pay the
-- kept part's share. No part with a standard: skip.
--
-- measured = the lowest of the levels' payment ratios (paid ÷ due),
-- required = 1; the finding fails when any level paid less than its part,
-- and the note says which and by how much. A beneficiary count, spending
-- or transfer that is negative or not finite is never computed with: the
-- finding is `missing`, naming each such figure.
local facts = require "facts"
local funding = require "funding"
local money = require "money"
local peers = require "peers"

-- Half up to the yuan, through the fen first (as the engine rounds), which
-- absorbs binary noise such as 0.7 × 165 = 115.49999999999999 → 115.50.
local function round_yuan(x)
  return (money.to_fen(x) + 50) // 100
end

-- The required funding of r for entry e, or the finding that ends the
-- evaluation (skip or missing) as a second value; gaps collects.
local function need_of(r, e, gaps)
  local need = funding.required(r, e, nil, gaps)
  if not need then
    return nil, skip("本年度无国家或省级标准")
  end
  if gaps:any() then
    return nil, gaps:missing("数据不可用")
  end
  if #need.lacking > 0 then
    -- the transfer and the spending are the whole item's: a requirement of
    -- some parts is never compared with them
    return nil, missing(string.format(
      "%s 的子项 %s 本年度无国家或省级标准：所需资金不完整，"
        .. "不与全部子项的支出和转移比较", e.item,
      table.concat(need.lacking, "、")))
  end
  if need.total <= 0 then
    return nil, skip("无受益对象，无所需资金")
  end
  return need
end

-- A transfer read into gaps when it is not a usable amount.
local function check_paid(r, gaps, paid, item, label)
  local why = facts.why(paid, "amount")
  if why then
    gaps:add(r, label .. " " .. item, why, { transfer = item })
  end
end

-- The tier r's provincial share is read with, and from where: "第1档" for
-- its own, "梅州市第1档" for its city's (r:share's order).
local function tier_text(r)
  if r.tier then
    return "第" .. tostring(r.tier) .. "档"
  end
  local up = r.parent and r:region(r.parent)
  while up and not up.tier do
    up = up.parent and up:region(up.parent)
  end
  if not up then
    return "无分档"
  end
  return string.format("%s第%d档", facts.label(up), up.tier)
end

-- The part of the item's transfer to r that finance.subsidy_cut took
-- back, in fen (0 when none), or nil and the finding that ends the
-- evaluation. A cut rule that could not decide (missing, error) on an
-- item whose local standard is raised leaves the province's payment
-- unknown: `missing`, naming what the cut lacked where it is the data
-- (the cities' revenue or residents, the item's beneficiaries).
local function cut_of(r, e, share, paid, gaps)
  local res = r:result("finance.subsidy_cut")
  if not res or res.outcome == "pass" or res.outcome == "skip" then
    return 0
  end
  local parts = funding.raised(r, e)
  if #parts == 0 then
    return 0
  end
  if res.outcome ~= "cut" then
    -- name what the cut lacked, as it reads it: the cities' revenue and
    -- residents (whether r is fiscally strong), the item's beneficiaries
    if r.parent then
      local all, gap = peers.totals(r:region(r.parent), "fin.revenue",
                                    "pop.resident", { each = true })
      if not all then
        return nil, gap
      end
    end
    if not funding.increment_cut(r, parts, share, paid, gaps) then
      return nil, gaps:missing("数据不可用")
    end
    return nil, missing(string.format(
      "finance.subsidy_cut 结果为 %s，无法确定 %s 转移支付是否被核减",
      res.outcome, e.item))
  end
  local c = funding.increment_cut(r, parts, share, paid, gaps)
  if not c then
    return nil, gaps:missing("数据不可用")
  end
  return c.fen
end

-- The finding of payment ratios: levels = { { due, paid, short [, exact,
-- name] }, ... }. A level given `exact` (its due before rounding to the
-- yuan) that paid less than its rounded due but at least the exact due
-- rounded down to the yuan is short only by the rounding of its share (a
-- payer that splits a city's share over its counties in whole yuan, by
-- largest remainder, rounds some down): it counts as paid, and the note
-- says so.
local function judge(levels, note)
  local ratios, short, rounded = {}, {}, {}
  for _, l in ipairs(levels) do
    if l.due > 0 then
      local floor_due = l.exact and money.to_fen(l.exact) // 100
      if l.paid < l.due and floor_due and l.paid >= floor_due then
        ratios[#ratios + 1] = 1
        rounded[#rounded + 1] = string.format(
          "%s已拨 %.2f 元不少于应担 %.2f 元舍去元以下部分（分县按元取整），视为足额",
          l.name, l.paid, money.round_fen(l.exact))
      else
        ratios[#ratios + 1] = l.paid / l.due
      end
      if l.paid < l.due and not (floor_due and l.paid >= floor_due) then
        short[#short + 1] = string.format("%s %.2f 元", l.short,
                                          l.due - l.paid)
      end
    end
  end
  if #ratios == 0 then
    return skip("所需资金为0")
  end
  if #rounded > 0 then
    note = note .. "；" .. table.concat(rounded, "，")
  end
  if #short > 0 then
    note = note .. "；" .. table.concat(short, "，")
  end
  return at_least(math.min(table.unpack(ratios)), 1,
                  { unit = "到位率", note = note })
end

local function city_rule(e)
  return {
    id = "finance.cost_sharing." .. e.item,
    title = e.name .. "：省级分担（转移支付）与市县分担（自有支出）按比例足额到位",
    basis = "粤财办〔2019〕1号 二(三)3 共同财政事权按比例分担; 国办发〔2018〕6号; "
      .. "所需资金 = 标准 × 受益人数; 省级分担比例按市县分档（示例）; "
      .. "二(四)1 核减部分不计入省级已拨",
    item = e.item,
    kind = "compliance",
    level = "city",
    effective = { from = 2018 },
    needs = { "finance.subsidy_cut" },
    evaluate = function(r)
      -- a negative or non-finite count or spending is `missing`, named
      local gaps = facts.gaps()
      local need, stop = need_of(r, e, gaps)
      if not need then
        return stop
      end
      local share = r:share(e.item)
      local required = round_yuan(need.total)
      local province_due = round_yuan(share * need.total)
      local city_due = required - province_due
      local paid = r:transfer(e.item)
      local spend = funding.spend(r, e, gaps)
      check_paid(r, gaps, paid, e.item, "transfer")
      if gaps:any() then
        return gaps:missing("数据不可用")
      end
      local cut_fen
      cut_fen, stop = cut_of(r, e, share, paid, gaps)
      if not cut_fen then
        return stop
      end
      local net = (money.to_fen(paid) - cut_fen) / 100
      local own = spend - net

      local note
      if cut_fen == 0 then
        note = string.format(
          "所需 %s = %.0f 元；省级（%s %g）应担 %.0f 元，已拨 %.2f 元；"
            .. "市级应担 %.0f 元，自有支出 %.2f 元（支出 %.2f − 省级转移 %.2f）",
          funding.describe(need), required, tier_text(r), share,
          province_due, paid, city_due, own, spend, paid)
      else
        note = string.format(
          "所需 %s = %.0f 元；省级（%s %g）应担 %.0f 元，已拨 %.2f 元，"
            .. "核减 %.2f 元，净拨 %.2f 元；市级应担 %.0f 元，自有支出 %.2f 元"
            .. "（支出 %.2f − 省级净拨 %.2f）；按已拨毛额计（不采用）省级 %.2f 元、"
            .. "市级自有 %.2f 元",
          funding.describe(need), required, tier_text(r), share,
          province_due, paid, cut_fen / 100, net, city_due, own, spend, net,
          paid, spend - paid)
      end
      return judge({ { due = province_due, paid = net, short = "省级少拨" },
                     { due = city_due, paid = own, short = "市级少支" } },
                   note)
    end,
  }
end

-- The part of the city's cut of the item (finance.subsidy_cut, cut_of on
-- the city) that falls on the county r, in fen, with the city's whole cut
-- and the sum of its counties' transfers for the note; or nil and the
-- finding that ends the evaluation. A city's transfer row is what the
-- province paid on its whole territory (its counties' rows), so the cut is
-- apportioned to the counties in proportion to their province transfers
-- for the item (money.apportion: largest remainder, to the fen). A
-- county's transfer that is not a usable amount, or counties whose
-- transfers add up to less than the cut: `missing`, naming it.
local function county_cut_of(r, city, e, gaps)
  local city_share = city:share(e.item)
  local city_paid = city:transfer(e.item)
  check_paid(city, gaps, city_paid, e.item, "transfer")
  if gaps:any() then
    return nil, gaps:missing("数据不可用")
  end
  local cut_fen, stop = cut_of(city, e, city_share, city_paid, gaps)
  if not cut_fen then
    return nil, stop
  end
  if cut_fen == 0 then
    return 0
  end
  local weights, sum_fen = {}, 0
  for _, c in ipairs(city:children("county")) do
    local t = c:transfer(e.item)
    check_paid(c, gaps, t, e.item, "transfer")
    if not gaps:any() then
      weights[c.code] = money.to_fen(t)
      sum_fen = sum_fen + weights[c.code]
    end
  end
  if gaps:any() then
    return nil, gaps:missing("数据不可用")
  end
  if sum_fen < cut_fen then
    return nil, missing(string.format(
      "%s 的 %s 转移支付被核减 %.2f 元，其所辖县省级转移合计 %.2f 元不足以分摊，"
        .. "县级净拨未知", facts.label(city), e.item, cut_fen / 100,
      sum_fen / 100))
  end
  local parts = money.apportion(cut_fen / 100, weights)
  return money.to_fen(parts[r.code] or 0), cut_fen, sum_fen
end

local function county_rule(e)
  return {
    id = "finance.county_cost_sharing." .. e.item,
    title = e.name .. "：省、市、县分担按比例足额到位（县级）",
    basis = "粤财办〔2019〕1号 二(三)3 共同财政事权按比例分担; 合理划分市级与所辖县"
      .. "(市、区)支出分担比例; 所需资金 = 标准 × 受益人数; 省级分担比例按分档, "
      .. "县无分档者按所属市; 二(四)1 市的核减按各县省级转移比例分摊, 不计入省级已拨",
    item = e.item,
    kind = "compliance",
    level = "county",
    effective = { from = 2018 },
    needs = { "finance.subsidy_cut" },
    evaluate = function(r)
      local gaps = facts.gaps()
      local need, stop = need_of(r, e, gaps)
      if not need then
        return stop
      end
      local share = r:share(e.item)
      local split = r:split(e.item)
      local required = round_yuan(need.total)
      local province_due = round_yuan(share * need.total)
      local rest = required - province_due
      local city_due = round_yuan(split * rest)
      local county_due = rest - city_due
      local province_paid = r:transfer(e.item)
      local city_paid = r:transfer(e.item, { payer = "city" })
      local spend = funding.spend(r, e, gaps)
      check_paid(r, gaps, province_paid, e.item, "transfer")
      check_paid(r, gaps, city_paid, e.item, "city_transfer")
      if gaps:any() then
        return gaps:missing("数据不可用")
      end
      -- payments count in whole fen, as at city level: a fraction of a fen
      -- never makes a level short ("少拨 0.00 元")
      city_paid = money.round_fen(city_paid)
      local city = r:region(r.parent)
      local cut_fen, city_cut_fen, sum_fen = county_cut_of(r, city, e, gaps)
      if not cut_fen then
        return city_cut_fen
      end
      local net = (money.to_fen(province_paid) - cut_fen) / 100
      local own = spend - net - city_paid
      local province_text
      if cut_fen == 0 then
        province_text = string.format("已拨 %.2f 元", province_paid)
      else
        province_text = string.format(
          "已拨 %.2f 元，分摊核减 %.2f 元（%s 核减 %.2f 元 × 本县省级转移 %.2f "
            .. "÷ 各县省级转移合计 %.2f，最大余数法到分），净拨 %.2f 元",
          province_paid, cut_fen / 100, facts.label(city), city_cut_fen / 100,
          province_paid, sum_fen / 100, net)
      end
      local note = string.format(
        "所需 %s = %.0f 元；省级（%s %g）应担 %.0f 元，%s；"
          .. "市级（%s 分担 %.15g）应担 %.15g × (%.0f − %.0f) = %.0f 元，已拨 %.2f 元；"
          .. "县级应担 %.0f 元，自有支出 %.2f 元（支出 %.2f − 省级%s %.2f − "
          .. "市级转移 %.2f）",
        funding.describe(need), required, tier_text(r), share, province_due,
        province_text, facts.label(city), split, split, required,
        province_due, city_due, city_paid, county_due, own, spend,
        cut_fen == 0 and "转移" or "净拨", net, city_paid)
      if cut_fen > 0 then
        note = note .. string.format(
          "；按已拨毛额计（不采用）省级 %.2f 元、县级自有 %.2f 元",
          province_paid, spend - province_paid - city_paid)
      end
      return judge({ { due = province_due, paid = net,
                       short = "省级少拨", exact = share * need.total,
                       name = "省级" },
                     { due = city_due, paid = city_paid, short = "市级少拨",
                       exact = split * rest, name = "市级" },
                     { due = county_due, paid = own, short = "县级少支" } },
                   note)
    end,
  }
end

local rules = {}
for _, e in ipairs(funding.items) do
  rules[#rules + 1] = city_rule(e)
end
for _, e in ipairs(funding.items) do
  rules[#rules + 1] = county_rule(e)
end
return rules
