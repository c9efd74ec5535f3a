/*
 * test_rules.c - the rule loader: what a rule author sees when a rules
 * folder loads (the catalog, stages, params) and the exact diagnostic, with
 * file and line, when a file or rule breaks the contract; the other rules
 * always still load. Also the sandbox a rule file is compiled in. Each case
 * is a folder of tests/fixtures/rules/<case>/<department>/ (Lua files), loaded by
 * a relative path the way `equirule lint --rules rules` would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char previous_cwd[4096];

static int group_setup(void **state)
{
    (void)state;
    if (!getcwd(previous_cwd, sizeof previous_cwd))
        return -1;
    return chdir(ER_FIXTURES_DIR "/rules");
}

static int group_teardown(void **state)
{
    (void)state;
    return chdir(previous_cwd);
}

static er_ruleset *load(const char *dir)
{
    er_ruleset *rs = NULL;
    int rc = er_ruleset_load(&rs, dir);
    if (rc != ER_OK)
        fail_msg("%s: %s", dir, er_errmsg());
    assert_non_null(rs);
    return rs;
}

static void print_diags(const er_ruleset *rs)
{
    for (size_t i = 0; i < er_ruleset_diag_count(rs); i++)
        print_message("  diagnostic: %s\n", er_ruleset_diag(rs, i));
}

/* Asserts that the diagnostics are exactly `expected` (NULL-terminated), in
 * any order. */
static void expect_diags(const er_ruleset *rs, const char *const *expected)
{
    size_t n = 0;
    while (expected[n])
        n++;
    if (er_ruleset_diag_count(rs) != n) {
        print_diags(rs);
        fail_msg("%zu diagnostics, expected %zu",
                 er_ruleset_diag_count(rs), n);
    }
    for (size_t e = 0; e < n; e++) {
        size_t found = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(er_ruleset_diag(rs, i), expected[e]) == 0)
                found++;
        if (found != 1) {
            print_diags(rs);
            fail_msg("expected diagnostic %s", expected[e]);
        }
    }
}

/* The rule with `id`, or NULL. */
static const er_rule_info *rule(const er_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < er_ruleset_count(rs); i++)
        if (strcmp(er_ruleset_rule(rs, i)->id, id) == 0)
            return er_ruleset_rule(rs, i);
    return NULL;
}

/* Loads a case whose only sound rule is health.good and checks the
 * diagnostics. */
static void expect_case(const char *dir, const char *const *diags)
{
    er_ruleset *rs = load(dir);
    expect_diags(rs, diags);
    assert_int_equal(er_ruleset_count(rs), 1);
    assert_string_equal(er_ruleset_rule(rs, 0)->id, "health.good");
    assert_string_equal(er_ruleset_rule(rs, 0)->path, "health/good.lua");
    er_ruleset_free(rs);
}

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- a sound folder ----------------------------------------------------------- */

static void test_rules__valid_file_gives_every_field(void **state)
{
    (void)state;
    er_ruleset *rs = load("valid");
    expect_diags(rs, (const char *const[]){NULL});
    assert_int_equal(er_ruleset_count(rs), 3);
    /* the test file, the hidden file and the README are not rule files */
    assert_int_equal(er_ruleset_file_count(rs), 2);

    const er_rule_info *r = rule(rs, "health.per_capita");
    assert_non_null(r);
    assert_string_equal(r->id, "health.per_capita");
    assert_string_equal(r->department, "health");
    assert_string_equal(r->title, "基本公共卫生服务人均经费不低于标准");
    assert_string_equal(r->basis, "国办发〔2018〕6号");
    assert_string_equal(r->item, "health.public_health");
    assert_string_equal(r->kind, "compliance");
    assert_string_equal(r->level, "city");
    assert_string_equal(r->path, "health/per_capita.lua");
    assert_int_equal(r->line, 12);
    assert_int_equal(r->year_from, 2018);
    assert_int_equal(r->year_to, 2020);
    assert_int_equal(r->stage, 0);

    r = rule(rs, "finance.a_cut");
    assert_non_null(r);
    assert_string_equal(r->department, "finance");
    assert_null(r->item);
    assert_string_equal(r->kind, "cut");
    assert_string_equal(r->level, "province");
    assert_string_equal(r->path, "finance/pair.lua");
    assert_int_equal(r->line, 18);
    assert_int_equal(r->year_from, 0);
    assert_int_equal(r->year_to, 0);

    r = rule(rs, "finance.b_indicator");
    assert_non_null(r);
    assert_string_equal(r->kind, "indicator");
    assert_string_equal(r->level, "county");
    assert_int_equal(r->line, 10);
    assert_int_equal(r->year_from, 0);
    assert_int_equal(r->year_to, 2019);

    /* order: stage, then id */
    assert_string_equal(er_ruleset_rule(rs, 0)->id, "finance.a_cut");
    assert_string_equal(er_ruleset_rule(rs, 1)->id, "finance.b_indicator");
    assert_string_equal(er_ruleset_rule(rs, 2)->id, "health.per_capita");
    assert_null(er_ruleset_rule(rs, 3));
    assert_null(er_ruleset_diag(rs, 0));

    /* the digest names the files' content and is stable */
    const char *digest = er_ruleset_digest(rs);
    assert_int_equal(strlen(digest), 64);
    assert_int_equal(strspn(digest, "0123456789abcdef"), 64);
    er_ruleset *again = load("valid");
    assert_string_equal(er_ruleset_digest(again), digest);
    er_ruleset *other = load("stages");
    assert_string_not_equal(er_ruleset_digest(other), digest);
    er_ruleset_free(again);
    er_ruleset_free(other);
    er_ruleset_free(rs);
    er_ruleset_free(NULL);
}

