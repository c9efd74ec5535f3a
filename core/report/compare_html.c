/*
 * compare_html.c - `report --compare A B --format html` (er_compare_html):
 * the comparison of two stored runs as one self-contained page in the
 * report's style (its CSS and its inline script, assets/report.*): what
 * each run read (data digests, rule files with their digests, the data
 * rows that differ between their data versions: compare_why.c), the
 * findings that changed (matched on rule, region and year as compare.c
 * matches them), the transitions of outcome per rule, and the money that
 * moved (cuts and allocations per region before and after, in fen),
 * grouped by region and rule. It reads both runs through report.c's model;
 * it counts the changes itself and the counts equal compare.c's.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

enum { SAME = 0, CHANGED, ADDED, REMOVED };
static const char *const kind_zh[] = {"未变", "变化", "新增", "删除"};
static const char *const kind_en[] = {"same", "changed", "added", "removed"};

/* One finding of either run, by its key. */
struct key {
    const er_report *r;
    const er_rep_finding *f;
};

/* A matched pair: a or b NULL when the finding is in one run only. */
struct pair {
    const er_rep_finding *a, *b;
    const char *rule, *region, *name, *dept; /* borrowed from a report */
    int year, kind;
};

static int cmp_key(const void *x, const void *y)
{
    const struct key *p = x, *q = y;
    int c = strcmp(p->r->rules[p->f->rule].id, q->r->rules[q->f->rule].id);
    if (!c)
        c = strcmp(p->r->regions[p->f->region].code,
                   q->r->regions[q->f->region].code);
    if (!c)
        c = (p->f->year > q->f->year) - (p->f->year < q->f->year);
    if (!c) /* findings that share a key pair up in their stored order */
        c = (p->f > q->f) - (p->f < q->f);
    return c;
}

/* Orders pairs by region, rule and year: how the page groups them. */
static int cmp_pair(const void *x, const void *y)
{
    const struct pair *p = x, *q = y;
    int c = strcmp(p->region, q->region);
    if (!c)
        c = strcmp(p->rule, q->rule);
    if (!c)
        c = (p->year > q->year) - (p->year < q->year);
    return c;
}

static struct key *keys_of(const er_report *r)
{
    struct key *k = calloc(r->nfindings + 1, sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < r->nfindings; i++)
        k[i] = (struct key){r, &r->findings[i]};
    qsort(k, r->nfindings, sizeof *k, cmp_key);
    return k;
}

/* compare.c's test: both values absent, or both present and equal. */
static bool same_value(bool ha, double a, bool hb, double b)
{
    return ha == hb && (!ha || a == b);
}

static bool same_finding(const er_rep_finding *a, const er_rep_finding *b)
{
    return a->outcome == b->outcome &&
           same_value(a->has_measured, a->measured, b->has_measured,
                      b->measured) &&
           same_value(a->has_required, a->required, b->has_required,
                      b->required) &&
           a->has_amount == b->has_amount &&
           (!a->has_amount || a->amount == b->amount);
}

static int cmp_key_only(const struct key *p, const struct key *q)
{
    int c = strcmp(p->r->rules[p->f->rule].id, q->r->rules[q->f->rule].id);
    if (!c)
        c = strcmp(p->r->regions[p->f->region].code,
                   q->r->regions[q->f->region].code);
    if (!c)
        c = (p->f->year > q->f->year) - (p->f->year < q->f->year);
    return c;
}

static struct pair pair_of(const struct key *k, int kind)
{
    const er_rep_rule *u = &k->r->rules[k->f->rule];
    const er_rep_region *g = &k->r->regions[k->f->region];
    return (struct pair){NULL,    NULL,          u->id,      g->code,
                         g->name, u->department, k->f->year, kind};
}

/* The pairs that differ (changed, added, removed), sorted by cmp_pair;
 * counts into stats. NULL when out of memory. */
