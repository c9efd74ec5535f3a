/*
 * test_import.c - the CSV reader and er_import_csv / er_import_file: what a
 * user sees when a file loads, and the exact message (file, line, column)
 * when it does not. Adversarial files are in tests/fixtures/import/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csv.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE(name) ER_FIXTURES_DIR "/import/" name

static const char region_csv[] = "code,name,name_en,level,parent,zone,tier\n"
                                 "440000,广东省,Guangdong,province,,,\n"
                                 "440100,广州市,Guangzhou,city,440000,core,1\n"
                                 "440300,深圳市,Shenzhen,city,440000,core,1\n"
                                 "441400,梅州市,Meizhou,city,440000,north,3\n";

static const char metric_csv[] =
    "key,name,unit,department\n"
    "pop.resident,常住人口,人,statistics\n"
    "health.public_health.spend,基本公共卫生服务支出,元,health\n";

static const char item_csv[] =
    "code,category,name,department,unit,beneficiary_metric\n"
    "health.public_health,基本卫生计生,基本公共卫生服务,health,元/人,"
    "pop.resident\n";

struct fixture {
    char path[64];
    er_db *db;
};

static int import_text(er_db *db, const char *table, const char *name,
                       const char *text, unsigned flags, er_import_stats *stats)
{
    return er_import_csv(db, table, name, text, strlen(text), flags, stats);
}

/* Imports tests/fixtures/import/<file> under the name "<table>.csv". */
static int import_fixture(er_db *db, const char *table, const char *file,
                          unsigned flags, er_import_stats *stats)
{
    char path[512], name[64];
    char *data = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "%s/import/%s", ER_FIXTURES_DIR, file);
    snprintf(name, sizeof name, "%s.csv", table);
    assert_int_equal(er_read_file(path, &data, &len), ER_OK);
    int rc = er_import_csv(db, table, name, data, len, flags, stats);
    free(data);
    return rc;
}

static long count(er_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    assert_int_equal(sqlite3_prepare_v2(db->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The first column of the first row of `sql` as text ("NULL" for NULL). */
static void expect_text(er_db *db, const char *sql, const char *expected)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *got = sqlite3_column_type(st, 0) == SQLITE_NULL
                          ? "NULL"
                          : (const char *)sqlite3_column_text(st, 0);
    assert_string_equal(got, expected);
    sqlite3_finalize(st);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "/tmp/er_test_import_XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(er_db_init(&f->db, f->path, NULL), ER_OK);
    assert_int_equal(
        import_text(f->db, "region", "region.csv", region_csv, 0, NULL), ER_OK);
    assert_int_equal(
        import_text(f->db, "metric", "metric.csv", metric_csv, 0, NULL), ER_OK);
    assert_int_equal(import_text(f->db, "item", "item.csv", item_csv, 0, NULL),
                     ER_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char side[80];
    er_db_free(f->db);
    unlink(f->path);
    snprintf(side, sizeof side, "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    unlink(side);
    free(f);
    return 0;
}

/* ---- the reader ---------------------------------------------------------- */

static void expect_field(const er_csv *c, size_t i, const char *text, long line)
{
    assert_true(i < c->nfields);
    assert_int_equal(c->fields[i].len, strlen(text));
    assert_memory_equal(c->fields[i].data, text, strlen(text) + 1);
    assert_int_equal(c->fields[i].line, line);
}

static void test_import__csv_reader_tracks_lines_and_fields(void **state)
{
    (void)state;
    static const char text[] = "a,b\r\n"                /* 1 */
                               "\n"                     /* 2: blank */
                               "\"x\r\ny\",z\n"         /* 3-4 */
                               "c,\"\"\r"               /* 5: CR alone */
                               "\"say \"\"hi\"\"\",,\n" /* 6 */
                               "d,e";                   /* 7, no line end */
    er_csv c;
    er_csv_init(&c, "t.csv", text, strlen(text));

    assert_int_equal(er_csv_next_record(&c), 1);
    assert_int_equal(c.line, 1);
    assert_int_equal(c.nfields, 2);
    expect_field(&c, 0, "a", 1);
    expect_field(&c, 1, "b", 1);

    assert_int_equal(er_csv_next_record(&c), 1);
    assert_int_equal(c.line, 3);
    assert_int_equal(c.nfields, 2);
    expect_field(&c, 0, "x\ny", 3);
    expect_field(&c, 1, "z", 4);
    assert_true(c.fields[0].quoted);
    assert_false(c.fields[1].quoted);

    assert_int_equal(er_csv_next_record(&c), 1);
    assert_int_equal(c.line, 5);
    expect_field(&c, 0, "c", 5);
    expect_field(&c, 1, "", 5);
    assert_true(c.fields[1].quoted);

    assert_int_equal(er_csv_next_record(&c), 1);
    assert_int_equal(c.line, 6);
    assert_int_equal(c.nfields, 3);
    expect_field(&c, 0, "say \"hi\"", 6);
    expect_field(&c, 1, "", 6);
    expect_field(&c, 2, "", 6);

    assert_int_equal(er_csv_next_record(&c), 1);
    assert_int_equal(c.line, 7);
    expect_field(&c, 0, "d", 7);
    expect_field(&c, 1, "e", 7);

    assert_int_equal(er_csv_next_record(&c), 0);
    assert_int_equal(er_csv_next_record(&c), 0);
    er_csv_free(&c);
}

static void test_import__csv_reader_seeks_back_to_a_record(void **state)
{
    (void)state;
    static const char text[] = "a,b\n\n1,2\r\n\n\n3,\"x\ny\"\n4,5\n\n";
    er_csv c;
    er_csv_init(&c, "t.csv", text, strlen(text));
    assert_int_equal(er_csv_next_record(&c), 1); /* a,b */
    assert_int_equal(er_csv_next_record(&c), 1); /* 1,2 */
    assert_int_equal(er_csv_next_record(&c), 1); /* 3,"x\ny" */
    er_csv_mark at = er_csv_tell(&c);
    assert_int_equal(c.line, 6);
    assert_int_equal(er_csv_next_record(&c), 1); /* 4,5 */
    assert_int_equal(c.line, 8);
    assert_int_equal(er_csv_next_record(&c), 0);
    /* lines 2, 4, 5 and the empty last line */
    assert_int_equal(c.empty_lines, 4);
    er_csv_seek(&c, at);
    assert_int_equal(er_csv_next_record(&c), 1);
    assert_int_equal(c.line, 6);
    expect_field(&c, 1, "x\ny", 6);
    assert_int_equal(er_csv_next_record(&c), 1);
    expect_field(&c, 0, "4", 8);
    assert_int_equal(c.empty_lines, 4);
    er_csv_free(&c);
}

static void test_import__csv_reader_empty_input_has_no_records(void **state)
{
    (void)state;
    static const char *const inputs[] = {"", "\xEF\xBB\xBF", "\n\r\n\r",
                                         "\xEF\xBB\xBF\r\n"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        er_csv c;
        er_csv_init(&c, "t.csv", inputs[i], strlen(inputs[i]));
        assert_int_equal(er_csv_next_record(&c), 0);
        er_csv_free(&c);
    }
}

static void test_import__csv_reader_error_is_sticky(void **state)
{
    (void)state;
    static const char text[] = "a,b\n\"x\"y,z\nc,d\n";
    er_csv c;
    er_csv_init(&c, "t.csv", text, strlen(text));
    assert_int_equal(er_csv_next_record(&c), 1);
    assert_int_equal(er_csv_next_record(&c), ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "t.csv:2:1: 'y' after the closing quote of a quoted "
                        "field");
    assert_int_equal(er_csv_next_record(&c), ER_EDATA);
    er_csv_free(&c);
}

static void test_import__csv_reader_refuses_overlong_utf8(void **state)
{
    (void)state;
    /* "/" written as the overlong C0 AF, then a UTF-16 surrogate */
    static const char overlong[] = "a\xC0\xAF\n";
    static const char surrogate[] = "ok\nb,\xED\xA0\x80\n";
    er_csv c;
    er_csv_init(&c, "t.csv", overlong, strlen(overlong));
    assert_int_equal(er_csv_next_record(&c), ER_EDATA);
    assert_string_equal(er_errmsg(), "t.csv:1:1: invalid UTF-8 (byte 0xC0); "
                                     "save the file as UTF-8");
    er_csv_free(&c);
    er_csv_init(&c, "t.csv", surrogate, strlen(surrogate));
    assert_int_equal(er_csv_next_record(&c), 1);
    assert_int_equal(er_csv_next_record(&c), ER_EDATA);
    assert_string_equal(er_errmsg(), "t.csv:2:2: invalid UTF-8 (byte 0xED); "
                                     "save the file as UTF-8");
    er_csv_free(&c);
}

/* ---- good files ---------------------------------------------------------- */

static void test_import__good_file_loads_every_row(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char text[] =
        "metric,region,year,value,source\n"
        "pop.resident,440100,2019,18680000,statistics yearbook\n"
        "pop.resident,440300,2019,13440000,\n"
        "health.public_health.spend,440100,2019,1.2e9,estimate\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", text, 0, &stats),
                     ER_OK);
    assert_int_equal(stats.rows, 3);
    assert_int_equal(stats.inserted, 3);
    assert_int_equal(stats.replaced, 0);
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 3);
    expect_text(f->db,
                "SELECT value FROM fact WHERE region = '440300' AND "
                "metric = 'pop.resident'",
                "13440000.0");
    expect_text(f->db, "SELECT source FROM fact WHERE region = '440300'",
                "NULL");
    expect_text(f->db,
                "SELECT typeof(year) || ' ' || typeof(value) FROM fact "
                "WHERE region = '440100' AND metric = 'pop.resident'",
                "integer real");
    /* the base regions: tier and parent read back, empty fields as NULL */
    expect_text(f->db, "SELECT tier FROM region WHERE code = '441400'", "3");
    expect_text(f->db, "SELECT zone FROM region WHERE code = '440000'", "NULL");
}

static void expect_rejected(er_db *db, const char *table, const char *file,
                            const char *message)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    long before = count(db, sql);
    assert_int_equal(import_fixture(db, table, file, 0, NULL), ER_EDATA);
    assert_string_equal(er_errmsg(), message);
    assert_int_equal(count(db, sql), before);
}

