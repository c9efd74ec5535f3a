/*
 * report_html.c - the HTML report of a stored run (er_report_html): one
 * self-contained page with inline CSS and inline SVG charts, no script, no
 * network and no web fonts, in Chinese with English identifiers, laid out
 * to print on A4 without losing its colours. Every text that comes from the
 * database is escaped. It renders the model report.c loads; it reads
 * nothing itself.
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

static const struct {
    const char *id;
    const char *name;
    const char *short_name;
    const char *color;
} zones[] = {
    {"core", "珠三角核心区", "核心", "#2f6db5"},
    {"east", "沿海经济带东翼", "东翼", "#e07b27"},
    {"west", "沿海经济带西翼", "西翼", "#3a9b57"},
    {"north", "北部生态发展区", "北部", "#8a5cb8"},
};
#define ZONE_NONE_COLOR "#9e9e9e"

static const char css[] =
    ":root{--pass:#2e7d32;--fail:#c62828;--warn:#ef6c00;--skip:#757575;"
    "--cut:#00838f;--allocation:#1565c0;--missing:#b7791f;--error:#6a1b9a}\n"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact;"
    "box-sizing:border-box}\n"
    "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
    "\"Noto Sans SC\",\"PingFang SC\",\"Microsoft YaHei\",\"WenQuanYi Micro "
    "Hei\",sans-serif;font-size:14px;line-height:1.5;color:#212121;"
    "max-width:1080px;margin:0 auto;padding:24px 28px;background:#fff}\n"
    "h1{font-size:24px;margin:0 0 4px}\n"
    "h2{font-size:19px;border-bottom:2px solid #2f6db5;padding-bottom:3px;"
    "margin:28px 0 10px}\n"
    "h3{font-size:15px;margin:18px 0 6px}\n"
    ".en{color:#616161;font-weight:normal;font-size:.85em}\n"
    ".sub{color:#555;margin:0 0 10px}\n"
    "nav{font-size:13px;margin:8px 0 0}nav a{margin-right:12px;"
    "color:#2f6db5;text-decoration:none}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0 14px;"
    "font-size:12.5px}\n"
    "th,td{border:1px solid #c7c7c7;padding:3px 6px;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#eef2f7;font-weight:600}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    ".nw{white-space:nowrap}\n"
    "td.num,th.num{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}\n"
    "tr.total td{font-weight:700;background:#f5f5f5}\n"
    "code,.mono{font-family:\"DejaVu Sans Mono\",\"Noto Sans Mono\","
    "monospace;font-size:.92em}\n"
    ".hash{font-family:\"DejaVu Sans Mono\",monospace;font-size:11.5px;"
    "word-break:break-all}\n"
    "table.meta th{width:150px}\n"
    "td code{overflow-wrap:break-word}\n"
    ".small{font-size:11.5px;color:#555}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0 12px}\n"
    ".card{border:1px solid #c7c7c7;border-radius:6px;padding:6px 12px;"
    "min-width:118px}\n"
    ".card b{display:block;font-size:20px}\n"
    ".card span{font-size:12px;color:#555}\n"
    ".o{display:inline-block;padding:0 5px;border-radius:3px;color:#fff;"
    "font-size:12px;white-space:nowrap}\n"
    ".o-pass{background:var(--pass)}.o-fail{background:var(--fail)}"
    ".o-warn{background:var(--warn)}.o-skip{background:var(--skip)}"
    ".o-cut{background:var(--cut)}.o-allocation{background:var(--allocation)}"
    ".o-missing{background:var(--missing)}.o-error{background:var(--error)}\n"
    "table.matrix{width:auto;font-size:12px}\n"
    "table.matrix td.c{width:26px;min-width:26px;text-align:center;"
    "color:#fff;font-weight:700;padding:2px 0}\n"
    "table.matrix td.c.none{color:#bbb;font-weight:normal}\n"
    "table.matrix th.rule{writing-mode:vertical-rl;transform:rotate(180deg);"
    "white-space:nowrap;font-weight:normal;font-size:11px;padding:4px 2px;"
    "vertical-align:bottom;text-align:left}\n"
    "td.c.o-pass{background:var(--pass)}td.c.o-fail{background:var(--fail)}"
    "td.c.o-warn{background:var(--warn)}td.c.o-skip{background:var(--skip)}"
    "td.c.o-cut{background:var(--cut)}"
    "td.c.o-allocation{background:var(--allocation)}"
    "td.c.o-missing{background:var(--missing)}"
    "td.c.o-error{background:var(--error)}\n"
    ".legend{font-size:12px;margin:4px 0 8px}"
    ".legend span.o{margin:0 2px 0 10px}\n"
    ".warnbox{border:1px solid #ef6c00;background:#fff3e0;padding:6px 10px;"
    "margin:8px 0}\n"
    "figure{margin:10px 0 18px;break-inside:avoid;page-break-inside:avoid}\n"
    "figcaption{font-size:12.5px;color:#424242;margin-top:4px}\n"
    "svg{max-width:100%;height:auto;display:block}\n"
    "svg text{font-size:11px;fill:#212121}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:16px}"
    ".charts figure{flex:1 1 440px}\n"
    "footer{margin-top:30px;border-top:1px solid #c7c7c7;padding-top:6px;"
    "font-size:12px;color:#616161}\n"
    "@page{size:A4 portrait;margin:12mm 10mm 14mm}\n"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}"
    "nav{display:none}"
    "section{break-before:page;page-break-before:always}"
    "section.first{break-before:auto;page-break-before:auto}"
    "h2,h3{break-after:avoid;page-break-after:avoid}"
    "table{font-size:8.5pt}table.matrix{font-size:8pt}"
    "a{color:inherit;text-decoration:none}}\n";

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

/* Writes a number as an integer with thousands separators. */
static const char *fmt_int(char *buf, size_t size, double v)
{
    er_fmt_fen(buf, size, (int64_t)llround(v) * 100);
    size_t n = strlen(buf);
    if (n >= 3)
        buf[n - 3] = '\0'; /* drop ".00" */
    return buf;
}

