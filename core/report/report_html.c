/*
 * report_html.c - the HTML report of a stored run (er_report_html): one
 * self-contained page with inline CSS, inline SVG charts and one small
 * inline script, no network and no web fonts, in Chinese with English
 * identifiers, laid out to print on A4 without losing its colours. The page
 * is complete without the script: it only adds the findings' filters and
 * the tables' sorting (assets/report.js). A scorecard per city and county
 * gathers one region's findings, money, counties, trend and data gaps; a
 * report whose findings all lie under one city or county shows that
 * region's scorecard first. The page skeleton, the CSS and the script are
 * files built into the binary (assets/report.*); the charts are
 * report_svg.c's. Every text that comes from the database is
 * escaped. It renders the model report.c loads; it reads nothing itself.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows of the matrix and of the failing findings shown before the report
 * points to the CSV report for the rest. */
#define MAX_MATRIX_REGIONS 400
/* Rule columns of one matrix table: what fits the width of A4. */
#define MAX_MATRIX_COLS 20
#define MAX_FAILING 2000
/* Scorecards written before the report points to `report --region`. */
#define MAX_SCORECARDS 400
/* Data gaps listed in one scorecard. */
#define MAX_CARD_GAPS 40
/* Levels of regions above a region that a filter reaches. */
#define MAX_DEPTH 8

/* What the sections share: which regions have a scorecard (the anchor
 * #region-CODE exists), and the region whose scorecard leads the page. */
typedef struct page {
    const er_report *r;
    bool *card;    /* [region] */
    int32_t focus; /* -1: none */
    /* the findings of region g: r->findings[idx[start[g]..start[g + 1])],
     * in their order (year, rule, region) */
    size_t *start, *idx;
    int32_t *up; /* [region]: the index of the region above it, or -1 */
    size_t ncards, nmore; /* scorecards written, and those left out */
} page;

/* ---- small writers ------------------------------------------------------ */

static void put(FILE *fp, const char *s) { er_html_put(fp, s); }

/* Writes an identifier (a rule id, a file path) escaped, with a line break
 * opportunity after each dot and slash. */
static void put_id(FILE *fp, const char *id)
{
    char part[256];
    while (id && *id) {
        size_t n = strcspn(id, "./");
        n += id[n] != '\0'; /* the dot or slash ends its part */
        if (n >= sizeof part)
            n = sizeof part - 1; /* a cut character is shown as U+FFFD */
        memcpy(part, id, n);
        part[n] = '\0';
        er_html_put(fp, part);
        id += n;
        if ((part[n - 1] == '.' || part[n - 1] == '/') && *id)
            fputs("<wbr>", fp);
    }
}

static void put_outcome(FILE *fp, int o)
{
    fprintf(fp, "<span class=\"o o-%s\">%s %s</span>",
            er_outcome_name((er_outcome)o), er_outcome_zh(o),
            er_outcome_name((er_outcome)o));
}

static void put_dept(FILE *fp, const char *dept)
{
    const char *zh = er_department_name(dept);
    if (zh) {
        put(fp, zh);
        fputs(" <span class=\"en\">", fp);
        put(fp, dept);
        fputs("</span>", fp);
    } else {
        put(fp, dept);
    }
}

/* The index of region `code` in r->regions (sorted by code), or -1. */
static int32_t region_at(const er_report *r, const char *code)
{
    size_t lo = 0, hi = r->nregions;
    while (code && lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(code, r->regions[mid].code);
        if (c == 0)
            return (int32_t)mid;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return -1;
}

/* The region's name and code, a link to its scorecard when it has one. */
static void put_region(const page *pg, FILE *fp, int32_t gi, const char *sep)
{
    const er_rep_region *g = &pg->r->regions[gi];
    if (pg->card[gi]) {
        fputs("<a href=\"#region-", fp);
        put(fp, g->code);
        fputs("\">", fp);
    }
    put(fp, er_rep_region_label(g));
    if (pg->card[gi])
        fputs("</a>", fp);
    fprintf(fp, "%s<span class=\"en\">", sep);
    put(fp, g->code);
    fputs("</span>", fp);
}

/* The region's code and the codes of the regions above it, separated by
 * spaces: what the page's region filter matches. */
static void put_region_chain(const er_report *r, FILE *fp, int32_t gi)
{
    put(fp, r->regions[gi].code);
    const char *up = r->regions[gi].parent;
    for (int depth = 0; up && *up && depth < MAX_DEPTH; depth++) {
        fputc(' ', fp);
        put(fp, up);
        int32_t at = region_at(r, up);
        up = at >= 0 ? r->regions[at].parent : NULL;
    }
}

/* The assessed share, rounded down (99.96% is not 100.0%). */
static const char *fmt_assessed(char *buf, size_t size,
                                const long counts[ER_OUTCOME_COUNT])
{
    double rate = er_assessed_rate(counts);
    return er_fmt_rate(buf, size, floor(rate * 1000.0) / 1000.0);
}

static void put_count_cells(FILE *fp, const long counts[ER_OUTCOME_COUNT])
{
    char rate[32];
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, "<td class=\"num\">%ld</td>", counts[o]);
    fprintf(fp, "<td class=\"num\">%s</td>",
            er_fmt_rate(rate, sizeof rate, er_pass_rate(counts)));
    /* a row that assessed nothing is marked: it checked nothing */
    bool none = er_count_total(counts) && !er_counts_assessed(counts);
    fprintf(fp, "<td class=\"num%s\">%s</td>", none ? " not-assessed" : "",
            fmt_assessed(rate, sizeof rate, counts));
}

static void put_count_heads(FILE *fp)
{
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, "<th class=\"num\">%s<br><span class=\"en\">%s</span></th>",
                er_outcome_zh(o), er_outcome_name((er_outcome)o));
    fputs("<th class=\"num\">通过率<br><span class=\"en\">pass rate</span>"
          "</th><th class=\"num\">已评估<br><span class=\"en\">assessed"
          "</span></th>",
          fp);
}

/* ---- sections ----------------------------------------------------------- */

static void section_run(const er_report *r, FILE *fp)
{
    char num[64];
    fputs("<section id=\"run\" class=\"first\">\n<h2>1 运行信息 <span "
          "class=\"en\">Run</span></h2>\n<table class=\"meta\">\n",
          fp);
    fprintf(fp,
            "<tr><th>运行编号 <span class=\"en\">run id</span></th>"
            "<td>%lld</td></tr>\n",
            (long long)r->id);
    const struct {
        const char *label, *en, *value;
        bool hash;
    } rows[] = {
        {"评估年度", "years", r->years, false},
        {"状态", "status", r->status, false},
        {"开始时间", "started (UTC)", r->started_at, false},
        {"完成时间", "finished (UTC)", r->finished_at, false},
        {"操作人", "user", r->user, false},
        {"引擎版本", "engine version", r->engine_version, false},
        {"规则摘要", "rules digest (SHA-256)", r->rules_digest, true},
        {"数据摘要", "data digest (SHA-256)", r->data_digest, true},
        {"规则目录", "rules folder", r->rules_dir, false},
        {"运行选项", "options", r->options, false},
    };
    for (size_t i = 0; i < ER_ARRAY_LEN(rows); i++) {
        fprintf(fp, "<tr><th>%s <span class=\"en\">%s</span></th><td%s>",
                rows[i].label, rows[i].en,
                rows[i].hash ? " class=\"hash\"" : "");
        if (rows[i].value && *rows[i].value)
            put(fp, rows[i].value);
        else
            fputs("—", fp);
        fputs("</td></tr>\n", fp);
    }
    if (r->evaluations >= 0)
        fprintf(fp,
                "<tr><th>评估次数 <span class=\"en\">evaluations</span>"
                "</th><td>%s</td></tr>\n",
                er_html_int(num, sizeof num, (double)r->evaluations));
    fputs("</table>\n", fp);
    if (r->data_changed) {
        fputs(
            "<p "
            "class=\"warnbox\">注意：数据表在本次运行之后已更改（当前数据摘要 "
            "<span class=\"hash\">",
            fp);
        put(fp, r->data_digest_now);
        fputs("</span> "
              "与运行时不同）。结果取自运行时的存储；人均支出图表按当前数据"
              "绘制。<span class=\"en\">The data tables changed after this "
              "run; charts read the data as it is now.</span></p>\n",
              fp);
    }

    fprintf(fp,
            "<p class=\"small\">本次运行使用 %zu 条规则、%zu 个规则文件；"
            "各规则的标题、依据、参数与各文件的 SHA-256 见<a "
            "href=\"#appendix\">附录</a>。</p>\n</section>\n",
            r->nrules, r->nfiles);
}

/* The rules of the run with their titles, bases and params, and the rule
 * files with their digests. */
