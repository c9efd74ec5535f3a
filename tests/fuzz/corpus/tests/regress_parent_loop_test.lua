-- Regression (fuzz_tests, a timeout): regions whose parents loop made the
-- search for a local standard walk up the tree forever (r:standard), and
-- r:children(level) walk down it forever. The snapshot now refuses such
-- data: each case fails with "region ...: its parents loop (...)".
return {
  { name = "a province under its own city", year = 2019,
    regions = { { code = "440000", level = "province", parent = "441400" },
                { code = "441400", level = "city", parent = "440000" } },
    facts = { ["441400"] = { ["pop.resident"] = 5, ["health.public_health.spend"] = 100 } },
    standards = { ["health.public_health"] = { national = 69, ["local"] = { ["440000"] = 70 } } },
    expect = { ["health.public_health_per_capita"] = { ["441400"] = { outcome = "fail" } } },
  },
  { name = "a city its own parent", year = 2019,
    regions = { { code = "440000", level = "province" },
                { code = "441600", level = "city", parent = "441600" } },
    facts = { ["441600"] = { ["pop.resident"] = 5, ["health.public_health.spend"] = 100 } },
    standards = { ["health.public_health"] = { national = 69 } },
    expect = { ["health.public_health_per_capita"] = { ["441600"] = { outcome = "fail" } } },
  },
}
