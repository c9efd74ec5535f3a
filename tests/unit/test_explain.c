/*
 * test_explain.c - one evaluation traced (explain.c): the facts read with
 * their source, the standards with the scope chosen and why, shares,
 * transfers, has, results of needed rules (evaluated first), each with the
 * rule's line, then the outcome; the errors a user can make; nothing
 * recorded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

static void load_data(harness *h)
{
    static const char *const tables[] = {"region", "metric", "item",
                                         "standard", "fact"};
    for (size_t i = 0; i < 5; i++) {
        char path[512];
        snprintf(path, sizeof path, ER_FIXTURES_DIR "/tools/data/%s.csv",
                 tables[i]);
        assert_int_equal(er_import_file(h->db, tables[i], path, 0, NULL),
                         ER_OK);
    }
    h_exec(h, "INSERT INTO share(item, tier, year_from, year_to, "
              "province_share) VALUES ('health.public_health', 1, 2018, "
              "NULL, 0.7);"
              "INSERT INTO transfer(region, year, item, amount) VALUES "
              "('441500', 2019, 'health.public_health', 123456.5);"
              "INSERT INTO standard(key, scope, region, year_from, year_to, "
              "value, unit, basis) VALUES ('health.public_health', 'local', "
              "'440000', 2019, NULL, 80, '元/人', '省内地方标准');");
}

static int setup(void **state)
{
    harness *h = h_new();
    load_data(h);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

/* Loads the harness's rules and explains; the output in *text. */
static int explain(harness *h, er_explain_opts *o, char **text)
{
    er_ruleset_free(h->rs);
    h->rs = NULL;
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    assert_int_equal(er_ruleset_diag_count(h->rs), 0);
    size_t len = 0;
    FILE *fp = open_memstream(text, &len);
    int rc = er_explain(h->db, h->rs, o, fp);
    fclose(fp);
    return rc;
}

static void test_explain__facts_and_standard_with_scope(void **state)
{
    harness *h = *state;
    /* evaluate is on line 8, its body from line 9 */
    h_rule(h, "health/per_capita.lua", "health.per_capita", "compliance",
           "city", "item = 'health.public_health',",
           "    local standard = r:standard('health.public_health')\n"
           "    local spend = r:fact('health.public_health.spend')\n"
           "    local pop = r:fact('pop.resident')\n"
           "    return at_least(spend / pop, standard, { unit = '元/人',\n"
           "      note = 'spend / residents' })");
    er_explain_opts o = {.rule = "health.per_capita", .region = "441500"};
    char *text = NULL;
    assert_int_equal(explain(h, &o, &text), ER_OK);
    assert_non_null(strstr(text, "explain health.per_capita · 441500 汕尾市 · "
                                 "2019\n"));
    assert_non_null(strstr(
        text, "  line 9    standard  health.public_health = 69 元/人  "
              "(binding: national 69 > provincial 60; in force 2019; basis: "
              "test: national 2019)\n"));
    assert_non_null(strstr(text, "  line 10   fact      "
                                 "health.public_health.spend = 201000000  "
                                 "(source: test: 汕尾)\n"));
    assert_non_null(strstr(text, "  line 11   fact      pop.resident = "
                                 "3000000  (source: test: 汕尾)\n"));
    assert_non_null(strstr(text, "\noutcome   fail\nmeasured  67 元/人\n"
                                 "required  69 元/人\nnote      spend / "
                                 "residents\n"));
    free(text);
    /* by name, and nothing was recorded */
    o.region = "汕尾市";
    assert_int_equal(explain(h, &o, &text), ER_OK);
    assert_non_null(strstr(text, "· 441500 汕尾市 ·"));
    free(text);
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), 0);
    assert_int_equal(h_count(h, "SELECT count(*) FROM finding"), 0);
}