static const char *zone_color(const char *zone)
{
    for (size_t i = 0; zone && i < ER_ARRAY_LEN(zones); i++)
        if (strcmp(zones[i].id, zone) == 0)
            return zones[i].color;
    return ZONE_NONE_COLOR;
}

/* "核心", "东翼", "西翼", "北部", or "" */
static const char *zone_short(const char *zone)
{
    for (size_t i = 0; zone && i < ER_ARRAY_LEN(zones); i++)
        if (strcmp(zones[i].id, zone) == 0)
            return zones[i].short_name;
    return "";
}

static const char *zone_name(const char *zone)
{
    for (size_t i = 0; zone && i < ER_ARRAY_LEN(zones); i++)
        if (strcmp(zones[i].id, zone) == 0)
            return zones[i].name;
    return zone ? zone : "—";
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

static void put_count_cells(FILE *fp, const long counts[ER_OUTCOME_COUNT])
{
    char rate[32];
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, "<td class=\"num\">%ld</td>", counts[o]);
    fprintf(fp, "<td class=\"num\">%s</td>",
            er_fmt_rate(rate, sizeof rate, er_pass_rate(counts)));
}

static void put_count_heads(FILE *fp)
{
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, "<th class=\"num\">%s<br><span class=\"en\">%s</span></th>",
                er_outcome_zh(o), er_outcome_name((er_outcome)o));
    fputs("<th class=\"num\">通过率<br><span class=\"en\">pass rate</span>"
          "</th>",
          fp);
}

/* A "nice" step (1, 2, 2.5 or 5 times a power of ten) giving about
 * `ticks` steps up to `max`. */
static double nice_step(double max, int ticks)
{
    if (!(max > 0))
        return 1;
    double raw = max / ticks;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return n * mag;
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
                fmt_int(num, sizeof num, (double)r->evaluations));
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

