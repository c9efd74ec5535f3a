/*
 * gaps.c - what a run (or an evaluation that is not stored, for `check`)
 * could not check: assessed coverage per rule and year, the rules that
 * assessed nothing in a year with why, and the data gaps grouped by what
 * was lacking ("pop.resident: 3 regions, 2019 (云浮市, 潮州市, 汕尾市)").
 * It holds the counts and gap rows it is given (er_gapset) and writes
 * these sections in every output format; it neither evaluates nor reads
 * stored runs (the report layer fills a set from run_count and run_gap,
 * the engine from an evaluation). Names of regions and metrics are read
 * from the data tables of the database it is given, when there is one.
 */
#include "store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Regions named in one gap before "and N more". */
#define GAP_NAMED 8
/* Missing keys named in the reason of a rule that assessed nothing. */
#define REASON_KEYS 3

void er_gapset_init(er_gapset *gs)
{
    memset(gs, 0, sizeof *gs);
    er_strmap_init(&gs->names);
}

void er_gapset_free(er_gapset *gs)
{
    if (!gs)
        return;
    er_strmap_free(&gs->names);
    free(gs->tallies);
    free(gs->rows);
    memset(gs, 0, sizeof *gs);
}

static void *grow(void *items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return items;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = realloc(items, c * size);
    if (p)
        *cap = c;
    return p;
}

static int32_t name_id(er_gapset *gs, const char *s)
{
    return er_strmap_intern(&gs->names, s ? s : "");
}

const char *er_gapset_name(const er_gapset *gs, int32_t id)
{
    return er_strmap_key(&gs->names, id);
}

int er_gapset_count(er_gapset *gs, const char *rule, int year, int outcome,
                    long n)
{
    if (outcome < 0 || outcome >= ER_OUTCOME_COUNT)
        return ER_OK;
    int32_t r = name_id(gs, rule);
    if (r < 0)
        return er_fail(ER_ENOMEM, "out of memory");
    /* latest first: findings come by rule and year */
    for (size_t i = gs->ntallies; i-- > 0;) {
        if (gs->tallies[i].rule == r && gs->tallies[i].year == year) {
            gs->tallies[i].n[outcome] += n;
            return ER_OK;
        }
    }
    er_gap_tally *t =
        grow(gs->tallies, &gs->tcap, gs->ntallies, sizeof *gs->tallies);
    if (!t)
        return er_fail(ER_ENOMEM, "out of memory");
    gs->tallies = t;
    t = &gs->tallies[gs->ntallies++];
    memset(t, 0, sizeof *t);
    t->rule = r;
    t->year = year;
    t->n[outcome] = n;
    return ER_OK;
}

int er_gapset_add(er_gapset *gs, const char *rule, const char *region,
                  int year, int kind, const char *key,
                  const char *data_region, int data_year)
{
    if (kind <= ER_GAP_NONE || kind >= ER_GAP_KIND_COUNT || !key)
        return ER_OK;
    er_gap_row *p = grow(gs->rows, &gs->rcap, gs->nrows, sizeof *gs->rows);
    if (!p)
        return er_fail(ER_ENOMEM, "out of memory");
    gs->rows = p;
    er_gap_row row = {.rule = name_id(gs, rule),
                      .region = name_id(gs, region),
                      .key = name_id(gs, key),
                      .data_region = name_id(gs, data_region ? data_region
                                                             : region),
                      .year = year,
                      .data_year = data_year ? data_year : year,
                      .kind = (uint8_t)kind};
    if (row.rule < 0 || row.region < 0 || row.key < 0 || row.data_region < 0)
        return er_fail(ER_ENOMEM, "out of memory");
    gs->rows[gs->nrows++] = row;
    return ER_OK;
}

bool er_outcome_is_assessed(int outcome)
{
    return outcome >= 0 && outcome < ER_OUTCOME_COUNT &&
           (ER_OUTCOMES_ASSESSED & ER_OUTCOME_BIT(outcome));
}

