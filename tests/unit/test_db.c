/*
 * test_db.c - the database file: er_db_init creating and upgrading the
 * schema, er_db_open refusing what is not an equirule database of this
 * version (and leaving such a file exactly as it was), and the built-in
 * sample.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store.h"
#include "schema10.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define APPLICATION_ID 0x65717572 /* "equr" */

/* Migration 1 of core/store/db.c, as a version-1 equirule wrote it. */
static const char schema_v1[] =
    "CREATE TABLE region("
    "  code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 6),"
    "  name TEXT NOT NULL,"
    "  name_en TEXT,"
    "  level TEXT NOT NULL CHECK (level IN ('province','city','county')),"
    "  parent TEXT REFERENCES region(code),"
    "  zone TEXT CHECK (zone IN ('core','east','west','north')),"
    "  tier INTEGER);"
    "CREATE INDEX region_parent ON region(parent, code);"
    "CREATE TABLE metric("
    "  key TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT NOT NULL,"
    "  unit TEXT,"
    "  department TEXT,"
    "  description TEXT);"
    "CREATE TABLE fact("
    "  region TEXT NOT NULL REFERENCES region(code),"
    "  year INTEGER NOT NULL,"
    "  metric TEXT NOT NULL REFERENCES metric(key),"
    "  value REAL,"
    "  source TEXT,"
    "  PRIMARY KEY (region, year, metric)) WITHOUT ROWID;"
    "CREATE TABLE item("
    "  code TEXT PRIMARY KEY NOT NULL,"
    "  category TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  department TEXT NOT NULL,"
    "  unit TEXT,"
    "  beneficiary_metric TEXT REFERENCES metric(key));"
    "CREATE TABLE standard("
    "  key TEXT NOT NULL,"
    "  scope TEXT NOT NULL CHECK (scope IN ('national','provincial','local')),"
    "  region TEXT REFERENCES region(code),"
    "  year_from INTEGER NOT NULL,"
    "  year_to INTEGER CHECK (year_to IS NULL OR year_to >= year_from),"
    "  value REAL NOT NULL,"
    "  unit TEXT,"
    "  basis TEXT,"
    "  CHECK ((scope = 'local') = (region IS NOT NULL)));"
    "CREATE INDEX standard_key ON standard(key, scope, region, year_from);"
    "CREATE TABLE share("
    "  item TEXT NOT NULL REFERENCES item(code),"
    "  tier INTEGER NOT NULL,"
    "  year_from INTEGER NOT NULL,"
    "  year_to INTEGER CHECK (year_to IS NULL OR year_to >= year_from),"
    "  province_share REAL NOT NULL"
    "    CHECK (province_share >= 0 AND province_share <= 1));"
    "CREATE INDEX share_item ON share(item, tier, year_from);"
    "CREATE TABLE transfer("
    "  region TEXT NOT NULL REFERENCES region(code),"
    "  year INTEGER NOT NULL,"
    "  item TEXT NOT NULL REFERENCES item(code),"
    "  amount REAL NOT NULL,"
    "  PRIMARY KEY (region, year, item)) WITHOUT ROWID;"
    "INSERT INTO region(code, name, level) VALUES ('440000', '广东省', "
    "'province');"
    "INSERT INTO region(code, name, level, parent, zone, tier) VALUES "
    "('441400', '梅州市', 'city', '440000', 'north', 1);"
    "INSERT INTO metric(key, name, unit) VALUES ('pop.resident', '常住人口', "
    "'人');"
    "INSERT INTO fact(region, year, metric, value) VALUES "
    "('441400', 2019, 'pop.resident', 4380000);"
    "PRAGMA application_id = 1701934450;"
    "PRAGMA user_version = 1;";

/* Migrations 2 and 3 of core/db.c, as a version-3 equirule wrote them, on
 * top of schema_v1, with a stored run of finance.spending_gap. */