/* A horizontal bar chart of pass rates: one bar (class `cls`) per row. */
static void rate_chart(FILE *fp, const char *cls, const char *title, size_t n,
                       const char *const *labels, const char *const *sublabels,
                       const long *const *counts)
{
    const double right = 120, top = 26, row = 26, bottom = 24, width = 960;
    double height = top + row * (double)n + bottom;
    char rate[32];

    /* room for the longest label: about 6 px per column at 11 px */
    int cols = 0;
    for (size_t i = 0; i < n; i++) {
        int w = er_display_width(labels[i]) +
                (sublabels && sublabels[i] ? 1 + er_display_width(sublabels[i])
                                           : 0);
        if (w > cols)
            cols = w;
    }
    double left = 16 + 6.2 * cols;
    if (left < 120)
        left = 120;
    if (left > 420)
        left = 420;
    double pw = width - left - right;

    fprintf(fp,
            "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\" aria-label=\"",
            width, height, width, height);
    put(fp, title);
    fputs("\">\n", fp);
    for (int t = 0; t <= 4; t++) {
        double x = left + pw * t / 4.0;
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#ddd\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d%%"
                "</text>\n",
                x, top - 4, x, height - bottom, x, top - 10, t * 25);
    }
    for (size_t i = 0; i < n; i++) {
        const long *c = counts[i];
        double rt = er_pass_rate(c);
        double y = top + row * (double)i;
        long assessed = 0;
        for (int o = 0; o < ER_OUTCOME_COUNT; o++)
            if (er_outcome_assessed(o))
                assessed += c[o];
        const char *fill = isnan(rt)   ? "#bdbdbd"
                           : rt >= 1.0 ? "#2e7d32"
                           : rt >= 0.9 ? "#ef6c00"
                                       : "#c62828";
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                left - 8, y + row / 2 + 4);
        put(fp, labels[i]);
        if (sublabels && sublabels[i]) {
            fputs(" <tspan fill=\"#757575\">", fp);
            put(fp, sublabels[i]);
            fputs("</tspan>", fp);
        }
        fputs("</text>\n", fp);
        double w = isnan(rt) ? 0 : pw * rt;
        fprintf(fp,
                "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\" fill=\"%s\"><title>",
                cls, left, y + 4, w, row - 8, fill);
        put(fp, labels[i]);
        fprintf(fp, " %s</title></rect>\n", er_fmt_rate(rate, sizeof rate, rt));
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">%s（%ld/%ld）</text>\n",
                left + w + 6, y + row / 2 + 4,
                er_fmt_rate(rate, sizeof rate, rt), c[ER_PASS], assessed);
    }
    fputs("</svg>\n", fp);
}