static void test_import__bom_crlf_and_quoted_fields(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    char path[512];
    char *data = NULL;
    size_t len = 0;
    /* a quoted line break is read as one LF, on the right line, and is
     * then refused in the text it would end up in */
    expect_rejected(f->db, "region", "bom_crlf_quotes.csv",
                    "region.csv:4:3: name_en \"Jiang\\nmen\" holds the "
                    "control character U+000A; text may not hold control "
                    "characters (tabs, line breaks)");
    /* the same file with that field on one line loads */
    snprintf(path, sizeof path, "%s", FIXTURE("bom_crlf_quotes.csv"));
    assert_int_equal(er_read_file(path, &data, &len), ER_OK);
    char *cell = strstr(data, "\"Jiang\r\nmen\"");
    assert_non_null(cell);
    memcpy(cell, "\"Jiang  men\"", 12);
    assert_int_equal(er_import_csv(f->db, "region", "region.csv", data, len,
                                   0, &stats),
                     ER_OK);
    free(data);
    assert_int_equal(stats.rows, 3);
    assert_int_equal(stats.inserted, 3);
    expect_text(f->db, "SELECT name_en FROM region WHERE code = '440600'",
                "Foshan, \"Chancheng\"");
    expect_text(f->db, "SELECT name_en FROM region WHERE code = '440700'",
                "Jiang  men");
    expect_text(f->db,
                "SELECT name || '/' || tier FROM region WHERE code = '440800'",
                "湛江市/3");
}

static void test_import__line_numbers_count_newlines_inside_quotes(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(
        import_fixture(f->db, "region", "multiline_then_bad.csv", 0, NULL),
        ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        "region.csv:2:3: name_en \"Fo\\nshan\" holds the control character "
        "U+000A; text may not hold control characters (tabs, line breaks)\n"
        "region.csv:4:4: level \"town\" must be province, city or county");
}

static void test_import__parent_may_come_earlier_in_the_file(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "code,name,level,parent\n"
                               "440500,汕头市,city,440000\n"
                               "440511,金平区,county,440500\n";
    assert_int_equal(import_text(f->db, "region", "region.csv", text, 0, NULL),
                     ER_OK);
    expect_text(f->db, "SELECT parent FROM region WHERE code = '440511'",
                "440500");
}

static void test_import__header_in_any_order_and_case(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "Value, Year ,REGION,metric\n"
                               "5,2020,441400,pop.resident\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", text, 0, NULL),
                     ER_OK);
    expect_text(f->db, "SELECT value FROM fact WHERE year = 2020", "5.0");
}

/* ---- bad files: one message per error, with line and column -------------- */

/* Imports the fixture, expects ER_EDATA with exactly `message` and the
 * table unchanged. */
static void test_import__value_not_a_number(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "fact", "fact_not_a_number.csv",
                    "fact.csv:3:4: value \"12,5x\" is not a number");
}

static void test_import__region_code_not_six_digits(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "region", "region_bad_code.csv",
                    "region.csv:3:1: region code \"44010\" must be 6 digits");
}

static void test_import__region_fields_checked(void **state)
{
    struct fixture *f = *state;
    expect_rejected(
        f->db, "region", "region_bad_values.csv",
        "region.csv:2:3: level \"town\" must be province, city or county\n"
        "region.csv:3:4: parent code \"4406\" must be 6 digits\n"
        "region.csv:4:5: zone \"south\" must be core, east, west, north or "
        "empty\n"
        "region.csv:5:6: tier \"2.5\" is not an integer\n"
        "region.csv:6:3: level must not be empty");
}

static void test_import__zone_and_setting_checked(void **state)
{
    struct fixture *f = *state;
    expect_rejected(
        f->db, "zone", "zone_bad_values.csv",
        "zone.csv:2:4: colour \"2f6db5\" must be #rrggbb (six hex digits)\n"
        "zone.csv:3:1: code \"south\" must be core, east, west or north\n"
        "zone.csv:4:2: name must not be empty\n"
        "zone.csv:5:4: colour \"#3a9b5g\" must be #rrggbb (six hex digits)");
    expect_rejected(f->db, "setting", "setting_bad_key.csv",
                    "setting.csv:2:1: key \"polcy\" must be policy\n"
                    "setting.csv:3:2: value must not be empty");
    /* good rows load */
    assert_int_equal(import_text(f->db, "zone", "zone.csv",
                                 "code,name,colour\ncore,核心区,#ABCDEF\n", 0,
                                 NULL),
                     ER_OK);
    expect_text(f->db, "SELECT name || ' ' || colour FROM zone",
                "核心区 #ABCDEF");
    assert_int_equal(import_text(f->db, "setting", "setting.csv",
                                 "key,value\npolicy,某政策\n", 0, NULL),
                     ER_OK);
    expect_text(f->db, "SELECT value FROM setting WHERE key = 'policy'",
                "某政策");
}

static void test_import__years_and_numbers_checked(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "fact", "fact_bad_numbers.csv",
                    "fact.csv:2:2: year \"19x9\" is not an integer\n"
                    "fact.csv:3:2: year 1900 is outside 1949..2100\n"
                    "fact.csv:4:4: value \"1e999\" is not a finite number\n"
                    "fact.csv:5:4: value \"nan\" is not a number");
}

static void test_import__standard_scope_region_and_span_checked(void **state)
{
    struct fixture *f = *state;
    expect_rejected(
        f->db, "standard", "standard_bad.csv",
        "standard.csv:2:5: year_to 2018 is before year_from 2019\n"
        "standard.csv:3:3: a local standard needs a region\n"
        "standard.csv:4:3: a national standard has no region; leave region "
        "empty\n"
        "standard.csv:5:2: scope \"city\" must be national, provincial or "
        "local\n"
        "standard.csv:6:3: region \"449900\" is not in the database");
}

static void test_import__share_checked(void **state)
{
    struct fixture *f = *state;
    expect_rejected(
        f->db, "share", "share_bad.csv",
        "share.csv:2:5: province_share \"1.5\" is outside 0..1\n"
        "share.csv:3:1: item \"edu.public_funds\" is not in the database\n"
        "share.csv:4:2: tier \"x\" is not an integer");
}

/* A split is a city's, in 0..1, one in force per city and item (the
 * item-less default being one item); a city_transfer is paid to a
 * county. Good rows load, and an existing transfer file is unchanged. */
static void test_import__split_and_city_transfer_checked(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(import_text(f->db, "region", "county.csv",
                                 "code,name,level,parent\n"
                                 "441402,梅江区,county,441400\n",
                                 0, NULL),
                     ER_OK);
    assert_int_equal(
        import_text(f->db, "split", "split.csv",
                    "city,item,year_from,year_to,city_share\n"
                    "441400,,2018,,0.6\n"
                    "441400,health.public_health,2019,,0.5\n"
                    "441400,,2019,2020,0.7\n"
                    "441402,,2018,,0.5\n"
                    "440100,health.public_health,2018,2018,1.5\n",
                    0, NULL),
        ER_EDATA);
    const char *msg = er_errmsg();
    assert_non_null(strstr(msg, "split.csv:4:3: city \"441400\": years "
                                "2019..2020 overlap line 2 (2018..)"));
    assert_non_null(strstr(msg, "split.csv:5:1: city \"441402\" is a "
                                "county; a split row names a city"));
    assert_non_null(strstr(msg, "split.csv:6:5: city_share \"1.5\" is "
                                "outside 0..1"));
    assert_int_equal(count(f->db, "SELECT count(*) FROM split"), 0);
    assert_int_equal(
        import_text(f->db, "city_transfer", "city_transfer.csv",
                    "region,year,item,amount\n"
                    "441400,2019,health.public_health,100\n"
                    "441402,2019,health.public_health,-1\n",
                    0, NULL),
        ER_EDATA);
    msg = er_errmsg();
    assert_non_null(strstr(msg, "city_transfer.csv:2:1: region \"441400\" "
                                "is a city; a city_transfer row names a "
                                "county"));
    assert_non_null(strstr(msg, "city_transfer.csv:3:4: amount -1"));

    assert_int_equal(
        import_text(f->db, "split", "split.csv",
                    "city,item,year_from,year_to,city_share\n"
                    "441400,,2018,,0.6\n"
                    "441400,health.public_health,2019,,0.5\n",
                    0, NULL),
        ER_OK);
    assert_int_equal(
        import_text(f->db, "city_transfer", "city_transfer.csv",
                    "region,year,item,amount\n"
                    "441402,2019,health.public_health,4968000\n",
                    0, NULL),
        ER_OK);
    assert_int_equal(
        import_text(f->db, "transfer", "transfer.csv",
                    "region,year,item,amount\n"
                    "441402,2019,health.public_health,19320000\n",
                    0, NULL),
        ER_OK);
    expect_text(f->db, "SELECT group_concat(coalesce(item, '-') || '=' || "
                       "city_share, ' ') FROM split",
                "-=0.6 health.public_health=0.5");
    expect_text(f->db, "SELECT amount FROM city_transfer", "4968000.0");
    /* a later default span overlapping the stored one is refused */
    assert_int_equal(
        import_text(f->db, "split", "split2.csv",
                    "city,item,year_from,year_to,city_share\n"
                    "441400,,2020,,0.4\n",
                    0, NULL),
        ER_EDATA);
}

/* Transfers are money paid: whole fen, refused with line:column
 * otherwise. A national average is above 0, and its key has a national
 * standard in force that year (imported first) in whose unit the average
 * is; an item whose standard is set per part takes an average per part. */
static void test_import__money_paid_and_national_averages(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(
        import_text(f->db, "transfer", "transfer.csv",
                    "region,year,item,amount\n"
                    "441400,2019,health.public_health,100.001\n"
                    "440100,2019,health.public_health,\"3,166,624.996\"\n",
                    0, NULL),
        ER_EDATA);
    const char *msg = er_errmsg();
    assert_non_null(strstr(msg, "transfer.csv:2:4: amount 100.001 for "
                                "health.public_health is out of its domain: "
                                "money (元) must be a whole number of fen "
                                "(at most two decimals): it is money paid"));
    assert_non_null(strstr(msg, "transfer.csv:3:4: amount "));
    assert_int_equal(import_text(f->db, "city_transfer", "ct.csv",
                                 "region,year,item,amount\n"
                                 "441400,2019,health.public_health,0.125\n",
                                 0, NULL),
                     ER_EDATA);
    assert_non_null(strstr(er_errmsg(), "ct.csv:2:4: amount 0.125 for "
                                        "health.public_health is out of its "
                                        "domain: money (元) must be a whole "
                                        "number of fen"));
    assert_int_equal(import_text(f->db, "transfer", "transfer.csv",
                                 "region,year,item,amount\n"
                                 "441400,2019,health.public_health,100.01\n",
                                 0, NULL),
                     ER_OK);

    assert_int_equal(
        import_text(f->db, "standard", "standard.csv",
                    "key,scope,region,year_from,year_to,value,unit\n"
                    "health.public_health,national,,2019,2019,69,元/人\n"
                    "health.public_health.urban,national,,2020,,80,元/人\n",
                    0, NULL),
        ER_OK);
    assert_int_equal(
        import_text(f->db, "national_average", "na.csv",
                    "key,year,value,unit\n"
                    "health.public_health,2019,70,\n"
                    "health.public_health.urban,2020,0,元/人\n"
                    "health.public_health,2020,75,元/人\n"
                    "health.public_health,2018,60,元/人\n"
                    "health.public_health.urban,2021,90,元/人·年\n",
                    0, NULL),
        ER_EDATA);
    msg = er_errmsg();
    const char *want[] = {
        "na.csv:2:4: unit is empty; the national standard of key "
        "\"health.public_health\" is in 元/人",
        "na.csv:3:3: value 0 for health.public_health.urban is out of its "
        "domain: the value must be > 0",
        "na.csv:4:1: key \"health.public_health\" names an item whose "
        "national standard is set per part (health.public_health.urban): "
        "the short board reads an average per part, never this one",
        "na.csv:5:1: no national standard of key \"health.public_health\" is "
        "in force in 2018",
        "na.csv:6:4: unit \"元/人·年\" differs from the national standard's "
        "元/人 (key \"health.public_health.urban\")"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(msg, want[i]))
            fail_msg("missing \"%s\" in:\n%s", want[i], msg);
    assert_int_equal(count(f->db, "SELECT count(*) FROM national_average"), 0);
    assert_int_equal(import_text(f->db, "national_average", "na.csv",
                                 "key,year,value,unit\n"
                                 "health.public_health,2019,70,元/人\n"
                                 "health.public_health.urban,2020,82,元/人\n",
                                 0, NULL),
                     ER_OK);
    assert_int_equal(count(f->db, "SELECT count(*) FROM national_average"), 2);
}

