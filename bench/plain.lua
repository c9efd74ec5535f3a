-- The plain-Lua baseline of the benchmark: the arithmetic of the bench rules
-- (bench/rules/bench) as plain Lua functions called in a loop over the same
-- data, in one lua_State, with no engine: no sandbox, no limits, no region
-- views, no outcome records, nothing stored. It is the ceiling the engine is
-- measured against.
local data, std, share, transfer, tier, n = ...
local clock = os.clock

local results = {}
local function record(i, ok, v) results[i] = v end

local rules = {}
for k = 0, 7 do
  local sp, be, s = data["bench.item" .. k .. ".spend"],
                    data["bench.item" .. k .. ".beneficiaries"], std[k]
  rules[#rules + 1] = function(i)
    local per = sp[i] / be[i]
    return per >= s, per
  end
end
local pop = data["pop.resident"]
for k = 0, 3 do
  local be = data["bench.item" .. k .. ".beneficiaries"]
  rules[#rules + 1] = function(i)
    local cov = be[i] / pop[i]
    return cov >= 0.08, cov
  end
end
for k = 0, 1 do
  local be, s, tr, sh = data["bench.item" .. k .. ".beneficiaries"], std[k],
                        transfer[k], share[k]
  rules[#rules + 1] = function(i)
    local required = s * be[i]
    local t = tr[i]
    return t >= sh[tier[i]] * required, t
  end
end
local spend = data["fin.basic_service.spend"]
rules[#rules + 1] = function(i)
  local per = spend[i] / pop[i]
  return per >= 0.8 * 6000, per
end
local revenue, sp0, be0 = data["fin.revenue"], data["bench.item0.spend"],
                          data["bench.item0.beneficiaries"]
rules[#rules + 1] = function(i)
  local per = revenue[i] / pop[i]
  if per < 25000 then return true, 0 end
  local over = sp0[i] / be0[i] - std[0]
  if over <= 0 then return true, 0 end
  return false, math.min(transfer[0][i], over * 0.1)
end
local registered = data["pop.registered"]
rules[#rules + 1] = function(i)
  local v = registered[i] / pop[i]
  return v <= 1.2, v
end
rules[#rules + 1] = function(i)
  local per = revenue[i] / pop[i]
  return per >= 0.5 * 16000, per
end
rules[#rules + 1] = function(i)
  local v = spend[i]
  return v ~= nil and v >= 0, v
end

local t0 = clock()
local evals = 0
for _, rule in ipairs(rules) do
  for i = 1, n do
    record(i, rule(i))
  end
  evals = evals + n
end
-- the province aggregate: coefficient of variation of spending per resident
local sum, sum2 = 0, 0
for i = 1, n do
  local v = spend[i] / pop[i]
  sum, sum2 = sum + v, sum2 + v * v
end
local mean = sum / n
local cv = math.sqrt(math.max(sum2 / n - mean * mean, 0)) / mean
evals = evals + 1
return evals, clock() - t0, cv
