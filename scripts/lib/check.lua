-- check.lua — the shapes that rules share: a per-unit level against a
-- minimum (标准化, 二(一)) and the spread of the cities' levels (一(三)), so
-- that a rule file reads like the policy sentence it encodes.
--
--   local check = require "check"
--   evaluate = function(r)
--     -- 基本公共卫生服务经费 ÷ 常住人口 ≥ 标准
--     return check.per_unit(r, {
--       amount = "health.public_health.spend", per = "pop.resident",
--       standard = "health.public_health", unit = "元/人",
--       note = "经费 %.0f 元 ÷ 常住人口 %.0f 人",
--       no_standard = "本年度无国家或省级人均经费标准",
--       no_units = "常住人口为0，无法计算人均经费",
--     })
--   end
--
-- Three compliance shapes, each an amount per unit (amount ÷ count) held
-- against a minimum with at_least:
--
--   per_unit    the minimum is the standard in force (r:standard(key), the
--               binding one); no standard → skip(no_standard)
--   coverage    the minimum is a target share (params.min_coverage, passed
--               in); unit "比例"
--   peer_ratio  the minimum is `ratio` × the mean level of the parent's
--               cities (peers.mean_level: their total amount ÷ their total
--               count; a city lacking a usable figure makes the finding
--               `missing`, naming every such city)
--
-- and one indicator shape:
--
--   spread      a measure of spread (stats.cv, stats.max_gap) of the levels
--               of the cities under r (peers.levels) at most a target
--
-- In the compliance shapes the amount is read before the count, both with
-- r:fact (a missing one stops the evaluation with outcome `missing`, as in
-- a rule); an unusable figure (non-finite, a negative amount, a negative
-- count: facts.lua) gives `missing` naming it, and a count of 0 gives
-- skip(no_units) before anything is divided. The group shapes never
-- leave a city out (peers.lua): one lacking a figure, or with a count of
-- 0, makes the finding `missing`, naming every such city.
-- `note` is a string.format pattern given the amount and the count (for
-- peer_ratio the average follows it). Messages and units are the caller's,
-- so findings read as they did when each rule wrote the shape out.
-- Pure Lua: reads the region view passed in, nothing else; uses `facts`,
-- `peers`, `stats`, the outcome constructors and base functions.

local facts = require "facts"
local peers = require "peers"
local stats = require "stats"

local check = {}

-- r's level: { value = amount ÷ count (÷ periods), amount, count }; nil
-- when the count is 0; or nil and missing(...) when a figure is unusable
-- (non-finite, negative, a count below 0: facts.lua). Reads the amount,
-- then the count, with r:fact (an absent one stops the evaluation with
-- outcome `missing`).
local function level(r, spec)
  local amount = r:fact(spec.amount)
  local count = r:fact(spec.per)
  local gaps = facts.gaps()
  local why = facts.why(amount, "amount")
  if why then
    gaps:add(r, spec.amount, why)
  end
  why = count ~= 0 and facts.why(count, "count")
  if why then
    gaps:add(r, spec.per, why)
  end
  if gaps:any() then
    return nil, gaps:missing("数据不可用")
  end
  if count == 0 then
    return nil
  end
  local value = amount / count
  if spec.periods then
    value = value / spec.periods
  end
  return { value = value, amount = amount, count = count }
end