static struct pair *match(const er_report *a, const er_report *b, size_t *n_out,
                          er_compare_stats *stats)
{
    struct key *ka = keys_of(a), *kb = keys_of(b);
    struct pair *p = calloc(a->nfindings + b->nfindings + 1, sizeof *p);
    size_t i = 0, j = 0, n = 0;
    if (!ka || !kb || !p) {
        free(ka);
        free(kb);
        free(p);
        return NULL;
    }
    while (i < a->nfindings || j < b->nfindings) {
        int c = i == a->nfindings   ? 1
                : j == b->nfindings ? -1
                                    : cmp_key_only(&ka[i], &kb[j]);
        if (c < 0) {
            p[n] = pair_of(&ka[i], REMOVED);
            p[n++].a = ka[i++].f;
            stats->removed++;
        } else if (c > 0) {
            p[n] = pair_of(&kb[j], ADDED);
            p[n++].b = kb[j++].f;
            stats->added++;
        } else if (same_finding(ka[i].f, kb[j].f)) {
            stats->same++;
            i++, j++;
        } else {
            p[n] = pair_of(&kb[j], CHANGED);
            p[n].a = ka[i++].f;
            p[n++].b = kb[j++].f;
            stats->changed++;
        }
    }
    free(ka);
    free(kb);
    qsort(p, n, sizeof *p, cmp_pair);
    *n_out = n;
    return p;
}

/* ---- writing ---------------------------------------------------------------
 */

static void put(FILE *fp, const char *s) { er_html_put(fp, s ? s : ""); }

static void put_outcome(FILE *fp, const er_rep_finding *f)
{
    if (!f) {
        fputs("—", fp);
        return;
    }
    fprintf(fp, "<span class=\"o o-%s\">%s %s</span>",
            er_outcome_name((er_outcome)f->outcome), er_outcome_zh(f->outcome),
            er_outcome_name((er_outcome)f->outcome));
}

/* One side's measured (which 0), required (1) or amount (2) as text: "—"
 * when absent. Returns buf. */
static const char *value_text(char *buf, size_t size, const er_rep_finding *f,
                              int which)
{
    if (which == 0 && f && f->has_measured)
        return er_rep_num(buf, size, f->measured);
    if (which == 1 && f && f->has_required)
        return er_rep_num(buf, size, f->required);
    if (which == 2 && f && f->has_amount)
        return er_fmt_fen(buf, size, f->amount);
    return "—";
}

/* The cell "a → b" of one value, marked when the two differ. */
static void put_change(FILE *fp, const struct pair *p, int which)
{
    char x[64], y[64];
    const char *sa = value_text(x, sizeof x, p->a, which);
    const char *sb = value_text(y, sizeof y, p->b, which);
    fprintf(fp, "<td class=\"num%s\">%s → %s</td>",
            strcmp(sa, sb) != 0 ? " moved" : "", sa, sb);
}

/* The data rows that differ between the runs' data versions: the first
 * ER_WHY_ROWS_SHOWN, with a count of the rest, and the versions they
 * name. */
