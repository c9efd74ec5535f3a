-- Tests of education.textbooks_coverage: pupils given free textbooks ÷
-- compulsory-education pupils (primary + junior) against
-- params.min_coverage (1.0 unless a run overrides it).
local RULE = "education.textbooks_coverage"
local GIVEN = "edu.textbooks.pupils"
local PRIMARY = "edu.pupils.primary"
local JUNIOR = "edu.pupils.junior"
local kit = require "testkit"
local case = kit.cases_of(RULE)

return {
  case {
    name = "a city giving every pupil free textbooks passes",
    year = 2019,
    city = "440200",
    facts = { [PRIMARY] = 363600, [JUNIOR] = 151500,
              [GIVEN] = 515100 },
    expect = {
      outcome = "pass", measured = 1, required = 1, unit = "比例",
      note = "免费教科书发放 515100 人" },
  },
  case {
    name = "a city leaving 1% of its pupils out fails",
    year = 2019,
    city = "445200",
    facts = { [PRIMARY] = 7000, [JUNIOR] = 3000,
              [GIVEN] = 9900 },
    expect = { outcome = "fail", measured = 0.99, required = 1 },
  },
  case {
    name = "a city exactly at a lowered target passes",
    year = 2019,
    city = "445200",
    facts = { [PRIMARY] = 7000, [JUNIOR] = 3000,
              [GIVEN] = 9900 },
    params = { [RULE] = { min_coverage = 0.99 } },
    expect = { outcome = "pass", measured = 0.99, required = 0.99 },
  },
  case {
    name = "the counts of the year evaluated are used",
    year = 2020,
    city = "441400",
    facts = {
      [PRIMARY] = { [2019] = 52560, [2020] = 52680 },
      [JUNIOR] = { [2019] = 21900, [2020] = 21950 },
      [GIVEN] = { [2019] = 74460, [2020] = 74460 } },
    -- 2020: 74460 ÷ (52680 + 21950) = 0.997722
    expect = { outcome = "fail", measured = 0.997722 },
  },
  case {
    name = "a city without its count of textbooks given is a data gap",
    year = 2019,
    city = "441800",
    facts = { [PRIMARY] = 46680, [JUNIOR] = 19450 },
    expect = { outcome = "missing" },
  },
  case {
    name = "a city with no pupils is skipped",
    year = 2019,
    city = "441700",
    facts = { [PRIMARY] = 0, [JUNIOR] = 0, [GIVEN] = 0 },
    expect = { outcome = "skip" },
  },
  case {
    name = "a county is evaluated too: one short of full coverage fails while its city is covered",
    year = 2019,
    regions = kit.regions("440100", "440117"),
    -- 从化区 gives textbooks to 9,990 of its 10,000 pupils (0.999); 广州市's
    -- own row reports every pupil covered.
    facts = {
      ["440100"] = { [PRIMARY] = 1000000, [JUNIOR] = 400000,
                     [GIVEN] = 1400000 },
      ["440117"] = { [PRIMARY] = 7000, [JUNIOR] = 3000, [GIVEN] = 9990 },
    },
    expect = {
      ["440100"] = { outcome = "pass", measured = 1, required = 1 },
      ["440117"] = { outcome = "fail", measured = 0.999, required = 1 },
    },
  },
}
