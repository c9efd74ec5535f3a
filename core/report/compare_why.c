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
        free(w->versions[i].table);
        free(w->versions[i].file);
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

/* ---- data rows ----------------------------------------------------------- */

/* Where a data table's key (er_data_change.key: its key columns as text,
 * one space between them, in version.c's order) holds a region code, a
 * year or the first year of a span (whose last, year_to, is among the
 * row's other columns): the position of that word, -1 when it has none. */
static const struct {
    const char *table;
    int region, year, year_from;
} key_words[] = {
    {"region", 0, -1, -1},       /* code */
    {"fact", 0, 1, -1},          /* region year metric */
    {"transfer", 0, 1, -1},      /* region year item */
    {"city_transfer", 0, 1, -1}, /* region year item */
    {"split", 0, -1, 2},         /* city item year_from */
    {"standard", 2, -1, 3},      /* key scope region year_from */
    {"share", -1, -1, 2},        /* item tier year_from */
    {"national_average", -1, 1, -1}, /* key year */
};

/* Copies word `n` (from 0) of `s` into buf: words are separated by one
 * space, a word in double quotes (a JSON string) may hold spaces. Returns
 * false when s has fewer words or the word does not fit. */
static bool word_of(const char *s, int n, char *buf, size_t size)
{
    for (int i = 0; *s; i++) {
        const char *start = s;
        if (*s == '"') {
            for (s++; *s && *s != '"'; s++)
                if (*s == '\\' && s[1])
                    s++;
            if (*s)
                s++;
        }
        while (*s && *s != ' ')
            s++;
        if (i == n) {
            size_t len = (size_t)(s - start);
            if (len >= size)
                return false;
            memcpy(buf, start, len);
            buf[len] = 0;
            return true;
        }
        if (*s)
            s++;
    }
    return false;
}

/* The value of column `name` in a row's text ("name=value ..."), as a
 * number; false when the row does not hold it. */
static bool column_int(const char *row, const char *name, long *out)
{
    size_t n = strlen(name);
    for (const char *p = row; p && *p;) {
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            char *end;
            *out = strtol(p + n + 1, &end, 10);
            return end != p + n + 1;
        }
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    return false;
}

struct gather {
    er_why *w;
    size_t cap;
    bool reversed; /* run A read the newer version: before and after swap */
    int year;      /* the filter's year, 0: any */
    char **regions; /* the filter's regions and those below, sorted; NULL:
                       any */
    size_t nregions;
};

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Whether row text `row` (may be NULL) spans `year` from year_from. */
static bool spans(const char *row, long from, int year)
{
    long to;
    if (!row)
        return false;
    return from <= year && (!column_int(row, "year_to", &to) || to >= year);
}

/* Whether the change passes the comparison's filter: rows of no region or
 * year pass it. */
static bool passes(const struct gather *g, const er_data_change *c)
{
    char word[64];
    size_t i = 0;
    while (i < ER_ARRAY_LEN(key_words) &&
           strcmp(key_words[i].table, c->table) != 0)
        i++;
    if (i == ER_ARRAY_LEN(key_words))
        return true;
    if (g->regions && key_words[i].region >= 0 &&
        word_of(c->key, key_words[i].region, word, sizeof word) &&
        strcmp(word, "-") != 0) {
        const char *k = word;
        if (!bsearch(&k, g->regions, g->nregions, sizeof *g->regions,
                     cmp_str))
            return false;
    }
    if (g->year && key_words[i].year >= 0 &&
        word_of(c->key, key_words[i].year, word, sizeof word) &&
        atol(word) != g->year)
        return false;
    if (g->year && key_words[i].year_from >= 0 &&
        word_of(c->key, key_words[i].year_from, word, sizeof word)) {
        long from = atol(word);
        if (!spans(c->before, from, g->year) && !spans(c->after, from, g->year))
            return false;
    }
    return true;
}