static void test_import__references_must_exist(void **state)
{
    struct fixture *f = *state;
    expect_rejected(
        f->db, "fact", "fact_unknown_refs.csv",
        "fact.csv:2:1: region \"449900\" is not in the database\n"
        "fact.csv:3:3: metric \"pop.nonexistent\" is not in the database");
    /* a parent later in the file is no error; the region itself is */
    expect_rejected(f->db, "region", "region_parent_order.csv",
                    "region.csv:4:4: parent \"440112\" is the region itself");
    expect_rejected(f->db, "region", "region_parent_absent.csv",
                    "region.csv:3:4: parent region \"440199\" is not in the "
                    "database or in the file");
}

static void test_import__csv_syntax_errors(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "region", "csv_unterminated.csv",
                    "region.csv:3:2: quoted field not closed before the end "
                    "of the file");
    expect_rejected(f->db, "region", "csv_after_quote.csv",
                    "region.csv:2:2: '市' after the closing quote of a quoted "
                    "field");
    /* (read as UTF-8: the file is GBK, which is detected otherwise) */
    assert_int_equal(import_fixture(f->db, "region", "csv_bad_utf8.csv",
                                    ER_IMPORT_UTF8, NULL),
                     ER_EDATA);
    assert_string_equal(er_errmsg(), "region.csv:2:2: invalid UTF-8 (byte "
                                     "0xC9); save the file as UTF-8");
    expect_rejected(f->db, "region", "csv_nul.csv", "region.csv:2:3: NUL byte");
}

static void test_import__control_characters_refused_in_text(void **state)
{
    struct fixture *f = *state;
    /* a tab, a line break inside quotes (on the line where it is), DEL,
     * C1 U+0085 and ESC; spaces and tabs around a key are trimmed */
    expect_rejected(
        f->db, "metric", "metric_control.csv",
        "metric.csv:2:2: name \"常住\\x09人口\" holds the control character "
        "U+0009; text may not hold control characters (tabs, line breaks)\n"
        "metric.csv:3:5: description \"第一行\\n第二行\" holds the control "
        "character U+000A; text may not hold control characters (tabs, line "
        "breaks)\n"
        "metric.csv:5:3: unit \"人\\x7F\" holds the control character "
        "U+007F; text may not hold control characters (tabs, line breaks)\n"
        "metric.csv:6:4: department \"edu\\u0085cation\" holds the control "
        "character U+0085; text may not hold control characters (tabs, line "
        "breaks)\n"
        "metric.csv:8:5: description \"\\x1B[31m红\" holds the control "
        "character U+001B; text may not hold control characters (tabs, line "
        "breaks)");
}

/* ---- encodings ------------------------------------------------------------ */

/* Imports encoding/<file> into metric; returns how it was read. */
static const char *import_encoded(er_db *db, const char *file, unsigned flags,
                                  int expect_rc)
{
    static char path[128];
    er_import_stats stats;
    snprintf(path, sizeof path, "encoding/%s", file);
    assert_int_equal(import_fixture(db, "metric", path, flags, &stats),
                     expect_rc);
    return stats.encoding;
}

static void test_import__gbk_that_is_valid_utf8_reads_as_gb18030(void **state)
{
    struct fixture *f = *state;
    /* 农业原值 in GBK is also the UTF-8 of "ũҵԭֵ" */
    assert_string_equal(
        import_encoded(f->db, "metric_gbk_valid_utf8.csv", 0, ER_OK),
        "GB18030");
    expect_text(f->db,
                "SELECT group_concat(name || '/' || unit, ' ') FROM (SELECT "
                "* FROM metric WHERE key LIKE 'agri.%' ORDER BY key)",
                "农业/亩 农业原值/元");
}

static void test_import__utf8_twin_reads_as_utf8(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(import_encoded(f->db, "metric_utf8_twin.csv", 0, ER_OK),
                        "UTF-8");
    expect_text(f->db,
                "SELECT group_concat(name || '/' || unit, ' ') FROM (SELECT "
                "* FROM metric WHERE key LIKE 'agri.%' ORDER BY key)",
                "农业/亩 农业原值/元");
}

static void test_import__gbk_file_reads_as_gb18030(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    /* not UTF-8 at all: 汕头 in GBK */
    assert_int_equal(
        import_fixture(f->db, "region", "csv_bad_utf8.csv", 0, &stats), ER_OK);
    assert_string_equal(stats.encoding, "GB18030");
    expect_text(f->db, "SELECT name FROM region WHERE code = '440500'",
                "汕头");
    /* ASCII and a byte order mark are UTF-8 */
    assert_int_equal(import_text(f->db, "metric", "metric.csv",
                                 "key,name\nplain.ascii,ASCII\n", 0, &stats),
                     ER_OK);
    assert_string_equal(stats.encoding, "UTF-8");
    assert_string_equal(import_encoded(f->db, "metric_bom.csv", 0, ER_OK),
                        "UTF-8");
}

static void test_import__ambiguous_bytes_are_refused(void **state)
{
    struct fixture *f = *state;
    /* "Zürich" in UTF-8 reads as "Z眉rich" in GBK: both are plausible */
    /* refused before any encoding was decided */
    assert_null(import_encoded(f->db, "metric_ambiguous.csv", 0, ER_EDATA));
    assert_string_equal(
        er_errmsg(),
        "metric.csv: cannot tell whether the file is UTF-8 or GBK: read as "
        "UTF-8 it gives \"Zürich\" (1 of 1 characters common in Chinese "
        "text), read as GBK/GB18030 \"Z眉rich\" (1 of 1); give --encoding "
        "utf-8 or --encoding gbk");
    assert_int_equal(count(f->db, "SELECT count(*) FROM metric WHERE key = "
                                  "'survey.zurich'"),
                     0);
    /* --encoding decides */
    assert_string_equal(
        import_encoded(f->db, "metric_ambiguous.csv", ER_IMPORT_UTF8, ER_OK),
        "UTF-8");
    expect_text(f->db, "SELECT name FROM metric WHERE key = 'survey.zurich'",
                "Zürich");
    assert_string_equal(import_encoded(f->db, "metric_ambiguous.csv",
                                       ER_IMPORT_GB18030 | ER_IMPORT_REPLACE,
                                       ER_OK),
                        "GB18030");
    expect_text(f->db, "SELECT name FROM metric WHERE key = 'survey.zurich'",
                "Z眉rich");
}

static void test_import__encoding_errors_keep_file_positions(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    /* an error in a GBK file: the file's line and column, the value in
     * UTF-8 */
    assert_int_equal(import_fixture(f->db, "fact", "encoding/fact_gbk_bad_value.csv",
                                    0, &stats),
                     ER_EDATA);
    assert_string_equal(stats.encoding, "GB18030");
    assert_string_equal(er_errmsg(),
                        "fact.csv:3:4: value \"1300万\" is not a number\n"
                        "fact.csv:3:5: source \"统计\\n年鉴\" holds the "
                        "control character U+000A; text may not hold control "
                        "characters (tabs, line breaks)");
    /* a byte that is not GB18030, forced or detected */
    import_encoded(f->db, "metric_gbk_invalid_byte.csv", ER_IMPORT_GB18030,
                   ER_EDATA);
    assert_string_equal(er_errmsg(), "metric.csv:3:2: invalid GB18030 (byte "
                                     "0xFF); save the file as UTF-8");
    import_encoded(f->db, "metric_gbk_invalid_byte.csv", 0, ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "metric.csv:3:2: invalid UTF-8 (byte 0xFF); not "
                        "GBK/GB18030 either; save the file as UTF-8");
    import_encoded(f->db, "metric_neither.csv", 0, ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "metric.csv:2:2: invalid UTF-8 (byte 0x80); not "
                        "GBK/GB18030 either; save the file as UTF-8");
    /* not UTF-8, and not Chinese text as GB18030 */
    import_encoded(f->db, "metric_not_chinese.csv", 0, ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        "metric.csv:2:2: invalid UTF-8 (byte 0x81); read as GBK/GB18030 the "
        "file does not give Chinese text either (2 of 7 characters common); "
        "save the file as UTF-8, or give --encoding gbk if it is GBK");
    /* a UTF-16 file, a byte order mark against --encoding */
    import_encoded(f->db, "metric_utf16.csv", 0, ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "metric.csv: the file is UTF-16 (Excel's \"Unicode "
                        "text\"); save it as \"CSV UTF-8\" or plain CSV");
    import_encoded(f->db, "metric_bom.csv", ER_IMPORT_GB18030, ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "metric.csv: the file starts with a UTF-8 byte order "
                        "mark, but --encoding asks for GBK/GB18030; leave "
                        "--encoding out");
    assert_int_equal(
        count(f->db, "SELECT count(*) FROM metric WHERE key LIKE 'agri.%'"),
        0);
}

static void test_import__field_count_must_match_header(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "region", "field_count.csv",
                    "region.csv:2:3: 2 fields where the header has 3\n"
                    "region.csv:3:4: 4 fields where the header has 3");
}

static void
test_import__header_unknown_duplicate_or_missing_column(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "region", "header_unknown.csv",
                    "region.csv:1:4: unknown column \"population\"; region "
                    "has code, name, name_en, level, parent, zone, tier");
    expect_rejected(f->db, "region", "header_duplicate.csv",
                    "region.csv:1:4: duplicate column \"name\" (also column "
                    "2)");
    expect_rejected(f->db, "region", "header_missing.csv",
                    "region.csv:1:1: missing required column \"name\"\n"
                    "region.csv:1:1: missing required column \"level\"");
}