static void test_rules__missing_folder_is_not_found(void **state)
{
    (void)state;
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, "no_such_case"), ER_ENOTFOUND);
    assert_null(rs);
    assert_string_equal(er_errmsg(), "no_such_case: no such rules folder");
    assert_int_equal(er_ruleset_load(&rs, "valid/health/per_capita.lua"),
                     ER_ENOTFOUND);
}

static void test_rules__empty_folder_loads_no_rules(void **state)
{
    (void)state;
    harness *h = h_new(); /* its rules folder is empty */
    er_ruleset *rs = load(h->rules);
    assert_int_equal(er_ruleset_count(rs), 0);
    assert_int_equal(er_ruleset_diag_count(rs), 0);
    assert_int_equal(er_ruleset_file_count(rs), 0);
    er_run_opts o = {0};
    o.year_from = o.year_to = 2019;
    o.jobs = 0; /* in this process */
    assert_int_equal(er_run(h->db, rs, &o, NULL), ER_ERULE);
    char expected[256];
    snprintf(expected, sizeof expected, "%s: no rule loaded", h->rules);
    assert_string_equal(er_errmsg(), expected);
    er_ruleset_free(rs);
    h_free(h);
}

/* ---- the contract, one violation at a time --------------------------------- */

static void test_rules__missing_id(void **state)
{
    (void)state;
    expect_case("missing_id",
                LIST("missing_id/health/bad.lua:7: rule #1: field 'id' must "
                     "be a string",
                     "missing_id/health/bad.lua:15: rule #2: field 'id' must "
                     "be a string"));
}

static void test_rules__bad_id_format(void **state)
{
    (void)state;
#define BAD_ID(id)                                                         \
    "bad_id/health/bad.lua:8: rule '" id "': id '" id "' must be lowercase " \
    "dotted words, like \"health.public_health_per_capita\""
    expect_case("bad_id",
                LIST(BAD_ID("Health.Per_Capita"), BAD_ID("health"),
                     BAD_ID("health..x"), BAD_ID("health.x-y"),
                     BAD_ID("health.")));
#undef BAD_ID
}

static void test_rules__id_outside_its_department_folder(void **state)
{
    (void)state;
    expect_case(
        "wrong_department",
        LIST("wrong_department/health/bad.lua:8: rule 'education.per_pupil': "
             "id 'education.per_pupil' must begin with 'health.', the "
             "department folder it is in",
             "wrong_department/health/bad.lua:8: rule "
             "'healthcare.per_capita': id 'healthcare.per_capita' must begin "
             "with 'health.', the department folder it is in"));
}

static void test_rules__missing_title_or_basis(void **state)
{
    (void)state;
    expect_case("missing_text",
                LIST("missing_text/health/bad.lua:7: rule 'health.no_title': "
                     "field 'title' must be a non-empty string",
                     "missing_text/health/bad.lua:15: rule "
                     "'health.empty_basis': field 'basis' must be a non-empty "
                     "string"));
}

static void test_rules__bad_kind(void **state)
{
    (void)state;
    expect_case("bad_kind",
                LIST("bad_kind/health/bad.lua:7: rule 'health.audit': field "
                     "'kind' must be one of compliance, cut, allocation, "
                     "indicator"));
}

static void test_rules__bad_level(void **state)
{
    (void)state;
#define MUST "field 'level' must be one of province, city, county, or a " \
             "list of them without repeats (level = { \"city\", " \
             "\"county\" })"
    expect_case("bad_level",
                LIST("bad_level/health/bad.lua:8: rule 'health.town': " MUST,
                     "bad_level/health/bad.lua:15: rule 'health.no_level': "
                     MUST,
                     "bad_level/health/bad.lua:23: rule 'health.repeated': "
                     MUST,
                     "bad_level/health/bad.lua:31: rule "
                     "'health.unknown_in_list': " MUST,
                     "bad_level/health/bad.lua:39: rule 'health.empty_list': "
                     MUST,
                     "bad_level/health/bad.lua:47: rule 'health.keyed_list': "
                     MUST));
#undef MUST
}

