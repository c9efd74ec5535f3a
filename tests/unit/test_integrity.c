/*
 * test_integrity.c - the value domains of metrics (domain.c) and the
 * integrity of the data checked on the rows as they are (integrity.c): on
 * the built-in sample, with rows written by SQL as another program would
 * write them, and the snapshot that refuses to load such data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char path[64];
    er_db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "/tmp/er_test_integrity_XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(er_db_init(&f->db, f->path, NULL), ER_OK);
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char side[96];
    er_db_free(f->db);
    unlink(f->path);
    snprintf(side, sizeof side, "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    unlink(side);
    free(f);
    return 0;
}

/* Writes rows as the sqlite3 shell would: no import, no checks. */
static void sql(er_db *db, const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(db->db, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
}

/* The listed errors (or warnings) as er_integrity_text writes them. */
static char *listing(er_db *db, int year, size_t max_listed, bool warnings,
                     long *total_out)
{
    er_integrity *g = NULL;
    er_buf b;
    er_buf_init(&b);
    assert_int_equal(er_integrity_check(db->db, year, max_listed, &g), ER_OK);
    assert_int_equal(er_integrity_text(g, warnings, &b), ER_OK);
    if (total_out)
        *total_out = warnings ? g->total_warnings : g->total_errors;
    er_integrity_free(g);
    char *text = er_buf_detach(&b);
    assert_non_null(text);
    return text;
}

static void expect_listing(er_db *db, int year, const char *expected)
{
    char *text = listing(db, year, 20, false, NULL);
    assert_string_equal(text, expected);
    free(text);
}

/* ---- domains ------------------------------------------------------------ */

static void check_value(const er_domain *d, double v, const char *why)
{
    char got[256];
    bool ok = er_domain_check(d, v, got, sizeof got);
    if (!why) {
        if (!ok)
            fail_msg("%.17g refused: %s", v, got);
        return;
    }
    assert_false(ok);
    assert_string_equal(got, why);
}

static void test_integrity__domain_bounds_open_closed_and_whole(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "SELECT * FROM (VALUES ('count', NULL, 0, 1, NULL, NULL, '人'), "
            "('ratio', 0, NULL, NULL, 1, 1, NULL), "
            "(NULL, NULL, NULL, NULL, NULL, NULL, NULL), "
            "('money', NULL, NULL, NULL, NULL, NULL, '元'))",
            -1, &st, NULL),
        SQLITE_OK);
    er_domain pop, ratio, none, money;
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    er_domain_from_row(st, 0, &pop);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    er_domain_from_row(st, 0, &ratio);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    er_domain_from_row(st, 0, &none);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    er_domain_from_row(st, 0, &money);
    sqlite3_finalize(st);
    sqlite3_close(db);

    /* a count is a whole number; this one is more than 0 */
    check_value(&pop, 1, NULL);
    check_value(&pop, 0, "count (人) must be > 0");
    check_value(&pop, -3, "count (人) must be > 0");
    check_value(&pop, 2.5, "count (人) must be a whole number");
    check_value(&pop, NAN, "count (人) must be a finite number");
    check_value(&pop, 1e16, "count (人) must be at most 1e15 in magnitude");
    /* a ratio is >= 0 by its kind; this one is below 1, not a whole
     * number although the kind would not ask it */
    check_value(&ratio, 0, NULL);
    check_value(&ratio, 0.999, NULL);
    check_value(&ratio, 1, "ratio must be ≥ 0 and < 1");
    check_value(&ratio, -0.1, "ratio must be ≥ 0 and < 1");
    /* no domain declared: finite numbers of a sane magnitude */
    assert_false(none.declared);
    assert_true(pop.declared);
    check_value(&none, -5e9, NULL);
    check_value(&none, INFINITY, "the value must be a finite number");
    check_value(&none, -1e300, "the value must be at most 1e15 in magnitude");
    /* money: >= 0 and exact to the fen */
    check_value(&money, 0, NULL);
    check_value(&money, 90071992547409.92, NULL);
    check_value(&money, 90071992547409.94,
                "money (元) must be at most 90071992547409.92 in magnitude "
                "(2^53 fen, beyond which amounts are not exact to the fen)");
    check_value(&money, -0.01, "money (元) must be ≥ 0");
    char text[160];
    assert_string_equal(er_domain_text(&pop, text, sizeof text),
                        "count (人): a whole number > 0");
    assert_string_equal(er_domain_text(&ratio, text, sizeof text),
                        "ratio: ≥ 0 and < 1");
}

