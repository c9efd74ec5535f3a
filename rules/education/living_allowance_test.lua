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
local standards = { [P_KEY] = { national = 1000 }, [J_KEY] = { national = 1250 } }
-- 江门 pays 1050 and 1300 per pupil in 2019 and 2020; both standards rise
-- by 100 in 2020.
local jiangmen = { ["440700"] = { [P_BEN] = 1000, [P_SPEND] = 1050000,
                                  [J_BEN] = 1000, [J_SPEND] = 1300000 } }
local raised_in_2020 = {
  [P_KEY] = { national = { [2019] = 1000, [2020] = 1100 } },
  [J_KEY] = { national = { [2019] = 1250, [2020] = 1350 } },
}

return {
  {
    name = "a city paying above both standards passes both rules",
    year = 2019,
    regions = kit.regions("441400"),
    facts = { ["441400"] = { [P_BEN] = 3154, [P_SPEND] = 3154 * 1100,
                             [J_BEN] = 1752, [J_SPEND] = 1752 * 1375 } },
    standards = standards,
    expect = {
      [PRIMARY] = { ["441400"] = { outcome = "pass", measured = 1100,
                                   required = 1000, unit = "元/生·年" } },
      [JUNIOR] = { ["441400"] = { outcome = "pass", measured = 1375,
                                  required = 1250 } },
    },
  },
  {
    name = "a city paying primary pupils less than 1000 fails that rule only",
    year = 2019,
    regions = kit.regions("445300"),
    facts = { ["445300"] = { [P_BEN] = 2000, [P_SPEND] = 1900000,
                             [J_BEN] = 1000, [J_SPEND] = 1250000 } },
    standards = standards,
    expect = {
      [PRIMARY] = { ["445300"] = { outcome = "fail", measured = 950,
                                   required = 1000 } },
      [JUNIOR] = { ["445300"] = { outcome = "pass", measured = 1250,
                                  required = 1250 } },
    },
  },
  {
    name = "the standard in force in the year evaluated applies (2019)",
    year = 2019,
    regions = kit.regions("440700"),
    facts = jiangmen,
    standards = raised_in_2020,
    expect = {
      [PRIMARY] = { ["440700"] = { outcome = "pass", required = 1000 } },
      [JUNIOR] = { ["440700"] = { outcome = "pass", required = 1250 } },
    },
  },
  {
    name = "the standard in force in the year evaluated applies (2020, raised)",
    year = 2020,
    regions = kit.regions("440700"),
    facts = jiangmen,
    standards = raised_in_2020,
    expect = {
      [PRIMARY] = { ["440700"] = { outcome = "fail", measured = 1050,
                                   required = 1100 } },
      [JUNIOR] = { ["440700"] = { outcome = "fail", measured = 1300,
                                  required = 1350 } },
    },
  },
  {
    name = "a provincial standard above the national one binds",
    year = 2019,
    regions = kit.regions("441300"),
    facts = { ["441300"] = { [P_BEN] = 100, [P_SPEND] = 110000,
                             [J_BEN] = 100, [J_SPEND] = 130000 } },
    standards = { [P_KEY] = { national = 1000, provincial = 1200 },
                  [J_KEY] = { national = 1250 } },
    expect = {
      [PRIMARY] = { ["441300"] = { outcome = "fail", measured = 1100,
                                   required = 1200 } },
    },
  },
  {
    name = "a city without its junior beneficiary count is a data gap for that rule",
    year = 2019,
    regions = kit.regions("441500"),
    facts = { ["441500"] = { [P_BEN] = 2189, [P_SPEND] = 2189 * 1040,
                             [J_SPEND] = 1216 * 1300 } },
    standards = standards,
    expect = { [PRIMARY] = { ["441500"] = { outcome = "pass" } },
      [JUNIOR] = { ["441500"] = { outcome = "missing" } },
    },
  },
  {
    name = "a city with no boarding pupils in difficulty is skipped",
    year = 2019,
    regions = kit.regions("440300"),
    facts = { ["440300"] = { [P_BEN] = 0, [P_SPEND] = 0,
                             [J_BEN] = 0, [J_SPEND] = 0 } },
    standards = standards,
    expect = { [PRIMARY] = { ["440300"] = { outcome = "skip" } },
      [JUNIOR] = { ["440300"] = { outcome = "skip" } },
    },
  },
  {
    name = "a year without a standard is skipped",
    year = 2019,
    regions = kit.regions("440300"),
    facts = { ["440300"] = { [P_BEN] = 10, [P_SPEND] = 10000,
                             [J_BEN] = 10, [J_SPEND] = 12500 } },
    expect = { [PRIMARY] = { ["440300"] = { outcome = "skip" } },
      [JUNIOR] = { ["440300"] = { outcome = "skip" } },
    },
  },
}