static void test_import__empty_file_has_no_header(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(import_text(f->db, "fact", "fact.csv", "", 0, NULL),
                     ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "fact.csv:1:1: no header line naming the columns");
}

static void test_import__stops_after_twenty_errors(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    assert_int_equal(
        import_fixture(f->db, "fact", "fact_25_bad.csv", 0, &stats), ER_EDATA);
    const char *msg = er_errmsg();
    int lines = 1;
    for (const char *p = msg; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 20);
    assert_memory_equal(msg, "fact.csv:2:4: value \"bad1\" is not a number\n",
                        strlen("fact.csv:2:4: value \"bad1\" is not a "
                               "number\n"));
    const char *last = strrchr(msg, '\n') + 1;
    assert_string_equal(last, "fact.csv:21:4: value \"bad20\" is not a number");
    assert_int_equal(stats.rows, 20);
    assert_int_equal(stats.inserted, 0);
}

static void test_import__nothing_imported_after_an_error(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    /* line 2 is good, line 3 is not */
    assert_int_equal(
        import_fixture(f->db, "fact", "fact_not_a_number.csv", 0, &stats),
        ER_EDATA);
    assert_int_equal(stats.rows, 2);
    assert_int_equal(stats.inserted, 0);
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 0);
}

static void test_import__duplicate_key_in_file_names_both_lines(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "fact", "fact_duplicate.csv",
                    "fact.csv:4:1: region \"440100\", year 2019, metric "
                    "\"pop.resident\" is also on line 2");
}

static void test_import__overlapping_spans_in_file(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "standard", "standard_overlap.csv",
                    "standard.csv:3:3: key \"health.public_health\", scope "
                    "\"national\": years 2019.. overlap line 2 (2018..2019)");
}

/* ---- existing rows, replace, dry run, transactions ----------------------- */

static void test_import__existing_row_needs_replace(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char text[] = "code,name,level,parent\n"
                               "440500,汕头市,city,440000\n"
                               "440100,广州,city,440000\n";
    assert_int_equal(
        import_text(f->db, "region", "region.csv", text, 0, &stats), ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "region.csv:3:1: code \"440100\" is already in the "
                        "database; use --replace");
    assert_int_equal(count(f->db, "SELECT count(*) FROM region"), 4);

    assert_int_equal(import_text(f->db, "region", "region.csv", text,
                                 ER_IMPORT_REPLACE, &stats),
                     ER_OK);
    assert_int_equal(stats.rows, 2);
    assert_int_equal(stats.inserted, 1);
    assert_int_equal(stats.replaced, 1);
    assert_int_equal(count(f->db, "SELECT count(*) FROM region"), 5);
    /* the row is what the file says: columns it leaves out become NULL */
    expect_text(f->db,
                "SELECT name || '|' || coalesce(zone, 'NULL') || '|' || "
                "coalesce(tier, 'NULL') FROM region WHERE code = '440100'",
                "广州|NULL|NULL");
}

static void test_import__replace_facts(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char first[] = "region,year,metric,value\n"
                                "440100,2019,pop.resident,1\n"
                                "440300,2019,pop.resident,2\n";
    static const char second[] = "region,year,metric,value\n"
                                 "440300,2019,pop.resident,20\n"
                                 "440300,2020,pop.resident,21\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", first, 0, NULL),
                     ER_OK);
    assert_int_equal(import_text(f->db, "fact", "fact.csv", second, 0, NULL),
                     ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "fact.csv:2:1: region \"440300\", year 2019, metric "
                        "\"pop.resident\" is already in the database; use "
                        "--replace");
    assert_int_equal(import_text(f->db, "fact", "fact.csv", second,
                                 ER_IMPORT_REPLACE, &stats),
                     ER_OK);
    assert_int_equal(stats.inserted, 1);
    assert_int_equal(stats.replaced, 1);
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 3);
    assert_int_equal(count(f->db, "SELECT sum(value) FROM fact"), 42);
}

static void test_import__standard_spans_overlap_or_replace(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char first[] =
        "key,scope,year_from,year_to,value,unit\n"
        "health.public_health,national,2018,2018,55,元/人\n"
        "health.public_health,national,2019,2019,69,元/人\n"
        "health.public_health,national,2020,,74,元/人\n"
        "health.public_health,local,2019,,80,元/人\n"; /* no region */
    static const char good_first[] =
        "key,scope,region,year_from,year_to,value,unit\n"
        "health.public_health,national,,2018,2018,55,元/人\n"
        "health.public_health,national,,2019,2019,69,元/人\n"
        "health.public_health,national,,2020,,74,元/人\n"
        "health.public_health,local,440300,2019,,80,元/人\n";
    static const char second[] = "key,scope,year_from,year_to,value\n"
                                 "health.public_health,national,2019,2020,70\n";

    assert_int_equal(
        import_text(f->db, "standard", "standard.csv", first, 0, NULL),
        ER_EDATA);
    assert_string_equal(er_errmsg(), "standard.csv:5:2: a local standard "
                                     "needs a region");
    assert_int_equal(
        import_text(f->db, "standard", "standard.csv", good_first, 0, NULL),
        ER_OK);

    assert_int_equal(
        import_text(f->db, "standard", "standard.csv", second, 0, NULL),
        ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "standard.csv:2:3: key \"health.public_health\", "
                        "scope \"national\": years 2019..2020 overlap a row "
                        "already in the database (2019..2019); use --replace");

    assert_int_equal(import_text(f->db, "standard", "standard.csv", second,
                                 ER_IMPORT_REPLACE, &stats),
                     ER_OK);
    assert_int_equal(stats.rows, 1);
    assert_int_equal(stats.replaced, 1);
    assert_int_equal(stats.inserted, 0);
    /* 2019 and 2020.. went; 2018 and the local standard stay */
    expect_text(f->db,
                "SELECT group_concat(scope || ':' || year_from || '..' || "
                "coalesce(year_to, '') || '=' || value, ' ') FROM "
                "(SELECT * FROM standard ORDER BY scope, year_from)",
                "local:2019..=80.0 national:2018..2018=55.0 "
                "national:2019..2020=70.0");
}

static void test_import__dry_run_changes_nothing(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char text[] = "code,name,level,parent\n"
                               "440500,汕头市,city,440000\n"
                               "440100,广州,city,440000\n";
    assert_int_equal(import_text(f->db, "region", "region.csv", text,
                                 ER_IMPORT_DRY_RUN | ER_IMPORT_REPLACE, &stats),
                     ER_OK);
    assert_int_equal(stats.rows, 2);
    assert_int_equal(stats.inserted, 1);
    assert_int_equal(stats.replaced, 1);
    assert_int_equal(count(f->db, "SELECT count(*) FROM region"), 4);
    expect_text(f->db, "SELECT name FROM region WHERE code = '440100'",
                "广州市");

    /* errors are still found */
    assert_int_equal(import_text(f->db, "region", "region.csv", text,
                                 ER_IMPORT_DRY_RUN, &stats),
                     ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "region.csv:3:1: code \"440100\" is already in the "
                        "database; use --replace");
}

