/*
 * compare.c - the findings that changed between two stored runs
 * (er_run_compare): matched on rule, region and year, a finding changed when
 * its outcome, measured value, required value or amount differs; findings
 * of one run only are added or removed. Writes them with a per-rule summary
 * of transitions as text, Markdown, JSON or CSV (HTML: compare_html.c),
 * and beside them what may explain them (compare_why.c): the rule files
 * whose digests differ and the data rows that differ between the data
 * versions the runs read (text, Markdown and JSON; the CSV is the table of
 * findings). It reads stored runs only; the impact of a rule change before
 * it is run is diff's.
 */
#include "report.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

enum change { CHANGED = 0, ADDED, REMOVED };
static const char *const change_names[] = {"changed", "added", "removed"};

/* One side of a change; outcome -1 when the finding is absent. */
struct side {
    int outcome;
    bool has_measured, has_required, has_amount;
    double measured, required;
    int64_t amount;
};

struct change_row {
    enum change kind;
    char *rule, *region, *name, *unit; /* owned */
    int year;
    struct side a, b;
};

struct run_meta {
    int64_t id;
    char years[32], started[40], rules_digest[65], data_digest[65];
    char *options; /* owned, may be NULL */
    int64_t cut, allocation;
};

struct compare {
    struct change_row *rows;
    size_t n, cap;
    struct run_meta a, b;
    er_compare_stats stats;
    const er_rep_filter *flt; /* what is compared: NULL for everything */
    bool outcome_only;        /* list only changes of outcome */
    er_why why;               /* the rule files and data rows that differ */
};

/* ---- reading ------------------------------------------------------------ */

static void copy_text(char *dst, size_t size, const unsigned char *s)
{
    snprintf(dst, size, "%s", s ? (const char *)s : "");
}

static int load_meta(er_db *db, int64_t id, const er_rep_filter *flt,
                     struct run_meta *m)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    m->id = id;
    if (sqlite3_prepare_v2(
            db->db,
            "SELECT years, started_at, rules_digest, data_digest, options "
            "FROM run WHERE id = ?1",
            -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the runs");
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    if (src == SQLITE_DONE) {
        rc = er_fail(ER_ENOTFOUND,
                     "no run %lld in %s; `equirule runs --db %s` lists the "
                     "stored runs",
                     (long long)id, db->path, db->path);
        goto done;
    }
    if (src != SQLITE_ROW) {
        rc = er_fail_sqlite(db->db, "reading the runs");
        goto done;
    }
    copy_text(m->years, sizeof m->years, sqlite3_column_text(st, 0));
    copy_text(m->started, sizeof m->started, sqlite3_column_text(st, 1));
    copy_text(m->rules_digest, sizeof m->rules_digest,
              sqlite3_column_text(st, 2));
    copy_text(m->data_digest, sizeof m->data_digest,
              sqlite3_column_text(st, 3));
    if (sqlite3_column_type(st, 4) != SQLITE_NULL &&
        !(m->options = er_strdup((const char *)sqlite3_column_text(st, 4)))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    /* the totals summed with checks, never by SQLite's sum() */
    er_run_summary sum;
    if ((rc = er_run_summarize_filtered(db, id, flt, &sum)) != ER_OK)
        goto done;
    m->cut = sum.cut_fen;
    m->allocation = sum.allocation_fen;
done:
    sqlite3_finalize(st);
    return rc;
}

static void read_side(sqlite3_stmt *st, int at, struct side *s)
{
    const char *o = (const char *)sqlite3_column_text(st, at);
    s->outcome = o ? er_outcome_parse(o) : -1;
    if ((s->has_measured = sqlite3_column_type(st, at + 1) != SQLITE_NULL))
        s->measured = sqlite3_column_double(st, at + 1);
    if ((s->has_required = sqlite3_column_type(st, at + 2) != SQLITE_NULL))
        s->required = sqlite3_column_double(st, at + 2);
    if ((s->has_amount = sqlite3_column_type(st, at + 3) != SQLITE_NULL))
        s->amount = sqlite3_column_int64(st, at + 3);
}

static const char compare_sql[] =
    "WITH a AS (SELECT * FROM finding f WHERE f.run = ?1" ER_REP_FILTER_SQL
    "), b AS (SELECT * FROM finding f WHERE f.run = ?2" ER_REP_FILTER_SQL
    "), "
    "c AS ("
    "SELECT a.rule, a.region, a.year, "
    "  CASE WHEN b.rule IS NULL THEN 2 ELSE 0 END AS kind, "
    "  a.outcome AS ao, a.measured AS am, a.required AS ar, a.amount AS aa, "
    "  b.outcome AS bo, b.measured AS bm, b.required AS br, b.amount AS ba, "
    "  coalesce(b.unit, a.unit) AS unit "
    "FROM a LEFT JOIN b ON b.rule = a.rule AND b.region = a.region "
    "  AND b.year = a.year "
    "WHERE b.rule IS NULL OR a.outcome IS NOT b.outcome "
    "  OR a.measured IS NOT b.measured OR a.required IS NOT b.required "
    "  OR a.amount IS NOT b.amount "
    "UNION ALL "
    "SELECT b.rule, b.region, b.year, 1, NULL, NULL, NULL, NULL, "
    "  b.outcome, b.measured, b.required, b.amount, b.unit "
    "FROM b LEFT JOIN a ON a.rule = b.rule AND a.region = b.region "
    "  AND a.year = b.year WHERE a.rule IS NULL) "
    "SELECT c.*, g.name FROM c LEFT JOIN region g ON g.code = c.region "
    "ORDER BY c.kind, c.year, c.rule, c.region";

static int load_changes(er_db *db, struct compare *c)
{
    sqlite3_stmt *st = NULL;
    int src, rc = ER_OK;
    if (sqlite3_prepare_v2(db->db, compare_sql, -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "comparing the runs");
    sqlite3_bind_int64(st, 1, c->a.id);
    sqlite3_bind_int64(st, 2, c->b.id);
    er_rep_filter_bind(c->flt, st);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *ao = (const char *)sqlite3_column_text(st, 4);
        const char *bo = (const char *)sqlite3_column_text(st, 8);
        /* money never counts as a change of value only: a finding whose
         * cut or allocation changed is always listed */
        bool same_amount =
            sqlite3_column_type(st, 7) == sqlite3_column_type(st, 11) &&
            (sqlite3_column_type(st, 7) == SQLITE_NULL ||
             sqlite3_column_int64(st, 7) == sqlite3_column_int64(st, 11));
        if (c->outcome_only && sqlite3_column_int(st, 3) == CHANGED && ao &&
            bo && strcmp(ao, bo) == 0 && same_amount) {
            c->stats.value_only++; /* counted, not listed */
            continue;
        }
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 64;
            struct change_row *rows = realloc(c->rows, cap * sizeof *rows);
            if (!rows) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            c->rows = rows;
            c->cap = cap;
        }
        struct change_row *row = &c->rows[c->n++];
        memset(row, 0, sizeof *row);
        row->kind = (enum change)sqlite3_column_int(st, 3);
        row->year = sqlite3_column_int(st, 2);
        read_side(st, 4, &row->a);
        read_side(st, 8, &row->b);
        row->rule = er_strdup((const char *)sqlite3_column_text(st, 0));
        row->region = er_strdup((const char *)sqlite3_column_text(st, 1));
        row->name = er_strdup(sqlite3_column_type(st, 13) == SQLITE_NULL
                                  ? ""
                                  : (const char *)sqlite3_column_text(st, 13));
        if (sqlite3_column_type(st, 12) != SQLITE_NULL)
            row->unit = er_strdup((const char *)sqlite3_column_text(st, 12));
        if (!row->rule || !row->region || !row->name ||
            (sqlite3_column_type(st, 12) != SQLITE_NULL && !row->unit)) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        if (row->kind == CHANGED)
            c->stats.changed++;
        else if (row->kind == ADDED)
            c->stats.added++;
        else
            c->stats.removed++;
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, "comparing the runs");
        goto done;
    }
    /* the unchanged: findings of run a matched in run b, less the changed */
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT count(*) FROM finding f WHERE f.run = ?1"
                           ER_REP_FILTER_SQL,
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "comparing the runs");
        goto done;
    }
    sqlite3_bind_int64(st, 1, c->a.id);
    er_rep_filter_bind(c->flt, st);
    if (sqlite3_step(st) == SQLITE_ROW)
        c->stats.same = (long)sqlite3_column_int64(st, 0) - c->stats.changed -
                        c->stats.value_only - c->stats.removed;
