-- peers.lua — a per-unit level (an amount ÷ a count, e.g. spending ÷
-- residents) across the cities of a region, for items that have no unified
-- standard and are judged against the cities themselves.
--
--   local peers = require "peers"
--   local avg = peers.mean_level(r:region(r.parent),
--                                "employment.public_service.spend",
--                                "pop.resident")
--   --> { mean = total spending ÷ total residents, cities = 21, gaps = {} }
--   local spread = peers.levels(r, "fin.basic_service.spend", "pop.resident")
--   --> { values = { per-resident spending of each city },
--   --     lowest = { value = ..., name = "梅州市" }, highest = { ... } }
--
-- The cities are those of region:children("city") for the region view
-- passed in, read in code order, so the result is the same on every run.
-- A city whose count is 0 or less has no level and is left out. The two
-- functions differ on a missing figure: `levels` reads with c:fact (a
-- missing one stops the evaluation with outcome `missing`: a measure of
-- spread needs every city), while `mean_level` leaves such a city out of
-- the average and names it (one city's data gap should not stop the other
-- cities' evaluations).
-- Pure Lua: reads the region views passed in, nothing else; uses `stats`,
-- `table` and base functions.

local stats = require "stats"

local peers = {}

local function label(c)
  return c.name or c.code
end

--- levels(region, amount, count): the level amount ÷ count of each city
--- under region, for a measure of spread: { values = { level, ... },
--- lowest = { value, name }, highest = { value, name } } (the first city
--- wins a tie; lowest and highest are nil when no city has a level). A
--- missing figure stops the evaluation with outcome `missing`.
function peers.levels(region, amount, count)
  local values, lowest, highest = {}, nil, nil
  for _, c in ipairs(region:children("city")) do
    local n = c:fact(count)
    if n > 0 then
      local v = c:fact(amount) / n
      values[#values + 1] = v
      if not lowest or v < lowest.value then
        lowest = { value = v, name = label(c) }
      end
      if not highest or v > highest.value then
        highest = { value = v, name = label(c) }
      end
    end
  end
  return { values = values, lowest = lowest, highest = highest }
end

--- mean_level(region, amount, count): the mean level over the cities
--- under region, weighted by count, that is their total amount ÷ their
--- total count: { mean, cities = how many were averaged, gaps = { name,
--- ... } }. A city without either figure is left out and named in gaps
--- (its own evaluation ends as `missing` when it reads them). Raises an
--- error when no city is left to average.
function peers.mean_level(region, amount, count)
  local levels, weights, gaps = {}, {}, {}
  for _, c in ipairs(region:children("city")) do
    if c:has(amount) and c:has(count) then
      local n = c:fact(count)
      if n > 0 then
        levels[#levels + 1] = c:fact(amount) / n
        weights[#weights + 1] = n
      end
    else
      gaps[#gaps + 1] = label(c)
    end
  end
  return { mean = stats.weighted_mean(levels, weights), cities = #levels,
           gaps = gaps }
end

--- gaps_note(avg): for a finding's note, "；平均未含数据缺失的：A、B" naming
--- the cities mean_level left out for a missing figure; "" when none was.
function peers.gaps_note(avg)
  if #avg.gaps == 0 then
    return ""
  end
  return "；平均未含数据缺失的：" .. table.concat(avg.gaps, "、")
end

return peers