static void data_rows(const er_report *a, const er_report *b,
                      const er_why *w, FILE *fp)
{
    fputs("<h3>数据行的变化 <span class=\"en\">Data rows that "
          "changed</span></h3>\n<p id=\"data-versions\">",
          fp);
    for (int k = 0; k < 2; k++) {
        fprintf(fp, "%s运行 %lld 读取", k ? "；" : "",
                (long long)(k ? b->id : a->id));
        if (w->has_version[k])
            fprintf(fp, "数据版本 %lld", (long long)w->version[k]);
        else
            fputs("的数据没有版本", fp);
    }
    fputs("。<span class=\"en\">", fp);
    for (int k = 0; k < 2; k++) {
        fprintf(fp, "%s %lld read ", k ? "; run" : "Run",
                (long long)(k ? b->id : a->id));
        if (w->has_version[k])
            fprintf(fp, "data version %lld", (long long)w->version[k]);
        else
            fputs("no data version", fp);
    }
    fputs(".</span></p>\n", fp);
    if (w->unlisted) {
        fputs("<p id=\"data-rows\">数据行的变化无法列出：<span "
              "class=\"en\">the data rows that changed are ",
              fp);
        put(fp, w->unlisted);
        fputs(".</span></p>\n", fp);
        return;
    }
    size_t shown = w->nrows < ER_WHY_ROWS_SHOWN ? w->nrows : ER_WHY_ROWS_SHOWN;
    if (shown)
        fputs("<table class=\"data-rows sortable\"><thead><tr><th>表 <span "
              "class=\"en\">table</span></th><th>键 <span "
              "class=\"en\">key</span></th><th>运行 A <span "
              "class=\"en\">before</span></th><th>运行 B <span "
              "class=\"en\">after</span></th><th class=\"num\">版本 <span "
              "class=\"en\">version</span></th></tr></thead><tbody>\n",
              fp);
    for (size_t i = 0; i < shown; i++) {
        const er_why_row *r = &w->rows[i];
        fputs("<tr class=\"data-row\"><td><code>", fp);
        put(fp, r->table);
        fputs("</code></td><td><code>", fp);
        put(fp, r->key);
        fputs("</code></td><td>", fp);
        put(fp, r->before ? r->before : "—");
        fputs("</td><td class=\"moved\">", fp);
        put(fp, r->after ? r->after : "—");
        fprintf(fp, "</td><td class=\"num\">%lld</td></tr>\n",
                (long long)r->version);
    }
    if (shown)
        fputs("</tbody></table>\n", fp);
    fprintf(fp,
            "<p class=\"small\" id=\"data-rows\">数据行：%zu 行有变化",
            w->nrows);
    if (w->nrows > shown)
        fprintf(fp, "，列出前 %zu 行", shown);
    if (w->rows_filtered)
        fprintf(fp, "，另有 %zu 行不在筛选范围内", w->rows_filtered);
    fprintf(fp, "。<span class=\"en\">%zu data row%s changed", w->nrows,
            w->nrows == 1 ? "" : "s");
    if (w->nrows > shown)
        fprintf(fp, "; the first %zu shown, %zu more in `--format json`",
                shown, w->nrows - shown);
    if (w->rows_filtered)
        fprintf(fp, "; %zu outside the filter", w->rows_filtered);
    fputs(".</span></p>\n", fp);
    if (!w->nversions)
        return;
    fputs("<table class=\"data-versions\"><thead><tr><th class=\"num\">版本 "
          "<span class=\"en\">version</span></th><th>时间 <span "
          "class=\"en\">at (UTC)</span></th><th>导入人 <span "
          "class=\"en\">user</span></th><th>表 <span "
          "class=\"en\">table</span></th><th>文件 <span "
          "class=\"en\">file</span></th></tr></thead><tbody>\n",
          fp);
    for (size_t i = 0; i < w->nversions; i++) {
        const er_why_version *v = &w->versions[i];
        fprintf(fp, "<tr><td class=\"num\">%lld</td><td>", (long long)v->id);
        put(fp, v->at ? v->at : "—");
        fputs("</td><td>", fp);
        put(fp, v->user ? v->user : "—");
        fputs("</td><td>", fp);
        put(fp, v->table ? v->table
                         : v->id == 0 ? "版本化之前的数据 data stored before "
                                        "versions were recorded"
                                      : "—");
        fputs("</td><td>", fp);
        put(fp, v->file ? v->file : "—");
        fputs("</td></tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);
}

static void section_runs(const er_report *a, const er_report *b,
                         const er_why *w, FILE *fp)
{
    char na[64], nb[64];
    fputs("<section id=\"runs\" class=\"first\">\n<h2>1 两次运行 <span "
          "class=\"en\">The two runs</span></h2>\n<table "
          "class=\"meta compare-runs\"><thead><tr><th></th>",
          fp);
    fprintf(fp,
            "<th>运行 A <span class=\"en\">run %lld</span></th><th>运行 B "
            "<span class=\"en\">run %lld</span></th></tr></thead><tbody>\n",
            (long long)a->id, (long long)b->id);
    const struct {
        const char *label, *en, *va, *vb;
        bool hash;
    } rows[] = {
        {"评估年度", "years", a->years, b->years, false},
        {"状态", "status", a->status, b->status, false},
        {"开始时间", "started (UTC)", a->started_at, b->started_at, false},
        {"引擎版本", "engine", a->engine_version, b->engine_version, false},
        {"规则摘要", "rules digest", a->rules_digest, b->rules_digest, true},
        {"数据摘要", "data digest", a->data_digest, b->data_digest, true},
        {"运行选项", "options", a->options, b->options, false},
    };
    for (size_t i = 0; i < ER_ARRAY_LEN(rows); i++) {
        const char *va = rows[i].va ? rows[i].va : "";
        const char *vb = rows[i].vb ? rows[i].vb : "";
        bool moved = strcmp(va, vb) != 0;
        fprintf(fp, "<tr%s><th>%s <span class=\"en\">%s</span></th>",
                moved ? " class=\"moved\"" : "", rows[i].label, rows[i].en);
        for (int k = 0; k < 2; k++) {
            fprintf(fp, "<td%s>", rows[i].hash ? " class=\"hash\"" : "");
            put(fp, *(k ? vb : va) ? (k ? vb : va) : "—");
            fputs("</td>", fp);
        }
        fputs("</tr>\n", fp);
    }
    fprintf(fp,
            "<tr><th>结果 <span class=\"en\">findings</span></th><td>%zu</td>"
            "<td>%zu</td></tr>\n",
            a->nfindings, b->nfindings);
    fprintf(fp,
            "<tr><th>核减合计（元） <span class=\"en\">cut</span></th><td "
            "class=\"num\" id=\"cut-a\">%s</td><td class=\"num\" "
            "id=\"cut-b\">%s</td></tr>\n",
            er_fmt_fen(na, sizeof na, a->cut_fen),
            er_fmt_fen(nb, sizeof nb, b->cut_fen));
    fprintf(fp,
            "<tr><th>分配合计（元） <span class=\"en\">allocation</span></th>"
            "<td class=\"num\" id=\"allocation-a\">%s</td><td class=\"num\" "
            "id=\"allocation-b\">%s</td></tr>\n</tbody></table>\n",
            er_fmt_fen(na, sizeof na, a->allocation_fen),
            er_fmt_fen(nb, sizeof nb, b->allocation_fen));

    bool same_data = a->data_digest && b->data_digest &&
                     strcmp(a->data_digest, b->data_digest) == 0;
    fprintf(fp, "<p id=\"data-change\">%s</p>\n",
            same_data ? "两次运行读取的数据相同（数据摘要一致）。<span "
                        "class=\"en\">Same data.</span>"
                      : "两次运行读取的数据不同（数据摘要不一致）：结果的变化"
                        "可能来自数据。<span class=\"en\">The data "
                        "differ.</span>");

    /* rule files: both lists are sorted by path */
    size_t i = 0, j = 0, nsame = 0, nrows = 0;
    fputs("<h3>规则文件的变化 <span class=\"en\">Rule files that "
          "changed</span></h3>\n",
          fp);
    while (i < a->nfiles || j < b->nfiles) {
        int c = i == a->nfiles   ? 1
                : j == b->nfiles ? -1
                                 : strcmp(a->file_paths[i], b->file_paths[j]);
        const char *path, *sa = NULL, *sb = NULL;
        if (c < 0) {
            path = a->file_paths[i];
            sa = a->file_sha256[i++];
        } else if (c > 0) {
            path = b->file_paths[j];
            sb = b->file_sha256[j++];
        } else {
            path = a->file_paths[i];
            sa = a->file_sha256[i++];
            sb = b->file_sha256[j++];
            if (sa && sb && strcmp(sa, sb) == 0) {
                nsame++;
                continue;
            }
        }
        if (!nrows++)
            fputs("<table class=\"rule-files sortable\"><thead><tr><th>文件 "
                  "<span class=\"en\">path</span></th><th>变化 <span "
                  "class=\"en\">change</span></th><th>运行 A SHA-256</th><th>"
                  "运行 B SHA-256</th></tr></thead><tbody>\n",
                  fp);
        int kind = !sa ? ADDED : !sb ? REMOVED : CHANGED;
        fputs("<tr><td><code>", fp);
        put(fp, path);
        fprintf(fp,
                "</code></td><td>%s <span class=\"en\">%s</span></td>"
                "<td class=\"hash\">",
                kind_zh[kind], kind_en[kind]);
        put(fp, sa ? sa : "—");
        fputs("</td><td class=\"hash\">", fp);
        put(fp, sb ? sb : "—");
        fputs("</td></tr>\n", fp);
    }
    if (nrows)
        fputs("</tbody></table>\n", fp);
    fprintf(fp,
            "<p class=\"small\" id=\"rule-files\">规则文件：%zu 个有变化，"
            "%zu 个相同。<span class=\"en\">%zu rule files changed, %zu "
            "the same.</span></p>\n",
            nrows, nsame, nrows, nsame);
    data_rows(a, b, w, fp);
    fputs("</section>\n", fp);
}

/* Transitions of outcome per rule (from → to, with counts), from the
 * pairs re-sorted by rule. */
struct transition {
    const char *rule;
    int from, to; /* -1: absent */
    long n;
};

static int cmp_transition(const void *x, const void *y)
{
    const struct transition *p = x, *q = y;
    int c = strcmp(p->rule, q->rule);
    if (!c)
        c = (p->from > q->from) - (p->from < q->from);
    if (!c)
        c = (p->to > q->to) - (p->to < q->to);
    return c;
}

static int section_summary(const struct pair *p, size_t n,
                           const er_compare_stats *st, FILE *fp)
{
    fprintf(fp,
            "<section id=\"summary\">\n<h2>2 变化概览 <span "
            "class=\"en\">Summary</span></h2>\n<p id=\"summary-text\">变化 "
            "%ld 条，新增 %ld 条，删除 %ld 条，未变 %ld 条。<span "
            "class=\"en\">%ld changed, %ld added, %ld removed, %ld the "
            "same.</span></p>\n",
            st->changed, st->added, st->removed, st->same, st->changed,
            st->added, st->removed, st->same);
    if (!n) {
        fputs("<p>两次运行的结果完全相同。<span class=\"en\">No finding "
              "changed.</span></p>\n</section>\n",
              fp);
        return ER_OK;
    }
    struct transition *t = calloc(n, sizeof *t);
    if (!t)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        t[i] = (struct transition){p[i].rule, p[i].a ? p[i].a->outcome : -1,
                                   p[i].b ? p[i].b->outcome : -1, 1};
    qsort(t, n, sizeof *t, cmp_transition);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && cmp_transition(&t[m - 1], &t[i]) == 0)
            t[m - 1].n++;
        else
            t[m++] = t[i];
    }
    fputs("<h3>按规则的结果变化 <span class=\"en\">Transitions by "
          "rule</span></h3>\n<table class=\"transitions sortable\"><thead>"
          "<tr><th>规则 <span class=\"en\">rule</span></th><th>运行 A "
          "<span class=\"en\">from</span></th><th>运行 B <span "
          "class=\"en\">to</span></th><th class=\"num\">条数 <span "
          "class=\"en\">findings</span></th></tr></thead><tbody>\n",
          fp);
    for (size_t i = 0; i < m; i++) {
        fputs("<tr><td><code>", fp);
        put(fp, t[i].rule);
        fprintf(fp,
                "</code></td><td>%s</td><td>%s</td><td "
                "class=\"num\">%ld</td></tr>\n",
                t[i].from < 0 ? "—" : er_outcome_name((er_outcome)t[i].from),
                t[i].to < 0 ? "—" : er_outcome_name((er_outcome)t[i].to),
                t[i].n);
    }
    fputs("</tbody></table>\n</section>\n", fp);
    free(t);
    return ER_OK;
}