/* ---- the checks ----------------------------------------------------------- */

static void test_integrity__the_sample_is_clean(void **state)
{
    struct fixture *f = *state;
    long errors = -1, warnings = -1;
    free(listing(f->db, 0, 20, false, &errors));
    free(listing(f->db, 0, 20, true, &warnings));
    assert_int_equal(errors, 0);
    assert_int_equal(warnings, 0);
}

static void test_integrity__values_outside_their_domain(void **state)
{
    struct fixture *f = *state;
    sql(f->db,
        "UPDATE fact SET value = 0 WHERE region = '445300' AND year = 2019 "
        "AND metric = 'pop.resident';"
        "UPDATE fact SET value = -1 WHERE region = '445100' AND year = 2019 "
        "AND metric = 'pop.registered';"
        "UPDATE fact SET value = -5e9 WHERE region = '445100' AND year = "
        "2020 AND metric = 'fin.basic_service.spend';"
        "UPDATE fact SET value = 'many' WHERE region = '440100' AND year = "
        "2018 AND metric = 'edu.pupils.primary';"
        "UPDATE transfer SET amount = 1e300 WHERE region = '440100' AND "
        "year = 2018 AND item = 'aid.highschool_grant';"
        "UPDATE standard SET value = -650 WHERE key = "
        "'edu.public_funds.primary';");
    /* the facts' rows come last, in key order */
    expect_listing(
        f->db, 0,
        "  transfer region 440100, year 2018, item aid.highschool_grant: "
        "amount 1e+300 is out of its domain: money (元) must be at most "
        "90071992547409.92 in magnitude (2^53 fen, beyond which amounts are "
        "not exact to the fen)\n"
        "  standard key edu.public_funds.primary, national, years "
        "2017..2020: value -650 is out of its domain: the value (元/生·年) "
        "must be ≥ 0\n"
        "  fact region 440100, year 2018, metric edu.pupils.primary: value "
        "(text) is out of its domain: it is not a number\n"
        "  fact region 445100, year 2019, metric pop.registered: value -1 is "
        "out of its domain: count (人) must be > 0\n"
        "  fact region 445100, year 2020, metric fin.basic_service.spend: "
        "value -5000000000 is out of its domain: money (元) must be ≥ 0\n"
        "  fact region 445300, year 2019, metric pop.resident: value 0 is "
        "out of its domain: count (人) must be > 0\n");
    /* a year's check lists that year's rows only */
    expect_listing(
        f->db, 2019,
        "  standard key edu.public_funds.primary, national, years "
        "2017..2020: value -650 is out of its domain: the value (元/生·年) "
        "must be ≥ 0\n"
        "  fact region 445100, year 2019, metric pop.registered: value -1 is "
        "out of its domain: count (人) must be > 0\n"
        "  fact region 445300, year 2019, metric pop.resident: value 0 is "
        "out of its domain: count (人) must be > 0\n");
}