long er_counts_assessed(const long counts[ER_OUTCOME_COUNT])
{
    long n = 0;
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        if (er_outcome_is_assessed(o))
            n += counts[o];
    return n;
}

void er_gapset_totals(const er_gapset *gs, long counts[ER_OUTCOME_COUNT])
{
    memset(counts, 0, sizeof(long) * ER_OUTCOME_COUNT);
    for (size_t i = 0; i < gs->ntallies; i++)
        for (int o = 0; o < ER_OUTCOME_COUNT; o++)
            counts[o] += gs->tallies[i].n[o];
}

/* ---- the analysis ----------------------------------------------------------- */

/* One group of gaps: one kind of data, one key, one year. */
typedef struct group {
    int kind;
    int32_t key;
    int data_year;
    size_t first, n; /* rows[first .. first + n) of the sorted copy */
    size_t nfindings; /* distinct findings (a finding may lack a key for
                         several regions) */
    size_t nregions; /* distinct data regions */
    size_t nrules;   /* distinct rules */
} group;

typedef struct analysis {
    const er_gapset *gs;
    er_gap_row *rows; /* sorted by kind, key, data year, data region */
    group *groups;    /* by findings, most first */
    size_t ngroups;
    size_t *unassessed; /* tallies that assessed nothing, by year, rule */
    size_t nunassessed;
    long counts[ER_OUTCOME_COUNT];
    long missing; /* distinct findings with a gap other than a standard */
} analysis;

static const er_gapset *sort_gs;

static int cmp_row(const void *pa, const void *pb)
{
    const er_gap_row *a = pa, *b = pb;
    const er_gapset *gs = sort_gs;
    if (a->kind != b->kind)
        return a->kind - b->kind;
    int c = strcmp(er_gapset_name(gs, a->key), er_gapset_name(gs, b->key));
    if (c)
        return c;
    if (a->data_year != b->data_year)
        return a->data_year - b->data_year;
    if ((c = strcmp(er_gapset_name(gs, a->data_region),
                    er_gapset_name(gs, b->data_region))))
        return c;
    return strcmp(er_gapset_name(gs, a->rule), er_gapset_name(gs, b->rule));
}

/* A finding, as the rows of its gaps name it. */
typedef struct fkey {
    int32_t rule, region, year;
} fkey;

static int cmp_fkey(const void *pa, const void *pb)
{
    const fkey *a = pa, *b = pb;
    if (a->rule != b->rule)
        return a->rule < b->rule ? -1 : 1;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    return (a->year > b->year) - (a->year < b->year);
}

/* The distinct findings among rows[0 .. n) (all kinds, or all but
 * standards); tmp has room for n. */
static size_t distinct_findings(const er_gap_row *rows, size_t n, fkey *tmp,
                                bool but_standards)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!but_standards || rows[i].kind != ER_GAP_STANDARD)
            tmp[m++] = (fkey){rows[i].rule, rows[i].region, rows[i].year};
    if (m > 1)
        qsort(tmp, m, sizeof *tmp, cmp_fkey);
    size_t d = 0;
    for (size_t i = 0; i < m; i++)
        if (i == 0 || cmp_fkey(&tmp[i], &tmp[i - 1]) != 0)
            d++;
    return d;
}

static int cmp_group(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind - b->kind;
    if (a->nfindings != b->nfindings)
        return a->nfindings > b->nfindings ? -1 : 1;
    int c = strcmp(er_gapset_name(sort_gs, a->key),
                   er_gapset_name(sort_gs, b->key));
    return c ? c : a->data_year - b->data_year;
}

static int cmp_tally(const void *pa, const void *pb)
{
    const er_gap_tally *a = &sort_gs->tallies[*(const size_t *)pa];
    const er_gap_tally *b = &sort_gs->tallies[*(const size_t *)pb];
    if (a->year != b->year)
        return a->year - b->year;
    return strcmp(er_gapset_name(sort_gs, a->rule),
                  er_gapset_name(sort_gs, b->rule));
}

static void analysis_free(analysis *a)
{
    free(a->rows);
    free(a->groups);
    free(a->unassessed);
}

