/*
 * test_snapshot.c - the snapshot's roll-ups: an absent value of a metric
 * that sums is the sum of ALL the region's children's (nested, money to
 * the fen), never a partial sum, never replacing a stored value; the
 * metric's aggregate (schema 7: defaults by kind, sum refused for a
 * ratio, an upgraded database of version 6 on the defaults); what a rule
 * reading an absent roll-up records (missing, the gap on the children
 * lacking data); and check's warning where a stored parent value differs
 * from its children's sum.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "harness.h"
#include "schema10.h"
#include "report.h"

/* A province (440000), two cities, the first with three counties; a
 * count, a money and a ratio metric. */
static int setup(void **state)
{
    harness *h = h_new();
    h_exec(h,
           "INSERT INTO region(code, name, level, parent, zone, tier) VALUES "
           "('440000', '广东省', 'province', NULL, NULL, NULL),"
           "('441400', '梅州市', 'city', '440000', 'north', 1),"
           "('441500', '汕尾市', 'city', '440000', 'east', 1),"
           "('441402', '梅江区', 'county', '441400', 'north', 1),"
           "('441403', '梅县区', 'county', '441400', 'north', 1),"
           "('441422', '大埔县', 'county', '441400', 'north', 1);"
           "INSERT INTO metric(key, name, unit, kind) VALUES "
           "('pop.resident', '常住人口', '人', 'count'),"
           "('fin.spend', '支出', '元', 'money'),"
           "('edu.ratio', '比例', NULL, 'ratio');");
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

static er_snapshot *load(harness *h)
{
    er_snapshot *s = NULL;
    assert_int_equal(er_snapshot_load(h->db->db, &s), ER_OK);
    return s;
}

static double fact(const er_snapshot *s, const char *code, int year,
                   const char *metric)
{
    return er_snapshot_fact(s, er_snapshot_region(s, code), year,
                            er_strmap_find(&s->metrics, metric));
}

static bool derived(const er_snapshot *s, const char *code, int year,
                    const char *metric)
{
    return er_snapshot_derived(s, er_snapshot_region(s, code), year,
                               er_strmap_find(&s->metrics, metric));
}

static void test_snapshot__parent_is_the_sum_of_all_children(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO fact(region, year, metric, value) VALUES "
              "('441400', 2019, 'pop.resident', 4380000),"
              "('441500', 2019, 'pop.resident', 3040000),"
              "('441400', 2019, 'fin.spend', 0.1),"
              "('441500', 2019, 'fin.spend', 0.2),"
              "('441400', 2019, 'edu.ratio', 0.5),"
              "('441500', 2019, 'edu.ratio', 0.25)");
    er_snapshot *s = load(h);
    assert_true(fact(s, "440000", 2019, "pop.resident") == 7420000);
    assert_true(derived(s, "440000", 2019, "pop.resident"));
    assert_false(derived(s, "441400", 2019, "pop.resident"));
    /* money to the fen: 0.1 + 0.2 is 0.3 here, not 0.30000000000000004 */
    assert_true(fact(s, "440000", 2019, "fin.spend") == 0.3);
    /* a ratio does not sum */
    assert_true(isnan(fact(s, "440000", 2019, "edu.ratio")));
    assert_int_equal(s->nderived, 2);
    /* the digest is of the stored rows: the same with the roll-ups */
    er_snapshot_free(s);
}

static void test_snapshot__one_child_absent_leaves_the_parent_absent(
    void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO fact(region, year, metric, value) VALUES "
              "('441400', 2019, 'pop.resident', 4380000)");
    er_snapshot *s = load(h);
    assert_true(isnan(fact(s, "440000", 2019, "pop.resident")));
    assert_false(derived(s, "440000", 2019, "pop.resident"));
    int32_t first = -1;
    int32_t p = er_snapshot_region(s, "440000");
    int32_t m = er_strmap_find(&s->metrics, "pop.resident");
    assert_int_equal(er_snapshot_lacking_count(s, p, 2019, m, 50, &first), 1);
    assert_string_equal(s->regions[first].code, "441500");
    er_buf b;
    er_buf_init(&b);
    er_snapshot_lacking_text(s, p, 2019, m, &b);
    assert_string_equal(b.data, "the sum of its 2 cities lacks 441500 汕尾市");
    er_buf_free(&b);
    /* a region without children and without a value stays absent */
    assert_true(isnan(fact(s, "441500", 2019, "pop.resident")));
    er_snapshot_free(s);
}