static void test_integrity__overlapping_standards_shares_and_transfers(
    void **state)
{
    struct fixture *f = *state;
    sql(f->db,
        "INSERT INTO standard(key, scope, region, year_from, year_to, value, unit, basis) VALUES ('health.public_health', 'national', "
        "NULL, 2019, 2019, 80, '元/人', 'a second one');"
        "INSERT INTO share(item, tier, year_from, year_to, province_share) VALUES ('health.public_health', 1, 2019, 2019, "
        "0.5);"
        /* a local standard of another region, and another tier, overlap
         * nothing */
        "INSERT INTO standard(key, scope, region, year_from, year_to, value, unit, basis) VALUES ('health.public_health', 'local', "
        "'440300', 2019, NULL, 90, '元/人', NULL);"
        "INSERT INTO share(item, tier, year_from, year_to, province_share) VALUES ('health.public_health', 9, 2019, NULL, "
        "0.5);");
    expect_listing(
        f->db, 0,
        "  standard key health.public_health, national, years 2019..2019: "
        "overlaps years 2019..2019 (value 80 against 69): which standard is "
        "in force is ambiguous\n"
        "  share item health.public_health, tier 1, years 2018..: overlaps "
        "years 2019..2019 (share 0.5 against 0.7): which share is in force "
        "is ambiguous\n");
    /* a year the overlap does not reach */
    expect_listing(f->db, 2020, "");
}

/* Rows written past import: two splits of one city and item (or two
 * defaults) in force in one year, a split of a county or outside 0..1, a
 * city transfer to a city or negative, or twice for one key. */
static void test_integrity__splits_and_city_transfers(void **state)
{
    struct fixture *f = *state;
    /* the sample's own splits and city payments (valid) make way for
     * these, so each listed error is one of the rows written here */
    sql(f->db,
        "DELETE FROM split; DELETE FROM city_transfer;"
        "INSERT OR IGNORE INTO region(code, name, level, parent) VALUES "
        "('441402', '梅江区', 'county', '441400');"
        "INSERT INTO split(city, item, year_from, year_to, city_share) VALUES ('441400', NULL, 2018, NULL, 0.6),"
        "('441400', NULL, 2020, 2020, 0.7),"
        "('441400', 'health.public_health', 2019, NULL, 0.5),"
        "('441402', NULL, 2018, NULL, 0.5),"
        "('440100', 'health.public_health', 2018, 2018, 0.4);"
        "PRAGMA ignore_check_constraints = ON;"
        "UPDATE split SET city_share = 1.5 WHERE city = '440100';"
        "INSERT INTO city_transfer(region, year, item, amount) VALUES "
        "('441400', 2019, 'health.public_health', 100),"
        "('441402', 2019, 'health.public_health', 4968000);"
        "UPDATE city_transfer SET amount = -1 WHERE region = '441402';"
        "PRAGMA ignore_check_constraints = OFF;");
    expect_listing(
        f->db, 0,
        "  split city 441402, years 2018..: region 441402 is a county: a "
        "split is a city's\n"
        "  split city 440100, item health.public_health, years 2018..2018: "
        "city_share 1.5 is outside 0..1\n"
        "  split city 441400, years 2018..: overlaps years 2020..2020 (split "
        "0.7 against 0.6): which split is in force is ambiguous\n"
        "  city_transfer region 441400, year 2019, item "
        "health.public_health: region 441400 is a city: a city pays its "
        "counties\n"
        "  city_transfer region 441402, year 2019, item "
        "health.public_health: amount -1 is out of its domain: money (元) "
        "must be ≥ 0\n");
    /* the default overlaps only in 2020 */
    char *text = listing(f->db, 2019, 20, false, NULL);
    assert_null(strstr(text, "overlaps"));
    free(text);
}

/* Money paid is whole fen: a transfer or a city's transfer of a fraction
 * of a fen is an error (a finding would fail on "少拨 0.00 元"). A
 * national average is above 0 and in the unit of the national standard of
 * its key in force that year: an empty unit where the other has one and
 * an item whose standard is set per part are errors, not passes; a key
 * with no national standard is a warning. */
