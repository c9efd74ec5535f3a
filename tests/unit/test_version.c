/*
 * test_version.c - data versions (version.c): every import is a version,
 * replaced and deleted rows are kept, the data as of each version is
 * rebuilt exactly as it was imported (er_data_materialize), the rows that
 * differ between two versions are listed (er_data_changes), and the
 * history tables keep the columns of their data tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report.h"
#include "schema10.h"

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
    snprintf(f->path, sizeof f->path, "/tmp/er_test_version_XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(er_db_init(&f->db, f->path, NULL), ER_OK);
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

static long count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int64_t import(er_db *db, const char *table, const char *csv,
                      unsigned flags)
{
    er_import_stats st;
    int rc = er_import_csv(db, table, "t.csv", csv, strlen(csv), flags, &st);
    if (rc != ER_OK)
        fail_msg("import %s: %s", table, er_errmsg());
    return st.version;
}

/* Every data table of `db` as `equirule export` writes it, one after the
 * other; the caller frees it. */
static char *export_all(sqlite3 *db)
{
    er_db h = {db, (char *)"t.db", false};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    for (size_t i = 0; er_data_tables[i]; i++) {
        fprintf(fp, "== %s\n", er_data_tables[i]);
        assert_int_equal(er_export_csv(&h, er_data_tables[i], fp, 0, NULL),
                         ER_OK);
    }
    fclose(fp);
    return text;
}