static void test_snapshot__nested_two_levels(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO fact(region, year, metric, value) VALUES "
              "('441402', 2019, 'pop.resident', 100),"
              "('441403', 2019, 'pop.resident', 20),"
              "('441422', 2019, 'pop.resident', 3),"
              "('441500', 2019, 'pop.resident', 4000),"
              "('441402', 2020, 'pop.resident', 100),"
              "('441403', 2020, 'pop.resident', 20),"
              "('441500', 2020, 'pop.resident', 4000)");
    er_snapshot *s = load(h);
    /* 梅州 from its counties, the province from 梅州's derived value */
    assert_true(fact(s, "441400", 2019, "pop.resident") == 123);
    assert_true(derived(s, "441400", 2019, "pop.resident"));
    assert_true(fact(s, "440000", 2019, "pop.resident") == 4123);
    assert_true(derived(s, "440000", 2019, "pop.resident"));
    /* 2020: 大埔 lacks it, so 梅州 and the province do; the gap is the
     * county's, two levels down */
    assert_true(isnan(fact(s, "441400", 2020, "pop.resident")));
    assert_true(isnan(fact(s, "440000", 2020, "pop.resident")));
    int32_t first = -1;
    assert_int_equal(
        er_snapshot_lacking_count(s, er_snapshot_region(s, "440000"), 2020,
                                  er_strmap_find(&s->metrics, "pop.resident"),
                                  50, &first),
        1);
    assert_string_equal(s->regions[first].code, "441422");

    er_finding f;
    memset(&f, 0, sizeof f);
    assert_int_equal(er_snapshot_add_gap(s, &f, ER_GAP_FACT, "pop.resident",
                                         er_snapshot_region(s, "440000"),
                                         2020),
                     ER_OK);
    assert_int_equal(f.ngaps, 1);
    assert_string_equal(s->regions[f.gaps[0].region].code, "441422");
    assert_int_equal(f.gaps[0].year, 2020);
    er_finding_clear(&f);
    er_snapshot_free(s);
}

static void test_snapshot__a_stored_value_is_never_replaced(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO fact(region, year, metric, value) VALUES "
              "('441400', 2019, 'pop.resident', 4380000),"
              "('441500', 2019, 'pop.resident', 3040000),"
              "('440000', 2019, 'pop.resident', 7000000)");
    er_snapshot *s = load(h);
    assert_true(fact(s, "440000", 2019, "pop.resident") == 7000000);
    assert_false(derived(s, "440000", 2019, "pop.resident"));
    assert_int_equal(s->nderived, 0);
    er_snapshot_free(s);
}

static void test_snapshot__a_child_not_finite_leaves_the_parent_absent(
    void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO fact(region, year, metric, value) VALUES "
              "('441400', 2019, 'fin.spend', 1e308),"
              "('441500', 2019, 'fin.spend', 5)");
    er_snapshot *s = NULL;
    assert_int_equal(
        er_snapshot_load_opts(h->db->db, ER_SNAPSHOT_UNVERIFIED, &s), ER_OK);
    /* an infinite child, as data the integrity check would refuse */
    int32_t m = er_strmap_find(&s->metrics, "fin.spend");
    int32_t c = er_snapshot_region(s, "441400");
    int32_t p = er_snapshot_region(s, "440000");
    size_t cell = ((size_t)c * (size_t)s->nyears + (size_t)(2019 - s->year_min)) *
                      (size_t)s->nmetrics + (size_t)m;
    s->facts[cell] = INFINITY;
    size_t pcell = ((size_t)p * (size_t)s->nyears + (size_t)(2019 - s->year_min)) *
                       (size_t)s->nmetrics + (size_t)m;
    s->facts[pcell] = NAN;
    bool money[8] = {false};
    assert_int_equal(er_snapshot_derive(s, money), ER_OK);
    assert_true(isnan(er_snapshot_fact(s, p, 2019, m)));
    int32_t first = -1;
    assert_int_equal(er_snapshot_lacking_count(s, p, 2019, m, 50, &first), 1);
    assert_int_equal(first, c);
    /* and a sum past the largest value a fact may hold is absent too */
    s->facts[cell] = 1e15;
    assert_int_equal(er_snapshot_derive(s, money), ER_OK);
    assert_true(isnan(er_snapshot_fact(s, p, 2019, m)));
    er_snapshot_free(s);
}

