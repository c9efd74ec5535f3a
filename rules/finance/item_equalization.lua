-- 均等化水平测算 per item (粤财办〔2019〕1号 三(一)): for each item with a
-- unified funding standard (scripts/lib/funding.lua's funding.items), the
-- inequality across the province's cities of the funding per beneficiary,
--
--   level of a city = Σ spending ÷ Σ beneficiaries over the item's parts
--
-- (yuan per beneficiary and year; funding.lua's spending and beneficiary
-- metrics), measured by the Theil T index weighted by beneficiaries
-- (stats.theil_groups), one rule per item: finance.item_equalization.<item
-- code>. The note gives the decomposition between and within the zones of
-- 一核一带一区, the coefficient of variation (unweighted and weighted) and
-- the weighted Gini coefficient. Target as finance.equalization: not
-- above the level of params.base_year (2018), computed the same way on
-- that year's data; in the base year the note says so; a base_year
-- before 2000 or after the year evaluated is an error naming it.
--
-- Every city counts: a city lacking a spending or beneficiary figure
-- (absent, negative, not finite), or a zone, makes the finding `missing`,
-- naming each one; a city with beneficiaries 0 and spending 0 (the item
-- does not reach it, e.g. 营养膳食补助 outside the poor areas) has no level
-- and weighs nothing: it is named in the note, not a gap; beneficiaries 0
-- with spending is a gap. When no city has beneficiaries the rule skips.
local funding = require "funding"
local inequality = require "inequality"

local fmt = inequality.fmt

-- A reader of the item's figures for inequality.cities.
local function reader(entry)
  local what = {}
  for i, p in ipairs(entry.parts) do what[i] = p.beneficiaries end
  what = table.concat(what, " + ")
  return function(c, gaps)
    local a, n, ok = 0, 0, true
    for _, p in ipairs(entry.parts) do
      local s = gaps:amount(c, p.spend)
      local b = gaps:amount(c, p.beneficiaries)
      if s and b then
        a, n = a + s, n + b
      else
        ok = false
      end
    end
    if not ok then
      return nil
    end
    return a, n, what
  end
end

local function rule(entry)
  local read = reader(entry)
  return {
    id = "finance.item_equalization." .. entry.item,
    title = entry.name .. "：各市每受益对象经费泰尔指数（受益对象加权）不高于基期水平",
    basis = "粤财办〔2019〕1号 三(一) 均等化水平测算、一(三) 到2022年更加均衡; "
      .. "政策未给出公式: 各市每受益对象经费(项目支出 ÷ 受益对象)的泰尔指数, "
      .. "按受益对象加权; 目标: 不高于基期(base_year)水平",
    item = entry.item,
    kind = "indicator",
    level = "province",
    effective = { from = 2018 },
    params = { base_year = 2018 },
    report = { index = "theil" },
    evaluate = function(r)
      local base = inequality.base_year(params.base_year, r.year)
      return inequality.against_base(r, base, function(y, gaps)
        local u = inequality.cities(r, y, read, gaps)
        if not u then
          return nil
        end
        local m = inequality.measures(u)
        if not m then
          return nil, skip(string.format(
            "%d 年各市均无%s受益对象或支出均为 0，无法测算", y, entry.name))
        end
        m.empty = u.empty
        return m.theil.total, m, u.codes
      end, function(_, m)
        local note = string.format(
          "%s；变异系数 %s（受益对象加权 %s）；基尼系数 %s；"
            .. "%d 个市，每受益对象经费（加权）%.2f 元",
          inequality.decomposition(m.theil), fmt(m.cv), fmt(m.cv_weighted),
          fmt(m.gini), m.n, m.mean)
        if #m.empty > 0 then
          note = note .. "；无受益对象、无支出的市（不计）："
            .. table.concat(m.empty, "、")
        end
        return note
      end, "泰尔指数")
    end,
  }
end

local rules = {}
for i, entry in ipairs(funding.items) do
  rules[i] = rule(entry)
end
return rules
