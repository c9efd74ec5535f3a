-- money.lua — yuan amounts rounded and split exactly to the fen (分).
--
--   local money = require "money"
--   money.apportion(100, { ["440500"] = 1, ["440900"] = 1, ["445200"] = 1 })
--   --> { ["440500"] = 33.34, ["440900"] = 33.33, ["445200"] = 33.33 }
--
-- Rules compute in yuan; the engine stores integer fen, rounding each amount
-- half away from zero once (to_fen below says exactly how). A rule that splits a sum between regions must
-- do that rounding itself, or the parts may not add up to the whole:
-- `apportion` does it in integer fen by the largest-remainder method. An
-- amount capped by another (a cut by the transfer paid) must never round
-- above its cap: `cap_fen` rounds the cap down.
-- Pure Lua: uses only `math`, `table` and base functions; results never
-- depend on `pairs` order.

local money = {}

-- 2^53: past this many fen a float cannot hold every fen (as the engine's
-- ER_FEN_FLOAT_MAX).
local FLOAT_FEN_MAX = 9007199254740992

-- The fen of a finite yuan amount, rounded as `mode` says: "half" (half
-- away from zero) or "down" (toward minus infinity), from the shortest
-- decimal that reads back as the same number; `fn` names the caller in
-- errors, raised at `level` (as error() counts, from the caller of fn).
local function fen_of(yuan, mode, fn, level)
  if type(yuan) ~= "number" or yuan ~= yuan or yuan == math.huge
      or yuan == -math.huge then
    error(fn .. ": amount must be a finite number", level)
  end
  if math.type(yuan) == "integer" then
    local fen = yuan * 100
    if fen // 100 ~= yuan then
      error(fn .. ": amount " .. yuan
            .. " yuan is out of range (its fen must fit in 64 bits)", level)
    end
    return fen
  end
  local a = math.abs(yuan)
  if a == 0 then return 0 end
  local function out_of_range()
    error(fn .. ": amount " .. string.format("%.17g", yuan)
          .. " yuan is out of range (a non-integer amount must be at most"
          .. " 2^53 fen)", level + 1)
  end
  if a >= 1e17 then out_of_range() end
  local s
  for digits = 15, 17 do
    s = string.format("%." .. (digits - 1) .. "e", a)
    if digits == 17 or tonumber(s) == a then break end
  end
  local lead, rest, exp = s:match("^(%d)%D?(%d*)[eE]([-+]?%d+)$")
  local mant = lead .. rest
  local point = tonumber(exp) + 3 -- digits of mant before the fen point
  local fen = 0
  for i = 1, point do
    local d = i <= #mant and tonumber(mant:sub(i, i)) or 0
    if fen > FLOAT_FEN_MAX then out_of_range() end
    fen = fen * 10 + d
  end
  -- the digits below the fen: mant from max(point, 0) + 1 on
  local below = mant:sub(math.max(point, 0) + 1)
  if mode == "half" then
    if point >= 0 and point < #mant
        and tonumber(mant:sub(point + 1, point + 1)) >= 5 then
      fen = fen + 1
    end
  elseif yuan < 0 and below:find("[1-9]") then
    fen = fen + 1 -- down, for a negative amount: away from zero
  end
  if fen > FLOAT_FEN_MAX then out_of_range() end
  if yuan < 0 then return -fen end
  return fen
end

--- to_fen(yuan): the amount in integer fen, exactly as the engine rounds
--- when it records a finding. An integer is whole yuan: fen = yuan × 100
--- (an error if that overflows). A float is taken as the shortest decimal
--- that reads back as the same number (%.15g, %.16g or %.17g), rounded
--- half away from zero at the second decimal in decimal arithmetic: 1.005
--- → 101, 2.675 → 268, 0.125 → 13, −1.005 → −101. A float whose fen would
--- pass 2^53 (about 90 trillion yuan) is an error.
function money.to_fen(yuan)
  return fen_of(yuan, "half", "money.to_fen", 3)
end

--- floor_fen(yuan): the amount in integer fen rounded down (toward minus
--- infinity) from the same shortest decimal as to_fen reads: 5000000.555
--- → 500000055, 0.129 → 12, 2.675 → 267, −0.121 → −13; whole fen are
--- exact (1.1 → 110). Errors as to_fen.
function money.floor_fen(yuan)
  return fen_of(yuan, "down", "money.floor_fen", 3)
