-- peers.lua — a per-unit level (an amount ÷ a count, e.g. spending ÷
-- residents) summed or compared across a group of regions (by default the
-- cities of a region), for aggregates and for items judged against the
-- cities themselves.
--
--   local peers = require "peers"
--   local t, gap = peers.totals(r:region(r.parent), "fin.revenue",
--                               "pop.resident")
--   if not t then return gap end  -- missing, naming every city lacking data
--   --> t = { amount = Σ revenue, count = Σ residents, level = ÷, regions }
--
-- The guarantee: an aggregate never leaves a region out. Every region of
-- the group must have both figures, usable (facts.lua: the amount present,
-- finite and not negative; the count present, finite and greater than 0,
-- or 0 together with an amount of 0 where only sums are taken: such a
-- region adds nothing, exactly, and is named in `empty`);
-- when one or more do not, the functions return nil and the outcome
-- `missing` naming every such region with its metric and why ("缺数据
-- （2019年）：云浮市 pop.resident 为 0（须大于 0）、潮州市
-- fin.basic_service.spend 无 2019 年数值"), so that the rule returns it.
-- Forgetting that check is loud too: indexing the nil result raises, and
-- the finding is `error`, never an aggregate that quietly lacks a region.
--
-- A group is a region view (its cities: region:children("city")) or a list
-- of region views; regions are read in the group's order (code order for
-- children), so the result is the same on every run.
-- Pure Lua: reads the region views passed in, nothing else; uses `facts`,
-- `stats`, `table` and base functions.

local facts = require "facts"
local stats = require "stats"

local peers = {}

local function members(group)
  if type(group) == "table" then
    return group
  end
  return group:children("city")
end

--- totals(group, amount, count [, opts]): { amount = Σ amounts, count =
--- Σ counts, level = Σ amounts ÷ Σ counts (nil when Σ counts is 0),
--- regions = { { region = view, code, name, amount, count, value = amount
--- ÷ count }, ... } in the group's order, empty = { name, ... } }; or nil,
--- missing(...) naming every region lacking a usable figure, and the list
--- of gaps (facts.gaps().list). A region whose count and amount are both
--- 0 (nobody served, nothing spent) adds nothing to either sum: it is
--- exact to count it, so it is named in `empty`, not a gap, and has no
--- level; with opts.each = true every region must have a level (a count
--- above 0), as a ranking or a measure of spread needs.
function peers.totals(group, amount, count, opts)
  local each = opts and opts.each
  local gaps = facts.gaps()
  local t = { amount = 0, count = 0, regions = {}, empty = {} }
  for _, c in ipairs(members(group)) do
    local a = gaps:amount(c, amount)
    local n, why = facts.read(c, count, "count")
    if n == nil then
      local zero = c:has(count) and c:fact(count) == 0
      if zero and a == 0 and not each then
        n = 0 -- nobody and nothing: adds nothing to either sum
      elseif zero and a and a ~= 0 then
        gaps:add(c, count, why .. "，而 " .. amount .. " 为 "
                 .. string.format("%.15g", a))
      else
        gaps:add(c, count, why)
      end
    end
    if a and n then
      t.amount = t.amount + a
      t.count = t.count + n
      if n > 0 then
        t.regions[#t.regions + 1] = { region = c, code = c.code,
                                      name = facts.label(c), amount = a,
                                      count = n, value = a / n }
      else
        t.empty[#t.empty + 1] = facts.label(c)
      end
    end
  end
  if gaps:any() then
    return nil, gaps:missing(), gaps.list
  end
  if t.count > 0 then
    t.level = t.amount / t.count
  end
  return t
end

--- groups(group, amount, count, group_of): totals as above, with every
--- region needing a level (opts.each), for each named subgroup: { [name]
--- = totals, ..., all = totals of every region }. group_of(region)
--- returns the region's subgroup name, or nil and why (a note); a region
--- outside every subgroup is a gap like a missing figure (never ignored):
--- the result is then nil, missing(...), gaps. A subgroup no region falls
--- into is absent from the result.
function peers.groups(group, amount, count, group_of)
  local gaps = facts.gaps()
  local out = { all = { amount = 0, count = 0, regions = {} } }
  local function add(t, e)
    t.amount = t.amount + e.amount
    t.count = t.count + e.count
    t.regions[#t.regions + 1] = e
  end
  for _, c in ipairs(members(group)) do
    local name, why = group_of(c)
    if name == nil then
      gaps:add(c, "分组", why or "未归入任何分组", false)
    end
    local a = gaps:amount(c, amount)
    local n = gaps:count(c, count)
    if name ~= nil and a and n then
      local e = { region = c, code = c.code, name = facts.label(c),
                  amount = a, count = n, value = a / n, group = name }
      out[name] = out[name] or { amount = 0, count = 0, regions = {} }
      add(out[name], e)
      add(out.all, e)
    end
  end
  if gaps:any() then
    return nil, gaps:missing(), gaps.list
  end
  for _, t in pairs(out) do
    if t.count > 0 then
      t.level = t.amount / t.count
    end
  end
  return out
end

--- levels(region, amount, count): the level amount ÷ count of each city
--- under region (every city must have one: totals with opts.each), for a
--- measure of spread or a ranking: { values = { level, ... },
--- lowest = { value, name }, highest = { value, name }, regions (as
--- totals) } (the first city wins a tie; lowest and highest are nil when
--- there is no city); or nil, missing(...), gaps as totals.
function peers.levels(region, amount, count)
  local t, gap, list = peers.totals(region, amount, count, { each = true })
  if not t then
    return nil, gap, list
  end
  local values, lowest, highest = {}, nil, nil
  for _, e in ipairs(t.regions) do
    local v = e.value
    values[#values + 1] = v
    if not lowest or v < lowest.value then
      lowest = { value = v, name = e.name }
    end
    if not highest or v > highest.value then
      highest = { value = v, name = e.name }
    end
  end
  return { values = values, lowest = lowest, highest = highest,
           regions = t.regions }
end

--- mean_level(region, amount, count): the mean level over the cities
--- under region, weighted by count, that is their total amount ÷ their
--- total count: { mean, cities = how many have a level, empty = { name,
--- ... } (cities with a count and amount of 0: in the sums, adding
--- nothing), gaps = {} }; or nil, missing(...), gaps as totals, when a
--- city lacks a usable figure or no city has a level.
function peers.mean_level(region, amount, count)
  local t, gap, list = peers.totals(region, amount, count)
  if not t then
    return nil, gap, list
  end
  if #t.regions == 0 then
    -- every city's count is 0 (or there is none): each lacks a count
    local entries = {}
    for _, c in ipairs(members(region)) do
      entries[#entries + 1] = { region = c.code, metric = count,
                                year = c.year }
    end
    return nil, missing(string.format(
      "缺数据（%d年）：%s 下无 %s 大于 0 的市，无法计算平均", region.year,
      facts.label(region), count), entries), {}
  end
  local levels, weights = {}, {}
  for i, e in ipairs(t.regions) do
    levels[i] = e.value
    weights[i] = e.count
  end
  return { mean = stats.weighted_mean(levels, weights), cities = #levels,
           empty = t.empty, gaps = {} }
end

--- gaps_note(avg): "" (mean_level no longer leaves a city out: a city
--- lacking a figure makes it return missing). Kept for rules written
--- against the earlier helper.
function peers.gaps_note(avg)
  if avg and avg.gaps and #avg.gaps > 0 then
    return "；平均未含数据缺失的：" .. table.concat(avg.gaps, "、")
  end
  return ""
end

return peers