/* The data as of `version`, exported. */
static char *export_version(er_db *db, int64_t version)
{
    sqlite3 *mem = NULL;
    assert_int_equal(sqlite3_open(":memory:", &mem), SQLITE_OK);
    sqlite3_exec(mem, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    assert_int_equal(er_db_create_schema(mem), ER_OK);
    int rc = er_data_materialize(db->db, version, mem);
    if (rc != ER_OK)
        fail_msg("materialize %lld: %s", (long long)version, er_errmsg());
    char *text = export_all(mem);
    sqlite3_close(mem);
    return text;
}

/* The sample, then changes of facts and standards, each version's data
 * exported as it was when it was the latest: materializing each version
 * gives back exactly that. */
static void test_version__materialize_gives_each_version_as_imported(
    void **state)
{
    struct fixture *f = *state;
    enum { N = 8 };
    char *at[N] = {0};
    int64_t v[N] = {0}, latest = -1;
    int n = 0;

    assert_int_equal(er_data_version_latest(f->db->db, &latest), ER_OK);
    assert_int_equal(latest, 0);
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    assert_int_equal(er_data_version_latest(f->db->db, &v[n]), ER_OK);
    assert_true(v[n] >= 5); /* one version per sample table */
    at[n++] = export_all(f->db->db);

    /* a fact replaced, one added */
    v[n] = import(f->db, "fact",
                  "region,year,metric,value,source\n"
                  "440100,2018,pop.resident,14904401,corrected\n"
                  "440100,2017,pop.resident,14000000,\n",
                  ER_IMPORT_REPLACE);
    at[n++] = export_all(f->db->db);
    /* the same fact replaced again */
    v[n] = import(f->db, "fact",
                  "region,year,metric,value\n"
                  "440100,2018,pop.resident,14904402\n",
                  ER_IMPORT_REPLACE);
    at[n++] = export_all(f->db->db);
    /* a national standard's span 2017-2020 replaced by 2019-: the old
     * row is deleted, the new one written */
    v[n] = import(f->db, "standard",
                  "key,scope,region,year_from,year_to,value,unit\n"
                  "edu.public_funds.primary,national,,2019,,700,元/生·年\n",
                  ER_IMPORT_REPLACE);
    at[n++] = export_all(f->db->db);
    /* and that one split in two */
    v[n] = import(f->db, "standard",
                  "key,scope,region,year_from,year_to,value,unit\n"
                  "edu.public_funds.primary,national,,2019,2020,710,元/生·年\n"
                  "edu.public_funds.primary,national,,2021,,720,元/生·年\n",
                  ER_IMPORT_REPLACE);
    at[n++] = export_all(f->db->db);

    for (int i = 1; i < n; i++)
        assert_int_equal(v[i], v[i - 1] + 1);
    assert_int_equal(er_data_version_latest(f->db->db, &latest), ER_OK);
    assert_int_equal(latest, v[n - 1]);
    for (int i = 0; i < n; i++) {
        char *text = export_version(f->db, v[i]);
        assert_string_equal(text, at[i]);
        free(text);
    }
    /* the rows written before: the sample is there, the corrections not */
    assert_int_equal(count(f->db->db, "SELECT count(*) FROM fact_history "
                                      "WHERE region = '440100' AND year = "
                                      "2018 AND metric = 'pop.resident'"),
                     2);
    assert_int_equal(count(f->db->db, "SELECT count(*) FROM "
                                      "standard_history WHERE key = "
                                      "'edu.public_funds.primary'"),
                     2);
    /* version 0: nothing was stored before versioning */
    char *zero = export_version(f->db, 0);
    assert_null(strstr(zero, "440100"));
    free(zero);
    for (int i = 0; i < n; i++)
        free(at[i]);
}

struct changes {
    char text[4096];
    size_t len;
    int n;
};

static int on_change(void *ctx, const er_data_change *c)
{
    struct changes *ch = ctx;
    ch->len += (size_t)snprintf(ch->text + ch->len, sizeof ch->text - ch->len,
                                "%s %s: %s -> %s (v%lld)\n", c->table, c->key,
                                c->before ? c->before : "(absent)",
                                c->after ? c->after : "(absent)",
                                (long long)c->version);
    ch->n++;
    return ER_OK;
}

/* The rows that differ between two versions, with their values before and
 * after and the version that changed them; a row written again as it was
 * is no change. */
static void test_version__changes_list_the_rows_that_differ(void **state)
{
    struct fixture *f = *state;
    int64_t base = 0;
    struct changes ch = {{0}, 0, 0};
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    assert_int_equal(er_data_version_latest(f->db->db, &base), ER_OK);
    int64_t v1 = import(f->db, "fact",
                        "region,year,metric,value,source\n"
                        "440100,2018,pop.resident,14904401,corrected\n"
                        "440100,2017,pop.resident,14000000,\n",
                        ER_IMPORT_REPLACE);
    int64_t v2 = import(f->db, "standard",
                        "key,scope,region,year_from,year_to,value,unit\n"
                        "edu.public_funds.primary,national,,2019,,700,"
                        "元/生·年\n",
                        ER_IMPORT_REPLACE);
    /* the fact written back as the sample had it */
    int64_t v3 = import(f->db, "fact",
                        "region,year,metric,value,source\n"
                        "440100,2018,pop.resident,14904400,estimate\n",
                        ER_IMPORT_REPLACE);

    assert_int_equal(er_data_changes(f->db->db, base, v2, on_change, &ch),
                     ER_OK);
    assert_int_equal(ch.n, 4);
    assert_non_null(strstr(ch.text, "fact 440100 2018 pop.resident: "
                                    "value=14904400 source=estimate -> "
                                    "value=14904401 source=corrected"));
    assert_non_null(strstr(ch.text, "fact 440100 2017 pop.resident: "
                                    "(absent) -> value=14000000"));
    assert_non_null(strstr(ch.text, "standard edu.public_funds.primary "
                                    "national - 2019: (absent) -> value=700 "
                                    "unit=元/生·年"));
    assert_non_null(strstr(ch.text, "standard edu.public_funds.primary "
                                    "national - 2017: year_to=2020 "
                                    "value=650 unit=元/生·年 basis="));
    /* in table order (er_data_tables: standard before fact) */
    assert_true(strstr(ch.text, "standard ") < strstr(ch.text, "fact "));
    char want[256];
    snprintf(want, sizeof want, "(v%lld)", (long long)v1);
    assert_non_null(strstr(strstr(ch.text, "fact 440100 2018"), want));

    /* from the base to v3 the 2018 fact is as it was: no change */
    memset(&ch, 0, sizeof ch);
    assert_int_equal(er_data_changes(f->db->db, base, v3, on_change, &ch),
                     ER_OK);
    assert_null(strstr(ch.text, "440100 2018"));
    assert_int_equal(ch.n, 3);
    /* v2 to v3: only that fact, changed back by v3 */
    memset(&ch, 0, sizeof ch);
    assert_int_equal(er_data_changes(f->db->db, v2, v3, on_change, &ch),
                     ER_OK);
    snprintf(want, sizeof want,
             "fact 440100 2018 pop.resident: value=14904401 "
             "source=corrected -> value=14904400 source=estimate (v%lld)\n",
             (long long)v3);
    assert_string_equal(ch.text, want);
}

/* A version that does not exist is a usage error naming it; so are
 * versions in the wrong order. */
static void test_version__unknown_version_is_a_usage_error(void **state)
{
    struct fixture *f = *state;
    struct changes ch = {{0}, 0, 0};
    sqlite3 *mem = NULL;
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    assert_int_equal(sqlite3_open(":memory:", &mem), SQLITE_OK);
    assert_int_equal(er_db_create_schema(mem), ER_OK);
    assert_int_equal(er_data_materialize(f->db->db, 999, mem), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "data version 999 does not exist"));
    assert_int_equal(count(mem, "SELECT count(*) FROM region"), 0);
    assert_int_equal(er_data_changes(f->db->db, 3, 2, on_change, &ch),
                     ER_EUSAGE);
    assert_int_equal(er_data_changes(f->db->db, 1, 999, on_change, &ch),
                     ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "999"));
    assert_int_equal(ch.n, 0);
    sqlite3_close(mem);
}

