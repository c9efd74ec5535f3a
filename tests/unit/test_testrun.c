/*
 * test_testrun.c - `equirule test` as a CI server sees it (testrun.c): the
 * JUnit XML report (a testsuite per test file, a testcase per case, the
 * failure message as the console prints it, a file that cannot be loaded
 * as an error, every name escaped), the counts, and --set in every case;
 * what a test file can require that a rule file cannot; the test-case
 * schema (a typo anywhere fails the case, naming it); a test of nothing,
 * or of a rule that does not load, failing; and PATHs that find their
 * tests and their rules folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

__attribute__((noinline)) static char *slurp(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(er_read_file(path, &text, &len), ER_OK);
    return text;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, at = 0, len = strlen(needle);
    const char *p;
    while ((p = strstr(hay + at, needle)) != NULL) {
        n++;
        at = (size_t)(p - hay) + len;
    }
    return n;
}

static void test_testrun__junit_of_the_fixture(void **state)
{
    harness *h = *state;
    char junit[256];
    snprintf(junit, sizeof junit, "%s/junit.xml", h->dir);
    er_test_opts o = {.rules_dir = ER_FIXTURES_DIR "/tools/coverage",
                      .junit = junit};
    FILE *fp = fopen("/dev/null", "w");
    er_test_stats st;
    assert_int_equal(er_test_run(NULL, &o, fp, &st), ER_OK);
    fclose(fp);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.cases, 3);
    assert_int_equal(st.passed, 2);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.lines_runnable, 0); /* coverage was not asked */

    char *x = slurp(junit);
    static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert_true(strncmp(x, decl, sizeof decl - 1) == 0);
    assert_non_null(strstr(x, "<testsuites name=\"equirule\" tests=\"3\" "
                              "failures=\"1\" errors=\"0\""));
    assert_non_null(strstr(x, "branchy_test.lua\" tests=\"3\" failures=\"1\" "
                              "errors=\"0\""));
    assert_int_equal(count(x, "<testsuite "), 1);
    assert_int_equal(count(x, "<testcase "), 3);
    assert_int_equal(count(x, "<failure "), 1);
    assert_non_null(strstr(x, "name=\"a city above the floor passes\""));
    assert_non_null(strstr(
        x, "<failure message=\"441500 demo.branchy 2019: expected fail, got "
           "pass (measured 67, required 60)\">"));
    assert_non_null(strstr(x, "</testsuites>\n"));
    free(x);
}

static void test_testrun__junit_errors_and_escaping(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/r.lua", "demo.r", "compliance", "city", "",
           "    return pass('<ok> & \"done\"')");
    h_write(h, "demo/r_test.lua",
            "return {\n"
            "  { name = 'a <name> & \"quotes\" \\1', year = 2019,\n"
            "    regions = { { code = '440000', level = 'province' },\n"
            "                { code = '440100', level = 'city',\n"
            "                  parent = '440000' } },\n"
            "    expect = { ['demo.r'] = { ['440100'] = { outcome = 'fail' "
            "} } } },\n"
            "}\n");
    h_write(h, "demo/broken_test.lua", "return {\n");
    char junit[256];
    snprintf(junit, sizeof junit, "%s/junit.xml", h->dir);
    er_test_opts o = {.rules_dir = h->rules, .junit = junit};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    er_test_stats st;
    assert_int_equal(er_test_run(NULL, &o, fp, &st), ER_OK);
    fclose(fp);
    assert_int_equal(st.files, 2);
    assert_int_equal(st.failed, 2); /* the case and the broken file */
    assert_non_null(strstr(text, "FAIL "));
    assert_non_null(strstr(text, "broken_test.lua:2:"));
    free(text);

    char *x = slurp(junit);
    assert_non_null(strstr(x, "tests=\"2\" failures=\"1\" errors=\"1\""));
    assert_non_null(strstr(x, "name=\"(load)\""));
    assert_non_null(strstr(x, "<error message=\""));
    assert_non_null(strstr(x, "name=\"a &lt;name&gt; &amp; &quot;quotes&quot; "
                              "\xEF\xBF\xBD\""));
    assert_null(strstr(x, "<name>"));
    assert_non_null(strstr(x, "expected fail, got pass"));
    free(x);
}