done:
    sqlite3_finalize(st);
    return rc;
}

static void compare_free(struct compare *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->rows[i].rule);
        free(c->rows[i].region);
        free(c->rows[i].name);
        free(c->rows[i].unit);
    }
    free(c->rows);
    free(c->a.options);
    free(c->b.options);
    er_why_free(&c->why);
}

/* ---- what both runs evaluated ------------------------------------------- */

static void years_of(const char *years, int *from, int *to)
{
    const char *dash = strchr(years, '-');
    *from = atoi(years);
    *to = dash ? atoi(dash + 1) : *from;
}

/* When the runs did not evaluate the same things (other years, or a run
 * narrowed to a region, rule or departments), narrows `flt` to what both
 * evaluated, so that a finding the other run never looked at is neither
 * added nor removed, and says so in the filter's words. */
static int narrow_to_common(er_db *db, int64_t a, int64_t b,
                            er_rep_filter *flt)
{
    sqlite3_stmt *st = NULL;
    er_buf text, json;
    int rc = ER_OK;
#define NARROW(col)                                                           \
    "CASE WHEN json_valid(" col ") THEN json_extract(" col ", '$.region') "  \
    "IS NOT NULL OR json_extract(" col ", '$.rule') IS NOT NULL OR "          \
    "json_type(" col ", '$.depts') = 'array' ELSE 0 END"
    static const char sql[] =
        "SELECT ra.years, rb.years, " NARROW("ra.scope") ", " NARROW(
            "rb.scope") ", " ER_RUN_SCOPE_TEXT_SQL("ra.scope") ", "
        ER_RUN_SCOPE_TEXT_SQL("rb.scope") " FROM run ra, run rb WHERE ra.id "
        "= ?1 AND rb.id = ?2";
#undef NARROW
    er_buf_init(&text);
    er_buf_init(&json);
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the runs");
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = er_fail_sqlite(db->db, "reading the runs");
        goto done;
    }
    const char *ya = (const char *)sqlite3_column_text(st, 0);
    const char *yb = (const char *)sqlite3_column_text(st, 1);
    int fa, ta, fb, tb;
    years_of(ya ? ya : "", &fa, &ta);
    years_of(yb ? yb : "", &fb, &tb);
    bool narrow[2] = {sqlite3_column_int(st, 2) != 0,
                      sqlite3_column_int(st, 3) != 0};
    if (!narrow[0] && !narrow[1] && fa == fb && ta == tb)
        goto done; /* the same years and the same scope: everything */
    if (flt->active && flt->text && *flt->text)
        er_buf_printf(&text, "%s; ", flt->text);
    size_t own = text.len; /* where these words start */
    er_buf_puts(&text, "compared within what both runs evaluated");
    int64_t ids[2] = {a, b};
    for (int k = 0; k < 2; k++)
        if (narrow[k])
            er_buf_printf(&text, "%s run %lld is partial (%s)",
                          k && narrow[0] ? ";" : ":", (long long)ids[k],
                          (const char *)sqlite3_column_text(st, 4 + k));
    int from = fa > fb ? fa : fb, to = ta < tb ? ta : tb;
    if (from > to)
        er_buf_printf(&text, "; no year in common (%s, %s)", ya, yb);
    else if (from == to)
        er_buf_printf(&text, "; years compared %d", from);
    else
        er_buf_printf(&text, "; years compared %d-%d", from, to);
    /* the json: the filter's object with "within" added */
    const char *old = flt->json ? flt->json : "{}";
    size_t n = strlen(old);
    while (n && old[n - 1] != '}')
        n--;
    if (n > 2) /* an object with members: one more */
        er_buf_printf(&json, "%.*s, \"within\": ", (int)(n - 1), old);
    else
        er_buf_puts(&json, "{\"within\": ");
    if ((rc = er_buf_status(&text)) != ER_OK)
        goto done;
    er_json_add(&json, text.data + own);
    er_buf_puts(&json, "}");
    if ((rc = er_buf_status(&text)) != ER_OK ||
        (rc = er_buf_status(&json)) != ER_OK)
        goto done;
    free(flt->text);
    free(flt->json);
    flt->text = er_buf_detach(&text);
    flt->json = er_buf_detach(&json);
    if (!flt->text || !flt->json) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    flt->within[0] = a;
    flt->within[1] = b;
    flt->active = true;
