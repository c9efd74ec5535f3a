/*
 * test_error.c - what a user reads when something goes wrong with the
 * database file itself, and the means of the reliability tests: the
 * message of er_fail (which may quote the message before it), the hints
 * er_fail_sqlite adds for a damaged, read-only, locked or missing file,
 * the EQUIRULE_FAULT list (fault.c) and the anonymous spool file
 * (er_tmpfile).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
    char dir[64];
    char path[128];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/er_error_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    *state = f;
    unsetenv("EQUIRULE_FAULT");
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    unsetenv("EQUIRULE_FAULT");
    return 0;
}

static void expect_contains(const char *s, const char *part)
{
    if (!strstr(s, part))
        fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

/* ---- er_fail ------------------------------------------------------------- */

static void test_error__fail_may_quote_the_message_before_it(void **state)
{
    (void)state;
    er_fail(ER_ERROR, "inner: %s", "the first reason");
    assert_int_equal(er_fail(ER_ENOTDB, "outer (%s) and %s", er_errmsg(),
                             er_errmsg()),
                     ER_ENOTDB);
    assert_string_equal(er_errmsg(),
                        "outer (inner: the first reason) and inner: the "
                        "first reason");
}

/* ---- er_fail_sqlite: the file's own errors ------------------------------------ */

static void test_error__a_damaged_file_is_named_with_what_to_do(void **state)
{
    fixture *f = *state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE t(x); WITH RECURSIVE c(i) AS "
                                  "(SELECT 1 UNION ALL SELECT i + 1 FROM c "
                                  "WHERE i < 2000) INSERT INTO t SELECT "
                                  "randomblob(100) FROM c",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(truncate(f->path, 8192), 0);

    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "SELECT count(*) FROM t", NULL,
                                      NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(er_fail_sqlite(db, "reading the data"), ER_ENOTDB);
    expect_contains(er_errmsg(), "reading the data: database disk image is "
                                 "malformed (");
    expect_contains(er_errmsg(), "t.db is damaged; nothing was written");
    expect_contains(er_errmsg(), "PRAGMA integrity_check");
    expect_contains(er_errmsg(), "restore it from a backup)");
    sqlite3_close(db);
}

static void test_error__a_read_only_connection_says_read_only(void **state)
{
    fixture *f = *state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "INSERT INTO t VALUES (1)", NULL,
                                      NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(er_fail_sqlite(db, "recording the run"), ER_ERROR);
    expect_contains(er_errmsg(), "recording the run: attempt to write a "
                                 "readonly database (");
    expect_contains(er_errmsg(), "t.db is read-only; make it writable");
    sqlite3_close(db);
}

