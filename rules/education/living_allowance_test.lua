-- Tests of education.living_allowance_primary and _junior: the living
-- allowance per boarding pupil in difficulty (spend ÷ beneficiaries)
-- against the binding standard (national 1000 primary, 1250 junior).
local PRIMARY = "education.living_allowance_primary"
local JUNIOR = "education.living_allowance_junior"
local P_KEY, J_KEY = "edu.living_allowance.primary", "edu.living_allowance.junior"
local P_BEN = "edu.living_allowance.beneficiaries.primary"
local J_BEN = "edu.living_allowance.beneficiaries.junior"
local P_SPEND = "edu.living_allowance.spend.primary"
local J_SPEND = "edu.living_allowance.spend.junior"
local kit = require "testkit"
local case = kit.cases_of(PRIMARY, JUNIOR)
local standards = { [P_KEY] = { national = 1000 }, [J_KEY] = { national = 1250 } }
-- 江门 pays 1050 and 1300 per pupil in 2019 and 2020; both standards rise
-- by 100 in 2020.
local jiangmen = { [P_BEN] = 1000, [P_SPEND] = 1050000,
                  [J_BEN] = 1000, [J_SPEND] = 1300000 }
local raised_in_2020 = {
  [P_KEY] = { national = { [2019] = 1000, [2020] = 1100 } },
  [J_KEY] = { national = { [2019] = 1250, [2020] = 1350 } },
}

return {
  case {
    name = "a city paying above both standards passes both rules",
    year = 2019,
    city = "441400",
    facts = { [P_BEN] = 3154, [P_SPEND] = 3154 * 1100,
              [J_BEN] = 1752, [J_SPEND] = 1752 * 1375 },
    standards = standards,
    expect = {
      [PRIMARY] = { outcome = "pass", measured = 1100,
                    required = 1000, unit = "元/生·年" },
      [JUNIOR] = { outcome = "pass", measured = 1375,
                   required = 1250 },
    },
  },
  case {
    name = "a city paying primary pupils less than 1000 fails that rule only",
    year = 2019,
    city = "445300",
    facts = { [P_BEN] = 2000, [P_SPEND] = 1900000,
              [J_BEN] = 1000, [J_SPEND] = 1250000 },
    standards = standards,
    expect = {
      [PRIMARY] = { outcome = "fail", measured = 950,
                    required = 1000 },
      [JUNIOR] = { outcome = "pass", measured = 1250,
                   required = 1250 },
    },
  },
  case {
    name = "the standard in force in the year evaluated applies (2019)",
    year = 2019,
    city = "440700",
    facts = jiangmen,
    standards = raised_in_2020,
    expect = {
      [PRIMARY] = { outcome = "pass", required = 1000 },
      [JUNIOR] = { outcome = "pass", required = 1250 },
    },
  },
  case {
    name = "the standard in force in the year evaluated applies (2020, raised)",
    year = 2020,
    city = "440700",
    facts = jiangmen,
    standards = raised_in_2020,
    expect = {
      [PRIMARY] = { outcome = "fail", measured = 1050,
                    required = 1100 },
      [JUNIOR] = { outcome = "fail", measured = 1300,
                   required = 1350 },
    },
  },
  case {
    name = "a provincial standard above the national one binds",
    year = 2019,
    city = "441300",
    facts = { [P_BEN] = 100, [P_SPEND] = 110000,
              [J_BEN] = 100, [J_SPEND] = 130000 },
    standards = { [P_KEY] = { national = 1000, provincial = 1200 },
                  [J_KEY] = { national = 1250 } },
    expect = {
      [PRIMARY] = { outcome = "fail", measured = 1100,
                    required = 1200 },
    },
  },
  case {
    name = "a city without its junior beneficiary count is a data gap for that rule",
    year = 2019,
    city = "441500",
    facts = { [P_BEN] = 2189, [P_SPEND] = 2189 * 1040,
              [J_SPEND] = 1216 * 1300 },
    standards = standards,
    expect = {
      [PRIMARY] = { outcome = "pass" },
      [JUNIOR] = { outcome = "missing" },
    },
  },
  case {
    name = "a city with no boarding pupils in difficulty is skipped",
    year = 2019,
    city = "440300",
    facts = { [P_BEN] = 0, [P_SPEND] = 0,
              [J_BEN] = 0, [J_SPEND] = 0 },
    standards = standards,
    expect = {
      [PRIMARY] = { outcome = "skip" },
      [JUNIOR] = { outcome = "skip" },
    },
  },
  case {
    name = "a year without a standard is skipped",
    year = 2019,
    city = "440300",
    facts = { [P_BEN] = 10, [P_SPEND] = 10000,
              [J_BEN] = 10, [J_SPEND] = 12500 },
    expect = {
      [PRIMARY] = { outcome = "skip" },
      [JUNIOR] = { outcome = "skip" },
    },
  },
  case {
    name = "a county is evaluated too: one below the standard fails while its city passes",
    year = 2019,
    regions = kit.regions("440800", "440825", "440802"),
    -- 徐闻县 200 primary at 950 and 100 junior at 1300; 赤坎区 100 primary
    -- at 1200 and 50 junior at 1300; 湛江市's row is their sum: primary
    -- (190000 + 120000) ÷ 300 = 1033.33, junior 195000 ÷ 150 = 1300.
    facts = {
      ["440800"] = { [P_BEN] = 300, [P_SPEND] = 310000,
                     [J_BEN] = 150, [J_SPEND] = 195000 },
      ["440825"] = { [P_BEN] = 200, [P_SPEND] = 190000,
                     [J_BEN] = 100, [J_SPEND] = 130000 },
      ["440802"] = { [P_BEN] = 100, [P_SPEND] = 120000,
                     [J_BEN] = 50, [J_SPEND] = 65000 },
    },
    standards = standards,
    expect = {
      [PRIMARY] = {
        ["440800"] = { outcome = "pass", measured = 310000 / 300, required = 1000 },
        ["440825"] = { outcome = "fail", measured = 950, required = 1000 },
        ["440802"] = { outcome = "pass", measured = 1200, required = 1000 },
      },
      [JUNIOR] = {
        ["440800"] = { outcome = "pass", measured = 1300, required = 1250 },
        ["440825"] = { outcome = "pass", measured = 1300, required = 1250 },
        ["440802"] = { outcome = "pass", measured = 1300, required = 1250 },
      },
    },
  },
}