static int cmp_id(const void *pa, const void *pb)
{
    int32_t x = *(const int32_t *)pa, y = *(const int32_t *)pb;
    return (x > y) - (x < y);
}

static int analyze(const er_gapset *gs, analysis *a)
{
    int32_t *rules = NULL; /* the rules of one group */
    fkey *keys = NULL;     /* the findings of one group */
    memset(a, 0, sizeof *a);
    a->gs = gs;
    er_gapset_totals(gs, a->counts);
    if (gs->nrows) {
        a->rows = malloc(gs->nrows * sizeof *a->rows);
        a->groups = malloc(gs->nrows * sizeof *a->groups);
        if (!a->rows || !a->groups)
            goto oom;
        memcpy(a->rows, gs->rows, gs->nrows * sizeof *a->rows);
        if (!(rules = malloc(gs->nrows * sizeof *rules)) ||
            !(keys = malloc(gs->nrows * sizeof *keys)))
            goto oom;
        a->missing = (long)distinct_findings(gs->rows, gs->nrows, keys, true);
        sort_gs = gs;
        qsort(a->rows, gs->nrows, sizeof *a->rows, cmp_row);
    }
    for (size_t i = 0; i < gs->nrows;) {
        group *g = &a->groups[a->ngroups++];
        const er_gap_row *r = &a->rows[i];
        *g = (group){.kind = r->kind, .key = r->key,
                     .data_year = r->data_year, .first = i};
        size_t j = i;
        while (j < gs->nrows && a->rows[j].kind == r->kind &&
               a->rows[j].key == r->key && a->rows[j].data_year == r->data_year)
            j++;
        g->n = j - i;
        g->nfindings = distinct_findings(&a->rows[i], g->n, keys, false);
        for (size_t k = i; k < j; k++) {
            if (k == i || a->rows[k].data_region != a->rows[k - 1].data_region)
                g->nregions++;
            rules[k - i] = a->rows[k].rule;
        }
        qsort(rules, g->n, sizeof *rules, cmp_id);
        for (size_t k = 0; k < g->n; k++)
            if (k == 0 || rules[k] != rules[k - 1])
                g->nrules++;
        i = j;
    }
    if (a->ngroups) {
        sort_gs = gs;
        qsort(a->groups, a->ngroups, sizeof *a->groups, cmp_group);
    }
    if (gs->ntallies &&
        !(a->unassessed = malloc(gs->ntallies * sizeof *a->unassessed)))
        goto oom;
    for (size_t i = 0; i < gs->ntallies; i++)
        if (er_counts_assessed(gs->tallies[i].n) == 0)
            a->unassessed[a->nunassessed++] = i;
    if (a->nunassessed) {
        sort_gs = gs;
        qsort(a->unassessed, a->nunassessed, sizeof *a->unassessed,
              cmp_tally);
    }
    free(rules);
    free(keys);
    return ER_OK;
oom:
    free(rules);
    free(keys);
    analysis_free(a);
    return er_fail(ER_ENOMEM, "out of memory");
}

/* ---- names from the data ------------------------------------------------------- */

typedef struct namer {
    sqlite3 *db;
    sqlite3_stmt *region, *metric;
    char buf[256];
} namer;

/* The name column of `code` in the table `st` reads, or NULL. Borrowed
 * until the next call. */
static const char *lookup(namer *nm, sqlite3_stmt **st, const char *sql,
                          const char *key)
{
    if (!nm->db)
        return NULL;
    if (!*st && sqlite3_prepare_v2(nm->db, sql, -1, st, NULL) != SQLITE_OK)
        return NULL; /* a database without the table: codes only */
    sqlite3_reset(*st);
    sqlite3_bind_text(*st, 1, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(*st) != SQLITE_ROW ||
        sqlite3_column_type(*st, 0) == SQLITE_NULL)
        return NULL;
    snprintf(nm->buf, sizeof nm->buf, "%s", sqlite3_column_text(*st, 0));
    return nm->buf;
}

