/*
 * fuzz_tests.c - libFuzzer harness of the rule-test runner and its fixture
 * loader (er_test_run): the input is the text of a _test.lua file, run
 * against a fixed rules folder (one file with a city-level compliance rule
 * that reads facts, standards, shares, transfers and other regions, and a
 * province-level rule that needs it and distributes an amount). The rules'
 * id and file name are those of the shipped health.public_health_per_capita,
 * so that its test file, a seed, runs its cases for real. Each case builds
 * an in-memory database with the real schema and evaluates in process.
 *
 * Checked beyond the sanitizers: er_test_run reports a readable test file
 * as run (ER_OK), whatever it holds.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char rule_file[] =
    "return {\n"
    "  {\n"
    "    id = \"health.public_health_per_capita\",\n"
    "    title = \"fuzz: funding per resident against the standard\",\n"
    "    basis = \"tests/fuzz/fuzz_tests.c\",\n"
    "    item = \"health.public_health\",\n"
    "    kind = \"compliance\",\n"
    "    level = \"city\",\n"
    "    params = { factor = 1 },\n"
    "    evaluate = function(r)\n"
    "      local standard = r:standard(\"health.public_health\")\n"
    "      if not standard then return skip(\"no standard\") end\n"
    "      local pop = r:fact(\"pop.resident\")\n"
    "      if pop <= 0 then return skip(\"no residents\") end\n"
    "      local spend = r:fact(\"health.public_health.spend\")\n"
    "      local share = r:share(\"health.public_health\") or 0\n"
    "      local paid = r:transfer(\"health.public_health\")\n"
    "      local up = r.parent and r:region(r.parent)\n"
    "      local local_std = r:standard(\"health.public_health\", \"local\")\n"
    "      return at_least(spend / pop, standard * params.factor, {\n"
    "        unit = \"元/人\", warn_within = 0.05,\n"
    "        note = string.format(\"share %.2f, paid %.0f, under %s, %s\",\n"
    "          share, paid, up and up.name or \"-\",\n"
    "          local_std and \"local standard\" or \"-\"),\n"
    "      })\n"
    "    end,\n"
    "  },\n"
    "  {\n"
    "    id = \"health.public_health_shortfall\",\n"
    "    title = \"fuzz: the province spreads a pool over the cities "
    "below\",\n"
    "    basis = \"tests/fuzz/fuzz_tests.c\",\n"
    "    item = \"health.public_health\",\n"
    "    kind = \"allocation\",\n"
    "    level = \"province\",\n"
    "    needs = { \"health.public_health_per_capita\" },\n"
    "    params = { pool = 1000000 },\n"
    "    evaluate = function(r)\n"
    "      local below = {}\n"
    "      for _, c in ipairs(r:children(\"city\")) do\n"
    "        local f = r:result(\"health.public_health_per_capita\")\n"
    "        f = c:result(\"health.public_health_per_capita\")\n"
    "        if f and f.outcome == \"fail\" then below[#below + 1] = c.code end\n"
    "      end\n"
    "      if #below == 0 then return pass(\"none below\") end\n"
    "      local each = {}\n"
    "      for _, code in ipairs(below) do each[code] = params.pool / #below end\n"
    "      return distribute(each, \"shortfall\")\n"
    "    end,\n"
    "  },\n"
    "}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *scratch = fuzz_scratch();
    static char rules[4200], test[4400];
    if (!scratch)
        abort();
    if (!rules[0]) {
        char folder[4300], file[4400];
        snprintf(rules, sizeof rules, "%s/rules", scratch);
        snprintf(folder, sizeof folder, "%s/health", rules);
        snprintf(file, sizeof file, "%s/public_health_per_capita.lua", folder);
        snprintf(test, sizeof test, "%s/public_health_per_capita_test.lua",
                 folder);
        if (mkdir(rules, 0700) != 0 || mkdir(folder, 0700) != 0)
            abort();
        fuzz_write(file, rule_file, sizeof rule_file - 1);
    }
    fuzz_write(test, data, size);

    const char *paths[] = {test, NULL};
    er_test_opts o = {0};
    er_test_stats stats;
    o.rules_dir = rules;
    FILE *out = getenv("FUZZ_VERBOSE") ? stderr : fuzz_null();
    if (er_test_run(paths, &o, out, &stats) != ER_OK) {
        fprintf(stderr, "fuzz_tests: the test file did not run: %s\n",
                er_errmsg());
        abort();
    }
    return 0;
}