/* A rule may name several levels: the rules list shows them from the
 * province down, whatever order the rule wrote them in. */
static void test_rules__level_may_be_a_list(void **state)
{
    (void)state;
    er_ruleset *rs = load("levels");
    expect_diags(rs, (const char *const[]){NULL});
    assert_int_equal(er_ruleset_count(rs), 3);
    assert_string_equal(rule(rs, "health.one")->level, "city");
    assert_string_equal(rule(rs, "health.two")->level, "city,county");
    assert_string_equal(rule(rs, "health.all")->level,
                        "province,city,county");
    er_ruleset_free(rs);
}

static void test_rules__bad_effective(void **state)
{
    (void)state;
#define AT "bad_effective/health/bad.lua:9: rule "
    expect_case(
        "bad_effective",
        LIST(AT "'health.from_string': effective.from must be a year (an "
                "integer)",
             AT "'health.since': field 'effective' takes only 'from' and "
                "'to'",
             AT "'health.bare_year': field 'effective' must be a table { "
                "from = year, to = year }",
             AT "'health.backwards': effective.to (2019) is before "
                "effective.from (2020)",
             AT "'health.fraction': effective.to must be a year (an "
                "integer)"));
#undef AT
}

static void test_rules__evaluate_not_a_function(void **state)
{
    (void)state;
    /* no evaluate function, so no line to point at */
    expect_case("bad_evaluate",
                LIST("bad_evaluate/health/bad.lua: rule "
                     "'health.string_evaluate': field 'evaluate' must be a "
                     "function(r)",
                     "bad_evaluate/health/bad.lua: rule 'health.no_evaluate': "
                     "field 'evaluate' must be a function(r)"));
}

static void test_rules__unknown_field(void **state)
{
    (void)state;
#define FIELDS                                                             \
    "(fields: id, title, basis, item, kind, level, effective, params, "    \
    "needs, report, evaluate)"
    expect_case("unknown_field",
                LIST("unknown_field/health/bad.lua:9: rule 'health.typo': "
                     "unknown field 'descripton' " FIELDS,
                     "unknown_field/health/bad.lua: rule 'health.evalute': "
                     "unknown field 'evalute' " FIELDS));
#undef FIELDS
}

static void test_rules__params_of_a_bad_type(void **state)
{
    (void)state;
    expect_case("bad_params",
                LIST("bad_params/health/bad.lua:9: rule 'health.table_param': "
                     "params.rates must be a number, string or boolean",
                     "bad_params/health/bad.lua:18: rule "
                     "'health.number_params': field 'params' must be a table "
                     "of named constants",
                     "bad_params/health/bad.lua:27: rule "
                     "'health.function_param': params.f must be a number, "
                     "string or boolean",
                     "bad_params/health/bad.lua:36: rule 'health.nan_param': "
                     "params.a is nan (params must be finite numbers)",
                     "bad_params/health/bad.lua:45: rule 'health.inf_param': "
                     "params.b is infinite (params must be finite numbers)"));
}

static void test_rules__needs_not_a_list_of_ids(void **state)
{
    (void)state;
    expect_case("bad_needs",
                LIST("bad_needs/health/bad.lua:9: rule 'health.string_needs': "
                     "field 'needs' must be a list of rule ids",
                     "bad_needs/health/bad.lua:9: rule 'health.number_need': "
                     "needs[1] must be a rule id",
                     "bad_needs/health/bad.lua:9: rule 'health.second_need': "
                     "needs[2] must be a rule id"));
}

static void test_rules__report_hint_names_a_known_chart(void **state)
{
    (void)state;
    expect_case(
        "bad_report",
        LIST("bad_report/health/bad.lua:15: rule 'health.unknown_chart': "
             "report.chart must be one of: per_capita_gap, ranking",
             "bad_report/health/bad.lua:24: rule 'health.string_report': "
             "field 'report' must be a table { chart = name, index = name, "
             "goal = year }",
             "bad_report/health/bad.lua:33: rule 'health.extra_field': "
             "field 'report': unknown key 'colour' (keys: chart, index, "
             "goal)",
             "bad_report/health/bad.lua:42: rule 'health.not_indicator': "
             "report.chart 'per_capita_gap' needs kind 'indicator': the "
             "chart's band is the indicator's target (the largest gap)",
             "bad_report/health/bad.lua:51: rule 'health.empty_report': "
             "field 'report' is empty: give chart, index or goal",
             "bad_report/health/bad.lua:60: rule 'health.unknown_index': "
             "report.index must be one of: cv, cv_weighted, gini, theil, "
             "theil_between_zone, theil_within_zone, theil_within_city",
             "bad_report/health/bad.lua:69: rule 'health.city_index': "
             "report.index needs kind 'indicator' and level 'province': "
             "the measure is one value across the province's regions",
             "bad_report/health/bad.lua:78: rule 'health.province_ranking': "
             "report.chart 'ranking' needs kind 'indicator' and level "
             "'city': the ranking orders the cities by their measured score",
             "bad_report/health/bad.lua:87: rule "
             "'health.compliance_ranking': "
             "report.chart 'ranking' needs kind 'indicator' and level "
             "'city': the ranking orders the cities by their measured score",
             "bad_report/health/bad.lua:96: rule 'health.fraction_goal': "
             "report.goal must be a year, an integer from 2000 to 2100",
             "bad_report/health/bad.lua:105: rule 'health.early_goal': "
             "report.goal must be a year, an integer from 2000 to 2100",
             "bad_report/health/bad.lua:114: rule 'health.string_goal': "
             "report.goal must be a year, an integer from 2000 to 2100",
             "bad_report/health/bad.lua:123: rule 'health.compliance_goal': "
             "report.goal needs kind 'indicator': the goal is the "
             "indicator's required value, reached by the goal year",
             "bad_report/health/bad.lua:132: rule 'health.number_key': "
             "field 'report': unknown key [1] (keys: chart, index, goal)"));
}

