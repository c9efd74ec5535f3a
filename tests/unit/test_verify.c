/*
 * test_verify.c - replaying a stored run (verify.c, sources.c): the field
 * by field comparison of two findings; a run replayed from its stored
 * sources after its rules folder went, with the messages quoting the
 * run's paths; a tampered finding reported; sources stored once per
 * content; a run that stored no sources refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"
#include "tools.h"

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

/* ---- comparing two findings ---------------------------------------------- */

typedef struct diffs {
    char text[8][160];
    int n;
} diffs;

static int keep_diff(void *ctx, const er_verify_row *f, const char *field,
                     const char *was, const char *now)
{
    diffs *d = ctx;
    (void)f;
    if (d->n < 8)
        snprintf(d->text[d->n++], sizeof d->text[0], "%s: %s -> %s", field,
                 was, now);
    return ER_OK;
}

static er_verify_row row(void)
{
    return (er_verify_row){.rule = "health.x",
                           .region = "441400",
                           .year = 2019,
                           .outcome = "fail",
                           .has_measured = true,
                           .has_required = true,
                           .has_amount = true,
                           .measured = 63.9269406392694,
                           .required = 69.0,
                           .amount = 12345,
                           .unit = "元/人",
                           .note = "note"};
}

static void test_verify__identical_findings_compare_equal(void **state)
{
    (void)state;
    er_verify_row a = row(), b = row();
    int n = -1;
    assert_int_equal(er_verify_compare_row(&a, &b, NULL, NULL, &n), ER_OK);
    assert_int_equal(n, 0);
    a.measured = b.measured = 0.0 / 0.0; /* NaN equals NaN here */
    assert_int_equal(er_verify_compare_row(&a, &b, NULL, NULL, &n), ER_OK);
    assert_int_equal(n, 0);
}

static void test_verify__each_field_that_differs_is_named(void **state)
{
    (void)state;
    er_verify_row a = row(), b = row();
    diffs d = {0};
    int n = 0;
    b.outcome = "pass";
    b.measured = nextafter(a.measured, 100); /* the last bit */
    b.has_required = false;
    b.amount = 12346; /* one fen */
    b.unit = NULL;
    b.note = "note ";
    assert_int_equal(er_verify_compare_row(&a, &b, keep_diff, &d, &n), ER_OK);
    assert_int_equal(n, 6);
    assert_int_equal(d.n, 6);
    assert_string_equal(d.text[0], "outcome: fail -> pass");
    assert_string_equal(d.text[1],
                        "measured: 63.926940639269397 -> 63.926940639269404");
    assert_string_equal(d.text[2], "required: 69 -> (none)");
    assert_string_equal(d.text[3], "amount: 123.45 -> 123.46");
    assert_string_equal(d.text[4], "unit: 元/人 -> (none)");
    assert_string_equal(d.text[5], "note: note -> note ");
}

static void test_verify__absent_amount_differs_from_zero(void **state)
{
    (void)state;
    er_verify_row a = row(), b = row();
    diffs d = {0};
    int n = 0;
    a.has_amount = false;
    b.amount = 0;
    assert_int_equal(er_verify_compare_row(&a, &b, keep_diff, &d, &n), ER_OK);
    assert_int_equal(n, 1);
    assert_string_equal(d.text[0], "amount: (none) -> 0.00");
}

/* ---- replaying a run ------------------------------------------------------ */

/* A rule whose error note quotes its file and line, one that reads a
 * helper module built in, and one whose measured is a float quotient. */
static void write_rules(harness *h, const char *standard_plus)
{
    char body[512];
    h_rule(h, "health/broken.lua", "health.broken", "compliance", "city", "",
           "    if r.code == '441400' then error('no data for ' .. r.code) "
           "end\n    return pass()");
    h_rule(h, "finance/split.lua", "finance.split", "allocation", "province",
           "",
           "    local money = require 'money'\n"
           "    return distribute(money.apportion(1000, { ['440100'] = 0.1, "
           "['440300'] = 0.2, ['441400'] = 0.3 }))");
    snprintf(body, sizeof body,
             "    return at_least(r:fact('health.public_health.spend') / "
             "r:fact('pop.resident'), r:standard('health.public_health') + "
             "%s, { unit = '元/人' })",
             standard_plus);
    h_rule(h, "health/per_capita.lua", "health.per_capita", "compliance",
           "city", "", body);
}

