-- Tests of education.textbooks_coverage: pupils given free textbooks ÷
-- compulsory-education pupils (primary + junior) against
-- params.min_coverage (1.0 unless a run overrides it).
local RULE = "education.textbooks_coverage"
local GIVEN = "edu.textbooks.pupils"
local PRIMARY = "edu.pupils.primary"
local JUNIOR = "edu.pupils.junior"
local province = { code = "440000", level = "province", name = "广东省" }
local function city(code, name, zone, tier)
  return { code = code, level = "city", parent = "440000", name = name,
           zone = zone, tier = tier }
end

return {
  {
    name = "a city giving every pupil free textbooks passes",
    year = 2019,
    regions = { province, city("440200", "韶关市", "north", 1) },
    facts = { ["440200"] = { [PRIMARY] = 363600, [JUNIOR] = 151500,
                             [GIVEN] = 515100 } },
    expect = { [RULE] = { ["440200"] = {
      outcome = "pass", measured = 1, required = 1, unit = "比例",
      note = "免费教科书发放 515100 人" } } },
  },
  {
    name = "a city leaving 1% of its pupils out fails",
    year = 2019,
    regions = { province, city("445200", "揭阳市", "east", 1) },
    facts = { ["445200"] = { [PRIMARY] = 7000, [JUNIOR] = 3000,
                             [GIVEN] = 9900 } },
    expect = { [RULE] = { ["445200"] = {
      outcome = "fail", measured = 0.99, required = 1 } } },
  },
  {
    name = "a city exactly at a lowered target passes",
    year = 2019,
    regions = { province, city("445200", "揭阳市", "east", 1) },
    facts = { ["445200"] = { [PRIMARY] = 7000, [JUNIOR] = 3000,
                             [GIVEN] = 9900 } },
    params = { [RULE] = { min_coverage = 0.99 } },
    expect = { [RULE] = { ["445200"] = {
      outcome = "pass", measured = 0.99, required = 0.99 } } },
  },
  {
    name = "the counts of the year evaluated are used",
    year = 2020,
    regions = { province, city("441400", "梅州市", "north", 1) },
    facts = { ["441400"] = {
      [PRIMARY] = { [2019] = 52560, [2020] = 52680 },
      [JUNIOR] = { [2019] = 21900, [2020] = 21950 },
      [GIVEN] = { [2019] = 74460, [2020] = 74460 } } },
    -- 2020: 74460 ÷ (52680 + 21950) = 0.997722
    expect = { [RULE] = { ["441400"] = {
      outcome = "fail", measured = 0.997722 } } },
  },
  {
    name = "a city without its count of textbooks given is a data gap",
    year = 2019,
    regions = { province, city("441800", "清远市", "north", 1) },
    facts = { ["441800"] = { [PRIMARY] = 46680, [JUNIOR] = 19450 } },
    expect = { [RULE] = { ["441800"] = { outcome = "missing" } } },
  },
  {
    name = "a city with no pupils is skipped",
    year = 2019,
    regions = { province, city("441700", "阳江市", "west", 1) },
    facts = { ["441700"] = { [PRIMARY] = 0, [JUNIOR] = 0, [GIVEN] = 0 } },
    expect = { [RULE] = { ["441700"] = { outcome = "skip" } } },
  },
}