static const char *region_name(namer *nm, const char *code)
{
    return lookup(nm, &nm->region, "SELECT name FROM region WHERE code = ?",
                  code);
}

static const char *metric_name(namer *nm, const char *key)
{
    return lookup(nm, &nm->metric, "SELECT name FROM metric WHERE key = ?",
                  key);
}

static void namer_free(namer *nm)
{
    sqlite3_finalize(nm->region);
    sqlite3_finalize(nm->metric);
}

/* ---- the texts ---------------------------------------------------------------- */

/* "pop.resident（常住人口）", "share health.x", "standard health.x". */
static void key_label(er_buf *b, namer *nm, const er_gapset *gs,
                      const group *g)
{
    const char *key = er_gapset_name(gs, g->key);
    if (g->kind == ER_GAP_FACT) {
        er_buf_puts(b, key);
        const char *name = metric_name(nm, key);
        if (name)
            er_buf_printf(b, "（%s）", name);
    } else if (g->kind == ER_GAP_SHARE) {
        er_buf_printf(b, "share %s（省级分担比例）", key);
    } else if (g->kind == ER_GAP_TRANSFER) {
        er_buf_printf(b, "transfer %s（转移支付）", key);
    } else if (g->kind == ER_GAP_SPLIT) {
        er_buf_printf(b, "split %s（市县分担比例）", key);
    } else {
        er_buf_printf(b, "standard %s（标准）", key);
    }
}

/* "3 regions, 2019 (云浮市, 潮州市, 汕尾市)". */
static void group_text(er_buf *b, namer *nm, const analysis *a,
                       const group *g)
{
    const er_gapset *gs = a->gs;
    if (g->kind == ER_GAP_STANDARD)
        er_buf_printf(b, "none in force in %d (本年度无标准) for %zu region%s",
                      g->data_year, g->nregions, g->nregions == 1 ? "" : "s");
    else
        er_buf_printf(b, "%zu region%s, %d", g->nregions,
                      g->nregions == 1 ? "" : "s", g->data_year);
    er_buf_puts(b, " (");
    size_t named = 0;
    for (size_t k = g->first; k < g->first + g->n; k++) {
        if (k > g->first && a->rows[k].data_region == a->rows[k - 1].data_region)
            continue;
        if (named == GAP_NAMED) {
            er_buf_printf(b, " and %zu more", g->nregions - named);
            break;
        }
        const char *code = er_gapset_name(gs, a->rows[k].data_region);
        const char *name = region_name(nm, code);
        er_buf_printf(b, "%s%s", named ? ", " : "", name ? name : code);
        named++;
    }
    er_buf_printf(b, "): %zu finding%s of %zu rule%s %s", g->nfindings,
                  g->nfindings == 1 ? "" : "s", g->nrules, g->nrules == 1 ? "" : "s",
                  g->kind == ER_GAP_STANDARD ? "skip" : "missing");
}

/* The two cells of group g's row into b (emptied first): its key label,
 * a NUL, then its text; the text starts at the returned offset. Check
 * er_buf_status(b) before reading. */
static size_t group_cells(er_buf *b, namer *nm, const analysis *a,
                          const group *g)
{
    b->len = 0;
    key_label(b, nm, a->gs, g);
    er_buf_add(b, "", 1);
    size_t text = b->len;
    group_text(b, nm, a, g);
    return text;
}

/* Why rule-year tally `t` assessed nothing, in Chinese with the English
 * beside it. */
