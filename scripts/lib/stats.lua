-- stats.lua — descriptive statistics for rule authors.
--
--   local stats = require "stats"
--   stats.cv({ 4100, 4300, 6900 })
--
-- Every function takes a sequence (array) of numbers `xs` and, where it
-- says so, a sequence of non-negative weights `ws` of the same length
-- (e.g. resident population, so that a per-capita figure is weighted by the
-- people it concerns). Values are read in array order, so the result is
-- the same on every run. An empty list, a length mismatch, a weight sum of
-- zero or (for the inequality measures) a negative value raises an error
-- naming the function: the caller should guard such cases first.
--
-- theil_groups(xs, ws, groups) decomposes the Theil T index over groups
-- (zones, cities): with P the total weight, μ the weighted mean, and for
-- each group g its weight P_g, weighted mean μ_g and own index T_g,
--
--   between = Σ_g (P_g/P) (μ_g/μ) ln(μ_g/μ)
--   within  = Σ_g (P_g μ_g / (P μ)) T_g
--
-- and between + within = theil(xs, ws) up to rounding.
-- Pure Lua: uses only `math`, `table` and base functions.

local stats = {}

local function check_list(fname, xs)
  if type(xs) ~= "table" or #xs == 0 then
    error("stats." .. fname .. ": expected a non-empty list of numbers", 3)
  end
  for i = 1, #xs do
    if type(xs[i]) ~= "number" then
      error(string.format("stats.%s: element %d is not a number", fname, i),
            3)
    end
  end
end

local function check_weights(fname, xs, ws)
  if type(ws) ~= "table" or #ws ~= #xs then
    error("stats." .. fname .. ": weights must be a list as long as the values",
          3)
  end
  local total = 0
  for i = 1, #ws do
    local w = ws[i]
    if type(w) ~= "number" or w < 0 then
      error(string.format("stats.%s: weight %d is not a non-negative number",
                          fname, i), 3)
    end
    total = total + w
  end
  if total == 0 then
    error("stats." .. fname .. ": weights sum to zero", 3)
  end
  return total
end

local function check_non_negative(fname, xs)
  for i = 1, #xs do
    if xs[i] < 0 then
      error(string.format("stats.%s: element %d is negative", fname, i), 3)
    end
  end
end

-- Weights for an optional `ws`: the given list, or 1 for every value.
local function weights_or_ones(fname, xs, ws)
  if ws == nil then
    local ones = {}
    for i = 1, #xs do ones[i] = 1 end
    return ones, #xs
  end
  return ws, check_weights(fname, xs, ws)
end

--- sum(xs): the sum of the values; 0 for an empty list.
function stats.sum(xs)
  local s = 0
  for i = 1, #xs do s = s + xs[i] end
  return s
end

--- mean(xs): the arithmetic mean.
function stats.mean(xs)
  check_list("mean", xs)
  return stats.sum(xs) / #xs
end

--- weighted_mean(xs, ws): Σ w·x ÷ Σ w (e.g. a per-capita value averaged
--- over regions weighted by population = total ÷ total population).
function stats.weighted_mean(xs, ws)
  check_list("weighted_mean", xs)
  local total = check_weights("weighted_mean", xs, ws)
  local s = 0
  for i = 1, #xs do s = s + ws[i] * xs[i] end
  return s / total
end

--- cv(xs [, ws]): coefficient of variation, the population standard
--- deviation divided by the mean (both weighted when ws is given).
--- Raises an error when the mean is zero.
function stats.cv(xs, ws)
  check_list("cv", xs)
  local w, total = weights_or_ones("cv", xs, ws)
  local mean = 0
  for i = 1, #xs do mean = mean + w[i] * xs[i] end
  mean = mean / total
  if mean == 0 then error("stats.cv: the mean is zero", 2) end
  local ss = 0
  for i = 1, #xs do
    local d = xs[i] - mean
    ss = ss + w[i] * d * d
  end
  return math.sqrt(ss / total) / mean
end

--- max_gap(xs): (max − min) ÷ mean (unweighted). Raises an error when the
--- mean is zero.
function stats.max_gap(xs)
  check_list("max_gap", xs)
  local lo, hi = xs[1], xs[1]
  for i = 2, #xs do
    if xs[i] < lo then lo = xs[i] end
    if xs[i] > hi then hi = xs[i] end
  end
  local mean = stats.sum(xs) / #xs
  if mean == 0 then error("stats.max_gap: the mean is zero", 2) end
  return (hi - lo) / mean
end

