/*
 * test_record.c - the findings store as the recorder writes it (schema
 * version 11): two findings of one rule, region and year both kept, in the
 * order they were recorded; the rules numbered in the order of their ids;
 * units and repeated notes kept once per run, notes said once in their
 * rows; the view `finding` and the report reading it all back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness.h"
#include "report.h"

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

/* "a|b|c" lines of every row of `sql` (a static buffer). */
static const char *rows(harness *h, const char *sql)
{
    static char buf[8192];
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    buf[0] = '\0';
    if (sqlite3_prepare_v2(h->db->db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h->db->db));
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s",
                                  i ? "|" : "", t ? (const char *)t : "-");
        }
        n += (size_t)snprintf(buf + n, sizeof buf - n, "\n");
        assert_true(n < sizeof buf);
    }
    sqlite3_finalize(st);
    return buf;
}

/* A rule of levels {province, city}: the province distributes to two
 * cities, and each city is evaluated too: 440100 and 441400 have two
 * findings of the rule in 2019, the allocation recorded first. */
static void test_record__a_region_with_two_findings_keeps_both_in_order(
    void **state)
{
    harness *h = *state;
    h_write(h, "finance/pool.lua",
            "return {\n"
            "  id = \"finance.pool\",\n"
            "  title = \"测试规则\",\n"
            "  basis = \"测试\",\n"
            "  kind = \"allocation\",\n"
            "  level = { \"province\", \"city\" },\n"
            "  evaluate = function(r)\n"
            "    if r.level == 'province' then\n"
            "      return distribute({ ['441400'] = 12.5, ['440100'] = 3 },"
            " '分配')\n"
            "    end\n"
            "    return pass('本市')\n"
            "  end,\n"
            "}\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    assert_string_equal(
        rows(h, "SELECT region, outcome, amount, note FROM finding "
                "WHERE region IN ('440100', '441400') ORDER BY region"),
        "440100|allocation|300|分配\n"
        "440100|pass|-|本市\n"
        "441400|allocation|1250|分配\n"
        "441400|pass|-|本市\n");
    assert_string_equal(
        rows(h, "SELECT region, seq, outcome FROM finding_row "
                "WHERE region IN (440100, 441400) ORDER BY region, seq"),
        "440100|0|5\n440100|1|0\n441400|0|5\n441400|1|0\n");

    /* the report reads them in the stored order */
    er_report *r = NULL;
    assert_int_equal(er_report_load(h->db, h->run, &r), ER_OK);
    char line[8192];
    size_t n = 0;
    line[0] = '\0';
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        n += (size_t)snprintf(line + n, sizeof line - n, "%s:%s ",
                              r->regions[f->region].code,
                              er_outcome_name((er_outcome)f->outcome));
    }
    er_report_free(r);
    /* (the province's evaluation is its allocations) */
    assert_string_equal(line, "440100:allocation 440100:pass 440300:pass "
                              "441400:allocation 441400:pass ");
    (void)n;
}

/* Rules are numbered in the order of their ids, whatever order the rule
 * set holds them in; findings read back in rule id, region code order. */
static void test_record__rules_are_numbered_in_the_order_of_their_ids(
    void **state)
{
    harness *h = *state;
    h_rule(h, "health/zeta.lua", "health.zeta", "compliance", "city", "",
           "    return pass()");
    h_rule(h, "finance/alpha.lua", "finance.alpha", "compliance", "city", "",
           "    return fail()");
    h_rule(h, "health/beta.lua", "health.beta", "compliance", "city", "",
           "    return warn()");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    assert_string_equal(
        rows(h, "SELECT id, rule FROM finding_rule ORDER BY id"),
        "0|finance.alpha\n1|health.beta\n2|health.zeta\n");
    er_findings *it = NULL;
    const er_finding_row *row = NULL;
    char line[2048];
    size_t n = 0;
    line[0] = '\0';
    assert_int_equal(er_findings_open(&it, h->db, h->run, NULL), ER_OK);
    while (er_findings_next(it, &row) == 1)
        n += (size_t)snprintf(line + n, sizeof line - n, "%s:%s ", row->rule,
                              row->region);
    er_findings_free(it);
    assert_string_equal(line, "finance.alpha:440100 finance.alpha:440300 "
                              "finance.alpha:441400 health.beta:440100 "
                              "health.beta:440300 health.beta:441400 "
                              "health.zeta:440100 health.zeta:440300 "
                              "health.zeta:441400 ");
}

/* A unit is a text of the run at once, a note from its second use; a note
 * said once stays in its row; the view reads them all back. */
static void test_record__units_and_repeated_notes_are_kept_once(void **state)
{
    harness *h = *state;
    h_rule(h, "health/ratio.lua", "health.ratio", "compliance", "city", "",
           "    local note = r.code == '441400' and '只此一处' or '各市相同'\n"
           "    return at_least(1, 2, { unit = '元/人', note = note })");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    assert_string_equal(rows(h, "SELECT text FROM finding_text ORDER BY id"),
                        "元/人\n各市相同\n");
    assert_string_equal(
        rows(h, "SELECT region, typeof(unit), typeof(note) FROM finding_row "
                "ORDER BY region"),
        /* 440100's note was its first use: in its row */
        "440100|integer|text\n440300|integer|integer\n"
        "441400|integer|text\n");
    assert_string_equal(
        rows(h, "SELECT region, outcome, measured, required, unit, note "
                "FROM finding ORDER BY region"),
        "440100|fail|1.0|2.0|元/人|各市相同\n"
        "440300|fail|1.0|2.0|元/人|各市相同\n"
        "441400|fail|1.0|2.0|元/人|只此一处\n");
}

/* The view takes rows too: a rule new to the run takes its place in the
 * order of the ids, and deleting through the view deletes the row. */
static void test_record__the_view_takes_inserts_and_deletes(void **state)
{
    harness *h = *state;
    h_rule(h, "health/m.lua", "health.m", "compliance", "city", "",
           "    return pass()");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO finding VALUES (%lld, 'health.a', '440300', 2019, "
             "'cut', NULL, NULL, 500, NULL, 'x');"
             "DELETE FROM finding WHERE run = %lld AND region = '441400';",
             (long long)h->run, (long long)h->run);
    h_exec(h, sql);
    assert_string_equal(
        rows(h, "SELECT id, rule FROM finding_rule ORDER BY id"),
        "0|health.a\n1|health.m\n");
    assert_string_equal(
        rows(h, "SELECT rule, region, outcome, amount FROM finding "
                "ORDER BY rule, region"),
        "health.a|440300|cut|500\nhealth.m|440100|pass|-\n"
        "health.m|440300|pass|-\n");
    /* a word the outcomes do not have is refused, naming them */
    snprintf(sql, sizeof sql,
             "INSERT INTO finding VALUES (%lld, 'health.a', '440300', 2019, "
             "'passed', NULL, NULL, NULL, NULL, NULL)",
             (long long)h->run);
    char *msg = NULL;
    assert_int_not_equal(sqlite3_exec(h->db->db, sql, NULL, NULL, &msg),
                         SQLITE_OK);
    assert_non_null(strstr(msg, "finding.outcome must be one of pass, "
                                "fail, warn"));
    sqlite3_free(msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_record__a_region_with_two_findings_keeps_both_in_order,
            setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_record__rules_are_numbered_in_the_order_of_their_ids, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_record__units_and_repeated_notes_are_kept_once, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_record__the_view_takes_inserts_and_deletes, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