/* A replace that writes a row as it is stored writes nothing: no version
 * of the row, counted unchanged; a failed import records no version. */
static void test_version__unchanged_rows_and_failed_imports(void **state)
{
    struct fixture *f = *state;
    er_import_stats st;
    int64_t before = 0, after = 0;
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    assert_int_equal(er_data_version_latest(f->db->db, &before), ER_OK);
    const char *same = "region,year,metric,value,source\n"
                       "440100,2018,pop.resident,14904400,estimate\n";
    assert_int_equal(er_import_csv(f->db, "fact", "same.csv", same,
                                   strlen(same), ER_IMPORT_REPLACE, &st),
                     ER_OK);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.replaced, 0);
    assert_int_equal(st.version, before + 1);
    assert_int_equal(count(f->db->db, "SELECT count(*) FROM fact_history"),
                     0);
    /* leaving the source out would reset it: that is a change */
    const char *nosrc = "region,year,metric,value\n"
                        "440100,2018,pop.resident,14904400\n";
    assert_int_equal(er_import_csv(f->db, "fact", "nosrc.csv", nosrc,
                                   strlen(nosrc), ER_IMPORT_REPLACE, &st),
                     ER_OK);
    assert_int_equal(st.replaced, 1);
    assert_int_equal(count(f->db->db, "SELECT count(*) FROM fact_history"),
                     1);
    const char *bad = "region,year,metric,value\n"
                      "440100,2018,pop.resident,x\n";
    assert_int_equal(er_import_csv(f->db, "fact", "bad.csv", bad, strlen(bad),
                                   ER_IMPORT_REPLACE, &st),
                     ER_EDATA);
    assert_int_equal(er_data_version_latest(f->db->db, &after), ER_OK);
    assert_int_equal(after, before + 2);
    assert_int_equal(count(f->db->db,
                           "SELECT count(*) FROM data_version WHERE file = "
                           "'same.csv' AND data_table = 'fact' AND unchanged "
                           "= 1 AND length(sha256) = 64 AND user IS NOT NULL"),
                     1);
}

/* Rows stored before versioning (version NULL) are version 0: a database
 * upgraded from schema 11 gets a version 0 and keeps them there. */
