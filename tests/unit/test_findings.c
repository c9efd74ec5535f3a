/*
 * test_findings.c - the findings of a stored run read back as data through
 * the public iterator (er_findings_open, er_findings_next): every field of a
 * row, each filter, the order, and the errors a caller sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness.h"

/* The sample data, two rules over its 21 cities in 2018-2019: health.check
 * fails for 梅州市 (441400) only, finance.cutter cuts 12.50 元 there. */
static int setup(void **state)
{
    harness *h = h_new();
    assert_int_equal(er_db_load_sample(h->db), ER_OK);
    h_rule(h, "health/check.lua", "health.check", "compliance", "city", "",
           "    local v = r.code == '441400' and 5 or 10\n"
           "    return at_least(v, 8, { unit = '元', note = 'checked' })");
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

/* Reads every row of `filter` into "rule|region|year|outcome" lines. */
static char *read_all(harness *h, const er_findings_filter *filter,
                      long *n_out)
{
    er_findings *it = NULL;
    const er_finding_row *row;
    er_buf out;
    int rc;
    long n = 0;
    er_buf_init(&out);
    assert_int_equal(er_findings_open(&it, h->db, h->run, filter), ER_OK);
    while ((rc = er_findings_next(it, &row)) == 1) {
        er_buf_printf(&out, "%s|%s|%d|%s\n", row->rule, row->region,
                      row->year, er_outcome_name(row->outcome));
        n++;
    }
    assert_int_equal(rc, 0);
    assert_null(row);
    er_findings_free(it);
    *n_out = n;
    return out.data ? er_buf_detach(&out) : er_strdup("");
}

static void test_findings__a_row_holds_every_field(void **state)
{
    harness *h = *state;
    er_findings_filter f = {.rule = "health.check", .region = "441400",
                            .year = 2019};
    er_findings *it = NULL;
    const er_finding_row *row = NULL;
    assert_int_equal(er_findings_open(&it, h->db, h->run, &f), ER_OK);
    assert_int_equal(er_findings_next(it, &row), 1);
    assert_string_equal(row->rule, "health.check");
    assert_string_equal(row->department, "health");
    assert_string_equal(row->region, "441400");
    assert_string_equal(row->region_name, "梅州市");
    assert_int_equal(row->year, 2019);
    assert_int_equal(row->outcome, ER_FAIL);
    assert_true(row->has_measured && row->has_required && !row->has_amount);
    assert_near(row->measured, 5, 0);
    assert_near(row->required, 8, 0);
    assert_string_equal(row->unit, "元");
    assert_string_equal(row->note, "checked");
    assert_int_equal(er_findings_next(it, &row), 0);
    er_findings_free(it);
}

static void test_findings__failing_only(void **state)
{
    harness *h = *state;
    er_findings_filter f = {.outcomes = ER_OUTCOMES_FAILING};
    long n;
    char *rows = read_all(h, &f, &n);
    assert_string_equal(rows, "health.check|441400|2018|fail\n"
                              "health.check|441400|2019|fail\n");
    free(rows);
}

static void test_findings__by_department_and_outcome(void **state)
{
    harness *h = *state;
    er_findings_filter f = {.department = "finance",
                            .outcomes = ER_OUTCOME_BIT(ER_CUT)};
    er_findings *it = NULL;
    const er_finding_row *row;
    int years = 0;
    assert_int_equal(er_findings_open(&it, h->db, h->run, &f), ER_OK);
    while (er_findings_next(it, &row) == 1) {
        assert_string_equal(row->rule, "finance.cutter");
        assert_string_equal(row->region, "441400");
        assert_true(row->has_amount);
        assert_true(row->amount_fen == 1250);
        assert_int_equal(row->year, 2018 + years++);
    }
    assert_int_equal(years, 2);
    er_findings_free(it);
    /* a department with no rule in the run reads nothing */
    f.department = "education";
    long n;
    free(read_all(h, &f, &n));
    assert_int_equal(n, 0);
}

static void test_findings__all_of_a_run_in_rule_region_year_order(
    void **state)
{
    harness *h = *state;
    long n;
    char *rows = read_all(h, NULL, &n);
    er_run_summary sum;
    assert_int_equal(er_run_summarize(h->db, h->run, &sum), ER_OK);
    assert_int_equal(n, sum.findings);
    assert_int_equal(n, 2 * 21 * 2);
    /* finance.cutter before health.check; regions, then years */
    assert_non_null(strstr(rows, "finance.cutter|440100|2018|pass\n"
                                 "finance.cutter|440100|2019|pass\n"
                                 "finance.cutter|440200|2018|pass\n"));
    assert_true(strstr(rows, "finance.cutter|") < strstr(rows, "health."));
    /* one year of one region */
    er_findings_filter f = {.region = "440300", .year = 2018};
    free(rows);
    rows = read_all(h, &f, &n);
    assert_string_equal(rows, "finance.cutter|440300|2018|pass\n"
                              "health.check|440300|2018|pass\n");
    free(rows);
}

static void test_findings__errors_a_caller_sees(void **state)
{
    harness *h = *state;
    er_findings *it = NULL;
    char msg[512];
    assert_int_equal(er_findings_open(&it, h->db, 999, NULL), ER_ENOTFOUND);
    assert_null(it);
    snprintf(msg, sizeof msg,
             "no run 999 in %s; `equirule runs --db %s` lists the stored "
             "runs",
             h->dbpath, h->dbpath);
    assert_string_equal(er_errmsg(), msg);
    er_findings_filter f = {.outcomes = 1u << 20};
    assert_int_equal(er_findings_open(&it, h->db, h->run, &f), ER_EUSAGE);
    assert_string_equal(er_errmsg(),
                        "the outcome filter 0x100000 names no outcome");
    assert_null(it);
    er_findings_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_findings__a_row_holds_every_field),
        cmocka_unit_test(test_findings__failing_only),
        cmocka_unit_test(test_findings__by_department_and_outcome),
        cmocka_unit_test(
            test_findings__all_of_a_run_in_rule_region_year_order),
        cmocka_unit_test(test_findings__errors_a_caller_sees),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