/* Cuts and allocations of one region, all years, in both runs. */
struct money {
    const char *code, *name;
    int64_t cut[2], alloc[2];
};

static int cmp_money(const void *x, const void *y)
{
    return strcmp(((const struct money *)x)->code,
                  ((const struct money *)y)->code);
}

static int section_money(const er_report *a, const er_report *b, FILE *fp)
{
    char n1[64], n2[64], n3[64];
    struct money *m = calloc(a->nmoney + b->nmoney + 1, sizeof *m);
    size_t n = 0;
    int rc = ER_OK;
    if (!m)
        return er_fail(ER_ENOMEM, "out of memory");
    /* one entry per region and year and side, then merged by region */
    for (int side = 0; side < 2; side++) {
        const er_report *r = side ? b : a;
        for (size_t i = 0; i < r->nmoney; i++) {
            const er_rep_region *g = &r->regions[r->money[i].region];
            struct money *e = &m[n++];
            memset(e, 0, sizeof *e);
            e->code = g->code;
            e->name = er_rep_region_label(g);
            e->cut[side] = r->money[i].cut;
            e->alloc[side] = r->money[i].allocation;
        }
    }
    qsort(m, n, sizeof *m, cmp_money);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && strcmp(m[k - 1].code, m[i].code) == 0) {
            for (int s = 0; s < 2; s++)
                if (!er_fen_add(&m[k - 1].cut[s], m[i].cut[s]) ||
                    !er_fen_add(&m[k - 1].alloc[s], m[i].alloc[s])) {
                    rc = er_fail(ER_EDATA,
                                 "the amounts of region %s do not fit in 64 "
                                 "bits of fen",
                                 m[i].code);
                    goto done;
                }
        } else {
            m[k++] = m[i];
        }
    }
    fputs("<section id=\"money\">\n<h2>3 金额的变化 <span class=\"en\">Money "
          "that moved</span></h2>\n<p class=\"small\">各地区全部年度的核减与"
          "分配合计，运行 A → 运行 B，以分为单位求和、显示为元。<span "
          "class=\"en\">Cuts and allocations per region, all years.</span>"
          "</p>\n",
          fp);
    size_t moved = 0;
    int64_t tot[2][2] = {{0, 0}, {0, 0}}; /* [side][cut, alloc] */
    for (size_t i = 0; i < k; i++) {
        for (int s = 0; s < 2; s++)
            if (!er_fen_add(&tot[s][0], m[i].cut[s]) ||
                !er_fen_add(&tot[s][1], m[i].alloc[s])) {
                rc = er_fail(ER_EDATA,
                             "the run's amounts do not fit in 64 bits of fen");
                goto done;
            }
        if (m[i].cut[0] == m[i].cut[1] && m[i].alloc[0] == m[i].alloc[1])
            continue;
        if (!moved++)
            fputs("<table id=\"money-table\" class=\"money sortable\"><thead>"
                  "<tr><th>地区 <span class=\"en\">region</span></th><th "
                  "class=\"num\">核减 A</th><th class=\"num\">核减 B</th><th "
                  "class=\"num\">核减变化 <span class=\"en\">Δ cut</span>"
                  "</th><th class=\"num\">分配 A</th><th class=\"num\">分配 "
                  "B</th><th class=\"num\">分配变化 <span class=\"en\">Δ "
                  "allocation</span></th></tr></thead><tbody>\n",
                  fp);
        fputs("<tr class=\"moved-region\"><td data-sort=\"", fp);
        put(fp, m[i].code);
        fputs("\"><a href=\"#region-", fp);
        put(fp, m[i].code);
        fputs("\">", fp);
        put(fp, m[i].name);
        fputs("</a> <span class=\"en\">", fp);
        put(fp, m[i].code);
        fputs("</span></td>", fp);
        for (int what = 0; what < 2; what++) {
            const int64_t *v = what ? m[i].alloc : m[i].cut;
            int64_t d;
            bool ok = !__builtin_sub_overflow(v[1], v[0], &d);
            fprintf(fp,
                    "<td class=\"num\">%s</td><td class=\"num\">%s</td><td "
                    "class=\"num\">%s%s</td>",
                    er_fmt_fen(n1, sizeof n1, v[0]),
                    er_fmt_fen(n2, sizeof n2, v[1]), ok && d > 0 ? "+" : "",
                    ok ? er_fmt_fen(n3, sizeof n3, d) : "—");
        }
        fputs("</tr>\n", fp);
    }
    if (moved)
        fprintf(fp,
                "<tr class=\"total\"><td>合计 <span class=\"en\">total, all "
                "regions</span></td><td class=\"num\">%s</td><td "
                "class=\"num\">%s</td><td></td>",
                er_fmt_fen(n1, sizeof n1, tot[0][0]),
                er_fmt_fen(n2, sizeof n2, tot[1][0]));
    if (moved)
        fprintf(fp,
                "<td class=\"num\">%s</td><td class=\"num\">%s</td><td></td>"
                "</tr>\n</tbody></table>\n",
                er_fmt_fen(n1, sizeof n1, tot[0][1]),
                er_fmt_fen(n2, sizeof n2, tot[1][1]));
    fprintf(fp,
            "<p id=\"money-moved\">%zu 个地区的核减或分配有变化。<span "
            "class=\"en\">%zu regions' money moved.</span></p>\n</section>\n",
            moved, moved);