/* The rule with `id` as the loader keeps it, or NULL. */
static const er_rule *loaded(const er_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (strcmp(rs->rules[i].info.id, id) == 0)
            return &rs->rules[i];
    return NULL;
}

static void test_rules__report_hint_keys_load(void **state)
{
    (void)state;
    er_ruleset *rs = load("report_hints");
    expect_diags(rs, (const char *const[]){NULL});
    assert_int_equal(er_ruleset_count(rs), 5);
    const er_rule *r = loaded(rs, "finance.theil");
    assert_non_null(r);
    assert_null(r->chart);
    assert_string_equal(r->index, "theil");
    assert_int_equal(r->goal, 2022);
    r = loaded(rs, "finance.item_theil");
    assert_null(r->chart);
    assert_string_equal(r->index, "theil");
    assert_int_equal(r->goal, 0);
    r = loaded(rs, "finance.ranking");
    assert_string_equal(r->chart, "ranking");
    assert_null(r->index);
    assert_int_equal(r->goal, 0);
    r = loaded(rs, "finance.gap");
    assert_string_equal(r->chart, "per_capita_gap");
    assert_null(r->index);
    assert_int_equal(r->goal, 2020);
    r = loaded(rs, "finance.plain");
    assert_null(r->chart);
    assert_null(r->index);
    assert_int_equal(r->goal, 0);
    er_ruleset_free(rs);
}

/* Two rules that feed the same chart, or the same measure of the index
 * for the same item: the later by id is refused (whatever the files'
 * order), naming the rule kept; the others load, goals may repeat. */
static void test_rules__report_hint_shared_refuses_later_by_id(void **state)
{
    (void)state;
#define A "shared_report/finance/a.lua:"
#define B "shared_report/finance/b.lua:"
    er_ruleset *rs = load("shared_report");
    expect_diags(
        rs,
        LIST(A "11: rule 'finance.z_theil': report.index 'theil' of the "
               "main index is declared already by rule 'finance.a_theil' "
               "(" B "10): one rule feeds each measure, the first by id",
             A "21: rule 'finance.z_item_theil': report.index 'theil' of "
               "item 'health.public_health' is declared already by rule "
               "'finance.a_item_theil' (" B "20): one rule feeds each "
               "measure of an item, the first by id",
             A "30: rule 'finance.z_ranking': report.chart 'ranking' is "
               "declared already by rule 'finance.a_ranking' (" B "39): "
               "one rule feeds each chart, the first by id",
             A "39: rule 'finance.z_gap': report.chart 'per_capita_gap' is "
               "declared already by rule 'finance.a_gap' (" B "48): one "
               "rule feeds each chart, the first by id",
             A "49: rule 'finance.z_needs_theil' needs an unknown or broken "
               "rule 'finance.z_theil'"));
#undef A
#undef B
    assert_int_equal(er_ruleset_count(rs), 5);
    const er_rule *r = loaded(rs, "finance.a_theil");
    assert_non_null(r);
    assert_string_equal(r->index, "theil");
    assert_int_equal(r->goal, 2022);
    r = loaded(rs, "finance.a_item_theil");
    assert_non_null(r);
    assert_string_equal(r->index, "theil");
    assert_int_equal(r->goal, 2022);
    r = loaded(rs, "finance.a_other_item_theil");
    assert_non_null(r);
    assert_string_equal(r->index, "theil");
    r = loaded(rs, "finance.a_ranking");
    assert_non_null(r);
    assert_string_equal(r->chart, "ranking");
    r = loaded(rs, "finance.a_gap");
    assert_non_null(r);
    assert_string_equal(r->chart, "per_capita_gap");
    assert_null(loaded(rs, "finance.z_theil"));
    assert_null(loaded(rs, "finance.z_gap"));
    er_ruleset_free(rs);
}