static void test_integrity__money_paid_and_national_averages(void **state)
{
    struct fixture *f = *state;
    sql(f->db,
        "UPDATE transfer SET amount = 3166624.996 WHERE region = '441422' "
        "AND year = 2020 AND item = 'edu.living_allowance';"
        "INSERT INTO region(code, name, level, parent) VALUES "
        "('441499', '测试县', 'county', '441400');"
        "INSERT INTO city_transfer(region, year, item, amount) VALUES "
        "('441499', 2020, 'edu.nutrition', 12.345);"
        "UPDATE national_average SET unit = NULL WHERE key = "
        "'pension.resident_basic' AND year = 2020;"
        "UPDATE national_average SET value = 0 WHERE key = "
        "'edu.public_funds.primary' AND year = 2020;"
        "INSERT INTO national_average(key, year, value, unit) VALUES "
        "('edu.public_funds', 2020, 900, '元/生·年'),"
        "('health.public_health', 2017, 50, '元/人');"
        "UPDATE standard SET unit = '' WHERE key = "
        "'medical.resident_insurance' AND scope = 'national';");
    char *text = listing(f->db, 2020, 20, false, NULL);
    const char *want[] = {
        "  transfer region 441422, year 2020, item edu.living_allowance: "
        "amount 3166624.996 is out of its domain: money (元) must be a whole "
        "number of fen (at most two decimals): it is money paid\n",
        "  city_transfer region 441499, year 2020, item edu.nutrition: "
        "amount 12.345 is out of its domain: money (元) must be a whole "
        "number of fen",
        "  national_average key edu.public_funds.primary, year 2020: value 0 "
        "is out of its domain: the value (元/生·年) must be > 0\n",
        "  national_average key edu.public_funds, year 2020: names an item "
        "whose national standard is set per part (edu.public_funds.junior, "
        "edu.public_funds.primary): the short board reads an average per "
        "part, never this one",
        "  national_average key pension.resident_basic, year 2020: has no "
        "unit; the national standard's is 元/人·月",
        "  national_average key medical.resident_insurance, year 2020: the "
        "national standard (years ",
        ") has no unit: the unit of the average (元/人·年) cannot be checked "
        "against it\n"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(text, want[i]))
            fail_msg("missing \"%s\" in:\n%s", want[i], text);
    /* the year checked is 2020: the 2017 average is not listed */
    assert_null(strstr(text, "2017"));
    free(text);
    /* a key with no national standard at all: a warning naming it */
    text = listing(f->db, 0, 20, true, NULL);
    assert_non_null(strstr(text, "  national_average key "
                                 "health.public_health, year 2017: no "
                                 "national standard of key "
                                 "health.public_health is in force in 2017"));
    free(text);
}

static void test_integrity__regions_and_references(void **state)
{
    struct fixture *f = *state;
    sql(f->db,
        "PRAGMA foreign_keys = OFF;"
        "INSERT INTO region(code, name, name_en, level, parent, zone, tier) VALUES ('445800', '甲', NULL, 'city', '449900', "
        "NULL, 1);"
        "INSERT INTO region(code, name, name_en, level, parent, zone, tier) VALUES ('445900', '乙', NULL, 'county', "
        "'445901', NULL, 1);"
        "INSERT INTO region(code, name, name_en, level, parent, zone, tier) VALUES ('445901', '丙', NULL, 'city', '445900', "
        "NULL, 1);"
        "INSERT INTO fact(region, year, metric, value, source) VALUES ('449999', 2019, 'pop.resident', 1, NULL);"
        "INSERT INTO fact(region, year, metric, value, source) VALUES ('440100', 2019, 'pop.nobody', 1, NULL);"
        "INSERT INTO transfer(region, year, item, amount) VALUES ('440100', 2019, 'no.item', 1);"
        "INSERT INTO share(item, tier, year_from, year_to, province_share) VALUES ('no.item', 1, 2019, NULL, 0.5);"
        "UPDATE item SET beneficiary_metric = 'pop.nobody' WHERE code = "
        "'health.public_health';");
    /* a loop is named from the region whose parent is not of a higher
     * level: every loop has one */
    expect_listing(
        f->db, 0,
        "  region 445800: parent 449900 is not in the region table\n"
        "  region 445901: its parents loop (445901 -> 445900 -> 445901)\n"
        "  region 445901: a city under the county 445900: a parent is of a "
        "higher level (province, then city, then county)\n"
        "  transfer region 440100, year 2019, item no.item: item no.item is "
        "not in the item table\n"
        "  share item no.item, tier 1, years 2019..: item no.item is not in "
        "the item table\n"
        "  item code health.public_health: beneficiary_metric pop.nobody is "
        "not in the metric table\n"
        "  fact region 440100, year 2019, metric pop.nobody: metric "
        "pop.nobody is not in the metric table\n"
        "  fact region 449999, year 2019, metric pop.resident: region 449999 "
        "is not in the region table\n");
}