done:
    free(m);
    return rc;
}

/* The changed findings, one table per region, rows by rule and year. */
static void section_changes(const struct pair *p, size_t n, FILE *fp)
{
    fprintf(fp,
            "<section id=\"changes\">\n<h2>4 变化的结果 <span "
            "class=\"en\">Findings that changed (%zu)</span></h2>\n",
            n);
    if (!n)
        fputs("<p>没有变化的结果。</p>\n", fp);
    for (size_t i = 0; i < n; i++) {
        if (!i || strcmp(p[i].region, p[i - 1].region) != 0) {
            if (i)
                fputs("</tbody></table>\n", fp);
            size_t k = i;
            while (k < n && strcmp(p[k].region, p[i].region) == 0)
                k++;
            fputs("<h3 id=\"region-", fp);
            put(fp, p[i].region);
            fputs("\">", fp);
            put(fp, p[i].name && *p[i].name ? p[i].name : p[i].region);
            fputs(" <span class=\"en\">", fp);
            put(fp, p[i].region);
            fprintf(fp,
                    " · %zu</span></h3>\n<table class=\"changes sortable\" "
                    "data-region=\"",
                    k - i);
            put(fp, p[i].region);
            fputs("\"><thead><tr><th>规则 <span class=\"en\">rule</span></th>"
                  "<th class=\"num\">年度 <span class=\"en\">year</span></th>"
                  "<th>变化 <span class=\"en\">change</span></th><th>结果 A"
                  "</th><th>结果 B</th><th class=\"num\">实测 <span "
                  "class=\"en\">measured</span></th><th class=\"num\">要求 "
                  "<span class=\"en\">required</span></th><th "
                  "class=\"num\">金额（元） <span class=\"en\">amount</span>"
                  "</th></tr></thead><tbody>\n",
                  fp);
        }
        fprintf(fp, "<tr class=\"change %s\" data-dept=\"", kind_en[p[i].kind]);
        put(fp, p[i].dept);
        fputs("\"><td data-sort=\"", fp);
        put(fp, p[i].rule);
        fputs("\"><code>", fp);
        put(fp, p[i].rule);
        fprintf(fp,
                "</code></td><td class=\"num\">%d</td><td>%s <span "
                "class=\"en\">%s</span></td><td>",
                p[i].year, kind_zh[p[i].kind], kind_en[p[i].kind]);
        put_outcome(fp, p[i].a);
        fputs("</td><td>", fp);
        put_outcome(fp, p[i].b);
        fputs("</td>", fp);
        for (int which = 0; which < 3; which++)
            put_change(fp, &p[i], which);
        fputs("</tr>\n", fp);
    }
    if (n)
        fputs("</tbody></table>\n", fp);
    fputs("</section>\n", fp);
}