done:
    sqlite3_finalize(st);
    er_buf_free(&text);
    er_buf_free(&json);
    return rc;
}

/* ---- the per-rule summary ----------------------------------------------- */

struct transition {
    const char *rule; /* borrowed from a row */
    int from, to;     /* outcomes, -1 when absent */
    long count;
};

static int cmp_transition(const void *x, const void *y)
{
    const struct transition *a = x, *b = y;
    int c = strcmp(a->rule, b->rule);
    if (c)
        return c;
    /* changes of outcome first, then changes of value only */
    bool sa = a->from == a->to, sb = b->from == b->to;
    if (sa != sb)
        return sa ? 1 : -1;
    if (a->from != b->from)
        return a->from < b->from ? -1 : 1;
    return a->to < b->to ? -1 : a->to > b->to;
}

/* The transitions, sorted and counted; *n_out receives how many. */
static struct transition *transitions(const struct compare *c, size_t *n_out)
{
    struct transition *t = calloc(c->n + 1, sizeof *t);
    size_t n = 0;
    if (!t)
        return NULL;
    for (size_t i = 0; i < c->n; i++)
        t[i] = (struct transition){c->rows[i].rule, c->rows[i].a.outcome,
                                   c->rows[i].b.outcome, 1};
    if (c->n)
        qsort(t, c->n, sizeof *t, cmp_transition);
    for (size_t i = 0; i < c->n; i++) {
        if (n && cmp_transition(&t[n - 1], &t[i]) == 0)
            t[n - 1].count++;
        else
            t[n++] = t[i];
    }
    *n_out = n;
    return t;
}

static const char *oname(int o)
{
    return o < 0 ? "—" : er_outcome_name((er_outcome)o);
}

/* ---- writers ------------------------------------------------------------ */

/* "0.316288", or "—" when there is none or it is not finite. */
static const char *show_num(char *buf, size_t size, bool has, double v)
{
    return has ? er_rep_num(buf, size, v) : "—";
}

static void text_value(FILE *fp, const char *what, bool ha, double a, bool hb,
                       double b)
{
    char x[64], y[64];
    if (!ha && !hb)
        return;
    fprintf(fp, "  %s %s → %s", what, show_num(x, sizeof x, ha, a),
            show_num(y, sizeof y, hb, b));
}

static void text_row(FILE *fp, const struct change_row *row, int width)
{
    char x[64], y[64], region[160];
    snprintf(region, sizeof region, "%s %s", row->region, row->name);
    fprintf(fp, "  %d  ", row->year);
    er_fput_padded(fp, region, 18, false);
    er_fput_padded(fp, row->rule, width, false);
    fprintf(fp, " %s → %s", oname(row->a.outcome), oname(row->b.outcome));
    text_value(fp, "measured", row->a.has_measured, row->a.measured,
               row->b.has_measured, row->b.measured);
    text_value(fp, "required", row->a.has_required, row->a.required,
               row->b.has_required, row->b.required);
    if (row->a.has_amount || row->b.has_amount)
        fprintf(
            fp, "  amount %s → %s 元",
            row->a.has_amount ? er_fmt_fen(x, sizeof x, row->a.amount) : "—",
            row->b.has_amount ? er_fmt_fen(y, sizeof y, row->b.amount) : "—");
    if (row->unit && (row->a.has_measured || row->b.has_measured)) {
        fputs("  (", fp);
        er_term_put(fp, row->unit);
        fputc(')', fp);
    }
    fputc('\n', fp);
}