static const char schema_v3[] =
    "CREATE TABLE run("
    "  id INTEGER PRIMARY KEY,"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  status TEXT NOT NULL CHECK (status IN ('running','done','aborted')),"
    "  years TEXT NOT NULL,"
    "  engine_version TEXT NOT NULL,"
    "  rules_digest TEXT,"
    "  data_digest TEXT,"
    "  options TEXT,"
    "  user TEXT,"
    "  rules_dir TEXT,"
    "  evaluations INTEGER);"
    "CREATE TABLE rule_file("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  PRIMARY KEY (run, path));"
    "CREATE TABLE run_rule("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  department TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  basis TEXT NOT NULL,"
    "  item TEXT,"
    "  kind TEXT NOT NULL,"
    "  level TEXT NOT NULL,"
    "  params TEXT,"
    "  PRIMARY KEY (run, rule));"
    "CREATE TABLE finding("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('pass','fail','warn','skip',"
    "    'cut','allocation','missing','error')),"
    "  measured REAL,"
    "  required REAL,"
    "  amount INTEGER,"
    "  unit TEXT,"
    "  note TEXT);"
    "CREATE INDEX finding_run ON finding(run, rule, region, year);"
    "CREATE TABLE run_count("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  outcome TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  amount INTEGER,"
    "  PRIMARY KEY (run, rule, outcome)) WITHOUT ROWID;"
    "CREATE INDEX finding_failing ON finding(run, year, rule, region) "
    "  WHERE outcome IN ('fail', 'missing', 'error');"
    "INSERT INTO run VALUES (1, 't', 't', 'done', '2019', '0.1.0', NULL, "
    "NULL, NULL, NULL, NULL, 2);"
    "INSERT INTO run_rule VALUES (1, 'finance.spending_gap', 'finance', "
    "'finance/spending_gap.lua', 'gap', 'b', NULL, 'indicator', 'province', "
    "'{\"max_gap\":0.3}');"
    "INSERT INTO run_rule VALUES (1, 'health.x', 'health', 'health/x.lua', "
    "'x', 'b', NULL, 'compliance', 'city', NULL);"
    "INSERT INTO finding VALUES (1, 'finance.spending_gap', '440000', 2019, "
    "'pass', 0.2, 0.3, NULL, NULL, NULL);"
    "PRAGMA user_version = 3;";

/* Migration 4 of core/store/db.c, as a version-4 equirule wrote it, on
 * top of schema_v3, with metrics of several units. */
static const char schema_v4[] =
    "ALTER TABLE run_rule ADD COLUMN report TEXT;"
    "CREATE TABLE zone("
    "  code TEXT PRIMARY KEY NOT NULL"
    "    CHECK (code IN ('core','east','west','north')),"
    "  name TEXT NOT NULL,"
    "  short_name TEXT,"
    "  colour TEXT,"
    "  sort INTEGER);"
    "CREATE TABLE setting("
    "  key TEXT PRIMARY KEY NOT NULL CHECK (key IN ('policy')),"
    "  value TEXT NOT NULL);"
    "INSERT INTO metric(key, name, unit) VALUES "
    "('housing.eligible', '住房保障对象户数', '户'),"
    "('fin.revenue', '一般公共预算收入', '元'),"
    "('edu.per_pupil', '生均经费', '元/生'),"
    "('cover.ratio', '覆盖率', NULL);"
    "PRAGMA user_version = 4;";

static const char *const all_tables[] = {
    "region", "metric", "fact",     "item",     "standard", "share",
    "transfer", "run",  "rule_file", "run_rule", "finding_row",
    "finding_rule", "finding_text", "run_count",
    "zone", "setting", "run_gap", "split", "city_transfer", NULL};

/* ---- fixture: a temporary folder ---------------------------------------- */

struct fixture {
    char dir[64];
    char path[128];  /* dir/t.db: the file under test */
    char path2[128]; /* dir/other.db */
};

static int rm_entry(const char *p, const struct stat *st, int type,
                    struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/er_test_db_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    snprintf(f->path2, sizeof f->path2, "%s/other.db", f->dir);
    er_error_clear();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* ---- helpers ------------------------------------------------------------- */

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

/* Creates a SQLite file by hand with `sql` (rollback journal). */
static void make_sqlite(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s", msg);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

typedef struct bytes {
    char *data;
    size_t len;
} bytes;

static bytes slurp(const char *path)
{
    bytes b = {NULL, 0};
    assert_int_equal(er_read_file(path, &b.data, &b.len), ER_OK);
    return b;
}

/* Asserts that `path` holds exactly `before` and that no journal or WAL
 * was left beside it; frees `before`. */
static void expect_unchanged(const char *path, bytes before)
{
    bytes after = slurp(path);
    assert_int_equal(after.len, before.len);
    assert_memory_equal(after.data, before.data, before.len);
    char side[256];
    static const char *const suffixes[] = {"-journal", "-wal", "-shm"};
    for (size_t i = 0; i < ER_ARRAY_LEN(suffixes); i++) {
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        if (exists(side))
            fail_msg("%s was left behind", side);
    }
    free(before.data);
    free(after.data);
}

static long query_long(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void expect_tables(sqlite3 *db)
{
    char sql[256];
    for (size_t i = 0; all_tables[i]; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                 "AND name = '%s'",
                 all_tables[i]);
        if (query_long(db, sql) != 1)
            fail_msg("table %s is missing", all_tables[i]);
    }
    /* the findings' columns of version 10, readable and writable (insert,
     * delete and update) */
    if (query_long(db, "SELECT count(*) FROM sqlite_schema WHERE type = "
                       "'view' AND name = 'finding'") != 1 ||
        query_long(db, "SELECT count(*) FROM sqlite_schema WHERE type = "
                       "'trigger' AND tbl_name = 'finding'") != 3)
        fail_msg("the view finding or its triggers are missing");
}

static void expect_msg(const char *expected)
{
    assert_string_equal(er_errmsg(), expected);
}

/* ---- init -------------------------------------------------------------------- */

static void test_db__init_creates_every_table(void **state)
{
    struct fixture *f = *state;
    er_db *db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_OK);
    assert_int_equal(from, 0);
    assert_string_equal(er_db_path(db), f->path);
    expect_tables(db->db);
    assert_int_equal(query_long(db->db, "PRAGMA user_version"),
                     ER_SCHEMA_VERSION);
    assert_int_equal(query_long(db->db, "PRAGMA application_id"),
                     APPLICATION_ID);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM region"), 0);
    /* a new database names no zones and no policy: its data will */
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM zone"), 0);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM setting"), 0);
    er_db_free(db);

    /* and it opens */
    db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_OK);
    expect_tables(db->db);
    er_db_free(db);
}