/* ---- broken files ----------------------------------------------------------- */

static void test_rules__syntax_error_names_file_and_line(void **state)
{
    (void)state;
    expect_case("syntax_error",
                LIST("syntax_error/health/bad.lua:4: unexpected symbol near "
                     "','"));
}

static void test_rules__runtime_error_at_load_names_file_and_line(void **state)
{
    (void)state;
    expect_case("runtime_error",
                LIST("runtime_error/health/bad.lua:3: attempt to index a nil "
                     "value (local 'standards')",
                     "runtime_error/health/raise.lua:2: 标准尚未发布"));
}

static void test_rules__file_must_return_rules(void **state)
{
    (void)state;
    expect_case("bad_return",
                LIST("bad_return/health/empty.lua: the file returned an empty "
                     "list of rules",
                     "bad_return/health/list.lua: rule #1 is not a table",
                     "bad_return/health/nothing.lua: the file must return a "
                     "rule table or a list of rule tables (it returned nil)",
                     "bad_return/health/string.lua: the file must return a "
                     "rule table or a list of rule tables (it returned "
                     "string)"));
}

static void test_rules__file_outside_a_department_folder(void **state)
{
    (void)state;
    expect_case("top_level",
                LIST("top_level/loose.lua: rule files go in a department "
                     "folder (rules/<department>/name.lua)"));
}

/* ---- the set: duplicates, needs, stages ----------------------------------- */

static void test_rules__duplicate_id_first_wins(void **state)
{
    (void)state;
    er_ruleset *rs = load("duplicate_id");
    expect_diags(rs, LIST("duplicate_id/health/b.lua:8: duplicate rule id "
                          "'health.same' (first defined in "
                          "duplicate_id/health/a.lua:7)"));
    assert_int_equal(er_ruleset_count(rs), 2);
    const er_rule_info *r = rule(rs, "health.same");
    assert_non_null(r);
    assert_string_equal(r->title, "first");
    assert_string_equal(r->path, "health/a.lua");
    assert_string_equal(r->level, "city");
    assert_non_null(rule(rs, "health.good"));
    er_ruleset_free(rs);
}

static void test_rules__needs_of_an_unknown_rule(void **state)
{
    (void)state;
    er_ruleset *rs = load("unknown_needs");
#define AT "unknown_needs/health/bad.lua:9: rule "
    expect_diags(rs,
                 LIST(AT "'health.broken': field 'kind' must be one of "
                         "compliance, cut, allocation, indicator",
                      AT "'health.orphan' needs an unknown or broken rule "
                         "'health.nowhere'",
                      AT "'health.selfish' needs itself 'health.selfish'",
                      AT "'health.dependent' needs an unknown or broken rule "
                         "'health.broken'",
                      AT "'health.chain' needs an unknown or broken rule "
                         "'health.orphan'"));
#undef AT
    /* what does not depend on a dropped rule still loads */
    assert_int_equal(er_ruleset_count(rs), 2);
    assert_string_equal(er_ruleset_rule(rs, 0)->id, "health.good");
    assert_int_equal(er_ruleset_rule(rs, 0)->stage, 0);
    assert_string_equal(er_ruleset_rule(rs, 1)->id, "health.fine");
    assert_int_equal(er_ruleset_rule(rs, 1)->stage, 1);
    er_ruleset_free(rs);
}

static void test_rules__cycle_of_needs(void **state)
{
    (void)state;
    er_ruleset *rs = load("cycle");
    expect_diags(rs, LIST("cycle/health/cycle.lua:9: rule 'health.a' is on a "
                          "cycle of needs",
                          "cycle/health/cycle.lua:9: rule 'health.b' is on a "
                          "cycle of needs",
                          "cycle/health/cycle.lua:9: rule 'health.c' needs "
                          "'health.a', which is on a cycle"));
    assert_int_equal(er_ruleset_count(rs), 2);
    assert_string_equal(er_ruleset_rule(rs, 0)->id, "health.good");
    assert_string_equal(er_ruleset_rule(rs, 1)->id, "health.d");
    assert_int_equal(er_ruleset_rule(rs, 1)->stage, 1);
    er_ruleset_free(rs);
}

static void test_rules__stages_follow_needs(void **state)
{
    (void)state;
    er_ruleset *rs = load("stages");
    expect_diags(rs, (const char *const[]){NULL});
    assert_int_equal(er_ruleset_count(rs), 4);
    static const struct {
        const char *id;
        int stage;
    } expected[] = {{"education.alone", 0},
                    {"health.base", 0},
                    {"finance.middle", 1},
                    {"finance.top", 2}};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(er_ruleset_rule(rs, i)->id, expected[i].id);
        assert_int_equal(er_ruleset_rule(rs, i)->stage, expected[i].stage);
    }
    er_ruleset_free(rs);
}