static void text_meta(FILE *fp, const struct run_meta *m)
{
    fprintf(fp, "  run %lld: %s · started %s · rules %.12s · data %.12s",
            (long long)m->id, m->years, m->started, m->rules_digest,
            m->data_digest);
    if (m->options) {
        fputs(" · ", fp);
        er_term_put(fp, m->options);
    }
    fputc('\n', fp);
}

/* ---- why: the rule files and data rows that differ ---------------------- */

static const char *file_change(const er_why_file *f)
{
    return !f->sha_a ? "added" : !f->sha_b ? "removed" : "changed";
}

static void count_files(const er_why *w, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = 0; i < w->nfiles; i++)
        n[!w->files[i].sha_a ? 1 : !w->files[i].sha_b ? 2 : 0]++;
}

/* "data version 3" or "no data version" for run `id`'s side k. */
static const char *version_words(char *buf, size_t size, const er_why *w,
                                 int k)
{
    if (!w->has_version[k])
        return "no data version";
    snprintf(buf, size, "data version %lld", (long long)w->version[k]);
    return buf;
}

/* What version v did, in words: "import fact corrections.csv (0 added, 1
 * replaced)"; for version 0, the rows stored before versioning. */
static const char *version_what(char *buf, size_t size,
                                const er_why_version *v)
{
    if (!v->table && !v->file)
        snprintf(buf, size, "%s", v->id == 0 ? "the data stored before "
                                               "versions were recorded"
                                             : "—");
    else
        snprintf(buf, size, "import %s %s (%ld added, %ld replaced)",
                 v->table ? v->table : "—", v->file ? v->file : "—",
                 v->added, v->replaced);
    return buf;
}

static void text_why(const struct compare *c, FILE *fp)
{
    const er_why *w = &c->why;
    size_t n[3];
    char x[48], y[48];
    count_files(w, n);
    fprintf(fp, "\nrule files: %zu changed, %zu added, %zu removed, %zu the "
                "same\n",
            n[0], n[1], n[2], w->files_same);
    int width = 8;
    for (size_t i = 0; i < w->nfiles; i++) {
        int d = er_display_width(w->files[i].path);
        if (d > width)
            width = d;
    }
    for (size_t i = 0; i < w->nfiles; i++) {
        const er_why_file *f = &w->files[i];
        fprintf(fp, "  %-8s ", file_change(f));
        er_fput_padded(fp, f->path, width, false);
        fprintf(fp, " %.12s → %.12s\n", f->sha_a ? f->sha_a : "—",
                f->sha_b ? f->sha_b : "—");
    }
    fprintf(fp, "\ndata: run %lld read %s, run %lld read %s",
            (long long)c->a.id, version_words(x, sizeof x, w, 0),
            (long long)c->b.id, version_words(y, sizeof y, w, 1));
    if (w->unlisted) {
        fputs(": ", fp);
        er_term_put(fp, w->unlisted);
        fputc('\n', fp);
        return;
    }
    fprintf(fp, ": %zu row%s differ%s", w->nrows, w->nrows == 1 ? "" : "s",
            w->nrows == 1 ? "s" : "");
    if (w->rows_filtered)
        fprintf(fp, " (and %zu outside the filter)", w->rows_filtered);
    fputc('\n', fp);
    for (size_t i = 0; i < w->nrows && i < ER_WHY_ROWS_SHOWN; i++) {
        const er_why_row *r = &w->rows[i];
        fputs("  ", fp);
        er_term_put(fp, r->table);
        fputc(' ', fp);
        er_term_put(fp, r->key);
        fputs("  ", fp);
        er_term_put(fp, r->before ? r->before : "(absent)");
        fputs(" → ", fp);
        er_term_put(fp, r->after ? r->after : "(absent)");
        fprintf(fp, "  (version %lld)\n", (long long)r->version);
    }
    if (w->nrows > ER_WHY_ROWS_SHOWN)
        fprintf(fp, "  … and %zu more (--format json lists every row)\n",
                w->nrows - ER_WHY_ROWS_SHOWN);
    for (size_t i = 0; i < w->nversions; i++) {
        const er_why_version *v = &w->versions[i];
        char what[512];
        fprintf(fp, "  version %lld: ", (long long)v->id);
        er_term_put(fp, v->at ? v->at : "—");
        fputs(" · ", fp);
        er_term_put(fp, v->user ? v->user : "—");
        fputs(" · ", fp);
        er_term_put(fp, version_what(what, sizeof what, v));
        fputc('\n', fp);
    }
}

static void md_cell(FILE *fp, const char *s);