static void test_db__init_again_keeps_the_data(void **state)
{
    struct fixture *f = *state;
    er_db *db = NULL;
    assert_int_equal(er_db_init(&db, f->path, NULL), ER_OK);
    assert_int_equal(sqlite3_exec(db->db,
                                  "INSERT INTO region(code, name, level) "
                                  "VALUES ('440000', '广东省', 'province')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    er_db_free(db);
    db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_OK);
    assert_int_equal(from, ER_SCHEMA_VERSION);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM region"), 1);
    er_db_free(db);
}

/* A database of version 6 (made here by taking the additions of versions
 * 7 to 10 away: no metric.aggregate, no split, no city_transfer, run_gap
 * without the kind 'split', no national_average, no run.scope)
 * keeps its transfers and gaps, gets the new tables empty, and its run_gap
 * then takes the new kind. */
static void test_db__init_upgrades_a_version_6_database(void **state)
{
    struct fixture *f = *state;
    er_db *db = NULL;
    assert_int_equal(er_db_init(&db, f->path, NULL), ER_OK);
    assert_int_equal(
        sqlite3_exec(
            db->db,
            ER_TEST_UNDO_V12
            "INSERT INTO region(code, name, level) VALUES "
            "('440000', '广东省', 'province');"
            "INSERT INTO item(code, category, name, department) VALUES "
            "('health.public_health', 'c', 'n', 'health');"
            "INSERT INTO transfer(region, year, item, amount) VALUES ('440000', 2019, "
            "'health.public_health', 1000000.5);"
            "INSERT INTO run(id, started_at, status, years, engine_version) "
            "VALUES (1, 'now', 'done', '2019', 'x');"
            "DROP TABLE split; DROP TABLE city_transfer; DROP TABLE run_gap;"
            "DROP TABLE national_average; ALTER TABLE run DROP COLUMN scope;"
            "ALTER TABLE metric DROP COLUMN aggregate;"
            "DROP TABLE run_source; DROP TABLE rule_source;"
            "ALTER TABLE run DROP COLUMN replay;"
            "CREATE TABLE run_gap(run INTEGER NOT NULL REFERENCES run(id) "
            "ON DELETE CASCADE, rule TEXT NOT NULL, region TEXT NOT NULL, "
            "year INTEGER NOT NULL, kind TEXT NOT NULL CHECK (kind IN "
            "('fact','share','standard','transfer')), key TEXT NOT NULL, "
            "data_region TEXT NOT NULL, data_year INTEGER NOT NULL);"
            "CREATE INDEX run_gap_run ON run_gap(run, kind, key, data_year);"
            "INSERT INTO run_gap VALUES (1, 'r', '440000', 2019, 'share', "
            "'health.public_health', '440000', 2019);"
            ER_TEST_FINDING_TO_V10
            "PRAGMA user_version = 6;",
            NULL, NULL, NULL),
        SQLITE_OK);
    er_db_free(db);
    db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_OK);
    assert_int_equal(from, 6);
    expect_tables(db->db);
    assert_int_equal(query_long(db->db, "PRAGMA user_version"),
                     ER_SCHEMA_VERSION);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM transfer WHERE "
                                        "amount = 1000000.5"),
                     1);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM run_gap WHERE "
                                        "kind = 'share'"),
                     1);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM split"), 0);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM city_transfer"),
                     0);
    assert_int_equal(
        sqlite3_exec(db->db,
                     "INSERT INTO run_gap VALUES (1, 'r', '440000', 2019, "
                     "'split', 'health.public_health', '440000', 2019)",
                     NULL, NULL, NULL),
        SQLITE_OK);
    er_db_free(db);
}

