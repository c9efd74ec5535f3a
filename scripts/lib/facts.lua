-- facts.lua — reading the figures of several regions (or several figures of
-- one region) without stopping at the first that is absent or unusable,
-- so that a finding can name every gap at once:
--
--   local facts = require "facts"
--   local gaps = facts.gaps()
--   for _, c in ipairs(r:children("city")) do
--     local spend = gaps:amount(c, "fin.basic_service.spend")
--     local residents = gaps:count(c, "pop.resident")
--     ...
--   end
--   if gaps:any() then
--     return gaps:missing()
--     --> missing("缺数据（2019年）：云浮市 pop.resident 为 0（须大于 0）、
--     --           潮州市 fin.basic_service.spend 无 2019 年数值")
--   end
--
-- A figure is usable when it is present, finite and in its kind's range:
--
--   amount  a sum of money or of anything else (spending, revenue, people
--           served): not negative
--   count   a count something is divided by (residents, beneficiaries):
--           greater than 0
--
-- A figure that is not usable is recorded (region, metric, why) and read
-- as nil; nothing raises. `gaps:missing()` is the outcome `missing` (the
-- rule environment's missing(note, gaps)) naming every recorded gap in the
-- order recorded, so that the note is the same on every run, and passing
-- each as a structured gap ({ region = code, metric = key, year = y }), so
-- that the run's data-gap summary counts it under its metric and region.
-- Pure Lua: reads the region views passed in; uses the `missing`
-- constructor, `string`, `table` and base functions.

local facts = {}

local function finite(x)
  return x == x and x ~= math.huge and x ~= -math.huge
end

-- A value as a note shows it: whole numbers without exponent or decimals.
local function show(x)
  if not finite(x) then
    return tostring(x)
  end
  return string.format("%.15g", x)
end

--- label(region): the region's name, or its code when it has none.
function facts.label(region)
  return region.name or region.code
end

--- why(x, kind): nil when the value x is usable for kind ("amount":
--- finite and not negative; "count": finite and greater than 0), else why
--- not, for a note ("为 0（须大于 0）", "为负数 -5", "不是有限数（inf）").
function facts.why(x, kind)
  if not finite(x) then
    return "不是有限数（" .. show(x) .. "）"
  end
  if kind == "count" then
    if x <= 0 then
      return "为 " .. show(x) .. "（须大于 0）"
    end
  elseif x < 0 then
    return "为负数 " .. show(x)
  end
  return nil
end

--- read(region, metric, kind): the value of metric for the region in its
--- year when present and usable for kind (facts.why); else nil and why
--- ("无 2019 年数值", or what facts.why says). Never raises for an absent
--- value.
function facts.read(region, metric, kind)
  if not region:has(metric) then
    return nil, string.format("无 %d 年数值", region.year)
  end
  local x = region:fact(metric)
  local why = facts.why(x, kind)
  if why then
    return nil, why
  end
  return x
end

local Gaps = {}
Gaps.__index = Gaps

--- gaps(): an empty collector of gaps: gaps:amount(region, metric),
--- gaps:count(region, metric), gaps:add(region, what, why [, gap]),
--- gaps:any(), gaps:note(), gaps:entries(), gaps:missing([lead]);
--- gaps.list holds the recorded gaps as { region = code, name, metric =
--- what, why, year, gap }.
function facts.gaps()
  return setmetatable({ list = {} }, Gaps)
end

--- gaps:add(region, what, why [, gap]): records that the region lacks
--- `what` for the reason `why`. `what` is a metric key unless `gap` says
--- otherwise: a table naming what it is, for missing(note, gaps) ({ item =
--- key }, { transfer = item }, { standard = key }), or false when it is
--- not data the run can count (a region's classification): named in the
--- note only.
function Gaps:add(region, what, why, gap)
  self.year = self.year or region.year
  if gap == nil then
    gap = { metric = what }
  end
  self.list[#self.list + 1] = { region = region.code,
                                name = facts.label(region),
                                metric = what, why = why,
                                year = region.year, gap = gap }
end

--- gaps:entries(): the recorded gaps as missing(note, gaps) takes them
--- ({ region = code, metric = key, year = y }, or item, transfer,
--- standard instead of metric), in the order recorded.
function Gaps:entries()
  return facts.entries(self.list)
end

--- entries(list): the gaps of a collector's list (gaps.list, or the list
--- peers.totals returns) as missing(note, gaps) takes them.
function facts.entries(list)
  local out = {}
  for _, g in ipairs(list) do
    if g.gap then
      local e = { region = g.region, year = g.year }
      for k, v in pairs(g.gap) do
        e[k] = v
      end
      out[#out + 1] = e
    end
  end
  return out
end

--- gaps:amount(region, metric): the value when usable as an amount (not
--- negative), else nil with the gap recorded.
function Gaps:amount(region, metric)
  local x, why = facts.read(region, metric, "amount")
  if x == nil then
    self:add(region, metric, why)
  end
  return x
end

--- gaps:count(region, metric): the value when usable as a count to divide
--- by (greater than 0), else nil with the gap recorded.
function Gaps:count(region, metric)
  local x, why = facts.read(region, metric, "count")
  if x == nil then
    self:add(region, metric, why)
  end
  return x
end

--- gaps:any(): whether a gap was recorded.
function Gaps:any()
  return #self.list > 0
end

--- gaps:note([lead]): "缺数据（2019年）：云浮市 pop.resident 为 0（须大于
--- 0）、潮州市 …", every recorded gap in order; lead replaces "缺数据".
function Gaps:note(lead)
  local parts = {}
  for i, g in ipairs(self.list) do
    parts[i] = g.name .. " " .. g.metric .. " " .. g.why
  end
  local year = self.year and string.format("（%d年）", self.year) or ""
  return (lead or "缺数据") .. year .. "：" .. table.concat(parts, "、")
end

--- gaps:missing([lead]): missing(gaps:note(lead), gaps:entries()), the
--- outcome to return.
function Gaps:missing(lead)
  return missing(self:note(lead), self:entries())
end

return facts
