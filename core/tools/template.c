/*
 * template.c - what data the rules need, for an administrator to collect:
 * `equirule template` writes the fact CSV the selected rules read (one
 * row per region, year and metric, the value filled where the database
 * has it), and `template --list` what each rule reads (metrics, standards,
 * items), which docs/administrators.md carries.
 *
 * What a rule reads is found by evaluating it, not by reading its source:
 * on lint's synthetic province (lint_synth.c), where every read finds a
 * value, recording each read as (metric, level of the region read, year
 * relative to the year evaluated); then, with a database, on the real
 * regions and years, recording each read exactly. The synthetic reads are
 * expanded to every region of the level read, in every year the rule is
 * in force in. The evaluations run in a supervised child and store
 * nothing. What this cannot see: a branch that neither the synthetic
 * province (every zone, tiers 1 to 3, every read answered) nor the real
 * data takes, and what a rule reads with r:sql (said on the summary).
 */
#include "tools.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Record kinds, the first byte of each record ("F\x1f..."). */
#define REC_FACT 'F'     /* rule, metric, level read, year delta */
#define REC_EXACT 'X'    /* rule, region code, year, metric */
#define REC_STANDARD 'S' /* rule, key, scope (-1 binding) */
#define REC_SHARE 'H'    /* rule, item, level read */
#define REC_TRANSFER 'T' /* rule, item, level read */
#define REC_SQL 'Q'      /* rule */
#define REC_ERROR 'E'    /* rule: its synthetic evaluation raised an error */

typedef struct reads {
    const er_ruleset *rs;
    er_strmap recs; /* the records, interned */
    bool exact;     /* evaluating on the real data */
    bool oom;
} reads;