static void test_db__init_upgrades_a_version_1_database(void **state)
{
    struct fixture *f = *state;
    make_sqlite(f->path, schema_v1);

    er_db *db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_OK);
    assert_int_equal(from, 1);
    expect_tables(db->db);
    assert_int_equal(query_long(db->db, "PRAGMA user_version"),
                     ER_SCHEMA_VERSION);
    assert_int_equal(query_long(db->db, "PRAGMA application_id"),
                     APPLICATION_ID);
    /* the data of version 1 is still there */
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM region"), 2);
    assert_int_equal(query_long(db->db,
                                "SELECT value FROM fact WHERE region = "
                                "'441400' AND year = 2019"),
                     4380000);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM run"), 0);
    er_db_free(db);

    /* now it opens, and a second init has nothing to do */
    db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_OK);
    er_db_free(db);
    db = NULL;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_OK);
    assert_int_equal(from, ER_SCHEMA_VERSION);
    er_db_free(db);
}

static void test_db__init_upgrades_a_version_3_database(void **state)
{
    struct fixture *f = *state;
    make_sqlite(f->path, schema_v1);
    make_sqlite(f->path, schema_v3);

    er_db *db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_OK);
    assert_int_equal(from, 3);
    expect_tables(db->db);
    assert_int_equal(query_long(db->db, "PRAGMA user_version"),
                     ER_SCHEMA_VERSION);
    /* the runs of version 3 are still there; the rule its report drew the
     * per-capita band from now says so */
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM finding"), 1);
    assert_int_equal(query_long(db->db,
                                "SELECT count(*) FROM run_rule WHERE report "
                                "= '{\"chart\":\"per_capita_gap\"}' AND "
                                "rule = 'finance.spending_gap'"),
                     1);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM run_rule WHERE "
                                        "report IS NULL AND rule = "
                                        "'health.x'"),
                     1);
    /* its data keeps the zone and policy names its reports showed */
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM zone"), 4);
    assert_int_equal(query_long(db->db,
                                "SELECT count(*) FROM zone WHERE code = "
                                "'core' AND name = '珠三角核心区' AND colour "
                                "= '#2f6db5'"),
                     1);
    assert_int_equal(query_long(db->db,
                                "SELECT count(*) FROM setting WHERE key = "
                                "'policy' AND value = '粤财办〔2019〕1号'"),
                     1);
    er_db_free(db);

    db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_OK);
    er_db_free(db);
}

