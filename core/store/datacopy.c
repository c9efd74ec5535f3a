/*
 * datacopy.c - the data a run reads, copied into memory in one read
 * transaction, so that r:sql reads exactly what the snapshot (r:fact)
 * read and what the run's data digest covers, however the file changes
 * while the run evaluates. The copy is an in-memory database of SQLite's
 * memdb VFS under a name of this process: the snapshot is loaded from it,
 * and each r:sql reader (er_db_open_reader) opens it by its URI; worker
 * processes inherit its pages copy-on-write. Only runs whose rules can
 * call r:sql make one (engine.c). The run tables are there, empty.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct er_datacopy {
    sqlite3 *db;   /* keeps the in-memory database alive */
    char uri[128]; /* opens it from any connection of this process */
};

/* Large enough for any dataset that fits in memory (memdb's default cap
 * is 1 GiB). */
#define COPY_SIZE_LIMIT ((sqlite3_int64)1 << 40)

static int copy_fail(er_datacopy *c, const char *path)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(c->db));
    return er_fail(ER_ERROR, "%s: copying the data for r:sql: %s", path, msg);
}

static int exec(er_datacopy *c, const char *path, const char *sql)
{
    if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return copy_fail(c, path);
    return ER_OK;
}

static bool is_run_table(const char *name)
{
    static const char *const run_tables[] = {"run", "run_rule", "run_count",
                                             "rule_file", "finding",
                                             "run_source", "rule_source"};
    for (size_t i = 0; i < ER_ARRAY_LEN(run_tables); i++)
        if (strcmp(name, run_tables[i]) == 0)
            return true;
    return false;
}

/* The history of a data table (version.c): no rule reads it. */
static bool is_history_table(const char *name)
{
    size_t n = strlen(name);
    return n > 8 && strcmp(name + n - 8, "_history") == 0;
}

/* Copies the schema, and the rows of every table but the run tables, then creates their indexes, in
 * one transaction (one read transaction of the file). */
static int copy_tables(er_datacopy *c, const char *path)
{
    sqlite3_stmt *st = NULL;
    int rc, src;
    if ((rc = exec(c, path, "BEGIN")) != ER_OK)
        return rc;
    /* tables first ('table' > 'index'), in the order they were created */
    if (sqlite3_prepare_v2(
            c->db,
            "SELECT type, name, sql FROM src.sqlite_schema "
            "WHERE sql IS NOT NULL AND type IN ('table', 'index') "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY type DESC, rowid",
            -1, &st, NULL) != SQLITE_OK) {
        rc = copy_fail(c, path);
        goto done;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *sql = (const char *)sqlite3_column_text(st, 2);
        if (!type || !name || !sql) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        /* the schema's own statement, run in the copy (main) */
        if ((rc = exec(c, path, sql)) != ER_OK)
            goto done;
        /* the run tables are there, empty: r:sql is refused them the
         * same way as on the file */
        if (strcmp(type, "table") != 0 || is_run_table(name) ||
            is_history_table(name))
            continue;
        char *copy = sqlite3_mprintf(
            "INSERT INTO main.\"%w\" SELECT * FROM src.\"%w\"", name, name);
        if (!copy) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        rc = exec(c, path, copy);
        sqlite3_free(copy);
        if (rc != ER_OK)
            goto done;
        if (strcmp(name, "region") == 0)
            er_fault_point("copy"); /* tests: a write lands mid-copy */
    }
    if (src != SQLITE_DONE) {
        rc = copy_fail(c, path);
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    rc = exec(c, path, "COMMIT");
done:
    sqlite3_finalize(st);
    if (rc != ER_OK)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* "file:PATH?vfs=DEFAULT" (a path given as a URI is kept as it is). */
static int file_uri(const char *path, er_buf *out)
{
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    if (strncmp(path, "file:", 5) == 0) {
        er_buf_puts(out, path);
    } else {
        er_buf_puts(out, "file:");
        for (const char *p = path; *p; p++) {
            if (*p == '%' || *p == '?' || *p == '#')
                er_buf_printf(out, "%%%02X", (unsigned char)*p);
            else
                er_buf_add(out, p, 1);
        }
        if (vfs)
            er_buf_printf(out, "?vfs=%s", vfs->zName);
    }
    if (!out->data)
        return er_fail(ER_ENOMEM, "out of memory");
    return ER_OK;
}

int er_datacopy_open(const char *path, er_datacopy **out)
{
    static unsigned long seq;
    sqlite3_stmt *st = NULL;
    er_buf src_uri;
    er_datacopy *c = calloc(1, sizeof *c);
    int rc;
    *out = NULL;
    er_buf_init(&src_uri);
    if (!c)
        return er_fail(ER_ENOMEM, "out of memory");
    snprintf(c->uri, sizeof c->uri, "file:/equirule-data-%ld-%lu?vfs=memdb",
             (long)getpid(), ++seq);
    if (sqlite3_open_v2(c->uri, &c->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        rc = c->db ? copy_fail(c, path)
                   : er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, 30000);
    sqlite3_int64 limit = COPY_SIZE_LIMIT;
    sqlite3_file_control(c->db, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit);
    /* an attached file takes the VFS of the connection (memdb) unless its
     * URI names another: name the default one */
    if ((rc = file_uri(path, &src_uri)) != ER_OK)
        goto done;
    if (sqlite3_prepare_v2(c->db, "ATTACH ?1 AS src", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = copy_fail(c, path);
        goto done;
    }
    sqlite3_bind_text(st, 1, src_uri.data, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = copy_fail(c, path);
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = copy_tables(c, path)) != ER_OK)
        goto done;
    /* no connection to the file is left open: workers fork later */
    rc = exec(c, path, "DETACH src");
done:
    sqlite3_finalize(st);
    er_buf_free(&src_uri);
    if (rc != ER_OK) {
        er_datacopy_free(c);
        return rc;
    }
    *out = c;
    return ER_OK;
}

sqlite3 *er_datacopy_db(const er_datacopy *c)
{
    return c->db;
}

const char *er_datacopy_uri(const er_datacopy *c)
{
    return c->uri;
}

void er_datacopy_free(er_datacopy *c)
{
    if (!c)
        return;
    sqlite3_close(c->db);
    free(c);
}