static int page_body(const er_report *a, const er_report *b,
                     const er_why *w, FILE *fp, er_compare_stats *stats)
{
    size_t n = 0;
    struct pair *p = match(a, b, &n, stats);
    int rc = ER_OK;
    if (!p)
        return er_fail(ER_ENOMEM, "out of memory");
    fputs("<header>\n<h1>运行对比 <span class=\"en\">Comparison of two "
          "runs</span></h1>\n<p class=\"sub\">",
          fp);
    if (a->province && *a->province) {
        put(fp, a->province);
        fputs(" · ", fp);
    }
    fprintf(fp, "equirule run %lld → run %lld</p>\n", (long long)a->id,
            (long long)b->id);
    if (a->filter) { /* what was filtered: the page compares those only */
        fputs("<p class=\"sub filter\">筛选 filtered: ", fp);
        put(fp, a->filter);
        fputs("</p>\n", fp);
    }
    fputs("<nav><a href=\"#runs\">两次运行</a><a href=\"#summary\">变化概览"
          "</a><a href=\"#money\">金额的变化</a><a href=\"#changes\">变化的"
          "结果</a></nav>\n</header>\n",
          fp);
    section_runs(a, b, w, fp);
    if ((rc = section_summary(p, n, stats, fp)) != ER_OK ||
        (rc = section_money(a, b, fp)) != ER_OK)
        goto done;
    section_changes(p, n, fp);
    fprintf(fp,
            "<footer>equirule %s · 对比取自数据库中存储的运行 %lld 与 %lld。"
            "</footer>\n",
            ER_VERSION, (long long)a->id, (long long)b->id);
done:
    free(p);
    return rc;
}