static void test_integrity__warnings_and_a_year_without_facts(void **state)
{
    struct fixture *f = *state;
    sql(f->db, "INSERT INTO metric(key, name) VALUES ('x.free', '自由');"
               "INSERT INTO standard(key, scope, region, year_from, year_to, value, unit, basis) VALUES ('no.such.item', 'national', "
               "NULL, 2019, NULL, 1, NULL, NULL);");
    long errors = -1;
    char *w = listing(f->db, 0, 20, true, NULL);
    assert_string_equal(
        w, "  metric key x.free: no value domain declared (kind, integer, "
           "min, max): its values are checked only for being finite numbers "
           "of at most 1e15\n"
           "  standard key no.such.item: names no item (an item code, or an "
           "item code and a variant: edu.public_funds.primary); no rule "
           "reads it through an item\n");
    free(w);
    free(listing(f->db, 0, 20, false, &errors));
    assert_int_equal(errors, 0);
    expect_listing(f->db, 2021,
                   "  fact year 2021: no facts at all: a run of this year "
                   "would evaluate nothing\n");
}

static void test_integrity__listing_is_capped_and_counted(void **state)
{
    struct fixture *f = *state;
    long total = 0;
    sql(f->db, "UPDATE fact SET value = -1 WHERE metric = 'pop.resident';"
               "INSERT INTO standard(key, scope, region, year_from, year_to, value, unit, basis) VALUES ('health.public_health', "
               "'national', NULL, 2019, 2019, 80, '元/人', NULL);");
    char *text = listing(f->db, 0, 20, false, &total);
    /* 55 regions (21 cities, 34 counties; the province's values are
     * derived, not stored) x 3 years, 1 overlap */
    assert_int_equal(total, 165 + 1);
    /* at most 10 rows of one check: the overlap is listed */
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 10 + 1 + 1);
    assert_non_null(strstr(text, "overlaps years 2019..2019"));
    assert_non_null(strstr(text, "  standard key health.public_health"));
    assert_non_null(strstr(text, "  and 155 more\n"));
    free(text);
}

/* ---- the snapshot ------------------------------------------------------------ */

static void test_integrity__snapshot_refuses_data_that_breaks_it(
    void **state)
{
    struct fixture *f = *state;
    er_snapshot *s = NULL;
    assert_int_equal(er_snapshot_load(f->db->db, &s), ER_OK);
    er_snapshot_free(s);
    s = NULL;
    sql(f->db, "UPDATE fact SET value = 0 WHERE region = '445300' AND year "
               "= 2019 AND metric = 'pop.resident';");
    assert_int_equal(er_snapshot_load(f->db->db, &s), ER_EDATA);
    assert_null(s);
    assert_string_equal(
        er_errmsg(),
        "the data breaks its integrity rules in 1 place; nothing was "
        "evaluated (`equirule check` lists them all, with warnings):\n"
        "  fact region 445300, year 2019, metric pop.resident: value 0 is "
        "out of its domain: count (人) must be > 0");
    /* what evaluates nothing may still read it */
    assert_int_equal(
        er_snapshot_load_opts(f->db->db, ER_SNAPSHOT_UNVERIFIED, &s), ER_OK);
    assert_int_equal(er_snapshot_year_facts(s, 2019) > 0, 1);
    assert_int_equal(er_snapshot_year_facts(s, 2021), 0);
    er_snapshot_free(s);
}