static int section_summary(const er_report *r, FILE *fp)
{
    char num[64], num2[64], rate[32];
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
        "共 %ld 条，通过率 %s。核减合计 %s 元，分配合计 %s 元。</p>\n",
        (long long)r->id, r->years ? r->years : "", findings,
        r->counts[ER_PASS], r->counts[ER_FAIL], r->counts[ER_WARN],
        r->counts[ER_SKIP], r->counts[ER_CUT], r->counts[ER_ALLOCATION],
        r->counts[ER_MISSING], r->counts[ER_ERROR_OUTCOME], failing,
        er_fmt_rate(rate, sizeof rate, er_pass_rate(r->counts)),
        er_fmt_fen(num, sizeof num, r->cut_fen),
        er_fmt_fen(num2, sizeof num2, r->allocation_fen));
    fprintf(fp,
            "<div class=\"cards\">"
            "<div class=\"card\"><b>%ld</b><span>结果 findings</span></div>"
            "<div class=\"card\"><b style=\"color:var(--pass)\">%ld</b>"
            "<span>通过 pass</span></div>"
            "<div class=\"card\"><b style=\"color:var(--fail)\">%ld</b>"
            "<span>未通过 failing</span></div>"
            "<div class=\"card\"><b>%s</b><span>通过率 pass rate</span></div>",
            findings, r->counts[ER_PASS], failing,
            er_fmt_rate(rate, sizeof rate, er_pass_rate(r->counts)));
    fprintf(fp,
            "<div class=\"card\"><b>%s</b><span>核减 cut（元）</span></div>"
            "<div class=\"card\"><b>%s</b><span>分配 allocation（元）</span>"
            "</div></div>\n",
            er_fmt_fen(num, sizeof num, r->cut_fen),
            er_fmt_fen(num2, sizeof num2, r->allocation_fen));
    fputs("<p class=\"small\">通过率 = 通过 ÷（通过 + 预警 + 未达标 + 缺数据 + "
          "错误）；不适用、核减、分配不计入。<span class=\"en\">pass rate = "
          "pass ÷ (pass + warn + fail + missing + error).</span></p>\n",
          fp);

    /* by department */
    fputs("<h3>按部门 <span class=\"en\">By department</span></h3>\n"
          "<table><thead><tr><th>部门 <span class=\"en\">department</span>"
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
    rate_chart(fp, "rate-bar", "各部门通过率", r->ndepts, labels, subs, counts);
    fputs("<figcaption>图 2-1 各部门通过率（通过 ÷ 已评估结果）；绿色 "
          "100%，橙色 90% 及以上，红色不足 90%。<span class=\"en\">Pass "
          "rate by department.</span></figcaption>\n</figure>\n",
          fp);

    /* by rule */
    fputs("<h3>按规则 <span class=\"en\">By rule</span></h3>\n"
          "<table><thead><tr><th>规则 <span class=\"en\">rule</span></th>",
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
    rate_chart(fp, "rate-bar", "各规则通过率", n, labels, subs, counts);
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
        fputs(er_fmt_num(num, sizeof num, required ? f->required : f->measured),
              fp);
    else
        fputs("—", fp);
}

/* One table of the matrix `m`: its regions against the `ncols` rules in
 * `cols`, each cell coloured and marked by outcome. */
static void matrix_table(const er_report *r, FILE *fp, const er_rep_matrix *m,
                         const size_t *cols, size_t ncols)
{
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
        put(fp, er_rep_region_label(&r->regions[g]));
        fputs(" <span class=\"en\">", fp);
        put(fp, r->regions[g].code);
        fputs("</span></td>", fp);
        for (size_t k = 0; k < ncols; k++) {
            int o = m->cells[g * r->nrules + cols[k]];
            if (o < 0) {
                fputs("<td class=\"c none\">·</td>", fp);
                continue;
            }
            fprintf(fp, "<td class=\"c o-%s\" title=\"",
                    er_outcome_name((er_outcome)o));
            put(fp, r->rules[cols[k]].id);
            fprintf(fp, " · %s %s\">%s</td>", er_outcome_name((er_outcome)o),
                    er_outcome_zh(o), er_outcome_symbol(o));
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

static int section_matrix(const er_report *r, FILE *fp)
{
    fputs("<section id=\"matrix\">\n<h2>3 地区 × 规则 <span "
          "class=\"en\">Regions × rules</span></h2>\n<p class=\"legend\">图例"
          "：",
          fp);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, "<span class=\"o o-%s\">%s</span>%s %s",
                er_outcome_name((er_outcome)o), er_outcome_symbol(o),
                er_outcome_zh(o), er_outcome_name((er_outcome)o));
    fputs("；· 无结果。</p>\n", fp);

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
            matrix_table(r, fp, &m, cols + from, to - from);
            from = to;
        }
    }
done:
    er_rep_matrix_free(&m);
    free(cols);
    fputs("</section>\n", fp);
    return rc;
}