/* ---- params ------------------------------------------------------------------ */

static const char *params_json(er_ruleset *rs, const char *id)
{
    static char out[512];
    er_buf b;
    er_buf_init(&b);
    int32_t i = er_ruleset_find(rs, id);
    assert_true(i >= 0);
    assert_int_equal(er_ruleset_params_json(rs, i, &b), ER_OK);
    snprintf(out, sizeof out, "%s", b.data);
    er_buf_free(&b);
    return out;
}

static void test_rules__set_params_overrides(void **state)
{
    (void)state;
    er_ruleset *rs = load("params");
    assert_string_equal(params_json(rs, "health.p"),
                        "{\"count\":3,\"label\":\"人均\",\"rate\":0.3,"
                        "\"strict\":true}");
    const char *sets[] = {"health.p.rate=0.5", "health.p.label=常住",
                          "health.p.strict=false", "health.p.count=4", NULL};
    assert_int_equal(er_ruleset_set_params(rs, sets), ER_OK);
    assert_string_equal(params_json(rs, "health.p"),
                        "{\"count\":4,\"label\":\"常住\",\"rate\":0.5,"
                        "\"strict\":false}");
    /* overrides do not accumulate: each call starts from the file */
    const char *one[] = {"health.p.rate=1e-2", NULL};
    assert_int_equal(er_ruleset_set_params(rs, one), ER_OK);
    assert_string_equal(params_json(rs, "health.p"),
                        "{\"count\":3,\"label\":\"人均\",\"rate\":0.01,"
                        "\"strict\":true}");
    assert_int_equal(er_ruleset_set_params(rs, NULL), ER_OK);
    assert_string_equal(params_json(rs, "health.p"),
                        "{\"count\":3,\"label\":\"人均\",\"rate\":0.3,"
                        "\"strict\":true}");
    er_ruleset_free(rs);
}

static void expect_set_error(er_ruleset *rs, const char *set,
                             const char *message)
{
    const char *sets[] = {set, NULL};
    assert_int_equal(er_ruleset_set_params(rs, sets), ER_EUSAGE);
    assert_string_equal(er_errmsg(), message);
}

/* --set numbers: plain decimals with a sign, a point or an exponent */
static void test_rules__set_params_decimal_forms(void **state)
{
    (void)state;
    er_ruleset *rs = load("params");
    const char *sets[] = {"health.p.rate=-.5e1", "health.p.count=+12", NULL};
    assert_int_equal(er_ruleset_set_params(rs, sets), ER_OK);
    assert_string_equal(params_json(rs, "health.p"),
                        "{\"count\":12,\"label\":\"人均\",\"rate\":-5,"
                        "\"strict\":true}");
    er_ruleset_free(rs);
}

static void test_rules__set_params_errors(void **state)
{
    (void)state;
    er_ruleset *rs = load("params");
    expect_set_error(rs, "health.nope.rate=1",
                     "--set health.nope.rate=1: no rule 'health.nope'");
    expect_set_error(rs, "health.p.ratio=1",
                     "--set health.p.ratio=1: rule 'health.p' has no param "
                     "'ratio'");
    expect_set_error(rs, "health.p.rate=abc",
                     "--set health.p.rate=abc: 'abc' is not a number");
    expect_set_error(rs, "health.p.rate=",
                     "--set health.p.rate=: '' is not a number");
    expect_set_error(rs, "health.p.rate=0.5x",
                     "--set health.p.rate=0.5x: '0.5x' is not a number");
    expect_set_error(rs, "health.p.rate=inf",
                     "--set health.p.rate=inf: 'inf' is not a number");
    /* decimal only, nothing around it */
    expect_set_error(rs, "health.p.rate=0x10",
                     "--set health.p.rate=0x10: '0x10' is not a number");
    expect_set_error(rs, "health.p.rate= 0.9",
                     "--set health.p.rate= 0.9: ' 0.9' is not a number");
    expect_set_error(rs, "health.p.rate=0.9 ",
                     "--set health.p.rate=0.9 : '0.9 ' is not a number");
    expect_set_error(rs, "health.p.rate=nan",
                     "--set health.p.rate=nan: 'nan' is not a number");
    expect_set_error(rs, "health.p.rate=1e",
                     "--set health.p.rate=1e: '1e' is not a number");
    expect_set_error(rs, "health.p.rate=.",
                     "--set health.p.rate=.: '.' is not a number");
    expect_set_error(rs, "health.p.rate=1e999",
                     "--set health.p.rate=1e999: '1e999' is not a number");
    expect_set_error(rs, "health.p.strict=yes",
                     "--set health.p.strict=yes: expected true or false");
    expect_set_error(rs, "rate=1", "--set rate=1: expected RULE.PARAM=VALUE");
    expect_set_error(rs, "health.p.rate",
                     "--set health.p.rate: expected RULE.PARAM=VALUE");
    /* a failed call leaves the params as the file gives them */
    assert_string_equal(params_json(rs, "health.p"),
                        "{\"count\":3,\"label\":\"人均\",\"rate\":0.3,"
                        "\"strict\":true}");
    er_ruleset_free(rs);
}