static void test_verify__a_run_replays_without_its_rules_folder(void **state)
{
    harness *h = *state;
    write_rules(h, "0");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    int64_t run = h->run;
    long stored = h_count(h, "SELECT count(*) FROM finding WHERE run = 1");
    assert_true(stored >= 7);
    /* the note of the error quotes the run's folder */
    h_expect(h, "health.broken", "441400", 2019, "error",
                h_at(h, "health/broken.lua", 9, "no data for 441400"));
    h_unlink(h, "health/broken.lua");
    h_unlink(h, "health/per_capita.lua");
    h_unlink(h, "finance/split.lua");

    er_verify_stats s;
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(er_verify(h->db, run, NULL, fp, &s), ER_OK);
    assert_int_equal(s.stored, stored);
    assert_int_equal(s.identical, stored);
    assert_int_equal(s.differing + s.missing + s.extra, 0);
    char line[256];
    rewind(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    char want[256];
    snprintf(want, sizeof want, "run 1 reproduced: %ld findings identical\n",
             stored);
    assert_string_equal(line, want);
    fclose(fp);
}

static void test_verify__a_tampered_finding_is_reported(void **state)
{
    harness *h = *state;
    write_rules(h, "0");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_exec(h, "UPDATE finding SET measured = measured * 2 WHERE run = 1 AND "
              "rule = 'health.per_capita' AND region = '440100';"
              "DELETE FROM finding WHERE run = 1 AND rule = 'finance.split' "
              "AND region = '440300'");
    er_verify_stats s;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    assert_int_equal(er_verify(h->db, 1, NULL, fp, &s), ER_OK);
    fclose(fp);
    assert_int_equal(s.differing, 1);
    assert_int_equal(s.fields, 1);
    assert_int_equal(s.missing, 0);
    assert_int_equal(s.extra, 1);
    assert_non_null(strstr(text, "  health.per_capita 440100 2019 measured: "
                                 "stored 143.70725525674607, now 71.853627628373033\n"));
    assert_non_null(strstr(text, "  finance.split 440300 2019: reproduced, "
                                 "not stored (allocation)\n"));
    free(text);
}

static void test_verify__sources_are_stored_once_per_content(void **state)
{
    harness *h = *state;
    write_rules(h, "0");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    long texts = h_count(h, "SELECT count(*) FROM rule_source");
    long listed = h_count(h, "SELECT count(*) FROM run_source WHERE run = 1");
    /* three rule files and every built-in module (no scripts/lib here) */
    assert_int_equal(h_count(h, "SELECT count(*) FROM run_source WHERE "
                                "run = 1 AND kind = 'rule'"),
                     3);
    assert_true(h_count(h, "SELECT count(*) FROM run_source WHERE run = 1 "
                           "AND kind = 'builtin' AND path = "
                           "'scripts/lib/money.lua' AND display = "
                           "'scripts/lib/money.lua'") == 1);
    assert_int_equal(texts, listed);
    assert_int_equal(h_run(h, 2019, 2019), ER_OK); /* unchanged */
    assert_int_equal(h_count(h, "SELECT count(*) FROM rule_source"), texts);
    write_rules(h, "1");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK); /* one file edited */
    assert_int_equal(h_count(h, "SELECT count(*) FROM rule_source"),
                     texts + 1);
    /* run 3 replays with its own version of the file */
    er_verify_stats s;
    assert_int_equal(er_verify(h->db, 3, NULL, NULL, &s), ER_OK);
    assert_int_equal(s.identical, s.stored);
    assert_int_equal(s.differing + s.missing + s.extra, 0);
    /* pruning keeps what runs refer to, drops the rest */
    long deleted = -1;
    assert_int_equal(er_sources_prune(h->db->db, &deleted), ER_OK);
    assert_int_equal(deleted, 0);
    h_exec(h, "DELETE FROM run WHERE id IN (1, 2)");
    h_exec(h, "DELETE FROM run_source WHERE run IN (1, 2)");
    assert_int_equal(er_sources_prune(h->db->db, &deleted), ER_OK);
    assert_int_equal(deleted, 1);
}

static void test_verify__a_run_without_sources_is_refused(void **state)
{
    harness *h = *state;
    write_rules(h, "0");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_exec(h, "DELETE FROM run_source");
    assert_int_equal(er_verify(h->db, 1, NULL, NULL, NULL), ER_ENOTFOUND);
    assert_string_equal(er_errmsg(),
                        "run 1 stored no rule sources (it was recorded "
                        "before rule sources were kept in the database, "
                        "schema version 13): it cannot be replayed");
    assert_int_equal(er_verify(h->db, 7, NULL, NULL, NULL), ER_ENOTFOUND);
}

static void test_verify__changed_data_is_refused(void **state)
{
    harness *h = *state;
    write_rules(h, "0");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_exec(h, "UPDATE fact SET value = value + 1 WHERE region = '440100' "
              "AND year = 2019 AND metric = 'pop.resident'");
    /* changed outside import: the data as of the run's version is not
     * what the run read */
    assert_int_equal(er_verify(h->db, 1, NULL, NULL, NULL), ER_EDATA);
    assert_non_null(strstr(er_errmsg(), "run 1 cannot be replayed: the data "
                                        "rebuilt as of its data version "
                                        "differs from what it read"));
    /* a run stored before data versions replays on the data held now,
     * only if it is the data it read */
    h_exec(h, "UPDATE run SET data_version = NULL");
    assert_int_equal(er_verify(h->db, 1, NULL, NULL, NULL), ER_EDATA);
    assert_non_null(strstr(er_errmsg(), "run 1 cannot be replayed: its data "
                                        "is not the data held now"));
    h_exec(h, "UPDATE fact SET value = value - 1 WHERE region = '440100' "
              "AND year = 2019 AND metric = 'pop.resident'");
    er_verify_stats s;
    assert_int_equal(er_verify(h->db, 1, NULL, NULL, &s), ER_OK);
    assert_int_equal(s.identical, s.stored);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify__identical_findings_compare_equal),
        cmocka_unit_test(test_verify__each_field_that_differs_is_named),
        cmocka_unit_test(test_verify__absent_amount_differs_from_zero),
        cmocka_unit_test_setup_teardown(
            test_verify__a_run_replays_without_its_rules_folder, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_verify__a_tampered_finding_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_verify__sources_are_stored_once_per_content, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_verify__a_run_without_sources_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify__changed_data_is_refused,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