static void test_version__rows_before_versioning_are_version_0(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    char *now = export_all(f->db->db);
    assert_int_equal(
        sqlite3_exec(f->db->db,
                     "UPDATE region SET version = NULL;"
                     "UPDATE metric SET version = NULL;"
                     "UPDATE item SET version = NULL;"
                     "UPDATE fact SET version = NULL;"
                     "UPDATE standard SET version = NULL;"
                     "UPDATE share SET version = NULL;"
                     "UPDATE transfer SET version = NULL;"
                     "UPDATE zone SET version = NULL;"
                     "UPDATE setting SET version = NULL;"
                     "UPDATE national_average SET version = NULL;"
                     "UPDATE split SET version = NULL;"
                     "UPDATE city_transfer SET version = NULL;"
                     "DELETE FROM data_version;"
                     "INSERT INTO data_version(id, created_at) "
                     "VALUES (0, 'then');",
                     NULL, NULL, NULL),
        SQLITE_OK);
    int64_t v = import(f->db, "fact",
                       "region,year,metric,value\n"
                       "440100,2018,pop.resident,1\n",
                       ER_IMPORT_REPLACE);
    assert_int_equal(v, 1);
    char *zero = export_version(f->db, 0);
    assert_string_equal(zero, now);
    free(zero);
    free(now);
}

/* A database of schema version 10 that holds data, upgraded in place:
 * its rows are version 0 (the rows stored before versioning), listed in
 * data_version, and the data as of version 0 is what it held. */
static void test_version__upgrade_makes_the_stored_rows_version_0(
    void **state)
{
    struct fixture *f = *state;
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    /* the item texts of schema 14 are taken away with it: NULL after */
    assert_int_equal(sqlite3_exec(f->db->db,
                                  "UPDATE item SET served = NULL, content = "
                                  "NULL, responsibility = NULL, lead = NULL",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    char *before = export_all(f->db->db);
    assert_int_equal(sqlite3_exec(f->db->db,
    ER_TEST_UNDO_V12
    "DROP TABLE run_source; DROP TABLE rule_source;"
    "ALTER TABLE run DROP COLUMN replay;"
    ER_TEST_FINDING_TO_V10
                                  "PRAGMA user_version = 10;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    er_db_free(f->db);
    f->db = NULL;
    int from = -1;
    assert_int_equal(er_db_init(&f->db, f->path, &from), ER_OK);
    assert_int_equal(from, 10);
    assert_int_equal(count(f->db->db, "SELECT count(*) FROM data_version "
                                      "WHERE id = 0 AND data_table IS NULL"),
                     1);
    assert_int_equal(count(f->db->db, "SELECT count(*) FROM fact WHERE "
                                      "version IS NOT NULL"),
                     0);
    int64_t latest = -1;
    assert_int_equal(er_data_version_latest(f->db->db, &latest), ER_OK);
    assert_int_equal(latest, 0);
    char *zero = export_version(f->db, 0);
    assert_string_equal(zero, before);
    /* the first import after it is version 1, and 0 stays rebuildable */
    assert_int_equal(import(f->db, "fact",
                            "region,year,metric,value\n"
                            "440100,2018,pop.resident,1\n",
                            ER_IMPORT_REPLACE),
                     1);
    free(zero);
    zero = export_version(f->db, 0);
    assert_string_equal(zero, before);
    free(zero);
    free(before);
}

/* Each history table has the columns of its data table, and `ended`. */
static void test_version__history_tables_keep_the_data_columns(void **state)
{
    struct fixture *f = *state;
    char sql[512];
    for (size_t i = 0; er_data_tables[i]; i++) {
        const char *t = er_data_tables[i];
        snprintf(sql, sizeof sql,
                 "SELECT (SELECT group_concat(name) FROM (SELECT name FROM "
                 "pragma_table_info('%s') ORDER BY cid)) || ',ended' = "
                 "(SELECT group_concat(name) FROM (SELECT name FROM "
                 "pragma_table_info('%s_history') ORDER BY cid))",
                 t, t);
        if (count(f->db->db, sql) != 1)
            fail_msg("%s_history does not have the columns of %s", t, t);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_version__materialize_gives_each_version_as_imported),
        T(test_version__changes_list_the_rows_that_differ),
        T(test_version__unknown_version_is_a_usage_error),
        T(test_version__unchanged_rows_and_failed_imports),
        T(test_version__rows_before_versioning_are_version_0),
        T(test_version__upgrade_makes_the_stored_rows_version_0),
        T(test_version__history_tables_keep_the_data_columns),
    };
#undef T
    return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
