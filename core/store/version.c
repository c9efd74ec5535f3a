/*
 * version.c - data versions: every successful import is one (the
 * data_version table, written through er_data_version_begin and
 * er_data_version_end by import.c), each data row names the version that
 * wrote it (`version`, NULL for rows stored before versioning: version 0)
 * and the rows an import replaced or deleted move to the table's history
 * (T_history, with `ended`, the version that ended them). From these it
 * rebuilds the data as of any version (er_data_materialize), lists what
 * changed between two versions (er_data_changes), and drops the history
 * no kept run needs (er_data_prune). The schema is db.c's; what a valid
 * row is, import.c's.
 */
#include "store.h"

#include <assert.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The columns that identify a row of each data table within one version:
 * the key, and for tables of year spans the key group and year_from. */
static const struct {
    const char *table;
    const char *key[4];
} row_keys[] = {
    {"region", {"code"}},
    {"metric", {"key"}},
    {"item", {"code"}},
    {"standard", {"key", "scope", "region", "year_from"}},
    {"share", {"item", "tier", "year_from"}},
    {"transfer", {"region", "year", "item"}},
    {"split", {"city", "item", "year_from"}},
    {"city_transfer", {"region", "year", "item"}},
    {"fact", {"region", "year", "metric"}},
    {"zone", {"code"}},
    {"setting", {"key"}},
    {"national_average", {"key", "year"}},
};

static const char *const *key_of(const char *table)
{
    for (size_t i = 0; i < ER_ARRAY_LEN(row_keys); i++)
        if (strcmp(row_keys[i].table, table) == 0)
            return row_keys[i].key;
    return NULL;
}

/* The columns of a data table other than `version`, in schema order. */
typedef struct cols {
    char **names;
    bool *is_key;
    int n;
} cols;

static void cols_free(cols *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    free(c->is_key);
    memset(c, 0, sizeof *c);
}

static int cols_read(sqlite3 *db, const char *table, cols *out)
{
    sqlite3_stmt *st = NULL;
    const char *const *key = key_of(table);
    int rc = ER_OK, src, cap = 0;
    memset(out, 0, sizeof *out);
    assert(key);
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM pragma_table_info(?1) "
                           "WHERE name <> 'version' ORDER BY cid",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the schema");
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 8;
            char **names = realloc(out->names, (size_t)cap * sizeof *names);
            if (names)
                out->names = names;
            bool *k = realloc(out->is_key, (size_t)cap * sizeof *k);
            if (k)
                out->is_key = k;
            if (!names || !k) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
        }
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name || !(out->names[out->n] = er_strdup(name))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        out->is_key[out->n] = false;
        for (int k = 0; k < 4 && key[k]; k++)
            if (strcmp(key[k], name) == 0)
                out->is_key[out->n] = true;
        out->n++;
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the schema");
    else if (out->n == 0)
        rc = er_fail(ER_ERROR, "the database has no %s table", table);
done:
    sqlite3_finalize(st);
    if (rc != ER_OK)
        cols_free(out);
    return rc;
}

/* Appends the column names, comma-separated, each prefixed with `p`. */
static void add_cols(er_buf *b, const cols *c, const char *p)
{
    for (int i = 0; i < c->n; i++) {
        er_buf_puts(b, i ? ", " : "");
        er_buf_puts(b, p);
        er_buf_sql_ident(b, c->names[i]);
    }
}

/* Appends the key columns (of the key_of list), comma-separated. */
static void add_key(er_buf *b, const char *table)
{
    const char *const *key = key_of(table);
    for (int k = 0; k < 4 && key[k]; k++) {
        er_buf_puts(b, k ? ", " : "");
        er_buf_sql_ident(b, key[k]);
    }
}

static int prepare(sqlite3 *db, er_buf *sql, sqlite3_stmt **out)
{
    int rc = er_buf_status(sql);
    if (rc == ER_OK &&
        sqlite3_prepare_v2(db, sql->data, -1, out, NULL) != SQLITE_OK)
        rc = er_fail_sqlite(db, "reading the data versions");
    er_buf_free(sql);
    return rc;
}

static int exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "data versions");
    return ER_OK;
}

/* ---- writing a version (import.c) ---------------------------------------- */

static const char *user_name(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "unknown";
}

