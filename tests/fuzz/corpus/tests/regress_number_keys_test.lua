-- Regression (fuzz_tests): a number where a key should be a string made
-- lua_tostring turn the key into a string in place during lua_next, and
-- `equirule test` died with "unprotected Lua error: invalid key to
-- 'next'". Each table here has a number key; the case must fail with a
-- message, not crash.
return {
  { name = "number keys everywhere", year = 2019,
    regions = { { code = "440000", level = "province" },
                { code = "441400", level = "city", parent = "440000" } },
    facts = { [441400] = { ["pop.resident"] = 1 },
              ["441400"] = { [7] = 1, ["pop.resident"] = 5 } },
    standards = { [3] = { national = 1 },
                  ["health.public_health"] = { national = 69,
                                               ["local"] = { [441400] = 70 } } },
    shares = { [1] = { [1] = 0.5 } },
    transfers = { [441400] = { x = 1 } },
    params = { ["health.public_health_per_capita"] = { [1] = 2 } },
    expect = { [1] = {},
               ["health.public_health_per_capita"] = { [441400] = { outcome = "fail" } } },
  },
  { name = "a number key in expect only", year = 2019,
    regions = { { code = "440000", level = "province" },
                { code = "441400", level = "city", parent = "440000" } },
    facts = { ["441400"] = { ["pop.resident"] = 5, ["health.public_health.spend"] = 100 } },
    standards = { ["health.public_health"] = { national = 69 } },
    expect = { ["health.public_health_per_capita"] = { [441400] = { outcome = "fail" } } },
  },
}