static void test_testrun__report_file_that_cannot_be_written(void **state)
{
    (void)state;
    er_test_opts o = {.rules_dir = ER_FIXTURES_DIR "/tools/coverage",
                      .junit = "/nonexistent/dir/junit.xml"};
    FILE *fp = fopen("/dev/null", "w");
    assert_int_equal(er_test_run(NULL, &o, fp, NULL), ER_ERROR);
    fclose(fp);
    assert_non_null(strstr(er_errmsg(), "/nonexistent/dir/junit.xml"));
}

static void test_testrun__set_applies_to_every_case(void **state)
{
    (void)state;
    /* with the floor at 70: the first case expects required 60 and now
     * fails; the one at 50 still fails as expected; the deliberate one
     * (67, expected to fail) now holds */
    const char *sets[] = {"demo.branchy.floor=70", NULL};
    er_test_opts o = {.rules_dir = ER_FIXTURES_DIR "/tools/coverage",
                      .sets = sets};
    FILE *fp = fopen("/dev/null", "w");
    er_test_stats st;
    assert_int_equal(er_test_run(NULL, &o, fp, &st), ER_OK);
    fclose(fp);
    assert_int_equal(st.passed, 2);
    assert_int_equal(st.failed, 1);
}

/* A test file requires the test-support modules of scripts/testlib (beside
 * the rules folder, else built in: testkit) as well as the helper modules;
 * a rule file reaches neither scripts/testlib nor the built-in testkit. */
static void test_testrun__test_files_require_test_modules(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/r.lua", "demo.r", "compliance", "city", "",
           "    if r.code == '440300' then return pass(require('fx').note) "
           "end\n"
           "    if r.code == '440400' then return pass(require('testkit')) "
           "end\n"
           "    return pass(string.format('%g', require('stats').sum({1, "
           "2})))");
    h_write(h, "../scripts/testlib/fx.lua", "return { note = 'from fx' }\n");
    h_write(h, "../scripts/testlib/fy.lua",
            "return { city = { code = '440100', level = 'city', "
            "parent = '440000', name = 'fixture' } }\n");
    h_write(h, "demo/r_test.lua",
            "local fy = require 'fy'\n"
            "local kit = require 'testkit'\n"
            "local stats = require 'stats'\n"
            "assert(require 'fy' == fy and stats.sum({ 1, 2 }) == 3)\n"
            "assert(kit.city('441400').name == '梅州市')\n"
            "return {\n"
            "  { name = 'fixtures from scripts/testlib and the kit',\n"
            "    year = 2019,\n"
            "    regions = kit.regions(fy.city, '441400'),\n"
            "    expect = { ['demo.r'] = {\n"
            "      ['440100'] = { outcome = 'pass', note = '3' },\n"
            "      ['441400'] = { outcome = 'pass', note = '3' } } } },\n"
            "  { name = 'a rule cannot require a test module', year = 2019,\n"
            "    regions = kit.regions('440300', '440400'),\n"
            "    expect = { ['demo.r'] = {\n"
            "      ['440300'] = { outcome = 'error',\n"
            "                     note = \"module 'fx' not found\" },\n"
            "      ['440400'] = { outcome = 'error',\n"
            "                     note = \"module 'testkit' not found\" } } } "
            "},\n"
            "}\n");
    er_test_opts o = {.rules_dir = h->rules};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    er_test_stats st;
    assert_int_equal(er_test_run(NULL, &o, fp, &st), ER_OK);
    fclose(fp);
    if (st.passed != 2)
        fail_msg("%s", text);
    assert_int_equal(st.cases, 2);
    assert_int_equal(st.failed, 0);
    free(text);

    /* a module that does not exist anywhere: the rule require's message */
    h_write(h, "demo/r_test.lua", "local x = require 'nothing'\nreturn {}\n");
    fp = open_memstream(&text, &len);
    assert_int_equal(er_test_run(NULL, &o, fp, &st), ER_OK);
    fclose(fp);
    assert_int_equal(st.failed, 1);
    assert_non_null(strstr(text, "r_test.lua: require: module 'nothing' "
                                 "not found"));
    free(text);

    /* the kit's mistakes are loud: an unknown city, an expect of a rule
     * the builder was not given */
    h_write(h, "demo/r_test.lua",
            "local kit = require 'testkit'\n"
            "return { kit.regions('440199') }\n");
    h_write(h, "demo/s_test.lua",
            "local case = require('testkit').cases_of('demo.r')\n"
            "return { case { name = 'x', year = 2019, city = '440100',\n"
            "                expect = { ['demo.r'] = { outcome = 'pass' } } "
            "} }\n");
    fp = open_memstream(&text, &len);
    assert_int_equal(er_test_run(NULL, &o, fp, &st), ER_OK);
    fclose(fp);
    assert_int_equal(st.failed, 2);
    assert_non_null(strstr(text, "r_test.lua:2: testkit.city: no Guangdong "
                                 "city has the code 440199"));
    assert_non_null(strstr(text, "s_test.lua:2: testkit.cases_of: the case "
                                 "'x' keys expect by rule"));
    free(text);
}