static void section_appendix(const er_report *r, FILE *fp)
{
    fputs("<section id=\"appendix\">\n<h2>附录 规则与规则文件 <span "
          "class=\"en\">Appendix: rules and rule files</span></h2>\n",
          fp);
    fprintf(fp,
            "<h3>规则文件 <span class=\"en\">Rule files (%zu)</span></h3>\n"
            "<table><thead><tr><th>文件 <span class=\"en\">path</span>"
            "</th><th>SHA-256</th></tr></thead><tbody>\n",
            r->nfiles);
    for (size_t i = 0; i < r->nfiles; i++) {
        fputs("<tr><td><code>", fp);
        put_id(fp, r->file_paths[i]);
        fputs("</code></td><td class=\"hash\">", fp);
        put(fp, r->file_sha256[i]);
        fputs("</td></tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);

    fprintf(fp,
            "<h3>规则 <span class=\"en\">Rules (%zu)</span></h3>\n"
            "<table><thead><tr><th>规则 <span class=\"en\">rule</span>"
            "</th><th>标题与依据 <span class=\"en\">title, basis</span>"
            "</th><th>类型 <span class=\"en\">kind</span></th><th>层级 "
            "<span class=\"en\">level</span></th><th>参数 <span "
            "class=\"en\">params</span></th></tr></thead><tbody>\n",
            r->nrules);
    for (size_t i = 0; i < r->nrules; i++) {
        const er_rep_rule *u = &r->rules[i];
        fputs("<tr><td><code>", fp);
        put_id(fp, u->id);
        fputs("</code><br><span class=\"small\">", fp);
        put_dept(fp, u->department);
        fputs("</span></td><td>", fp);
        put(fp, u->title);
        fputs("<br><span class=\"small\">依据：", fp);
        put(fp, u->basis);
        fputs("</span></td><td>", fp);
        put(fp, u->kind);
        fputs("</td><td>", fp);
        put(fp, u->level);
        fputs("</td><td><code>", fp);
        put(fp, u->params && strcmp(u->params, "{}") != 0 ? u->params : "");
        fputs("</code></td></tr>\n", fp);
    }
    fputs("</tbody></table>\n</section>\n", fp);
}

static int section_summary(const er_report *r, FILE *fp)
{
    char num[64], num2[64], rate[32], rate2[32];
    long failing = er_count_failing(r->counts);
    long findings = er_count_total(r->counts);

    fputs("<section id=\"summary\">\n<h2>2 结果概览 <span "
          "class=\"en\">Summary</span></h2>\n",
          fp);
    fprintf(
        fp,
        "<p id=\"summary-text\">本次运行（run %lld，%s 年度）共 %ld 条结果"
        "（findings）：通过 %ld，未达标 %ld，预警 %ld，不适用 %ld，核减 %ld，"
        "分配 %ld，缺数据 %ld，错误 %ld；未通过（fail、missing、error）"
        "共 %ld 条，通过率 %s；已评估（pass、fail、warn、cut、allocation）"
        "%ld 条，占 %s。核减合计 %s 元，分配合计 %s 元。</p>\n",
        (long long)r->id, r->years ? r->years : "", findings,
        r->counts[ER_PASS], r->counts[ER_FAIL], r->counts[ER_WARN],
        r->counts[ER_SKIP], r->counts[ER_CUT], r->counts[ER_ALLOCATION],
        r->counts[ER_MISSING], r->counts[ER_ERROR_OUTCOME], failing,
        er_fmt_rate(rate, sizeof rate, er_pass_rate(r->counts)),
        er_counts_assessed(r->counts),
        fmt_assessed(rate2, sizeof rate2, r->counts),
        er_fmt_fen(num, sizeof num, r->cut_fen),
        er_fmt_fen(num2, sizeof num2, r->allocation_fen));
    if (findings && !er_counts_assessed(r->counts))
        fputs("<p class=\"not-assessed\"><b>没有任何评估得出结论</b>：所有结果"
              "均为不适用、缺数据或错误。<span class=\"en\">No evaluation "
              "was assessed.</span></p>\n",
              fp);
    fprintf(fp,
            "<div class=\"cards\">"
            "<div class=\"card\"><b>%ld</b><span>结果 findings</span></div>"
            "<div class=\"card\"><b style=\"color:var(--pass)\">%ld</b>"
            "<span>通过 pass</span></div>"
            "<div class=\"card\"><b style=\"color:var(--fail)\">%ld</b>"
            "<span>未通过 failing</span></div>"
            "<div class=\"card\"><b>%s</b><span>通过率 pass rate</span></div>"
            "<div class=\"card\"><b>%s</b><span>已评估 assessed</span></div>",
            findings, r->counts[ER_PASS], failing,
            er_fmt_rate(rate, sizeof rate, er_pass_rate(r->counts)),
            fmt_assessed(rate2, sizeof rate2, r->counts));
    fprintf(fp,
            "<div class=\"card\"><b>%s</b><span>核减 cut（元）</span></div>"
            "<div class=\"card\"><b>%s</b><span>分配 allocation（元）</span>"
            "</div></div>\n",
            er_fmt_fen(num, sizeof num, r->cut_fen),
            er_fmt_fen(num2, sizeof num2, r->allocation_fen));
    fputs("<p class=\"small\">通过率 = 通过 ÷（通过 + 预警 + 未达标 + 缺数据 + "
          "错误）；不适用、核减、分配不计入。已评估 = （通过 + 未达标 + 预警 + "
          "核减 + 分配）÷ 全部结果：不适用、缺数据、错误的评估没有得出结论。"
          "<span class=\"en\">pass rate = "
          "pass ÷ (pass + warn + fail + missing + error); assessed = (pass + "
          "fail + warn + cut + allocation) ÷ all findings.</span></p>\n",
          fp);

    /* by department */
    fputs("<h3>按部门 <span class=\"en\">By department</span></h3>\n"
          "<table class=\"sortable\"><thead><tr><th>部门 <span "
          "class=\"en\">department</span>"
          "</th><th class=\"num\">规则<br><span class=\"en\">rules</span>"
          "</th>",
          fp);
    put_count_heads(fp);
    fputs("</tr></thead><tbody>\n", fp);
    long total[ER_OUTCOME_COUNT] = {0};
    for (size_t i = 0; i < r->ndepts; i++) {
        fputs("<tr><td>", fp);
        put_dept(fp, r->depts[i].id);
        fprintf(fp, "</td><td class=\"num\">%d</td>", r->depts[i].nrules);
        put_count_cells(fp, r->depts[i].counts);
        fputs("</tr>\n", fp);
        for (int o = 0; o < ER_OUTCOME_COUNT; o++)
            total[o] += r->depts[i].counts[o];
    }
    fprintf(fp,
            "<tr class=\"total\"><td>合计 <span class=\"en\">total</span>"
            "</td><td class=\"num\">%zu</td>",
            r->nrules);
    put_count_cells(fp, total);
    fputs("</tr>\n</tbody></table>\n", fp);

    /* pass rate by department, as a chart */
    const char **labels = calloc(r->nrules + r->ndepts + 1, sizeof *labels);
    const char **subs = calloc(r->nrules + r->ndepts + 1, sizeof *subs);
    const long **counts = calloc(r->nrules + r->ndepts + 1, sizeof *counts);
    if (!labels || !subs || !counts) {
        free(labels);
        free(subs);
        free(counts);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->ndepts; i++) {
        const char *zh = er_department_name(r->depts[i].id);
        labels[i] = zh ? zh : r->depts[i].id;
        subs[i] = zh ? r->depts[i].id : NULL;
        counts[i] = r->depts[i].counts;
    }
    fputs("<figure>\n", fp);
    er_svg_rates(fp, "rate-bar", "各部门通过率", r->ndepts, labels, subs, counts);
    fputs("<figcaption>图 2-1 各部门通过率（通过 ÷ 已评估结果）；绿色 "
          "100%，橙色 90% 及以上，红色不足 90%。<span class=\"en\">Pass "
          "rate by department.</span></figcaption>\n</figure>\n",
          fp);

    /* by rule */
    fputs("<h3>按规则 <span class=\"en\">By rule</span></h3>\n"
          "<table class=\"sortable\"><thead><tr><th>规则 <span "
          "class=\"en\">rule</span></th>",
          fp);
    put_count_heads(fp);
    fputs("</tr></thead><tbody>\n", fp);
    for (size_t i = 0; i < r->nrules; i++) {
        const er_rep_rule *u = &r->rules[i];
        fputs("<tr><td><code>", fp);
        put_id(fp, u->id);
        fputs("</code><br><span class=\"small\">", fp);
        put(fp, u->title);
        fputs("</span></td>", fp);
        put_count_cells(fp, u->counts);
        fputs("</tr>\n", fp);
    }
    fputs("<tr class=\"total\"><td>合计 <span class=\"en\">total</span></td>",
          fp);
    put_count_cells(fp, total);
    fputs("</tr>\n</tbody></table>\n", fp);

    size_t n = 0;
    for (size_t i = 0; i < r->nrules; i++) {
        if (isnan(er_pass_rate(r->rules[i].counts)))
            continue; /* nothing assessed: allocations, skips */
        labels[n] = r->rules[i].id;
        subs[n] = NULL;
        counts[n] = r->rules[i].counts;
        n++;
    }
    fputs("<figure>\n", fp);
    er_svg_rates(fp, "rate-bar", "各规则通过率", n, labels, subs, counts);
    fputs("<figcaption>图 2-2 各规则通过率；只作核减、分配或不适用的规则"
          "不列出。<span class=\"en\">Pass rate by rule.</span>"
          "</figcaption>\n</figure>\n",
          fp);
    free(labels);
    free(subs);
    free(counts);
    fputs("</section>\n", fp);
    return ER_OK;
}

static void put_measure(FILE *fp, const er_rep_finding *f, bool required)
{
    char num[64];
    if (required ? f->has_required : f->has_measured)
        fputs(er_rep_num(num, sizeof num, required ? f->required : f->measured),
              fp);
    else
        fputs("—", fp);
}

/* One table of the matrix `m`: its regions against the `ncols` rules in
 * `cols`, each cell coloured and marked by outcome. */
static void matrix_table(const page *pg, FILE *fp, const er_rep_matrix *m,
                         const size_t *cols, size_t ncols)
{
    const er_report *r = pg->r;
    fprintf(fp,
            "<table class=\"matrix\" data-year=\"%d\"><thead><tr>"
            "<th>地区 <span class=\"en\">region</span></th>",
            m->year);
    for (size_t k = 0; k < ncols; k++) {
        fputs("<th class=\"rule\" title=\"", fp);
        put(fp, r->rules[cols[k]].title);
        fputs("\">", fp);
        put(fp, r->rules[cols[k]].id);
        fputs("</th>", fp);
    }
    fputs("</tr></thead><tbody>\n", fp);
    size_t shown = 0, skipped = 0;
    for (size_t g = 0; g < r->nregions; g++) {
        if (!m->used_region[g])
            continue;
        if (shown == MAX_MATRIX_REGIONS) {
            skipped++;
            continue;
        }
        shown++;
        fputs("<tr><td class=\"nw\">", fp);
        put_region(pg, fp, (int32_t)g, " ");
        fputs("</td>", fp);
        for (size_t k = 0; k < ncols; k++) {
            int o = m->cells[g * r->nrules + cols[k]];
            if (o < 0) {
                fputs("<td class=\"c none\">·</td>", fp);
                continue;
            }
            fprintf(fp, "<td class=\"c o-%s\" title=\"",
                    er_outcome_name((er_outcome)o));
            put(fp, r->rules[cols[k]].id);
            fprintf(fp, " · %s %s\">", er_outcome_name((er_outcome)o),
                    er_outcome_zh(o));
            if (pg->card[g]) {
                fputs("<a href=\"#region-", fp);
                put(fp, r->regions[g].code);
                fprintf(fp, "\">%s</a></td>", er_outcome_symbol(o));
            } else {
                fprintf(fp, "%s</td>", er_outcome_symbol(o));
            }
        }
        fputs("</tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);
    if (skipped)
        fprintf(fp,
                "<p class=\"small\">另有 %zu 个地区未列出；完整结果见 CSV "
                "报告（<code>--format csv</code>）。</p>\n",
                skipped);
}

static int section_matrix(const page *pg, FILE *fp)
{
    const er_report *r = pg->r;
    fputs("<section id=\"matrix\">\n<h2>3 地区 × 规则 <span "
          "class=\"en\">Regions × rules</span></h2>\n<p class=\"legend\">图例"
          "：",
          fp);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, "<span class=\"o o-%s\">%s</span>%s %s",
                er_outcome_name((er_outcome)o), er_outcome_symbol(o),
                er_outcome_zh(o), er_outcome_name((er_outcome)o));
    fputs("；· 无结果。地区名与格子链接到该地区的记分卡。</p>\n", fp);

    size_t nrules = r->nrules;
    er_rep_matrix m;
    size_t *cols = malloc((nrules + 1) * sizeof *cols);
    int rc = er_rep_matrix_init(&m, r);
    if (rc == ER_OK && !cols)
        rc = er_fail(ER_ENOMEM, "out of memory");
    if (rc != ER_OK)
        goto done;
    size_t i = 0;
    while (i < r->nfindings) {
        er_rep_matrix_fill(&m, r, &i);
        fprintf(fp, "<h3>%d 年 <span class=\"en\">%d</span></h3>\n", m.year,
                m.year);
        /* the year's rules, in tables of at most MAX_MATRIX_COLS columns
         * that keep a department's rules together where they fit */
        size_t ncols = 0;
        for (size_t u = 0; u < nrules; u++)
            if (m.used_rule[u])
                cols[ncols++] = u;
        size_t from = 0;
        while (from < ncols) {
            size_t to = from;
            while (to < ncols) {
                size_t dept_end = to;
                while (dept_end < ncols &&
                       strcmp(r->rules[cols[dept_end]].department,
                              r->rules[cols[to]].department) == 0)
                    dept_end++;
                if (dept_end - from <= MAX_MATRIX_COLS)
                    to = dept_end;
                else if (to == from)
                    to = from + MAX_MATRIX_COLS;
                else
                    break;
                if (to - from >= MAX_MATRIX_COLS)
                    break;
            }
            if (from > 0 || to < ncols)
                fprintf(fp,
                        "<p class=\"small\">规则 %zu–%zu（共 %zu 条）</p>\n",
                        from + 1, to, ncols);
            matrix_table(pg, fp, &m, cols + from, to - from);
            from = to;
        }
    }
done:
    er_rep_matrix_free(&m);
    free(cols);
    fputs("</section>\n", fp);
    return rc;
}

/* The filters of the failing findings' table (hidden: report.js shows and
 * wires them): a select each for department, region (the regions of the
 * rows and the regions above them, a county under its city) and outcome,
 * and a search box; then the line that says what is shown. The rows are
 * r->findings[0..end) that fail. */
static int filter_box(const er_report *r, FILE *fp, const char *table,
                      size_t end)
{
    bool *regions = calloc(r->nregions + 1, sizeof *regions);
    bool *depts = calloc(r->ndepts + 1, sizeof *depts);
    bool outcomes[ER_OUTCOME_COUNT] = {false};
    if (!regions || !depts) {
        free(regions);
        free(depts);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < end; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (!er_outcome_failing(f->outcome))
            continue;
        outcomes[f->outcome] = true;
        for (size_t d = 0; d < r->ndepts; d++)
            if (strcmp(r->depts[d].id, r->rules[f->rule].department) == 0)
                depts[d] = true;
        int32_t gi = f->region;
        for (int depth = 0; gi >= 0 && depth <= MAX_DEPTH; depth++) {
            regions[gi] = true;
            gi = region_at(r, r->regions[gi].parent);
        }
    }
    fprintf(fp,
            "<div class=\"filters\" hidden data-for=\"%s\">"
            "<select name=\"dept\" aria-label=\"部门\"><option value=\"\">"
            "全部部门 all departments</option>",
            table);
    for (size_t d = 0; d < r->ndepts; d++) {
        if (!depts[d])
            continue;
        fputs("<option value=\"", fp);
        put(fp, r->depts[d].id);
        fputs("\">", fp);
        const char *zh = er_department_name(r->depts[d].id);
        if (zh) {
            put(fp, zh);
            fputc(' ', fp);
        }
        put(fp, r->depts[d].id);
        fputs("</option>", fp);
    }
    fputs("</select><select name=\"region\" aria-label=\"地区\"><option "
          "value=\"\">全部地区 all regions</option>",
          fp);
    for (size_t g = 0; g < r->nregions; g++) {
        if (!regions[g])
            continue;
        const char *level = r->regions[g].level;
        fputs("<option value=\"", fp);
        put(fp, r->regions[g].code);
        fputs("\">", fp);
        if (level && strcmp(level, "county") == 0)
            fputs("　", fp); /* a county under its city */
        put(fp, er_rep_region_label(&r->regions[g]));
        fputc(' ', fp);
        put(fp, r->regions[g].code);
        fputs("</option>", fp);
    }
    fputs("</select><select name=\"outcome\" aria-label=\"结果\"><option "
          "value=\"\">全部结果 all outcomes</option>",
          fp);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        if (outcomes[o])
            fprintf(fp, "<option value=\"%s\">%s %s</option>",
                    er_outcome_name((er_outcome)o), er_outcome_zh(o),
                    er_outcome_name((er_outcome)o));
    fprintf(fp,
            "</select><input type=\"search\" aria-label=\"搜索\" "
            "placeholder=\"搜索 search\"><button type=\"button\">清除 "
            "reset</button></div>\n<p class=\"filter-status\" hidden "
            "data-for=\"%s\"></p>\n",
            table);
    free(regions);
    free(depts);
    return ER_OK;
}

static int section_failing(const page *pg, FILE *fp)
{
    const er_report *r = pg->r;
    long failing = 0;
    size_t end = 0; /* the findings up to the last row shown */
    for (size_t i = 0; i < r->nfindings; i++) {
        if (!er_outcome_failing(r->findings[i].outcome))
            continue;
        if (++failing <= MAX_FAILING)
            end = i + 1;
    }
    fprintf(fp,
            "<section id=\"failing\">\n<h2>4 未通过的结果 <span "
            "class=\"en\">Failing findings (%ld)</span></h2>\n",
            failing);
    if (!failing) {
        fputs("<p>没有未通过的结果。<span class=\"en\">No failing "
              "findings.</span></p>\n</section>\n",
              fp);
        return ER_OK;
    }
    int rc = filter_box(r, fp, "failing-table", end);
    if (rc != ER_OK)
        return rc;
    fputs("<table id=\"failing-table\" class=\"sortable\"><thead><tr><th "
          "class=\"num\">年度<br><span "
          "class=\"en\">year</span></th><th>地区<br><span "
          "class=\"en\">region</span></th><th>规则<br><span "
          "class=\"en\">rule</span></th><th>结果<br><span "
          "class=\"en\">outcome</span></th><th class=\"num\">实测<br><span "
          "class=\"en\">measured</span></th><th class=\"num\">要求<br><span "
          "class=\"en\">required</span></th><th>单位<br><span "
          "class=\"en\">unit</span></th><th>说明<br><span "
          "class=\"en\">note</span></th></tr></thead><tbody>\n",
          fp);
    long shown = 0;
    for (size_t i = 0; i < end; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (!er_outcome_failing(f->outcome))
            continue;
        const er_rep_rule *u = &r->rules[f->rule];
        shown++;
        fputs("<tr class=\"finding\" data-dept=\"", fp);
        put(fp, u->department);
        fputs("\" data-region=\"", fp);
        put_region_chain(r, fp, f->region);
        fprintf(fp,
                "\" data-outcome=\"%s\"><td class=\"num\">%d</td><td "
                "class=\"nw\" data-sort=\"",
                er_outcome_name((er_outcome)f->outcome), f->year);
        put(fp, r->regions[f->region].code);
        fputs("\">", fp);
        put_region(pg, fp, f->region, "<br>");
        fputs("</td><td data-sort=\"", fp);
        put(fp, u->id);
        fputs("\"><code>", fp);
        put_id(fp, u->id);
        fputs("</code><br>", fp);
        put(fp, u->title);
        fputs("<br><span class=\"small\">依据：", fp);
        put(fp, u->basis);
        fprintf(fp, "</span></td><td data-sort=\"%s\">",
                er_outcome_name((er_outcome)f->outcome));
        put_outcome(fp, f->outcome);
        fputs("</td><td class=\"num\">", fp);
        put_measure(fp, f, false);
        fputs("</td><td class=\"num\">", fp);
        put_measure(fp, f, true);
        fputs("</td><td class=\"nw\">", fp);
        put(fp, f->unit);
        fputs("</td><td>", fp);
        put(fp, f->note);
        fputs("</td></tr>\n", fp);
    }
    fputs("</tbody></table>\n", fp);
    if (failing > shown)
        fprintf(fp,
                "<p class=\"small\">另有 %ld 条未列出；完整结果见 CSV 报告"
                "（<code>--format csv</code>）。</p>\n",
                failing - shown);
    fputs("</section>\n", fp);
    return ER_OK;
}

static void section_money(const page *pg, FILE *fp)
{
    const er_report *r = pg->r;
    char num[64], num2[64];
    fputs("<section id=\"money\">\n<h2>5 核减与分配 <span class=\"en\">Cuts "
          "and allocations</span></h2>\n",
          fp);
    if (!r->nmoney) {
        fputs("<p>本次运行没有核减或分配。<span class=\"en\">No cuts or "
              "allocations.</span></p>\n</section>\n",
              fp);
        return;
    }
    fputs("<p class=\"small\">金额以分为单位存储并求和，显示为元（精确到分）。"
          "<span class=\"en\">Amounts are stored and summed in integer fen, "
          "shown in yuan to the fen.</span></p>\n",
          fp);
    size_t i = 0;
    int nyears = 0;
    while (i < r->nmoney) {
        int year = r->money[i].year;
        size_t from = i;
        int64_t cut = 0, alloc = 0;
        nyears++;
        fprintf(fp,
                "<h3>%d 年 <span class=\"en\">%d</span></h3>\n"
                "<table class=\"money sortable\" data-year=\"%d\"><thead><tr>"
                "<th>地区 <span class=\"en\">region</span></th><th>区域 "
                "<span class=\"en\">zone</span></th><th class=\"num\">核减"
                "（元）<br><span class=\"en\">cut</span></th><th "
                "class=\"num\">分配（元）<br><span "
                "class=\"en\">allocation</span></th></tr></thead><tbody>\n",
                year, year, year);
        for (; i < r->nmoney && r->money[i].year == year; i++) {
            const er_rep_money *m = &r->money[i];
            const er_rep_region *g = &r->regions[m->region];
            fputs("<tr><td data-sort=\"", fp);
            put(fp, g->code);
            fputs("\">", fp);
            put_region(pg, fp, m->region, " ");
            fputs("</td><td>", fp);
            put(fp, er_report_zone_name(r, g->zone));
            fprintf(fp,
                    "</td><td class=\"num\">%s</td><td class=\"num\">%s"
                    "</td></tr>\n",
                    m->ncut ? er_fmt_fen(num, sizeof num, m->cut) : "—",
                    m->nallocation
                        ? er_fmt_fen(num2, sizeof num2, m->allocation)
                        : "—");
            cut += m->cut;
            alloc += m->allocation;
        }
        fprintf(fp,
                "<tr class=\"total\"><td colspan=\"2\">%d 年合计 <span "
                "class=\"en\">total</span></td><td class=\"num\">%s</td>"
                "<td class=\"num\">%s</td></tr>\n</tbody></table>\n",
                year, er_fmt_fen(num, sizeof num, cut),
                er_fmt_fen(num2, sizeof num2, alloc));
        fputs("<figure>\n", fp);
        er_svg_money(r, fp, from, i);
        fprintf(fp,
                "<figcaption>图 5-%d %d 年各地区核减与分配（元）。"
                "</figcaption>\n</figure>\n",
                nyears, year);
    }
    fprintf(fp,
            "<table class=\"money-total\"><tbody><tr class=\"total\">"
            "<td>全部年度合计 <span class=\"en\">all years</span></td>"
            "<td class=\"num\">核减 <span id=\"cut-total\">%s</span> 元"
            "</td><td class=\"num\">分配 <span "
            "id=\"allocation-total\">%s</span> 元</td></tr></tbody>"
            "</table>\n</section>\n",
            er_fmt_fen(num, sizeof num, r->cut_fen),
            er_fmt_fen(num2, sizeof num2, r->allocation_fen));
}

static int cmp_percap_desc(const void *a, const void *b)
{
    const er_rep_percap *x = *(const er_rep_percap *const *)a;
    const er_rep_percap *y = *(const er_rep_percap *const *)b;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return x->region < y->region ? -1 : x->region > y->region;
}

/* Writes `v` (a fraction) as a percentage: "25%", "32.5%". */
static void put_pct(FILE *fp, double v)
{
    char num[64];
    fprintf(fp, "%s%%", er_rep_num(num, sizeof num, v * 100.0));
}

/* The per-capita figure of one year: bars (class "bar") sorted by value,
 * coloured by zone, with the core-zone mean and the band of the gap the
 * run allowed (the target of the rule that feeds the chart), and a caption
 * that states the measure and names the cities below the band. */
static void percap_absent(const er_report *r, FILE *fp, int year)
{
    int k = 0;
    for (size_t i = 0; i < r->npercap_absent; i++) {
        if (r->percap_absent[i].year != year)
            continue;
        fputs(k++ ? "、" : "无支出或常住人口数据（亦无法由所辖县区汇总）、"
                           "未画出的市：",
              fp);
        put(fp, er_rep_region_label(&r->regions[r->percap_absent[i].region]));
    }
    if (k)
        fputs("。", fp);
}

static int percap_chart(const er_report *r, FILE *fp, int year, int fig)
{
    const er_rep_percap **bars = calloc(r->npercap + 1, sizeof *bars);
    const er_rep_percap **odd = calloc(r->npercap + 1, sizeof *odd);
    size_t n = 0, nodd = 0;
    char num[64], num2[64];
    if (!bars || !odd) {
        free(bars);
        free(odd);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->npercap; i++) {
        if (r->percap[i].year != year)
            continue;
        if (isfinite(r->percap[i].value))
            bars[n++] = &r->percap[i];
        else
            odd[nodd++] = &r->percap[i];
    }
    size_t nabsent = 0;
    for (size_t i = 0; i < r->npercap_absent; i++)
        nabsent += r->percap_absent[i].year == year;
    if (!n && !nodd) {
        if (nabsent) {
            fprintf(fp, "<h3>%d 年 <span class=\"en\">%d</span></h3>\n<p>", year,
                    year);
            percap_absent(r, fp, year);
            fputs("</p>\n", fp);
        }
        goto done;
    }
    qsort(bars, n, sizeof *bars, cmp_percap_desc);

    const er_rep_rule *rule = r->gap_rule >= 0 ? &r->rules[r->gap_rule] : NULL;
    double core = er_report_core_mean(r, year);
    double max_gap = er_report_max_gap(r, year);
    double band_floor = er_report_band_floor(r, year);

    fprintf(fp, "<h3>%d 年 <span class=\"en\">%d</span></h3>\n", year, year);
    fprintf(fp, "<figure class=\"percap\" data-year=\"%d\">\n", year);
    er_svg_percap(r, fp, year, bars, n, core, band_floor, max_gap);

    int ncore = 0;
    for (size_t i = 0; i < n; i++) {
        const char *zone = r->regions[bars[i]->region].zone;
        ncore += er_zone_parse(zone) == ER_ZONE_CORE;
    }
    fprintf(fp,
            "<figcaption>图 6-%d %d 年各市人均基本公共服务支出（元/人，%zu "
            "个市）。口径：<code>fin.basic_service.spend</code>（基本公共服务"
            "支出）÷ <code>pop.resident</code>（常住人口），取规则所用之值"
            "（市无存储值时为其所辖全部县区之和）；柱按区域着色，由高到低"
            "排列。",
            fig, year, n);
    int nderived = 0;
    for (size_t i = 0; i < n; i++) {
        if (!bars[i]->derived)
            continue;
        fputs(nderived++ ? "、" : "由所辖县区汇总的市：", fp);
        put(fp, er_rep_region_label(&r->regions[bars[i]->region]));
    }
    if (nderived)
        fputs("。", fp);
    if (nabsent)
        percap_absent(r, fp, year);
    if (!isfinite(core)) {
        fputs("没有核心区的数据（或其人均不是有限数），未画核心区人均。", fp);
    } else {
        fprintf(fp,
                "实线为核心区人均 = 核心区 %d 市支出合计 ÷ 常住人口合计 = "
                "%s 元/人",
                ncore, er_html_int(num, sizeof num, core));
        if (rule) {
            fputs("（与 <code>", fp);
            put_id(fp, rule->id);
            fputs("</code> 同口径）", fp);
        }
        if (isfinite(band_floor)) {
            fputs("；阴影带为其 ", fp);
            put_pct(fp, 1.0 - max_gap);
            fputs("–100%，虚线（", fp);
            put_pct(fp, 1.0 - max_gap);
            fprintf(fp, "，%s 元/人）即差距 ",
                    er_html_int(num2, sizeof num2, band_floor));
            put_pct(fp, max_gap);
            fputs(" 的界线（<code>", fp);
            put_id(fp, rule->id);
            fputs("</code> 在本次运行中的目标）。", fp);
            int below = 0;
            for (size_t i = 0; i < n; i++) {
                if (bars[i]->value >= band_floor)
                    continue;
                fputs(below++ ? "、" : "低于虚线的市：", fp);
                put(fp, er_rep_region_label(&r->regions[bars[i]->region]));
            }
            fputs(below ? "。" : "没有低于虚线的市。", fp);
        } else if (!rule) {
            fputs("。本次运行没有规则声明此图（<code>report = { chart = "
                  "\"per_capita_gap\" }</code>），未画差距界线。",
                  fp);
        } else if (isnan(max_gap)) {
            fputs("。<code>", fp);
            put_id(fp, rule->id);
            fprintf(fp, "</code> 在 %d 年没有目标值，未画差距界线。", year);
        } else {
            fputs("。<code>", fp);
            put_id(fp, rule->id);
            fputs("</code> 的目标 ", fp);
            put_pct(fp, max_gap);
            fputs(" 不在 0–100% 之间，未画差距界线。", fp);
        }
    }
    for (size_t i = 0; i < nodd; i++) {
        fputs(i ? "、" : "人均不是有限数（支出或常住人口异常），未画出的市：",
              fp);
        put(fp, er_rep_region_label(&r->regions[odd[i]->region]));
    }
    if (nodd)
        fputs("。", fp);
    fputs("</figcaption>\n</figure>\n", fp);
done:
    free(bars);
    free(odd);
    return ER_OK;
}

static int section_percap(const er_report *r, FILE *fp)
{
    fputs("<section id=\"per-capita\">\n<h2>6 人均基本公共服务支出 <span "
          "class=\"en\">Per-capita basic public service spending</span></h2>\n",
          fp);
    if (r->data_changed)
        fputs("<p class=\"warnbox\">数据表在本次运行之后已更改，以下图表按当前"
              "数据绘制。</p>\n",
              fp);
    if (!r->npercap) {
        fputs("<p>数据表中没有这些年度各市的 fin.basic_service.spend 与 "
              "pop.resident。</p>\n</section>\n",
              fp);
        return ER_OK;
    }
    int fig = 0, rc = ER_OK;
    for (int y = r->year_from; y <= r->year_to && rc == ER_OK; y++)
        rc = percap_chart(r, fp, y, ++fig);
    fputs("</section>\n", fp);
    return rc;
}

static int section_trends(const er_report *r, FILE *fp)
{
    size_t n = (size_t)(r->year_to - r->year_from + 1);
    int *years = calloc(n, sizeof *years);
    double *rates = calloc(n, sizeof *rates), *gap = calloc(n, sizeof *gap);
    double *limit = calloc(n, sizeof *limit);
    int rc = ER_OK;
    if (!years || !rates || !gap || !limit) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    fputs("<section id=\"trends\">\n<h2>7 趋势 <span class=\"en\">Trends"
          "</span></h2>\n<div class=\"charts\">\n<figure>\n",
          fp);
    for (size_t i = 0; i < n; i++) {
        years[i] = r->year_from + (int)i;
        rates[i] = er_pass_rate(r->year_counts[i]);
        gap[i] = limit[i] = NAN;
    }
    er_svg_line(fp, "trend-rate", "各年度通过率", years, rates, NULL, n);
    fputs("<figcaption>图 7-1 各年度通过率（全部规则）。<span "
          "class=\"en\">Pass rate per year.</span></figcaption>\n</figure>\n",
          fp);

    /* the measured values of the rule that feeds the per-capita chart, for
     * the first region that has them, against its target */
    int32_t rule = r->gap_rule;
    int32_t region = -1;
    bool any = false;
    for (size_t i = 0; rule >= 0 && i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (f->rule != rule || !f->has_measured || f->year < r->year_from ||
            f->year > r->year_to)
            continue;
        if (region < 0 || f->region < region)
            region = f->region;
    }
    for (size_t i = 0; region >= 0 && i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (f->rule != rule || f->region != region || !f->has_measured ||
            f->year < r->year_from || f->year > r->year_to)
            continue;
        gap[f->year - r->year_from] = f->measured;
        if (f->has_required)
            limit[f->year - r->year_from] = f->required;
        any = true;
    }
    if (any) {
        const er_rep_rule *u = &r->rules[rule];
        char label[512];
        snprintf(label, sizeof label, "%s 各年度实测值", u->id);
        fputs("<figure>\n", fp);
        er_svg_line(fp, "trend-gap", label, years, gap, limit, n);
        fputs("<figcaption>图 7-2 <code>", fp);
        put_id(fp, u->id);
        fputs("</code> 各年度实测值（", fp);
        put(fp, er_rep_region_label(&r->regions[region]));
        fputs("）：", fp);
        put(fp, u->title);
        fputs("；虚线为要求的上限（目标", fp);
        int shown = 0;
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(limit[i]))
                continue;
            fprintf(fp, "%s%d 年 ", shown++ ? "，" : "：", years[i]);
            put_pct(fp, limit[i]);
        }
        fputs(shown ? "）。</figcaption>\n</figure>\n"
                    : "：无）。</figcaption>\n</figure>\n",
              fp);
    }
    fputs("</div>\n</section>\n", fp);
done:
    free(years);
    free(rates);
    free(gap);
    free(limit);
    return rc;
}

/* ---- equalization index, goals, ranking -------------------------------- */

/* A measure's cell: its value, or what its finding is when it has none
 * ("缺数据" for missing, "出错" for error), or "—" without a finding. */
static void put_index_cell(FILE *fp, const er_rep_finding *f)
{
    char num[64];
    if (!f) {
        fputs("<td class=\"num none\" title=\"无结果\">—</td>", fp);
    } else if (f->has_measured && isfinite(f->measured) &&
               f->outcome != ER_MISSING && f->outcome != ER_ERROR) {
        fprintf(fp, "<td class=\"num\" data-outcome=\"%s\">%s</td>",
                er_outcome_name((er_outcome)f->outcome),
                er_goal_num(num, sizeof num, f->measured));
    } else {
        fputs("<td class=\"num\">", fp);
        put_outcome(fp, f->outcome);
        fputs("</td>", fp);
    }
}

/* The measure of rule `u` in `year` as a number, NaN when it has none. */
static double index_value(const er_report *r, int32_t u, int year)
{
    const er_rep_finding *f =
        u >= 0 ? er_report_finding_of(r, u, year, NULL) : NULL;
    return f && f->has_measured && f->outcome != ER_MISSING &&
                   f->outcome != ER_ERROR
               ? f->measured
               : NAN;
}

/* The split charts: between vs within the zones, and between vs within
 * the cities, per year; a caption that says what each bar holds and where
 * the parts do not add up to the index. */
static int index_splits(const er_report *r, FILE *fp, int *fig)
{
    int32_t theil = er_report_index_rule(r, "theil");
    int32_t bz = er_report_index_rule(r, "theil_between_zone");
    int32_t wz = er_report_index_rule(r, "theil_within_zone");
    int32_t wc = er_report_index_rule(r, "theil_within_city");
    size_t n = (size_t)(r->year_to - r->year_from + 1);
    int *years = calloc(n, sizeof *years);
    double *a = calloc(n, sizeof *a), *b = calloc(n, sizeof *b);
    char num[64], num2[64];
    int rc = ER_OK;
    if (!years || !a || !b) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        years[i] = r->year_from + (int)i;
    if (bz >= 0 && wz >= 0) {
        for (size_t i = 0; i < n; i++) {
            a[i] = index_value(r, bz, years[i]);
            b[i] = index_value(r, wz, years[i]);
        }
        fputs("<figure class=\"split-zone\">\n", fp);
        er_svg_shares(fp, "split-zone", "泰尔指数：区域之间与区域内部", n,
                      years, a, b, "区域之间（一核一带一区之间）",
                      "区域内部");
        fprintf(fp,
                "<figcaption>图 8-%d 泰尔指数分解：每年一条，深色为区域之间"
                "（<code>",
                ++*fig);
        put_id(fp, r->rules[bz].id);
        fputs("</code>），浅色为区域内部（<code>", fp);
        put_id(fp, r->rules[wz].id);
        fputs("</code>），标注其占两者之和的份额与数值。", fp);
        for (size_t i = 0; theil >= 0 && i < n; i++) {
            double t = index_value(r, theil, years[i]);
            double sum = a[i] + b[i];
            if (isfinite(t) && isfinite(sum) &&
                fabs(sum - t) > 1e-9 * fmax(1.0, fabs(t)))
                fprintf(fp,
                        "<strong class=\"mismatch\">%d 年区域之间与区域内部"
                        "之和 %s 不等于泰尔指数 %s。</strong>",
                        years[i], er_goal_num(num, sizeof num, sum),
                        er_goal_num(num2, sizeof num2, t));
        }
        fputs("</figcaption>\n</figure>\n", fp);
    }
    if (theil >= 0 && wc >= 0) {
        for (size_t i = 0; i < n; i++) {
            a[i] = index_value(r, theil, years[i]);
            b[i] = index_value(r, wc, years[i]);
        }
        fputs("<figure class=\"split-city\">\n", fp);
        er_svg_shares(fp, "split-city", "县区间差距：城市之间与城市内部", n,
                      years, a, b, "城市之间", "城市内部（县区之间）");
        fprintf(fp,
                "<figcaption>图 8-%d 县区之间的差距分为城市之间（各市之间的"
                "泰尔指数，<code>",
                ++*fig);
        put_id(fp, r->rules[theil].id);
        fputs("</code>）与城市内部（<code>", fp);
        put_id(fp, r->rules[wc].id);
        fputs("</code>）两部分，标注其占两者之和的份额与数值。"
              "</figcaption>\n</figure>\n",
              fp);
    }
done:
    free(years);
    free(a);
    free(b);
    return rc;
}

static int section_index(const er_report *r, FILE *fp)
{
    int fig = 0, rc = ER_OK;
    fputs("<section id=\"equalization\">\n<h2>8 均等化水平 <span "
          "class=\"en\">Equalization index</span></h2>\n",
          fp);
    if (er_report_region_why(r)) {
        fputs("<p class=\"absent\">", fp);
        put(fp, er_report_region_why(r));
        fputs("</p>\n", fp);
    }
    if (!er_report_has_index(r, false) && !er_report_has_index(r, true) &&
        !r->run_hints) {
        fputs("<p>本次运行没有规则声明均等化指数（<code>report = { index = "
              "... }</code>），本节为空。</p>\n</section>\n",
              fp);
        return ER_OK;
    }
    if (!er_report_has_index(r, false)) {
        fputs("<p class=\"absent\">", fp);
        put(fp, er_report_absent_why(r, ER_HINT_INDEX));
        fputs("</p>\n", fp);
    } else {
        fputs("<p>各年度各市人均基本公共服务支出的差异程度，数值越小越均衡。"
              "每个数值为声明该指数的规则在当年的实测值；“缺数据”“出错”表示"
              "该规则当年未能算出，“—”表示没有结果。</p>\n"
              "<table class=\"index\">\n<thead><tr><th>年度</th>",
              fp);
        for (size_t k = 0; er_report_indexes[k]; k++) {
            int32_t u = er_report_index_rule(r, er_report_indexes[k]);
            if (u < 0)
                continue;
            fputs("<th data-index=\"", fp);
            put(fp, er_report_indexes[k]);
            fputs("\">", fp);
            put(fp, er_index_zh(er_report_indexes[k]));
            fputs("<br><code>", fp);
            put_id(fp, r->rules[u].id);
            fputs("</code></th>", fp);
        }
        fputs("</tr></thead>\n<tbody>\n", fp);
        for (int y = r->year_from; y <= r->year_to; y++) {
            if (r->filter_year && y != r->filter_year)
                continue;
            fprintf(fp, "<tr data-year=\"%d\"><th>%d</th>", y, y);
            for (size_t k = 0; er_report_indexes[k]; k++) {
                int32_t u = er_report_index_rule(r, er_report_indexes[k]);
                if (u >= 0)
                    put_index_cell(fp, er_report_finding_of(r, u, y, NULL));
            }
            fputs("</tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
        if (r->filter_rows && !r->filter_year)
            fputs("<p>按本报告的筛选条件：“—”表示没有结果或结果不在筛选"
                  "范围内。</p>\n", fp);
        if ((rc = index_splits(r, fp, &fig)) != ER_OK)
            return rc;
    }
    if (!er_report_has_index(r, true)) {
        fputs("<p class=\"absent\">", fp);
        put(fp, er_report_absent_why(r, ER_HINT_ITEM_INDEX));
        fputs("</p>\n", fp);
    } else {
        fputs("<h3>分项目 <span class=\"en\">By item</span></h3>\n"
              "<p>各项目人均受益经费在各地区之间的差异。</p>\n"
              "<table class=\"index-items\">\n<thead><tr><th>项目</th>"
              "<th>指数</th>",
              fp);
        for (int y = r->year_from; y <= r->year_to; y++)
            if (!r->filter_year || y == r->filter_year)
                fprintf(fp, "<th>%d</th>", y);
        fputs("</tr></thead>\n<tbody>\n", fp);
        for (size_t u = 0; u < r->nrules; u++) {
            const er_rep_rule *x = &r->rules[u];
            if (!x->index || !x->item)
                continue;
            fputs("<tr data-item=\"", fp);
            put(fp, x->item);
            fputs("\"><td>", fp);
            put(fp, x->item_name ? x->item_name : x->item);
            fputs(" <span class=\"en\">", fp);
            put(fp, x->item);
            fputs("</span></td><td>", fp);
            put(fp, er_index_zh(x->index));
            fputs("</td>", fp);
            for (int y = r->year_from; y <= r->year_to; y++)
                if (!r->filter_year || y == r->filter_year)
                    put_index_cell(
                        fp, er_report_finding_of(r, (int32_t)u, y, NULL));
            fputs("</tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
    }
    fputs("</section>\n", fp);
    return ER_OK;
}

static int section_goals(const er_report *r, FILE *fp)
{
    int fig = 0, any = 0, rc = ER_OK;
    fputs("<section id=\"goals\">\n<h2>9 目标进展 <span class=\"en\">Progress "
          "toward the goals</span></h2>\n",
          fp);
    if (er_report_region_why(r)) {
        fputs("<p class=\"absent\">", fp);
        put(fp, er_report_region_why(r));
        fputs("</p>\n", fp);
    }
    for (size_t u = 0; u < r->nrules && rc == ER_OK; u++) {
        const er_rep_rule *x = &r->rules[u];
        if (!x->goal)
            continue;
        er_rep_goalpt *pts = NULL;
        size_t n = 0;
        er_buf line;
        er_buf_init(&line);
        int met = -1;
        if ((rc = er_report_goal_series(r, (int32_t)u, &pts, &n)) != ER_OK ||
            (rc = er_report_goal_sentence(r, (int32_t)u, pts, n, &line,
                                          &met)) != ER_OK) {
            free(pts);
            er_buf_free(&line);
            break;
        }
        if (!any++)
            fputs("<div class=\"charts\">\n", fp);
        fprintf(fp, "<figure class=\"goal\" data-goal=\"%d\" data-rule=\"",
                x->goal);
        put(fp, x->id);
        fputs("\">\n", fp);
        er_svg_goal(fp, x->title, pts, n, x->goal, r->id);
        fprintf(fp, "<figcaption>图 9-%d ", ++fig);
        put(fp, x->title);
        fputs("（<code>", fp);
        put_id(fp, x->id);
        fputs("</code>）：实线为各年度实测值，虚线为要求值，竖线为目标年份。",
              fp);
        int other = 0;
        for (size_t i = 0; i < n; i++)
            other += pts[i].run != r->id;
        if (other)
            fputs("空心点取自其他运行（本次运行未含该年度）。", fp);
        fprintf(fp, "<p class=\"goal-verdict\" data-met=\"%s\">",
                met == 1 ? "yes" : met == 0 ? "no" : "unknown");
        put(fp, line.data ? line.data : "");
        fputs("</p>", fp);
        er_buf left;
        er_buf_init(&left);
        if ((rc = er_report_goal_left_out(r, (int32_t)u, &left)) == ER_OK &&
            left.data && *left.data) {
            fputs("<p class=\"goal-left-out\">", fp);
            put(fp, left.data);
            fputs("</p>", fp);
        }
        er_buf_free(&left);
        fputs("</figcaption>\n</figure>\n", fp);
        free(pts);
        er_buf_free(&line);
    }
    if (any)
        fputs("</div>\n", fp);
    else if (rc == ER_OK && (r->run_hints & ER_HINT_GOAL)) {
        fputs("<p class=\"absent\">", fp);
        put(fp, er_report_absent_why(r, ER_HINT_GOAL));
        fputs("</p>\n", fp);
    } else if (rc == ER_OK)
        fputs("<p>本次运行没有规则声明目标（<code>report = { goal = 年份 }"
              "</code>），本节为空。</p>\n",
              fp);
    fputs("</section>\n", fp);
    return rc;
}

static int section_ranking(const page *pg, FILE *fp)
{
    const er_report *r = pg->r;
    char num[64];
    int rc = ER_OK;
    fputs("<section id=\"ranking\">\n<h2>10 绩效考核排名 <span "
          "class=\"en\">Performance ranking</span></h2>\n",
          fp);
    if (r->rank_rule < 0 && (r->run_hints & ER_HINT_RANKING)) {
        fputs("<p class=\"absent\">", fp);
        put(fp, er_report_absent_why(r, ER_HINT_RANKING));
        fputs("</p>\n</section>\n", fp);
        return ER_OK;
    }
    if (r->rank_rule < 0) {
        fputs("<p>本次运行没有规则声明排名（<code>report = { chart = "
              "\"ranking\" }</code>），本节为空。</p>\n</section>\n",
              fp);
        return ER_OK;
    }
    const er_rep_rule *x = &r->rules[r->rank_rule];
    fputs("<p>各市按 <code>", fp);
    put_id(fp, x->id);
    fputs("</code>（", fp);
    put(fp, x->title);
    fputs("）的得分由高到低排列，得分先四舍五入到 0.01（与规则排名相同），"
          "同分同名次；",
          fp);
    fputs(r->run_region ? "名次由规则在全省各市中排列，见说明；"
                        : "名次在本次运行全省各市中排列，不只是下表所列的市；",
          fp);
    fputs("说明即该结果的说明。</p>\n", fp);
    for (int y = r->year_from; y <= r->year_to && rc == ER_OK; y++) {
        const er_rep_finding **list = NULL;
        int *ranks = NULL;
        size_t n = 0;
        if ((rc = er_report_ranking(r, y, &list, &ranks, &n)) != ER_OK)
            break;
        fprintf(fp, "<h3>%d 年 <span class=\"en\">%d</span></h3>\n", y, y);
        if (!n) {
            fputs("<p>本年度没有结果。</p>\n", fp);
            continue;
        }
        long ranked = er_report_ranked(r, y);
        if (r->run_region)
            fputs("<p class=\"partial\">不显示名次：本次运行只评估了一个"
                  "地区，只存了它的得分；规则在全省各市中算出的名次见说明。"
                  "</p>\n",
                  fp);
        else if (r->rank_cities && ranked < r->rank_cities)
            fprintf(fp, "<p class=\"partial\">排名不完整：本次运行只为 "
                        "%ld/%ld 个市计分，名次只在这些市之间排列。</p>\n",
                    ranked, r->rank_cities);
        fprintf(fp,
                "<table class=\"ranking\" data-year=\"%d\">\n<thead><tr>"
                "<th>名次</th><th>地区</th><th>得分</th><th>结果</th>"
                "<th>说明</th></tr></thead>\n<tbody>\n",
                y);
        for (size_t i = 0; i < n; i++) {
            const er_rep_finding *f = list[i];
            fputs("<tr><td class=\"num\">", fp);
            if (ranks[i])
                fprintf(fp, "%d", ranks[i]);
            else
                fputs("—", fp);
            fputs("</td><td>", fp);
            put_region(pg, fp, f->region, " ");
            fprintf(fp, "</td><td class=\"num\">%s</td><td>",
                    f->has_measured
                        ? er_rep_num(num, sizeof num, f->measured)
                        : "—");
            put_outcome(fp, f->outcome);
            fputs("</td><td class=\"note\">", fp);
            put(fp, f->note ? f->note : "");
            fputs("</td></tr>\n", fp);
        }
        fputs("</tbody></table>\n", fp);
        free(list);
        free(ranks);
    }
    fputs("</section>\n", fp);
    return rc;
}

/* ---- scorecards ---------------------------------------------------------- */

static bool card_level(const er_rep_region *g)
{
    return g->level &&
           (strcmp(g->level, "city") == 0 || strcmp(g->level, "county") == 0);
}

/* Fills pg's index of findings by region, the regions above, the regions
 * that get a scorecard (cities and counties with findings, the first
 * MAX_SCORECARDS by code, the focus always) and the focus: the one city or
 * county every finding of the report lies under, when there is one. */
static int page_init(page *pg, const er_report *r)
{
    memset(pg, 0, sizeof *pg);
    pg->r = r;
    pg->focus = -1;
    pg->card = calloc(r->nregions + 1, sizeof *pg->card);
    pg->start = calloc(r->nregions + 2, sizeof *pg->start);
    pg->idx = calloc(r->nfindings + 1, sizeof *pg->idx);
    pg->up = calloc(r->nregions + 1, sizeof *pg->up);
    if (!pg->card || !pg->start || !pg->idx || !pg->up)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->nfindings; i++)
        pg->start[r->findings[i].region + 2]++;
    for (size_t g = 0; g < r->nregions; g++) {
        pg->start[g + 2] += pg->start[g + 1];
        pg->up[g] = region_at(r, r->regions[g].parent);
    }
    for (size_t i = 0; i < r->nfindings; i++)
        pg->idx[pg->start[r->findings[i].region + 1]++] = i;

    /* the roots: regions with findings with none above them */
    int32_t root = -1;
    size_t nroots = 0;
    for (size_t g = 0; g < r->nregions; g++) {
        if (pg->start[g + 1] == pg->start[g])
            continue;
        bool covered = false;
        int32_t u = pg->up[g];
        for (int depth = 0; u >= 0 && depth < MAX_DEPTH; depth++) {
            if (pg->start[u + 1] > pg->start[u])
                covered = true;
            u = pg->up[u];
        }
        if (!covered) {
            root = (int32_t)g;
            nroots++;
        }
    }
    if (nroots == 1 && card_level(&r->regions[root]))
        pg->focus = root;
    for (size_t g = 0; g < r->nregions; g++) {
        if (pg->start[g + 1] == pg->start[g] || !card_level(&r->regions[g]))
            continue;
        if (pg->ncards < MAX_SCORECARDS || (int32_t)g == pg->focus) {
            pg->card[g] = true;
            pg->ncards++;
        } else {
            pg->nmore++;
        }
    }
    return ER_OK;
}

static void page_free(page *pg)
{
    free(pg->card);
    free(pg->start);
    free(pg->idx);
    free(pg->up);
}

/* The outcome counts of region gi's findings, overall and per year
 * (years[year - year_from], may be NULL). */
static void region_counts(const page *pg, int32_t gi,
                          long counts[ER_OUTCOME_COUNT],
                          long (*years)[ER_OUTCOME_COUNT])
{
    const er_report *r = pg->r;
    memset(counts, 0, ER_OUTCOME_COUNT * sizeof *counts);
    for (size_t k = pg->start[gi]; k < pg->start[gi + 1]; k++) {
        const er_rep_finding *f = &r->findings[pg->idx[k]];
        counts[f->outcome]++;
        if (years && f->year >= r->year_from && f->year <= r->year_to)
            years[f->year - r->year_from][f->outcome]++;
    }
}

/* One row of the scorecard's table: rule u's finding f (its latest year in
 * region gi) and its outcome in each year. */
static void card_item(const page *pg, FILE *fp, int32_t gi, size_t u,
                      const er_rep_finding *f)
{
    const er_report *r = pg->r;
    const er_rep_rule *rule = &r->rules[u];
    char num[64];
    fprintf(fp, "<tr class=\"card-item\" data-outcome=\"%s\"><td data-sort=\"",
            er_outcome_name((er_outcome)f->outcome));
    put(fp, rule->id);
    fputs("\"><code>", fp);
    put_id(fp, rule->id);
    fputs("</code><br><span class=\"small\">", fp);
    put(fp, rule->title);
    if (rule->item && *rule->item) {
        fputs("（项目 ", fp);
        put(fp, rule->item);
        fputs("）", fp);
    }
    fprintf(fp, "</span></td><td class=\"num\">%d</td><td data-sort=\"%s\">",
            f->year, er_outcome_name((er_outcome)f->outcome));
    put_outcome(fp, f->outcome);
    fputs("</td><td class=\"num\">", fp);
    put_measure(fp, f, false);
    fputs("</td><td class=\"num\">", fp);
    put_measure(fp, f, true);
    fputs("</td><td class=\"nw\">", fp);
    put(fp, f->unit);
    fprintf(fp, "</td><td class=\"num\">%s</td><td class=\"nw\">",
            f->has_amount ? er_fmt_fen(num, sizeof num, f->amount) : "—");
    for (size_t k = pg->start[gi]; k < pg->start[gi + 1]; k++) {
        const er_rep_finding *y = &r->findings[pg->idx[k]];
        if (y->rule != (int32_t)u)
            continue;
        fprintf(fp, "<span class=\"o o-%s yr\" title=\"%d %s %s\">%s</span>",
                er_outcome_name((er_outcome)y->outcome), y->year,
                er_outcome_zh(y->outcome),
                er_outcome_name((er_outcome)y->outcome),
                er_outcome_symbol(y->outcome));
    }
    fputs("</td><td class=\"note\">", fp);
    put(fp, f->note);
    fputs("</td></tr>\n", fp);
}

/* The scorecard's table: one row per rule of region gi (card_item), the
 * rules that failed in any year first, each group in rule order. */
static int card_items(const page *pg, FILE *fp, int32_t gi)
{
    const er_report *r = pg->r;
    int32_t *last = malloc((r->nrules + 1) * sizeof *last);
    bool *bad = calloc(r->nrules + 1, sizeof *bad);
    if (!last || !bad) {
        free(last);
        free(bad);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    for (size_t u = 0; u < r->nrules; u++)
        last[u] = -1;
    for (size_t k = pg->start[gi]; k < pg->start[gi + 1]; k++)
        last[r->findings[pg->idx[k]].rule] = (int32_t)pg->idx[k];
    for (size_t k = pg->start[gi]; k < pg->start[gi + 1]; k++)
        if (er_outcome_failing(r->findings[pg->idx[k]].outcome))
            bad[r->findings[pg->idx[k]].rule] = true;
    fputs("<table class=\"sortable card-items\"><thead><tr><th>规则 <span "
          "class=\"en\">rule</span></th><th class=\"num\">年度 <span "
          "class=\"en\">year</span></th><th>结果 <span "
          "class=\"en\">outcome</span></th><th class=\"num\">实测 <span "
          "class=\"en\">measured</span></th><th class=\"num\">要求 <span "
          "class=\"en\">required</span></th><th>单位 <span "
          "class=\"en\">unit</span></th><th class=\"num\">金额（元） <span "
          "class=\"en\">amount</span></th>",
          fp);
    fprintf(fp,
            "<th>各年度 <span class=\"en\">%d–%d</span></th><th>说明 <span "
            "class=\"en\">note</span></th></tr></thead><tbody>\n",
            r->year_from, r->year_to);
    for (int failing = 1; failing >= 0; failing--)
        for (size_t u = 0; u < r->nrules; u++)
            if (last[u] >= 0 && bad[u] == (failing == 1))
                card_item(pg, fp, gi, u, &r->findings[last[u]]);
    fputs("</tbody></table>\n", fp);
    free(last);
    free(bad);
    return ER_OK;
}

/* The regions directly below gi that have findings, with their counts. */
static void card_children(const page *pg, FILE *fp, int32_t gi)
{
    const er_report *r = pg->r;
    char rate[32], num[64], num2[64];
    size_t n = 0;
    for (size_t g = 0; g < r->nregions; g++) {
        if (pg->up[g] != gi || pg->start[g + 1] == pg->start[g])
            continue;
        if (!n++)
            fputs("<h4>下级地区 <span class=\"en\">Regions below</span></h4>\n"
                  "<table class=\"sortable card-children\"><thead><tr><th>"
                  "地区 <span class=\"en\">region</span></th><th "
                  "class=\"num\">结果 <span class=\"en\">findings</span></th>"
                  "<th class=\"num\">通过 <span class=\"en\">pass</span></th>"
                  "<th class=\"num\">未通过 <span class=\"en\">failing</span>"
                  "</th><th class=\"num\">通过率 <span class=\"en\">pass "
                  "rate</span></th><th class=\"num\">核减（元） <span "
                  "class=\"en\">cut</span></th><th class=\"num\">分配（元） "
                  "<span class=\"en\">allocation</span></th></tr></thead>"
                  "<tbody>\n",
                  fp);
        long counts[ER_OUTCOME_COUNT];
        region_counts(pg, (int32_t)g, counts, NULL);
        int64_t cut = 0, alloc = 0;
        for (size_t k = pg->start[g]; k < pg->start[g + 1]; k++) {
            const er_rep_finding *f = &r->findings[pg->idx[k]];
            if (f->has_amount && f->outcome == ER_CUT)
                cut += f->amount;
            else if (f->has_amount && f->outcome == ER_ALLOCATION)
                alloc += f->amount;
        }
        fputs("<tr><td data-sort=\"", fp);
        put(fp, r->regions[g].code);
        fputs("\">", fp);
        put_region(pg, fp, (int32_t)g, " ");
        fprintf(fp,
                "</td><td class=\"num\">%ld</td><td class=\"num\">%ld</td>"
                "<td class=\"num\">%ld</td><td class=\"num\">%s</td><td "
                "class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
                er_count_total(counts), counts[ER_PASS],
                er_count_failing(counts),
                er_fmt_rate(rate, sizeof rate, er_pass_rate(counts)),
                er_fmt_fen(num, sizeof num, cut),
                er_fmt_fen(num2, sizeof num2, alloc));
    }
    if (n)
        fputs("</tbody></table>\n", fp);
}

/* The region's cuts and allocations per year (r->money). */
static void card_money(const page *pg, FILE *fp, int32_t gi)
{
    const er_report *r = pg->r;
    char num[64], num2[64];
    size_t n = 0;
    for (size_t i = 0; i < r->nmoney; i++) {
        const er_rep_money *m = &r->money[i];
        if (m->region != gi)
            continue;
        if (!n++)
            fputs("<h4>核减与分配 <span class=\"en\">Cuts and allocations"
                  "</span></h4>\n<table class=\"card-money\"><thead><tr><th "
                  "class=\"num\">年度 <span class=\"en\">year</span></th><th "
                  "class=\"num\">核减（元） <span class=\"en\">cut</span>"
                  "</th><th class=\"num\">分配（元） <span "
                  "class=\"en\">allocation</span></th></tr></thead><tbody>\n",
                  fp);
        fprintf(fp,
                "<tr><td class=\"num\">%d</td><td class=\"num\">%s</td><td "
                "class=\"num\">%s</td></tr>\n",
                m->year, m->ncut ? er_fmt_fen(num, sizeof num, m->cut) : "—",
                m->nallocation ? er_fmt_fen(num2, sizeof num2, m->allocation)
                               : "—");
    }
    if (n)
        fputs("</tbody></table>\n", fp);
}

/* What the region's evaluations lacked (the run's data gaps). */
static void card_gaps(const page *pg, FILE *fp, int32_t gi)
{
    const er_report *r = pg->r;
    const er_gapset *gs = &r->gaps;
    const char *code = r->regions[gi].code;
    size_t n = 0;
    for (size_t i = 0; i < gs->nrows; i++) {
        const er_gap_row *row = &gs->rows[i];
        const char *region = er_gapset_name(gs, row->region);
        if (!region || strcmp(region, code) != 0)
            continue;
        if (!n++)
            fputs("<h4>数据缺口 <span class=\"en\">Data gaps</span></h4>\n"
                  "<ul class=\"card-gaps small\">\n",
                  fp);
        if (n > MAX_CARD_GAPS)
            continue;
        const char *kind = er_gap_kind_name(row->kind);
        fprintf(fp, "<li>%d <code>", row->year);
        put_id(fp, er_gapset_name(gs, row->rule));
        fputs("</code>：缺 ", fp);
        put(fp, kind ? kind : "");
        fputs(" <code>", fp);
        put(fp, er_gapset_name(gs, row->key));
        fputs("</code>", fp);
        const char *other =
            row->data_region >= 0 ? er_gapset_name(gs, row->data_region) : NULL;
        if (other && strcmp(other, code) != 0) {
            fputs("（", fp);
            put(fp, other);
            fputs(" 的数据）", fp);
        }
        fputs("</li>\n", fp);
    }
    if (n > MAX_CARD_GAPS)
        fprintf(fp, "<li>另有 %zu 项未列出。</li>\n", n - MAX_CARD_GAPS);
    if (n)
        fputs("</ul>\n", fp);
    else
        fputs("<p class=\"small\">没有数据缺口。<span class=\"en\">No data "
              "gaps.</span></p>\n",
              fp);
}

/* One region's scorecard: <div id="region-CODE">. */
static int scorecard(const page *pg, FILE *fp, int32_t gi)
{
    const er_report *r = pg->r;
    const er_rep_region *g = &r->regions[gi];
    char num[64], num2[64], rate[32], rate2[32];
    size_t nyears = r->year_to >= r->year_from
                        ? (size_t)(r->year_to - r->year_from + 1)
                        : 0;
    long counts[ER_OUTCOME_COUNT];
    long (*years)[ER_OUTCOME_COUNT] = calloc(nyears + 1, sizeof *years);
    int *ys = calloc(nyears + 1, sizeof *ys);
    double *rates = calloc(nyears + 1, sizeof *rates);
    int rc = ER_OK;
    if (!years || !ys || !rates) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    region_counts(pg, gi, counts, years);
    int64_t cut = 0, alloc = 0;
    for (size_t k = pg->start[gi]; k < pg->start[gi + 1]; k++) {
        const er_rep_finding *f = &r->findings[pg->idx[k]];
        if (f->has_amount && f->outcome == ER_CUT)
            cut += f->amount;
        else if (f->has_amount && f->outcome == ER_ALLOCATION)
            alloc += f->amount;
    }
    fprintf(fp, "<div class=\"scorecard%s\" id=\"region-",
            gi == pg->focus ? " focus" : "");
    put(fp, g->code);
    fputs("\" data-region=\"", fp);
    put(fp, g->code);
    fputs("\">\n<h3>", fp);
    put(fp, er_rep_region_label(g));
    fputs(" <span class=\"en\">", fp);
    put(fp, g->code);
    fputs(" · ", fp);
    put(fp, g->level ? g->level : "—");
    fputs("</span></h3>\n<p class=\"small\">区域 <span "
          "class=\"en\">zone</span>：",
          fp);
    put(fp, er_report_zone_name(r, g->zone));
    if (pg->up[gi] >= 0) {
        fputs("；上级 <span class=\"en\">above</span>：", fp);
        put_region(pg, fp, pg->up[gi], " ");
    }
    fputs("</p>\n", fp);
    fprintf(fp,
            "<div class=\"cards\"><div class=\"card\"><b>%ld</b><span>结果 "
            "findings</span></div><div class=\"card\"><b "
            "style=\"color:var(--pass)\">%ld</b><span>通过 pass</span></div>"
            "<div class=\"card\"><b style=\"color:var(--fail)\">%ld</b><span>"
            "未通过 failing</span></div><div class=\"card\"><b>%s</b><span>"
            "通过率 pass rate</span></div><div class=\"card\"><b>%s</b><span>"
            "已评估 assessed</span></div><div class=\"card\"><b>%s</b><span>"
            "核减 cut（元）</span></div><div class=\"card\"><b>%s</b><span>"
            "分配 allocation（元）</span></div></div>\n",
            er_count_total(counts), counts[ER_PASS], er_count_failing(counts),
            er_fmt_rate(rate, sizeof rate, er_pass_rate(counts)),
            fmt_assessed(rate2, sizeof rate2, counts),
            er_fmt_fen(num, sizeof num, cut),
            er_fmt_fen(num2, sizeof num2, alloc));
    if ((rc = card_items(pg, fp, gi)) != ER_OK)
        goto done;
    if (nyears > 1) {
        for (size_t i = 0; i < nyears; i++) {
            ys[i] = r->year_from + (int)i;
            rates[i] = er_pass_rate(years[i]);
        }
        char label[300];
        snprintf(label, sizeof label, "%s 各年度通过率",
                 er_rep_region_label(g));
        fputs("<figure class=\"card-trend\">\n", fp);
        er_svg_line(fp, "trend-rate", label, ys, rates, NULL, nyears);
        fputs("<figcaption>", fp);
        put(fp, er_rep_region_label(g));
        fputs(" 各年度通过率（该地区全部规则）。<span class=\"en\">Pass rate "
              "per year.</span></figcaption>\n</figure>\n",
              fp);
    }
    card_money(pg, fp, gi);
    card_children(pg, fp, gi);
    card_gaps(pg, fp, gi);
    fputs("</div>\n", fp);
done:
    free(years);
    free(ys);
    free(rates);
    return rc;
}

/* The scorecards of every city and county with findings but the focus's
 * (which leads the page). */
static int section_scorecards(const page *pg, FILE *fp)
{
    const er_report *r = pg->r;
    fputs("<section id=\"scorecards\">\n<h2>11 地区记分卡 <span "
          "class=\"en\">Region scorecards</span></h2>\n<p class=\"small\">"
          "每个有结果的市、县一张：各规则最近年度的结果、实测与要求、金额，"
          "各年度结果，核减与分配，下级地区，数据缺口。<span class=\"en\">One "
          "per city and county with findings.</span></p>\n",
          fp);
    if (!pg->ncards)
        fputs("<p>本次运行没有市、县的结果。<span class=\"en\">No city or "
              "county findings.</span></p>\n",
              fp);
    int rc = ER_OK;
    for (size_t g = 0; g < r->nregions && rc == ER_OK; g++)
        if (pg->card[g] && (int32_t)g != pg->focus)
            rc = scorecard(pg, fp, (int32_t)g);
    if (pg->nmore)
        fprintf(fp,
                "<p class=\"small\">另有 %zu 个地区的记分卡未列出；用 "
                "<code>equirule report --region CODE</code> 得到一个地区的"
                "报告。</p>\n",
                pg->nmore);
    fputs("</section>\n", fp);
    return rc;
}

/* The focus's scorecard, first on the page. */
static int section_focus(const page *pg, FILE *fp)
{
    const er_rep_region *g = &pg->r->regions[pg->focus];
    fputs("<section id=\"focus\" class=\"first\">\n<h2>地区记分卡：", fp);
    put(fp, er_rep_region_label(g));
    fputs(" <span class=\"en\">Scorecard of ", fp);
    put(fp, g->code);
    fputs("</span></h2>\n<p class=\"small\">本报告的全部结果属于 ", fp);
    put(fp, er_rep_region_label(g));
    fputs(" 及其下级地区。<span class=\"en\">Every finding of this report "
          "lies in this region or below it.</span></p>\n",
          fp);
    int rc = scorecard(pg, fp, pg->focus);
    fputs("</section>\n", fp);
    return rc;
}

/* The page's body: header, sections and footer. */
static int page_body(const er_report *r, FILE *fp)
{
    page pg;
    int rc = page_init(&pg, r);
    if (rc != ER_OK)
        goto done;
    fputs("<header>\n<h1>基本公共服务均等化规则评估报告</h1>\n"
          "<p class=\"sub\">",
          fp);
    if (r->province && *r->province) {
        put(fp, r->province);
        fputs(" · ", fp);
    }
    fprintf(fp, "Basic public service equalization · equirule run %lld · ",
            (long long)r->id);
    put(fp, r->years ? r->years : "");
    fputs(" 年度", fp);
    if (r->policy && *r->policy) {
        fputs(" · ", fp);
        put(fp, r->policy);
    }
    fputs("</p>\n", fp);
    if (r->scope) { /* a run narrowed when it ran */
        fputs("<p class=\"sub filter\">部分运行 partial run: ", fp);
        put(fp, r->scope);
        fputs("</p>\n", fp);
    }
    if (r->filter) { /* what was filtered: the page shows those only */
        fputs("<p class=\"sub filter\">筛选 filtered: ", fp);
        put(fp, r->filter);
        fputs("</p>\n", fp);
    }
    fprintf(fp,
            "<nav>%s<a href=\"#run\">运行信息</a><a href=\"#summary\">结果"
            "概览</a><a href=\"#not-assessed\">未评估</a><a "
            "href=\"#data-gaps\">数据缺口</a><a href=\"#matrix\">地区×规则"
            "</a><a "
            "href=\"#failing\">未通过</a><a href=\"#money\">核减与分配</a>"
            "<a href=\"#per-capita\">人均支出</a>%s<a "
            "href=\"#equalization\">均等化水平</a><a href=\"#goals\">目标"
            "进展</a><a href=\"#ranking\">绩效排名</a><a "
            "href=\"#scorecards\">地区记分卡</a><a "
            "href=\"#appendix\">附录</a></nav>\n</header>\n",
            pg.focus >= 0 ? "<a href=\"#focus\">本地区</a>" : "",
            r->year_to > r->year_from ? "<a href=\"#trends\">趋势</a>" : "");
    if (pg.focus >= 0 && (rc = section_focus(&pg, fp)) != ER_OK)
        goto done;
    section_run(r, fp);
    if ((rc = section_summary(r, fp)) != ER_OK ||
        (rc = er_gapset_write(&r->gaps, r->names_db, fp, ER_FORMAT_HTML,
                              ER_GAPS_UNASSESSED | ER_GAPS_DATA)) != ER_OK ||
        (rc = section_matrix(&pg, fp)) != ER_OK ||
        (rc = section_failing(&pg, fp)) != ER_OK)
        goto done;
    section_money(&pg, fp);
    if ((rc = section_percap(r, fp)) != ER_OK)
        goto done;
    if (r->year_to > r->year_from && r->year_counts &&
        (rc = section_trends(r, fp)) != ER_OK)
        goto done;
    if ((rc = section_index(r, fp)) != ER_OK ||
        (rc = section_goals(r, fp)) != ER_OK ||
        (rc = section_ranking(&pg, fp)) != ER_OK)
        goto done;
    if ((rc = section_scorecards(&pg, fp)) != ER_OK)
        goto done;
    section_appendix(r, fp);
    char rules12[13], data12[13];
    snprintf(rules12, sizeof rules12, "%s",
             r->rules_digest ? r->rules_digest : "");
    snprintf(data12, sizeof data12, "%s", r->data_digest ? r->data_digest : "");
    fprintf(fp,
            "<footer>equirule %s · 报告内容取自数据库中存储的运行 %lld"
            "（规则摘要 <span class=\"hash\">",
            ER_VERSION, (long long)r->id);
    put(fp, rules12);
    fputs("</span>，数据摘要 <span class=\"hash\">", fp);
    put(fp, data12);
    fputs("</span>）。</footer>\n", fp);
done:
    page_free(&pg);
    return rc;
}

/* Writes the page skeleton (assets/report.html) with its placeholders
 * filled: {{version}}, {{run}}, {{css}} (assets/report.css), {{script}}
 * (assets/report.js) and {{body}}. */
int er_report_html(const er_report *r, FILE *fp)
{
    const er_embedded *skel = er_embedded_find("report/report.html");
    const er_embedded *css = er_embedded_find("report/report.css");
    const er_embedded *js = er_embedded_find("report/report.js");
    if (!skel || !css || !js)
        return er_fail(ER_ERROR, "the HTML report's page skeleton, CSS or "
                                 "script is missing from this build");
    /* embedded files end in a NUL byte: strstr stops there */
    const char *s = skel->data;
    for (;;) {
        const char *open = strstr(s, "{{");
        const char *close = open ? strstr(open, "}}") : NULL;
        if (!close) {
            fputs(s, fp);
            return ER_OK;
        }
        fwrite(s, 1, (size_t)(open - s), fp);
        size_t n = (size_t)(close - open - 2);
        const char *name = open + 2;
        int rc = ER_OK;
        if (n == 7 && memcmp(name, "version", n) == 0)
            fputs(ER_VERSION, fp);
        else if (n == 3 && memcmp(name, "run", n) == 0)
            fprintf(fp, "%lld", (long long)r->id);
        else if (n == 3 && memcmp(name, "css", n) == 0)
            fwrite(css->data, 1, css->len, fp);
        else if (n == 6 && memcmp(name, "script", n) == 0)
            fwrite(js->data, 1, js->len, fp);
        else if (n == 4 && memcmp(name, "body", n) == 0)
            rc = page_body(r, fp);
        else
            rc = er_fail(ER_ERROR,
                         "report/report.html: unknown placeholder {{%.*s}}",
                         (int)n, name);
        if (rc != ER_OK)
            return rc;
        s = close + 2;
    }
}