static void test_db__init_upgrades_a_version_4_database(void **state)
{
    struct fixture *f = *state;
    make_sqlite(f->path, schema_v1);
    make_sqlite(f->path, schema_v3);
    make_sqlite(f->path, schema_v4);

    er_db *db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_OK);
    assert_int_equal(from, 4);
    assert_int_equal(query_long(db->db, "PRAGMA user_version"),
                     ER_SCHEMA_VERSION);
    /* what the units tell: people and households are counts, yuan is
     * money; other units declare nothing (check warns) */
    assert_int_equal(query_long(db->db,
                                "SELECT count(*) FROM metric WHERE "
                                "kind = 'count' AND key IN ('pop.resident', "
                                "'housing.eligible')"),
                     2);
    assert_int_equal(query_long(db->db,
                                "SELECT count(*) FROM metric WHERE "
                                "kind = 'money' AND key = 'fin.revenue'"),
                     1);
    assert_int_equal(query_long(db->db,
                                "SELECT count(*) FROM metric WHERE kind IS "
                                "NULL AND integer IS NULL AND min IS NULL "
                                "AND max IS NULL AND key IN "
                                "('edu.per_pupil', 'cover.ratio')"),
                     2);
    /* the facts are untouched, and a kind outside the list is refused */
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM fact"), 1);
    assert_int_not_equal(sqlite3_exec(db->db,
                                      "UPDATE metric SET kind = 'people'",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db->db,
                                      "UPDATE metric SET min = 1, max = 0",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    er_db_free(db);
}

static void test_db__init_refuses_a_foreign_database_unchanged(void **state)
{
    struct fixture *f = *state;
    make_sqlite(f->path, "CREATE TABLE customer(id INTEGER PRIMARY KEY, "
                         "name TEXT);"
                         "INSERT INTO customer(name) VALUES ('张三');");
    bytes before = slurp(f->path);
    er_db *db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_ENOTDB);
    assert_null(db);
    assert_non_null(strstr(er_errmsg(), "not an equirule database"));
    expect_unchanged(f->path, before);
}

static void test_db__init_refuses_a_file_that_is_not_sqlite(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "code,name,level\n440000,广东省,province\n";
    write_file(f->path, text, sizeof text - 1);
    bytes before = slurp(f->path);
    er_db *db = NULL;
    assert_int_equal(er_db_init(&db, f->path, NULL), ER_ENOTDB);
    assert_null(db);
    assert_non_null(strstr(er_errmsg(), "not an equirule database"));
    expect_unchanged(f->path, before);
}

static void test_db__init_refuses_a_newer_version_unchanged(void **state)
{
    struct fixture *f = *state;
    make_sqlite(f->path, "CREATE TABLE region(code TEXT PRIMARY KEY);"
                         "CREATE TABLE region_v3(code TEXT);"
                         "PRAGMA application_id = 1701934450;"
                         "PRAGMA user_version = 99;");
    bytes before = slurp(f->path);
    er_db *db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&db, f->path, &from), ER_EVERSION);
    assert_null(db);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s: schema version 99 is newer than this equirule's %d; use a "
             "newer equirule",
             f->path, ER_SCHEMA_VERSION);
    expect_msg(expected);
    expect_unchanged(f->path, before);
}