/* Runs the tests of h's rules folder (rules_dir as given; NULL paths = the
 * whole folder); returns the console text (caller frees). */
static char *run_the_tests(const char *rules_dir, const char *const *paths,
                       er_test_stats *st, int want_rc)
{
    er_test_opts o = {.rules_dir = rules_dir};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_int_equal(er_test_run(paths, &o, fp, st), want_rc);
    fclose(fp);
    return text;
}

static const char staff_rule_body[] =
    "    return at_least(r:fact('pop.resident') / 1000, "
    "params.floor)";

/* A case's parent region derives its values of a metric that sums from
 * its children's as a run does (the snapshot's roll-ups): all of them, two
 * levels deep, or the value is missing; a metric outside the built-in
 * catalog does not sum. */
static void test_testrun__parents_roll_up_as_in_a_run(void **state)
{
    harness *h = *state;
    h_write(h, "demo/total.lua",
            "return {\n"
            "  id = 'demo.total', title = '合计', basis = '测试',\n"
            "  kind = 'indicator', level = 'province',\n"
            "  params = { metric = 'pop.resident' },\n"
            "  evaluate = function(r)\n"
            "    return indicator(r:fact(params.metric), 0, '>=')\n"
            "  end,\n"
            "}\n");
    h_write(h, "demo/total_test.lua",
            "local regions = {\n"
            "  { code = '440000', level = 'province' },\n"
            "  { code = '441400', level = 'city', parent = '440000' },\n"
            "  { code = '441500', level = 'city', parent = '440000' },\n"
            "  { code = '441402', level = 'county', parent = '441400' },\n"
            "  { code = '441403', level = 'county', parent = '441400' },\n"
            "}\n"
            "return {\n"
            "  { name = 'the province is the sum of its cities, 梅州 of its "
            "counties', year = 2019, regions = regions,\n"
            "    facts = { ['441402'] = { ['pop.resident'] = 100 },\n"
            "              ['441403'] = { ['pop.resident'] = 20 },\n"
            "              ['441500'] = { ['pop.resident'] = 3 } },\n"
            "    expect = { ['demo.total'] = { ['440000'] = "
            "{ outcome = 'pass', measured = 123 } } } },\n"
            "  { name = 'a county lacking its value: the province is "
            "missing', year = 2019, regions = regions,\n"
            "    facts = { ['441402'] = { ['pop.resident'] = 100 },\n"
            "              ['441500'] = { ['pop.resident'] = 3 } },\n"
            "    expect = { ['demo.total'] = { ['440000'] = "
            "{ outcome = 'missing' } } } },\n"
            "  { name = 'a stored value is kept', year = 2019, "
            "regions = regions,\n"
            "    facts = { ['440000'] = { ['pop.resident'] = 7 },\n"
            "              ['441500'] = { ['pop.resident'] = 3 } },\n"
            "    expect = { ['demo.total'] = { ['440000'] = "
            "{ outcome = 'pass', measured = 7 } } } },\n"
            "  { name = 'a metric of the case alone does not sum', "
            "year = 2019, regions = regions,\n"
            "    params = { ['demo.total'] = { metric = 'x.own' } },\n"
            "    facts = { ['441400'] = { ['x.own'] = 1 },\n"
            "              ['441500'] = { ['x.own'] = 2 } },\n"
            "    expect = { ['demo.total'] = { ['440000'] = "
            "{ outcome = 'missing' } } } },\n"
            "}\n");
    er_test_stats st;
    char *text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.cases, 4);
    if (st.passed != 4)
        fail_msg("%s", text);
    free(text);
}

