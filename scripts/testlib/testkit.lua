-- testkit.lua — fixtures and case builders for rule tests (<name>_test.lua).
--
--   local kit = require "testkit"
--   local case = kit.cases_of("health.public_health_per_capita")
--   return {
--     case {
--       name = "a city below the national standard fails", year = 2019,
--       city = "441400",                          -- 梅州市, north, tier 1
--       facts = { ["pop.resident"] = 4380000,
--                 ["health.public_health.spend"] = 2.8e8 },
--       standards = { ["health.public_health"] = { national = 69 } },
--       expect = { outcome = "fail", measured = 63.93 },
--     },
--   }
--
-- The regions are Guangdong's as in the built-in sample (data/sample/
-- region.csv): 广东省 (440000), its 21 cities with their code, name,
-- zone (一核一带一区) and cost-sharing tier (分档), and the counties of
-- 广州, 湛江, 梅州 and 河源 (kit.county). kit.city gives a fresh
-- table each call, so a case may change what it got.
--
-- Only test files can require this module (`equirule test` gives them a
-- require that also finds scripts/testlib); rule files cannot: a rule
-- reads its regions from the view, never from fixtures.
-- Pure Lua: base functions and `table` only.

local kit = {}

local PROVINCE = "440000"

-- code, name, zone, tier: the cities of the sample, in code order.
local CITIES = {
  { "440100", "广州市", "core", 3 }, { "440200", "韶关市", "north", 1 },
  { "440300", "深圳市", "core", 3 }, { "440400", "珠海市", "core", 3 },
  { "440500", "汕头市", "east", 1 }, { "440600", "佛山市", "core", 3 },
  { "440700", "江门市", "core", 2 }, { "440800", "湛江市", "west", 1 },
  { "440900", "茂名市", "west", 1 }, { "441200", "肇庆市", "core", 2 },
  { "441300", "惠州市", "core", 2 }, { "441400", "梅州市", "north", 1 },
  { "441500", "汕尾市", "east", 1 }, { "441600", "河源市", "north", 1 },
  { "441700", "阳江市", "west", 1 }, { "441800", "清远市", "north", 1 },
  { "441900", "东莞市", "core", 3 }, { "442000", "中山市", "core", 3 },
  { "445100", "潮州市", "east", 1 }, { "445200", "揭阳市", "east", 1 },
  { "445300", "云浮市", "north", 1 },
}

local by_code = {}
for _, c in ipairs(CITIES) do
  by_code[c[1]] = c
end

-- code, name: the counties of the sample (four cities), in code order;
-- the city is the code's first four digits and 00.
local COUNTIES = {
  { "440103", "荔湾区" }, { "440104", "越秀区" }, { "440105", "海珠区" },
  { "440106", "天河区" }, { "440111", "白云区" }, { "440112", "黄埔区" },
  { "440113", "番禺区" }, { "440114", "花都区" }, { "440115", "南沙区" },
  { "440117", "从化区" }, { "440118", "增城区" },
  { "440802", "赤坎区" }, { "440803", "霞山区" }, { "440804", "坡头区" },
  { "440811", "麻章区" }, { "440823", "遂溪县" }, { "440825", "徐闻县" },
  { "440881", "廉江市" }, { "440882", "雷州市" }, { "440883", "吴川市" },
  { "441402", "梅江区" }, { "441403", "梅县区" }, { "441422", "大埔县" },
  { "441423", "丰顺县" }, { "441424", "五华县" }, { "441426", "平远县" },
  { "441427", "蕉岭县" }, { "441481", "兴宁市" },
  { "441602", "源城区" }, { "441621", "紫金县" }, { "441622", "龙川县" },
  { "441623", "连平县" }, { "441624", "和平县" }, { "441625", "东源县" },
}
local county_name = {}
for _, c in ipairs(COUNTIES) do
  county_name[c[1]] = c[2]
end

--- province: 广东省 as a test region { code = "440000", level = "province",
--- name = "广东省" }.
kit.province = { code = PROVINCE, level = "province", name = "广东省" }

-- The region of a city code; an unknown code raises an error at `level`
-- (as error() counts: the test file's line).
local function city_of(code, changes, level)
  local c = by_code[code]
  if not c then
    error("testkit.city: no Guangdong city has the code " .. tostring(code),
          level)
  end
  local region = { code = code, level = "city", parent = PROVINCE,
                   name = c[2], zone = c[3], tier = c[4] }
  for k, v in pairs(changes or {}) do
    if v == false then
      region[k] = nil
    else
      region[k] = v
    end
  end
  return region
end

--- city(code [, changes]): the Guangdong city of that code as a test region
--- { code, level = "city", parent = "440000", name, zone, tier }; a field
--- of `changes` replaces the city's (false leaves the field out: { zone =
--- false }, { parent = false }). An unknown code raises an error.
function kit.city(code, changes)
  local region = city_of(code, changes, 3)
  return region