int er_compare_html(er_db *db, int64_t run_a, int64_t run_b,
                    const er_rep_filter *filter, FILE *fp,
                    er_compare_stats *stats)
{
    const er_embedded *css = er_embedded_find("report/report.css");
    const er_embedded *js = er_embedded_find("report/report.js");
    er_report *a = NULL, *b = NULL;
    er_compare_stats st = {0};
    er_why why;
    int rc;
    if (!css || !js)
        return er_fail(ER_ERROR, "the HTML report's CSS or script is missing "
                                 "from this build");
    memset(&why, 0, sizeof why);
    if ((rc = er_report_load_filtered(db, run_a, filter, &a)) != ER_OK ||
        (rc = er_report_load_filtered(db, run_b, filter, &b)) != ER_OK ||
        (rc = er_why_load(db, run_a, run_b, filter, &why)) != ER_OK)
        goto done;
    fprintf(fp,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta "
            "charset=\"utf-8\">\n<meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\">\n<meta "
            "name=\"generator\" content=\"equirule %s\">\n<title>运行对比 · "
            "run %lld → run %lld</title>\n<style>\n",
            ER_VERSION, (long long)run_a, (long long)run_b);
    fwrite(css->data, 1, css->len, fp);
    fputs("td.moved,tr.moved td{background:#fff3e0}tr.change.added "
          "td:first-child{border-left:3px solid var(--pass)}tr.change.removed "
          "td:first-child{border-left:3px solid var(--fail)}\n</style>\n"
          "</head>\n<body>\n",
          fp);
    if ((rc = page_body(a, b, &why, fp, &st)) != ER_OK)
        goto done;
    fputs("<script>\n", fp);
    fwrite(js->data, 1, js->len, fp);
    fputs("</script>\n</body>\n</html>\n", fp);
    if (stats)
        *stats = st;
done:
    er_report_free(a);
    er_report_free(b);
    er_why_free(&why);
    return rc;
}
