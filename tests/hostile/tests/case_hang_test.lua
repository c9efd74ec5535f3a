-- Hostile test file: a case that runs a rule whose evaluation backtracks
-- for ever in a pattern (hostile/pattern_bomb.lua). `test` stops it at the
-- deadline and fails this file, naming the rule, its file and the region.
-- expect-test: timeout: evaluating hostile.pattern_bomb (RULES/hostile/pattern_bomb.lua:9) for 440000 广东省 in 2019 did not finish within 1 s and was stopped (a hang the instruction limit cannot stop)
return {
  {
    name = "a case whose rule hangs in C code",
    year = 2019,
    rules = { "hostile.pattern_bomb" },
    regions = { { code = "440000", level = "province", name = "广东省" } },
    expect = { ["hostile.pattern_bomb"] = { ["440000"] = { outcome = "pass" } } },
  },
}