static void test_explain__scopes_share_transfer_has(void **state)
{
    harness *h = *state;
    /* catalogued, without a value (a key not in the catalog is a rule
     * bug: test_view) */
    h_exec(h, "INSERT INTO metric(key, name) VALUES ('pop.registered', "
              "'户籍人口')");
    h_rule(h, "health/reads.lua", "health.reads", "compliance", "city", "",
           "    local l = r:standard('health.public_health', 'local')\n"
           "    local p = r:standard('health.public_health', 'provincial')\n"
           "    local s = r:share('health.public_health')\n"
           "    local t = r:transfer('health.public_health')\n"
           "    local h = r:has('pop.registered')\n"
           "    local k = r:standard('no.such.key')\n"
           "    return pass()");
    er_explain_opts o = {.rule = "health.reads", .region = "441500",
                         .year = 2019};
    char *text = NULL;
    assert_int_equal(explain(h, &o, &text), ER_OK);
    assert_non_null(strstr(text, "standard  health.public_health [local] = "
                                 "80 元/人  (local standard inherited from "
                                 "440000 广东省; in force 2019-; basis: "
                                 "省内地方标准)"));
    assert_non_null(strstr(text, "line 10   standard  health.public_health "
                                 "[provincial] = 60 元/人  (provincial "
                                 "standard;"));
    assert_non_null(strstr(text, "line 11   share     health.public_health "
                                 "tier 1 = 0.7\n"));
    assert_non_null(strstr(text, "line 12   transfer  health.public_health "
                                 "= 123456.5 元\n"));
    assert_non_null(strstr(text, "line 13   has       pop.registered = "
                                 "false\n"));
    assert_non_null(strstr(text, "line 14   standard  no.such.key = nil  (no "
                                 "national or provincial standard in force: "
                                 "nil)\n"));
    assert_non_null(strstr(text, "reads, in order (6)"));
    free(text);
}

/* A county's reads: the tier taken from its city, the city's split and
 * which row of it, the payment from its city; the same in JSON. */
static void test_explain__county_tier_split_and_city_transfer(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO region(code, name, level, parent) VALUES "
              "('441502', '城区', 'county', '441500');"
              "INSERT INTO split(city, item, year_from, year_to, city_share) "
              "VALUES ('441500', NULL, 2018, NULL, 0.6);"
              "INSERT INTO city_transfer(region, year, item, amount) VALUES "
              "('441502', 2019, 'health.public_health', 4968000);");
    h_rule(h, "health/county.lua", "health.county", "compliance", "county",
           "",
           "    local s = r:share('health.public_health')\n"
           "    local p = r:split('health.public_health')\n"
           "    local c = r:transfer('health.public_health', "
           "{ payer = 'city' })\n"
           "    return pass()");
    er_explain_opts o = {.rule = "health.county", .region = "441502",
                         .year = 2019};
    char *text = NULL;
    assert_int_equal(explain(h, &o, &text), ER_OK);
    assert_non_null(strstr(text, "line 9    share     health.public_health "
                                 "tier 1 = 0.7  (tier of 441500 汕尾市: the "
                                 "region has none)\n"));
    assert_non_null(strstr(text, "line 10   split     health.public_health "
                                 "= 0.6  (city's part, of 441500 汕尾市; its "
                                 "default row, years 2018..)\n"));
    assert_non_null(strstr(text, "line 11   transfer  health.public_health "
                                 "from its city = 4968000 元\n"));
    free(text);
    o.format = ER_FORMAT_JSON;
    assert_int_equal(explain(h, &o, &text), ER_OK);
    assert_non_null(strstr(text, "\"tier\": 1, \"tier_of\": \"441500\""));
    assert_non_null(strstr(text, "\"read\": \"split\""));
    assert_non_null(strstr(text, "\"city\": \"441500\", \"default\": true"));
    assert_non_null(strstr(text, "\"payer\": \"city\""));
    free(text);
}