static void test_snapshot__aggregate_defaults_and_overrides(void **state)
{
    harness *h = *state;
    /* an explicit none overrides a count's default sum; an explicit sum
     * of a metric of no kind derives */
    h_exec(h, "INSERT INTO metric(key, name, aggregate) VALUES "
              "('x.free', 'x', 'sum');"
              "UPDATE metric SET aggregate = 'none' WHERE key = "
              "'pop.resident';"
              "INSERT INTO fact(region, year, metric, value) VALUES "
              "('441400', 2019, 'pop.resident', 1),"
              "('441500', 2019, 'pop.resident', 2),"
              "('441400', 2019, 'x.free', 1.5),"
              "('441500', 2019, 'x.free', 2)");
    er_snapshot *s = load(h);
    assert_true(isnan(fact(s, "440000", 2019, "pop.resident")));
    assert_true(fact(s, "440000", 2019, "x.free") == 3.5);
    er_snapshot_free(s);
    /* the schema refuses a sum of ratios, whatever writes it */
    assert_int_not_equal(
        sqlite3_exec(h->db->db,
                     "UPDATE metric SET aggregate = 'sum' WHERE key = "
                     "'edu.ratio'",
                     NULL, NULL, NULL),
        SQLITE_OK);
}

static void test_snapshot__import_refuses_a_sum_of_ratios(void **state)
{
    harness *h = *state;
    static const char csv[] = "key,name,kind,aggregate\n"
                              "a.share,份额,ratio,sum\n"
                              "a.count,人数,count,none\n";
    int rc = er_import_csv(h->db, "metric", "m.csv", csv, sizeof csv - 1, 0,
                           NULL);
    assert_int_equal(rc, ER_EDATA);
    assert_non_null(strstr(er_errmsg(),
                           "m.csv:2:4: aggregate sum is meaningless for a "
                           "metric of kind ratio"));
    assert_int_equal(h_count(h, "SELECT count(*) FROM metric WHERE key "
                                "LIKE 'a.%'"),
                     0);
}

static void test_snapshot__upgraded_v6_database_takes_the_defaults(
    void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO fact(region, year, metric, value) VALUES "
              "('441400', 2019, 'pop.resident', 1),"
              "('441500', 2019, 'pop.resident', 2);" ER_TEST_UNDO_V12
              "ALTER TABLE metric DROP COLUMN aggregate;"
              "DROP TABLE split; DROP TABLE city_transfer;"
              "DROP TABLE national_average; ALTER TABLE run DROP COLUMN scope;"
              "DROP TABLE run_source; DROP TABLE rule_source;"
              "ALTER TABLE run DROP COLUMN replay;"
              ER_TEST_FINDING_TO_V10
              "PRAGMA user_version = 6;");
    er_db_free(h->db);
    h->db = NULL;
    int from = 0;
    assert_int_equal(er_db_init(&h->db, h->dbpath, &from), ER_OK);
    assert_int_equal(from, 6);
    assert_int_equal(
        h_count(h, "SELECT count(*) FROM metric WHERE aggregate IS NULL"), 3);
    er_snapshot *s = load(h);
    assert_true(fact(s, "440000", 2019, "pop.resident") == 3);
    er_snapshot_free(s);
}

static void test_snapshot__check_warns_when_a_parent_differs(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO fact(region, year, metric, value) VALUES "
              "('441402', 2019, 'pop.resident', 100),"
              "('441403', 2019, 'pop.resident', 20),"
              "('441422', 2019, 'pop.resident', 3),"
              "('441400', 2019, 'pop.resident', 124),"
              "('441500', 2019, 'pop.resident', 4000),"
              "('441400', 2019, 'fin.spend', 10.004),"
              "('441500', 2019, 'fin.spend', 5),"
              "('440000', 2019, 'fin.spend', 15),"
              "('441402', 2019, 'fin.spend', 10)");
    er_check_result res;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_int_equal(er_check_integrity(h->db, 0, fp, &res), ER_OK);
    fclose(fp);
    /* 梅州's stored 124 against its counties' 123 (a count: exact); the
     * province's money within half a fen of its cities' 15.004; 梅州's
     * money against its counties (one has none): not compared */
    assert_int_equal(res.errors, 0);
    assert_non_null(strstr(text,
                           "  fact region 441400, year 2019, metric "
                           "pop.resident: stored 124 differs from the sum of "
                           "its 3 counties, 123, by 1 (tolerance: exact for "
                           "whole numbers)\n"));
    assert_null(strstr(text, "metric fin.spend"));
    assert_null(strstr(text, "region 440000"));
    free(text);

    /* past half a fen, money warns */
    h_exec(h, "UPDATE fact SET value = 15.01 WHERE region = '440000'");
    fp = open_memstream(&text, &len);
    assert_int_equal(er_check_integrity(h->db, 2019, fp, &res), ER_OK);
    fclose(fp);
    assert_non_null(strstr(text,
                           "  fact region 440000, year 2019, metric "
                           "fin.spend: stored 15.01 differs from the sum of "
                           "its 2 cities, 15.004, by 0.006"));
    free(text);
}