static void record(reads *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void record(reads *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        return; /* a key no catalog holds (import caps key lengths) */
    if (er_strmap_intern(&r->recs, buf) < 0)
        r->oom = true;
}

/* The trace hook: every read of every evaluation, found or not. */
static void on_read(void *ctx, const er_eval *ev, const er_trace_event *e)
{
    reads *r = ctx;
    const char *rule = ev->rs->rules[ev->rule].info.id;
    if (e->kind == ER_TRACE_SQL) {
        record(r, "%c\x1f%s", REC_SQL, rule);
        return;
    }
    if (!e->key || e->region < 0 || e->region >= ev->snap->nregions)
        return;
    const er_region *g = &ev->snap->regions[e->region];
    switch (e->kind) {
    case ER_TRACE_FACT:
    case ER_TRACE_HAS:
        if (r->exact)
            record(r, "%c\x1f%s\x1f%s\x1f%d\x1f%s", REC_EXACT, rule, g->code,
                   (int)e->year, e->key);
        else
            record(r, "%c\x1f%s\x1f%s\x1f%d\x1f%d", REC_FACT, rule, e->key,
                   (int)g->level, (int)(e->year - ev->year));
        break;
    case ER_TRACE_STANDARD:
        record(r, "%c\x1f%s\x1f%s\x1f%d", REC_STANDARD, rule, e->key,
               e->scope);
        break;
    case ER_TRACE_SHARE:
        record(r, "%c\x1f%s\x1f%s\x1f%d", REC_SHARE, rule, e->key,
               (int)g->level);
        break;
    case ER_TRACE_TRANSFER:
        record(r, "%c\x1f%s\x1f%s\x1f%d", REC_TRANSFER, rule, e->key,
               (int)g->level);
        break;
    default:
        break;
    }
}

/* The synthetic evaluation's findings: an `error` one means the reads
 * after the error are not seen. */
static void synth_finding(void *ctx, const er_finding *f, const er_region *g)
{
    reads *r = ctx;
    (void)g;
    if (f->outcome == ER_ERROR_OUTCOME)
        record(r, "%c\x1f%s", REC_ERROR, r->rs->rules[f->rule].info.id);
}

static int ignore_finding(void *ctx, const er_finding *f)
{
    (void)ctx;
    (void)f;
    return ER_OK;
}

/* What the supervised child needs. */
typedef struct reads_job {
    er_ruleset *rs;
    const bool *sel;       /* the rules, with those they need */
    const char *dbpath;    /* NULL: no database */
    const er_snapshot *snap; /* the real data, or NULL */
    int year_from, year_to;
    reads r;
} reads_job;

/* In a supervised child: the synthetic evaluation, then the real one,
 * and the records sent back, each ending in a NUL. */
static int reads_child(void *ctx, er_child *child)
{
    reads_job *j = ctx;
    er_ruleset *rs = j->rs;
    er_trace_hook hook = {on_read, &j->r};
    sqlite3 *catalog = NULL;
    int cut = 0, rc;
    if (j->dbpath && sqlite3_open_v2(j->dbpath, &catalog,
                                     SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(catalog);
        catalog = NULL;
    }
    j->r.exact = false;
    j->r.rs = rs;
    rc = er_lint_synthetic(rs, catalog, j->sel, &hook, synth_finding, &j->r,
                           &cut);
    sqlite3_close(catalog);
    if (rc == ER_OK && j->snap) {
        er_selection s = {.year_from = j->year_from, .year_to = j->year_to,
                          .rules = j->sel, .region = -1};
        j->r.exact = true;
        rs->trace = &hook;
        rc = er_engine_evaluate(rs, j->snap, j->dbpath, &s, ignore_finding,
                                NULL, NULL);
        rs->trace = NULL;
    }
    if (rc != ER_OK)
        return rc;
    if (j->r.oom)
        return er_fail(ER_ENOMEM, "out of memory");
    er_buf b;
    er_buf_init(&b);
    for (size_t i = 0; i < j->r.recs.count; i++) {
        const char *k = er_strmap_key(&j->r.recs, (int32_t)i);
        er_buf_add(&b, k, strlen(k) + 1);
    }
    rc = er_buf_status(&b);
    if (rc == ER_OK)
        rc = er_child_send(child, b.data, b.len);
    er_buf_free(&b);
    return rc;
}

/* ---- the selection ------------------------------------------------------- */

static bool in_force(const er_rule *r, int year)
{
    return (!r->info.year_from || year >= r->info.year_from) &&
           (!r->info.year_to || year <= r->info.year_to);
}

/* Marks the rules of the departments asked (all when none), and the
 * rules they need; ER_EUSAGE for a department no rule belongs to. */
static int select_rules(const er_ruleset *rs, const char *const *depts,
                        bool *sel)
{
    for (size_t d = 0; depts && depts[d]; d++) {
        bool any = false;
        for (size_t i = 0; i < rs->nrules; i++)
            any = any || strcmp(rs->rules[i].info.department, depts[d]) == 0;
        if (!any)
            return er_fail(ER_EUSAGE, "no rule of department '%s' in %s",
                           depts[d], rs->dir);
    }
    for (size_t i = 0; i < rs->nrules; i++) {
        sel[i] = !depts || !depts[0];
        for (size_t d = 0; !sel[i] && depts && depts[d]; d++)
            sel[i] = strcmp(rs->rules[i].info.department, depts[d]) == 0;
    }
    for (size_t i = rs->nrules; i-- > 0;)
        if (sel[i])
            for (int32_t k = 0; k < rs->rules[i].nneeds; k++)
                sel[rs->rules[i].needs[k]] = true;
    return ER_OK;
}

/* The fields of a record (at most n), split in place at \x1f. */
static size_t split(char *rec, char **f, size_t n)
{
    size_t k = 0;
    f[k++] = rec;
    for (char *p = rec; *p && k < n; p++)
        if (*p == '\x1f') {
            *p = '\0';
            f[k++] = p + 1;
        }
    return k;
}

/* Evaluates (supervised) and collects the records into `out`. A rule
 * whose evaluation hangs or crashes is reported on `warn` and left out,
 * and the evaluation runs again without it. */
static int collect(er_db *db, er_ruleset *rs, bool *sel,
                   const er_snapshot *snap, int from, int to,
                   er_strmap *out, FILE *warn, long *dropped)
{
    int rc = db ? er_db_suspend(db) : ER_OK;
    for (size_t round = 0; rc == ER_OK && round <= rs->nrules; round++) {
        reads_job job = {rs, sel, db ? db->path : NULL, snap, from, to,
                         {.exact = false}};
        er_strmap_init(&job.r.recs);
        er_buf got;
        er_buf_init(&got);
        er_stopped st;
        rc = er_supervise(reads_child, &job, &rs->sb, &got, &st);
        er_strmap_free(&job.r.recs);
        if (rc == ER_OK) {
            for (size_t off = 0; off < got.len;) {
                const char *k = got.data + off;
                size_t n = strnlen(k, got.len - off);
                if (off + n == got.len)
                    break; /* cut short: not a record */
                if (er_strmap_intern(out, k) < 0) {
                    rc = er_fail(ER_ENOMEM, "out of memory");
                    break;
                }
                off += n + 1;
            }
            er_buf_free(&got);
            break;
        }
        er_buf_free(&got);
        if (!st.stopped || st.key < 0 || (size_t)st.key >= rs->nrules ||
            !sel[st.key])
            break;
        fprintf(warn, "equirule: rule %s: %s: what it reads is not listed\n",
                rs->rules[st.key].info.id, er_errmsg());
        sel[st.key] = false;
        (*dropped)++;
        rc = ER_OK;
    }
    int rc2 = db ? er_db_resume(db) : ER_OK;
    return rc != ER_OK ? rc : rc2;
}

/* ---- the CSV ------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the row key "CODE\x1fYEAR\x1fMETRIC" (CODE six digits, YEAR four:
 * the keys sort as region, year, metric). */
static int add_row(er_strmap *rows, const char *code, int year,
                   const char *metric)
{
    char k[512];
    if (year < 1000 || year > 9999 ||
        (size_t)snprintf(k, sizeof k, "%s\x1f%04d\x1f%s", code, year,
                         metric) >= sizeof k)
        return ER_OK;
    return er_strmap_intern(rows, k) < 0 ? er_fail(ER_ENOMEM, "out of memory")
                                         : ER_OK;
}

/* The text of column 0 of a one-row query, or NULL; borrowed until the
 * statement is reset. */
static const char *text0(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? NULL
               : (const char *)sqlite3_column_text(st, col);
}

static void put_field(FILE *fp, const char *s, bool last)
{
    if (s)
        er_csv_put(fp, s);
    fputc(last ? '\n' : ',', fp);
}

/* Writes the rows, sorted, with the values the database has; counts the
 * filled rows and the metrics the catalog lacks. */
/* Whether region g's value of metric m in `year` comes, or will come, from
 * its children by a roll-up: the metric sums, g has children and stores no
 * value of its own, and each child has a value (stored or derived) or a
 * row of the template, or is itself covered this way. */
static bool rolled_up(const er_snapshot *snap, const er_strmap *rows,
                      int32_t g, int year, int32_t m, const char *metric,
                      int depth)
{
    const er_region *r = &snap->regions[g];
    if (depth > 16 || !er_snapshot_sums(snap, m) || r->child_count == 0)
        return false;
    double v = er_snapshot_fact(snap, g, year, m);
    if (v == v && !er_snapshot_derived(snap, g, year, m))
        return false; /* stored: the row shows it filled */
    for (int32_t k = 0; k < r->child_count; k++) {
        int32_t c = snap->children[r->child_off + k];
        char key[512];
        double cv = er_snapshot_fact(snap, c, year, m);
        snprintf(key, sizeof key, "%s\x1f%04d\x1f%s", snap->regions[c].code,
                 year, metric);
        if (cv != cv && er_strmap_find(rows, key) < 0 &&
            !rolled_up(snap, rows, c, year, m, metric, depth + 1))
            return false;
    }
    return true;
}

/* Drops the rows of parents whose value is the sum of their children's
 * (roll-ups): the children's rows are the ones to fill; *dropped counts
 * them. Then keeps only the rows of regions of `level` (-1: every level):
 * after the roll-ups, so that a parent's row is left out at its level as
 * in the whole template. */
static int drop_rolled_up(const er_snapshot *snap, er_strmap *rows, int level,
                          long *dropped)
{
    er_strmap kept;
    int rc = ER_OK;
    er_strmap_init(&kept);
    *dropped = 0;
    for (size_t i = 0; rc == ER_OK && i < rows->count; i++) {
        const char *k = er_strmap_key(rows, (int32_t)i);
        char code[8];
        memcpy(code, k, 6);
        code[6] = '\0';
        int year = atoi(k + 7);
        const char *metric = k + 12;
        int32_t g = er_snapshot_region(snap, code);
        int32_t m = er_strmap_find(&snap->metrics, metric);
        if (g >= 0 && m >= 0 && rolled_up(snap, rows, g, year, m, metric, 0)) {
            if (level < 0 || snap->regions[g].level == level)
                (*dropped)++;
        } else if (level >= 0 && (g < 0 || snap->regions[g].level != level)) {
            continue;
        } else if (er_strmap_intern(&kept, k) < 0)
            rc = er_fail(ER_ENOMEM, "out of memory");
    }
    if (rc == ER_OK) {
        er_strmap_free(rows);
        *rows = kept;
    } else {
        er_strmap_free(&kept);
    }
    return rc;
}

static int write_csv(er_db *db, const er_snapshot *snap, er_strmap *rows,
                     FILE *fp, long *filled_out, er_strmap *unknown)
{
    sqlite3_stmt *fact = NULL, *metric = NULL;
    const char **keys = NULL;
    int rc = ER_OK;
    *filled_out = 0;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT value, source FROM fact WHERE region = ? "
                           "AND year = ? AND metric = ?",
                           -1, &fact, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db->db,
                           "SELECT name, unit FROM metric WHERE key = ?", -1,
                           &metric, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "reading the facts");
        goto done;
    }
    if (rows->count && !(keys = malloc(rows->count * sizeof *keys))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < rows->count; i++)
        keys[i] = er_strmap_key(rows, (int32_t)i);
    if (rows->count > 1)
        qsort(keys, rows->count, sizeof *keys, cmp_str);
    fputs("region,year,metric,value,source,region_name,metric_name,unit\n",
          fp);
    for (size_t i = 0; i < rows->count; i++) {
        char code[8], num[64];
        const char *metric_key = keys[i] + 12; /* after "CODE\x1fYEAR\x1f" */
        int year = atoi(keys[i] + 7);
        memcpy(code, keys[i], 6);
        code[6] = '\0';
        int32_t g = er_snapshot_region(snap, code);
        fprintf(fp, "%s,%d,", code, year);
        put_field(fp, metric_key, false);
        sqlite3_reset(fact);
        sqlite3_bind_text(fact, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_int(fact, 2, year);
        sqlite3_bind_text(fact, 3, metric_key, -1, SQLITE_STATIC);
        if (sqlite3_step(fact) == SQLITE_ROW) {
            if (sqlite3_column_type(fact, 0) == SQLITE_INTEGER)
                snprintf(num, sizeof num, "%lld",
                         (long long)sqlite3_column_int64(fact, 0));
            else
                er_fmt_exact(num, sizeof num, sqlite3_column_double(fact, 0));
            put_field(fp, num, false);
            put_field(fp, text0(fact, 1), false);
            (*filled_out)++;
        } else {
            fputs(",,", fp);
        }
        put_field(fp, g >= 0 ? snap->regions[g].name : NULL, false);
        sqlite3_reset(metric);
        sqlite3_bind_text(metric, 1, metric_key, -1, SQLITE_STATIC);
        if (sqlite3_step(metric) == SQLITE_ROW) {
            put_field(fp, text0(metric, 0), false);
            put_field(fp, text0(metric, 1), true);
        } else {
            fputs(",\n", fp);
            if (er_strmap_intern(unknown, metric_key) < 0) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
        }
    }
    if (ferror(fp))
        rc = er_fail(ER_ERROR, "cannot write the template: %s",
                     strerror(errno));
done:
    sqlite3_finalize(fact);
    sqlite3_finalize(metric);
    free(keys);
    return rc;
}

/* ---- what the database lacks besides facts ------------------------------- */

/* Prints, on `fp`, the standards, shares and transfers the selected
 * rules read that the database does not hold in the years asked. */
static int write_lacking(er_db *db, const er_ruleset *rs, const bool *sel,
                         const er_snapshot *snap, er_strmap *recs, int from,
                         int to, FILE *fp, long *lacking_out)
{
    sqlite3_stmt *paid = NULL;
    long lacking = 0;
    int rc = ER_OK;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT count(*) FROM transfer t JOIN region g ON "
                           "g.code = t.region WHERE t.item = ? AND t.year = ? "
                           "AND g.level = ?",
                           -1, &paid, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "reading the transfers");
        goto done;
    }
    er_strmap said;
    er_strmap_init(&said);
    for (size_t i = 0; rc == ER_OK && i < recs->count; i++) {
        char rec[512], *f[5];
        snprintf(rec, sizeof rec, "%s", er_strmap_key(recs, (int32_t)i));
        size_t nf = split(rec, f, 5);
        int32_t ri = nf >= 2 ? er_ruleset_find(rs, f[1]) : -1;
        if (ri < 0 || !sel[ri] || nf < 4)
            continue;
        const er_rule *rule = &rs->rules[ri];
        int arg = atoi(f[3]);
        for (int y = from; y <= to; y++) {
            if (!in_force(rule, y))
                continue;
            char line[640] = "";
            if (f[0][0] == REC_STANDARD && arg != ER_SCOPE_LOCAL) {
                int32_t k = er_strmap_find(&snap->std_keys, f[2]);
                bool nat = k >= 0 && er_snapshot_standard(
                                         snap, k, ER_SCOPE_NATIONAL, 0, y);
                bool prov = k >= 0 && er_snapshot_standard(
                                          snap, k, ER_SCOPE_PROVINCIAL, 0, y);
                bool ok = arg == ER_SCOPE_NATIONAL     ? nat
                          : arg == ER_SCOPE_PROVINCIAL ? prov
                                                       : nat || prov;
                if (!ok)
                    snprintf(line, sizeof line,
                             "standard %s%s%s: none in force in %d",
                             f[2], arg >= 0 ? " " : "",
                             arg >= 0 ? er_scope_names[arg] : "", y);
            } else if (f[0][0] == REC_SHARE && arg >= 0 &&
                       arg < ER_LEVEL_COUNT) {
                int32_t item = er_strmap_find(&snap->items, f[2]);
                for (int32_t k = 0; k < snap->level_count[arg]; k++) {
                    int32_t tier = snap->regions[snap->by_level[arg][k]].tier;
                    double v;
                    if (tier == INT32_MIN ||
                        (item >= 0 && er_snapshot_share(snap, item, tier, y,
                                                        &v)))
                        continue;
                    snprintf(line, sizeof line,
                             "share %s: none for tier %d in %d", f[2],
                             (int)tier, y);
                    if (er_strmap_intern(&said, line) < 0)
                        rc = er_fail(ER_ENOMEM, "out of memory");
                }
                line[0] = '\0';
            } else if (f[0][0] == REC_TRANSFER && arg >= 0 &&
                       arg < ER_LEVEL_COUNT) {
                sqlite3_reset(paid);
                sqlite3_bind_text(paid, 1, f[2], -1, SQLITE_TRANSIENT);
                sqlite3_bind_int(paid, 2, y);
                sqlite3_bind_text(paid, 3, er_level_names[arg], -1,
                                  SQLITE_STATIC);
                long n = sqlite3_step(paid) == SQLITE_ROW
                             ? (long)sqlite3_column_int64(paid, 0)
                             : 0;
                long all = snap->level_count[arg];
                if (n < all)
                    snprintf(line, sizeof line,
                             "transfer %s: %ld of %ld %s regions have no row "
                             "in %d (read as 0)",
                             f[2], all - n, all, er_level_names[arg], y);
            }
            if (line[0] && er_strmap_intern(&said, line) < 0)
                rc = er_fail(ER_ENOMEM, "out of memory");
        }
    }
    /* sorted: by kind, key, then year or tier */
    const char **lines = NULL;
    if (rc == ER_OK && said.count &&
        !(lines = malloc(said.count * sizeof *lines)))
        rc = er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; rc == ER_OK && i < said.count; i++)
        lines[i] = er_strmap_key(&said, (int32_t)i);
    if (rc == ER_OK && said.count > 1)
        qsort(lines, said.count, sizeof *lines, cmp_str);
    for (size_t i = 0; rc == ER_OK && i < said.count; i++)
        fprintf(fp, "  %s\n", lines[i]);
    if (rc == ER_OK)
        lacking = (long)said.count;
    free(lines);
    er_strmap_free(&said);