static void md_why(const struct compare *c, FILE *fp)
{
    const er_why *w = &c->why;
    size_t n[3];
    char x[48], y[48];
    count_files(w, n);
    fprintf(fp, "\n## 规则文件 Rule files\n\n%zu changed, %zu added, %zu "
                "removed, %zu the same.\n",
            n[0], n[1], n[2], w->files_same);
    if (w->nfiles) {
        fputs("\n| change | path | SHA-256 before | SHA-256 after |\n"
              "|---|---|---|---|\n",
              fp);
        for (size_t i = 0; i < w->nfiles; i++) {
            const er_why_file *f = &w->files[i];
            fprintf(fp, "| %s | ", file_change(f));
            md_cell(fp, f->path);
            fprintf(fp, " | %s | %s |\n", f->sha_a ? f->sha_a : "—",
                    f->sha_b ? f->sha_b : "—");
        }
    }
    fprintf(fp, "\n## 数据 Data rows\n\nRun %lld read %s, run %lld read %s",
            (long long)c->a.id, version_words(x, sizeof x, w, 0),
            (long long)c->b.id, version_words(y, sizeof y, w, 1));
    if (w->unlisted) {
        fputs(": ", fp);
        md_cell(fp, w->unlisted);
        fputs(".\n", fp);
        return;
    }
    fprintf(fp, ": %zu row%s differ%s", w->nrows, w->nrows == 1 ? "" : "s",
            w->nrows == 1 ? "s" : "");
    if (w->rows_filtered)
        fprintf(fp, " (and %zu outside the filter)", w->rows_filtered);
    fputs(".\n", fp);
    if (w->nrows) {
        fputs("\n| table | key | before | after | version |\n"
              "|---|---|---|---|---:|\n",
              fp);
        for (size_t i = 0; i < w->nrows && i < ER_WHY_ROWS_SHOWN; i++) {
            const er_why_row *r = &w->rows[i];
            fputs("| ", fp);
            md_cell(fp, r->table);
            fputs(" | ", fp);
            md_cell(fp, r->key);
            fputs(" | ", fp);
            md_cell(fp, r->before ? r->before : "—");
            fputs(" | ", fp);
            md_cell(fp, r->after ? r->after : "—");
            fprintf(fp, " | %lld |\n", (long long)r->version);
        }
        if (w->nrows > ER_WHY_ROWS_SHOWN)
            fprintf(fp, "\n… and %zu more (`--format json` lists every "
                        "row).\n",
                    w->nrows - ER_WHY_ROWS_SHOWN);
    }
    if (w->nversions) {
        fputs("\n| version | at | user | what |\n|---:|---|---|---|\n", fp);
        for (size_t i = 0; i < w->nversions; i++) {
            const er_why_version *v = &w->versions[i];
            char what[512];
            fprintf(fp, "| %lld | ", (long long)v->id);
            md_cell(fp, v->at ? v->at : "—");
            fputs(" | ", fp);
            md_cell(fp, v->user ? v->user : "—");
            fputs(" | ", fp);
            md_cell(fp, version_what(what, sizeof what, v));
            fputs(" |\n", fp);
        }
    }
}

static void json_why(const struct compare *c, FILE *fp)
{
    const er_why *w = &c->why;
    fprintf(fp, "  \"rule_files\": {\"same\": %zu, \"differ\": [",
            w->files_same);
    for (size_t i = 0; i < w->nfiles; i++) {
        const er_why_file *f = &w->files[i];
        fprintf(fp, "%s\n    {\"change\": \"%s\", \"path\": ", i ? "," : "",
                file_change(f));
        er_json_put(fp, f->path);
        fputs(", \"sha256_before\": ", fp);
        er_json_put(fp, f->sha_a);
        fputs(", \"sha256_after\": ", fp);
        er_json_put(fp, f->sha_b);
        fputc('}', fp);
    }
    fputs("]},\n  \"data\": {\"version_before\": ", fp);
    for (int k = 0; k < 2; k++) {
        if (k)
            fputs(", \"version_after\": ", fp);
        if (w->has_version[k])
            fprintf(fp, "%lld", (long long)w->version[k]);
        else
            fputs("null", fp);
    }
    fputs(", \"unlisted\": ", fp);
    er_json_put(fp, w->unlisted);
    fprintf(fp, ", \"outside_filter\": %zu, \"rows\": [", w->rows_filtered);
    for (size_t i = 0; i < w->nrows; i++) {
        const er_why_row *r = &w->rows[i];
        fputs(i ? ",\n    {\"table\": " : "\n    {\"table\": ", fp);
        er_json_put(fp, r->table);
        fputs(", \"key\": ", fp);
        er_json_put(fp, r->key);
        fputs(", \"before\": ", fp);
        er_json_put(fp, r->before);
        fputs(", \"after\": ", fp);
        er_json_put(fp, r->after);
        fprintf(fp, ", \"version\": %lld}", (long long)r->version);
    }
    fputs("], \"versions\": [", fp);
    for (size_t i = 0; i < w->nversions; i++) {
        const er_why_version *v = &w->versions[i];
        fprintf(fp, "%s\n    {\"id\": %lld, \"at\": ", i ? "," : "",
                (long long)v->id);
        er_json_put(fp, v->at);
        fputs(", \"user\": ", fp);
        er_json_put(fp, v->user);
        fputs(", \"table\": ", fp);
        er_json_put(fp, v->table);
        fputs(", \"file\": ", fp);
        er_json_put(fp, v->file);
        fprintf(fp, ", \"added\": %ld, \"replaced\": %ld}", v->added,
                v->replaced);
    }
    fputs("]},\n", fp);
}