/* A typo anywhere in a case fails it, naming the file, the case and the
 * key, with the key meant; the case does not run. */
static void test_testrun__unknown_keys_fail_the_case(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/r.lua", "demo.r", "compliance", "city",
           "params = { floor = 3 },", staff_rule_body);
    h_write(h, "demo/r_test.lua",
            "local kit = require 'testkit'\n"
            "local case = kit.cases_of('demo.r')\n"
            "return {\n"
            "  case { name = 'typos', year = 2019, city = '441400',\n"
            "         facts = { ['pop.resident'] = 4000 },\n"
            "         standrads = {},\n"
            "         params = { ['demo.r'] = { flor = 2 } },\n"
            "         expect = { outcome = 'passed', mesured = 4,\n"
            "                    requried = 3, amount = '1' } },\n"
            "  { name = 'regions', year = 2019,\n"
            "    regions = { kit.province, kit.city('441400', { zon = 1 }) "
            "},\n"
            "    facts = { ['441401'] = { ['pop.resident'] = 4000 } },\n"
            "    expect = { ['demo.r'] = { ['441400'] = { outcome = 'pass' "
            "},\n"
            "                              ['441500'] = false } } },\n"
            "  case { name = 'right', year = 2019, city = '441400',\n"
            "         facts = { ['pop.resident'] = 4000 },\n"
            "         expect = { outcome = 'pass', measured = 4 } },\n"
            "}\n");
    er_test_stats st;
    char *text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.cases, 3);
    assert_int_equal(st.passed, 1);
    assert_int_equal(st.failed, 2);
    static const char *const says[] = {
        "r_test.lua: case 1: unknown key 'standrads' (did you mean "
        "'standards'?)",
        "r_test.lua: case 1: params[demo.r]: unknown key 'flor' (did you "
        "mean 'floor'?)",
        "r_test.lua: case 1: expect[demo.r][441400]: outcome 'passed' is not "
        "an outcome (did you mean 'pass'?); the outcomes are pass, fail, "
        "warn, skip, cut, allocation, missing, error",
        "case 1: expect[demo.r][441400]: unknown key 'mesured' (did you mean "
        "'measured'?)",
        "case 1: expect[demo.r][441400]: unknown key 'requried' (did you "
        "mean 'required'?)",
        "case 1: expect[demo.r][441400]: amount must be a number, not a "
        "string",
        "case 2: regions[2]: unknown key 'zon' (did you mean 'zone'?)",
        "case 2: facts: no region '441401' among the case's regions (did "
        "you mean '441400'?)",
        "case 2: expect[demo.r]: no region '441500' among the case's regions",
    };
    for (size_t i = 0; i < sizeof says / sizeof says[0]; i++)
        if (!strstr(text, says[i]))
            fail_msg("missing: %s\nin:\n%s", says[i], text);
    /* the cases with mistakes did not run */
    assert_null(strstr(text, "expected passed"));
    free(text);

    /* a region's values: without its code (this crashed the child once),
     * a level that is not one, a parent not among the regions */
    h_write(h, "demo/r_test.lua",
            "return { { name = 'values', year = 2019,\n"
            "  regions = { { level = 'province' },\n"
            "              { code = '440100', level = 'City', parent = "
            "'44000' } },\n"
            "  expect = { ['demo.r'] = { ['440100'] = false } } } }\n");
    text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.failed, 1);
    assert_non_null(strstr(text, "case 1: regions[1] needs code and level"));
    assert_non_null(strstr(text, "case 1: regions[2]: level 'City' is not "
                                 "one of the levels (did you mean "
                                 "'city'?)"));
    assert_non_null(strstr(text, "case 1: regions[2]: parent '44000' is not "
                                 "among the case's regions"));
    assert_null(strstr(text, "crashed"));
    assert_null(strstr(text, "got none"));
    free(text);
}

/* A misspelt data key (a metric no rule read, next to one a rule read and
 * did not find) fails the case, even one that expects the data gap. */