end

--- cap_fen(due_yuan, cap_yuan): an amount due, capped by what it may not
--- pass (e.g. a cut by the transfer it is taken from), in integer fen:
--- min(to_fen(due), floor_fen(cap)). The due amount is rounded as the
--- engine rounds (half away from zero); the cap is rounded down, so that
--- the result is never more than the cap, to the fen: a due of 6000000
--- capped by 5000000.555 is 500000055 fen, not 500000056. Raises an error
--- on a negative or non-finite amount.
function money.cap_fen(due_yuan, cap_yuan)
  local due = fen_of(due_yuan, "half", "money.cap_fen", 3)
  local cap = fen_of(cap_yuan, "down", "money.cap_fen", 3)
  if due < 0 or cap < 0 then
    error("money.cap_fen: amounts must not be negative (due "
          .. tostring(due_yuan) .. ", cap " .. tostring(cap_yuan) .. ")", 2)
  end
  return math.min(due, cap)
end

--- round_fen(yuan): the amount rounded to the fen as to_fen rounds, in
--- yuan (e.g. 2.345 → 2.35, −2.345 → −2.35, 1.005 → 1.01).
function money.round_fen(yuan)
  return money.to_fen(yuan) / 100
end

-- Keys in a fixed order: numbers before strings, each ascending.
local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  return a < b
end

--- apportion(total_yuan, weights): splits a non-negative total between the
--- keys of `weights` ({ [key] = non-negative number }) in proportion to
--- their weights. Returns { [key] = yuan } with every key of `weights`
--- (zero weight → 0), each part a whole number of fen and the parts
--- summing to round_fen(total_yuan) exactly. Each key first gets the fen
--- its exact share rounds down to; the fen left over go one each to the
--- keys with the largest remainders, ties to the key that sorts first
--- (numbers before strings, ascending). Raises an error on a negative
--- total or weight, a non-number, or a positive total with no positive
--- weight.
function money.apportion(total_yuan, weights)
  if type(weights) ~= "table" then
    error("money.apportion: weights must be a table", 2)
  end
  local total = money.to_fen(total_yuan)
  if total < 0 then
    error("money.apportion: total must not be negative", 2)
  end

  local keys, sum = {}, 0
  for k, w in pairs(weights) do
    if type(k) ~= "string" and type(k) ~= "number" then
      error("money.apportion: keys must be strings or numbers", 2)
    end
    if type(w) ~= "number" or w ~= w or w < 0 or w == math.huge then
      error("money.apportion: weight of " .. tostring(k)
            .. " is not a non-negative finite number", 2)
    end
    keys[#keys + 1] = k
    sum = sum + w
  end
  table.sort(keys, key_less)

  local fen, rem, takers = {}, {}, {}
  if sum == 0 then
    if total ~= 0 then
      error("money.apportion: no positive weight to give the total to", 2)
    end
    for _, k in ipairs(keys) do fen[k] = 0 end
  else
    local given = 0
    for _, k in ipairs(keys) do
      local exact = total * (weights[k] / sum)
      local base = math.floor(exact)
      if base > total then base = total end
      fen[k] = math.tointeger(base) or base
      rem[k] = exact - base
      given = given + fen[k]
      if weights[k] > 0 then takers[#takers + 1] = k end
    end
    -- Largest remainder first; ties to the key that sorts first.
    table.sort(takers, function(a, b)
      if rem[a] ~= rem[b] then return rem[a] > rem[b] end
      return key_less(a, b)
    end)
    -- In exact arithmetic 0 <= left < #takers; the loops also absorb the
    -- odd fen that floating point may add or lose on huge totals.
    local left = total - given
    while left > 0 do
      for _, k in ipairs(takers) do
        if left == 0 then break end
        fen[k] = fen[k] + 1
        left = left - 1
      end
    end
    while left < 0 do
      for i = #takers, 1, -1 do
        local k = takers[i]
        if left == 0 then break end
        if fen[k] > 0 then
          fen[k] = fen[k] - 1
          left = left + 1
        end
      end
    end
  end

  local out = {}
  for _, k in ipairs(keys) do out[k] = fen[k] / 100 end
  return out
end

return money