static void test_import__composes_with_callers_transaction(void **state)
{
    struct fixture *f = *state;
    static const char good[] = "region,year,metric,value\n"
                               "440100,2019,pop.resident,1\n";
    static const char bad[] = "region,year,metric,value\n"
                              "440300,2019,pop.resident,1\n"
                              "440300,2019,pop.resident,x\n";
    assert_int_equal(sqlite3_exec(f->db->db, "BEGIN", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(import_text(f->db, "fact", "fact.csv", good, 0, NULL),
                     ER_OK);
    assert_int_equal(import_text(f->db, "fact", "fact.csv", bad, 0, NULL),
                     ER_EDATA);
    /* the failed import took back only its own rows */
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 1);
    assert_int_equal(sqlite3_exec(f->db->db, "ROLLBACK", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 0);
}

static void test_import__file_errors_name_the_path(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    assert_int_equal(er_import_file(f->db, "region",
                                    FIXTURE("region_bad_code.csv"), 0, &stats),
                     ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        FIXTURE(
            "region_bad_code.csv") ":3:1: "
                                   "region code \"44010\" must be 6 digits");
    assert_int_equal(
        er_import_file(f->db, "region", FIXTURE("no_such_file.csv"), 0, &stats),
        ER_ENOTFOUND);
    /* a good file loads */
    char good[] = "/tmp/er_test_import_good_XXXXXX";
    int fd = mkstemp(good);
    assert_true(fd >= 0);
    static const char text[] = "code,name,level,parent\n"
                               "440500,汕头市,city,440000\n"
                               "440600,佛山市,city,440000\n"
                               "440700,江门市,city,440000\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    assert_int_equal(er_import_file(f->db, "region", good, 0, &stats), ER_OK);
    unlink(good);
    assert_int_equal(stats.inserted, 3);
}

static void test_import__every_table_loads(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char standard[] =
        "key,scope,region,year_from,year_to,value,unit,basis\n"
        "health.public_health,national,,2019,2019,69,元/人,国办发〔2018〕6号\n"
        "health.public_health,national,,2020,,74,元/人,\n"
        "health.public_health,local,440300,2019,,90,元/人,\n";
    static const char share[] = "item,tier,year_from,year_to,province_share\n"
                                "health.public_health,1,2019,,0.3\n"
                                "health.public_health,3,2019,2020,0.7\n"
                                "health.public_health,3,2021,,0.75\n";
    static const char transfer[] = "region,year,item,amount\n"
                                   "441400,2019,health.public_health,150000000\n"
                                   "441400,2020,health.public_health,2.5\n";
    assert_int_equal(import_text(f->db, "standard", "standard.csv", standard,
                                 0, &stats),
                     ER_OK);
    assert_int_equal(stats.inserted, 3);
    assert_int_equal(
        import_text(f->db, "share", "share.csv", share, 0, &stats), ER_OK);
    assert_int_equal(stats.inserted, 3);
    assert_int_equal(
        import_text(f->db, "transfer", "transfer.csv", transfer, 0, &stats),
        ER_OK);
    assert_int_equal(stats.inserted, 2);
    expect_text(f->db,
                "SELECT region || ' ' || year_from || ' ' || "
                "coalesce(year_to, 'open') FROM standard WHERE scope = "
                "'local'",
                "440300 2019 open");
    expect_text(f->db,
                "SELECT province_share FROM share WHERE tier = 3 AND "
                "year_from = 2021",
                "0.75");
    expect_text(f->db, "SELECT sum(amount) FROM transfer", "150000002.5");
    expect_text(f->db,
                "SELECT beneficiary_metric FROM item WHERE code = "
                "'health.public_health'",
                "pop.resident");
}

/* ---- the service list's texts of an item (schema 14) --------------------- */

/* The four texts load as written, in any column order, a comma and a
 * quote inside a quoted field kept; an empty field is NULL. */
static void test_import__item_list_texts_load(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char text[] =
        "code,name,lead,served,content,responsibility,department,category\n"
        "edu.textbooks,免费提供教科书,省教育厅,义务教育阶段在校学生,"
        "\"免费提供国家规定课程教科书, 含\"\"正版学生字典\"\"\","
        "省与市县共同财政事权，省级按因素法安排补助资金，其余由市县承担,"
        "education,义务教育\n"
        "assist.disability,残疾人服务,省民政厅、省残联,困难残疾人和重度残疾人,"
        ",,civil_affairs,基本生活救助\n";
    assert_int_equal(
        import_text(f->db, "item", "item.csv", text, 0, &stats), ER_OK);
    assert_int_equal(stats.inserted, 2);
    expect_text(f->db,
                "SELECT served || '|' || content || '|' || responsibility "
                "|| '|' || lead FROM item WHERE code = 'edu.textbooks'",
                "义务教育阶段在校学生|免费提供国家规定课程教科书, "
                "含\"正版学生字典\"|省与市县共同财政事权，省级按因素法安排"
                "补助资金，其余由市县承担|省教育厅");
    expect_text(f->db,
                "SELECT quote(content) || ' ' || quote(responsibility) || "
                "' ' || lead FROM item WHERE code = 'assist.disability'",
                "NULL NULL 省民政厅、省残联");
}

/* An item file without the four columns (as before schema 14) still
 * loads: its items have none. Imported again without --replace over
 * items that have them, it leaves them (the rows it gives are unchanged);
 * with --replace, the columns it leaves out become empty, as any other,
 * and the import counts the rows it emptied and names the columns. */
static void test_import__item_file_without_list_texts(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char with[] =
        "code,category,name,department,unit,beneficiary_metric,served,"
        "content,responsibility,lead\n"
        "health.public_health,基本卫生计生,基本公共卫生服务,health,元/人,"
        "pop.resident,城乡常住居民,提供基本公共卫生服务,省与市县共同财政事权,"
        "省卫生健康委\n";
    /* the setup's item.csv has the columns of schema 13 */
    expect_text(f->db,
                "SELECT count(*) FROM item WHERE served IS NULL AND content "
                "IS NULL AND responsibility IS NULL AND lead IS NULL",
                "1");
    assert_int_equal(import_text(f->db, "item", "item.csv", with,
                                 ER_IMPORT_REPLACE, &stats),
                     ER_OK);
    assert_int_equal(stats.replaced, 1);
    assert_int_equal(stats.emptied, 0);
    assert_string_equal(stats.emptied_columns, "");
    assert_int_equal(
        import_text(f->db, "item", "item.csv", item_csv, 0, &stats), ER_OK);
    assert_int_equal(stats.unchanged, 1);
    expect_text(f->db,
                "SELECT served || '|' || lead FROM item WHERE code = "
                "'health.public_health'",
                "城乡常住居民|省卫生健康委");
    /* a dry run says what --replace would empty, and empties nothing */
    assert_int_equal(import_text(f->db, "item", "item.csv", item_csv,
                                 ER_IMPORT_REPLACE | ER_IMPORT_DRY_RUN,
                                 &stats),
                     ER_OK);
    assert_int_equal(stats.emptied, 1);
    assert_string_equal(stats.emptied_columns,
                        "served, content, responsibility, lead");
    expect_text(f->db, "SELECT lead FROM item", "省卫生健康委");
    assert_int_equal(import_text(f->db, "item", "item.csv", item_csv,
                                 ER_IMPORT_REPLACE, &stats),
                     ER_OK);
    assert_int_equal(stats.replaced, 1);
    assert_int_equal(stats.emptied, 1);
    assert_string_equal(stats.emptied_columns,
                        "served, content, responsibility, lead");
    expect_text(f->db,
                "SELECT quote(served) || ' ' || quote(lead) FROM item WHERE "
                "code = 'health.public_health'",
                "NULL NULL");
    /* the texts replaced are kept in the history */
    expect_text(f->db,
                "SELECT served || '|' || lead FROM item_history WHERE code = "
                "'health.public_health' AND served IS NOT NULL",
                "城乡常住居民|省卫生健康委");
}

/* A bad text is refused at its file, line and column, and nothing of
 * the file is imported; a misspelt column name is an unknown column. */
static void test_import__item_list_text_errors_are_located(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "code,category,name,department,served,content,responsibility,lead\n"
        "edu.textbooks,义务教育,免费提供教科书,education,义务教育阶段在校学生,"
        "\"免费提供教科书\n免费提供字典\",省级补助,省教育厅\n"
        "assist.hardship,基本生活救助,困难群众救助,civil_affairs,低保对象,"
        "发放低保金,省级补助,省民政厅\t\n";
    assert_int_equal(import_text(f->db, "item", "item.csv", text, 0, NULL),
                     ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        "item.csv:2:6: content \"免费提供教科书\\n免费提供字典\" holds the "
        "control character U+000A; text may not hold control characters "
        "(tabs, line breaks)\n"
        "item.csv:4:8: lead \"省民政厅\\x09\" holds the control character "
        "U+0009; text may not hold control characters (tabs, line breaks)");
    expect_text(f->db, "SELECT count(*) FROM item", "1");
    static const char typo[] =
        "code,category,name,department,serve\n"
        "edu.textbooks,义务教育,免费提供教科书,education,义务教育阶段在校学生\n";
    assert_int_equal(import_text(f->db, "item", "item.csv", typo, 0, NULL),
                     ER_EDATA);
    assert_non_null(strstr(er_errmsg(), "item.csv:1:5: unknown column "
                                        "\"serve\""));
    expect_text(f->db, "SELECT count(*) FROM item", "1");
}

/* A text holds at most 4,000 characters (Excel holds 32,767 in a cell):
 * one longer is refused at its file:line:column, in the list's texts as
 * in every other text column (a standard's basis, a region's name), and
 * nothing is imported; 4,000 characters of Chinese load. */
static void test_import__overlong_text_refused_at_its_field(void **state)
{
    struct fixture *f = *state;
    static const char head[] = "code,category,name,department,served,content,"
                               "responsibility,lead\n"
                               "edu.textbooks,义务教育,免费提供教科书,"
                               "education,义务教育阶段在校学生,";
    static const char tail[] = ",省级补助,省教育厅\n";
    static const char zi[] = "字"; /* 3 bytes, one character */
    size_t size = sizeof head + 4001 * 3 + sizeof tail;
    char *text = malloc(size);
    assert_non_null(text);
    for (int chars = 4000; chars <= 4001; chars++) {
        char *p = text;
        memcpy(p, head, strlen(head));
        p += strlen(head);
        for (int i = 0; i < chars; i++, p += 3)
            memcpy(p, zi, 3);
        memcpy(p, tail, sizeof tail);
        int rc = import_text(f->db, "item", "item.csv", text, 0, NULL);
        if (chars == 4000) {
            assert_int_equal(rc, ER_OK);
            expect_text(f->db,
                        "SELECT length(content) FROM item WHERE code = "
                        "'edu.textbooks'",
                        "4000");
            expect_text(f->db,
                        "DELETE FROM item WHERE code = 'edu.textbooks' "
                        "RETURNING 1",
                        "1");
            continue;
        }
        assert_int_equal(rc, ER_EDATA);
        assert_string_equal(er_errmsg(),
                            "item.csv:2:6: content \"字字字字字字字字字字字字字"
                            "...\" is 4001 characters long; a text may hold "
                            "at most 4000 characters");
    }
    free(text);
    expect_text(f->db, "SELECT count(*) FROM item", "1");

    /* the class: a standard's basis, a region's name */
    size = 200000 + 256;
    text = malloc(size);
    assert_non_null(text);
    int n = snprintf(text, size, "key,scope,year_from,value,basis\n"
                                 "health.public_health,national,2019,69,");
    memset(text + n, 'x', 200000);
    text[n + 200000] = '\n';
    assert_int_equal(er_import_csv(f->db, "standard", "standard.csv", text,
                                   (size_t)n + 200001, 0, NULL),
                     ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "standard.csv:2:5: basis \"xxxxxxxxxxxxxxxxxxxxxxxxxx"
                        "xxxxxxxxxxxxxx...\" is 200000 characters long; a text "
                        "may hold at most 4000 characters");
    expect_text(f->db, "SELECT count(*) FROM standard", "0");
    n = snprintf(text, size, "code,name,level,parent\n440200,");
    memset(text + n, 'x', 5000);
    memcpy(text + n + 5000, ",city,440000\n", 13);
    assert_int_equal(er_import_csv(f->db, "region", "region.csv", text,
                                   (size_t)n + 5013, 0, NULL),
                     ER_EDATA);
    assert_non_null(strstr(er_errmsg(), "region.csv:2:2: name \"xxx"));
    assert_non_null(strstr(er_errmsg(), "is 5000 characters long"));
    free(text);
}

/* Blanks around a text (spaces, the ideographic space U+3000) are trimmed,
 * as around a key or a number; a text of blanks only is empty; a tab is
 * no blank: it is refused (test_import__item_list_text_errors_are_located). */
static void test_import__blanks_around_a_text_are_trimmed(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "code,category,name,department,served,content,responsibility,lead\n"
        "edu.textbooks, 义务教育 ,免费提供教科书  ,education,"
        "\u3000义务教育阶段在校学生\u3000,\"  免费 提供 \",   ,省教育厅 \n";
    assert_int_equal(import_text(f->db, "item", "item.csv", text, 0, NULL),
                     ER_OK);
    expect_text(f->db,
                "SELECT '[' || category || '|' || name || '|' || served || "
                "'|' || content || '|' || lead || ']' || "
                "coalesce(responsibility, 'NULL') FROM item "
                "WHERE code = 'edu.textbooks'",
                "[义务教育|免费提供教科书|义务教育阶段在校学生|免费 提供|"
                "省教育厅]NULL");
    static const char blank_name[] = "code,category,name,department\n"
                                     "edu.dictionary,义务教育,\u3000 ,"
                                     "education\n";
    assert_int_equal(
        import_text(f->db, "item", "item.csv", blank_name, 0, NULL), ER_EDATA);
    assert_string_equal(er_errmsg(), "item.csv:2:3: name must not be empty");
}

/* A lone CR inside a quoted field is kept as the CR it is, and refused as
 * one (U+000D, shown "\r"); like any line end it starts a new line of
 * the file for the lines that follow. CRLF and LF read as LF. Nothing
 * is imported. */
static void test_import__lone_cr_in_quotes_refused_as_cr(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "code,category,name,department,served,content,responsibility,lead\r\n"
        "edu.textbooks,义务教育,免费提供教科书,education,在校学生,"
        "\"免费提供\r教科书\",省级补助,省教育厅\r\n"
        "assist.hardship,基本生活救助,困难群众救助,civil_affairs,\"低保\r\n"
        "对象\",发放低保金,\"省级补助\r\",省民政厅\r\n";
    assert_int_equal(import_text(f->db, "item", "item.csv", text, 0, NULL),
                     ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        "item.csv:2:6: content \"免费提供\\r教科书\" holds the control "
        "character U+000D; text may not hold control characters (tabs, line "
        "breaks)\n"
        "item.csv:4:5: served \"低保\\n对象\" holds the control character "
        "U+000A; text may not hold control characters (tabs, line breaks)\n"
        "item.csv:5:7: responsibility \"省级补助\\r\" holds the control "
        "character U+000D; text may not hold control characters (tabs, line "
        "breaks)");
    expect_text(f->db, "SELECT count(*) FROM item", "1");
}

static void test_import__messages_stay_on_one_line(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "region,year,metric,value\n"
        "440100,2019,pop.resident,\"12\n5\"\n"
        "440100,2020,pop.resident,"
        "一二三四五六七八九十一二三四五六七八九十\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", text, 0, NULL),
                     ER_EDATA);
    /* a value is quoted, escaped, and cut after 40 bytes on a character */
    assert_string_equal(er_errmsg(),
                        "fact.csv:2:4: value \"12\\n5\" is not a number\n"
                        "fact.csv:4:4: value \"一二三四五六七八九十一二三"
                        "...\" is not a number");
}

