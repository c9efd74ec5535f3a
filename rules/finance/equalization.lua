-- 均等化水平测算 (粤财办〔2019〕1号 三(一) 做好行业标准研制和均等化水平测算;
-- 一(三) 到2022年 基本公共服务均等化水平更加均衡): the inequality of basic
-- public service spending per resident (fin.basic_service.spend ÷
-- pop.resident) across the province's cities, each city weighted by its
-- residents:
--
--   cv_weighted         population-weighted coefficient of variation
--   gini                population-weighted Gini coefficient
--   theil               population-weighted Theil T index
--   theil_between_zone  its part between the zones of 一核一带一区
--   theil_within_zone   its part within the zones (between + within = theil)
--   theil_within_city   where counties exist, the part within the cities:
--                       the Theil index over counties and cities (T_fine)
--                       = theil + theil_within_city
--
-- (stats.theil_groups; docs/rules-catalog.md has the formulas and a worked
-- example). The unweighted coefficient of variation is
-- finance.spending_cv. The policy sets no number for "更加均衡": the target
-- is that the measure does not rise above its level in params.base_year
-- (2018): required = the same measure computed on that year's data; in the
-- base year itself the note says so. base_year must be a whole year from
-- 2000 to the year evaluated, else the finding is `error` naming it
-- (inequality.base_year): a base year after the year is a mistake to
-- correct, never a skip.
--
-- Every city counts, in the year and in the base year: a city without its
-- spending or residents (absent, negative, residents 0 or less), or
-- without a zone of 一核一带一区, makes the finding `missing`, naming each
-- (inequality.cities), never an index computed without it. In
-- theil_within_city every city that has counties in the data is split
-- into them, in the year and in the base year alike: a county lacking a
-- figure, or counties not adding up to the city's figures, is a gap
-- (`missing`, naming it), never a city kept whole in one year and split
-- in the other.
local facts = require "facts"
local inequality = require "inequality"
local stats = require "stats"

local fmt = inequality.fmt
local SPEND, POP = "fin.basic_service.spend", "pop.resident"
local BASIS = "粤财办〔2019〕1号 三(一) 均等化水平测算、一(三) 到2022年更加均衡; "
  .. "政策未给出公式: 各市人均基本公共服务支出(支出 ÷ 常住人口)按常住人口加权; "
  .. "目标: 不高于基期(base_year)水平"

local function read(c, gaps)
  return gaps:amount(c, SPEND), gaps:count(c, POP)
end

-- The measures of year y (inequality.measures, with the cities as
-- `units`); or nil, with the cities lacking data recorded in gaps; or nil
-- and skip.
local function measures(r, y, gaps)
  local u = inequality.cities(r, y, read, gaps)
  if not u then
    return nil
  end
  local m = inequality.measures(u)
  if not m then
    return nil, skip(string.format("%d 年无有常住人口且有支出的市，无法测算", y))
  end
  m.units = u
  return m
end

-- Whether two sums agree to rounding (a city's figure and its counties').
local function near(a, b)
  return math.abs(a - b) <= 1e-9 * math.max(math.abs(a), math.abs(b))
end