static void write_text(const struct compare *c, FILE *fp)
{
    char x[64], y[64], u[64], v[64];
    fprintf(fp, "compare run %lld → run %lld\n", (long long)c->a.id,
            (long long)c->b.id);
    text_meta(fp, &c->a);
    text_meta(fp, &c->b);
    fprintf(fp, "  cuts %s → %s 元 · allocations %s → %s 元\n\n",
            er_fmt_fen(x, sizeof x, c->a.cut),
            er_fmt_fen(y, sizeof y, c->b.cut),
            er_fmt_fen(u, sizeof u, c->a.allocation),
            er_fmt_fen(v, sizeof v, c->b.allocation));
    if (c->flt && c->flt->active) {
        fputs("filtered: ", fp);
        er_term_put(fp, c->flt->text);
        fputc('\n', fp);
    }
    fprintf(fp, "%ld changed, %ld added, %ld removed, %ld unchanged\n",
            c->stats.changed, c->stats.added, c->stats.removed, c->stats.same);
    if (c->outcome_only)
        fprintf(fp, "%ld finding%s changed only measured or required; "
                    "not listed\n",
                c->stats.value_only, c->stats.value_only == 1 ? "" : "s");
    text_why(c, fp);
    int width = 24; /* the widest rule id */
    for (size_t i = 0; i < c->n; i++) {
        int w = er_display_width(c->rows[i].rule);
        if (w > width)
            width = w;
    }
    size_t nt = 0;
    struct transition *t = transitions(c, &nt);
    if (t && nt) {
        fputs("\nby rule:\n", fp);
        for (size_t i = 0; i < nt; i++) {
            fputs("  ", fp);
            er_fput_padded(
                fp, i && strcmp(t[i - 1].rule, t[i].rule) == 0 ? "" : t[i].rule,
                width, false);
            fprintf(fp, " %s → %s  %ld\n", oname(t[i].from), oname(t[i].to),
                    t[i].count);
        }
    }
    for (int kind = CHANGED; kind <= REMOVED; kind++) {
        bool head = false;
        for (size_t i = 0; i < c->n; i++) {
            if (c->rows[i].kind != (enum change)kind)
                continue;
            if (!head)
                fprintf(fp, "\n%s:\n", change_names[kind]);
            head = true;
            text_row(fp, &c->rows[i], width);
        }
    }
    free(t);
}

static void md_cell(FILE *fp, const char *s)
{
    er_text_put(fp, ER_TEXT_MD, s);
}

static void write_md(const struct compare *c, FILE *fp)
{
    char a[64], b[64], d[64], e[64];
    fprintf(fp,
            "# 运行比较 compare run %lld → run %lld\n\n"
            "| | run %lld | run %lld |\n|---|---|---|\n",
            (long long)c->a.id, (long long)c->b.id, (long long)c->a.id,
            (long long)c->b.id);
    fprintf(fp,
            "| years | %s | %s |\n| started | %s | %s |\n"
            "| rules digest | %s | %s |\n| data digest | %s | %s |\n"
            "| options | ",
            c->a.years, c->b.years, c->a.started, c->b.started,
            c->a.rules_digest, c->b.rules_digest, c->a.data_digest,
            c->b.data_digest);
    md_cell(fp, c->a.options);
    fputs(" | ", fp);
    md_cell(fp, c->b.options);
    fprintf(
        fp, " |\n| cuts（元） | %s | %s |\n| allocations（元） | %s | %s |\n",
        er_fmt_fen(a, sizeof a, c->a.cut), er_fmt_fen(b, sizeof b, c->b.cut),
        er_fmt_fen(d, sizeof d, c->a.allocation),
        er_fmt_fen(e, sizeof e, c->b.allocation));
    if (c->flt && c->flt->active) {
        fputs("\n**筛选 filtered:** ", fp);
        md_cell(fp, c->flt->text);
        fputc('\n', fp);
    }
    fprintf(fp, "\n%ld changed, %ld added, %ld removed, %ld unchanged.\n",
            c->stats.changed, c->stats.added, c->stats.removed, c->stats.same);
    if (c->outcome_only)
        fprintf(fp, "\n%ld finding%s changed only measured or required; "
                    "not listed.\n",
                c->stats.value_only, c->stats.value_only == 1 ? "" : "s");
    md_why(c, fp);
    size_t nt = 0;
    struct transition *t = transitions(c, &nt);
    if (t && nt) {
        fputs("\n## 按规则 By rule\n\n| rule | transition | count |\n"
              "|---|---|---:|\n",
              fp);
        for (size_t i = 0; i < nt; i++) {
            fputs("| ", fp);
            md_cell(fp, t[i].rule);
            fprintf(fp, " | %s → %s | %ld |\n", oname(t[i].from),
                    oname(t[i].to), t[i].count);
        }
    }
    if (c->n) {
        fputs("\n## 变化的结果 Findings\n\n"
              "| change | year | region | rule | outcome | measured | "
              "required | amount（元） | unit |\n"
              "|---|---:|---|---|---|---:|---:|---:|---|\n",
              fp);
        for (size_t i = 0; i < c->n; i++) {
            const struct change_row *r = &c->rows[i];
            fprintf(fp, "| %s | %d | %s ", change_names[r->kind], r->year,
                    r->region);
            md_cell(fp, r->name);
            fputs(" | ", fp);
            md_cell(fp, r->rule);
            fprintf(fp, " | %s → %s | %s → %s | %s → %s | ",
                    oname(r->a.outcome), oname(r->b.outcome),
                    show_num(a, sizeof a, r->a.has_measured, r->a.measured),
                    show_num(b, sizeof b, r->b.has_measured, r->b.measured),
                    show_num(d, sizeof d, r->a.has_required, r->a.required),
                    show_num(e, sizeof e, r->b.has_required, r->b.required));
            if (r->a.has_amount || r->b.has_amount)
                fprintf(fp, "%s → %s",
                        r->a.has_amount ? er_fmt_fen(a, sizeof a, r->a.amount)
                                        : "—",
                        r->b.has_amount ? er_fmt_fen(b, sizeof b, r->b.amount)
                                        : "—");
            fputs(" | ", fp);
            md_cell(fp, r->unit);
            fputs(" |\n", fp);
        }
    }
    free(t);
}