static void section_failing(const er_report *r, FILE *fp)
{
    long failing = 0;
    for (size_t i = 0; i < r->nfindings; i++)
        failing += er_outcome_failing(r->findings[i].outcome);
    fprintf(fp,
            "<section id=\"failing\">\n<h2>4 未通过的结果 <span "
            "class=\"en\">Failing findings (%ld)</span></h2>\n",
            failing);
    if (!failing) {
        fputs("<p>没有未通过的结果。<span class=\"en\">No failing "
              "findings.</span></p>\n</section>\n",
              fp);
        return;
    }
    fputs("<table id=\"failing-table\"><thead><tr><th>年度<br><span "
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
    for (size_t i = 0; i < r->nfindings && shown < MAX_FAILING; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (!er_outcome_failing(f->outcome))
            continue;
        const er_rep_rule *u = &r->rules[f->rule];
        shown++;
        fprintf(fp, "<tr class=\"finding\"><td>%d</td><td class=\"nw\">",
                f->year);
        put(fp, er_rep_region_label(&r->regions[f->region]));
        fputs("<br><span class=\"en\">", fp);
        put(fp, r->regions[f->region].code);
        fputs("</span></td><td><code>", fp);
        put_id(fp, u->id);
        fputs("</code><br>", fp);
        put(fp, u->title);
        fputs("<br><span class=\"small\">依据：", fp);
        put(fp, u->basis);
        fputs("</span></td><td>", fp);
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
}

/* Horizontal bars of the cuts and allocations of one year. */
static void money_chart(const er_report *r, FILE *fp, size_t from, size_t to)
{
    const double left = 150, right = 150, top = 30, row = 24, bottom = 12;
    const double width = 960, pw = width - left - right;
    double height = top + row * (double)(to - from) + bottom;
    int64_t max = 1;
    char num[64];

    for (size_t i = from; i < to; i++) {
        int64_t a = llabs(r->money[i].cut), b = llabs(r->money[i].allocation);
        if (a > max)
            max = a;
        if (b > max)
            max = b;
    }
    fprintf(fp,
            "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\" aria-label=\"%d 年核减与分配\">\n",
            width, height, width, height, r->money[from].year);
    fprintf(fp,
            "<rect x=\"%.1f\" y=\"8\" width=\"12\" height=\"12\" "
            "fill=\"#00838f\"/><text x=\"%.1f\" y=\"18\">核减 cut</text>"
            "<rect x=\"%.1f\" y=\"8\" width=\"12\" height=\"12\" "
            "fill=\"#1565c0\"/><text x=\"%.1f\" y=\"18\">分配 "
            "allocation</text>\n",
            left, left + 16, left + 110, left + 126);
    for (size_t i = from; i < to; i++) {
        const er_rep_money *m = &r->money[i];
        double y = top + row * (double)(i - from);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                left - 8, y + row / 2 + 4);
        put(fp, er_rep_region_label(&r->regions[m->region]));
        fputs("</text>\n", fp);
        double x = left;
        const struct {
            int64_t fen;
            const char *color;
        } parts[] = {{m->cut, "#00838f"}, {m->allocation, "#1565c0"}};
        for (size_t k = 0; k < 2; k++) {
            if (!parts[k].fen)
                continue;
            double w = pw * (double)llabs(parts[k].fen) / (double)max / 2.0;
            fprintf(fp,
                    "<rect class=\"money-bar\" x=\"%.1f\" y=\"%.1f\" "
                    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>"
                    "%s 元</title></rect>\n",
                    x, y + 4, w, row - 8, parts[k].color,
                    er_fmt_fen(num, sizeof num, parts[k].fen));
            x += w;
        }
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">", x + 6, y + row / 2 + 4);
        if (m->cut)
            fprintf(fp, "核减 %s", er_fmt_fen(num, sizeof num, m->cut));
        if (m->allocation)
            fprintf(fp, "%s分配 %s", m->cut ? "；" : "",
                    er_fmt_fen(num, sizeof num, m->allocation));
        fputs(" 元</text>\n", fp);
    }
    fputs("</svg>\n", fp);
}