end

--- county(code [, city] [, changes]): a county as a test region.
--- Without `city`: the sample's county of that code { code, level =
--- "county", parent = its city's code, name, zone and tier = its city's }
--- (an unknown code raises an error). With `city` (a Guangdong city's
--- code): any county of that city { code, level = "county", parent = city,
--- name = code }, without a tier of its own (r:share then reads its
--- city's; an unknown city raises an error). A field of `changes` replaces
--- or adds one ({ tier = 2, name = "梅江区" }; false leaves it out).
function kit.county(code, city, changes)
  if type(city) ~= "string" then
    city, changes = nil, city
  end
  local region
  if city then
    city_of(city, nil, 3)
    region = { code = code, level = "county", parent = city, name = code }
  else
    local name = county_name[code]
    if not name then
      error("testkit.county: no county of the sample has the code "
            .. tostring(code), 2)
    end
    local c = by_code[code:sub(1, 4) .. "00"]
    region = { code = code, level = "county", parent = c[1],
               name = name, zone = c[3], tier = c[4] }
  end
  for k, v in pairs(changes or {}) do
    if v == false then
      region[k] = nil
    else
      region[k] = v
    end
  end
  return region
end

--- regions(city, ...): { province, city, ... }: each argument a city code
--- (kit.city(code)), a county code of the sample (kit.county(code); list
--- its city too) or a region table, in the order given.
function kit.regions(...)
  local out = { kit.province }
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    if type(c) == "string" and county_name[c] then
      out[#out + 1] = kit.county(c)
    else
      out[#out + 1] = type(c) == "string" and city_of(c, nil, 3) or c
    end
  end
  return out
end

--- cases_of(rule, ...): a builder of the cases of one rule, or of several
--- that a test file tests together. case(t) returns t as a test case, with
--- these shorthands:
---   t.city = code or region: the case's regions are { province, city };
---     t.facts are that city's facts ({ [metric] = value }), t.transfers
---     its transfers ({ [item] = yuan }) and t.expect its expected
---     finding: of the rule ({ outcome = ..., ... }, or false for none),
---     or with several rules { [rule] = finding };
---   otherwise t.regions, t.facts and t.transfers are as written, and
---     t.expect is { [code] = finding } of the rule, or with several rules
---     { [rule] = { [code] = finding } } as in a plain case.
--- Other fields (standards, shares, transfers, params, rules) pass as they
--- are. An expect that names a rule the builder was not given, and city
--- with regions, are errors; `equirule test` checks every key of the case
--- it returns (a misspelt field is an error there, not here).
function kit.cases_of(...)
  local rules, named = { ... }, {}
  if #rules == 0 then
    error("testkit.cases_of: name the rule (or rules) the cases test", 2)
  end
  for _, rule in ipairs(rules) do
    named[rule] = true
  end
  local single = #rules == 1 and rules[1]
  return function(t)
    local case = {}
    for k, v in pairs(t) do
      case[k] = v
    end
    local expect = t.expect
    if single then
      if type(expect) == "table" and expect[single] ~= nil then
        error("testkit.cases_of: the case '" .. tostring(t.name)
              .. "' keys expect by rule; cases_of names the rule", 2)
      end
      expect = { [single] = expect }
    elseif type(expect) == "table" then
      for rule in pairs(expect) do
        if not named[rule] then
          error("testkit.cases_of: the case '" .. tostring(t.name)
                .. "' expects a finding of '" .. tostring(rule)
                .. "', which cases_of was not given", 2)
        end
      end
    end
    if t.city ~= nil and t.regions ~= nil then
      error("testkit.cases_of: the case '" .. tostring(t.name)
            .. "' gives both city and regions; city makes the regions "
            .. "(province and city): give one of them", 2)
    end
    if t.city ~= nil then
      local city = type(t.city) == "string" and city_of(t.city, nil, 3)
                   or t.city
      case.city = nil
      case.regions = { kit.province, city }
      case.facts = t.facts and { [city.code] = t.facts }
      case.transfers = t.transfers and { [city.code] = t.transfers }
      local by_rule = {}
      for rule, finding in pairs(expect or {}) do
        by_rule[rule] = { [city.code] = finding }
      end
      expect = by_rule
    end
    case.expect = expect
    return case
  end
end

return kit
