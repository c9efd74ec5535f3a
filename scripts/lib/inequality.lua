-- inequality.lua — the equalization index (均等化水平测算, 粤财办〔2019〕1号
-- 三(一)) of a level across the cities of a province, for the rules of
-- rules/finance/equalization.lua and item_equalization.lua:
--
--   local inequality = require "inequality"
--   local u, gap = inequality.cities(r, 2018, function(c, gaps)
--     return gaps:amount(c, "fin.basic_service.spend"),
--            gaps:count(c, "pop.resident")
--   end)
--   if not u then return gap end  -- missing, naming every city lacking data
--   local m = inequality.measures(u)
--   --> m.cv, m.cv_weighted, m.gini, m.theil (stats.theil_groups by zone)
--
-- Every city counts, in any year read: a city whose figures are absent or
-- unusable (facts.lua), or whose zone is not one of 一核一带一区 (core,
-- east, west, north), makes `cities` return nil and the outcome `missing`
-- naming each one, never a measure computed without it. A city whose
-- count and amount are both 0 (nobody served, nothing spent) has no level:
-- it is left out of the values and named in `empty` (its weight would be
-- 0: it changes no measure). The year read may differ from r.year (the
-- base year of a target): `at_year(view, year)` is a view whose facts are
-- those of that year.
-- Pure Lua: reads the region views passed in; uses `facts`, `stats`,
-- `string`, `table` and base functions.

local facts = require "facts"
local stats = require "stats"

local inequality = {}

--- zones: the four zones of 一核一带一区 in their order, with their names:
--- { { code = "core", name = "珠三角核心区" }, ... }.
inequality.zones = {
  { code = "core", name = "珠三角核心区" },
  { code = "east", name = "沿海经济带东翼" },
  { code = "west", name = "沿海经济带西翼" },
  { code = "north", name = "北部生态发展区" },
}
local zone_name = {}
for _, z in ipairs(inequality.zones) do zone_name[z.code] = z.name end

--- zone_name(code): the Chinese name of a zone code, or nil.
function inequality.zone_name(code)
  return zone_name[code]
end

--- at_year(view, year): a view of the same region whose `fact` and `has`
--- read `year` (and whose `year` is it), with code, name, level, zone,
--- parent and tier; `children([level])` gives such views too. A view of
--- r.year itself is returned as it is.
function inequality.at_year(view, year)
  if view.year == year then
    return view
  end
  local v = { code = view.code, name = view.name, level = view.level,
              zone = view.zone, parent = view.parent, tier = view.tier,
              year = year }
  function v.fact(_, metric) return view:fact(metric, year) end
  function v.has(_, metric) return view:has(metric, year) end
  function v.children(_, level)
    local out = {}
    for i, c in ipairs(view:children(level)) do
      out[i] = inequality.at_year(c, year)
    end
    return out
  end
  return v
end