static void test_testrun__misspelt_data_keys_fail_the_case(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/r.lua", "demo.r", "compliance", "city", "",
           "    return at_least(r:fact('pop.resident'), "
           "r:standard('demo.floor') or 0)");
    h_write(h, "demo/r_test.lua",
            "local case = require('testkit').cases_of('demo.r')\n"
            "return {\n"
            "  case { name = 'gap', year = 2019, city = '441400',\n"
            "         facts = { ['pop.residnet'] = 5 },\n"
            "         expect = { outcome = 'missing' } },\n"
            "  case { name = 'unread but far from any read', year = 2019,\n"
            "         city = '441400', facts = { ['pop.resident'] = 5,\n"
            "                                    ['edu.pupils'] = 1 },\n"
            "         standards = { ['demo.flor'] = { national = 9 } },\n"
            "         expect = { outcome = 'pass' } },\n"
            "  case { name = 'a sibling key, not a typo', year = 2019,\n"
            "         city = '441400', facts = { ['pop.resident'] = 5 },\n"
            "         standards = { ['demo.floor2'] = { national = 1 },\n"
            "                       ['demo.flooring'] = { national = 1 } },\n"
            "         expect = { outcome = 'pass' } },\n"
            "}\n");
    er_test_stats st;
    char *text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.failed, 2);
    /* both sides, without saying which one to change: the data's key
     * may be the right one */
    assert_non_null(strstr(text, "case 1: facts[441400]: the case gives the "
                                 "metric 'pop.residnet', which no rule "
                                 "read; a rule read 'pop.resident' and "
                                 "found nothing: one of the two is misspelt "
                                 "(the rule's key or the case's)"));
    assert_non_null(strstr(text, "case 2: standards: the case gives the "
                                 "standard 'demo.flor', which no rule read; "
                                 "a rule read 'demo.floor' and found "
                                 "nothing"));
    assert_null(strstr(text, "did you mean"));
    assert_null(strstr(text, "edu.pupils")); /* unread, but no typo */
    /* 'demo.floor' read (found nothing in case 3): floor2 and flooring
     * are other keys, not misspellings of it */
    assert_null(strstr(text, "case 3"));
    assert_int_equal(st.passed, 1);
    free(text);
}

/* Expectations that hold without testing anything: of a rule the case
 * does not run, a note "" that every note contains; a --filter that no
 * case matches. */
static void test_testrun__vacuous_expectations_fail(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/r.lua", "demo.r", "compliance", "city", "",
           "    return pass('ok')");
    h_rule(h, "demo/other.lua", "demo.other", "compliance", "city", "",
           "    return fail()");
    h_write(h, "demo/r_test.lua",
            "local case = require('testkit').cases_of('demo.r', "
            "'demo.other')\n"
            "return {\n"
            "  case { name = 'not run', year = 2019, city = '441400',\n"
            "         expect = { ['demo.r'] = { outcome = 'pass' },\n"
            "                    ['demo.other'] = false } },\n"
            "  case { name = 'empty note', year = 2019, city = '441400',\n"
            "         expect = { ['demo.r'] = { note = '' } } },\n"
            "}\n");
    er_test_stats st;
    char *text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.failed, 2);
    assert_non_null(strstr(text, "case 1: expect[demo.other]: the case does "
                                 "not run this rule"));
    assert_non_null(strstr(text, "case 2: expect[demo.r][441400]: note = "
                                 "\"\" is in every note"));
    free(text);

    er_test_opts o = {.rules_dir = h->rules, .filter = "no such case"};
    FILE *fp = fopen("/dev/null", "w");
    assert_int_equal(er_test_run(NULL, &o, fp, &st), ER_ENOTFOUND);
    fclose(fp);
    assert_non_null(strstr(er_errmsg(), "no case name contains 'no such "
                                        "case' (--filter)"));
}

/* A test file that tests nothing fails: no cases, one case not in a
 * list, a case that expects nothing. */
static void test_testrun__a_test_of_nothing_fails(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/r.lua", "demo.r", "compliance", "city", "",
           "    return pass()");
    h_write(h, "demo/r_test.lua", "return {}\n");
    er_test_stats st;
    char *text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.failed, 1);
    assert_non_null(strstr(text, "r_test.lua: the file has no cases"));
    free(text);

    h_write(h, "demo/r_test.lua",
            "return { name = 'one', year = 2019, expect = {} }\n");
    text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.failed, 1);
    assert_non_null(strstr(text, "the file returns one case"));
    free(text);

    h_write(h, "demo/r_test.lua",
            "return { { name = 'nothing', year = 2019,\n"
            "  regions = { { code = '440000', level = 'province' } } } }\n");
    text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.cases, 1);
    assert_int_equal(st.failed, 1);
    assert_non_null(strstr(text, "case 1: the case expects nothing"));
    free(text);
}