/* The province's transfers roll up like facts that sum: an absent row of
 * a region whose children ALL have one is their sum, to the fen, nested;
 * any child without one leaves it absent (0 paid, as before); a stored
 * row is never replaced; a city's payments to its counties do not. */
static const er_transfer *transfer(const er_snapshot *s, const char *code,
                                   int year, int payer)
{
    return er_snapshot_transfer_row(s, er_snapshot_region(s, code), year,
                                    er_strmap_find(&s->items, "health.ph"),
                                    payer);
}

static void test_snapshot__transfers_roll_up_from_all_children(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO item(code, category, name, department, unit) "
              "VALUES ('health.ph', '卫生', '公卫', 'health', '元/人');"
              "INSERT INTO transfer(region, year, item, amount) VALUES "
              "('441402', 2019, 'health.ph', 100.1),"
              "('441403', 2019, 'health.ph', 200.2),"
              "('441422', 2019, 'health.ph', 300.3),"
              "('441500', 2019, 'health.ph', 50),"
              "('441402', 2018, 'health.ph', 7),"
              "('441403', 2018, 'health.ph', 8),"
              "('441402', 2020, 'health.ph', 1),"
              "('441403', 2020, 'health.ph', 2),"
              "('441422', 2020, 'health.ph', 3),"
              "('441400', 2020, 'health.ph', 999);"
              "INSERT INTO city_transfer(region, year, item, amount) VALUES "
              "('441402', 2019, 'health.ph', 1),"
              "('441403', 2019, 'health.ph', 2),"
              "('441422', 2019, 'health.ph', 3);");
    er_snapshot *s = load(h);
    /* 梅州 2019: the sum of its 3 counties, 600.6 to the fen, derived */
    const er_transfer *t = transfer(s, "441400", 2019, ER_PAYER_PROVINCE);
    assert_non_null(t);
    assert_true(t->derived);
    assert_true(t->amount == 600.6);
    /* the province: 梅州's derived 600.6 + 汕尾's stored 50 */
    t = transfer(s, "440000", 2019, ER_PAYER_PROVINCE);
    assert_non_null(t);
    assert_true(t->derived);
    assert_true(t->amount == 650.6);
    assert_false(transfer(s, "441500", 2019, ER_PAYER_PROVINCE)->derived);
    /* 2018: 大埔县 has no row, so neither has 梅州 (0 paid), nor the
     * province; never the partial 15 */
    assert_null(transfer(s, "441400", 2018, ER_PAYER_PROVINCE));
    assert_null(transfer(s, "440000", 2018, ER_PAYER_PROVINCE));
    assert_true(er_snapshot_transfer(s, er_snapshot_region(s, "441400"), 2018,
                                     er_strmap_find(&s->items, "health.ph"),
                                     ER_PAYER_PROVINCE) == 0);
    assert_int_equal(er_snapshot_transfer_children(
                         s, er_snapshot_region(s, "441400"), 2018,
                         er_strmap_find(&s->items, "health.ph")),
                     2);
    /* 2020: the stored 999 stays (check warns, below) */
    t = transfer(s, "441400", 2020, ER_PAYER_PROVINCE);
    assert_false(t->derived);
    assert_true(t->amount == 999);
    /* a city's payments to its counties are no province transfer */
    assert_null(transfer(s, "441400", 2019, ER_PAYER_CITY));
    er_snapshot_free(s);

    er_check_result res;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_int_equal(er_check_integrity(h->db, 0, fp, &res), ER_OK);
    fclose(fp);
    assert_int_equal(res.errors, 0);
    assert_non_null(strstr(text,
                           "  transfer region 441400, year 2020, item "
                           "health.ph: stored 999 differs from the sum of its "
                           "3 counties' rows, 6, by 993 (tolerance: half a "
                           "fen)\n"));
    /* 2019's rows are derived, 2018's children incomplete: no warning */
    assert_null(strstr(text, "year 2019, item"));
    assert_null(strstr(text, "year 2018, item"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_snapshot__parent_is_the_sum_of_all_children),
        T(test_snapshot__one_child_absent_leaves_the_parent_absent),
        T(test_snapshot__nested_two_levels),
        T(test_snapshot__a_stored_value_is_never_replaced),
        T(test_snapshot__a_child_not_finite_leaves_the_parent_absent),
        T(test_snapshot__aggregate_defaults_and_overrides),
        T(test_snapshot__import_refuses_a_sum_of_ratios),
        T(test_snapshot__upgraded_v6_database_takes_the_defaults),
        T(test_snapshot__check_warns_when_a_parent_differs),
        T(test_snapshot__transfers_roll_up_from_all_children),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
