/*
 * test_region.c - the region a user names (er_region_resolve: code, name,
 * short name, English name; ambiguous and unknown names) and the report
 * filters built on it (er_report_write_filtered): a region with everything
 * below it, rule prefixes, what the header says, and the errors a user
 * sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness.h"
#include "report.h"

/* The sample with, instead of its own counties, three counties under 梅州市
 * (441400) and two counties named 城区 elsewhere; a city rule, a county rule and a cut rule run over
 * 2018-2019. */
static int setup(void **state)
{
    harness *h = h_new();
    assert_int_equal(er_db_load_sample(h->db), ER_OK);
    /* the sample's own counties out, these in */
    h_exec(h, "DELETE FROM fact WHERE region IN (SELECT code FROM region "
              "WHERE level = 'county');"
              "DELETE FROM transfer WHERE region IN (SELECT code FROM region "
              "WHERE level = 'county');"
              "DELETE FROM city_transfer;"
              "DELETE FROM region WHERE level = 'county';");
    h_exec(h, "INSERT INTO region(code, name, name_en, level, parent) VALUES "
              "('441402', '梅江区', 'Meijiang', 'county', '441400'),"
              "('441403', '梅县区', 'Meixian', 'county', '441400'),"
              "('441426', '平远县', 'Pingyuan', 'county', '441400'),"
              "('441502', '城区', 'Chengqu', 'county', '441500'),"
              "('441602', '城区', NULL, 'county', '441600');");
    h_rule(h, "health/check.lua", "health.check", "compliance", "city", "",
           "    return at_least(r.code == '441400' and 5 or 10, 8)");
    h_rule(h, "health/county_check.lua", "health.county.check",
           "compliance", "county", "", "    return pass()");
    h_rule(h, "finance/cutter.lua", "finance.cutter", "cut", "city", "",
           "    return cut(r.code == '441400' and 12.5 or 0)");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

static void expect_code(harness *h, const char *spec, const char *want)
{
    char code[ER_REGION_CODE_SIZE];
    assert_int_equal(er_region_resolve(h->db->db, "t.db", spec, code), ER_OK);
    assert_string_equal(code, want);
}

static void test_region__code_name_short_name_english_name(void **state)
{
    harness *h = *state;
    expect_code(h, "441400", "441400");
    expect_code(h, "梅州市", "441400");
    expect_code(h, "梅州", "441400");
    expect_code(h, "MEIZHOU", "441400");
    expect_code(h, "梅县", "441403");  /* 梅县区 */
    expect_code(h, "平远", "441426");  /* 平远县 */
    expect_code(h, "441502", "441502"); /* a shared name, by its code */
}

static void test_region__ambiguous_and_unknown_are_usage_errors(void **state)
{
    harness *h = *state;
    char code[ER_REGION_CODE_SIZE] = "x";
    assert_int_equal(er_region_resolve(h->db->db, "t.db", "城区", code),
                     ER_EUSAGE);
    assert_string_equal(code, "");
    assert_string_equal(er_errmsg(),
                        "region '城区' is ambiguous in t.db: 441502 城区 "
                        "(county), 441602 城区 (county); give the code");
    assert_int_equal(er_region_resolve(h->db->db, "t.db", "Meizou", code),
                     ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "no region 'Meizou' in t.db (did "
                                        "you mean Meizhou?)"));
}

/* The report of the last run with `f` as CSV: its rows, counted. */
static long csv_rows(harness *h, const er_report_filter *f, int *rc_out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    *rc_out = er_report_write_filtered(h->db, h->run, f, ER_FORMAT_CSV, 0, fp);
    fclose(fp);
    long n = -1; /* the header */
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    free(text);
    return n;
}

static void test_region__filter_takes_the_region_and_below(void **state)
{
    harness *h = *state;
    int rc;
    const char *meizhou[] = {"梅州", NULL};
    er_report_filter f = {.regions = meizhou};
    /* 2 city rules on 441400 and the county rule on its 3 counties, over
     * 2 years */
    assert_int_equal(csv_rows(h, &f, &rc), 10);
    assert_int_equal(rc, ER_OK);
    const char *county[] = {"梅县区", NULL};
    f.regions = county;
    assert_int_equal(csv_rows(h, &f, &rc), 2);
    const char *health[] = {"health", NULL};
    f = (er_report_filter){.regions = meizhou, .rules = health};
    assert_int_equal(csv_rows(h, &f, &rc), 8); /* health.* */
    f = (er_report_filter){.regions = meizhou, .year = 2019,
                           .outcomes = ER_OUTCOMES_FAILING};
    assert_int_equal(csv_rows(h, &f, &rc), 1);
    const char *finance[] = {"finance", NULL};
    f = (er_report_filter){.depts = finance, .outcomes =
                                                 ER_OUTCOME_BIT(ER_CUT)};
    assert_int_equal(csv_rows(h, &f, &rc), 2);
}

static void test_region__header_and_totals_are_of_the_filter(void **state)
{
    harness *h = *state;
    const char *meizhou[] = {"441400", NULL};
    er_report_filter f = {.regions = meizhou, .year = 2019};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_int_equal(
        er_report_write_filtered(h->db, h->run, &f, ER_FORMAT_JSON, 0, fp),
        ER_OK);
    fclose(fp);
    assert_non_null(strstr(text, "\"filter\": {\"regions\": [{\"code\": "
                                 "\"441400\", \"name\": \"梅州市\"}], "
                                 "\"departments\": [], \"rules\": [], "
                                 "\"year\": 2019, \"outcomes\": []},"));
    /* one cut of 12.50 元 in 2019, not the run's 25.00 */
    assert_non_null(strstr(text, "\"cut_fen\": 1250,"));
    free(text);
}

static void test_region__filter_mistakes_are_loud(void **state)
{
    harness *h = *state;
    int rc;
    const char *dept[] = {"helth", NULL};
    er_report_filter f = {.depts = dept};
    csv_rows(h, &f, &rc);
    assert_int_equal(rc, ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "(did you mean health?)"));
    const char *rule[] = {"health.chek", NULL};
    f = (er_report_filter){.rules = rule};
    csv_rows(h, &f, &rc);
    assert_int_equal(rc, ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "(did you mean health.check?)"));
    const char *prefix[] = {"health.chec", NULL}; /* not a prefix up to a dot */
    f = (er_report_filter){.rules = prefix};
    csv_rows(h, &f, &rc);
    assert_int_equal(rc, ER_EUSAGE);
    f = (er_report_filter){.year = 2017};
    assert_int_equal(csv_rows(h, &f, &rc), -1); /* nothing written */
    assert_int_equal(rc, ER_ENOTFOUND);
    assert_non_null(strstr(er_errmsg(), "passes the filter (year 2017)"));
    unsigned bits = 0;
    assert_int_equal(er_outcomes_parse("fail,misssing", &bits), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "(did you mean missing?)"));
    bits = 0;
    assert_int_equal(er_outcomes_parse("failing,cut", &bits), ER_OK);
    assert_int_equal(bits, ER_OUTCOMES_FAILING | ER_OUTCOME_BIT(ER_CUT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region__code_name_short_name_english_name),
        cmocka_unit_test(test_region__ambiguous_and_unknown_are_usage_errors),
        cmocka_unit_test(test_region__filter_takes_the_region_and_below),
        cmocka_unit_test(test_region__header_and_totals_are_of_the_filter),
        cmocka_unit_test(test_region__filter_mistakes_are_loud),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