done:
    sqlite3_finalize(paid);
    *lacking_out = lacking;
    return rc;
}

/* ---- the listing ----------------------------------------------------------- */

/* The reads of one rule, for the listing. */
typedef struct listing {
    er_buf facts, standards, items;
} listing;

/* Appends `key` as code (Markdown) or as it is (text). */
static void key_text(er_buf *b, const char *key, bool md)
{
    er_buf_puts(b, md ? "`" : "");
    er_text_add(b, md ? ER_TEXT_MD : ER_TEXT_LINES, key);
    er_buf_puts(b, md ? "`" : "");
}

/* "`pop.resident` 常住人口（人）": the key, with the catalog's name and
 * unit when `metric` (may be NULL) finds them. */
static void metric_label(er_buf *b, sqlite3_stmt *metric, const char *key,
                         bool md)
{
    key_text(b, key, md);
    if (!metric)
        return;
    sqlite3_reset(metric);
    sqlite3_bind_text(metric, 1, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(metric) != SQLITE_ROW)
        return;
    const char *name = text0(metric, 0), *unit = text0(metric, 1);
    er_text_kind kind = md ? ER_TEXT_MD : ER_TEXT_LINES;
    if (name) {
        er_buf_puts(b, " ");
        er_text_add(b, kind, name);
    }
    if (unit) {
        er_buf_puts(b, "（");
        er_text_add(b, kind, unit);
        er_buf_puts(b, "）");
    }
}