-- at_least(r's level, minimum), or skip(no_units) when r has none.
local function level_at_least(r, spec, minimum, unit)
  local l, gap = level(r, spec)
  if gap then
    return gap
  end
  if not l then
    return skip(spec.no_units)
  end
  return at_least(l.value, minimum, {
    unit = unit,
    note = string.format(spec.note, l.amount, l.count),
  })
end

--- per_unit(r, spec): amount ÷ count (÷ periods) at least the standard in
--- force. spec = { standard = key, amount = metric, per = metric,
--- periods = n? (12: a yearly amount against a monthly standard),
--- unit = "元/人", note = pattern(amount, count), no_standard = skip note,
--- no_units = skip note }. The standard is looked up first: with none in
--- force the rule is skipped without reading a fact.
function check.per_unit(r, spec)
  local standard = r:standard(spec.standard)
  if not standard then
    return skip(spec.no_standard)
  end
  return level_at_least(r, spec, standard, spec.unit)
end

--- ratio(name, value [, level]): value when it is a share, a finite number
--- in 0..1; raises an error otherwise, naming the param and its value
--- ("params.max_gap 30 is not a ratio in 0..1: write 0.30 for 30%"), at
--- the caller of the function `level` calls up (default 1: the rule that
--- called check.ratio; the message then has its file:line). A percent typed
--- as a number (30 for 30%) would otherwise pass or fail every region
--- silently. Rules call it first in evaluate on each param that is a
--- share (max_gap, min_resident, min_coverage).
function check.ratio(name, value, level)
  if type(value) == "number" and value >= 0 and value <= 1 then
    return value
  end
  local hint = ""
  if type(value) == "number" and value > 1 and value <= 100 then
    local share = string.format("%.4f", value / 100):gsub("0+$", "")
    if #share:match("%.(.*)$") < 2 then
      share = share .. string.rep("0", 2 - #share:match("%.(.*)$"))
    end
    hint = string.format(": write %s for %s%%", share,
                         string.format("%.4f", value):gsub("%.?0+$", ""))
  end
  error(string.format("params.%s %s is not a ratio in 0..1%s", name,
                      tostring(value), hint), (level or 1) + 1)
end

--- coverage(r, spec): covered ÷ eligible at least a target share.
--- spec = { amount = metric (those covered), per = metric (those
--- eligible), target = share (params.min_coverage), param = its name
--- (default "min_coverage"; a target outside 0..1 raises, check.ratio),
--- note = pattern(covered, eligible), no_units = skip note }. Unit "比例".
function check.coverage(r, spec)
  check.ratio(spec.param or "min_coverage", spec.target, 2)
  return level_at_least(r, spec, spec.target, "比例")
end

-- The region whose cities' mean a peer ratio compares with: a city's
-- parent; for a county, its nearest ancestor of level province (the
-- province's average, as for its city). nil when there is none.
local function peer_base(r)
  if r.level ~= "county" then
    return r.parent and r:region(r.parent)
  end
  local up = r.parent and r:region(r.parent)
  while up and up.level ~= "province" do
    up = up.parent and r:region(up.parent)
  end
  return up
end

--- peer_ratio(r, spec): amount ÷ count at least `ratio` × the mean level
--- of the cities under r's parent (peers.mean_level); for a county, of the
--- cities under its province (the same average as its city's). spec = {
--- amount = metric, per = metric, ratio = number (params.ratio), unit =
--- "元/人", note = pattern(amount, count), no_units = skip note }. A
--- region with no parent (a county with no province above it) is
--- skipped. The note goes on with the average: "；全省平均 816.48
--- 元/人（3 个市）× 0.6". When a city under the parent lacks a usable
--- figure the average cannot be made: the finding is the `missing`
--- peers.mean_level returns, naming every such city.
function check.peer_ratio(r, spec)
  local l, gap = level(r, spec)
  if gap then
    return gap
  end
  if not l then
    return skip(spec.no_units)
  end
  local base = peer_base(r)
  if not base then
    return skip("无上级地区，无法计算全省平均")
  end
  local avg
  avg, gap = peers.mean_level(base, spec.amount, spec.per)
  if not avg then
    return gap
  end
  local note = string.format(spec.note, l.amount, l.count)
    .. string.format("；全省平均 %.2f %s（%d 个市）× %g",
                     avg.mean, spec.unit, avg.cities, spec.ratio)
  if #avg.empty > 0 then
    note = note .. "；计入平均、数量与金额均为 0 的：" .. table.concat(avg.empty, "、")
  end
  return at_least(l.value, spec.ratio * avg.mean,
                  { unit = spec.unit, note = note })
end

--- spread(r, spec): a measure of the spread of the cities' levels at most
--- a target: indicator(measure(values), target, "<="). The levels are
--- amount ÷ count of each city under r (peers.levels: a city lacking a
--- usable figure, or with a count of 0, makes the finding `missing`,
--- naming every such city). spec = {
--- amount = metric, per = metric, measure = function(values) (stats.cv,
--- stats.max_gap), target = number (a param), unit = text, note =
--- function(s) → text, given s = { values, mean, lowest, highest },
--- too_few = skip note (fewer than 2 cities), none = skip note (a mean of 0
--- or less) }.
function check.spread(r, spec)
  local s, gap = peers.levels(r, spec.amount, spec.per)
  if not s then
    return gap
  end
  if #s.values < 2 then
    return skip(spec.too_few)
  end
  s.mean = stats.mean(s.values)
  if s.mean <= 0 then
    return skip(spec.none)
  end
  return indicator(spec.measure(s.values), spec.target, "<=",
                   { unit = spec.unit, note = spec.note(s) })
end

return check