static void reason_text(er_buf *b, namer *nm, const analysis *a,
                        const er_gap_tally *t)
{
    const er_gapset *gs = a->gs;
    if (t->n[ER_MISSING]) {
        /* the keys this rule lacked in this year, most findings first */
        /* n counts findings: the rows of one finding are adjacent, and
         * it may lack a key for several regions */
        struct { int32_t key; int kind; long n; int32_t last; } top[16];
        size_t ntop = 0;
        for (size_t i = 0; i < gs->nrows; i++) {
            const er_gap_row *r = &gs->rows[i];
            if (r->rule != t->rule || r->year != t->year ||
                r->kind == ER_GAP_STANDARD)
                continue;
            size_t k = 0;
            while (k < ntop && (top[k].key != r->key || top[k].kind != r->kind))
                k++;
            if (k == ntop) {
                if (ntop == ER_ARRAY_LEN(top))
                    continue;
                top[ntop].key = r->key;
                top[ntop].kind = r->kind;
                top[ntop].last = -1;
                top[ntop++].n = 0;
            }
            if (top[k].last != r->region)
                top[k].n++;
            top[k].last = r->region;
        }
        for (size_t i = 1; i < ntop; i++)
            for (size_t j = i; j > 0 && top[j].n > top[j - 1].n; j--) {
                __typeof__(top[0]) x = top[j];
                top[j] = top[j - 1];
                top[j - 1] = x;
            }
        er_buf_puts(b, "缺数据 (missing data)");
        for (size_t i = 0; i < ntop && i < REASON_KEYS; i++) {
            const char *key = er_gapset_name(gs, top[i].key);
            const char *name =
                top[i].kind == ER_GAP_FACT ? metric_name(nm, key) : NULL;
            er_buf_printf(b, "%s%s%s%s%s%s ×%ld", i ? ", " : ": ",
                          top[i].kind == ER_GAP_SHARE      ? "share "
                          : top[i].kind == ER_GAP_TRANSFER ? "transfer "
                          : top[i].kind == ER_GAP_SPLIT    ? "split "
                                                           : "",
                          key,
                          name ? "（" : "", name ? name : "",
                          name ? "）" : "", top[i].n);
        }
        if (ntop > REASON_KEYS)
            er_buf_printf(b, " and %zu more", ntop - REASON_KEYS);
    } else if (t->year == 0) {
        er_buf_puts(b, "未评估：没有评估 (no evaluation: no region of its "
                       "level, or not in effect in the run's years)");
    } else if (t->n[ER_SKIP] && !t->n[ER_ERROR_OUTCOME]) {
        const char *std = NULL;
        for (size_t i = 0; i < gs->nrows && !std; i++)
            if (gs->rows[i].rule == t->rule && gs->rows[i].year == t->year &&
                gs->rows[i].kind == ER_GAP_STANDARD)
                std = er_gapset_name(gs, gs->rows[i].key);
        if (std)
            er_buf_printf(b, "未评估：本年度无标准 (no standard in force: %s)",
                          std);
        else
            er_buf_puts(b, "未评估：全部不适用 (every evaluation skipped)");
    } else {
        er_buf_puts(b, "未评估：全部出错 (every evaluation raised an error)");
    }
    er_buf_puts(b, " —");
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        if (t->n[o])
            er_buf_printf(b, " %ld %s", t->n[o],
                          er_outcome_name((er_outcome)o));
}

static const char *pct(char *buf, size_t size, long part, long whole)
{
    if (!whole)
        snprintf(buf, size, "—");
    else
        snprintf(buf, size, "%.1f%%",
                 floor((double)part * 1000.0 / (double)whole) / 10.0);
    return buf;
}

/* ---- writing ------------------------------------------------------------------ */

static void put(FILE *fp, er_format fmt, const char *s)
{
    er_text_put(fp,
                fmt == ER_FORMAT_JSON   ? ER_TEXT_JSON
                : fmt == ER_FORMAT_HTML ? ER_TEXT_HTML
                : fmt == ER_FORMAT_MD   ? ER_TEXT_MD
                : fmt == ER_FORMAT_CSV  ? ER_TEXT_CSV
                                        : ER_TEXT_TERM,
                s);
}