static void json_side_num(FILE *fp, bool has, double v)
{
    char num[64];
    fputs(has ? er_fmt_exact(num, sizeof num, v) : "null", fp);
}

static void json_meta(FILE *fp, const char *key, const struct run_meta *m)
{
    char a[64], b[64];
    fprintf(fp, "  \"%s\": {\"id\": %lld, \"years\": ", key, (long long)m->id);
    er_json_put(fp, m->years);
    fputs(", \"started_at\": ", fp);
    er_json_put(fp, m->started);
    fputs(", \"rules_digest\": ", fp);
    er_json_put(fp, m->rules_digest);
    fputs(", \"data_digest\": ", fp);
    er_json_put(fp, m->data_digest);
    fputs(", \"options\": ", fp);
    er_json_put(fp, m->options);
    fprintf(fp,
            ", \"cut_fen\": %lld, \"allocation_fen\": %lld, \"cut_yuan\": "
            "%s, \"allocation_yuan\": %s},\n",
            (long long)m->cut, (long long)m->allocation,
            er_fmt_fen_plain(a, sizeof a, m->cut),
            er_fmt_fen_plain(b, sizeof b, m->allocation));
}

static void write_json(const struct compare *c, FILE *fp)
{
    char num[64];
    fputs("{\n", fp);
    json_meta(fp, "run_a", &c->a);
    json_meta(fp, "run_b", &c->b);
    fprintf(fp, "  \"filter\": %s,\n  \"listed\": \"%s\",\n",
            c->flt && c->flt->active ? c->flt->json : "null",
            c->outcome_only ? "outcome" : "any");
    json_why(c, fp);
    fprintf(fp,
            "  \"stats\": {\"changed\": %ld, \"added\": %ld, \"removed\": "
            "%ld, \"unchanged\": %ld, \"value_only\": %ld},\n"
            "  \"changes\": [",
            c->stats.changed, c->stats.added, c->stats.removed, c->stats.same,
            c->stats.value_only);
    for (size_t i = 0; i < c->n; i++) {
        const struct change_row *r = &c->rows[i];
        fprintf(fp, "%s\n    {\"change\": \"%s\", \"rule\": ", i ? "," : "",
                change_names[r->kind]);
        er_json_put(fp, r->rule);
        fputs(", \"region\": ", fp);
        er_json_put(fp, r->region);
        fputs(", \"region_name\": ", fp);
        er_json_put(fp, r->name);
        fprintf(fp, ", \"year\": %d", r->year);
        const struct side *sides[2] = {&r->a, &r->b};
        const char *when[2] = {"before", "after"};
        for (int k = 0; k < 2; k++) {
            const struct side *s = sides[k];
            fprintf(fp, ",\n     \"outcome_%s\": ", when[k]);
            if (s->outcome >= 0)
                fprintf(fp, "\"%s\"", oname(s->outcome));
            else
                fputs("null", fp);
            fprintf(fp, ", \"measured_%s\": ", when[k]);
            json_side_num(fp, s->has_measured, s->measured);
            fprintf(fp, ", \"required_%s\": ", when[k]);
            json_side_num(fp, s->has_required, s->required);
            fprintf(fp, ", \"amount_fen_%s\": ", when[k]);
            if (s->has_amount)
                fprintf(fp, "%lld", (long long)s->amount);
            else
                fputs("null", fp);
            fprintf(fp, ", \"amount_yuan_%s\": %s", when[k],
                    s->has_amount ? er_fmt_fen_plain(num, sizeof num, s->amount)
                                  : "null");
        }
        fputs(", \"unit\": ", fp);
        er_json_put(fp, r->unit);
        fputs("}", fp);
    }
    fputs("],\n  \"by_rule\": [", fp);
    size_t nt = 0;
    struct transition *t = transitions(c, &nt);
    for (size_t i = 0; t && i < nt; i++) {
        bool first = !i || strcmp(t[i - 1].rule, t[i].rule) != 0;
        if (first) {
            fprintf(fp, "%s\n    {\"rule\": ", i ? "]}," : "");
            er_json_put(fp, t[i].rule);
            fputs(", \"transitions\": [", fp);
        }
        fprintf(fp, "%s{\"from\": ", first ? "" : ", ");
        if (t[i].from >= 0)
            fprintf(fp, "\"%s\"", oname(t[i].from));
        else
            fputs("null", fp);
        fputs(", \"to\": ", fp);
        if (t[i].to >= 0)
            fprintf(fp, "\"%s\"", oname(t[i].to));
        else
            fputs("null", fp);
        fprintf(fp, ", \"count\": %ld}", t[i].count);
    }
    fputs(t && nt ? "]}]\n}\n" : "]\n}\n", fp);
    free(t);
}