--- cities(r, year, read [, gaps]): the cities under r in `year`, each
--- read with read(c, gaps) → amount, count [, what] (c a view of that
--- year, gaps a facts.gaps() collector the reader records unusable
--- figures in, e.g. gaps:amount(c, metric); nil when one was unusable;
--- `what` the count's metric, or its name when it is a sum of several):
--- { list = { { view, code, name, zone, amount, count, value = amount ÷
--- count }, ... } (code order), empty = { name, ... }, codes = { code,
--- ... } every city's, those in `empty` too (the units measured: an empty
--- city is a unit of weight 0, which changes no weighted measure) }; or,
--- when a city
--- lacks a figure or a zone, nil and missing(...) naming every one. A
--- count of 0 with an amount above 0 is a gap as well, on `what`. Given
--- a collector `gaps`, the gaps go into it and the result is then nil
--- alone (the caller names them with those of another year).
function inequality.cities(r, year, read, given)
  local gaps = given or facts.gaps()
  local before = #gaps.list
  local out = { list = {}, empty = {}, codes = {} }
  for _, city in ipairs(r:children("city")) do
    local c = inequality.at_year(city, year)
    out.codes[#out.codes + 1] = c.code
    if not zone_name[c.zone] then
      gaps:add(c, "分组", c.zone
               and "分区 " .. tostring(c.zone) .. " 不属一核一带一区"
               or "未标明所属分区（zone）", false)
    end
    local a, n, what = read(c, gaps)
    if a and n then
      if n > 0 then
        out.list[#out.list + 1] = { view = c, code = c.code,
                                    name = facts.label(c), zone = c.zone,
                                    amount = a, count = n, value = a / n }
      elseif a == 0 then
        out.empty[#out.empty + 1] = facts.label(c)
      else
        local metric = what and what:match("^[%w_.]+$")
        gaps:add(c, what or "受益对象",
                 string.format("为 0（须大于 0），而支出为 %.15g", a),
                 not metric and false or nil)
      end
    end
  end
  if given then
    if #gaps.list > before then
      return nil
    end
  elseif gaps:any() then
    return nil, gaps:missing()
  end
  return out
end

--- measures(u): the measures of the levels of cities(...)'s list u, each
--- city weighted by its count where so named: { n, mean (Σ amount ÷ Σ
--- count), cv (unweighted), cv_weighted, gini (weighted), theil =
--- stats.theil_groups(levels, counts, zones) }; nil when the list is
--- empty or every level is 0 (no measure of spread exists).
function inequality.measures(u)
  local xs, ws, gs = {}, {}, {}
  local amount, count = 0, 0
  for i, e in ipairs(u.list) do
    xs[i], ws[i], gs[i] = e.value, e.count, e.zone
    amount, count = amount + e.amount, count + e.count
  end
  if #xs == 0 or amount == 0 then
    return nil
  end
  return { n = #xs, mean = amount / count, cv = stats.cv(xs),
           cv_weighted = stats.cv(xs, ws), gini = stats.gini(xs, ws),
           theil = stats.theil_groups(xs, ws, gs) }
end

--- fmt(x): an index as notes show it, rounded (inequality.round): 4
--- decimals ("0.0360"), 6 below 0.01 ("0.001144", so that a small part
--- never reads as its base), "0" for 0.
function inequality.fmt(x)
  x = inequality.round(x)
  if x == 0 then
    return "0"
  end
  if math.abs(x) < 0.01 then
    return string.format("%.6f", x)
  end
  return string.format("%.4f", x)
end

--- share(part, total): part ÷ total as a percentage with one decimal
--- ("65.0%"), or "—" when total is 0.
function inequality.share(part, total)
  if total == 0 then
    return "—"
  end
  return string.format("%.1f%%", 100 * part / total)
end

--- decomposition(t): the Theil index of stats.theil_groups by zone in a
--- sentence: "泰尔指数 0.0123 = 区域间 0.0080（65.0%）+ 区域内 0.0043
--- （35.0%）；区域内：珠三角核心区 0.0050（支出占 60.1%）、…".
function inequality.decomposition(t)
  local parts = {}
  for _, z in ipairs(inequality.zones) do
    local g = t.groups[z.code]
    if g then
      parts[#parts + 1] = string.format("%s %s（%d 个市，支出占 %s）",
                                        z.name, inequality.fmt(g.theil), g.n,
                                        inequality.share(g.share_value, 1))
    end
  end
  local fmt = inequality.fmt
  return string.format("泰尔指数 %s = 区域间 %s（%s）+ 区域内 %s（%s）；"
                         .. "各区内部：%s",
                       fmt(t.total), fmt(t.between),
                       inequality.share(t.between, t.total),
                       fmt(t.within), inequality.share(t.within, t.total),
                       table.concat(parts, "、"))
end

--- FIRST_BASE_YEAR: the earliest base year accepted (2000).
inequality.FIRST_BASE_YEAR = 2000

--- base_year(value, year): value as an integer when it is a whole year
--- from FIRST_BASE_YEAR to `year` (the year evaluated); raises an error
--- naming params.base_year otherwise, at the rule's line: not a number,
--- not whole, before 2000 (0, -1: a typo) or after the year evaluated
--- (2030: a base year not yet reached has no level to compare with; a
--- typo must not read as "not applicable"). Rules call it with r.year
--- from their first effective year on, so a base year after one of the
--- years a run evaluates is an error in that year, never a skip.
function inequality.base_year(value, year)
  assert(math.type(year) == "integer", "base_year: year must be an integer")
  if type(value) == "number" and value == math.floor(value)
      and value >= inequality.FIRST_BASE_YEAR and value <= year then
    return math.tointeger(value)
  end
  local shown = tostring(value)
  if type(value) == "number" and value == math.floor(value)
      and value > year and value < 10000 then
    error(string.format("params.base_year %s is after the year evaluated "
                          .. "(%d): the base year must be from %d to %d",
                        shown, year, inequality.FIRST_BASE_YEAR, year), 2)
  end
  error(string.format("params.base_year %s is not a year from %d to %d "
                        .. "(the year evaluated)", shown,
                      inequality.FIRST_BASE_YEAR, year), 2)
end

--- round(x): x rounded to 14 decimal places. Equal levels give an index
--- of 0 only up to floating-point noise (about 1e-16, of either sign):
--- rounded, an index of equal levels is 0 and compares equal to a base of
--- 0, and a difference that matters (far above 1e-14) is kept.
function inequality.round(x)
  return math.floor(x * 1e14 + 0.5) / 1e14
end

-- missing(...) naming the gaps of a collector by year, the year
-- evaluated first: "缺数据（2019年）：…；缺数据（2018年，基期）：…".
local function missing_by_year(list, year, base)
  local names, years = {}, {}
  for _, g in ipairs(list) do
    if not names[g.year] then
      names[g.year] = {}
      years[#years + 1] = g.year
    end
    local t = names[g.year]
    t[#t + 1] = g.name .. " " .. g.metric .. " " .. g.why
  end
  table.sort(years, function(a, b)
    if (a == year) ~= (b == year) then return a == year end
    return a < b
  end)
  local parts = {}
  for i, y in ipairs(years) do
    parts[i] = string.format("缺数据（%d年%s）：%s", y,
                             (y == base and y ~= year) and "，基期" or "",
                             table.concat(names[y], "、"))
  end
  return missing(table.concat(parts, "；"), facts.entries(list))
end

-- Raises an error when the units of the year and of the base year differ,
-- naming those measured in only one of the two.
local function same_units(units, base_units, year, base)
  assert(type(base_units) == "table",
         "against_base: compute returned no units")
  local seen, only = {}, {}
  for _, u in ipairs(base_units) do seen[u] = true end
  for _, u in ipairs(units) do
    if seen[u] then
      seen[u] = nil
    else
      only[#only + 1] = string.format("%s (%d only)", u, year)
    end
  end
  for _, u in ipairs(base_units) do
    if seen[u] then
      only[#only + 1] = string.format("%s (base year %d only)", u, base)
    end
  end
  if #only > 0 then
    error(string.format("the year %d and the base year %d are measured over "
                          .. "different units, not compared: %s", year, base,
                        table.concat(only, ", ")), 0)
  end
end

--- against_base(r, base, compute, describe, unit): the indicator "the
--- measure does not rise above its base-year level" (2022 goal 更加均衡).
--- compute(year, gaps) → value, detail (any table describe reads), units
--- (the codes of the regions the value is measured over, in order); or
--- nil with the gaps recorded in the facts.gaps() collector `gaps`; or
--- nil and an outcome (skip) returned as it is. describe(value, detail) →
--- the note's text. base is inequality.base_year's (not after r.year).
--- Both years are computed before anything is returned, so that a
--- `missing` names every gap of the year and of the base year at once
--- (and a run's reads, `template` among them, always include the base
--- year). The year and the base year must be measured over the same
--- units: compute must make any difference a gap; one it lets through
--- raises an error naming the units, never a comparison of different
--- sets. In base itself the required value is the measure itself and the
--- note says it is the base (基期); otherwise required = compute(base)'s
--- value; both rounded (inequality.round). unit is the finding's unit.
function inequality.against_base(r, base, compute, describe, unit)
  assert(base <= r.year, "against_base: base year after the year")
  local gaps = facts.gaps()
  local value, detail, units = compute(r.year, gaps)
  local base_value, base_detail, base_units
  if r.year ~= base then
    base_value, base_detail, base_units = compute(base, gaps)
  end
  if gaps:any() then
    return missing_by_year(gaps.list, r.year, base)
  end
  if value == nil then
    return detail
  end
  assert(type(units) == "table", "against_base: compute returned no units")
  value = inequality.round(value)
  local note = describe(value, detail)
  if r.year == base then
    return indicator(value, value, "<=", {
      unit = unit,
      note = note .. string.format("；本年为基期（%d年），此后各年不高于本年水平", base),
    })
  end
  if base_value == nil then
    return base_detail
  end
  same_units(units, base_units, r.year, base)
  base_value = inequality.round(base_value)
  return indicator(value, base_value, "<=", {
    unit = unit,
    note = note .. string.format("；基期（%d年）%s", base,
                                 inequality.fmt(base_value)),
  })
end

return inequality