static void test_db__empty_file_name_is_a_usage_error(void **state)
{
    (void)state;
    static const char msg[] =
        "the database file name is empty (--db \"\" or an empty "
        "EQUIRULE_DB); name the file, e.g. --db equirule.db";
    er_db *db = NULL;
    /* SQLite would open a private temporary database for "" */
    assert_int_equal(er_db_init(&db, "", NULL), ER_EUSAGE);
    assert_null(db);
    expect_msg(msg);
    assert_int_equal(er_db_open(&db, "", 0), ER_EUSAGE);
    assert_null(db);
    expect_msg(msg);
    assert_int_equal(er_db_open(&db, "", ER_DB_READONLY), ER_EUSAGE);
    expect_msg(msg);
}

static void test_db__schema_lists_come_from_the_domain_tables(void **state)
{
    struct fixture *f = *state;
    er_db *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(er_db_init(&db, f->path, NULL), ER_OK);

    /* the CHECK constraints of a new database spell the lists as the
     * hand-written schema did */
    static const char *const expected[][2] = {
        {"region", "CHECK (level IN ('province','city','county'))"},
        {"region", "CHECK (zone IN ('core','east','west','north'))"},
        {"standard", "CHECK (scope IN ('national','provincial','local'))"},
        {"finding_row", "CHECK (outcome BETWEEN 0 AND 7)"},
        {"finding_insert", "NOT IN ('pass','fail','warn','skip','cut',"
                           "'allocation','missing','error')"},
        {"finding", "WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' WHEN 2 THEN "
                    "'warn' WHEN 3 THEN 'skip' WHEN 4 THEN 'cut' WHEN 5 THEN "
                    "'allocation' WHEN 6 THEN 'missing' WHEN 7 THEN 'error'"},
    };
    for (size_t i = 0; i < ER_ARRAY_LEN(expected); i++) {
        assert_int_equal(sqlite3_prepare_v2(db->db,
                                            "SELECT sql FROM sqlite_schema "
                                            "WHERE name = ?1",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, expected[i][0], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        const char *sql = (const char *)sqlite3_column_text(st, 0);
        if (!strstr(sql, expected[i][1]))
            fail_msg("%s: no %s in %s", expected[i][0], expected[i][1], sql);
        sqlite3_finalize(st);
    }

    /* and they hold: a word of the list goes in, another does not */
    assert_int_equal(sqlite3_exec(db->db,
                                  "INSERT INTO region(code, name, level, "
                                  "zone) VALUES ('440100', '广州市', "
                                  "'city', 'core')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db->db,
                                  "INSERT INTO region(code, name, level) "
                                  "VALUES ('440101', 'x', 'town')",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT_CHECK);
    er_db_free(db);
}

static void test_db__domain_lists_parse_their_own_words(void **state)
{
    (void)state;
    for (int i = 0; i < ER_LEVEL_COUNT; i++)
        assert_int_equal(er_level_parse(er_level_names[i]), i);
    for (int i = 0; i < ER_ZONE_COUNT; i++)
        assert_int_equal(er_zone_parse(er_zone_names[i]), i);
    for (int i = 0; i < ER_SCOPE_COUNT; i++)
        assert_int_equal(er_scope_parse(er_scope_names[i]), i);
    for (int i = 0; i < ER_OUTCOME_COUNT; i++) {
        assert_int_equal(er_outcome_parse(er_outcomes[i].name), i);
        assert_string_equal(er_outcome_name((er_outcome)i),
                            er_outcomes[i].name);
    }
    assert_int_equal(er_level_parse("town"), -1);
    assert_int_equal(er_zone_parse(NULL), -1);
    assert_int_equal(er_outcome_parse("Pass"), -1);
    assert_string_equal(er_outcomes[ER_ALLOCATION].name, "allocation");
    assert_string_equal(er_zone_names[ER_ZONE_NORTH], "north");
    /* fail, missing and error count as failing; warn does not */
    assert_true(er_outcomes[ER_FAIL].failing);
    assert_true(er_outcomes[ER_MISSING].failing);
    assert_true(er_outcomes[ER_ERROR_OUTCOME].failing);
    assert_false(er_outcomes[ER_WARN].failing);

    char text[ER_WORDS_TEXT];
    assert_string_equal(er_words_text(text, sizeof text, er_level_names,
                                      ER_LEVEL_COUNT, " or "),
                        "province, city or county");
    assert_string_equal(er_words_text(text, sizeof text, er_zone_names,
                                      ER_ZONE_COUNT, ", "),
                        "core, east, west, north");
}

/* ---- open ---------------------------------------------------------------------- */

static void test_db__open_missing_file_points_to_init(void **state)
{
    struct fixture *f = *state;
    er_db *db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_ENOTFOUND);
    assert_null(db);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s: no such database; create it with `equirule init --db %s` "
             "(add --sample for the built-in sample)",
             f->path, f->path);
    expect_msg(expected);
    assert_false(exists(f->path)); /* only init creates */

    assert_int_equal(er_db_open(&db, f->path, ER_DB_READONLY), ER_ENOTFOUND);
    assert_false(exists(f->path));
}

static void test_db__open_refuses_a_file_that_is_not_sqlite(void **state)
{
    struct fixture *f = *state;
    static const char text[] = "region,year,metric,value\n"
                               "441400,2019,pop.resident,4380000\n";
    write_file(f->path, text, sizeof text - 1);
    bytes before = slurp(f->path);
    er_db *db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_ENOTDB);
    assert_null(db);
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s: not an equirule database", f->path);
    assert_memory_equal(er_errmsg(), prefix, strlen(prefix));
    expect_unchanged(f->path, before);
}