static void section_money(const er_report *r, FILE *fp)
{
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
                "<table class=\"money\" data-year=\"%d\"><thead><tr>"
                "<th>地区 <span class=\"en\">region</span></th><th>区域 "
                "<span class=\"en\">zone</span></th><th class=\"num\">核减"
                "（元）<br><span class=\"en\">cut</span></th><th "
                "class=\"num\">分配（元）<br><span "
                "class=\"en\">allocation</span></th></tr></thead><tbody>\n",
                year, year, year);
        for (; i < r->nmoney && r->money[i].year == year; i++) {
            const er_rep_money *m = &r->money[i];
            const er_rep_region *g = &r->regions[m->region];
            fputs("<tr><td>", fp);
            put(fp, er_rep_region_label(g));
            fputs(" <span class=\"en\">", fp);
            put(fp, g->code);
            fputs("</span></td><td>", fp);
            put(fp, zone_name(g->zone));
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
        money_chart(r, fp, from, i);
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

/* The per-capita bar chart of one year: bars (class "bar") sorted by value,
 * coloured by zone, with the core-zone mean and the band at 70% of it. */
static int percap_chart(const er_report *r, FILE *fp, int year, int fig)
{
    const er_rep_percap **bars = calloc(r->npercap + 1, sizeof *bars);
    size_t n = 0;
    char num[64], num2[64];
    if (!bars)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->npercap; i++)
        if (r->percap[i].year == year)
            bars[n++] = &r->percap[i];
    if (!n) {
        free(bars);
        return ER_OK;
    }
    qsort(bars, n, sizeof *bars, cmp_percap_desc);

    double core = er_report_core_mean(r, year);
    double max = bars[0]->value;
    if (!isnan(core) && core > max)
        max = core;
    double step = nice_step(max * 1.08, 5);
    double ymax = ceil(max * 1.08 / step) * step;
    const double width = 960, left = 64, right = 118, top = 40;
    double slot = (width - left - right) / (double)n;
    bool vertical = slot < 36;
    double bottom = vertical ? 86 : 44, height = 404;
    double ph = height - top - bottom;
#define Y(v) (top + ph * (1.0 - (v) / ymax))

    fprintf(fp, "<h3>%d 年 <span class=\"en\">%d</span></h3>\n", year, year);
    fprintf(fp,
            "<figure class=\"percap\" data-year=\"%d\">\n<svg "
            "class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\" aria-label=\"%d 年各市人均基本公共"
            "服务支出\">\n",
            year, width, height, width, height, year);
    /* legend */
    double lx = left;
    for (size_t z = 0; z < ER_ARRAY_LEN(zones); z++) {
        fprintf(fp,
                "<rect x=\"%.1f\" y=\"10\" width=\"12\" height=\"12\" "
                "fill=\"%s\"/><text x=\"%.1f\" y=\"20\">%s %s</text>\n",
                lx, zones[z].color, lx + 16, zones[z].name, zones[z].id);
        lx += 170;
    }
    /* grid */
    for (double v = 0; v <= ymax + step / 2; v += step) {
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#e0e0e0\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"end\">%s</text>\n",
                left, Y(v), width - right, Y(v), left - 6, Y(v) + 4,
                fmt_int(num, sizeof num, v));
    }
    fprintf(fp,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\">元/人"
            "</text>\n",
            4.0, top - 8);
    /* the band: 70% to 100% of the core mean */
    if (!isnan(core)) {
        fprintf(fp,
                "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" "
                "width=\"%.1f\" height=\"%.1f\" fill=\"#fff1b8\"/>\n",
                left, Y(core), width - right - left, Y(core * 0.7) - Y(core));
    }
    /* bars */
    for (size_t i = 0; i < n; i++) {
        const er_rep_percap *p = bars[i];
        const er_rep_region *g = &r->regions[p->region];
        double x = left + slot * (double)i + slot * 0.15, w = slot * 0.7;
        double y = Y(p->value);
        fputs("<rect class=\"bar\" data-region=\"", fp);
        put(fp, g->code);
        fputs("\" data-zone=\"", fp);
        put(fp, g->zone);
        fprintf(fp,
                "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"%s\"><title>",
                x, y, w, top + ph - y, zone_color(g->zone));
        put(fp, er_rep_region_label(g));
        fprintf(fp, " %s 元/人</title></rect>\n",
                fmt_int(num, sizeof num, p->value));
        if (slot >= 30)
            fprintf(fp,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    "style=\"font-size:9.5px\">%s</text>\n",
                    x + w / 2, y - 3, fmt_int(num, sizeof num, p->value));
        if (vertical)
            fprintf(fp,
                    "<text transform=\"translate(%.1f %.1f) rotate(-60)\" "
                    "text-anchor=\"end\">",
                    x + w / 2 + 3, top + ph + 10);
        else
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                    x + w / 2, top + ph + 16);
        put(fp, er_rep_region_label(g));
        fputs("</text>\n", fp);
        /* the zone in words too, so that a black-and-white copy keeps it */
        if (vertical)
            continue;
        fprintf(fp,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                "style=\"font-size:9.5px;fill:#616161\">%s</text>\n",
                x + w / 2, top + ph + 29, zone_short(g->zone));
    }
    /* the core mean and 70% of it, drawn over the bars */
    if (!isnan(core)) {
        fprintf(fp,
                "<line class=\"core-mean\" x1=\"%.1f\" y1=\"%.1f\" "
                "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#37474f\" "
                "stroke-width=\"1.5\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\">核心区人均</text>"
                "<text x=\"%.1f\" y=\"%.1f\">%s 元/人</text>\n",
                left, Y(core), width - right, Y(core), width - right + 6,
                Y(core) - 2, width - right + 6, Y(core) + 11,
                fmt_int(num, sizeof num, core));
        fprintf(fp,
                "<line class=\"band-70\" x1=\"%.1f\" y1=\"%.1f\" "
                "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\" "
                "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" style=\"fill:#c62828\">"
                "70%%（差距 30%%）</text><text x=\"%.1f\" y=\"%.1f\" "
                "style=\"fill:#c62828\">%s 元/人</text>\n",
                left, Y(core * 0.7), width - right, Y(core * 0.7),
                width - right + 6, Y(core * 0.7) + 2, width - right + 6,
                Y(core * 0.7) + 15, fmt_int(num2, sizeof num2, core * 0.7));
    }
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#616161\"/>\n</svg>\n",
            left, top + ph, width - right, top + ph);
