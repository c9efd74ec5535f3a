/*
 * test_params.c - what-if params (`--set RULE.PARAM=VALUE`) as a run
 * records them: the command line in run.options, the effective params of
 * each rule in run_rule.params, and the findings computed with them; a
 * rule without overrides keeps its own params.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

static int setup(void **state)
{
    harness *h = h_new();
    h_small_province(h);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

static void test_params__run_records_overrides(void **state)
{
    harness *h = *state;
    h_rule(h, "health/floor.lua", "health.floor", "compliance", "city",
           "params = { floor = 60, label = 'x', strict = false },",
           "    local v = r:fact('pop.resident') / 1e5\n"
           "    return at_least(v, params.floor, { note = params.label })");
    h_rule(h, "health/other.lua", "health.other", "compliance", "city",
           "params = { floor = 1 },", "    return pass()");
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    const char *sets[] = {"health.floor.floor=140.5",
                          "health.floor.label=what-if",
                          "health.floor.strict=true", NULL};
    er_run_opts o = {.year_from = 2019, .sets = sets, .jobs = 0,
                     .options = "run --set health.floor.floor=140.5 --set "
                                "health.floor.label=what-if --set "
                                "health.floor.strict=true",
                     .user = "tester"};
    assert_int_equal(er_run(h->db, h->rs, &o, &h->run), ER_OK);
    assert_string_equal(h_text(h, "SELECT options FROM run"),
                        "run --set health.floor.floor=140.5 --set "
                        "health.floor.label=what-if --set "
                        "health.floor.strict=true");
    assert_string_equal(h_text(h, "SELECT params FROM run_rule WHERE rule = "
                                  "'health.floor'"),
                        "{\"floor\":140.5,\"label\":\"what-if\","
                        "\"strict\":true}");
    assert_string_equal(h_text(h, "SELECT params FROM run_rule WHERE rule = "
                                  "'health.other'"),
                        "{\"floor\":1}");
    /* 广州 153.089 passes 140.5; 梅州 43.8 fails; the note is the label */
    h_expect(h, "health.floor", "440100", 2019, "pass", "what-if");
    h_expect(h, "health.floor", "441400", 2019, "fail", "what-if");
    h_finding f = h_get(h, "health.floor", "441400", 2019);
    assert_true(f.has_required);
    assert_true(f.required == 140.5);

    /* a run without overrides records the params as written */
    er_run_opts plain = {.year_from = 2019, .jobs = 0, .user = "tester"};
    assert_int_equal(er_run(h->db, h->rs, &plain, &h->run), ER_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT params FROM run_rule WHERE run = %lld AND rule = "
             "'health.floor'",
             (long long)h->run);
    assert_string_equal(h_text(h, sql),
                        "{\"floor\":60,\"label\":\"x\",\"strict\":false}");
}

static void test_params__bad_overrides_are_usage_errors(void **state)
{
    harness *h = *state;
    h_rule(h, "health/floor.lua", "health.floor", "compliance", "city",
           "params = { floor = 60 },", "    return pass()");
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    static const char *const cases[][2] = {
        {"health.floor.nope=1", "rule 'health.floor' has no param 'nope'"},
        {"health.none.floor=1", "no rule 'health.none'"},
        {"health.floor.floor=abc", "'abc' is not a number"},
        {"floor", "expected RULE.PARAM=VALUE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *sets[] = {cases[i][0], NULL};
        er_run_opts o = {.year_from = 2019, .sets = sets, .jobs = 0};
        assert_int_equal(er_run(h->db, h->rs, &o, NULL), ER_EUSAGE);
        assert_non_null(strstr(er_errmsg(), cases[i][1]));
    }
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), 0);
}

static void test_params__undeclared_read_is_an_error_never_missing(
    void **state)
{
    harness *h = *state;
    /* a misspelt name: the finding is an error naming the rule, the name,
     * the close one and the declared ones, not a data gap */
    h_rule(h, "health/staff.lua", "health.staff", "compliance", "city",
           "params = { min_per_1000 = 3.5, label = 'x' },",
           "    return at_least(r:fact('pop.resident') / 1000, "
           "params.min_per_100)");
    /* a pcall in the rule does not hide it, and a data gap read after it
     * does not turn it into `missing` */
    h_rule(h, "health/hidden.lua", "health.hidden", "compliance", "city",
           "params = { floor = 1 },",
           "    local ok, v = pcall(function() return params.flor end)\n"
           "    return at_least(r:fact('no.such.metric'), ok and v or 1)");
    /* rawget is no way round it */
    h_rule(h, "health/raw.lua", "health.raw", "compliance", "city",
           "params = { floor = 1 },",
           "    return at_least(rawget(params, 'floor'), "
           "rawget(params, 'flor'))");
    /* a rule without params */
    h_rule(h, "health/none.lua", "health.none", "compliance", "city", "",
           "    return at_least(1, params.floor)");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.staff", "440100", 2019, "error",
             h_at(h, "health/staff.lua", 9,
                  "rule 'health.staff' has no param 'min_per_100' (did you "
                  "mean min_per_1000? declared: label, min_per_1000)"));
    h_expect(h, "health.hidden", "441400", 2019, "error",
             h_at(h, "health/hidden.lua", 9,
                  "rule 'health.hidden' has no param 'flor' (did you mean "
                  "floor? declared: floor)"));
    h_expect(h, "health.raw", "440100", 2019, "error",
             h_at(h, "health/raw.lua", 9,
                  "rule 'health.raw' has no param 'flor' (did you mean "
                  "floor? declared: floor)"));
    h_expect(h, "health.none", "440100", 2019, "error",
             h_at(h, "health/none.lua", 9,
                  "rule 'health.none' has no param 'floor' (it declares no "
                  "params)"));
    assert_int_equal(h_count(h, "SELECT count(*) FROM finding WHERE outcome "
                                "= 'missing'"),
                     0);
}

static void test_params__are_read_only_and_pairs_keeps_its_order(
    void **state)
{
    harness *h = *state;
    h_rule(h, "health/write.lua", "health.write", "compliance", "city",
           "params = { floor = 60 },",
           "    params.floor = 1\n"
           "    return pass()");
    h_rule(h, "health/list.lua", "health.list", "compliance", "city",
           "params = { c = 3, a = 1, b = 'two' },",
           "    local t = {}\n"
           "    for k, v in pairs(params) do t[#t + 1] = k .. '=' .. v end\n"
           "    local k1 = next(params)\n"
           "    return pass(table.concat(t, ',') .. ' ' .. tostring(k1 ~= nil))");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.write", "440100", 2019, "error",
             h_at(h, "health/write.lua", 9,
                  "params are read-only (override them with --set)"));
    h_expect(h, "health.list", "440100", 2019, "pass", "a=1,b=two,c=3 true");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_params__run_records_overrides),
        T(test_params__bad_overrides_are_usage_errors),
        T(test_params__undeclared_read_is_an_error_never_missing),
        T(test_params__are_read_only_and_pairs_keeps_its_order),
    };
#undef T
    return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