-- The counties of city c (a view of year y) as units of the index: { {
-- code, value, count }, ... } (code order), or nil when the city has none in
-- the data. Every county must have both figures and together they must
-- add up to the city's own (when the city's are usable: a city lacking
-- one is already a gap of `measures`); else each county lacking a figure
-- and each of the city's figures its counties do not add up to is
-- recorded in gaps (named "广州市荔湾区", under its own code; a sum that
-- does not add up under the city's code and metric), and nil, true is
-- returned. A city is thus split in every year or in none: the year and
-- the base year are measured over the same units.
local function counties_of(c, gaps)
  local counties = c:children("county")
  if #counties == 0 then
    return nil
  end
  local before = #gaps.list
  local rows, amount, count = {}, 0, 0
  for _, k in ipairs(counties) do
    local a, n = gaps:amount(k, SPEND), gaps:count(k, POP)
    if a and n then
      rows[#rows + 1] = { code = k.code, value = a / n, count = n }
      amount, count = amount + a, count + n
    end
  end
  local city = facts.label(c)
  for i = before + 1, #gaps.list do
    gaps.list[i].name = city .. gaps.list[i].name
  end
  if #gaps.list > before then
    return nil, true
  end
  for _, f in ipairs({ { SPEND, amount, "amount" }, { POP, count, "count" } }) do
    local own = facts.read(c, f[1], f[3])
    if own and not near(own, f[2]) then
      gaps:add(c, f[1], string.format(
        "与所辖 %d 个县（区）合计不符（全市 %.15g，各县区合计 %.15g）",
        #counties, own, f[2]))
    end
  end
  if #gaps.list > before then
    return nil, true
  end
  return rows
end

-- The part of the Theil index within the cities in year y: the index over
-- the units (the counties of each city that has counties in the data,
-- every other city whole), grouped by city; with the cities split. A
-- county lacking a figure, or counties not adding up to their city, is a
-- gap (counties_of), never a city kept whole in one year and split in
-- another.
local function within_city(r, y, gaps)
  local m, gap = measures(r, y, gaps)
  -- every city's counties are read, also when a city lacks a figure: what
  -- the rule reads (`template` lists it) does not depend on the gaps
  local counties, lacking = {}, false
  for _, city in ipairs(r:children("city")) do
    local rows, bad = counties_of(inequality.at_year(city, y), gaps)
    counties[city.code] = rows
    lacking = lacking or bad
  end
  if not m or lacking then
    return nil, gap
  end
  local xs, ws, gs, units = {}, {}, {}, {}
  local split = {}
  for _, e in ipairs(m.units.list) do
    local rows = counties[e.code]
    if rows then
      for _, row in ipairs(rows) do
        xs[#xs + 1], ws[#ws + 1], gs[#gs + 1] = row.value, row.count, e.code
        units[#units + 1] = row.code
      end
      split[#split + 1] = string.format("%s（%d 个县区）", e.name, #rows)
    else
      xs[#xs + 1], ws[#ws + 1], gs[#gs + 1] = e.value, e.count, e.code
      units[#units + 1] = e.code
    end
  end
  local t = stats.theil_groups(xs, ws, gs)
  return t.within, { fine = t, cities = m.theil.total, split = split }, units
end

-- The report's index section (and, for the Theil index, the goal of 2022)
-- reads each rule's hint.
local GOALS = { theil = 2022 }

local function rule(name, title, unit, compute, describe)
  return {
    id = "finance.equalization." .. name,
    title = title,
    basis = BASIS,
    kind = "indicator",
    level = "province",
    effective = { from = 2018 },
    params = { base_year = 2018 },
    report = { index = name, goal = GOALS[name] },
    evaluate = function(r)
      local base = inequality.base_year(params.base_year, r.year)
      return inequality.against_base(r, base, function(y, gaps)
        return compute(r, y, gaps)
      end, describe, unit)
    end,
  }
end

-- A rule whose value is one of the measures of the year.
local function measure_rule(name, title, unit, pick, describe)
  return rule(name, title, unit, function(r, y, gaps)
    local m, gap = measures(r, y, gaps)
    if not m then
      return nil, gap
    end
    return pick(m), m, m.units.codes
  end, describe)
end

-- (every city has residents here: a city without is a gap, never empty)
local function cities_note(m)
  return string.format("%d 个市，人均支出（常住人口加权）%.2f 元", m.n, m.mean)
end

return {
  measure_rule("cv_weighted",
    "各市人均基本公共服务支出变异系数（常住人口加权）不高于基期水平",
    "变异系数", function(m) return m.cv_weighted end,
    function(v, m)
      return string.format("人口加权变异系数 %s（不加权 %s）；基尼系数 %s；%s",
                           fmt(v), fmt(m.cv), fmt(m.gini), cities_note(m))
    end),
  measure_rule("gini",
    "各市人均基本公共服务支出基尼系数（常住人口加权）不高于基期水平",
    "基尼系数", function(m) return m.gini end,
    function(v, m)
      return string.format("基尼系数 %s；人口加权变异系数 %s；%s",
                           fmt(v), fmt(m.cv_weighted), cities_note(m))
    end),
  measure_rule("theil",
    "各市人均基本公共服务支出泰尔指数（常住人口加权）不高于基期水平",
    "泰尔指数", function(m) return m.theil.total end,
    function(_, m)
      return inequality.decomposition(m.theil) .. "；" .. cities_note(m)
    end),
  measure_rule("theil_between_zone",
    "泰尔指数中一核一带一区区域间部分不高于基期水平",
    "泰尔指数", function(m) return m.theil.between end,
    function(v, m)
      local t = m.theil
      local means = {}
      for _, z in ipairs(inequality.zones) do
        local g = t.groups[z.code]
        if g then
          means[#means + 1] = string.format("%s %.2f 元（人口占 %s）", z.name,
                                            g.mean,
                                            inequality.share(g.share_pop, 1))
        end
      end
      return string.format("区域间 %s，占泰尔指数 %s 的 %s；各区人均：%s",
                           fmt(v), fmt(t.total), inequality.share(v, t.total),
                           table.concat(means, "、"))
    end),
  measure_rule("theil_within_zone",
    "泰尔指数中一核一带一区区域内部分不高于基期水平",
    "泰尔指数", function(m) return m.theil.within end,
    function(v, m)
      local t = m.theil
      return string.format("区域内 %s，占泰尔指数 %s 的 %s；", fmt(v),
                           fmt(t.total),
                           inequality.share(v, t.total))
        .. inequality.decomposition(t)
    end),
  rule("theil_within_city",
    "泰尔指数（县级）中市内部分不高于基期水平",
    "泰尔指数", within_city,
    function(v, d)
      local note = string.format(
        "县级泰尔指数 %s = 市间 %s + 市内 %s（%s）；分解的市：%s",
        fmt(d.fine.total), fmt(d.fine.between), fmt(v), inequality.share(v, d.fine.total),
        #d.split > 0 and table.concat(d.split, "、") or "无（数据中无县区）")
      return note
    end),
}