static void test_import__unknown_table_is_a_usage_error(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(import_text(f->db, "finding", "x.csv", "a\n1\n", 0, NULL),
                     ER_EUSAGE);
    assert_string_equal(er_errmsg(),
                        "unknown table \"finding\"; import goes into region, "
                        "metric, fact, item, standard, share, transfer, "
                        "split, city_transfer, zone, setting or national_average");
}

/* ---- value domains --------------------------------------------------------- */

static const char domain_metric_csv[] =
    "key,name,unit,kind,integer,min,min_open,max,max_open\n"
    "pop.resident,常住人口,人,count,,0,1,,\n"
    "health.public_health.spend,基本公共卫生服务支出,元,money,,,,,\n"
    "cover.ratio,覆盖率,,ratio,,,,1,\n";

static void test_import__values_outside_their_domain_are_refused(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    assert_int_equal(import_text(f->db, "metric", "metric.csv",
                                 domain_metric_csv, ER_IMPORT_REPLACE, NULL),
                     ER_OK);
    static const char bad[] =
        "region,year,metric,value\n"
        "441400,2019,pop.resident,0\n"
        "441400,2020,pop.resident,-4380000\n"
        "441400,2019,health.public_health.spend,-5e9\n"
        "441400,2020,health.public_health.spend,1e300\n"
        "441400,2018,pop.resident,4380000.5\n"
        "441400,2019,cover.ratio,1.2\n"
        "441400,2020,cover.ratio,1\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", bad, 0, &stats),
                     ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        "fact.csv:2:4: value 0 for pop.resident is out of its domain: count "
        "(人) must be > 0\n"
        "fact.csv:3:4: value -4380000 for pop.resident is out of its domain: "
        "count (人) must be > 0\n"
        "fact.csv:4:4: value -5e9 for health.public_health.spend is out of "
        "its domain: money (元) must be ≥ 0\n"
        "fact.csv:5:4: value 1e300 for health.public_health.spend is out of "
        "its domain: money (元) must be at most 90071992547409.92 in "
        "magnitude (2^53 fen, beyond which amounts are not exact to the "
        "fen)\n"
        "fact.csv:6:4: value 4380000.5 for pop.resident is out of its "
        "domain: count (人) must be a whole number\n"
        "fact.csv:7:4: value 1.2 for cover.ratio is out of its domain: ratio "
        "must be ≥ 0 and ≤ 1");
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 0);
    /* the bounds themselves are in the domain */
    static const char good[] = "region,year,metric,value\n"
                               "441400,2019,pop.resident,1\n"
                               "441400,2019,health.public_health.spend,0\n"
                               "441400,2019,cover.ratio,1\n"
                               "441400,2020,cover.ratio,0\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", good, 0, &stats),
                     ER_OK);
    assert_int_equal(stats.inserted, 4);
}

static void test_import__undeclared_metric_still_refuses_absurd_values(
    void **state)
{
    struct fixture *f = *state;
    /* the fixture's metrics declare no domain: any finite number of a
     * sane magnitude goes, 1e300 does not */
    static const char text[] = "region,year,metric,value\n"
                               "441400,2019,pop.resident,-1\n"
                               "441400,2020,pop.resident,1e300\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", text, 0, NULL),
                     ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "fact.csv:3:4: value 1e300 for pop.resident is out "
                        "of its domain: the value (人) must be at most 1e15 "
                        "in magnitude");
}

static void test_import__metric_domain_columns_checked(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "key,name,kind,integer,min,max,max_open\n"
                               "a.b,甲,people,,,,\n"
                               "a.c,乙,count,2,,,\n"
                               "a.d,丙,ratio,,1,0,\n"
                               "a.e,丁,ratio,,0,1,yes\n";
    assert_int_equal(import_text(f->db, "metric", "metric.csv", text, 0, NULL),
                     ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        "metric.csv:2:3: kind \"people\" must be count, money, ratio, rate, "
        "per_unit, index, other or empty\n"
        "metric.csv:3:4: integer \"2\" must be 0 or 1 or empty\n"
        "metric.csv:4:6: max 0 is below min 1\n"
        "metric.csv:5:7: max_open \"yes\" must be 0 or 1 or empty");
}

static void test_import__metric_domain_that_stored_facts_break_is_refused(
    void **state)
{
    struct fixture *f = *state;
    static const char facts[] = "region,year,metric,value\n"
                                "441400,2019,pop.resident,0\n"
                                "441400,2020,pop.resident,0\n"
                                "441400,2019,health.public_health.spend,-1\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", facts, 0, NULL),
                     ER_OK);
    assert_int_equal(import_text(f->db, "metric", "metric.csv",
                                 domain_metric_csv, ER_IMPORT_REPLACE, NULL),
                     ER_EDATA);
    /* one error per metric, in metric order */
    assert_string_equal(
        er_errmsg(),
        "metric.csv:3:1: the domain of health.public_health.spend (money "
        "(元): ≥ 0) is broken by 1 fact already in the database, e.g. region "
        "441400, year 2019, value -1: money (元) must be ≥ 0; correct those "
        "facts first (import fact --replace)\n"
        "metric.csv:2:1: the domain of pop.resident (count (人): a whole "
        "number > 0) is broken by 2 facts already in the database, e.g. "
        "region 441400, year 2019, value 0: count (人) must be > 0; correct "
        "those facts first (import fact --replace)");
    expect_text(f->db, "SELECT count(kind) FROM metric", "0");
}

static void test_import__transfer_and_standard_values_in_their_domain(
    void **state)
{
    struct fixture *f = *state;
    static const char transfer[] = "region,year,item,amount\n"
                                   "441400,2019,health.public_health,-2.5\n"
                                   "441400,2020,health.public_health,1e14\n";
    assert_int_equal(
        import_text(f->db, "transfer", "transfer.csv", transfer, 0, NULL),
        ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        "transfer.csv:2:4: amount -2.5 for health.public_health is out of its "
        "domain: money (元) must be ≥ 0\n"
        "transfer.csv:3:4: amount 1e14 for health.public_health is out of its "
        "domain: money (元) must be at most 90071992547409.92 in magnitude "
        "(2^53 fen, beyond which amounts are not exact to the fen)");
    static const char standard[] =
        "key,scope,region,year_from,year_to,value\n"
        "health.public_health,national,,2019,,-69\n";
    assert_int_equal(
        import_text(f->db, "standard", "standard.csv", standard, 0, NULL),
        ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "standard.csv:2:6: value -69 for health.public_health "
                        "is out of its domain: the value must be ≥ 0");
}
/* ---- spreadsheet habits -------------------------------------------------- */

static const char excel_metrics[] =
    "key,name,unit,kind\n"
    "edu.enrol_rate,入学率,,ratio\n"
    "edu.spend,教育支出,元,money\n";

static void import_excel_metrics(er_db *db)
{
    assert_int_equal(
        import_text(db, "metric", "metric.csv", excel_metrics, 0, NULL),
        ER_OK);
}

static void test_import__blank_rows_are_skipped_and_counted(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    assert_int_equal(
        import_fixture(f->db, "region", "region_blank_rows.csv", 0, &stats),
        ER_OK);
    assert_int_equal(stats.rows, 2);
    assert_int_equal(stats.inserted, 2);
    assert_int_equal(stats.blank, 4); /* ",,,,," three times, one empty line */
    expect_text(f->db, "SELECT parent FROM region WHERE code = '440511'",
                "440500");
}

static void test_import__empty_trailing_columns_are_ignored(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    assert_int_equal(import_fixture(f->db, "region", "region_empty_columns.csv",
                                    0, &stats),
                     ER_OK);
    assert_int_equal(stats.inserted, 2);
    /* rows that stop before the empty columns are whole rows too */
    static const char short_rows[] = "code,name,level,,\n"
                                     "440600,佛山市,city\n";
    assert_int_equal(
        import_text(f->db, "region", "region.csv", short_rows, 0, NULL),
        ER_OK);
    expect_text(f->db, "SELECT name FROM region WHERE code = '440600'",
                "佛山市");
}

static void test_import__value_under_an_empty_column_is_an_error(void **state)
{
    struct fixture *f = *state;
    expect_rejected(f->db, "region", "region_value_under_empty_column.csv",
                    "region.csv:3:6: \"note\" under a column with no name; "
                    "name the column in the header or empty the cell");
    /* an empty name before a named column is still an unknown column */
    static const char middle[] = "code,,name,level\n440600,,佛山市,city\n";
    assert_int_equal(import_text(f->db, "region", "region.csv", middle, 0, NULL),
                     ER_EDATA);
    assert_non_null(strstr(er_errmsg(), "region.csv:1:2: unknown column \"\""));
}

static void test_import__percent_for_ratio_metrics(void **state)
{
    struct fixture *f = *state;
    import_excel_metrics(f->db);
    assert_int_equal(
        import_fixture(f->db, "fact", "fact_percent.csv", 0, NULL), ER_OK);
    /* exactly the double nearest the decimal, as if written 0.7 */
    expect_text(f->db,
                "SELECT value = 0.7 FROM fact WHERE year = 2019 AND "
                "metric = 'edu.enrol_rate'",
                "1");
    expect_text(f->db,
                "SELECT value = 0.12345 FROM fact WHERE year = 2020 AND "
                "metric = 'edu.enrol_rate'",
                "1");
    expect_text(f->db,
                "SELECT value FROM fact WHERE year = 2021 AND "
                "metric = 'edu.enrol_rate'",
                "1.0");
}