static int write_text(const analysis *a, namer *nm, FILE *fp, er_format fmt,
                      unsigned what)
{
    const er_gapset *gs = a->gs;
    long total = 0, assessed = er_counts_assessed(a->counts);
    char p[32];
    er_buf b;
    er_buf_init(&b);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        total += a->counts[o];
    bool md = fmt == ER_FORMAT_MD;

    const char *red = (what & ER_GAPS_COLOR) && !md ? "\033[31m" : "";
    const char *plain = *red ? "\033[0m" : "";
    if (what & ER_GAPS_COVERAGE) {
        fprintf(fp, md ? "\n**Assessed (已评估)**: %ld of %ld findings (%s)"
                       : "\nassessed (已评估) %ld of %ld findings (%s)",
                assessed, total, pct(p, sizeof p, assessed, total));
        if (assessed < total) {
            fputs("; not assessed:", fp);
            const char *sep = " ";
            for (int o = 0; o < ER_OUTCOME_COUNT; o++)
                if (!er_outcome_is_assessed(o) && a->counts[o]) {
                    fprintf(fp, "%s%ld %s", sep, a->counts[o],
                            er_outcome_name((er_outcome)o));
                    sep = ", ";
                }
        }
        fputc('\n', fp);
        if (!assessed && md)
            fputs("\n**No evaluation was assessed** (没有任何评估得出结论): "
                  "every finding is skip, missing or error.\n",
                  fp);
        else if (!assessed)
            fprintf(fp, "%sno evaluation was assessed (没有任何评估得出结论): "
                        "every finding is skip, missing or error%s\n",
                    red, plain);
    }

    if ((what & ER_GAPS_UNASSESSED) && a->nunassessed) {
        if (md)
            fputs("\n### 未评估 (not assessed)\n\n"
                  "| 年度 | 规则 | 原因 |\n| --- | --- | --- |\n",
                  fp);
        else
            fprintf(fp, "\n%snot assessed (未评估): %zu rule-year%s assessed "
                        "nothing%s\n",
                    red, a->nunassessed, a->nunassessed == 1 ? "" : "s",
                    plain);
        for (size_t i = 0; i < a->nunassessed; i++) {
            const er_gap_tally *t = &gs->tallies[a->unassessed[i]];
            b.len = 0;
            reason_text(&b, nm, a, t);
            if (er_buf_status(&b) != ER_OK)
                goto oom;
            if (md) {
                if (t->year)
                    fprintf(fp, "| %d | ", t->year);
                else
                    fputs("| — | ", fp);
                put(fp, fmt, er_gapset_name(gs, t->rule));
                fputs(" | ", fp);
                put(fp, fmt, b.data);
                fputs(" |\n", fp);
            } else {
                if (t->year)
                    fprintf(fp, "  %d  ", t->year);
                else
                    fputs("  ----  ", fp);
                er_fput_padded(fp, er_gapset_name(gs, t->rule), 40, false);
                fputc(' ', fp);
                put(fp, fmt, b.data);
                fputc('\n', fp);
            }
        }
    }

    if ((what & ER_GAPS_DATA) && a->ngroups) {
        long missing = a->missing;
        size_t keys[ER_GAP_KIND_COUNT] = {0};
        for (size_t i = 0; i < a->ngroups; i++) {
            if (a->groups[i].kind == ER_GAP_STANDARD)
                continue;
            bool seen = false; /* groups of a key are not adjacent */
            for (size_t k = 0; k < i && !seen; k++)
                seen = a->groups[k].key == a->groups[i].key &&
                       a->groups[k].kind == a->groups[i].kind;
            if (!seen)
                keys[a->groups[i].kind]++;
        }
        if (md)
            fprintf(fp, "\n### 数据缺口 (data gaps)\n\n");
        else
            fprintf(fp, "\ndata gaps (数据缺口):");
        if (missing) {
            fprintf(fp, "%s%ld missing finding%s lack ", md ? "" : " ",
                    missing, missing == 1 ? "" : "s");
            static const struct { int kind; const char *what; } kinds[] = {
                {ER_GAP_FACT, "metric"},
                {ER_GAP_SHARE, "provincial share"},
                {ER_GAP_TRANSFER, "transfer"},
                {ER_GAP_SPLIT, "city-county split"}};
            int said = 0;
            for (size_t k = 0; k < ER_ARRAY_LEN(kinds); k++) {
                size_t n = keys[kinds[k].kind];
                if (!n)
                    continue;
                fprintf(fp, "%s%zu %s%s", said++ ? " and " : "", n,
                        kinds[k].what, n == 1 ? "" : "s");
            }
            if (!said)
                fputs("no recorded data", fp);
            fputs(md ? ".\n\n" : "\n", fp);
        } else {
            fputs("\n", fp);
        }
        if (md)
            fputs("| 缺什么 (what) | 缺口 (where) |\n| --- | --- |\n", fp);
        for (size_t i = 0; i < a->ngroups; i++) {
            size_t label_end = group_cells(&b, nm, a, &a->groups[i]);
            if (er_buf_status(&b) != ER_OK)
                goto oom;
            if (md) {
                fputs("| ", fp);
                put(fp, fmt, b.data);
                fputs(" | ", fp);
                put(fp, fmt, b.data + label_end);
                fputs(" |\n", fp);
            } else {
                fputs("  ", fp);
                put(fp, fmt, b.data);
                fputs(": ", fp);
                put(fp, fmt, b.data + label_end);
                fputc('\n', fp);
            }
        }
    }
    er_buf_free(&b);
    return ER_OK;
oom:
    er_buf_free(&b);
    return er_fail(ER_ENOMEM, "out of memory");
}

