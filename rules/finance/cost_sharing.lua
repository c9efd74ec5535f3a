-- 共同财政事权按比例分担 (粤财办〔2019〕1号 二(三)3): for each item with a
-- unified funding standard, the funding a city requires is standard ×
-- beneficiaries (scripts/lib/funding.lua: Σ over the item's parts, × 12
-- for a monthly standard), at the binding standard (the larger of national
-- and provincial). The province owes its tier's share of it (r:share) and
-- pays it as a transfer (r:transfer); the city owes the rest and pays it
-- from its own spending on the item (the item's spending less the
-- transfer received). Amounts due are rounded half up to the yuan
-- (transfers are paid in whole yuan): province due = round(share ×
-- required), city due = round(required) − province due.
--
-- One rule per item, made by the same function: a finding per city and
-- item. measured = the lower of the two levels' payment ratios (paid ÷
-- due), required = 1; the finding fails when either level paid less than
-- its part, and the note says which and by how much. A beneficiary count,
-- spending or transfer that is negative or not finite is never computed
-- with: the finding is `missing`, naming each such figure.
local facts = require "facts"
local funding = require "funding"
local money = require "money"

-- Half up to the yuan, through the fen first (as the engine rounds), which
-- absorbs binary noise such as 0.7 × 165 = 115.49999999999999 → 115.50.
local function round_yuan(x)
  return (money.to_fen(x) + 50) // 100
end

local function rule(e)
  return {
    id = "finance.cost_sharing." .. e.item,
    title = e.name .. "：省级分担（转移支付）与市县分担（自有支出）按比例足额到位",
    basis = "粤财办〔2019〕1号 二(三)3 共同财政事权按比例分担; 国办发〔2018〕6号; "
      .. "所需资金 = 标准 × 受益人数; 省级分担比例按市县分档（示例）",
    item = e.item,
    kind = "compliance",
    level = "city",
    effective = { from = 2018 },
    evaluate = function(r)
      -- a negative or non-finite count or spending is `missing`, named
      local gaps = facts.gaps()
      local need = funding.required(r, e, nil, gaps)
      if not need then
        return skip("本年度无国家或省级标准")
      end
      if gaps:any() then
        return gaps:missing("数据不可用")
      end
      if need.total <= 0 then
        return skip("无受益对象，无所需资金")
      end
      local share = r:share(e.item)
      local required = round_yuan(need.total)
      local province_due = round_yuan(share * need.total)
      local city_due = required - province_due
      local paid = r:transfer(e.item)
      local spend = funding.spend(r, e, gaps)
      local why = facts.why(paid, "amount")
      if why then
        gaps:add(r, "transfer " .. e.item, why, { transfer = e.item })
      end
      if gaps:any() then
        return gaps:missing("数据不可用")
      end
      local own = spend - paid

      local ratios, short = {}, {}
      if province_due > 0 then
        ratios[#ratios + 1] = paid / province_due
        if paid < province_due then
          short[#short + 1] = string.format("省级少拨 %.2f 元", province_due - paid)
        end
      end
      if city_due > 0 then
        ratios[#ratios + 1] = own / city_due
        if own < city_due then
          short[#short + 1] = string.format("市级少支 %.2f 元", city_due - own)
        end
      end
      if #ratios == 0 then
        return skip("所需资金为0")
      end
      local note = string.format(
        "所需 %s = %.0f 元；省级（第%s档 %g）应担 %.0f 元，已拨 %.2f 元；"
          .. "市级应担 %.0f 元，自有支出 %.2f 元（支出 %.2f − 省级转移 %.2f）",
        funding.describe(need), required, tostring(r.tier), share,
        province_due, paid, city_due, own, spend, paid)
      if #short > 0 then
        note = note .. "；" .. table.concat(short, "，")
      end
      return at_least(math.min(table.unpack(ratios)), 1,
                      { unit = "到位率", note = note })
    end,
  }
end

local rules = {}
for _, e in ipairs(funding.items) do
  rules[#rules + 1] = rule(e)
end
return rules