static void write_csv(const struct compare *c, FILE *fp)
{
    char num[64];
    fputs("change,rule,region,region_name,year,outcome_before,outcome_after,"
          "measured_before,measured_after,required_before,required_after,"
          "amount_yuan_before,amount_yuan_after,unit\n",
          fp);
    for (size_t i = 0; i < c->n; i++) {
        const struct change_row *r = &c->rows[i];
        fprintf(fp, "%s,", change_names[r->kind]);
        er_csv_put(fp, r->rule);
        fputc(',', fp);
        er_csv_put(fp, r->region);
        fputc(',', fp);
        er_csv_put(fp, *r->name ? r->name : NULL);
        fprintf(fp, ",%d,%s,%s", r->year,
                r->a.outcome >= 0 ? oname(r->a.outcome) : "",
                r->b.outcome >= 0 ? oname(r->b.outcome) : "");
        const struct side *sides[2] = {&r->a, &r->b};
        for (int k = 0; k < 2; k++) {
            fputc(',', fp);
            if (sides[k]->has_measured)
                fputs(er_fmt_exact(num, sizeof num, sides[k]->measured), fp);
        }
        for (int k = 0; k < 2; k++) {
            fputc(',', fp);
            if (sides[k]->has_required)
                fputs(er_fmt_exact(num, sizeof num, sides[k]->required), fp);
        }
        for (int k = 0; k < 2; k++) {
            fputc(',', fp);
            if (sides[k]->has_amount)
                fputs(er_fmt_fen_plain(num, sizeof num, sides[k]->amount), fp);
        }
        fputc(',', fp);
        er_csv_put(fp, r->unit);
        fputc('\n', fp);
    }
}

int er_run_compare(er_db *db, int64_t run_a, int64_t run_b, er_format fmt,
                   FILE *fp, er_compare_stats *stats)
{
    return er_run_compare_filtered(db, run_a, run_b, NULL, ER_CHANGED_ANY,
                                   fmt, fp, stats);
}

int er_run_compare_filtered(er_db *db, int64_t run_a, int64_t run_b,
                            const er_report_filter *filter, int changed,
                            er_format fmt, FILE *fp, er_compare_stats *stats)
{
    struct compare c;
    er_rep_filter flt;
    int rc;

    assert(db && fp);
    memset(&c, 0, sizeof c);
    memset(&flt, 0, sizeof flt);
    if (stats)
        memset(stats, 0, sizeof *stats);
    c.outcome_only = changed == ER_CHANGED_OUTCOME;
    c.flt = &flt;
    int64_t runs[2] = {run_a, run_b};
    if ((rc = load_meta(db, run_a, NULL, &c.a)) != ER_OK ||
        (rc = load_meta(db, run_b, NULL, &c.b)) != ER_OK ||
        (rc = er_rep_filter_resolve(db, runs, 2, filter, &flt)) != ER_OK ||
        (rc = narrow_to_common(db, run_a, run_b, &flt)) != ER_OK ||
        (rc = er_rep_filter_none_match(db, runs, 2, &flt)) != ER_OK)
        goto done;
    if (flt.active) { /* the totals of the findings compared */
        er_run_summary sum;
        if ((rc = er_run_summarize_filtered(db, run_a, &flt, &sum)) != ER_OK)
            goto done;
        c.a.cut = sum.cut_fen;
        c.a.allocation = sum.allocation_fen;
        if ((rc = er_run_summarize_filtered(db, run_b, &flt, &sum)) != ER_OK)
            goto done;
        c.b.cut = sum.cut_fen;
        c.b.allocation = sum.allocation_fen;
    }
    if ((rc = load_changes(db, &c)) != ER_OK)
        goto done;
    /* the CSV is the table of findings; the HTML page reads its own */
    if (fmt != ER_FORMAT_CSV && fmt != ER_FORMAT_HTML &&
        (rc = er_why_load(db, run_a, run_b, flt.active ? &flt : NULL,
                          &c.why)) != ER_OK)
        goto done;
    switch (fmt) {
    case ER_FORMAT_TEXT:
        write_text(&c, fp);
        break;
    case ER_FORMAT_MD:
        write_md(&c, fp);
        break;
    case ER_FORMAT_JSON:
        write_json(&c, fp);
        break;
    case ER_FORMAT_CSV:
        write_csv(&c, fp);
        break;
    case ER_FORMAT_HTML: {
        er_compare_stats hs;
        if (c.outcome_only) {
            rc = er_fail(ER_EUSAGE, "--changed outcome lists in text, md, "
                                    "json or csv; the HTML page shows every "
                                    "change");
            break;
        }
        rc = er_compare_html(db, run_a, run_b, flt.active ? &flt : NULL, fp,
                             &hs);
        if (rc == ER_OK && (hs.changed != c.stats.changed ||
                            hs.added != c.stats.added ||
                            hs.removed != c.stats.removed))
            rc = er_fail(ER_ERROR,
                         "the HTML comparison counted %ld changed, %ld "
                         "added, %ld removed findings where the runs hold "
                         "%ld, %ld, %ld",
                         hs.changed, hs.added, hs.removed, c.stats.changed,
                         c.stats.added, c.stats.removed);
        break;
    }
    default:
        rc = er_fail(ER_EUSAGE, "compare writes text, md, json, csv or html");
        goto done;
    }
    if (rc != ER_OK || (rc = er_check_written(fp, "compare")) != ER_OK)
        goto done;
    if (stats)
        *stats = c.stats;
done:
    compare_free(&c);
    er_rep_filter_free(&flt);
    return rc;
}
