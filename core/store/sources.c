/*
 * sources.c - the rule sources a run used, kept in the database so that
 * the run can be replayed (`equirule verify`, `explain --run`) after the
 * rules folder moved on or went: rule_source holds each text once per
 * content (by SHA-256), run_source each run's list of files with the names
 * its messages quoted. It writes in the caller's transaction (the
 * recorder's) and reads them back, checking every text against its
 * digest. It knows nothing of Lua: the rule loader reads the texts.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

const char *const er_source_kind_names[ER_SOURCE_KIND_COUNT] = {
    "rule", "module", "builtin"};

int er_sources_record(sqlite3 *db, int64_t run, const er_source_record *files,
                      size_t n, const char *replay)
{
    sqlite3_stmt *text = NULL, *list = NULL, *opts = NULL;
    int rc = ER_OK;
    if (sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO rule_source(sha256, text) "
                           "VALUES (?, ?)",
                           -1, &text, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO run_source(run, path, kind, display, "
                           "sha256) VALUES (?, ?, ?, ?, ?)",
                           -1, &list, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "UPDATE run SET replay = ? WHERE id = ?", -1,
                           &opts, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db, "recording the rule sources");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const er_source_record *f = &files[i];
        if (f->kind < 0 || f->kind >= ER_SOURCE_KIND_COUNT || !f->text)
            continue; /* a file that could not be read: rule_file says so */
        sqlite3_reset(text);
        sqlite3_bind_text(text, 1, f->sha256, -1, SQLITE_STATIC);
        sqlite3_bind_blob64(text, 2, f->text, f->len, SQLITE_STATIC);
        if (sqlite3_step(text) != SQLITE_DONE) {
            rc = er_fail_sqlite(db, "recording the rule sources");
            goto done;
        }
        sqlite3_reset(list);
        sqlite3_bind_int64(list, 1, run);
        sqlite3_bind_text(list, 2, f->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(list, 3, er_source_kind_names[f->kind], -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(list, 4, f->display, -1, SQLITE_STATIC);
        sqlite3_bind_text(list, 5, f->sha256, -1, SQLITE_STATIC);
        if (sqlite3_step(list) != SQLITE_DONE) {
            rc = er_fail_sqlite(db, "recording the rule sources");
            goto done;
        }
    }
    sqlite3_bind_text(opts, 1, replay, -1, SQLITE_STATIC);
    sqlite3_bind_int64(opts, 2, run);
    if (sqlite3_step(opts) != SQLITE_DONE)
        rc = er_fail_sqlite(db, "recording the rule sources");
done:
    sqlite3_finalize(text);
    sqlite3_finalize(list);
    sqlite3_finalize(opts);
    return rc;
}

void er_sources_free(er_sources *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free((char *)s->files[i].path);
        free((char *)s->files[i].display);
        free((char *)s->files[i].sha256);
        free((char *)s->files[i].text);
    }
    free(s->files);
    free(s->replay);
    free(s);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return er_strdup(t ? t : "");
}

int er_sources_read(sqlite3 *db, int64_t run, er_sources **out)
{
    sqlite3_stmt *st = NULL;
    er_sources *s = calloc(1, sizeof *s);
    size_t cap = 0;
    int rc = ER_OK, src;
    *out = NULL;
    if (!s)
        return er_fail(ER_ENOMEM, "out of memory");
    if (sqlite3_prepare_v2(db, "SELECT replay FROM run WHERE id = ?", -1,
                           &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db, "reading the rule sources");
        goto done;
    }
    sqlite3_bind_int64(st, 1, run);
    if ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) != SQLITE_NULL &&
            !(s->replay = dup_col(st, 0))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
    } else if (src == SQLITE_DONE) {
        rc = er_fail(ER_ENOTFOUND, "no run %lld", (long long)run);
        goto done;
    } else {
        rc = er_fail_sqlite(db, "reading the rule sources");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* rule files first, then modules (scripts/lib, then built in), each
     * kind by path, as a folder loads them */
    if (sqlite3_prepare_v2(db,
                           "SELECT s.path, s.kind, s.display, s.sha256, "
                           "t.text, t.text IS NOT NULL FROM run_source s "
                           "LEFT JOIN rule_source t ON t.sha256 = s.sha256 "
                           "WHERE s.run = ? ORDER BY CASE s.kind WHEN "
                           "'rule' THEN 0 WHEN 'module' THEN 1 ELSE 2 END, "
                           "s.path",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db, "reading the rule sources");
        goto done;
    }
    sqlite3_bind_int64(st, 1, run);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (s->n == cap) {
            cap = cap ? cap * 2 : 32;
            er_source_record *p = realloc(s->files, cap * sizeof *p);
            if (!p) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            s->files = p;
        }
        er_source_record *f = &s->files[s->n];
        memset(f, 0, sizeof *f);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        f->kind = er_word_find(er_source_kind_names, ER_SOURCE_KIND_COUNT,
                               kind, kind ? strlen(kind) : 0);
        f->path = dup_col(st, 0);
        f->display = dup_col(st, 2);
        f->sha256 = dup_col(st, 3);
        s->n++;
        if (!f->path || !f->display || !f->sha256) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        if (!sqlite3_column_int(st, 5)) {
            rc = er_fail(ER_EDATA,
                         "run %lld: the text of %s (sha256 %.12s...) is not "
                         "in rule_source: the stored sources were altered",
                         (long long)run, f->path, f->sha256);
            goto done;
        }
        size_t len = (size_t)sqlite3_column_bytes(st, 4);
        const void *p = sqlite3_column_blob(st, 4);
        char *text = malloc(len + 1);
        if (!text) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        if (len)
            memcpy(text, p, len);
        text[len] = '\0';
        f->text = text;
        f->len = len;
        char hex[65];
        er_sha256_of(text, len, hex);
        if (strcmp(hex, f->sha256) != 0) {
            rc = er_fail(ER_EDATA,
                         "run %lld: the stored text of %s does not hash to "
                         "its sha256 %.12s... (it hashes to %.12s...): the "
                         "stored sources were altered",
                         (long long)run, f->path, f->sha256, hex);
            goto done;
        }
        if (f->kind < 0) {
            rc = er_fail(ER_EDATA, "run %lld: %s: unknown source kind '%s'",
                         (long long)run, f->path, kind ? kind : "");
            goto done;
        }
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db, "reading the rule sources");
        goto done;
    }
    if (s->n == 0)
        rc = er_fail(ER_ENOTFOUND,
                     "run %lld stored no rule sources (it was recorded "
                     "before rule sources were kept in the database, "
                     "schema version 13): it cannot be replayed",
                     (long long)run);
done:
    sqlite3_finalize(st);
    if (rc != ER_OK)
        er_sources_free(s);
    else
        *out = s;
    return rc;
}

int er_sources_prune(sqlite3 *db, long *deleted_out)
{
    if (sqlite3_exec(db,
                     "DELETE FROM rule_source WHERE sha256 NOT IN "
                     "(SELECT sha256 FROM run_source)",
                     NULL, NULL, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "pruning the rule sources");
    if (deleted_out)
        *deleted_out = (long)sqlite3_changes(db);
    return ER_OK;
}