#undef Y

    /* the caption states the measure and names the cities below the band */
    int ncore = 0;
    for (size_t i = 0; i < n; i++) {
        const char *zone = r->regions[bars[i]->region].zone;
        ncore += zone && strcmp(zone, "core") == 0;
    }
    fprintf(fp,
            "<figcaption>图 6-%d %d 年各市人均基本公共服务支出（元/人，%zu "
            "个市）。口径：数据表 <code>fact</code> 中 "
            "<code>fin.basic_service.spend</code>（基本公共服务支出）÷ "
            "<code>pop.resident</code>（常住人口）；柱按区域着色，由高到低"
            "排列。",
            fig, year, n);
    if (!isnan(core)) {
        fprintf(fp,
                "实线为核心区人均 = 核心区 %d 市支出合计 ÷ 常住人口合计 = "
                "%s 元/人（与 <code>finance.spending_gap</code> 同口径）；"
                "阴影带为其 70%%–100%%，虚线（70%%，%s 元/人）即差距 30%% "
                "的界线。",
                ncore, fmt_int(num, sizeof num, core),
                fmt_int(num2, sizeof num2, core * 0.7));
        int below = 0;
        for (size_t i = 0; i < n; i++) {
            if (bars[i]->value >= core * 0.7)
                continue;
            fputs(below++ ? "、" : "低于虚线的市：", fp);
            put(fp, er_rep_region_label(&r->regions[bars[i]->region]));
        }
        fputs(below ? "。" : "没有低于虚线的市。", fp);
    } else {
        fputs("没有核心区的数据，未画核心区人均。", fp);
    }
    fputs("</figcaption>\n</figure>\n", fp);
    free(bars);
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

/* "25%" for 0.25, with a decimal only where the step needs one. */
static const char *axis_rate(char *buf, size_t size, double v)
{
    double pct = v * 100.0;
    if (fabs(pct - round(pct)) < 1e-9)
        snprintf(buf, size, "%.0f%%", pct);
    else
        snprintf(buf, size, "%.1f%%", pct);
    return buf;
}

/* A small line chart of one series over the years; `threshold` (may hold
 * NaN) is drawn dashed. Values are fractions shown as percentages. */
static void line_chart(FILE *fp, const char *cls, const char *label,
                       const int *years, const double *values,
                       const double *threshold, size_t n)
{
    const double width = 470, height = 230, left = 50, right = 20, top = 20,
                 bottom = 30;
    double pw = width - left - right, ph = height - top - bottom;
    double max = 0;
    char buf[32];
    for (size_t i = 0; i < n; i++) {
        if (!isnan(values[i]) && values[i] > max)
            max = values[i];
        if (threshold && !isnan(threshold[i]) && threshold[i] > max)
            max = threshold[i];
    }
    double step = nice_step(max > 0 ? max * 1.15 : 1, 4);
    double ymax = ceil((max > 0 ? max * 1.15 : 1) / step) * step;
    if (strcmp(cls, "trend-rate") == 0)
        ymax = 1.0, step = 0.25;
#define X(i)                                                                   \
    (left + 30 +                                                               \
     (n > 1 ? (pw - 60) * (double)(i) / (double)(n - 1) : (pw - 60) / 2))
#define Y(v) (top + ph * (1.0 - (v) / ymax))
    fprintf(fp,
            "<svg class=\"chart %s\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"",
            cls, width, height, width, height);
    put(fp, label);
    fputs("\">\n", fp);
    for (double v = 0; v <= ymax + step / 2; v += step)
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"#e0e0e0\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"end\">%s</text>\n",
                left, Y(v), width - right, Y(v), left - 6, Y(v) + 4,
                axis_rate(buf, sizeof buf, v));
    for (size_t i = 0; i < n; i++)
        fprintf(fp,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d"
                "</text>\n",
                X(i), height - 10, years[i]);
    if (threshold) {
        fputs("<polyline fill=\"none\" stroke=\"#c62828\" stroke-width=\"1.5\" "
              "stroke-dasharray=\"6 4\" points=\"",
              fp);
        for (size_t i = 0; i < n; i++)
            if (!isnan(threshold[i]))
                fprintf(fp, "%.1f,%.1f ", X(i), Y(threshold[i]));
        fputs("\"/>\n", fp);
    }
    fputs("<polyline fill=\"none\" stroke=\"#2f6db5\" stroke-width=\"2\" "
          "points=\"",
          fp);
    for (size_t i = 0; i < n; i++)
        if (!isnan(values[i]))
            fprintf(fp, "%.1f,%.1f ", X(i), Y(values[i]));
    fputs("\"/>\n", fp);
    for (size_t i = 0; i < n; i++) {
        if (isnan(values[i]))
            continue;
        fprintf(fp,
                "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
                "fill=\"#2f6db5\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\">%s</text>\n",
                X(i), Y(values[i]), X(i), Y(values[i]) - 8,
                er_fmt_rate(buf, sizeof buf, values[i]));
    }
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "stroke=\"#616161\"/>\n</svg>\n",
            left, top + ph, width - right, top + ph);