static void test_db__open_refuses_an_empty_file(void **state)
{
    struct fixture *f = *state;
    write_file(f->path, "", 0);
    er_db *db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_ENOTDB);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s: empty file, not an equirule database; create it with "
             "`equirule init --db %s`",
             f->path, f->path);
    expect_msg(expected);
    bytes b = slurp(f->path);
    assert_int_equal(b.len, 0);
    free(b.data);
}

static void test_db__open_refuses_a_foreign_sqlite_database(void **state)
{
    struct fixture *f = *state;
    make_sqlite(f->path, "CREATE TABLE customer(id INTEGER PRIMARY KEY, "
                         "name TEXT);"
                         "INSERT INTO customer(name) VALUES ('张三');");
    bytes before = slurp(f->path);
    er_db *db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_ENOTDB);
    assert_null(db);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s: not an equirule database (application_id 0); create one "
             "with `equirule init`",
             f->path);
    expect_msg(expected);
    expect_unchanged(f->path, before);

    /* another application's id (a GeoPackage), even with our table names */
    make_sqlite(f->path2, "CREATE TABLE region(code TEXT);"
                          "PRAGMA application_id = 1196444487;"
                          "PRAGMA user_version = 2;");
    before = slurp(f->path2);
    assert_int_equal(er_db_open(&db, f->path2, ER_DB_READONLY), ER_ENOTDB);
    assert_non_null(strstr(er_errmsg(), "(application_id 1196444487)"));
    expect_unchanged(f->path2, before);
}

static void test_db__open_refuses_a_newer_schema(void **state)
{
    struct fixture *f = *state;
    make_sqlite(f->path, "CREATE TABLE region(code TEXT PRIMARY KEY);"
                         "PRAGMA application_id = 1701934450;"
                         "PRAGMA user_version = 99;");
    bytes before = slurp(f->path);
    er_db *db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_EVERSION);
    assert_null(db);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s: schema version 99 is newer than this equirule's %d; use a "
             "newer equirule",
             f->path, ER_SCHEMA_VERSION);
    expect_msg(expected);
    expect_unchanged(f->path, before);
}