static void test_import__percent_refused_for_other_kinds(void **state)
{
    struct fixture *f = *state;
    import_excel_metrics(f->db);
    expect_rejected(f->db, "fact", "fact_percent_not_ratio.csv",
                    "fact.csv:2:4: 70% for metric edu.spend (kind money): a "
                    "percent is accepted only for ratio and rate metrics\n"
                    "fact.csv:3:4: 5% for metric pop.resident (no kind "
                    "declared): a percent is accepted only for ratio and "
                    "rate metrics\n"
                    "fact.csv:4:4: value \"7e1%\" is not a number");
    expect_rejected(f->db, "standard", "standard_percent.csv",
                    "standard.csv:2:4: value \"70%\": a percent is accepted "
                    "only for the values of ratio and rate metrics (fact) "
                    "and for shares");
}

static void test_import__thousands_separators_in_quoted_numbers(void **state)
{
    struct fixture *f = *state;
    import_excel_metrics(f->db);
    assert_int_equal(
        import_fixture(f->db, "fact", "fact_thousands.csv", 0, NULL), ER_OK);
    expect_text(f->db, "SELECT group_concat(value, ' ') FROM "
                       "(SELECT value FROM fact WHERE metric = 'edu.spend' "
                       "ORDER BY year)",
                "1234567.5 12345.0 999.0");
    expect_rejected(
        f->db, "fact", "fact_thousands_bad.csv",
        "fact.csv:2:4: value \"1,23\" is not a number: thousands separators "
        "must split the digits before the decimal point into groups of three "
        "(1,234,567.50)\n"
        "fact.csv:3:4: value \"1234,567\" is not a number: thousands "
        "separators must split the digits before the decimal point into "
        "groups of three (1,234,567.50)\n"
        "fact.csv:4:4: value \"1,234.5,6\" is not a number\n"
        "fact.csv:5:4: value \",123\" is not a number: thousands separators "
        "must split the digits before the decimal point into groups of three "
        "(1,234,567.50)");
}

/* Imports `text` as <table>.csv, expects it refused with `message` and
 * nothing written. */
static void expect_text_rejected(er_db *db, const char *table,
                                 const char *text, const char *message)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    long before = count(db, sql);
    char name[64];
    snprintf(name, sizeof name, "%s.csv", table);
    assert_int_equal(import_text(db, table, name, text, 0, NULL), ER_EDATA);
    assert_string_equal(er_errmsg(), message);
    assert_int_equal(count(db, sql), before);
}

static const char unit_metrics[] =
    "key,name,unit,kind\n"
    "test.fraction,比例,,ratio\n"
    "test.one,比例一,1,ratio\n"
    "test.pct,增长率,%,rate\n"
    "test.pm,千分率,‰,rate\n"
    "test.per,每万人,人/万人,rate\n";

static void test_import__percent_read_in_the_metric_unit(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(
        import_text(f->db, "metric", "metric.csv", unit_metrics, 0, NULL),
        ER_OK);
    /* a fraction metric stores the fraction; a metric kept in % or ‰
     * stores the number in that unit, with or without its sign */
    static const char facts[] = "region,year,metric,value\n"
                                "440100,2020,test.fraction,5%\n"
                                "440100,2021,test.fraction,5‰\n"
                                "440100,2020,test.one,5%\n"
                                "440100,2020,test.pct,5%\n"
                                "440100,2021,test.pct,5\n"
                                "440100,2022,test.pct,12.5%\n"
                                "440100,2020,test.pm,5‰\n"
                                "440100,2021,test.pm,5\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", facts, 0, NULL),
                     ER_OK);
    expect_text(f->db,
                "SELECT group_concat(metric || ' ' || year || ' ' || value, "
                "'; ') FROM (SELECT * FROM fact WHERE metric LIKE 'test.%' "
                "ORDER BY metric, year)",
                "test.fraction 2020 0.05; test.fraction 2021 0.005; "
                "test.one 2020 0.05; test.pct 2020 5.0; test.pct 2021 5.0; "
                "test.pct 2022 12.5; test.pm 2020 5.0; test.pm 2021 5.0");
    /* the other sign, or a unit that is not a fraction, is refused */
    expect_text_rejected(
        f->db, "fact",
        "region,year,metric,value\n"
        "440300,2020,test.pct,5‰\n"
        "440300,2020,test.pm,5%\n"
        "440300,2020,test.per,5%\n",
        "fact.csv:2:4: 5‰ for metric test.pct, which is kept in %: write the "
        "value in % without the ‰ sign\n"
        "fact.csv:3:4: 5% for metric test.pm, which is kept in ‰: write the "
        "value in ‰ without the % sign\n"
        "fact.csv:4:4: 5% for metric test.per, which is kept in 人/万人: "
        "write the value in 人/万人 without the % sign");
    /* a per-mille is no more accepted than a percent elsewhere */
    expect_text_rejected(f->db, "fact",
                         "region,year,metric,value\n"
                         "440300,2020,pop.resident,5‰\n",
                         "fact.csv:2:4: 5‰ for metric pop.resident (no kind "
                         "declared): a percent is accepted only for ratio "
                         "and rate metrics");
}

static void test_import__exponent_refused_for_money_and_counts(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(import_text(f->db, "metric", "metric.csv",
                                 domain_metric_csv, ER_IMPORT_REPLACE, NULL),
                     ER_OK);
    /* what a spreadsheet saves for a number of 12 digits in General */
    expect_text_rejected(
        f->db, "fact",
        "region,year,metric,value\n"
        "440100,2020,health.public_health.spend,1.0761E+11\n"
        "440100,2020,pop.resident,1.49E+07\n"
        "440100,2021,pop.resident,2e3\n",
        "fact.csv:2:4: value for health.public_health.spend (kind money) "
        "looks like a spreadsheet's rounded display (1.0761E+11): format the "
        "column as a number with all its digits and save again\n"
        "fact.csv:3:4: value for pop.resident (kind count) looks like a "
        "spreadsheet's rounded display (1.49E+07): format the column as a "
        "number with all its digits and save again\n"
        "fact.csv:4:4: value for pop.resident (kind count) looks like a "
        "spreadsheet's rounded display (2e3): format the column as a number "
        "with all its digits and save again");
    expect_text_rejected(
        f->db, "transfer",
        "region,year,item,amount\n"
        "441400,2019,health.public_health,1.5E+08\n",
        "transfer.csv:2:4: amount for health.public_health (kind money) looks "
        "like a spreadsheet's rounded display (1.5E+08): format the column as "
        "a number with all its digits and save again");
    /* other kinds keep exponents: a ratio, every digit to the fen */
    assert_int_equal(import_text(f->db, "fact", "fact.csv",
                                 "region,year,metric,value\n"
                                 "440100,2020,cover.ratio,9.5e-1\n"
                                 "440100,2020,pop.resident,14900000\n"
                                 "440100,2020,health.public_health.spend,"
                                 "107609768000.00\n",
                                 0, NULL),
                     ER_OK);
    expect_text(f->db,
                "SELECT group_concat(value, ' ') FROM (SELECT value FROM fact "
                "WHERE region = '440100' AND year = 2020 ORDER BY metric)",
                "0.95 107609768000.0 14900000.0");
}

static void test_import__decimal_comma_is_not_a_thousands_group(void **state)
{
    struct fixture *f = *state;
    import_excel_metrics(f->db);
    expect_text_rejected(
        f->db, "fact",
        "region,year,metric,value\n"
        "440100,2040,edu.spend,\"0,123\"\n"
        "440100,2041,edu.spend,\"012,345\"\n"
        "440100,2042,edu.spend,\"-0,5\"\n"
        "440100,2043,edu.spend,\"1,234e3\"\n",
        "fact.csv:2:4: value \"0,123\" is not a number: a thousands-grouped "
        "number does not start with 0; if it is a decimal comma, write a "
        "decimal point (0.123)\n"
        "fact.csv:3:4: value \"012,345\" is not a number: a thousands-grouped "
        "number does not start with 0; if it is a decimal comma, write a "
        "decimal point (0.123)\n"
        "fact.csv:4:4: value \"-0,5\" is not a number: a thousands-grouped "
        "number does not start with 0; if it is a decimal comma, write a "
        "decimal point (0.123)\n"
        "fact.csv:5:4: value \"1,234e3\" is not a number: thousands "
        "separators must split the digits before the decimal point into "
        "groups of three (1,234,567.50)");
    /* a grouped number whose first group is 1-3 digits still reads */
    assert_int_equal(import_text(f->db, "fact", "fact.csv",
                                 "region,year,metric,value\n"
                                 "440100,2040,edu.spend,\"100,123\"\n"
                                 "440100,2041,edu.spend,\"0.123\"\n",
                                 0, NULL),
                     ER_OK);
    expect_text(f->db,
                "SELECT group_concat(value, ' ') FROM (SELECT value FROM fact "
                "WHERE metric = 'edu.spend' ORDER BY year)",
                "100123.0 0.123");
}

static void test_import__rows_identical_to_the_stored_ones_are_unchanged(
    void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    static const char first[] = "region,year,metric,value,source\n"
                                "440100,2019,pop.resident,1,年鉴\n"
                                "440300,2019,pop.resident,2,\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", first, 0, NULL),
                     ER_OK);
    /* a template of the database with one more value filled in: the
     * stored rows as they are, and a new one */
    static const char again[] = "region,year,metric,value,source\n"
                                "440100,2019,pop.resident,1.0,年鉴\n"
                                "440300,2019,pop.resident,2,\n"
                                "441400,2019,pop.resident,3,年鉴\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", again, 0, &stats),
                     ER_OK);
    assert_int_equal(stats.rows, 3);
    assert_int_equal(stats.inserted, 1);
    assert_int_equal(stats.unchanged, 2);
    assert_int_equal(stats.replaced, 0);
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 3);
    /* a different value or source still needs --replace */
    static const char other[] = "region,year,metric,value,source\n"
                                "440100,2019,pop.resident,1,修正\n"
                                "440300,2019,pop.resident,2.5,\n";
    assert_int_equal(import_text(f->db, "fact", "fact.csv", other, 0, NULL),
                     ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "fact.csv:2:1: region \"440100\", year 2019, metric "
                        "\"pop.resident\" is already in the database; use "
                        "--replace\n"
                        "fact.csv:3:1: region \"440300\", year 2019, metric "
                        "\"pop.resident\" is already in the database; use "
                        "--replace");
    expect_text(f->db,
                "SELECT group_concat(value || ' ' || ifnull(source, '-'), "
                "'; ') FROM (SELECT * FROM fact ORDER BY region)",
                "1.0 年鉴; 2.0 -; 3.0 年鉴");
}

