/*
 * test_export.c - er_export_csv and `equirule export`: what an
 * administrator gets back out of a database is what `equirule import`
 * reads into the same rows: every data table of the sample round-trips
 * byte for byte and value for value, numbers keep every bit, text keeps
 * its commas, quotes and line ends, NULL stays NULL. er_export_xlsx
 * writes a workbook of the same rows, or no file at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct fixture {
    char path[64];
    er_db *db;
};

/* A fresh, initialised database in a temporary file. */
static er_db *new_db(char *path, size_t size)
{
    er_db *db = NULL;
    snprintf(path, size, "/tmp/er_test_export_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(er_db_init(&db, path, NULL), ER_OK);
    return db;
}

static void remove_db(er_db *db, const char *path)
{
    char side[96];
    er_db_free(db);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->db = new_db(f->path, sizeof f->path);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    remove_db(f->db, f->path);
    free(f);
    return 0;
}

/* Exports `table` into a string the caller frees. */
static char *export_text(er_db *db, const char *table, unsigned flags,
                         long *rows)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    int rc = er_export_csv(db, table, fp, flags, rows);
    fclose(fp);
    assert_int_equal(rc, ER_OK);
    assert_int_equal(strlen(text), len);
    return text;
}

static void import_text(er_db *db, const char *table, const char *text)
{
    er_import_stats stats;
    int rc =
        er_import_csv(db, table, "export.csv", text, strlen(text), 0, &stats);
    if (rc != ER_OK)
        fail_msg("re-import of %s: %s", table, er_errmsg());
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

/* ---- round trips -------------------------------------------------------- */

static void test_export__every_sample_table_round_trips(void **state)
{
    struct fixture *f = *state;
    char path2[64], sql[512];
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    /* every table must hold rows: where the sample has none, a county
     * of 梅州, the city's splits (its default and one item's) and what it
     * paid the county */
    assert_int_equal(
        sqlite3_exec(f->db->db,
                     "INSERT OR IGNORE INTO region(code, name, level, parent, "
                     "tier) VALUES ('441402', '梅江区', 'county', '441400', 2);"
                     "INSERT INTO split(city, item, year_from, year_to, city_share) SELECT '441400', NULL, 2018, NULL, 0.6 "
                     "WHERE NOT EXISTS (SELECT 1 FROM split);"
                     "INSERT INTO split(city, item, year_from, year_to, city_share) SELECT '441400', "
                     "'health.public_health', 2019, 2020, 0.25 WHERE (SELECT "
                     "count(*) FROM split) = 1;"
                     "INSERT INTO city_transfer(region, year, item, amount) SELECT '441402', 2019, "
                     "'health.public_health', 1234567.5 WHERE NOT EXISTS "
                     "(SELECT 1 FROM city_transfer);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    er_db *copy = new_db(path2, sizeof path2);

    /* import into a fresh database in load order, export again */
    for (size_t i = 0; er_data_tables[i]; i++) {
        const char *t = er_data_tables[i];
        long rows = 0, rows2 = 0;
        char *first = export_text(f->db, t, 0, &rows);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", t);
        assert_true(rows > 0);
        assert_int_equal(rows, count(f->db, sql));
        import_text(copy, t, first);
        char *second = export_text(copy, t, 0, &rows2);
        assert_int_equal(rows2, rows);
        assert_string_equal(second, first);
        free(first);
        free(second);
    }

    /* and the values themselves are equal, storage class included (not
     * the data version that wrote them: no data, and not exported) */
    snprintf(sql, sizeof sql, "ATTACH '%s' AS copy", path2);
    assert_int_equal(sqlite3_exec(f->db->db, sql, NULL, NULL, NULL), SQLITE_OK);
    for (size_t i = 0; er_data_tables[i]; i++) {
        const char *t = er_data_tables[i];
        snprintf(sql, sizeof sql,
                 "UPDATE main.%s SET version = NULL; "
                 "UPDATE copy.%s SET version = NULL",
                 t, t);
        assert_int_equal(sqlite3_exec(f->db->db, sql, NULL, NULL, NULL),
                         SQLITE_OK);
        snprintf(sql, sizeof sql,
                 "SELECT (SELECT count(*) FROM (SELECT * FROM main.%s EXCEPT "
                 "SELECT * FROM copy.%s)) + (SELECT count(*) FROM (SELECT * "
                 "FROM copy.%s EXCEPT SELECT * FROM main.%s))",
                 t, t, t, t);
        assert_int_equal(count(f->db, sql), 0);
    }
    assert_int_equal(count(f->db, "SELECT count(*) FROM main.fact a JOIN "
                                  "copy.fact b USING (region, year, metric) "
                                  "WHERE typeof(a.value) != typeof(b.value) "
                                  "OR a.value != b.value OR a.source IS NOT "
                                  "b.source"),
                     0);
    assert_int_equal(count(f->db, "SELECT count(*) FROM main.region a JOIN "
                                  "copy.region b USING (code) WHERE "
                                  "a.parent IS NOT b.parent OR a.zone IS NOT "
                                  "b.zone OR a.tier IS NOT b.tier OR "
                                  "typeof(a.tier) != typeof(b.tier)"),
                     0);
    sqlite3_exec(f->db->db, "DETACH copy", NULL, NULL, NULL);
    remove_db(copy, path2);
}

static void test_export__numbers_keep_every_bit(void **state)
{
    struct fixture *f = *state;
    import_text(f->db, "region", "code,name,level\n440000,广东省,province\n");
    import_text(f->db, "metric", "key,name\nm,测试\n");
    /* 0.1 + 0.2, 1/3, a tiny, a huge and a negative value */
    import_text(f->db, "fact",
                "region,year,metric,value\n"
                "440000,2001,m,0.30000000000000004\n"
                "440000,2002,m,0.33333333333333331\n"
                "440000,2003,m,1e-300\n"
                "440000,2004,m,123456789012345.67\n"
                "440000,2005,m,-2.5\n"
                "440000,2006,m,4380000\n"
                "440000,2007,m,0.1\n");
    char *text = export_text(f->db, "fact", 0, NULL);
    assert_string_equal(text, "region,year,metric,value,source\n"
                              "440000,2001,m,0.30000000000000004,\n"
                              "440000,2002,m,0.3333333333333333,\n"
                              "440000,2003,m,1e-300,\n"
                              "440000,2004,m,123456789012345.67,\n"
                              "440000,2005,m,-2.5,\n"
                              "440000,2006,m,4380000,\n"
                              "440000,2007,m,0.1,\n");
    /* what is written reads back as the same double */
    char path2[64];
    er_db *copy = new_db(path2, sizeof path2);
    import_text(copy, "region", "code,name,level\n440000,广东省,province\n");
    import_text(copy, "metric", "key,name\nm,测试\n");
    import_text(copy, "fact", text);
    char sql[256];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS copy", path2);
    assert_int_equal(sqlite3_exec(f->db->db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(count(f->db, "SELECT count(*) FROM main.fact a JOIN "
                                  "copy.fact b USING (region, year, metric) "
                                  "WHERE a.value = b.value"),
                     7);
    sqlite3_exec(f->db->db, "DETACH copy", NULL, NULL, NULL);
    remove_db(copy, path2);
    free(text);
}

static void test_export__text_is_quoted_and_null_is_empty(void **state)
{
    struct fixture *f = *state;
    static const char metric[] =
        "key,name,unit,department,description,kind,integer,min,min_open,"
        "max,max_open,aggregate\n"
        "a,\"支出, 合计\",元,,\"他说 \"\"够了\"\"\",,,,,,,\n"
        "b,\"两\nlines\",,finance,\" padded \",,,,,,,\n";
    /* written with SQL: import refuses a line break in text, but a
     * database filled otherwise may hold one */
    assert_int_equal(
        sqlite3_exec(f->db->db,
                     "INSERT INTO metric(key, name, unit, department, "
                     "description) VALUES ('a', '支出, 合计', '元', "
                     "NULL, '他说 \"够了\"'), ('b', '两' || char(10) || "
                     "'lines', NULL, 'finance', ' padded ')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    char *text = export_text(f->db, "metric", 0, NULL);
    assert_string_equal(text, metric);
    free(text);

    /* NULL fields of a region come out empty; a province has no parent,
     * zone or tier */
    import_text(f->db, "region",
                "code,name,name_en,level,parent,zone,tier\n"
                "440000,广东省,Guangdong,province,,,\n"
                "441400,梅州市,Meizhou,city,440000,north,3\n");
    text = export_text(f->db, "region", 0, NULL);
    assert_string_equal(text, "code,name,name_en,level,parent,zone,tier\n"
                              "440000,广东省,Guangdong,province,,,\n"
                              "441400,梅州市,Meizhou,city,440000,north,3\n");
    free(text);
}

static void test_export__rows_in_key_order(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    char *text = export_text(f->db, "fact", 0, NULL);
    /* every line's key sorts after the previous line's */
    char prev[128] = "";
    size_t lines = 0;
    for (char *line = strchr(text, '\n') + 1; *line;) {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        char key[128];
        const char *comma = line;
        for (int k = 0; k < 3; k++)
            comma = strchr(comma, ',') + 1;
        snprintf(key, sizeof key, "%.*s", (int)(comma - line), line);
        assert_true(strcmp(prev, key) < 0);
        snprintf(prev, sizeof prev, "%s", key);
        line = end + 1;
        lines++;
    }
    assert_int_equal(lines, count(f->db, "SELECT count(*) FROM fact"));
    free(text);
}

static void test_export__parents_before_children(void **state)
{
    struct fixture *f = *state;
    /* codes where a parent sorts after its child */
    import_text(f->db, "region",
                "code,name,level,parent\n"
                "900000,上级,province,\n"
                "100000,下级,city,900000\n"
                "100100,更下级,county,100000\n"
                "200000,另一,city,900000\n");
    char *text = export_text(f->db, "region", 0, NULL);
    assert_string_equal(text, "code,name,name_en,level,parent,zone,tier\n"
                              "900000,上级,,province,,,\n"
                              "100000,下级,,city,900000,,\n"
                              "200000,另一,,city,900000,,\n"
                              "100100,更下级,,county,100000,,\n");
    char path2[64];
    er_db *copy = new_db(path2, sizeof path2);
    import_text(copy, "region", text);
    assert_int_equal(count(copy, "SELECT count(*) FROM region"), 4);
    remove_db(copy, path2);
    free(text);
}

static void test_export__excel_adds_a_byte_order_mark(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    char *plain = export_text(f->db, "item", 0, NULL);
    char *excel = export_text(f->db, "item", ER_CSV_EXCEL, NULL);
    assert_memory_equal(excel, "\xEF\xBB\xBF", 3);
    assert_string_equal(excel + 3, plain);
    /* and import reads it back */
    char path2[64];
    er_db *copy = new_db(path2, sizeof path2);
    char *metric = export_text(f->db, "metric", 0, NULL);
    import_text(copy, "metric", metric);
    import_text(copy, "item", excel);
    free(metric);
    assert_int_equal(count(copy, "SELECT count(*) FROM item"),
                     count(f->db, "SELECT count(*) FROM item"));
    remove_db(copy, path2);
    free(plain);
    free(excel);
}

static void test_export__unknown_table_is_a_usage_error(void **state)
{
    struct fixture *f = *state;
    FILE *fp = fopen("/dev/null", "w");
    assert_non_null(fp);
    assert_int_equal(er_export_csv(f->db, "run", fp, 0, NULL), ER_EUSAGE);
    assert_string_equal(er_errmsg(),
                        "unknown table \"run\"; export reads region, metric, "
                        "item, standard, share, transfer, split, "
                        "city_transfer, fact, zone, setting or national_average");
    fclose(fp);
}

static void test_export__empty_table_has_its_header(void **state)
{
    struct fixture *f = *state;
    long rows = -1;
    char *text = export_text(f->db, "standard", 0, &rows);
    assert_int_equal(rows, 0);
    assert_string_equal(text, "key,scope,region,year_from,year_to,value,unit,"
                              "basis\n");
    free(text);
}

/* ---- the command -------------------------------------------------------- */

/* Runs a shell command; returns its exit status. */
static int shell(const char *cmd)
{
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

static void test_export__command_writes_the_file(void **state)
{
    struct fixture *f = *state;
    char cmd[1024], out[96], *data = NULL;
    size_t len = 0;
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    snprintf(out, sizeof out, "%s.fact.csv", f->path);
    snprintf(cmd, sizeof cmd, "%s export --db %s fact -o %s > %s.stdout 2>&1",
             ER_BIN, f->path, out, f->path);
    assert_int_equal(shell(cmd), 0);
    assert_int_equal(er_read_file(out, &data, &len), ER_OK);
    char *expected = export_text(f->db, "fact", 0, NULL);
    assert_string_equal(data, expected);
    free(data);
    free(expected);
    unlink(out);

    /* a missing database is an error (3), a bad table a usage error (2),
     * and neither leaves a file behind */
    snprintf(cmd, sizeof cmd,
             "%s export --db %s.missing fact -o %s 2>/dev/null", ER_BIN,
             f->path, out);
    assert_int_equal(shell(cmd), 3);
    assert_int_equal(access(out, F_OK), -1);
    snprintf(cmd, sizeof cmd, "%s export --db %s run -o %s 2>/dev/null", ER_BIN,
             f->path, out);
    assert_int_equal(shell(cmd), 2);
    assert_int_equal(access(out, F_OK), -1);
    snprintf(cmd, sizeof cmd, "%s.stdout", f->path);
    unlink(cmd);
}

/* ---- workbooks ------------------------------------------------------------ */

/* Whether the n bytes at data hold the text `s`. */
static bool holds(const char *data, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(data + i, s, k) == 0)
            return true;
    return false;
}

static void test_export__xlsx_is_a_workbook_of_the_table(void **state)
{
    struct fixture *f = *state;
    char out[96], *data = NULL;
    size_t len = 0;
    long rows = -1;
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    snprintf(out, sizeof out, "%s.region.xlsx", f->path);
    assert_int_equal(er_export_xlsx(f->db, "region", out, &rows), ER_OK);
    assert_int_equal(er_read_file(out, &data, &len), ER_OK);
    /* a zip package with the parts of a workbook (the e2e test reads the
     * sheets back) */
    assert_true(len > 4 && memcmp(data, "PK\x03\x04", 4) == 0);
    assert_true(holds(data, len, "[Content_Types].xml"));
    assert_true(holds(data, len, "xl/workbook.xml"));
    assert_true(holds(data, len, "xl/worksheets/sheet1.xml"));
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->db->db,
                                        "SELECT count(*) FROM region", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(rows, sqlite3_column_int(st, 0));
    sqlite3_finalize(st);
    free(data);
    unlink(out);
}

static void test_export__xlsx_failure_leaves_no_file(void **state)
{
    struct fixture *f = *state;
    char out[128], msg[256];
    long rows = -1;
    /* an unknown table: the usage error of the CSV export */
    snprintf(out, sizeof out, "%s.run.xlsx", f->path);
    assert_int_equal(er_export_xlsx(f->db, "run", out, &rows), ER_EUSAGE);
    assert_string_equal(er_errmsg(),
                        "unknown table \"run\"; export reads region, metric, "
                        "item, standard, share, transfer, split, "
                        "city_transfer, fact, zone, setting or "
                        "national_average");
    assert_int_equal(rows, 0);
    assert_int_equal(access(out, F_OK), -1);
    /* a folder that does not exist */
    snprintf(out, sizeof out, "%s.none/fact.xlsx", f->path);
    assert_int_equal(er_export_xlsx(f->db, "fact", out, NULL), ER_ERROR);
    snprintf(msg, sizeof msg, "%s: No such file or directory", out);
    assert_string_equal(er_errmsg(), msg);
    /* the database itself is never overwritten */
    assert_int_equal(er_export_xlsx(f->db, "fact", f->path, NULL), ER_EUSAGE);
    /* a report of a run that does not exist */
    snprintf(out, sizeof out, "%s.report.xlsx", f->path);
    assert_int_equal(er_report_write_xlsx(f->db, 42, NULL, out), ER_ENOTFOUND);
    assert_int_equal(access(out, F_OK), -1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_export__every_sample_table_round_trips),
        T(test_export__numbers_keep_every_bit),
        T(test_export__text_is_quoted_and_null_is_empty),
        T(test_export__rows_in_key_order),
        T(test_export__parents_before_children),
        T(test_export__excel_adds_a_byte_order_mark),
        T(test_export__unknown_table_is_a_usage_error),
        T(test_export__empty_table_has_its_header),
        T(test_export__command_writes_the_file),
        T(test_export__xlsx_is_a_workbook_of_the_table),
        T(test_export__xlsx_failure_leaves_no_file),
    };
#undef T
    return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