static void test_db__open_refuses_an_older_schema_and_says_upgrade(void **state)
{
    struct fixture *f = *state;
    make_sqlite(f->path, schema_v1);
    bytes before = slurp(f->path);
    er_db *db = NULL;
    assert_int_equal(er_db_open(&db, f->path, 0), ER_EVERSION);
    assert_null(db);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s: schema version 1 is older than this equirule's %d; upgrade "
             "it with `equirule init --db %s`",
             f->path, ER_SCHEMA_VERSION, f->path);
    expect_msg(expected);
    expect_unchanged(f->path, before);
}

static void test_db__open_readonly_refuses_writes(void **state)
{
    struct fixture *f = *state;
    er_db *db = NULL;
    assert_int_equal(er_db_init(&db, f->path, NULL), ER_OK);
    er_db_free(db);
    db = NULL;
    assert_int_equal(er_db_open(&db, f->path, ER_DB_READONLY), ER_OK);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM finding"), 0);
    int rc = sqlite3_exec(db->db,
                          "INSERT INTO region(code, name, level) VALUES "
                          "('440000', '广东省', 'province')",
                          NULL, NULL, NULL);
    assert_int_equal(rc & 0xff, SQLITE_READONLY);
    er_db_free(db);
    er_db_free(NULL); /* accepted */
}

/* ---- the sample ---------------------------------------------------------------- */

static void test_db__load_sample_loads_its_regions_once(void **state)
{
    struct fixture *f = *state;
    er_db *db = NULL;
    assert_int_equal(er_db_init(&db, f->path, NULL), ER_OK);
    assert_int_equal(er_db_load_sample(db), ER_OK);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM region"), 56);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM region WHERE "
                                        "level = 'city' AND parent = "
                                        "'440000'"),
                     21);
    /* the counties of 广州, 湛江, 梅州 and 河源 */
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM region WHERE "
                                        "level = 'county' AND parent IN "
                                        "('440100', '440800', '441400', "
                                        "'441600')"),
                     34);
    assert_int_equal(query_long(db->db, "SELECT min(year) FROM fact"), 2018);
    assert_int_equal(query_long(db->db, "SELECT max(year) FROM fact"), 2020);
    assert_int_equal(query_long(db->db,
                                "SELECT value FROM fact WHERE region = "
                                "'441400' AND year = 2019 AND metric = "
                                "'pop.resident'"),
                     4380000);
    long facts = query_long(db->db, "SELECT count(*) FROM fact");
    assert_true(facts > 22 * 3);
    /* the names the report shows come with the data */
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM zone"), 4);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM setting WHERE "
                                        "key = 'policy'"),
                     1);

    /* a second load is refused and changes nothing */
    assert_int_equal(er_db_load_sample(db), ER_EUSAGE);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s already holds data; the sample goes into a new database",
             f->path);
    expect_msg(expected);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM region"), 56);
    assert_int_equal(query_long(db->db, "SELECT count(*) FROM fact"), facts);
    er_db_free(db);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_db__init_creates_every_table),
        T(test_db__init_again_keeps_the_data),
        T(test_db__init_upgrades_a_version_1_database),
        T(test_db__init_upgrades_a_version_3_database),
        T(test_db__init_upgrades_a_version_4_database),
        T(test_db__init_upgrades_a_version_6_database),
        T(test_db__init_refuses_a_foreign_database_unchanged),
        T(test_db__init_refuses_a_file_that_is_not_sqlite),
        T(test_db__init_refuses_a_newer_version_unchanged),
        T(test_db__empty_file_name_is_a_usage_error),
        T(test_db__schema_lists_come_from_the_domain_tables),
        T(test_db__domain_lists_parse_their_own_words),
        T(test_db__open_missing_file_points_to_init),
        T(test_db__open_refuses_a_file_that_is_not_sqlite),
        T(test_db__open_refuses_an_empty_file),
        T(test_db__open_refuses_a_foreign_sqlite_database),
        T(test_db__open_refuses_a_newer_schema),
        T(test_db__open_refuses_an_older_schema_and_says_upgrade),
        T(test_db__open_readonly_refuses_writes),
        T(test_db__load_sample_loads_its_regions_once),
    };
#undef T
    return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