-- Indices of xs ordered by value, ties by position: a stable order.
local function order(xs)
  local idx = {}
  for i = 1, #xs do idx[i] = i end
  table.sort(idx, function(a, b)
    if xs[a] ~= xs[b] then return xs[a] < xs[b] end
    return a < b
  end)
  return idx
end

--- gini(xs [, ws]): Gini coefficient of non-negative values, 0 = equal,
--- towards 1 = concentrated; with ws, each value counts for its weight
--- (population Gini from the Lorenz curve: 1 − Σ p_i (L_{i−1} + L_i)).
--- Returns 0 when all values are zero.
function stats.gini(xs, ws)
  check_list("gini", xs)
  check_non_negative("gini", xs)
  local w, total = weights_or_ones("gini", xs, ws)
  local idx = order(xs)
  local mass = 0
  for i = 1, #xs do mass = mass + w[i] * xs[i] end
  if mass == 0 then return 0 end
  local g, cum_prev = 0, 0
  for _, i in ipairs(idx) do
    local cum = cum_prev + w[i] * xs[i] / mass
    g = g + (w[i] / total) * (cum_prev + cum)
    cum_prev = cum
  end
  return 1 - g
end

--- theil(xs [, ws]): Theil T index of non-negative values,
--- Σ p_i (x_i/μ) ln(x_i/μ), 0 = equal; a zero value adds nothing.
--- Returns 0 when all values are zero.
function stats.theil(xs, ws)
  check_list("theil", xs)
  check_non_negative("theil", xs)
  local w, total = weights_or_ones("theil", xs, ws)
  local mean = 0
  for i = 1, #xs do mean = mean + w[i] * xs[i] end
  mean = mean / total
  if mean == 0 then return 0 end
  local t = 0
  for i = 1, #xs do
    local s = xs[i] / mean
    if s > 0 then t = t + (w[i] / total) * s * math.log(s) end
  end
  return t
end

--- theil_groups(xs [, ws], groups): the Theil T index of xs (weights ws,
--- or 1 each when nil) decomposed over groups, a list as long as xs
--- naming each value's group (a string or a number): { total, between,
--- within, names = { g, ... } (in order of first appearance), groups = {
--- [g] = { theil = T_g, share_pop = P_g/P, share_value = P_g μ_g/(P μ),
--- mean = μ_g, n = how many values } } }. total is computed as theil
--- does; between + within equals it up to rounding. A group whose weights
--- sum to zero has mean nil and adds nothing; when every value is zero
--- all parts are 0 and each share_value is 0.
function stats.theil_groups(xs, ws, groups)
  check_list("theil_groups", xs)
  check_non_negative("theil_groups", xs)
  local w, total = weights_or_ones("theil_groups", xs, ws)
  if type(groups) ~= "table" or #groups ~= #xs then
    error("stats.theil_groups: groups must be a list as long as the values",
          2)
  end
  local names, by = {}, {}
  for i = 1, #xs do
    local g = groups[i]
    local tg = type(g)
    if tg ~= "string" and tg ~= "number" then
      error(string.format(
        "stats.theil_groups: group %d is not a name (a string or a number)",
        i), 2)
    end
    local e = by[g]
    if not e then
      e = { idx = {}, weight = 0, mass = 0 }
      by[g] = e
      names[#names + 1] = g
    end
    e.idx[#e.idx + 1] = i
    e.weight = e.weight + w[i]
    e.mass = e.mass + w[i] * xs[i]
  end
  local mass = 0
  for i = 1, #xs do mass = mass + w[i] * xs[i] end
  local mean = mass / total
  local out = { total = 0, between = 0, within = 0, names = names,
                groups = {} }
  for _, g in ipairs(names) do
    local e = by[g]
    local t = { theil = 0, share_pop = e.weight / total, share_value = 0,
                n = #e.idx }
    if e.weight > 0 then
      t.mean = e.mass / e.weight
      local gx, gw = {}, {}
      for k, i in ipairs(e.idx) do
        gx[k] = xs[i]
        gw[k] = w[i]
      end
      t.theil = stats.theil(gx, gw)
    end
    if mass > 0 then
      t.share_value = e.mass / mass
    end
    out.groups[g] = t
  end
  if mass == 0 then return out end
  out.total = stats.theil(xs, w)
  for _, g in ipairs(names) do
    local t = out.groups[g]
    if t.mean and t.mean > 0 then
      local s = t.mean / mean
      out.between = out.between + t.share_pop * s * math.log(s)
    end
    out.within = out.within + t.share_value * t.theil
  end
  return out
end

return stats