/* A rule file under test that does not load: its test file says so with
 * the rule file's line, and nothing about its cases. */
static void test_testrun__a_rule_that_fails_to_load_is_named(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/r.lua", "demo.r", "compliance", "city", "",
           "    return pass(");
    h_rule(h, "demo/ok.lua", "demo.ok", "compliance", "city", "",
           "    return pass()");
    h_write(h, "demo/r_test.lua",
            "return { { name = 'x', year = 2019,\n"
            "  regions = { { code = '440000', level = 'province' } },\n"
            "  expect = { ['demo.r'] = { ['440000'] = false } } } }\n");
    er_test_stats st;
    char *text = run_the_tests(h->rules, NULL, &st, ER_OK);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.cases, 0);
    assert_non_null(strstr(text, "failed to load; its cases did not run"));
    assert_non_null(strstr(text, "demo/r.lua:10:"));
    assert_null(strstr(text, "cases must name their rules"));
    assert_null(strstr(text, "no loaded rule"));
    assert_null(strstr(text, "rule problem")); /* told once, with its test */
    free(text);
}

/* Paths: a rule file runs its test file; the rules folder is found from
 * the path; a path that holds no test is an error. */
static void test_testrun__paths_find_their_tests_and_rules(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/r.lua", "demo.r", "compliance", "city", "",
           "    return pass()");
    h_rule(h, "demo/lonely.lua", "demo.lonely", "compliance", "city", "",
           "    return pass()");
    h_write(h, "demo/r_test.lua",
            "return { { name = 'passes', year = 2019,\n"
            "  regions = { { code = '440000', level = 'province' },\n"
            "              { code = '440100', level = 'city', parent = "
            "'440000' } },\n"
            "  expect = { ['demo.r'] = { ['440100'] = { outcome = 'pass' } "
            "} } } }\n");
    char rule[256], folder[256], lonely[256];
    snprintf(rule, sizeof rule, "%s/demo/r.lua", h->rules);
    snprintf(folder, sizeof folder, "%s/demo", h->rules);
    snprintf(lonely, sizeof lonely, "%s/demo/lonely.lua", h->rules);
    er_test_stats st;
    /* no rules_dir: found from the path (the harness's folder is not the
     * current one) */
    const char *by_rule[] = {rule, NULL};
    char *text = run_the_tests(NULL, by_rule, &st, ER_OK);
    assert_int_equal(st.files, 1);
    assert_int_equal(st.passed, 1);
    assert_non_null(strstr(text, "r_test.lua (1 case)"));
    free(text);
    const char *by_folder[] = {folder, NULL};
    free(run_the_tests(NULL, by_folder, &st, ER_OK));
    assert_int_equal(st.passed, 1);

    const char *no_test[] = {lonely, NULL};
    free(run_the_tests(NULL, no_test, &st, ER_ENOTFOUND));
    assert_non_null(strstr(er_errmsg(), "lonely.lua is a rule file, not a "
                                        "test file, and there is no"));
    h_unlink(h, "demo/r_test.lua");
    free(run_the_tests(NULL, by_folder, &st, ER_ENOTFOUND));
    assert_non_null(strstr(er_errmsg(), "demo: no test files"));
}

static int setup(void **state)
{
    *state = h_new();
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_testrun__junit_of_the_fixture),
        T(test_testrun__junit_errors_and_escaping),
        T(test_testrun__report_file_that_cannot_be_written),
        T(test_testrun__set_applies_to_every_case),
        T(test_testrun__test_files_require_test_modules),
        T(test_testrun__parents_roll_up_as_in_a_run),
        T(test_testrun__unknown_keys_fail_the_case),
        T(test_testrun__misspelt_data_keys_fail_the_case),
        T(test_testrun__vacuous_expectations_fail),
        T(test_testrun__a_test_of_nothing_fails),
        T(test_testrun__a_rule_that_fails_to_load_is_named),
        T(test_testrun__paths_find_their_tests_and_rules),
    };
#undef T
    return cmocka_run_group_tests_name("testrun", tests, NULL, NULL);
}