#undef X
#undef Y
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
    line_chart(fp, "trend-rate", "各年度通过率", years, rates, NULL, n);
    fputs("<figcaption>图 7-1 各年度通过率（全部规则）。<span "
          "class=\"en\">Pass rate per year.</span></figcaption>\n</figure>\n",
          fp);

    /* finance.spending_gap of the first region that has it */
    int32_t rule = er_report_rule(r, "finance.spending_gap");
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
        if (f->rule != rule || f->region != region || !f->has_measured)
            continue;
        gap[f->year - r->year_from] = f->measured;
        if (f->has_required)
            limit[f->year - r->year_from] = f->required;
        any = true;
    }
    if (any) {
        fputs("<figure>\n", fp);
        line_chart(fp, "trend-gap", "finance.spending_gap 各年度实测值", years,
                   gap, limit, n);
        fputs(
            "<figcaption>图 7-2 <code>finance.spending_gap</code> 各年度实测值"
            "（",
            fp);
        put(fp, er_rep_region_label(&r->regions[region]));
        fputs("）：1 − 非核心区人均 ÷ 核心区人均基本公共服务支出；虚线为要求的"
              "上限（目标：差距不超过 30%）。</figcaption>\n</figure>\n",
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

int er_report_html(const er_report *r, FILE *fp)
{
    fprintf(fp,
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
            "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"equirule %s\">\n"
            "<title>基本公共服务均等化规则评估报告 · run %lld</title>\n"
            "<style>\n%s</style>\n</head>\n<body>\n",
            ER_VERSION, (long long)r->id, css);
    fprintf(
        fp,
        "<header>\n<h1>基本公共服务均等化规则评估报告</h1>\n"
        "<p class=\"sub\">Basic public service equalization · "
        "equirule run %lld · %s 年度 · 粤财办〔2019〕1号</p>\n"
        "<nav><a href=\"#run\">运行信息</a><a href=\"#summary\">结果"
        "概览</a><a href=\"#matrix\">地区×规则</a><a "
        "href=\"#failing\">未通过</a><a href=\"#money\">核减与分配</a>"
        "<a href=\"#per-capita\">人均支出</a>%s<a href=\"#appendix\">附录</a>"
        "</nav>\n</header>\n",
        (long long)r->id, r->years ? r->years : "",
        r->year_to > r->year_from ? "<a href=\"#trends\">趋势</a>" : "");
    int rc;
    section_run(r, fp);
    if ((rc = section_summary(r, fp)) != ER_OK ||
        (rc = section_matrix(r, fp)) != ER_OK)
        return rc;
    section_failing(r, fp);
    section_money(r, fp);
    if ((rc = section_percap(r, fp)) != ER_OK)
        return rc;
    if (r->year_to > r->year_from && r->year_counts &&
        (rc = section_trends(r, fp)) != ER_OK)
        return rc;
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
    fputs("</span>）。</footer>\n</body>\n</html>\n", fp);
    return ER_OK;
}