static int add_change(void *ctx, const er_data_change *c)
{
    struct gather *g = ctx;
    er_why *w = g->w;
    if (!passes(g, c)) {
        w->rows_filtered++;
        return ER_OK;
    }
    if (w->nrows == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        er_why_row *rows = realloc(w->rows, cap * sizeof *rows);
        if (!rows)
            return er_fail(ER_ENOMEM, "out of memory");
        w->rows = rows;
        g->cap = cap;
    }
    bool ok = true;
    er_why_row *r = &w->rows[w->nrows++];
    r->table = dup_or_null(c->table, &ok);
    r->key = dup_or_null(c->key, &ok);
    r->before = dup_or_null(g->reversed ? c->after : c->before, &ok);
    r->after = dup_or_null(g->reversed ? c->before : c->after, &ok);
    r->version = c->version;
    return ok ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

/* The codes of the filter's regions (a JSON array) and every region whose
 * parent chain reaches one, sorted, as the findings' filter reads them. */
static int load_regions(er_db *db, const char *json, struct gather *g)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src, rc = ER_OK;
    if (sqlite3_prepare_v2(
            db->db,
            "WITH RECURSIVE sub(c) AS (SELECT value FROM json_each(?1) UNION "
            "SELECT g.code FROM region g JOIN sub ON g.parent = sub.c) "
            "SELECT c FROM sub ORDER BY c",
            -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the regions");
    sqlite3_bind_text(st, 1, json, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (g->nregions == cap) {
            cap = cap ? cap * 2 : 16;
            char **r = realloc(g->regions, cap * sizeof *r);
            if (!r) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            g->regions = r;
        }
        const char *code = (const char *)sqlite3_column_text(st, 0);
        if (!(g->regions[g->nregions] = er_strdup(code ? code : ""))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        g->nregions++;
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the regions");
    else if (!g->regions) /* no region: an empty list, not "any" */
        g->regions = calloc(1, sizeof *g->regions);
    if (rc == ER_OK && !g->regions)
        rc = er_fail(ER_ENOMEM, "out of memory");
done:
    sqlite3_finalize(st);
    return rc;
}

/* The data_version rows of the versions the rows name. */
static int load_versions(er_db *db, er_why *w)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    if (!w->nrows)
        return ER_OK;
    if (!(w->versions = calloc(w->nrows, sizeof *w->versions)))
        return er_fail(ER_ENOMEM, "out of memory");
    if (sqlite3_prepare_v2(db->db,
                           "SELECT created_at, user, data_table, file, added, "
                           "replaced FROM data_version WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the data versions");
    for (size_t i = 0; i < w->nrows; i++) {
        int64_t id = w->rows[i].version;
        size_t at = 0;
        while (at < w->nversions && w->versions[at].id < id)
            at++;
        if (at < w->nversions && w->versions[at].id == id)
            continue;
        memmove(&w->versions[at + 1], &w->versions[at],
                (w->nversions - at) * sizeof *w->versions);
        er_why_version *v = &w->versions[at];
        memset(v, 0, sizeof *v);
        v->id = id;
        w->nversions++;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        int src = sqlite3_step(st);
        if (src == SQLITE_DONE)
            continue; /* named by a row, gone from the table: no details */
        if (src != SQLITE_ROW) {
            rc = er_fail_sqlite(db->db, "reading the data versions");
            goto done;
        }
        bool ok = true;
        v->at = dup_or_null((const char *)sqlite3_column_text(st, 0), &ok);
        v->user = dup_or_null((const char *)sqlite3_column_text(st, 1), &ok);
        v->table = dup_or_null((const char *)sqlite3_column_text(st, 2), &ok);
        v->file = dup_or_null((const char *)sqlite3_column_text(st, 3), &ok);
        v->added = (long)sqlite3_column_int64(st, 4);
        v->replaced = (long)sqlite3_column_int64(st, 5);
        if (!ok) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* Reads each run's data version and, when both have one, the rows that
 * differ between them. */
static int load_data(er_db *db, int64_t a, int64_t b,
                     const er_rep_filter *flt, er_why *w)
{
    sqlite3_stmt *st = NULL;
    struct gather g = {w, 0, false, 0, NULL, 0};
    int rc = ER_OK;
    if (sqlite3_prepare_v2(db->db, "SELECT data_version FROM run WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the runs");
    int64_t ids[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, ids[k]);
        if (sqlite3_step(st) != SQLITE_ROW) {
            rc = er_fail_sqlite(db->db, "reading the runs");
            goto done;
        }
        if ((w->has_version[k] = sqlite3_column_type(st, 0) != SQLITE_NULL))
            w->version[k] = sqlite3_column_int64(st, 0);
    }
    if (!w->has_version[0] || !w->has_version[1]) {
        char text[200];
        if (!w->has_version[0] && !w->has_version[1])
            snprintf(text, sizeof text,
                     "not known: runs %lld and %lld were stored before data "
                     "versions were recorded",
                     (long long)a, (long long)b);
        else
            snprintf(text, sizeof text,
                     "not known: run %lld was stored before data versions "
                     "were recorded",
                     (long long)(w->has_version[0] ? b : a));
        if (!(w->unlisted = er_strdup(text)))
            rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if (w->version[0] == w->version[1])
        goto done; /* the same data: no row differs */
    if (flt) {
        g.year = flt->year;
        if (flt->regions && (rc = load_regions(db, flt->regions, &g)) != ER_OK)
            goto done;
    }
    g.reversed = w->version[0] > w->version[1];
    int64_t from = g.reversed ? w->version[1] : w->version[0];
    int64_t to = g.reversed ? w->version[0] : w->version[1];
    rc = er_data_changes(db->db, from, to, add_change, &g);
    if (rc == ER_EUSAGE) {
        /* a version whose history was pruned: say so instead of listing */
        for (size_t i = 0; i < w->nrows; i++) {
            free(w->rows[i].table);
            free(w->rows[i].key);
            free(w->rows[i].before);
            free(w->rows[i].after);
        }
        w->nrows = 0;
        w->rows_filtered = 0;
        if (!(w->unlisted = er_strdup(er_errmsg())))
            rc = er_fail(ER_ENOMEM, "out of memory");
        else
            rc = ER_OK;
        goto done;
    }
    if (rc == ER_OK)
        rc = load_versions(db, w);
done:
    sqlite3_finalize(st);
    for (size_t i = 0; i < g.nregions; i++)
        free(g.regions[i]);
    free(g.regions);
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
    memset(out, 0, sizeof *out);
    if ((rc = load_files(db, run_a, run_b, out)) != ER_OK ||
        (rc = load_data(db, run_a, run_b, flt, out)) != ER_OK)
        return rc;
    return ER_OK;
}