/* Writes, per department, each selected rule with what it reads. */
static int write_list(er_db *db, const er_ruleset *rs, const bool *sel,
                      er_strmap *recs, FILE *fp, er_format fmt)
{
    bool md = fmt == ER_FORMAT_MD;
    sqlite3_stmt *metric = NULL;
    const char **keys = NULL;
    er_buf b;
    er_buf_init(&b);
    int rc = ER_OK;
    if (db && sqlite3_prepare_v2(db->db,
                                 "SELECT name, unit FROM metric WHERE key = ?",
                                 -1, &metric, NULL) != SQLITE_OK)
        metric = NULL; /* names are shown when the catalog can be read */
    if (recs->count && !(keys = malloc(recs->count * sizeof *keys))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    size_t nkeys = 0;
    for (size_t i = 0; i < recs->count; i++) {
        const char *k = er_strmap_key(recs, (int32_t)i);
        if (k[0] != REC_EXACT)
            keys[nkeys++] = k;
    }
    if (nkeys > 1)
        qsort(keys, nkeys, sizeof *keys, cmp_str);
    /* rules by department, then id */
    const char *dept = NULL;
    size_t *order = malloc((rs->nrules + 1) * sizeof *order);
    if (!order) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    size_t nr = 0;
    for (size_t i = 0; i < rs->nrules; i++)
        if (sel[i])
            order[nr++] = i;
    for (size_t i = 1; i < nr; i++)
        for (size_t j = i; j > 0 &&
                           strcmp(rs->rules[order[j]].info.id,
                                  rs->rules[order[j - 1]].info.id) < 0;
             j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t n = 0; n < nr; n++) {
        const er_rule *rule = &rs->rules[order[n]];
        if (!dept || strcmp(dept, rule->info.department) != 0) {
            dept = rule->info.department;
            if (md)
                fprintf(fp, "%s#### %s\n\n| rule | level | facts (metrics) | "
                            "standards | shares and transfers |\n"
                            "| --- | --- | --- | --- | --- |\n",
                        n ? "\n" : "", dept);
            else
                fprintf(fp, "%s%s\n", n ? "\n" : "", dept);
        }
        listing l;
        er_buf_init(&l.facts);
        er_buf_init(&l.standards);
        er_buf_init(&l.items);
        const char *sep = md ? "; " : "\n               ";
        /* records sort by kind, rule, key: one rule's reads of one key
         * are adjacent */
        char last_metric[256] = "";
        bool sql = false;
        er_buf variants; /* of the metric being listed */
        er_buf_init(&variants);
        bool plain = false;
        for (size_t i = 0; i <= nkeys; i++) {
            char rec[512] = "", *f[5];
            if (i < nkeys)
                snprintf(rec, sizeof rec, "%s", keys[i]);
            size_t nf = split(rec, f, 5);
            bool fact = i < nkeys && f[0][0] == REC_FACT && nf == 5 &&
                        strcmp(f[1], rule->info.id) == 0;
            if (last_metric[0] && (!fact || strcmp(last_metric, f[2]) != 0)) {
                /* the metric before: [Y; Y-1; county Y] when it is read
                 * other than in the region itself in the year evaluated */
                er_buf_puts(&l.facts, l.facts.len ? sep : "");
                metric_label(&l.facts, metric, last_metric, md);
                if (variants.len)
                    er_buf_printf(&l.facts, " [%s%s]", plain ? "Y; " : "",
                                  variants.data);
                last_metric[0] = '\0';
                variants.len = 0;
                plain = false;
            }
            if (i == nkeys || nf < 2 || strcmp(f[1], rule->info.id) != 0)
                continue;
            if (f[0][0] == REC_SQL) {
                sql = true;
            } else if (fact) {
                int level = atoi(f[3]), delta = atoi(f[4]);
                snprintf(last_metric, sizeof last_metric, "%s", f[2]);
                bool own = level >= 0 && level < ER_LEVEL_COUNT &&
                           (rule->levels & (1u << level));
                if (own && delta == 0) {
                    plain = true;
                    continue;
                }
                er_buf_printf(&variants, "%s%s%s", variants.len ? "; " : "",
                              !own && level >= 0 && level < ER_LEVEL_COUNT
                                  ? er_level_names[level]
                                  : "",
                              !own ? " " : "");
                if (delta)
                    er_buf_printf(&variants, "Y%+d", delta);
                else
                    er_buf_puts(&variants, "Y");
            } else if (f[0][0] == REC_STANDARD && nf == 4) {
                int scope = atoi(f[3]);
                er_buf_puts(&l.standards, l.standards.len ? sep : "");
                key_text(&l.standards, f[2], md);
                if (scope >= 0 && scope < ER_SCOPE_COUNT)
                    er_buf_printf(&l.standards, " (%s only)",
                                  er_scope_names[scope]);
            } else if ((f[0][0] == REC_SHARE || f[0][0] == REC_TRANSFER) &&
                       nf == 4) {
                /* read on a region of another level (a county rule reading
                   its city's share or transfer): named, so that the list
                   does not repeat the same item */
                int level = atoi(f[3]);
                bool own = level >= 0 && level < ER_LEVEL_COUNT &&
                           (rule->levels & (1u << level));
                er_buf_printf(&l.items, "%s%s ", l.items.len ? sep : "",
                              f[0][0] == REC_SHARE ? "share" : "transfer");
                key_text(&l.items, f[2], md);
                if (!own && level >= 0 && level < ER_LEVEL_COUNT)
                    er_buf_printf(&l.items, " (%s)", er_level_names[level]);
            }
        }
        rc = er_buf_status(&variants);
        er_buf_free(&variants);
        if (sql)
            er_buf_printf(&l.facts, "%s(and what its r:sql queries read)",
                          l.facts.len ? sep : "");
        if (rc == ER_OK && (rc = er_buf_status(&l.facts)) == ER_OK &&
            (rc = er_buf_status(&l.standards)) == ER_OK)
            rc = er_buf_status(&l.items);
        if (rc == ER_OK && md) {
            fprintf(fp, "| `%s` | %s | ", rule->info.id, rule->info.level);
            fputs(l.facts.len ? l.facts.data : "—", fp);
            fputs(" | ", fp);
            fputs(l.standards.len ? l.standards.data : "—", fp);
            fputs(" | ", fp);
            fputs(l.items.len ? l.items.data : "—", fp);
            fputs(" |\n", fp);
        } else if (rc == ER_OK) {
            fprintf(fp, "  %s (%s)\n    facts:     ", rule->info.id,
                    rule->info.level);
            fputs(l.facts.len ? l.facts.data : "-", fp);
            fputs("\n    standards: ", fp);
            fputs(l.standards.len ? l.standards.data : "-", fp);
            fputs("\n    items:     ", fp);
            fputs(l.items.len ? l.items.data : "-", fp);
            fputc('\n', fp);
        }
        er_buf_free(&l.facts);
        er_buf_free(&l.standards);
        er_buf_free(&l.items);
        if (rc != ER_OK)
            break;
    }
    free(order);
done:
    sqlite3_finalize(metric);
    free(keys);
    er_buf_free(&b);
    return rc;
}

/* Says, on `fp`, which selected rules raised an error on the synthetic
 * province (what they read after it is not seen); returns how many. */
static long said_errors(const er_ruleset *rs, const bool *sel,
                        const er_strmap *recs, FILE *fp)
{
    long n = 0;
    for (size_t i = 0; i < recs->count; i++) {
        const char *k = er_strmap_key(recs, (int32_t)i);
        int32_t ri = k[0] == REC_ERROR ? er_ruleset_find(rs, k + 2) : -1;
        if (ri < 0 || !sel[ri])
            continue;
        fprintf(fp, "equirule: rule %s raised an error on lint's synthetic "
                    "province: what it reads after the error is not listed "
                    "(see equirule lint)\n",
                k + 2);
        n++;
    }
    return n;
}

/* ---- the command ----------------------------------------------------------- */

int er_template(er_db *db, er_ruleset *rs, const er_template_opts *opts,
                FILE *fp, FILE *info, er_template_stats *stats)
{
    er_snapshot *snap = NULL;
    bool *sel = NULL;
    er_strmap recs, rows, unknown;
    er_strmap_init(&recs);
    er_strmap_init(&rows);
    er_strmap_init(&unknown);
    int level = -1, from = opts->year_from, to = opts->year_to;
    int rc = ER_OK;
    er_template_stats st = {0};

    assert(rs && fp && info && (db || opts->list));
    if (rs->nrules == 0) {
        rc = er_fail(ER_ERULE, "%s: no rule loaded", rs->dir);
        goto done;
    }
    if (opts->level && (level = er_level_parse(opts->level)) < 0) {
        rc = er_fail(ER_EUSAGE,
                     "unknown level '%s': province, city or county",
                     opts->level);
        goto done;
    }
    if (!(sel = calloc(rs->nrules + 1, sizeof *sel))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = select_rules(rs, opts->depts, sel)) != ER_OK)
        goto done;
    if (level >= 0 && opts->list)
        for (size_t i = 0; i < rs->nrules; i++)
            sel[i] = sel[i] && (rs->rules[i].levels & (1u << level));

    if (opts->list) {
        if ((rc = collect(NULL, rs, sel, NULL, 0, 0, &recs, info,
                          &st.dropped)) == ER_OK)
            rc = write_list(db, rs, sel, &recs, fp, opts->format);
        st.dropped += said_errors(rs, sel, &recs, info);
        goto done;
    }

    if ((rc = er_snapshot_load(db->db, &snap)) != ER_OK)
        goto done;
    if (!from) {
        from = to = snap->data_year_max;
        if (!from) {
            rc = er_fail(ER_EUSAGE,
                         "%s holds no facts: give the years the template is "
                         "for (--year Y or --years A-B)",
                         db->path);
            goto done;
        }
    }
    if (!to)
        to = from;
    if (from > to || from < 1949 || to > 2100) {
        rc = er_fail(ER_EUSAGE, "bad years %d-%d: 1949 to 2100, A <= B", from,
                     to);
        goto done;
    }
    if ((rc = collect(db, rs, sel, snap, from, to, &recs, info,
                       &st.dropped)) != ER_OK)
        goto done;
    st.dropped += said_errors(rs, sel, &recs, info);

    /* the rows: the synthetic reads over every region of the level read,
     * in each year the rule is in force in; the exact reads as they are */
    for (size_t i = 0; rc == ER_OK && i < recs.count; i++) {
        char rec[512], *f[5];
        snprintf(rec, sizeof rec, "%s", er_strmap_key(&recs, (int32_t)i));
        size_t nf = split(rec, f, 5);
        int32_t ri = nf >= 2 ? er_ruleset_find(rs, f[1]) : -1;
        if (ri < 0 || !sel[ri] || nf != 5)
            continue;
        if (f[0][0] == REC_EXACT) {
            int32_t g = er_snapshot_region(snap, f[2]);
            int year = atoi(f[3]);
            if (g >= 0 && year >= from - 100 && year <= to)
                rc = add_row(&rows, f[2], year, f[4]);
        } else if (f[0][0] == REC_FACT) {
            int lv = atoi(f[3]), delta = atoi(f[4]);
            if (lv < 0 || lv >= ER_LEVEL_COUNT)
                continue;
            for (int y = from; rc == ER_OK && y <= to; y++) {
                if (!in_force(&rs->rules[ri], y))
                    continue;
                for (int32_t k = 0; rc == ER_OK && k < snap->level_count[lv];
                     k++)
                    rc = add_row(&rows,
                                 snap->regions[snap->by_level[lv][k]].code,
                                 y + delta, f[2]);
            }
        }
    }
    for (size_t i = 0; rc == ER_OK && i < recs.count; i++) {
        const char *k = er_strmap_key(&recs, (int32_t)i);
        if (k[0] != REC_SQL)
            continue;
        int32_t ri = er_ruleset_find(rs, k + 2);
        if (ri >= 0 && sel[ri])
            fprintf(info, "equirule: rule %s reads with r:sql: what its "
                          "queries read is not in the template\n",
                    k + 2);
    }
    if (rc != ER_OK)
        goto done;
    long rolled = 0;
    if ((rc = drop_rolled_up(snap, &rows, level, &rolled)) != ER_OK ||
        (rc = write_csv(db, snap, &rows, fp, &st.filled, &unknown)) != ER_OK)
        goto done;
    if (rolled)
        fprintf(info, "template: %ld row%s of parent regions left out: their "
                      "values are the sums of their children's rows "
                      "(roll-ups)\n",
                rolled, rolled == 1 ? "" : "s");
    st.rows = (long)rows.count;
    for (size_t i = 0; i < unknown.count; i++)
        fprintf(info, "equirule: metric %s is not in the metric catalog: "
                      "import it (import metric) before the facts\n",
                er_strmap_key(&unknown, (int32_t)i));
    char years[16];
    if (from == to)
        snprintf(years, sizeof years, "%d", from);
    else
        snprintf(years, sizeof years, "%d-%d", from, to);
    fprintf(info, "template: %ld row%s for %s, %ld filled from the "
                  "database, %ld to fill\n",
            st.rows, st.rows == 1 ? "" : "s", years, st.filled,
            st.rows - st.filled);
    fputs("what else the rules read that the database lacks:\n", info);
    rc = write_lacking(db, rs, sel, snap, &recs, from, to, info, &st.lacking);
    if (rc == ER_OK && !st.lacking)
        fputs("  nothing: every standard, share and transfer is there\n",
              info);
done:
    if (stats)
        *stats = st;
    er_strmap_free(&recs);
    er_strmap_free(&rows);
    er_strmap_free(&unknown);
    free(sel);
    er_snapshot_free(snap);
    return rc;
}