int er_data_version_begin(sqlite3 *db, const char *table, const char *file,
                          const char *sha256, int64_t *out)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO data_version(id, created_at, user, "
                           "data_table, file, sha256) VALUES ("
                           "(SELECT coalesce(max(id), 0) + 1 FROM "
                           "data_version), ?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "recording the data version");
    sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, user_name(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, table, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, sha256, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = er_fail_sqlite(db, "recording the data version");
    else
        *out = (int64_t)sqlite3_last_insert_rowid(db);
    sqlite3_finalize(st);
    return rc;
}

int er_data_version_end(sqlite3 *db, int64_t version, long added,
                        long replaced, long unchanged)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    if (sqlite3_prepare_v2(db,
                           "UPDATE data_version SET added = ?2, replaced = "
                           "?3, unchanged = ?4 WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "recording the data version");
    sqlite3_bind_int64(st, 1, version);
    sqlite3_bind_int64(st, 2, added);
    sqlite3_bind_int64(st, 3, replaced);
    sqlite3_bind_int64(st, 4, unchanged);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = er_fail_sqlite(db, "recording the data version");
    sqlite3_finalize(st);
    return rc;
}

int er_data_version_of_run(sqlite3 *db, int64_t run, int64_t version)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    if (sqlite3_prepare_v2(db, "UPDATE run SET data_version = ?2 WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "recording the run's data version");
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, version);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = er_fail_sqlite(db, "recording the run's data version");
    sqlite3_finalize(st);
    return rc;
}

/* ---- reading versions ----------------------------------------------------- */

int er_data_version_latest(sqlite3 *db, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    if (sqlite3_prepare_v2(db, "SELECT coalesce(max(id), 0) FROM data_version",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the data versions");
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = er_fail_sqlite(db, "reading the data versions");
    sqlite3_finalize(st);
    return rc;
}

/* ER_OK when the data as of `version` can be rebuilt: it exists (0
 * always does) and no history it needs was pruned; else ER_EUSAGE naming
 * it. */
static int check_version(sqlite3 *db, int64_t version)
{
    sqlite3_stmt *st = NULL;
    int64_t latest = 0;
    int rc;
    if ((rc = er_data_version_latest(db, &latest)) != ER_OK)
        return rc;
    if (version < 0 || version > latest)
        return er_fail(ER_EUSAGE,
                       "data version %lld does not exist (the latest is "
                       "%lld; `equirule log` lists them)",
                       (long long)version, (long long)latest);
    if (sqlite3_prepare_v2(db, "SELECT pruned FROM data_version WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the data versions");
    sqlite3_bind_int64(st, 1, version);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_int(st, 0))
        rc = er_fail(ER_EUSAGE,
                     "data version %lld: the history it needs was pruned "
                     "(`equirule prune`); only the versions that kept runs "
                     "read, and the latest, are kept",
                     (long long)version);
    else if (src == SQLITE_DONE && version != 0)
        rc = er_fail(ER_EUSAGE, "data version %lld does not exist",
                     (long long)version);
    else if (src != SQLITE_ROW && src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the data versions");
    sqlite3_finalize(st);
    return rc;
}

/* Appends the query of table t's rows as of the version bound to ?1: the
 * columns `c` (then `version` when with_version), current rows written
 * up to it, and history rows that were the data then. `where` (may be
 * "") narrows both parts. */
static void add_state(er_buf *sql, const char *t, const cols *c,
                      bool with_version, const char *where)
{
    er_buf_puts(sql, "SELECT ");
    add_cols(sql, c, "");
    er_buf_puts(sql, with_version ? ", version FROM " : " FROM ");
    er_buf_sql_ident(sql, t);
    er_buf_printf(sql, " WHERE coalesce(version, 0) <= ?1%s UNION ALL SELECT ",
                  where);
    add_cols(sql, c, "");
    er_buf_puts(sql, with_version ? ", version FROM " : " FROM ");
    er_buf_printf(sql, "\"%s_history\"", t);
    er_buf_printf(sql,
                  " WHERE coalesce(version, 0) <= ?1 AND ended > ?1%s",
                  where);
}

/* ---- materialize ---------------------------------------------------------- */

static int copy_table(sqlite3 *src, int64_t version, sqlite3 *dest,
                      const char *t)
{
    cols c;
    er_buf sql;
    sqlite3_stmt *rd = NULL, *wr = NULL;
    int rc, step;

    if ((rc = cols_read(src, t, &c)) != ER_OK)
        return rc;
    er_buf_init(&sql);
    add_state(&sql, t, &c, true, "");
    if ((rc = prepare(src, &sql, &rd)) != ER_OK)
        goto done;
    er_buf_puts(&sql, "INSERT INTO main.");
    er_buf_sql_ident(&sql, t);
    er_buf_puts(&sql, "(");
    add_cols(&sql, &c, "");
    er_buf_puts(&sql, ", version) VALUES (");
    for (int i = 0; i <= c.n; i++)
        er_buf_printf(&sql, "%s?%d", i ? ", " : "", i + 1);
    er_buf_puts(&sql, ")");
    if (er_buf_status(&sql) == ER_OK &&
        sqlite3_prepare_v2(dest, sql.data, -1, &wr, NULL) != SQLITE_OK) {
        er_buf_free(&sql);
        rc = er_fail_sqlite(dest, "materializing the data");
        goto done;
    }
    if ((rc = er_buf_status(&sql)) != ER_OK) {
        er_buf_free(&sql);
        goto done;
    }
    er_buf_free(&sql);
    sqlite3_bind_int64(rd, 1, version);
    while ((step = sqlite3_step(rd)) == SQLITE_ROW) {
        for (int i = 0; i <= c.n; i++)
            sqlite3_bind_value(wr, i + 1, sqlite3_column_value(rd, i));
        if (sqlite3_step(wr) != SQLITE_DONE) {
            char what[96];
            snprintf(what, sizeof what, "materializing the %s table", t);
            rc = er_fail_sqlite(dest, what);
            goto done;
        }
        sqlite3_reset(wr);
    }
    if (step != SQLITE_DONE)
        rc = er_fail_sqlite(src, "reading the data versions");
done:
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    cols_free(&c);
    return rc;
}

int er_data_materialize(sqlite3 *src, int64_t version, sqlite3 *dest)
{
    bool in_src = false, in_dest = false;
    int rc;

    assert(src && dest && src != dest);
    if ((rc = exec(src, "SAVEPOINT er_materialize_read")) != ER_OK)
        return rc;
    in_src = true;
    if ((rc = check_version(src, version)) != ER_OK)
        goto done;
    if ((rc = exec(dest, "SAVEPOINT er_materialize")) != ER_OK)
        goto done;
    in_dest = true;
    /* regions are copied in code order: a parent is checked at the end */
    if ((rc = exec(dest, "PRAGMA defer_foreign_keys = ON")) != ER_OK)
        goto done;
    for (size_t i = 0; er_data_tables[i] && rc == ER_OK; i++)
        rc = copy_table(src, version, dest, er_data_tables[i]);
    if (rc != ER_OK)
        goto done;
    if (sqlite3_exec(dest, "RELEASE er_materialize", NULL, NULL, NULL) !=
        SQLITE_OK) {
        rc = er_fail_sqlite(dest, "materializing the data");
        goto done;
    }
    in_dest = false;
done:
    if (in_dest) {
        sqlite3_exec(dest, "ROLLBACK TO er_materialize", NULL, NULL, NULL);
        sqlite3_exec(dest, "RELEASE er_materialize", NULL, NULL, NULL);
    }
    if (in_src)
        sqlite3_exec(src, "RELEASE er_materialize_read", NULL, NULL, NULL);
    return rc;
}

/* ---- changes -------------------------------------------------------------- */

/* Appends the value of column i of st as text: a number exactly, text as
 * it is unless it holds a space, '=', a quote or nothing (then quoted as
 * in JSON). */
static void add_value(er_buf *b, sqlite3_stmt *st, int i)
{
    char num[40];
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        er_buf_printf(b, "%lld", (long long)sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT:
        er_buf_puts(b,
                    er_fmt_exact(num, sizeof num, sqlite3_column_double(st, i)));
        break;
    case SQLITE_NULL:
        er_buf_puts(b, "-");
        break;
    default: {
        const char *s = (const char *)sqlite3_column_text(st, i);
        if (!s)
            s = "";
        if (!*s || strpbrk(s, " =\"\\\t\n\r"))
            er_json_add(b, s);
        else
            er_buf_puts(b, s);
    }
    }
}

/* The row's columns other than the key as "name=value ..." (NULL columns
 * left out) into b, from columns 0..c->n-1 of st. */
static void add_row_text(er_buf *b, sqlite3_stmt *st, const cols *c)
{
    bool first = true;
    for (int i = 0; i < c->n; i++) {
        if (c->is_key[i] || sqlite3_column_type(st, i) == SQLITE_NULL)
            continue;
        er_buf_puts(b, first ? "" : " ");
        er_buf_puts(b, c->names[i]);
        er_buf_puts(b, "=");
        add_value(b, st, i);
        first = false;
    }
}

/* Looks up the row of the key bound to ?2.. as of ?1; *found says
 * whether it was there, its text goes into b. */
static int state_of(sqlite3_stmt *st, int64_t version, const cols *c,
                    er_buf *b, bool *found)
{
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, version);
    int src = sqlite3_step(st);
    b->len = 0;
    er_buf_puts(b, "");
    *found = src == SQLITE_ROW;
    if (*found)
        add_row_text(b, st, c);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return er_fail_sqlite(sqlite3_db_handle(st), "reading the data "
                                                     "versions");
    sqlite3_reset(st);
    return er_buf_status(b);
}

static int changes_of(sqlite3 *db, const char *t, int64_t from, int64_t to,
                      er_data_change_fn fn, void *ctx)
{
    const char *const *key = key_of(t);
    int nkey = 0;
    cols c;
    er_buf sql, where, keytext, before, after;
    sqlite3_stmt *keys = NULL, *at = NULL;
    int rc, step;

    while (nkey < 4 && key[nkey])
        nkey++;
    if ((rc = cols_read(db, t, &c)) != ER_OK)
        return rc;
    er_buf_init(&sql);
    er_buf_init(&where);
    er_buf_init(&keytext);
    er_buf_init(&before);
    er_buf_init(&after);

    /* the keys of rows written or ended by a version in (from, to], with
     * the latest such version */
    er_buf_puts(&sql, "SELECT ");
    add_key(&sql, t);
    er_buf_puts(&sql, ", max(v) FROM (SELECT ");
    add_key(&sql, t);
    er_buf_puts(&sql, ", coalesce(version, 0) AS v FROM ");
    er_buf_sql_ident(&sql, t);
    er_buf_puts(&sql, " WHERE coalesce(version, 0) > ?1 AND "
                      "coalesce(version, 0) <= ?2 UNION ALL SELECT ");
    add_key(&sql, t);
    er_buf_puts(&sql, ", CASE WHEN ended <= ?2 THEN ended ELSE "
                      "coalesce(version, 0) END FROM ");
    er_buf_printf(&sql, "\"%s_history\"", t);
    er_buf_puts(&sql, " WHERE (ended > ?1 AND ended <= ?2) OR "
                      "(coalesce(version, 0) > ?1 AND "
                      "coalesce(version, 0) <= ?2)) GROUP BY ");
    add_key(&sql, t);
    er_buf_puts(&sql, " ORDER BY ");
    add_key(&sql, t);
    if ((rc = prepare(db, &sql, &keys)) != ER_OK)
        goto done;

    /* one key's row as of ?1 */
    for (int k = 0; k < nkey; k++) {
        er_buf_puts(&where, " AND ");
        er_buf_sql_ident(&where, key[k]);
        er_buf_printf(&where, " IS ?%d", k + 2);
    }
    if ((rc = er_buf_status(&where)) != ER_OK)
        goto done;
    add_state(&sql, t, &c, false, where.data);
    er_buf_puts(&sql, " LIMIT 1");
    if ((rc = prepare(db, &sql, &at)) != ER_OK)
        goto done;

    sqlite3_bind_int64(keys, 1, from);
    sqlite3_bind_int64(keys, 2, to);
    while ((step = sqlite3_step(keys)) == SQLITE_ROW) {
        keytext.len = 0;
        for (int k = 0; k < nkey; k++) {
            er_buf_puts(&keytext, k ? " " : "");
            add_value(&keytext, keys, k);
            sqlite3_bind_value(at, k + 2, sqlite3_column_value(keys, k));
        }
        if ((rc = er_buf_status(&keytext)) != ER_OK)
            goto done;
        bool was = false, is = false;
        if ((rc = state_of(at, from, &c, &before, &was)) != ER_OK ||
            (rc = state_of(at, to, &c, &after, &is)) != ER_OK)
            goto done;
        if (was == is && (!was || strcmp(before.data, after.data) == 0))
            continue; /* written again as it was, or added and removed */
        er_data_change ch = {t, keytext.data, was ? before.data : NULL,
                             is ? after.data : NULL,
                             sqlite3_column_int64(keys, nkey)};
        if ((rc = fn(ctx, &ch)) != ER_OK)
            goto done;
    }
    if (step != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the data versions");
done:
    sqlite3_finalize(keys);
    sqlite3_finalize(at);
    er_buf_free(&sql);
    er_buf_free(&where);
    er_buf_free(&keytext);
    er_buf_free(&before);
    er_buf_free(&after);
    cols_free(&c);
    return rc;
}

int er_data_changes(sqlite3 *db, int64_t from, int64_t to,
                    er_data_change_fn fn, void *ctx)
{
    int rc;
    assert(db && fn);
    if (from >= to)
        return er_fail(ER_EUSAGE,
                       "data versions %lld and %lld: the first must be the "
                       "older",
                       (long long)from, (long long)to);
    if ((rc = exec(db, "SAVEPOINT er_changes")) != ER_OK)
        return rc;
    if ((rc = check_version(db, from)) == ER_OK)
        rc = check_version(db, to);
    for (size_t i = 0; er_data_tables[i] && rc == ER_OK; i++)
        rc = changes_of(db, er_data_tables[i], from, to, fn, ctx);
    sqlite3_exec(db, "RELEASE er_changes", NULL, NULL, NULL);
    return rc;
}

/* ---- the log (`equirule log`) ---------------------------------------------- */

/* Appends to b the ids of the runs that read a version in [from, to)
 * (to < 0: open), ", " between them; *n counts them. */
static int runs_between(sqlite3 *db, int64_t from, int64_t to, er_buf *b,
                        int *n)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, src;
    b->len = 0;
    er_buf_puts(b, "");
    *n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT id FROM run WHERE data_version >= ?1 AND "
                           "(?2 < 0 OR data_version < ?2) ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading runs");
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        er_buf_printf(b, "%s%lld", (*n)++ ? ", " : "",
                      (long long)sqlite3_column_int64(st, 0));
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading runs");
    sqlite3_finalize(st);
    return rc == ER_OK ? er_buf_status(b) : rc;
}

static const char *text_or(sqlite3_stmt *st, int i, const char *dflt)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : dflt;
}

int er_data_log_print(er_db *db, FILE *fp, er_format fmt)
{
    sqlite3_stmt *st = NULL;
    er_buf runs;
    int rc = ER_OK, src, n = 0;
    assert(db && fp);
    er_buf_init(&runs);
    if (sqlite3_prepare_v2(db->db,
                           "SELECT id, created_at, user, data_table, file, "
                           "sha256, added, replaced, unchanged, pruned, "
                           "lead(id) OVER (ORDER BY id DESC) "
                           "FROM data_version ORDER BY id DESC",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the data versions");
    /* a version's own id is the first a run may read; the next one's
     * ends it */
    int64_t next = -1;
    if (fmt == ER_FORMAT_JSON)
        fputs("[", fp);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        int nruns = 0;
        if ((rc = runs_between(db->db, id, next, &runs, &nruns)) != ER_OK)
            break;
        next = id;
        bool pruned = sqlite3_column_int(st, 9) != 0;
        if (fmt == ER_FORMAT_JSON) {
            fprintf(fp, "%s\n {\"id\": %lld, \"created_at\": ", n ? "," : "",
                    (long long)id);
            er_json_put(fp, text_or(st, 1, NULL));
            fputs(", \"user\": ", fp);
            er_json_put(fp, text_or(st, 2, NULL));
            fputs(", \"table\": ", fp);
            er_json_put(fp, text_or(st, 3, NULL));
            fputs(", \"file\": ", fp);
            er_json_put(fp, text_or(st, 4, NULL));
            fputs(", \"sha256\": ", fp);
            er_json_put(fp, text_or(st, 5, NULL));
            fprintf(fp,
                    ", \"added\": %lld, \"replaced\": %lld, \"unchanged\": "
                    "%lld, \"pruned\": %s, \"runs\": [%s]}",
                    (long long)sqlite3_column_int64(st, 6),
                    (long long)sqlite3_column_int64(st, 7),
                    (long long)sqlite3_column_int64(st, 8),
                    pruned ? "true" : "false", runs.data);
        } else {
            fprintf(fp, "%sversion %lld  %s  ", n ? "\n" : "", (long long)id,
                    text_or(st, 1, ""));
            er_term_put(fp, text_or(st, 2, "-"));
            if (id == 0 && sqlite3_column_type(st, 3) == SQLITE_NULL) {
                fputs("\n    the rows stored before data versions were "
                      "recorded\n",
                      fp);
            } else {
                fputs("  ", fp);
                er_term_put(fp, text_or(st, 3, "-"));
                fputs("\n    file     ", fp);
                er_term_put(fp, text_or(st, 4, "-"));
                fprintf(fp, "\n    sha256   %s\n", text_or(st, 5, "-"));
                fprintf(fp,
                        "    rows     %lld added, %lld replaced, %lld "
                        "unchanged\n",
                        (long long)sqlite3_column_int64(st, 6),
                        (long long)sqlite3_column_int64(st, 7),
                        (long long)sqlite3_column_int64(st, 8));
            }
            if (nruns)
                fprintf(fp, "    read by  run%s %s\n", nruns == 1 ? "" : "s",
                        runs.data);
            if (pruned)
                fputs("    pruned   rows of its data were dropped (log "
                      "--prune): it can no longer be rebuilt\n",
                      fp);
        }
        n++;
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the data versions");
    sqlite3_finalize(st);
    er_buf_free(&runs);
    if (rc != ER_OK)
        return rc;
    if (fmt == ER_FORMAT_JSON)
        fputs(n ? "\n]\n" : "]\n", fp);
    else if (n == 0)
        fputs("(no data versions yet: `equirule import` records one)\n", fp);
    return ER_OK;
}

int er_data_fact_print(er_db *db, const char *region, const char *metric,
                       int year, FILE *fp, er_format fmt)
{
    char code[ER_REGION_CODE_SIZE], num[40];
    sqlite3_stmt *st = NULL;
    er_buf runs;
    int rc, src, n = 0;
    assert(db && region && metric && fp);
    if ((rc = er_region_resolve(db->db, db->path, region, code)) != ER_OK)
        return rc;
    if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM metric WHERE key = ?1", -1,
                           &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading metrics");
    sqlite3_bind_text(st, 1, metric, -1, SQLITE_STATIC);
    src = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (src != SQLITE_ROW)
        return er_fail(ER_EUSAGE,
                       "no metric '%s' in the catalog of %s (`equirule "
                       "export metric` lists them)",
                       metric, db->path);
    /* every value the fact had, newest first: the current row and the
     * rows replaced, each with the version that wrote it */
    if (sqlite3_prepare_v2(
            db->db,
            "SELECT h.v, h.ended, h.value, h.source, d.created_at, d.user, "
            "d.file, d.sha256, (SELECT name FROM region WHERE code = ?1) "
            "FROM (SELECT coalesce(version, 0) AS v, NULL AS ended, value, "
            "source FROM fact WHERE region = ?1 AND metric = ?2 AND year = ?3 "
            "UNION ALL SELECT coalesce(version, 0), ended, value, source "
            "FROM fact_history WHERE region = ?1 AND metric = ?2 AND year = "
            "?3) h LEFT JOIN data_version d ON d.id = h.v "
            "ORDER BY h.v DESC",
            -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the history of a fact");
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, metric, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, year);
    er_buf_init(&runs);
    if (fmt == ER_FORMAT_JSON) {
        fputs("{\"region\": ", fp);
        er_json_put(fp, code);
        fputs(", \"metric\": ", fp);
        er_json_put(fp, metric);
        fprintf(fp, ", \"year\": %d, \"values\": [", year);
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t v = sqlite3_column_int64(st, 0);
        bool open = sqlite3_column_type(st, 1) == SQLITE_NULL;
        int64_t ended = open ? -1 : sqlite3_column_int64(st, 1);
        int nruns = 0;
        if ((rc = runs_between(db->db, v, ended, &runs, &nruns)) != ER_OK)
            break;
        const char *value =
            sqlite3_column_type(st, 2) == SQLITE_NULL
                ? NULL
                : sqlite3_column_type(st, 2) == SQLITE_TEXT
                      ? text_or(st, 2, "")
                      : er_fmt_exact(num, sizeof num,
                                     sqlite3_column_double(st, 2));
        if (fmt == ER_FORMAT_JSON) {
            fprintf(fp, "%s\n {\"version\": %lld, \"ended\": ", n ? "," : "",
                    (long long)v);
            if (open)
                fputs("null", fp);
            else
                fprintf(fp, "%lld", (long long)ended);
            fputs(", \"value\": ", fp);
            if (value && sqlite3_column_type(st, 2) != SQLITE_TEXT)
                fputs(value, fp);
            else
                er_json_put(fp, value);
            fputs(", \"source\": ", fp);
            er_json_put(fp, text_or(st, 3, NULL));
            fputs(", \"created_at\": ", fp);
            er_json_put(fp, text_or(st, 4, NULL));
            fputs(", \"user\": ", fp);
            er_json_put(fp, text_or(st, 5, NULL));
            fputs(", \"file\": ", fp);
            er_json_put(fp, text_or(st, 6, NULL));
            fputs(", \"sha256\": ", fp);
            er_json_put(fp, text_or(st, 7, NULL));
            fprintf(fp, ", \"runs\": [%s]}", runs.data);
        } else {
            if (n == 0) {
                fprintf(fp, "%s ", code);
                er_term_put(fp, text_or(st, 8, ""));
                fprintf(fp, "  %s  %d\n", metric, year);
            }
            fprintf(fp, "\n  %s", value ? value : "(empty)");
            if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
                fputs("  (source ", fp);
                er_term_put(fp, text_or(st, 3, ""));
                fputs(")", fp);
            }
            if (open)
                fputs("  current\n", fp);
            else
                fprintf(fp, "  until version %lld\n", (long long)ended);
            if (v == 0) {
                fputs("    set by   before data versions were recorded\n",
                      fp);
            } else {
                fprintf(fp, "    set by   version %lld  %s  ", (long long)v,
                        text_or(st, 4, ""));
                er_term_put(fp, text_or(st, 5, "-"));
                fputs("\n    file     ", fp);
                er_term_put(fp, text_or(st, 6, "-"));
                fprintf(fp, " (sha256 %.12s)\n", text_or(st, 7, "-"));
            }
            fprintf(fp, "    read by  %s%s\n", nruns == 1 ? "run " : nruns ? "runs " : "no run",
                    runs.data);
        }
        n++;
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the history of a fact");
    sqlite3_finalize(st);
    er_buf_free(&runs);
    if (rc != ER_OK)
        return rc;
    if (fmt == ER_FORMAT_JSON)
        fputs(n ? "\n]}\n" : "]}\n", fp);
    else if (n == 0)
        fprintf(fp, "no value of %s for %s in %d has been stored\n", metric,
                code, year);
    return ER_OK;
}

/* ---- retention ------------------------------------------------------------- */

/* The tables holding rows of a run: every table with a foreign key to
 * run(id), and the column that holds the run's id. */
static int run_tables(sqlite3 *db, er_buf *sql, const char *in)
{
    sqlite3_stmt *st = NULL;
    int src, rc = ER_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT m.name, f.\"from\" FROM sqlite_schema m, "
                           "pragma_foreign_key_list(m.name) f "
                           "WHERE m.type = 'table' AND f.\"table\" = 'run' "
                           "ORDER BY m.name",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the schema");
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        er_buf_puts(sql, "DELETE FROM ");
        er_buf_sql_ident(sql, (const char *)sqlite3_column_text(st, 0));
        er_buf_puts(sql, " WHERE ");
        er_buf_sql_ident(sql, (const char *)sqlite3_column_text(st, 1));
        er_buf_printf(sql, " IN (%s);", in);
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the schema");
    sqlite3_finalize(st);
    return rc;
}

int er_runs_delete(er_db *db, const int64_t *ids, size_t n, long *deleted_out)
{
    er_buf in, sql;
    sqlite3_stmt *st = NULL;
    bool in_tx = false;
    int rc = ER_OK;
    long found = 0;
    assert(db && (ids || n == 0));
    if (deleted_out)
        *deleted_out = 0;
    if (n == 0)
        return er_fail(ER_EUSAGE, "no run to delete");
    er_buf_init(&in);
    er_buf_init(&sql);
    for (size_t i = 0; i < n; i++)
        er_buf_printf(&in, "%s%lld", i ? "," : "", (long long)ids[i]);
    if ((rc = er_buf_status(&in)) != ER_OK)
        goto done;
    if ((rc = exec(db->db, "BEGIN IMMEDIATE")) != ER_OK)
        goto done;
    in_tx = true;
    er_buf_printf(&sql, "SELECT count(*) FROM run WHERE id IN (%s)", in.data);
    if ((rc = prepare(db->db, &sql, &st)) != ER_OK)
        goto done;
    if (sqlite3_step(st) == SQLITE_ROW)
        found = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (found == 0) {
        rc = er_fail(ER_ENOTFOUND,
                     "%s: no run %s (`equirule runs` lists them); nothing "
                     "was deleted",
                     db->path, in.data);
        goto done;
    }
    /* every row of the runs, whatever the foreign keys pragma says */
    if ((rc = run_tables(db->db, &sql, in.data)) != ER_OK)
        goto done;
    er_buf_printf(&sql,
                  "INSERT OR IGNORE INTO run_deleted(id, deleted_at) "
                  "SELECT id, strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now') "
                  "FROM run WHERE id IN (%s);"
                  "DELETE FROM run WHERE id IN (%s);",
                  in.data, in.data);
    if ((rc = er_buf_status(&sql)) != ER_OK)
        goto done;
    if (sqlite3_exec(db->db, sql.data, NULL, NULL, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "deleting runs");
        goto done;
    }
    er_fault_point("runs_delete");
    if ((rc = exec(db->db, "COMMIT")) != ER_OK)
        goto done;
    in_tx = false;
    if (deleted_out)
        *deleted_out = found;
done:
    if (in_tx)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    er_buf_free(&in);
    er_buf_free(&sql);
    return rc;
}

/* A history row h is needed while a kept run read a version it was the
 * data of (a run recorded before versions reads as version 0). */
#define NEEDED_SQL                                                         \
    "EXISTS (SELECT 1 FROM run r WHERE coalesce(r.data_version, 0) >= "     \
    "coalesce(h.version, 0) AND coalesce(r.data_version, 0) < h.ended)"

int er_data_prune(er_db *db, int dry_run, er_prune_stats *out)
{
    er_buf sql;
    sqlite3_stmt *st = NULL;
    bool in_tx = false;
    int rc = ER_OK;
    er_prune_stats s = {0, 0, 0};
    assert(db);
    er_buf_init(&sql);
    if ((rc = exec(db->db, "BEGIN IMMEDIATE")) != ER_OK)
        return rc;
    in_tx = true;
    for (size_t i = 0; er_data_tables[i]; i++) {
        const char *t = er_data_tables[i];
        /* the versions that can no longer be rebuilt */
        er_buf_printf(&sql,
                      "UPDATE data_version SET pruned = 1 WHERE pruned = 0 "
                      "AND EXISTS (SELECT 1 FROM \"%s_history\" h WHERE "
                      "NOT " NEEDED_SQL " AND coalesce(h.version, 0) <= "
                      "data_version.id AND data_version.id < h.ended)",
                      t);
        if ((rc = prepare(db->db, &sql, &st)) != ER_OK)
            goto done;
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = er_fail_sqlite(db->db, "pruning the data versions");
            goto done;
        }
        s.versions += sqlite3_changes(db->db);
        sqlite3_finalize(st);
        st = NULL;
        er_buf_printf(&sql,
                      "DELETE FROM \"%s_history\" AS h WHERE NOT " NEEDED_SQL,
                      t);
        if ((rc = prepare(db->db, &sql, &st)) != ER_OK)
            goto done;
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = er_fail_sqlite(db->db, "pruning the data versions");
            goto done;
        }
        s.rows += sqlite3_changes(db->db);
        sqlite3_finalize(st);
        st = NULL;
        er_buf_printf(&sql, "SELECT count(*) FROM \"%s_history\"", t);
        if ((rc = prepare(db->db, &sql, &st)) != ER_OK)
            goto done;
        if (sqlite3_step(st) == SQLITE_ROW)
            s.kept += (long)sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
    }
    er_fault_point("prune");
    if (!dry_run) {
        if ((rc = exec(db->db, "COMMIT")) != ER_OK)
            goto done;
        in_tx = false;
    }
    if (out)
        *out = s;
done:
    sqlite3_finalize(st);
    if (in_tx)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    er_buf_free(&sql);
    return rc;
}