static int write_json(const analysis *a, namer *nm, FILE *fp)
{
    const er_gapset *gs = a->gs;
    long total = 0, assessed = er_counts_assessed(a->counts);
    er_buf b;
    er_buf_init(&b);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        total += a->counts[o];
    fprintf(fp, "{\"findings\": %ld, \"assessed\": %ld, \"assessed_share\": ",
            total, assessed);
    if (total)
        fprintf(fp, "%.6g", (double)assessed / (double)total);
    else
        fputs("null", fp);
    fputs(", \"rules\": [", fp);
    for (size_t i = 0; i < gs->ntallies; i++) {
        const er_gap_tally *t = &gs->tallies[i];
        fprintf(fp, "%s{\"rule\": ", i ? ", " : "");
        er_json_put(fp, er_gapset_name(gs, t->rule));
        if (t->year)
            fprintf(fp, ", \"year\": %d", t->year);
        else
            fputs(", \"year\": null", fp);
        fprintf(fp, ", \"assessed\": %ld, \"counts\": {",
                er_counts_assessed(t->n));
        for (int o = 0; o < ER_OUTCOME_COUNT; o++)
            fprintf(fp, "%s\"%s\": %ld", o ? ", " : "",
                    er_outcome_name((er_outcome)o), t->n[o]);
        fputs("}}", fp);
    }
    fputs("], \"not_assessed\": [", fp);
    for (size_t i = 0; i < a->nunassessed; i++) {
        const er_gap_tally *t = &gs->tallies[a->unassessed[i]];
        b.len = 0;
        reason_text(&b, nm, a, t);
        if (er_buf_status(&b) != ER_OK)
            goto oom;
        fprintf(fp, "%s{\"rule\": ", i ? ", " : "");
        er_json_put(fp, er_gapset_name(gs, t->rule));
        if (t->year)
            fprintf(fp, ", \"year\": %d, \"reason\": ", t->year);
        else
            fputs(", \"year\": null, \"reason\": ", fp);
        er_json_put(fp, b.data);
        fputs("}", fp);
    }
    fputs("], \"gaps\": [", fp);
    for (size_t i = 0; i < a->ngroups; i++) {
        const group *g = &a->groups[i];
        const char *key = er_gapset_name(gs, g->key);
        fprintf(fp, "%s{\"kind\": \"%s\", \"key\": ", i ? ", " : "",
                er_gap_kind_name(g->kind));
        er_json_put(fp, key);
        fputs(", \"name\": ", fp);
        er_json_put(fp, g->kind == ER_GAP_FACT ? metric_name(nm, key) : NULL);
        fprintf(fp, ", \"year\": %d, \"findings\": %zu, \"rules\": %zu, "
                    "\"regions\": [",
                g->data_year, g->nfindings, g->nrules);
        size_t named = 0;
        for (size_t k = g->first; k < g->first + g->n; k++) {
            if (k > g->first &&
                a->rows[k].data_region == a->rows[k - 1].data_region)
                continue;
            const char *code = er_gapset_name(gs, a->rows[k].data_region);
            fprintf(fp, "%s{\"code\": ", named++ ? ", " : "");
            er_json_put(fp, code);
            fputs(", \"name\": ", fp);
            er_json_put(fp, region_name(nm, code));
            fputs("}", fp);
        }
        fputs("]}", fp);
    }
    fputs("]}", fp);
    er_buf_free(&b);
    return ER_OK;
oom:
    er_buf_free(&b);
    return er_fail(ER_ENOMEM, "out of memory");
}