/* ---- the sandbox ------------------------------------------------------------- */

static void test_rules__sandbox_hides_unsafe_functions(void **state)
{
    (void)state;
#define AT "sandbox/health/"
    /* reading a name the sandbox leaves out is an error naming it, at
     * load time as during evaluation */
#define LEFT_OUT(name)                                                     \
    "unknown global '" name "' (the sandbox leaves it out: rules cannot "  \
    "use it)"
    expect_case(
        "sandbox",
        LIST(AT "io.lua:1: " LEFT_OUT("io"),
             AT "os.lua:1: " LEFT_OUT("os"),
             AT "debug.lua:1: " LEFT_OUT("debug"),
             AT "package.lua:1: " LEFT_OUT("package"),
             AT "print.lua:1: " LEFT_OUT("print"),
             AT "coroutine.lua:1: " LEFT_OUT("coroutine"),
             AT "collectgarbage.lua:1: " LEFT_OUT("collectgarbage"),
             AT "dofile.lua:1: " LEFT_OUT("dofile"),
             AT "loadfile.lua:1: " LEFT_OUT("loadfile"),
             AT "string_dump.lua:1: attempt to call a nil value (field "
                "'dump')",
             AT "string_meta_dump.lua:2: attempt to call a nil value (local "
                "'d')",
             AT "math_random.lua:1: attempt to call a nil value (field "
                "'random')",
             AT "via_g.lua:1: " LEFT_OUT("io"),
             AT "require_io.lua:1: require: module 'io' not found (rules can "
                "require the modules of scripts/lib only)",
             AT "gc.lua:1: setmetatable: __gc is not allowed in rules",
             AT "string_metatable.lua:1: getmetatable: the string metatable "
                "is not available to rules",
             AT "bytecode.lua:4: load: attempt to load a binary chunk (mode "
                "is 't')",
             AT "reader.lua:4: load: only text chunks are allowed in rules"));
#undef LEFT_OUT
#undef AT
}

static const char rule_head[] = "return {\n"
                                "  id = \"health.g\",\n"
                                "  title = \"全局变量\",\n"
                                "  basis = \"测试\",\n"
                                "  kind = \"compliance\",\n"
                                "  level = \"province\",\n";

static void test_rules__global_assignment_during_evaluate_is_an_error(
    void **state)
{
    (void)state;
    harness *h = h_new();
    h_exec(h, "INSERT INTO region(code, name, level) VALUES "
              "('440000', '广东省', 'province');"
              "INSERT INTO metric(key, name) VALUES ('pop.resident', '常住');"
              "INSERT INTO fact(region, year, metric, value) VALUES "
              "('440000', 2019, 'pop.resident', 1);");
    char text[1024];
    /* a file may set globals while it loads, not while a rule evaluates */
    snprintf(text, sizeof text,
             "helper_value = 7\n%s"
             "  evaluate = function(r)\n"
             "    counter = helper_value + 1\n"
             "    return pass()\n"
             "  end,\n"
             "}\n",
             rule_head);
    h_write(h, "health/g.lua", text);
    snprintf(text, sizeof text,
             "%s"
             "  evaluate = function(r)\n"
             "    local ok, err = pcall(function() leaked = true end)\n"
             "    return fail(tostring(ok) .. ' ' .. tostring(leaked))\n"
             "  end,\n"
             "}\n",
             rule_head);
    char *p = strstr(text, "health.g\"");
    memcpy(p, "health.h\"", 9);
    h_write(h, "health/h.lua", text);
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);

    char expected[512];
    snprintf(expected, sizeof expected,
             "%s/health/g.lua:9: assignment to global 'counter' during "
             "evaluation (declare it local)",
             h->rules);
    h_expect(h, "health.g", "440000", 2019, "error", expected);
    /* pcall catches the error, but nothing was assigned: reading the
     * name afterwards finds no global of that name (an error that the
     * pcall does not hide) */
    snprintf(expected, sizeof expected,
             "%s/health/h.lua:9: unknown global 'leaked' (not in the rule "
             "environment: declare it local, or require the helper module "
             "that has it)",
             h->rules);
    h_expect(h, "health.h", "440000", 2019, "error", expected);
    h_free(h);
}