static void test_import__template_names_must_match_their_codes(void **state)
{
    struct fixture *f = *state;
    /* names out of step with their codes: errors at their cells */
    expect_text_rejected(
        f->db, "fact",
        "region,year,metric,value,source,region_name,metric_name,unit\n"
        "440100,2021,health.public_health.spend,5,,梅州市,人口,元\n"
        "440300,2021,pop.resident,7,,深圳市,基本公共卫生服务支出,\n",
        "fact.csv:2:6: region_name \"梅州市\" is not the name of region "
        "\"440100\" (广州市): the codes and names are out of step; correct "
        "the row or empty the name\n"
        "fact.csv:2:7: metric_name \"人口\" is not the name of metric "
        "\"health.public_health.spend\" (基本公共卫生服务支出): the codes "
        "and names are out of step; correct the row or empty the name\n"
        "fact.csv:3:7: metric_name \"基本公共卫生服务支出\" is not the name "
        "of metric \"pop.resident\" (常住人口): the codes and names are out "
        "of step; correct the row or empty the name");
    /* the right names (or the English name), or none, import */
    er_import_stats stats;
    assert_int_equal(
        import_text(
            f->db, "fact", "fact.csv",
            "region,year,metric,value,source,region_name,metric_name,unit\n"
            "440100,2021,health.public_health.spend,5,,广州市,"
            "基本公共卫生服务支出,元\n"
            "440300,2021,pop.resident,7,,Shenzhen,,\n"
            "441400,2021,pop.resident,8,,,常住人口,人\n",
            0, &stats),
        ER_OK);
    assert_int_equal(stats.inserted, 3);
}

static void test_import__regions_in_any_order_parents_first(void **state)
{
    struct fixture *f = *state;
    er_import_stats stats;
    /* children before their parent: written parents first, the foreign
     * key on region.parent satisfied */
    assert_int_equal(
        import_fixture(f->db, "region", "region_any_order.csv", 0, &stats),
        ER_OK);
    assert_int_equal(stats.inserted, 3);
    expect_text(f->db,
                "SELECT group_concat(code, ' ') FROM (SELECT code FROM "
                "region WHERE parent = '440500' ORDER BY code)",
                "440511 440512");
    /* a loop within the file is an error on each of its rows */
    expect_rejected(
        f->db, "region", "region_cycle.csv",
        "region.csv:2:4: parent \"440604\" leads back to 440600 (440604 -> "
        "440606 -> 440600): the parents would loop\n"
        "region.csv:3:4: parent \"440606\" leads back to 440604 (440606 -> "
        "440600 -> 440604): the parents would loop\n"
        "region.csv:4:4: parent \"440600\" leads back to 440606 (440600 -> "
        "440604 -> 440606): the parents would loop");
}


/* A region's parent is of the level just above its own (a county's a
 * city, a city's the province), whether the parent is in the database or
 * in the file: refused at line:column, nothing written. */
static void test_import__a_parent_of_the_wrong_level_is_refused(void **state)
{
    struct fixture *f = *state;
    long before = count(f->db, "SELECT count(*) FROM region");
    static const char text[] =
        "code,name,name_en,level,parent,zone,tier\n"
        "449999,直属县,,county,440000,north,1\n"
        "440500,汕头市,,city,440000,east,2\n"
        "440511,金平区,,county,440500,east,2\n"
        "440513,潮阳区,,city,440500,east,2\n";
    assert_int_equal(import_text(f->db, "region", "region.csv", text, 0, NULL),
                     ER_EDATA);
    assert_string_equal(
        er_errmsg(),
        "region.csv:2:5: parent \"440000\" is a province: a county's parent "
        "must be a city, or every aggregate over the counties of a city "
        "leaves it out\n"
        "region.csv:5:5: parent \"440500\" is a city: a city's parent must "
        "be a province, or every aggregate over the cities of a province "
        "leaves it out");
    assert_int_equal(count(f->db, "SELECT count(*) FROM region"), before);
    /* the right levels import */
    static const char good[] = "code,name,name_en,level,parent,zone,tier\n"
                               "440511,金平区,,county,440500,east,2\n"
                               "440500,汕头市,,city,440000,east,2\n";
    assert_int_equal(import_text(f->db, "region", "region.csv", good, 0, NULL),
                     ER_OK);
    assert_int_equal(count(f->db, "SELECT count(*) FROM region"), before + 2);
}

/* ---- the fact template (equirule template) -------------------------------- */

static void test_import__template_rows_without_a_value_are_skipped(
    void **state)
{
    struct fixture *f = *state;
    /* as `equirule template` writes it, half filled in */
    static const char text[] =
        "region,year,metric,value,source,region_name,metric_name,unit\n"
        "440100,2020,pop.resident,15305900,统计年鉴,广州市,常住人口,人\n"
        "440300,2020,pop.resident,,,深圳市,常住人口,人\n"
        "441400,2020,pop.resident, ,,梅州市,常住人口,人\n"
        "441400,2020,health.public_health.spend,2.8e8,,梅州市,"
        "基本公共卫生服务支出,\n";
    er_import_stats st;
    assert_int_equal(import_text(f->db, "fact", "fact.csv", text, 0, &st),
                     ER_OK);
    assert_int_equal(st.rows, 4);
    assert_int_equal(st.inserted, 2);
    assert_int_equal(st.skipped, 2);
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 2);
    expect_text(f->db,
                "SELECT source FROM fact WHERE region = '440100' AND "
                "metric = 'pop.resident'",
                "统计年鉴");
}

static void test_import__template_unit_must_be_the_metrics(void **state)
{
    struct fixture *f = *state;
    static const char text[] =
        "region,year,metric,value,source,region_name,metric_name,unit\n"
        "440100,2020,pop.resident,15305900,,广州市,常住人口,人\n"
        "441400,2020,health.public_health.spend,28000,,梅州市,基本公共卫生服务支出,万元\n"
        "441400,2020,pop.resident,,,梅州市,常住人口,万人\n";
    er_import_stats st;
    assert_int_equal(import_text(f->db, "fact", "fact.csv", text, 0, &st),
                     ER_EDATA);
    /* the empty row is skipped whatever its unit says */
    assert_string_equal(er_errmsg(),
                        "fact.csv:3:8: unit \"万元\" is not the unit of "
                        "\"health.public_health.spend\" (元): convert the "
                        "value to 元");
    assert_int_equal(count(f->db, "SELECT count(*) FROM fact"), 0);
}

static void test_import__template_columns_only_beside_facts(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "code,category,name,department,region_name\n"
                               "health.x,c,n,health,广州市\n";
    assert_int_equal(import_text(f->db, "item", "item.csv", text, 0, NULL),
                     ER_EDATA);
    assert_non_null(strstr(er_errmsg(),
                           "item.csv:1:5: unknown column \"region_name\""));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_import__csv_reader_tracks_lines_and_fields),
        T(test_import__item_list_texts_load),
        T(test_import__item_file_without_list_texts),
        T(test_import__item_list_text_errors_are_located),
        T(test_import__overlong_text_refused_at_its_field),
        T(test_import__blanks_around_a_text_are_trimmed),
        T(test_import__lone_cr_in_quotes_refused_as_cr),
        T(test_import__values_outside_their_domain_are_refused),
        T(test_import__undeclared_metric_still_refuses_absurd_values),
        T(test_import__metric_domain_columns_checked),
        T(test_import__metric_domain_that_stored_facts_break_is_refused),
        T(test_import__transfer_and_standard_values_in_their_domain),
        T(test_import__csv_reader_empty_input_has_no_records),
        T(test_import__csv_reader_error_is_sticky),
        T(test_import__csv_reader_seeks_back_to_a_record),
        T(test_import__csv_reader_refuses_overlong_utf8),
        T(test_import__good_file_loads_every_row),
        T(test_import__bom_crlf_and_quoted_fields),
        T(test_import__line_numbers_count_newlines_inside_quotes),
        T(test_import__parent_may_come_earlier_in_the_file),
        T(test_import__header_in_any_order_and_case),
        T(test_import__value_not_a_number),
        T(test_import__region_code_not_six_digits),
        T(test_import__region_fields_checked),
        T(test_import__zone_and_setting_checked),
        T(test_import__years_and_numbers_checked),
        T(test_import__standard_scope_region_and_span_checked),
        T(test_import__share_checked),
        T(test_import__split_and_city_transfer_checked),
        T(test_import__money_paid_and_national_averages),
        T(test_import__references_must_exist),
        T(test_import__control_characters_refused_in_text),
        T(test_import__gbk_that_is_valid_utf8_reads_as_gb18030),
        T(test_import__utf8_twin_reads_as_utf8),
        T(test_import__gbk_file_reads_as_gb18030),
        T(test_import__ambiguous_bytes_are_refused),
        T(test_import__encoding_errors_keep_file_positions),
        T(test_import__csv_syntax_errors),
        T(test_import__field_count_must_match_header),
        T(test_import__header_unknown_duplicate_or_missing_column),
        T(test_import__empty_file_has_no_header),
        T(test_import__stops_after_twenty_errors),
        T(test_import__nothing_imported_after_an_error),
        T(test_import__duplicate_key_in_file_names_both_lines),
        T(test_import__overlapping_spans_in_file),
        T(test_import__existing_row_needs_replace),
        T(test_import__replace_facts),
        T(test_import__standard_spans_overlap_or_replace),
        T(test_import__dry_run_changes_nothing),
        T(test_import__composes_with_callers_transaction),
        T(test_import__file_errors_name_the_path),
        T(test_import__every_table_loads),
        T(test_import__messages_stay_on_one_line),
        T(test_import__unknown_table_is_a_usage_error),
        T(test_import__blank_rows_are_skipped_and_counted),
        T(test_import__empty_trailing_columns_are_ignored),
        T(test_import__value_under_an_empty_column_is_an_error),
        T(test_import__percent_for_ratio_metrics),
        T(test_import__percent_refused_for_other_kinds),
        T(test_import__percent_read_in_the_metric_unit),
        T(test_import__exponent_refused_for_money_and_counts),
        T(test_import__decimal_comma_is_not_a_thousands_group),
        T(test_import__rows_identical_to_the_stored_ones_are_unchanged),
        T(test_import__template_names_must_match_their_codes),
        T(test_import__thousands_separators_in_quoted_numbers),
        T(test_import__regions_in_any_order_parents_first),
        T(test_import__a_parent_of_the_wrong_level_is_refused),
        T(test_import__template_rows_without_a_value_are_skipped),
        T(test_import__template_unit_must_be_the_metrics),
        T(test_import__template_columns_only_beside_facts),
    };
#undef T
    return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