static int write_html(const analysis *a, namer *nm, FILE *fp, unsigned what)
{
    const er_gapset *gs = a->gs;
    er_buf b;
    er_buf_init(&b);
    if ((what & ER_GAPS_UNASSESSED)) {
        fputs("<section id=\"not-assessed\">\n<h2>未评估 <span "
              "class=\"en\">Not assessed</span></h2>\n",
              fp);
        if (!a->nunassessed)
            fputs("<p>每条规则在每个年度都至少评估了一个地区。 Every rule "
                  "assessed at least one region in every year.</p>\n",
                  fp);
        else
            fputs("<table><thead><tr><th>年度</th><th>规则</th><th>原因 "
                  "(why)</th></tr></thead><tbody>\n",
                  fp);
        for (size_t i = 0; i < a->nunassessed; i++) {
            const er_gap_tally *t = &gs->tallies[a->unassessed[i]];
            b.len = 0;
            reason_text(&b, nm, a, t);
            if (er_buf_status(&b) != ER_OK)
                goto oom;
            if (t->year)
                fprintf(fp, "<tr class=\"not-assessed\"><td>%d</td><td>",
                        t->year);
            else
                fputs("<tr class=\"not-assessed\"><td>—</td><td>", fp);
            er_html_put(fp, er_gapset_name(gs, t->rule));
            fputs("</td><td>", fp);
            er_html_put(fp, b.data);
            fputs("</td></tr>\n", fp);
        }
        if (a->nunassessed)
            fputs("</tbody></table>\n", fp);
        fputs("</section>\n", fp);
    }
    if ((what & ER_GAPS_DATA)) {
        fputs("<section id=\"data-gaps\">\n<h2>数据缺口 <span "
              "class=\"en\">Data gaps</span></h2>\n",
              fp);
        if (!a->ngroups)
            fputs("<p>没有缺数据的评估。 No evaluation lacked data.</p>\n",
                  fp);
        else
            fputs("<table><thead><tr><th>缺什么 (what)</th><th>缺口 "
                  "(where)</th></tr></thead><tbody>\n",
                  fp);
        for (size_t i = 0; i < a->ngroups; i++) {
            size_t label_end = group_cells(&b, nm, a, &a->groups[i]);
            if (er_buf_status(&b) != ER_OK)
                goto oom;
            fputs("<tr><td>", fp);
            er_html_put(fp, b.data);
            fputs("</td><td>", fp);
            er_html_put(fp, b.data + label_end);
            fputs("</td></tr>\n", fp);
        }
        if (a->ngroups)
            fputs("</tbody></table>\n", fp);
        fputs("</section>\n", fp);
    }
    er_buf_free(&b);
    return ER_OK;
oom:
    er_buf_free(&b);
    return er_fail(ER_ENOMEM, "out of memory");
}

int er_gapset_write(const er_gapset *gs, sqlite3 *db, FILE *fp,
                    er_format fmt, unsigned what)
{
    analysis a;
    namer nm = {.db = db};
    int rc = analyze(gs, &a);
    if (rc != ER_OK)
        return rc;
    if (fmt == ER_FORMAT_JSON)
        rc = write_json(&a, &nm, fp);
    else if (fmt == ER_FORMAT_HTML)
        rc = write_html(&a, &nm, fp, what);
    else
        rc = write_text(&a, &nm, fp, fmt, what);
    namer_free(&nm);
    analysis_free(&a);
    return rc;
}
