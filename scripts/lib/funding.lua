-- funding.lua — how much funding an item with a unified standard requires.
--
--   local funding = require "funding"
--   local need = funding.required(r, funding.item("health.public_health"))
--   --> { total = 69 * residents, parts = { { standard = 69, ... } } }
--
-- For the items of 国办发〔2018〕6号 that have a national or provincial
-- funding standard, the funding a region requires is
--
--   required = Σ over the item's parts  standard × beneficiaries × periods
--
-- where a part is one standard key with its beneficiary count (compulsory
-- education has a primary and a junior part), and periods is 12 for a
-- monthly standard (元/人·月), 1 for a yearly one. `funding.items` lists the
-- items in catalog order with their parts and the metrics of the spending
-- on each part; `funding.reference` the same sum at the national average
-- (the short board's yardstick). The same table is in data/sample/make_sample.py (FUNDING).
-- Pure Lua: reads the region view passed in, nothing else; uses `facts`
-- and `money`.
-- A missing fact stops the evaluation with outcome `missing`, as r:fact
-- does; a figure that is negative or not finite is never used as it is:
-- it goes into the caller's gaps collector (facts.gaps) or raises.

local facts = require "facts"
local money = require "money"

local funding = {}

local function part(standard, beneficiaries, spend, periods)
  return { standard = standard, beneficiaries = beneficiaries,
           spend = spend, periods = periods or 1 }
end

--- items: { { item = code, name = 名称, parts = { part, ... } }, ... } in catalog
--- order. part = { standard = key, beneficiaries = metric, spend = metric,
--- periods = n }.
funding.items = {
  { item = "edu.public_funds", name = "义务教育公用经费保障", parts = {
      part("edu.public_funds.primary", "edu.pupils.primary",
           "edu.public_funds.spend.primary"),
      part("edu.public_funds.junior", "edu.pupils.junior",
           "edu.public_funds.spend.junior") } },
  { item = "edu.living_allowance", name = "家庭经济困难学生生活补助",
    parts = {
      part("edu.living_allowance.primary",
           "edu.living_allowance.beneficiaries.primary",
           "edu.living_allowance.spend.primary"),
      part("edu.living_allowance.junior",
           "edu.living_allowance.beneficiaries.junior",
           "edu.living_allowance.spend.junior") } },
  { item = "edu.nutrition", name = "贫困地区学生营养膳食补助", parts = {
      part("edu.nutrition", "edu.nutrition.beneficiaries",
           "edu.nutrition.spend") } },
  { item = "aid.vocational_grant", name = "中职国家助学金", parts = {
      part("aid.vocational_grant", "aid.vocational_grant.recipients",
           "aid.vocational_grant.spend") } },
  { item = "aid.vocational_tuition", name = "中职免学费补助", parts = {
      part("aid.vocational_tuition", "aid.vocational_tuition.recipients",
           "aid.vocational_tuition.spend") } },
  { item = "aid.highschool_grant", name = "普高国家助学金", parts = {
      part("aid.highschool_grant", "aid.highschool_grant.recipients",
           "aid.highschool_grant.spend") } },
  { item = "pension.resident_basic", name = "城乡居民基本养老保险补助",
    parts = {
      part("pension.resident_basic", "pension.resident_basic.beneficiaries",
           "pension.resident_basic.spend", 12) } },
  { item = "medical.resident_insurance", name = "城乡居民基本医疗保险补助",
    parts = {
      part("medical.resident_insurance", "medical.resident_insurance.insured",
           "medical.resident_insurance.subsidy") } },
  { item = "health.public_health", name = "基本公共卫生服务", parts = {
      part("health.public_health", "pop.resident",
           "health.public_health.spend") } },
  { item = "health.family_planning", name = "计划生育扶助保障", parts = {
      part("health.family_planning", "health.family_planning.beneficiaries",
           "health.family_planning.spend", 12) } },
}

local by_code = {}
for _, e in ipairs(funding.items) do by_code[e.item] = e end

--- item(code): the entry of funding.items for an item code, or nil.
function funding.item(code)
  return by_code[code]
end

-- The value of metric for r, read with r:fact (an absent one stops the
-- evaluation with outcome `missing`). A value that is not a finite number
-- of 0 or more is recorded in `gaps` (a facts.gaps() collector) and read
-- as 0 when gaps is given, and raises an error naming it otherwise.
local function read(r, metric, gaps)
  local x = r:fact(metric)
  local why = facts.why(x, "amount")
  if why then
    if not gaps then
      error(string.format("funding: %s %s %s", facts.label(r), metric, why),
            3)
    end
    gaps:add(r, metric, why)
    return 0
  end
  return x
end

--- required(r, entry [, scope [, gaps]]): the funding the region r
--- requires for the item in r.year: { total, beneficiaries, parts = { {
--- key, standard, beneficiaries, periods, amount } } }, with the binding
--- standard (the larger of national and provincial) or, given scope, that
--- scope's. Parts with no standard in force are left out and their
--- standard keys listed in `lacking` (in the parts' order; empty when every
--- part has one): a caller that compares the requirement with spending
--- must not compare the kept parts' requirement with every part's spending
--- (funding.spend), see finance.cost_sharing; nil when no part has one.
--- beneficiaries sums the parts' counts (people, not person-months). A count that is negative or not finite is recorded in
--- gaps (facts.gaps(), the caller then returns gaps:missing()) or, with
--- no gaps, raises an error.
function funding.required(r, entry, scope, gaps)
  local out = { total = 0, beneficiaries = 0, parts = {}, lacking = {} }
  for _, p in ipairs(entry.parts) do
    local std
    if scope then std = r:standard(p.standard, scope)
    else std = r:standard(p.standard) end
    if not std then
      out.lacking[#out.lacking + 1] = p.standard
    else
      local n = read(r, p.beneficiaries, gaps)
      local amount = std * n * p.periods
      out.parts[#out.parts + 1] = { key = p.standard, standard = std,
                                    beneficiaries = n, periods = p.periods,
                                    amount = amount }
      out.total = out.total + amount
      out.beneficiaries = out.beneficiaries + n
    end
  end
  if #out.parts == 0 then return nil end
  return out
end

--- reference(r, entry [, gaps]): the funding the item would take in r at
--- the national average level (全国平均水平, r:national_average), part by
--- part, in r.year: { total, spend, parts = { { key, value, basis,
--- beneficiaries, periods, amount, spend } } }, where a part without a
--- national average falls back to its national standard (basis
--- "national" instead of "average") and a part with neither is left out
--- (its standard key listed in `left_out`, in the parts' order: the caller
--- names it, a run says what it did not check); spend sums the spending of
--- the parts kept only; nil when no part is kept.
--- Counts and spending that are negative or not finite go into gaps, or
--- raise, as in required.
function funding.reference(r, entry, gaps)
  local out = { total = 0, spend = 0, parts = {}, left_out = {} }
  for _, p in ipairs(entry.parts) do
    local value, basis = r:national_average(p.standard), "average"
    if value == nil then
      value, basis = r:standard(p.standard, "national"), "national"
    end
    if not value then
      out.left_out[#out.left_out + 1] = p.standard
    else
      local n = read(r, p.beneficiaries, gaps)
      local spend = read(r, p.spend, gaps)
      local amount = value * n * p.periods
      out.parts[#out.parts + 1] = { key = p.standard, value = value,
                                    basis = basis, beneficiaries = n,
                                    periods = p.periods, amount = amount,
                                    spend = spend }
      out.total = out.total + amount
      out.spend = out.spend + spend
    end
  end
  if #out.parts == 0 then return nil end
  return out
end

--- spend(r, entry [, gaps]): the region's spending on the item in r.year,
--- the sum of its parts' spending metrics. A spending figure that is
--- negative or not finite is recorded in gaps or raises, as in required.
function funding.spend(r, entry, gaps)
  local s = 0
  for _, p in ipairs(entry.parts) do s = s + read(r, p.spend, gaps) end
  return s
end

--- raised(r, entry): the parts of the item on which r's own (local)
--- standard is above the binding one (the larger of national and
--- provincial): { { part = part, own = local, binding = binding }, ... },
--- empty when none. Then: whether r has a local standard for any part,
--- whether one has no binding standard to compare with, and the notes of
--- the local standards not above the binding one ("名称 本地 80 不高于标准
--- 88"), in the parts' order.
function funding.raised(r, entry)
  local parts, any_local, unbound, equal = {}, false, false, {}
  for _, p in ipairs(entry.parts) do
    local own = r:standard(p.standard, "local")
    if own then
      any_local = true
      local binding = r:standard(p.standard)
      if not binding then
        unbound = true
      elseif own > binding then
        parts[#parts + 1] = { part = p, own = own, binding = binding }
      else
        equal[#equal + 1] = string.format("%s 本地 %g 不高于标准 %g",
                                          entry.name, own, binding)
      end
    end
  end
  return parts, any_local, unbound, equal
end

--- increment_cut(r, parts, share, paid, gaps): what the province takes
--- back of the transfer `paid` for the raised parts (funding.raised): the
--- subsidy it paid on the increment above the binding standard,
---   due = share × Σ (own − binding) × beneficiaries × periods,
--- never more than paid, in whole fen (money.cap_fen: due rounded half
--- away from zero, paid rounded down). Returns { fen, due, terms } (terms:
--- the text of each part, "(本地 300 − 标准 170) × 20500 × 12"), or nil
--- when a beneficiary count is not a usable amount (recorded in gaps).
--- finance.subsidy_cut cuts it; finance.cost_sharing nets it out.
function funding.increment_cut(r, parts, share, paid, gaps)
  local increment, terms = 0, {}
  for _, q in ipairs(parts) do
    local n = r:fact(q.part.beneficiaries)
    local why = facts.why(n, "amount")
    if why then
      gaps:add(r, q.part.beneficiaries, why)
      return nil
    end
    increment = increment + (q.own - q.binding) * n * q.part.periods
    terms[#terms + 1] = string.format("(本地 %g − 标准 %g) × %.0f%s",
      q.own, q.binding, n,
      q.part.periods ~= 1 and string.format(" × %d", q.part.periods) or "")
  end
  local due = share * increment
  return { fen = money.cap_fen(due, paid), due = due, terms = terms }
end

--- describe(need): the arithmetic of a required(...) result as text,
--- "650 × 1454060 + 850 × 612236" (with "× 12" for a monthly part).
function funding.describe(need)
  local t = {}
  for _, p in ipairs(need.parts) do
    t[#t + 1] = string.format("%g × %.0f%s", p.standard, p.beneficiaries,
                              p.periods ~= 1
                                and string.format(" × %d", p.periods) or "")
  end
  return table.concat(t, " + ")
end

return funding
