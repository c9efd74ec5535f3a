/*
 * test_outcome.c - the outcome constructors a rule returns (at_least,
 * at_most, pass, fail, warn, skip, missing, cut, distribute, indicator) and what the
 * engine makes of a rule that returns something else or raises: each
 * through real evaluation, read back from the stored findings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* One province-level rule per case: `return <expr>`, evaluated for 440000
 * in 2019. */
typedef struct ocase {
    const char *name;    /* rule health.<name> in health/<name>.lua */
    const char *expr;    /* what evaluate returns */
    const char *outcome; /* expected */
    const char *measured, *required, *amount; /* "%.17g" or NULL = none */
    const char *unit, *note;                  /* NULL = none */
} ocase;

static void write_cases(harness *h, const ocase *c, size_t n)
{
    char rel[128], id[128], body[1024];
    for (size_t i = 0; i < n; i++) {
        snprintf(rel, sizeof rel, "health/%s.lua", c[i].name);
        snprintf(id, sizeof id, "health.%s", c[i].name);
        snprintf(body, sizeof body,
                 "    local zero, huge = 0, 1e308\n"
                 "    return %s\n",
                 c[i].expr);
        h_rule(h, rel, id, "compliance", "province", "", body);
    }
}

static void expect_number(const char *what, const char *name, int has,
                          double got, const char *expected)
{
    if (!expected) {
        if (has)
            fail_msg("health.%s: %s is %.17g, expected none", name, what,
                     got);
        return;
    }
    if (!has)
        fail_msg("health.%s: no %s, expected %s", name, what, expected);
    double want = strtod(expected, NULL);
    if (!(fabs(got - want) <= 1e-9 * (fabs(want) > 1 ? fabs(want) : 1)))
        fail_msg("health.%s: %s is %.17g, expected %s", name, what, got,
                 expected);
}

static void check_cases(harness *h, const ocase *c, size_t n)
{
    char id[128], note[1024], rel[128];
    for (size_t i = 0; i < n; i++) {
        snprintf(id, sizeof id, "health.%s", c[i].name);
        h_finding f = h_get(h, id, "440000", 2019);
        if (strcmp(f.outcome, c[i].outcome) != 0)
            fail_msg("%s: outcome %s (%s), expected %s", id, f.outcome,
                     f.note, c[i].outcome);
        expect_number("measured", c[i].name, f.has_measured, f.measured,
                      c[i].measured);
        expect_number("required", c[i].name, f.has_required, f.required,
                      c[i].required);
        if (c[i].amount) {
            if (!f.has_amount || f.amount != strtoll(c[i].amount, NULL, 10))
                fail_msg("%s: amount %lld, expected %s", id,
                         (long long)f.amount, c[i].amount);
        } else if (f.has_amount) {
            fail_msg("%s: amount %lld, expected none", id,
                     (long long)f.amount);
        }
        assert_string_equal(f.unit, c[i].unit ? c[i].unit : "");
        /* "@msg": an error note "<file>:10: msg" */
        snprintf(rel, sizeof rel, "health/%s.lua", c[i].name);
        if (c[i].note && c[i].note[0] == '@')
            snprintf(note, sizeof note, "%s", h_at(h, rel, 10, c[i].note + 1));
        else
            snprintf(note, sizeof note, "%s", c[i].note ? c[i].note : "");
        if (strcmp(f.note, note) != 0)
            fail_msg("%s: note \"%s\", expected \"%s\"", id, f.note, note);
    }
}

static void run_cases(harness *h, const ocase *c, size_t n)
{
    write_cases(h, c, n);
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    check_cases(h, c, n);
}

/* ---- at_least / at_most ------------------------------------------------------- */