static void test_error__a_locked_database_names_the_other_writer(void **state)
{
    fixture *f = *state;
    sqlite3 *a = NULL, *b = NULL;
    assert_int_equal(sqlite3_open(f->path, &a), SQLITE_OK);
    assert_int_equal(sqlite3_open(f->path, &b), SQLITE_OK);
    assert_int_equal(sqlite3_exec(a,
                                  "PRAGMA journal_mode = WAL; CREATE TABLE "
                                  "t(x); BEGIN IMMEDIATE; INSERT INTO t "
                                  "VALUES (1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(b, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                         SQLITE_OK);
    er_fail_sqlite(b, "facts.csv");
    expect_contains(er_errmsg(), "facts.csv: database is locked (another "
                                 "process, such as another equirule run or "
                                 "import, is writing ");
    expect_contains(er_errmsg(), "t.db; try again when it is done)");
    sqlite3_exec(a, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(b);
    sqlite3_close(a);
}

static void test_error__statement_errors_get_no_file_hint(void **state)
{
    (void)state;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "SELECT * FROM nowhere", NULL, NULL,
                                      NULL),
                         SQLITE_OK);
    assert_int_equal(er_fail_sqlite(db, "reading runs"), ER_ERROR);
    assert_string_equal(er_errmsg(), "reading runs: no such table: nowhere");
    sqlite3_close(db);
}

/* ---- er_db_open of what is not a database ------------------------------------- */

static void test_error__open_a_folder_says_folder(void **state)
{
    fixture *f = *state;
    er_db *db = NULL;
    assert_int_equal(er_db_open(&db, f->dir, ER_DB_READONLY), ER_ENOTDB);
    assert_null(db);
    char expected[256];
    snprintf(expected, sizeof expected, "%s: a folder, not a database file",
             f->dir);
    assert_string_equal(er_errmsg(), expected);
    assert_int_equal(er_db_init(&db, f->dir, NULL), ER_ENOTDB);
    assert_string_equal(er_errmsg(), expected);
}

static void test_error__open_a_truncated_database_says_damaged(void **state)
{
    fixture *f = *state;
    er_db *db = NULL;
    assert_int_equal(er_db_init(&db, f->path, NULL), ER_OK);
    assert_int_equal(er_db_load_sample(db), ER_OK);
    er_db_free(db);
    db = NULL;
    assert_int_equal(truncate(f->path, 4096 * 3), 0);
    assert_int_equal(er_db_open(&db, f->path, 0), ER_ENOTDB);
    assert_null(db);
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s: the database file is damaged (database disk image is "
             "malformed); nothing was written. Check it with `sqlite3 %s "
             "'PRAGMA integrity_check'` and restore it from a backup",
             f->path, f->path);
    assert_string_equal(er_errmsg(), expected);
}

/* ---- EQUIRULE_FAULT ------------------------------------------------------------- */

static void test_error__fault_arg_finds_its_kind_in_a_list(void **state)
{
    (void)state;
    char buf[64];
    assert_false(er_fault_arg("crash", buf, sizeof buf));
    setenv("EQUIRULE_FAULT", "kill:commit,crash:health.x@441400,stall:load=3",
           1);
    assert_true(er_fault_arg("crash", buf, sizeof buf));
    assert_string_equal(buf, "health.x@441400");
    assert_true(er_fault_arg("stall", buf, sizeof buf));
    assert_string_equal(buf, "load=3");
    assert_true(er_fault_arg("kill", buf, sizeof buf));
    assert_string_equal(buf, "commit");
    assert_false(er_fault_arg("cras", buf, sizeof buf));
    assert_true(er_fault_arg("crash", buf, 5)); /* cut to the buffer */
    assert_string_equal(buf, "heal");
}

static void test_error__fault_points_act_only_on_their_name(void **state)
{
    (void)state;
    /* neither a prefix nor a longer name matches: the process lives on */
    setenv("EQUIRULE_FAULT", "kill:recording,kill:comm,stall:load=0", 1);
    er_fault_point("record");
    er_fault_point("commit");
    er_fault_point("load"); /* stall for 0 s: nothing */
    er_fault_point("snapshot");
    unsetenv("EQUIRULE_FAULT");
    er_fault_point("commit");
}

/* ---- er_tmpfile ---------------------------------------------------------------- */

static void test_error__tmpfile_is_anonymous_in_tmpdir(void **state)
{
    fixture *f = *state;
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", f->dir, 1);
    assert_string_equal(er_tmpdir(), f->dir);
    FILE *fp = er_tmpfile();
    assert_non_null(fp);
    assert_int_equal(fputs("findings", fp) >= 0, 1);
    assert_int_equal(fflush(fp), 0);
    /* nothing to clean up after a crash: no name in the folder */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", f->dir);
    assert_int_equal(system(cmd), 0);
    fclose(fp);

    char missing[128];
    snprintf(missing, sizeof missing, "%s/no/such/folder", f->dir);
    setenv("TMPDIR", missing, 1);
    errno = 0;
    assert_null(er_tmpfile());
    assert_int_equal(errno, ENOENT);
    if (saved) {
        setenv("TMPDIR", saved, 1);
        free(saved);
    } else {
        unsetenv("TMPDIR");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_error__fail_may_quote_the_message_before_it, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_error__a_damaged_file_is_named_with_what_to_do, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_error__a_read_only_connection_says_read_only, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_error__a_locked_database_names_the_other_writer, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_error__statement_errors_get_no_file_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error__open_a_folder_says_folder,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_error__open_a_truncated_database_says_damaged, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_error__fault_arg_finds_its_kind_in_a_list, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_error__fault_points_act_only_on_their_name, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_error__tmpfile_is_anonymous_in_tmpdir, setup, teardown),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
