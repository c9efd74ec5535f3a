-- The plain-Lua baseline of the simple rule set (bench/rules-simple): each
-- rule's one comparison as a plain Lua function called in a loop over the
-- same data, in one lua_State, with no engine: no sandbox, no limits, no
-- region views, no outcome records, nothing stored. It is the ceiling the
-- engine's evaluation of the simple rules is measured against.
local data, std, share, transfer, tier, n = ...
local clock = os.clock

local results, passes = {}, 0
local function record(i, ok, v)
  results[i] = v
  if ok then passes = passes + 1 end
end

local function at_least(col, min)
  return function(i)
    local v = col[i]
    return v >= min, v
  end
end
local function at_most(col, max)
  return function(i)
    local v = col[i]
    return v <= max, v
  end
end

local rules = {
  at_least(data["pop.resident"], 100000),
  at_most(data["pop.registered"], 1500000),
  at_least(data["fin.revenue"], 5e9),
  at_least(data["fin.basic_service.spend"], 2e9),
  at_least(data["bench.item0.beneficiaries"], 20000),
  at_most(data["bench.item1.beneficiaries"], 400000),
  at_least(data["bench.item2.spend"], std[2] * 20000),
  at_least(data["bench.item3.spend"], std[3] * 20000),
  at_most(data["bench.item4.beneficiaries"], 500000),
  function() return true, nil end,
}

local t0 = clock()
local evals = 0
for _, rule in ipairs(rules) do
  for i = 1, n do
    record(i, rule(i))
  end
  evals = evals + n
end
return evals, clock() - t0, nil, passes