static void test_outcome__at_least_and_at_most(void **state)
{
    static const ocase cases[] = {
        {"al_pass", "at_least(70, 69)", "pass", "70", "69", NULL, NULL, NULL},
        {"al_fail", "at_least(280000000 / 4380000, 69)", "fail",
         "63.926940639269404", "69", NULL, NULL, NULL},
        {"al_bound", "at_least(69, 69)", "pass", "69", "69", NULL, NULL,
         NULL},
        {"al_neg", "at_least(-1, 0)", "fail", "-1", "0", NULL, NULL, NULL},
        {"am_pass", "at_most(0.28, 0.3)", "pass", "0.28", "0.3", NULL, NULL,
         NULL},
        {"am_fail", "at_most(0.32, 0.3)", "fail", "0.32", "0.3", NULL, NULL,
         NULL},
        {"am_bound", "at_most(0.3, 0.3)", "pass", "0.3", "0.3", NULL, NULL,
         NULL},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

static void test_outcome__warn_within_a_band(void **state)
{
    static const ocase cases[] = {
        /* at_least 69 with a 5% band: 65.55 .. 69 warns */
        {"al_warn", "at_least(67, 69, { warn_within = 0.05 })", "warn", "67",
         "69", NULL, NULL, NULL},
        {"al_edge", "at_least(65.55, 69, { warn_within = 0.05 })", "warn",
         "65.55", "69", NULL, NULL, NULL},
        {"al_below", "at_least(65, 69, { warn_within = 0.05 })", "fail",
         "65", "69", NULL, NULL, NULL},
        {"al_above", "at_least(69, 69, { warn_within = 0.05 })", "pass", "69",
         "69", NULL, NULL, NULL},
        /* at_most 0.3 with a 5% band: 0.3 .. 0.315 warns */
        {"am_warn", "at_most(0.31, 0.3, { warn_within = 0.05 })", "warn",
         "0.31", "0.3", NULL, NULL, NULL},
        {"am_over", "at_most(0.32, 0.3, { warn_within = 0.05 })", "fail",
         "0.32", "0.3", NULL, NULL, NULL},
        {"no_band", "at_least(68.99, 69, { warn_within = 0 })", "fail",
         "68.99", "69", NULL, NULL, NULL},
        {"bad_band", "at_least(67, 69, { warn_within = -0.05 })", "error",
         NULL, NULL, NULL, NULL,
         "@at_least: opts.warn_within must be a finite number >= 0"},
        {"nan_band", "at_least(67, 69, { warn_within = zero / zero })",
         "error", NULL, NULL, NULL, NULL,
         "@at_least: opts.warn_within must be a finite number >= 0"},
        {"inf_band", "at_most(0.31, 0.3, { warn_within = 1 / zero })",
         "error", NULL, NULL, NULL, NULL,
         "@at_most: opts.warn_within must be a finite number >= 0"},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

static void test_outcome__nil_bound_gives_missing(void **state)
{
    static const ocase cases[] = {
        {"nil_min", "at_least(5, r:standard('edu.nothing'))", "missing", "5",
         NULL, NULL, NULL,
         "at_least: no required value (is a standard in force for this "
         "year?)"},
        {"nil_max", "at_most(5, nil, { unit = '元' })", "missing", "5", NULL,
         NULL, "元",
         "at_most: no required value (is a standard in force for this "
         "year?)"},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

static void test_outcome__nan_or_bad_value_is_an_error(void **state)
{
    static const ocase cases[] = {
        {"nan", "at_least(zero / zero, 69)", "error", NULL, NULL, NULL, NULL,
         "@at_least: value is nan (a division by zero?)"},
        {"inf", "at_most(1 / zero, 69)", "error", NULL, NULL, NULL, NULL,
         "@at_most: value is infinite (a division by zero?)"},
        {"nan_bound", "at_least(1, zero / zero)", "error", NULL, NULL, NULL,
         NULL, "@at_least: minimum is nan (a division by zero?)"},
        {"overflow", "at_most(1, huge * 10)", "error", NULL, NULL, NULL, NULL,
         "@at_most: maximum is infinite (a division by zero?)"},
        {"nil_value", "at_least(nil, 69)", "error", NULL, NULL, NULL, NULL,
         "@at_least: value is nil"},
        {"string", "at_least('70', 69)", "error", NULL, NULL, NULL, NULL,
         "@at_least: value must be a number, got string"},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

/* at_least, at_most and indicator compute measured and required: opts
 * cannot override them; elsewhere they are checked like values. */
static void test_outcome__measured_and_required_in_opts_are_checked(
    void **state)
{
    static const ocase cases[] = {
        {"al_measured", "at_least(1, 2, { measured = 100 })", "error", NULL,
         NULL, NULL, NULL,
         "@at_least: opts.measured is not allowed (at_least computes it "
         "from its arguments)"},
        {"am_required", "at_most(1, 2, { required = 0 })", "error", NULL,
         NULL, NULL, NULL,
         "@at_most: opts.required is not allowed (at_most computes it "
         "from its arguments)"},
        {"al_missing", "at_least(1, nil, { measured = 5 })", "error", NULL,
         NULL, NULL, NULL,
         "@at_least: opts.measured is not allowed (at_least computes it "
         "from its arguments)"},
        {"ind_measured",
         "indicator(0.5, 0.9, '>=', { measured = 0.95 })", "error", NULL,
         NULL, NULL, NULL,
         "@indicator: opts.measured is not allowed (indicator computes it "
         "from its arguments)"},
        {"pass_nan", "pass({ measured = zero / zero, required = 1 })",
         "error", NULL, NULL, NULL, NULL, "@pass: measured is nan (a division by zero?)"},
        {"pass_inf", "pass({ measured = 1, required = 1 / zero })", "error",
         NULL, NULL, NULL, NULL, "@pass: required is infinite (a division by zero?)"},
        {"cut_inf", "cut(5, { measured = -1 / zero })", "error", NULL, NULL,
         NULL, NULL, "@cut: measured is infinite (a division by zero?)"},
        {"skip_huge", "skip({ measured = huge * 10 })", "error", NULL, NULL,
         NULL, NULL, "@skip: measured is infinite (a division by zero?)"},
        {"fail_ok", "fail({ measured = 3, required = 4 })", "fail", "3", "4",
         NULL, NULL, NULL},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

/* A key of an options table that the constructor does not read is an
 * error naming it, the close option and the options: ignored, a misspelt
 * warn_within would turn a warn into a fail. A frozen (file-level) table
 * is checked too. */
static void test_outcome__unknown_option_is_an_error(void **state)
{
    static const ocase cases[] = {
        {"al_band", "at_least(97, 100, { warn_witin = 0.05 })", "error", NULL,
         NULL, NULL, NULL,
         "@at_least: unknown option 'warn_witin' (did you mean "
         "warn_within?); the options are unit, note, warn_within"},
        {"am_unit", "at_most(1, 2, { unti = '元' })", "error", NULL, NULL, NULL,
         NULL,
         "@at_most: unknown option 'unti' (did you mean unit?); the options "
         "are unit, note, warn_within"},
        {"al_nil", "at_least(1, nil, { nte = 'x' })", "error", NULL, NULL,
         NULL, NULL,
         "@at_least: unknown option 'nte' (did you mean note?); the options "
         "are unit, note, warn_within"},
        {"pass_band", "pass({ warn_within = 0.1, zzz = 1 })", "error", NULL,
         NULL, NULL, NULL,
         "@pass: unknown option 'warn_within'; the options are unit, note, "
         "measured, required"},
        {"fail_req", "fail({ measured = 1, requried = 2 })", "error", NULL,
         NULL, NULL, NULL,
         "@fail: unknown option 'requried' (did you mean required?); the "
         "options are unit, note, measured, required"},
        {"ind_unit", "indicator(1, 2, '<=', { units = '%' })", "error", NULL,
         NULL, NULL, NULL,
         "@indicator: unknown option 'units' (did you mean unit?); the "
         "options are unit, note"},
        {"cut_list", "cut(5, { 'note' })", "error", NULL, NULL, NULL, NULL,
         "@cut: options are named (unit = ..., note = ...); got the key "
         "number"},
        {"skip_frozen", "skip(FROZEN)", "error", NULL, NULL, NULL, NULL,
         "@skip: unknown option 'noet' (did you mean note?); the options "
         "are unit, note, measured, required"},
        {"warn_ok", "at_least(97, 100, { warn_within = 0.05, unit = '元' })",
         "warn", "97", "100", NULL, "元", NULL},
    };
    harness *h = *state;
    write_cases(h, cases, ER_ARRAY_LEN(cases));
    /* skip_frozen: its options are a file-level (frozen) table */
    h_write(h, "health/skip_frozen.lua",
            "local FROZEN = { noet = 'x' }\n"
            "return {\n"
            "  id = \"health.skip_frozen\",\n"
            "  title = \"测试规则\",\n"
            "  basis = \"测试\",\n"
            "  kind = \"compliance\",\n"
            "  level = \"province\",\n"
            "  evaluate = function(r)\n"
            "\n"
            "    return skip(FROZEN)\n"
            "  end,\n"
            "}\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    check_cases(h, cases, ER_ARRAY_LEN(cases));
}

static void test_outcome__unit_and_note_are_stored(void **state)
{
    static const ocase cases[] = {
        {"opts", "at_least(70, 69, { unit = '元/人', note = '经费 ÷ 常住人口' })",
         "pass", "70", "69", NULL, "元/人", "经费 ÷ 常住人口"},
        {"bare_note", "at_most(1, 2, '只有说明')", "pass", "1", "2", NULL,
         NULL, "只有说明"},
        {"number_note", "indicator(1, 2, '<=', { note = 3.5 })", "pass", "1",
         "2", NULL, NULL, "3.5"},
        {"bad_opts", "pass(42)", "error", NULL, NULL, NULL, NULL,
         "@pass: options must be a table or a note string"},
        {"bad_unit", "at_least(1, 0, { unit = {} })", "error", NULL, NULL,
         NULL, NULL, "@at_least: opts.unit must be a string"},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

/* ---- pass / fail / warn / skip ------------------------------------------------- */

static void test_outcome__simple_outcomes_with_notes(void **state)
{
    static const ocase cases[] = {
        {"pass", "pass('全部达标')", "pass", NULL, NULL, NULL, NULL,
         "全部达标"},
        {"fail", "fail({ note = '未达标', unit = '元' })", "fail", NULL, NULL,
         NULL, "元", "未达标"},
        {"warn", "warn('接近下限')", "warn", NULL, NULL, NULL, NULL,
         "接近下限"},
        {"skip", "skip('本年度不适用')", "skip", NULL, NULL, NULL, NULL,
         "本年度不适用"},
        {"bare", "skip()", "skip", NULL, NULL, NULL, NULL, NULL},
        {"measured", "fail({ measured = 3, required = 4 })", "fail", "3", "4",
         NULL, NULL, NULL},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

/* ---- missing ------------------------------------------------------------------------ */

static void test_outcome__missing_with_the_rules_own_note(void **state)
{
    static const ocase cases[] = {
        {"gap", "missing('缺数据（2019年）：云浮市 pop.resident 为 0')",
         "missing", NULL, NULL, NULL, NULL,
         "缺数据（2019年）：云浮市 pop.resident 为 0"},
        {"gap_opts", "missing({ note = '缺数据', unit = '元/人' })", "missing",
         NULL, NULL, NULL, "元/人", "缺数据"},
        {"gap_bare", "missing()", "error", NULL, NULL, NULL, NULL,
         "@missing: a note saying what is missing is required (a string, "
         "or { note = ... })"},
        {"gap_empty", "missing('')", "error", NULL, NULL, NULL, NULL,
         "@missing: the note is empty (say what is missing)"},
        {"gap_number", "missing({ note = 5 })", "error", NULL, NULL, NULL,
         NULL,
         "@missing: a note saying what is missing is required (a string, "
         "or { note = ... })"},
    };
    harness *h = *state;
    run_cases(h, cases, ER_ARRAY_LEN(cases));
    /* counted as the engine's own missing findings are: failing */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM finding WHERE run = %lld AND outcome = "
             "'missing'",
             (long long)h->run);
    assert_int_equal(h_count(h, sql), 2);
}

/* ---- cut ---------------------------------------------------------------------------- */

static void test_outcome__cut_amounts_in_fen(void **state)
{
    static const ocase cases[] = {
        {"cut", "cut(9594000, '核减')", "cut", NULL, NULL, "959400000", NULL,
         "核减"},
        {"half", "cut(1234.565)", "cut", NULL, NULL, "123457", NULL, NULL},
        {"fen", "cut(0.01)", "cut", NULL, NULL, "1", NULL, NULL},
        {"zero", "cut(0, '无需核减')", "pass", NULL, NULL, "0", NULL,
         "无需核减"},
        {"dust", "cut(0.004)", "pass", NULL, NULL, "0", NULL, NULL},
        /* the shortest decimal, rounded in decimal, whatever the size */
        {"one_005", "cut(1.005)", "cut", NULL, NULL, "101", NULL, NULL},
        {"two_675", "cut(2.675)", "cut", NULL, NULL, "268", NULL, NULL},
        {"eighth", "cut(0.125)", "cut", NULL, NULL, "13", NULL, NULL},
        {"big_003", "cut(765432109876.003)", "cut", NULL, NULL,
         "76543210987600", NULL, NULL},
        {"big_8e11", "cut(800000000000.003)", "cut", NULL, NULL,
         "80000000000000", NULL, NULL},
        {"big_046", "cut(123456789012.3446)", "cut", NULL, NULL,
         "12345678901234", NULL, NULL},
        /* an integer is whole yuan, exact past 2^53 */
        {"int_big", "cut(9007199254740993)", "cut", NULL, NULL,
         "900719925474099300", NULL, NULL},
        {"negative", "cut(-1)", "error", NULL, NULL, NULL, NULL,
         "@cut: amount must not be negative (-1.0)"},
        {"nan", "cut(zero / zero)", "error", NULL, NULL, NULL, NULL,
         "@cut: amount is nan (a division by zero?)"},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

/* ---- distribute ---------------------------------------------------------------------- */

static void test_outcome__distribute_one_finding_per_region(void **state)
{
    harness *h = *state;
    h_rule(h, "finance/share_out.lua", "finance.share_out", "allocation",
           "province", "",
           "    return distribute({ ['441400'] = 100.005, ['440100'] = 50,\n"
           "                        ['441402'] = 0.5, ['440300'] = 0 },\n"
           "                      '按常住人口分配')\n");
    h_rule(h, "finance/nothing.lua", "finance.nothing", "allocation",
           "province", "", "    return distribute({})\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);

    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(region || ':' || outcome || ':' || amount, "
             "' ') FROM (SELECT * FROM finding WHERE run = %lld AND rule = "
             "'finance.share_out' ORDER BY rowid)",
             (long long)h->run);
    assert_string_equal(h_text(h, sql),
                        "440100:allocation:5000 440300:allocation:0 "
                        "441400:allocation:10001 441402:allocation:50");
    h_expect(h, "finance.share_out", "441400", 2019, "allocation",
             "按常住人口分配");
    /* the province itself has no finding of its own */
    assert_int_equal(h_findings(h, "finance.share_out"), 4);
    h_expect(h, "finance.nothing", "440000", 2019, "pass", "");
}

static void test_outcome__distribute_errors(void **state)
{
    static const ocase cases[] = {
        {"unknown", "distribute({ ['440100'] = 1, ['999999'] = 2 })", "error",
         NULL, NULL, NULL, NULL, "distribute: unknown region code '999999'"},
        {"negative", "distribute({ ['440100'] = -1 })", "error", NULL, NULL,
         NULL, NULL,
         "@distribute: amount for 440100 must be finite and not negative"},
        {"list", "distribute({ 100 })", "error", NULL, NULL, NULL, NULL,
         "@distribute: keys must be region codes (strings)"},
        {"string", "distribute({ ['440100'] = '1' })", "error", NULL, NULL,
         NULL, NULL, "@distribute: amount for 440100 must be a number"},
    };
    harness *h = *state;
    run_cases(h, cases, ER_ARRAY_LEN(cases));
    /* no allocation was recorded for any of them */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM finding WHERE run = %lld AND outcome = "
             "'allocation'",
             (long long)h->run);
    assert_int_equal(h_count(h, sql), 0);
}

/* ---- indicator ------------------------------------------------------------------------- */

static void test_outcome__indicator_with_its_target(void **state)
{
    static const ocase cases[] = {
        {"le_pass", "indicator(0.2877, 0.3, '<=')", "pass", "0.2877", "0.3",
         NULL, NULL, NULL},
        {"le_fail", "indicator(0.3163, 0.3, '<=', { unit = '比例' })", "fail",
         "0.3163", "0.3", NULL, "比例", NULL},
        {"le_bound", "indicator(0.3, 0.3, '<=')", "pass", "0.3", "0.3", NULL,
         NULL, NULL},
        {"ge_pass", "indicator(0.96, 0.95, '>=')", "pass", "0.96", "0.95",
         NULL, NULL, NULL},
        {"ge_fail", "indicator(0.929992, 0.95, '>=')", "fail", "0.929992",
         "0.95", NULL, NULL, NULL},
        {"bad_op", "indicator(1, 1, '==')", "error", NULL, NULL, NULL, NULL,
         "@indicator: operator must be \"<=\" or \">=\", got \"==\""},
        {"no_op", "indicator(1, 1)", "error", NULL, NULL, NULL, NULL,
         "@bad argument #3 to 'indicator' (string expected, got no value)"},
    };
    run_cases(*state, cases, ER_ARRAY_LEN(cases));
}

/* ---- rules that return something else, or raise ---------------------------------- */

static void test_outcome__non_outcome_is_an_error_naming_the_rule(void **state)
{
    harness *h = *state;
    static const struct {
        const char *name, *body, *what;
    } cases[] = {
        {"number", "    return 42\n", "evaluate returned number"},
        {"table", "    return { outcome = 'pass' }\n",
         "evaluate returned table"},
        {"nothing", "    local x = 1\n", "evaluate returned nil"},
        {"string", "    return 'pass'\n", "evaluate returned string"},
    };
    char rel[128], id[128], msg[256];
    for (size_t i = 0; i < ER_ARRAY_LEN(cases); i++) {
        snprintf(rel, sizeof rel, "health/%s.lua", cases[i].name);
        snprintf(id, sizeof id, "health.%s", cases[i].name);
        h_rule(h, rel, id, "compliance", "province", "", cases[i].body);
    }
    h_rule(h, "health/altered.lua", "health.altered", "compliance",
           "province", "",
           "    local o = pass()\n"
           "    o.outcome = 'excellent'\n"
           "    return o\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    for (size_t i = 0; i < ER_ARRAY_LEN(cases); i++) {
        snprintf(rel, sizeof rel, "health/%s.lua", cases[i].name);
        snprintf(id, sizeof id, "health.%s", cases[i].name);
        snprintf(msg, sizeof msg,
                 "%s, not an outcome (return pass(), fail(), at_least(), "
                 "cut(), ...)",
                 cases[i].what);
        /* line 8: where evaluate is defined */
        h_expect(h, id, "440000", 2019, "error", h_at(h, rel, 8, msg));
    }
    /* outcomes are read-only: the assignment itself raises */
    h_expect(h, "health.altered", "440000", 2019, "error",
             h_at(h, "health/altered.lua", 10, "outcomes are read-only"));
}

static void test_outcome__raised_error_names_file_and_line(void **state)
{
    harness *h = *state;
    h_rule(h, "health/raise.lua", "health.raise", "compliance", "province", "",
           "    local spend = 1\n"
           "    error('数据口径不一致')\n");
    h_rule(h, "health/index.lua", "health.index", "compliance", "province", "",
           "    local t = nil\n"
           "    return pass(t.note)\n");
    h_rule(h, "health/object.lua", "health.object", "compliance", "province",
           "", "    error({ code = 1 })\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.raise", "440000", 2019, "error",
             h_at(h, "health/raise.lua", 10, "数据口径不一致"));
    h_expect(h, "health.index", "440000", 2019, "error",
             h_at(h, "health/index.lua", 10,
                  "attempt to index a nil value (local 't')"));
    h_expect(h, "health.object", "440000", 2019, "error",
             h_at(h, "health/object.lua", 8,
                  "(error object is a table value)"));
    h_finding f = h_get(h, "health.raise", "440000", 2019);
    assert_false(f.has_measured || f.has_required || f.has_amount);
}

static const char partly_failing[] =
    "    if r.code == '440300' then error('只在深圳出错') end\n"
    "    return at_least(r:fact('pop.resident'), 5000000)\n";

static void test_outcome__run_goes_on_after_an_error(void **state)
{
    harness *h = *state;
    h_rule(h, "health/partly.lua", "health.partly", "compliance", "city", "",
           partly_failing);
    h_rule(h, "health/after.lua", "health.after", "compliance", "city", "",
           "    return pass()\n");
    h_rule(h, "health/always.lua", "health.always", "compliance", "province",
           "", "    error('总是出错')\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    h_expect(h, "health.partly", "440300", 2019, "error",
             h_at(h, "health/partly.lua", 9, "只在深圳出错"));
    h_expect(h, "health.partly", "440300", 2018, "error", NULL);
    h_expect(h, "health.partly", "440100", 2019, "pass", NULL);
    h_expect(h, "health.partly", "441400", 2019, "fail", NULL);
    h_expect(h, "health.partly", "441400", 2018, "fail", NULL);
    assert_int_equal(h_findings(h, "health.partly"), 6);
    assert_int_equal(h_findings(h, "health.after"), 6);
    assert_int_equal(h_findings(h, "health.always"), 2);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT status FROM run WHERE id = %lld",
             (long long)h->run);
    assert_string_equal(h_text(h, sql), "done");

    er_run_summary sum;
    assert_int_equal(er_run_summarize(h->db, h->run, &sum), ER_OK);
    assert_int_equal(sum.counts[ER_ERROR_OUTCOME], 4);
    assert_int_equal(sum.counts[ER_PASS], 2 + 6);
    assert_int_equal(sum.counts[ER_FAIL], 2);
    assert_int_equal(sum.findings, 14);
}

/* The findings of a run, one line each, in stored order. */
static char *findings_text(harness *h)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(line, char(10)) FROM (SELECT rule || '|' || "
             "region || '|' || year || '|' || outcome || '|' || "
             "ifnull(measured, '') || '|' || ifnull(required, '') || '|' || "
             "ifnull(amount, '') || '|' || ifnull(unit, '') || '|' || "
             "ifnull(note, '') AS line FROM finding WHERE run = %lld ORDER BY "
             "rowid)",
             (long long)h->run);
    const char *t = h_text(h, sql);
    assert_non_null(t);
    return er_strdup(t);
}

static void test_outcome__same_findings_with_worker_processes(void **state)
{
    harness *h = *state;
    h_rule(h, "health/partly.lua", "health.partly", "compliance", "city", "",
           partly_failing);
    h_rule(h, "finance/cutter.lua", "finance.cutter", "cut", "city", "",
           "    return cut(r:fact('pop.resident') / 1000, r.name)\n");
    h_rule(h, "finance/share_out.lua", "finance.share_out", "allocation",
           "province", "needs = { 'finance.cutter' },",
           "    local pool = 0\n"
           "    for _, c in ipairs(r:children('city')) do\n"
           "      pool = pool + c:result('finance.cutter').amount\n"
           "    end\n"
           "    return distribute({ ['441400'] = pool / 3,\n"
           "                        ['440100'] = pool * 2 / 3 })\n");
    h->jobs = 0;
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    char *in_process = findings_text(h);
    h->jobs = 3;
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    char *workers = findings_text(h);
    assert_string_equal(workers, in_process);
    assert_non_null(strstr(in_process, "finance.share_out|441400|2019|"
                                       "allocation|||1104257||"));
    free(in_process);
    free(workers);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_outcome__at_least_and_at_most),
        T(test_outcome__warn_within_a_band),
        T(test_outcome__nil_bound_gives_missing),
        T(test_outcome__nan_or_bad_value_is_an_error),
        T(test_outcome__measured_and_required_in_opts_are_checked),
        T(test_outcome__unknown_option_is_an_error),
        T(test_outcome__unit_and_note_are_stored),
        T(test_outcome__simple_outcomes_with_notes),
        T(test_outcome__missing_with_the_rules_own_note),
        T(test_outcome__cut_amounts_in_fen),
        T(test_outcome__distribute_one_finding_per_region),
        T(test_outcome__distribute_errors),
        T(test_outcome__indicator_with_its_target),
        T(test_outcome__non_outcome_is_an_error_naming_the_rule),
        T(test_outcome__raised_error_names_file_and_line),
        T(test_outcome__run_goes_on_after_an_error),
        T(test_outcome__same_findings_with_worker_processes),
    };
#undef T
    return cmocka_run_group_tests_name("outcome", tests, NULL, NULL);
}