static void test_rules__unknown_global_is_an_error_naming_it(void **state)
{
    (void)state;
    harness *h = h_new();
    h_exec(h, "INSERT INTO region(code, name, level) VALUES "
              "('440000', '广东省', 'province');"
              "INSERT INTO metric(key, name) VALUES ('pop.resident', '常住人口');"
              "INSERT INTO fact(region, year, metric, value) VALUES "
              "('440000', 2019, 'pop.resident', 1);");
    char text[1024];
    /* at evaluation: a misspelt constructor, one that does not exist, a
     * capitalised params; a pcall does not hide it */
    h_rule(h, "health/a.lua", "health.a", "compliance", "province", "",
           "    return atleast(1, 2)");
    h_rule(h, "health/b.lua", "health.b", "compliance", "province", "",
           "    return minimum(1, 2)");
    h_rule(h, "health/c.lua", "health.c", "compliance", "province",
           "params = { floor = 1 },", "    return at_least(2, Params.floor)");
    h_rule(h, "health/d.lua", "health.d", "compliance", "province", "",
           "    local ok = pcall(function() return pas end)\n"
           "    return pass(tostring(ok))");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.a", "440000", 2019, "error",
             h_at(h, "health/a.lua", 9,
                  "unknown global 'atleast' (did you mean at_least?)"));
    h_expect(h, "health.b", "440000", 2019, "error",
             h_at(h, "health/b.lua", 9,
                  "unknown global 'minimum' (not in the rule environment: "
                  "declare it local, or require the helper module that has "
                  "it)"));
    h_expect(h, "health.c", "440000", 2019, "error",
             h_at(h, "health/c.lua", 9,
                  "unknown global 'Params' (did you mean params?)"));
    h_expect(h, "health.d", "440000", 2019, "error",
             h_at(h, "health/d.lua", 9,
                  "unknown global 'pas' (did you mean pass?)"));

    /* at load time: the file is a diagnostic with its line; globals the
     * file defines are known */
    snprintf(text, sizeof text,
             "local unit = \"元\"\n"
             "function helper() return 1 end\n"
             "local x = helper() + tonumbr(\"2\")\n"
             "return {}\n");
    h_write(h, "health/e.lua", text);
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, h->rules), ER_OK);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s/health/e.lua:3: unknown global 'tonumbr' (did you mean "
             "tonumber?)",
             h->rules);
    bool found = false;
    for (size_t i = 0; i < er_ruleset_diag_count(rs); i++)
        found = found || strcmp(er_ruleset_diag(rs, i), expected) == 0;
    if (!found) {
        print_diags(rs);
        fail_msg("expected diagnostic %s", expected);
    }
    er_ruleset_free(rs);
    h_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules__valid_file_gives_every_field),
        cmocka_unit_test(test_rules__missing_folder_is_not_found),
        cmocka_unit_test(test_rules__empty_folder_loads_no_rules),
        cmocka_unit_test(test_rules__missing_id),
        cmocka_unit_test(test_rules__bad_id_format),
        cmocka_unit_test(test_rules__id_outside_its_department_folder),
        cmocka_unit_test(test_rules__missing_title_or_basis),
        cmocka_unit_test(test_rules__bad_kind),
        cmocka_unit_test(test_rules__bad_level),
        cmocka_unit_test(test_rules__level_may_be_a_list),
        cmocka_unit_test(test_rules__bad_effective),
        cmocka_unit_test(test_rules__evaluate_not_a_function),
        cmocka_unit_test(test_rules__unknown_field),
        cmocka_unit_test(test_rules__params_of_a_bad_type),
        cmocka_unit_test(test_rules__needs_not_a_list_of_ids),
        cmocka_unit_test(test_rules__report_hint_names_a_known_chart),
        cmocka_unit_test(test_rules__report_hint_keys_load),
        cmocka_unit_test(
            test_rules__report_hint_shared_refuses_later_by_id),
        cmocka_unit_test(test_rules__syntax_error_names_file_and_line),
        cmocka_unit_test(
            test_rules__runtime_error_at_load_names_file_and_line),
        cmocka_unit_test(test_rules__file_must_return_rules),
        cmocka_unit_test(test_rules__file_outside_a_department_folder),
        cmocka_unit_test(test_rules__duplicate_id_first_wins),
        cmocka_unit_test(test_rules__needs_of_an_unknown_rule),
        cmocka_unit_test(test_rules__cycle_of_needs),
        cmocka_unit_test(test_rules__stages_follow_needs),
        cmocka_unit_test(test_rules__set_params_overrides),
        cmocka_unit_test(test_rules__set_params_decimal_forms),
        cmocka_unit_test(test_rules__set_params_errors),
        cmocka_unit_test(test_rules__sandbox_hides_unsafe_functions),
        cmocka_unit_test(
            test_rules__global_assignment_during_evaluate_is_an_error),
        cmocka_unit_test(test_rules__unknown_global_is_an_error_naming_it),
    };
    return cmocka_run_group_tests_name("rules", tests, group_setup,
                                       group_teardown);
}
