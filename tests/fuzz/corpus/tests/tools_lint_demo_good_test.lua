-- Tests of demo.good (a lint fixture: its presence is what lint checks).
return {
  {
    name = "a city at the standard passes",
    year = 2019,
    regions = { { code = "440000", level = "province" },
                { code = "440100", level = "city", parent = "440000" } },
    facts = { ["440100"] = { ["pop.resident"] = 10,
                             ["health.public_health.spend"] = 690 } },
    standards = { ["health.public_health"] = { national = 69 } },
    expect = { ["demo.good"] = { ["440100"] = { outcome = "pass" } } },
  },
}
