-- Tests of education.public_funds_primary and _junior: 公用经费 per pupil
-- against the benchmark quota (元/生·年), the larger of the national and
-- provincial one. The same cases run for each school level, at its own
-- national quota (小学 650, 初中 850).
local kit = require "testkit"

-- The cases of one school level: q is its national quota; the first case's
-- city (广州市) has `pupils` pupils funded at `per_pupil` each.
local function cases(level, q, pupils, per_pupil)
  local RULE = "education.public_funds_" .. level
  local KEY = "edu.public_funds." .. level
  local SPEND = "edu.public_funds.spend." .. level
  local PUPILS = "edu.pupils." .. level
  local case = kit.cases_of(RULE)
  return {
    case {
      name = level .. ": a city above the national quota passes",
      year = 2019,
      city = "440100",
      facts = { [PUPILS] = pupils, [SPEND] = pupils * per_pupil },
      standards = { [KEY] = { national = q } },
      expect = { outcome = "pass", measured = per_pupil, required = q },
    },
    case {
      name = level .. ": a city below the national quota fails",
      year = 2019,
      city = "445300",
      facts = { [PUPILS] = 30600, [SPEND] = 18000000 },
      standards = { [KEY] = { national = q } },
      expect = { outcome = "fail", measured = 18000000 / 30600, required = q },
    },
    case {
      name = level .. ": a city exactly at the quota passes",
      year = 2018,
      city = "441400",
      facts = { [PUPILS] = 52440, [SPEND] = q * 52440 },
      standards = { [KEY] = { national = q } },
      expect = { outcome = "pass", measured = q, required = q },
    },
    case {
      name = level .. ": a provincial quota above the national one binds",
      year = 2020,
      city = "440700",
      facts = { [PUPILS] = 10000,
                [SPEND] = 10000 * q + 5000000 },
      standards = { [KEY] = { national = q, provincial = q + 600 } },
      expect = { outcome = "fail", measured = q + 500, required = q + 600 },
    },
    case {
      name = level .. ": a city without its pupil count is a data gap",
      year = 2019,
      city = "440200",
      facts = { [SPEND] = 30000000 },
      standards = { [KEY] = { national = q } },
      expect = { outcome = "missing" },
    },
    case {
      name = level .. ": a city with no pupils is skipped",
      year = 2019,
      city = "441700",
      facts = { [PUPILS] = 0, [SPEND] = 0 },
      standards = { [KEY] = { national = q } },
      expect = { outcome = "skip" },
    },
    case {
      name = level .. ": the quota in force in the year evaluated applies",
      year = 2020,
      city = "441400",
      facts = { [PUPILS] = { [2019] = 1000, [2020] = 1000 },
                [SPEND] = { [2019] = (q + 20) * 1000,
                            [2020] = (q + 20) * 1000 } },
      standards = { [KEY] = { national = { [2019] = q, [2020] = q + 50 } } },
      expect = { outcome = "fail", measured = q + 20, required = q + 50 },
    },
    case {
      name = level .. ": a year without a quota is skipped",
      year = 2019,
      city = "441400",
      facts = { [PUPILS] = 1000, [SPEND] = 1000000 },
      expect = { outcome = "skip" },
    },
    case {
      name = level .. ": a county is evaluated too: one below the quota "
        .. "fails while its city passes",
      year = 2019,
      regions = kit.regions("441400", "441422", "441402"),
      -- 大埔县 500 pupils at q − 30, 梅江区 1500 at q + 30; 梅州市's own row
      -- is their sum: (500 × (q − 30) + 1500 × (q + 30)) ÷ 2000 = q + 15.
      facts = {
        ["441400"] = { [PUPILS] = 2000, [SPEND] = 2000 * (q + 15) },
        ["441422"] = { [PUPILS] = 500, [SPEND] = 500 * (q - 30) },
        ["441402"] = { [PUPILS] = 1500, [SPEND] = 1500 * (q + 30) },
      },
      standards = { [KEY] = { national = q } },
      expect = {
        ["441400"] = { outcome = "pass", measured = q + 15, required = q },
        ["441422"] = { outcome = "fail", measured = q - 30, required = q },
        ["441402"] = { outcome = "pass", measured = q + 30, required = q },
      },
    },
  }
end

local all = {}
for _, level in ipairs({ cases("primary", 650, 1454060, 1200),
                         cases("junior", 850, 612236, 1500) }) do
  for _, c in ipairs(level) do
    all[#all + 1] = c
  end
end
return all