static void test_explain__needed_results_and_json(void **state)
{
    harness *h = *state;
    h_rule(h, "health/city.lua", "health.city", "compliance", "city", "",
           "    return at_least(r:fact('health.public_health.spend') /\n"
           "                    r:fact('pop.resident'), 68)");
    h_rule(h, "health/province.lua", "health.province", "allocation",
           "province", "needs = { 'health.city' },",
           "    local out = {}\n"
           "    for _, c in ipairs(r:children('city')) do\n"
           "      local res = c:result('health.city')\n"
           "      if res.outcome == 'fail' then out[c.code] = 100 end\n"
           "    end\n"
           "    return distribute(out, 'to the failing cities')");
    er_explain_opts o = {.rule = "health.province", .region = "440000"};
    char *text = NULL;
    assert_int_equal(explain(h, &o, &text), ER_OK);
    assert_non_null(strstr(text, "  needs  health.city (evaluated first, as "
                                 "in a run)\n"));
    assert_non_null(strstr(text, "line 11   result    health.city of 441500 "
                                 "汕尾市 = fail, measured 67, required 68\n"));
    assert_non_null(strstr(text, "line 11   result    health.city of 440100 "
                                 "广州市 = pass"));
    assert_non_null(strstr(text, "outcome   allocation  to 441400 梅州市\n"
                                 "amount    100.00 元\n"));
    assert_non_null(strstr(text, "outcome   allocation  to 441500 汕尾市\n"));
    assert_null(strstr(text, "to 440100"));
    free(text);

    o.format = ER_FORMAT_JSON;
    assert_int_equal(explain(h, &o, &text), ER_OK);
    assert_non_null(strstr(text, "\"needs\": [\"health.city\"]"));
    assert_non_null(strstr(text, "{\"line\": 11, \"read\": \"result\", "
                                 "\"key\": \"health.city\", \"region\": "
                                 "\"441500\", \"year\": 2019, \"outcome\": "
                                 "\"fail\"}"));
    assert_non_null(strstr(text, "{\"region\": \"441400\", \"name\": "
                                 "\"梅州市\", \"outcome\": \"allocation\", "
                                 "\"measured\": null, \"required\": null, "
                                 "\"amount\": 100.00"));
    free(text);
}

static void test_explain__missing_fact_and_set(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO metric(key, name) VALUES ('pop.registered', "
              "'户籍人口')");
    h_rule(h, "health/gap.lua", "health.gap", "compliance", "city",
           "params = { floor = 60 },",
           "    local x = r:fact('pop.registered')\n"
           "    return at_least(x, params.floor)");
    const char *sets[] = {"health.gap.floor=99", NULL};
    er_explain_opts o = {.rule = "health.gap", .region = "441400",
                         .sets = sets};
    char *text = NULL;
    assert_int_equal(explain(h, &o, &text), ER_OK);
    assert_non_null(strstr(text, "params {\"floor\":99}"));
    assert_non_null(strstr(text, "line 9    fact      pop.registered = "
                                 "missing: the evaluation stops with outcome "
                                 "missing\n"));
    assert_non_null(strstr(text, "outcome   missing\n"));
    free(text);
}

static void test_explain__user_errors(void **state)
{
    harness *h = *state;
    h_rule(h, "health/one.lua", "health.one", "compliance", "city",
           "effective = { from = 2020 },", "    return pass()");
    char *text = NULL;
    er_explain_opts o = {.rule = "health.none", .region = "441400"};
    assert_int_equal(explain(h, &o, &text), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "no rule 'health.none'"));
    free(text);
    o.rule = "health.one";
    o.region = "999999";
    assert_int_equal(explain(h, &o, &text), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "no region '999999'"));
    free(text);
    o.region = "440000";
    assert_int_equal(explain(h, &o, &text), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "health.one evaluates city regions; "
                                        "440000 广东省 is a province"));
    free(text);
    o.region = "441400";
    assert_int_equal(explain(h, &o, &text), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "not in force in 2019"));
    free(text);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_explain__facts_and_standard_with_scope),
        T(test_explain__scopes_share_transfer_has),
        T(test_explain__county_tier_split_and_city_transfer),
        T(test_explain__needed_results_and_json),
        T(test_explain__missing_fact_and_set),
        T(test_explain__user_errors),
    };
#undef T
    return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