static void test_integrity__snapshot_lists_facts_with_other_errors(
    void **state)
{
    struct fixture *f = *state;
    er_snapshot *s = NULL;
    sql(f->db, "PRAGMA foreign_keys = OFF;"
               "UPDATE region SET parent = '441400' WHERE code = '440000';"
               "UPDATE fact SET value = -1 WHERE region = '445300' AND year "
               "= 2019 AND metric = 'pop.resident';");
    assert_int_equal(er_snapshot_load(f->db->db, &s), ER_EDATA);
    assert_null(s);
    assert_string_equal(
        er_errmsg(),
        "the data breaks its integrity rules in 3 places; nothing was "
        "evaluated (`equirule check` lists them all, with warnings):\n"
        "  region 440000: its parents loop (440000 -> 441400 -> 440000)\n"
        "  region 440000: a province under the city 441400: a parent is of "
        "a higher level (province, then city, then county)\n"
        "  fact region 445300, year 2019, metric pop.resident: value -1 is "
        "out of its domain: count (人) must be > 0");
}

static void test_integrity__duplicates_of_a_table_without_its_key(
    void **state)
{
    struct fixture *f = *state;
    /* with its primary key, SQLite refuses a duplicate transfer; a table
     * made again without it does not */
    sql(f->db, "CREATE TABLE t2 AS SELECT * FROM transfer;"
               "DROP TABLE transfer;"
               "ALTER TABLE t2 RENAME TO transfer;"
               "INSERT INTO transfer SELECT * FROM transfer WHERE region = "
               "'440100' AND year = 2019 AND item = 'edu.public_funds';");
    expect_listing(f->db, 2019,
                   "  transfer region 440100, year 2019, item "
                   "edu.public_funds: 2 rows for one region, year and item: "
                   "which amount was paid is ambiguous\n");
}

static void test_integrity__check_command_output(void **state)
{
    struct fixture *f = *state;
    char *buf = NULL;
    size_t len = 0;
    er_check_result r;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(er_check_integrity(f->db, 0, fp, &r), ER_OK);
    fclose(fp);
    assert_int_equal(r.errors, 0);
    assert_int_equal(r.warnings, 0);
    char expected[200];
    snprintf(expected, sizeof expected,
             "integrity of %s, every year: no errors\n", f->path);
    assert_string_equal(buf, expected);
    free(buf);

    sql(f->db, "UPDATE fact SET value = 0 WHERE region = '445300' AND year "
               "= 2019 AND metric = 'pop.resident';"
               "INSERT INTO metric(key, name) VALUES ('x.free', '自由');");
    buf = NULL;
    fp = open_memstream(&buf, &len);
    assert_int_equal(er_check_integrity(f->db, 2019, fp, &r), ER_OK);
    fclose(fp);
    assert_int_equal(r.errors, 1);
    assert_int_equal(r.warnings, 1);
    char *want = NULL;
    assert_true(asprintf(&want,
                         "integrity of %s, year 2019: 1 error (a run stops "
                         "on them)\n"
                         "  fact region 445300, year 2019, metric "
                         "pop.resident: value 0 is out of its domain: count "
                         "(人) must be > 0\n"
                         "1 warning\n"
                         "  metric key x.free: no value domain declared "
                         "(kind, integer, min, max): its values are checked "
                         "only for being finite numbers of at most 1e15\n",
                         f->path) > 0);
    assert_string_equal(buf, want);
    free(want);
    free(buf);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integrity__domain_bounds_open_closed_and_whole),
        T(test_integrity__the_sample_is_clean),
        T(test_integrity__values_outside_their_domain),
        T(test_integrity__overlapping_standards_shares_and_transfers),
        T(test_integrity__splits_and_city_transfers),
        T(test_integrity__money_paid_and_national_averages),
        T(test_integrity__regions_and_references),
        T(test_integrity__warnings_and_a_year_without_facts),
        T(test_integrity__listing_is_capped_and_counted),
        T(test_integrity__snapshot_refuses_data_that_breaks_it),
        T(test_integrity__snapshot_lists_facts_with_other_errors),
        T(test_integrity__duplicates_of_a_table_without_its_key),
        T(test_integrity__check_command_output),
    };
    return cmocka_run_group_tests_name("integrity", tests, NULL, NULL);
}
