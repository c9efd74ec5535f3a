/*
 * report_text.c - the report of a stored run as Markdown (the sections of
 * the HTML report as tables), as CSV (one row per finding) and as one JSON
 * document (shape in docs/administrators.md). It renders the model report.c
 * loads; it reads nothing itself.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Markdown ----------------------------------------------------------- */

/* Writes `s` for a table cell (er_text_put ER_TEXT_MD); NULL or empty as
 * "—". */
static void md(FILE *fp, const char *s)
{
    if (!s || !*s)
        fputs("—", fp);
    else
        er_text_put(fp, ER_TEXT_MD, s);
}

/* Writes a region for a table cell: its name (or code), then its code. */
static void md_region(FILE *fp, const er_rep_region *g)
{
    md(fp, er_rep_region_label(g));
    fputc(' ', fp);
    md(fp, g->code);
}

static void md_count_head(FILE *fp, const char *first)
{
    fprintf(fp, "| %s |", first);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, " %s |", er_outcome_name((er_outcome)o));
    fputs(" 通过率 pass rate | 已评估 assessed |\n|---|", fp);
    for (int o = 0; o <= ER_OUTCOME_COUNT + 1; o++)
        fputs("---:|", fp);
    fputc('\n', fp);
}

static void md_counts(FILE *fp, const long counts[ER_OUTCOME_COUNT])
{
    char rate[32];
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, " %ld |", counts[o]);
    fprintf(fp, " %s |",
            er_fmt_rate(rate, sizeof rate, er_pass_rate(counts)));
    /* rounded down: 99.96% is not 100.0% */
    bool none = er_count_total(counts) && !er_counts_assessed(counts);
    fprintf(fp, " %s%s%s |\n", none ? "**" : "",
            er_fmt_rate(rate, sizeof rate,
                        floor(er_assessed_rate(counts) * 1000.0) / 1000.0),
            none ? "**" : "");
}

static void md_num(FILE *fp, bool has, double v)
{
    char num[64];
    fputs(has ? er_rep_num(num, sizeof num, v) : "—", fp);
}

static void md_run(const er_report *r, FILE *fp)
{
    char num[64];
    fprintf(fp,
            "# 基本公共服务均等化规则评估报告 · run %lld\n\n",
            (long long)r->id);
    if (r->province && *r->province) {
        md(fp, r->province);
        fputs(" · ", fp);
    }
    fprintf(fp, "Basic public service equalization · equirule run %lld · ",
            (long long)r->id);
    md(fp, r->years);
    fputs(" 年度", fp);
    if (r->policy && *r->policy) {
        fputs(" · ", fp);
        md(fp, r->policy);
    }
    if (r->scope) {
        fputs("\n\n**部分运行 partial run:** ", fp);
        md(fp, r->scope);
        fputs(" — the run itself was narrowed; it is not a full run", fp);
    }
    if (r->filter) {
        fputs("\n\n**筛选 filtered:** ", fp);
        md(fp, r->filter);
        fputs(" — the counts, totals and findings below are of these "
              "findings only", fp);
    }
    fputs("\n\n## 1 运行信息 Run\n\n"
          "| 项目 | 值 |\n|---|---|\n",
          fp);
    fprintf(fp, "| 运行编号 run id | %lld |\n", (long long)r->id);
    const struct {
        const char *label, *value;
    } rows[] = {
        {"评估年度 years", r->years},
        {"状态 status", r->status},
        {"开始时间 started (UTC)", r->started_at},
        {"完成时间 finished (UTC)", r->finished_at},
        {"操作人 user", r->user},
        {"引擎版本 engine version", r->engine_version},
        {"规则摘要 rules digest", r->rules_digest},
        {"数据摘要 data digest", r->data_digest},
        {"规则目录 rules folder", r->rules_dir},
        {"运行选项 options", r->options},
    };
    for (size_t i = 0; i < ER_ARRAY_LEN(rows); i++) {
        fprintf(fp, "| %s | ", rows[i].label);
        md(fp, rows[i].value);
        fputs(" |\n", fp);
    }
    if (r->evaluations >= 0)
        fprintf(fp, "| 评估次数 evaluations | %s |\n",
                er_fmt_num(num, sizeof num, (double)r->evaluations));
    if (r->data_changed) {
        fputs("\n> 注意：数据表在本次运行之后已更改（当前数据摘要 ", fp);
        md(fp, r->data_digest_now);
        fputs("）；人均支出按当前数据计算。\n", fp);
    }
    fprintf(
        fp,
        "\n本次运行使用 %zu 条规则、%zu 个规则文件；各规则的标题、依据、参数"
        "与各文件的 SHA-256 见附录。\n",
        r->nrules, r->nfiles);
}

/* The rules with titles, bases and params, and the rule files. */
static void md_appendix(const er_report *r, FILE *fp)
{
    fputs("\n## 附录 规则与规则文件 Appendix: rules and rule files\n", fp);
    fprintf(fp,
            "\n### 规则文件 Rule files (%zu)\n\n| 文件 path | SHA-256 |\n"
            "|---|---|\n",
            r->nfiles);
    for (size_t i = 0; i < r->nfiles; i++) {
        fputs("| ", fp);
        md(fp, r->file_paths[i]);
        fputs(" | ", fp);
        md(fp, r->file_sha256[i]);
        fputs(" |\n", fp);
    }
    fprintf(fp,
            "\n### 规则 Rules (%zu)\n\n| 规则 rule | 部门 department | "
            "标题 title | 依据 basis | 类型 kind | 层级 level | 参数 params "
            "|\n|---|---|---|---|---|---|---|\n",
            r->nrules);
    for (size_t i = 0; i < r->nrules; i++) {
        const er_rep_rule *u = &r->rules[i];
        const char *zh = er_department_name(u->department);
        fputs("| ", fp);
        md(fp, u->id);
        fputs(" | ", fp);
        if (zh)
            fprintf(fp, "%s ", zh);
        md(fp, u->department);
        fputs(" | ", fp);
        md(fp, u->title);
        fputs(" | ", fp);
        md(fp, u->basis);
        fputs(" | ", fp);
        md(fp, u->kind);
        fputs(" | ", fp);
        md(fp, u->level);
        fputs(" | ", fp);
        md(fp, u->params && strcmp(u->params, "{}") != 0 ? u->params : NULL);
        fputs(" |\n", fp);
    }
}

static void md_summary(const er_report *r, FILE *fp)
{
    char rate[32], num[64], num2[64];
    fprintf(fp, "\n## 2 结果概览 Summary\n\n本次运行（run %lld，",
            (long long)r->id);
    md(fp, r->years);
    fprintf(fp,
            " 年度）共 %ld 条结果（findings）：通过 %ld，未达标 %ld，预警 %ld，"
            "不适用 %ld，核减 %ld，分配 %ld，缺数据 %ld，错误 %ld；未通过"
            "（fail、missing、error）共 %ld 条，通过率 %s。核减合计 %s 元，"
            "分配合计 %s 元。\n\n"
            "通过率 = 通过 ÷（通过 + 预警 + 未达标 + 缺数据 + 错误）。\n",
            er_count_total(r->counts), r->counts[ER_PASS], r->counts[ER_FAIL],
            r->counts[ER_WARN], r->counts[ER_SKIP], r->counts[ER_CUT],
            r->counts[ER_ALLOCATION], r->counts[ER_MISSING],
            r->counts[ER_ERROR_OUTCOME], er_count_failing(r->counts),
            er_fmt_rate(rate, sizeof rate, er_pass_rate(r->counts)),
            er_fmt_fen(num, sizeof num, r->cut_fen),
            er_fmt_fen(num2, sizeof num2, r->allocation_fen));

    fputs("\n### 按部门 By department\n\n", fp);
    md_count_head(fp, "部门 department");
    for (size_t i = 0; i < r->ndepts; i++) {
        const char *zh = er_department_name(r->depts[i].id);
        fputs("| ", fp);
        if (zh)
            fprintf(fp, "%s ", zh);
        md(fp, r->depts[i].id);
        fprintf(fp, " (%d) |", r->depts[i].nrules);
        md_counts(fp, r->depts[i].counts);
    }
    fputs("| **合计 total** |", fp);
    md_counts(fp, r->counts);

    fputs("\n### 按规则 By rule\n\n", fp);
    md_count_head(fp, "规则 rule");
    for (size_t i = 0; i < r->nrules; i++) {
        fputs("| ", fp);
        md(fp, r->rules[i].id);
        fputs(" |", fp);
        md_counts(fp, r->rules[i].counts);
    }
    fputs("| **合计 total** |", fp);
    md_counts(fp, r->counts);
}

/* The rules that assessed nothing in a year and the data gaps. */
static int md_gaps(const er_report *r, FILE *fp)
{
    fputs("\n## 未评估与数据缺口 Not assessed and data gaps\n\n"
          "已评估 = （通过 + 未达标 + 预警 + 核减 + 分配）÷ 全部结果 "
          "(assessed = pass + fail + warn + cut + allocation, of all "
          "findings).\n",
          fp);
    return er_gapset_write(&r->gaps, r->names_db, fp, ER_FORMAT_MD,
                           ER_GAPS_ALL);
}

static int md_matrix(const er_report *r, FILE *fp)
{
    size_t nrules = r->nrules, nregions = r->nregions;
    er_rep_matrix m;
    int rc = er_rep_matrix_init(&m, r);

    fputs("\n## 3 地区 × 规则 Regions × rules\n\n图例：", fp);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, "%s%s %s %s", o ? "，" : "", er_outcome_symbol(o),
                er_outcome_zh(o), er_outcome_name((er_outcome)o));
    fputs("；· 无结果。\n", fp);
    if (rc != ER_OK)
        goto done;
    size_t i = 0;
    while (i < r->nfindings) {
        er_rep_matrix_fill(&m, r, &i);
        fprintf(fp, "\n### %d\n\n| 地区 region |", m.year);
        size_t ncols = 0;
        for (size_t u = 0; u < nrules; u++) {
            if (!m.used_rule[u])
                continue;
            fputc(' ', fp);
            md(fp, r->rules[u].id);
            fputs(" |", fp);
            ncols++;
        }
        fputs("\n|---|", fp);
        for (size_t k = 0; k < ncols; k++)
            fputs(":---:|", fp);
        fputc('\n', fp);
        for (size_t g = 0; g < nregions; g++) {
            if (!m.used_region[g])
                continue;
            fputs("| ", fp);
            md_region(fp, &r->regions[g]);
            fputs(" |", fp);
            for (size_t u = 0; u < nrules; u++) {
                if (!m.used_rule[u])
                    continue;
                int o = m.cells[g * nrules + u];
                fprintf(fp, " %s |", o < 0 ? "·" : er_outcome_symbol(o));
            }
            fputc('\n', fp);
        }
    }
done:
    er_rep_matrix_free(&m);
    return rc;
}

static void md_failing(const er_report *r, FILE *fp)
{
    fprintf(fp, "\n## 4 未通过的结果 Failing findings (%ld)\n\n",
            er_count_failing(r->counts));
    if (!er_count_failing(r->counts)) {
        fputs("没有未通过的结果。\n", fp);
        return;
    }
    fputs("| 年度 year | 地区 region | 规则 rule | 标题 title | 结果 outcome "
          "| 实测 measured | 要求 required | 单位 unit | 说明 note | 依据 "
          "basis |\n|---:|---|---|---|---|---:|---:|---|---|---|\n",
          fp);
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (!er_outcome_failing(f->outcome))
            continue;
        const er_rep_rule *u = &r->rules[f->rule];
        fprintf(fp, "| %d | ", f->year);
        md_region(fp, &r->regions[f->region]);
        fputs(" | ", fp);
        md(fp, u->id);
        fputs(" | ", fp);
        md(fp, u->title);
        fprintf(fp, " | %s %s | ", er_outcome_zh(f->outcome),
                er_outcome_name((er_outcome)f->outcome));
        md_num(fp, f->has_measured, f->measured);
        fputs(" | ", fp);
        md_num(fp, f->has_required, f->required);
        fputs(" | ", fp);
        md(fp, f->unit);
        fputs(" | ", fp);
        md(fp, f->note);
        fputs(" | ", fp);
        md(fp, u->basis);
        fputs(" |\n", fp);
    }
}

static void md_money(const er_report *r, FILE *fp)
{
    char num[64], num2[64];
    fputs("\n## 5 核减与分配 Cuts and allocations\n\n", fp);
    if (!r->nmoney) {
        fputs("本次运行没有核减或分配。\n", fp);
        return;
    }
    fputs("金额以分为单位存储并求和，显示为元（精确到分）。\n", fp);
    size_t i = 0;
    while (i < r->nmoney) {
        int year = r->money[i].year;
        int64_t cut = 0, alloc = 0;
        fprintf(fp,
                "\n### %d\n\n| 地区 region | 区域 zone | 核减 cut（元） | "
                "分配 allocation（元） |\n|---|---|---:|---:|\n",
                year);
        for (; i < r->nmoney && r->money[i].year == year; i++) {
            const er_rep_money *m = &r->money[i];
            const er_rep_region *g = &r->regions[m->region];
            fputs("| ", fp);
            md_region(fp, g);
            fputs(" | ", fp);
            md(fp, g->zone);
            fprintf(fp, " | %s | %s |\n",
                    m->ncut ? er_fmt_fen(num, sizeof num, m->cut) : "—",
                    m->nallocation
                        ? er_fmt_fen(num2, sizeof num2, m->allocation)
                        : "—");
            cut += m->cut;
            alloc += m->allocation;
        }
        fprintf(fp, "| **%d 年合计 total** | | **%s** | **%s** |\n", year,
                er_fmt_fen(num, sizeof num, cut),
                er_fmt_fen(num2, sizeof num2, alloc));
    }
    fprintf(fp, "\n全部年度合计 all years：核减 %s 元，分配 %s 元。\n",
            er_fmt_fen(num, sizeof num, r->cut_fen),
            er_fmt_fen(num2, sizeof num2, r->allocation_fen));
}

/* Writes `v` (a fraction) as a percentage: "25%", "32.5%", "—". */
static void md_pct(FILE *fp, double v)
{
    char num[64];
    if (isfinite(v))
        fprintf(fp, "%s%%", er_rep_num(num, sizeof num, v * 100.0));
    else
        fputs("—", fp);
}

static void md_percap(const er_report *r, FILE *fp)
{
    char num[64], num2[64], num3[64];
    const er_rep_rule *rule = r->gap_rule >= 0 ? &r->rules[r->gap_rule] : NULL;
    fputs("\n## 6 人均基本公共服务支出 Per-capita basic public service "
          "spending\n\n口径：fin.basic_service.spend（基本公共服务支出）÷ "
          "pop.resident（常住人口），元/人，取规则所用之值（市无存储值时为"
          "其所辖全部县区之和，表中标“汇总”）；核心区人均 = 核心区"
          "各市支出合计 ÷ 常住人口合计；",
          fp);
    if (rule) {
        fputs("界线 = 核心区人均 ×（1 − 差距上限），差距上限为 ", fp);
        md(fp, rule->id);
        fputs(" 在本次运行中各年度的目标。\n", fp);
    } else {
        fputs("本次运行没有规则声明人均支出图（report = { chart = "
              "\"per_capita_gap\" }），没有界线。\n",
              fp);
    }
    if (r->data_changed)
        fputs("\n> 数据表在本次运行之后已更改，以下按当前数据计算。\n", fp);
    if (!r->npercap) {
        fputs("\n数据表中没有这些年度各市的数据。\n", fp);
        return;
    }
    for (int y = r->year_from; y <= r->year_to; y++) {
        double core = er_report_core_mean(r, y);
        double max_gap = er_report_max_gap(r, y);
        double band_floor = er_report_band_floor(r, y);
        bool any = false;
        for (size_t i = 0; i < r->npercap; i++) {
            const er_rep_percap *p = &r->percap[i];
            if (p->year != y)
                continue;
            if (!any) {
                fprintf(fp, "\n### %d\n\n核心区人均 %s 元/人，差距上限 ", y,
                        er_rep_num(num, sizeof num, core));
                md_pct(fp, max_gap);
                fputs("，界线（", fp);
                md_pct(fp, 1.0 - max_gap);
                fprintf(fp,
                        "）%s 元/人。\n\n| 地区 region | 区域 zone | 支出 "
                        "spend（元） | 常住人口 pop.resident | 人均（元/人） "
                        "| 占核心区人均 | 低于界线 |\n"
                        "|---|---|---:|---:|---:|---:|:---:|\n",
                        er_rep_num(num2, sizeof num2, band_floor));
                any = true;
            }
            const er_rep_region *g = &r->regions[p->region];
            fputs("| ", fp);
            md_region(fp, g);
            if (p->derived)
                fputs("（汇总）", fp);
            fputs(" | ", fp);
            md(fp, g->zone);
            fprintf(fp, " | %s | %s | %s | ",
                    er_rep_num(num, sizeof num, p->spend),
                    er_rep_num(num2, sizeof num2, p->pop),
                    er_rep_num(num3, sizeof num3, p->value));
            double share = p->value / core;
            if (isfinite(share))
                fprintf(fp, "%.1f%% | ", share * 100.0);
            else
                fputs("— | ", fp);
            if (isfinite(band_floor) && isfinite(p->value))
                fputs(p->value < band_floor ? "是 |\n" : " |\n", fp);
            else
                fputs("— |\n", fp);
        }
        int k = 0;
        for (size_t i = 0; i < r->npercap_absent; i++) {
            const er_rep_percap *p = &r->percap_absent[i];
            if (p->year != y)
                continue;
            if (k++)
                fputs("、", fp);
            else if (any)
                fputs("\n无支出或常住人口数据（亦无法由所辖县区汇总）、未列出"
                      "的市：",
                      fp);
            else
                fprintf(fp, "\n### %d\n\n无支出或常住人口数据（亦无法由所辖县区"
                            "汇总）、未列出的市：",
                        y);
            md_region(fp, &r->regions[p->region]);
        }
        if (k)
            fputs("。\n", fp);
    }
}

static void md_trends(const er_report *r, FILE *fp)
{
    char rate[32], num[64], num2[64];
    int32_t rule = r->gap_rule;
    fputs("\n## 7 趋势 Trends\n\n| 年度 year | 结果 findings | 未通过 "
          "failing | 通过率 pass rate | ",
          fp);
    if (rule >= 0) {
        md(fp, r->rules[rule].id);
        fputs(" 实测 | 要求 |\n|---:|---:|---:|---:|---:|---:|\n", fp);
    } else {
        fputs("差距 实测 | 要求 |\n|---:|---:|---:|---:|---:|---:|\n", fp);
    }
    for (int y = r->year_from; y <= r->year_to; y++) {
        const long *c = r->year_counts[y - r->year_from];
        const er_rep_finding *gap = NULL;
        for (size_t i = 0; rule >= 0 && i < r->nfindings && !gap; i++)
            if (r->findings[i].rule == rule && r->findings[i].year == y &&
                r->findings[i].has_measured)
                gap = &r->findings[i];
        fprintf(fp, "| %d | %ld | %ld | %s | %s | %s |\n", y, er_count_total(c),
                er_count_failing(c),
                er_fmt_rate(rate, sizeof rate, er_pass_rate(c)),
                gap ? er_rep_num(num, sizeof num, gap->measured) : "—",
                gap && gap->has_required
                    ? er_rep_num(num2, sizeof num2, gap->required)
                    : "—");
    }
}

/* A measure's cell: its value, its outcome when it has none (missing,
 * error), "—" without a finding. */
static void md_index_cell(FILE *fp, const er_rep_finding *f)
{
    char num[64];
    if (!f)
        fputs(" — |", fp);
    else if (f->has_measured && isfinite(f->measured) &&
             f->outcome != ER_MISSING && f->outcome != ER_ERROR)
        fprintf(fp, " %s |", er_goal_num(num, sizeof num, f->measured));
    else
        fprintf(fp, " %s %s |", er_outcome_zh(f->outcome),
                er_outcome_name((er_outcome)f->outcome));
}

static void md_index(const er_report *r, FILE *fp)
{
    fputs("\n## 8 均等化水平 Equalization index\n", fp);
    if (er_report_region_why(r)) {
        fputs("\n", fp);
        md(fp, er_report_region_why(r));
        fputs("\n", fp);
    }
    if (!er_report_has_index(r, false)) {
        fputs("\n", fp);
        md(fp, er_report_absent_why(r, ER_HINT_INDEX));
        fputs("\n", fp);
    } else {
        fputs("\n| 年度 year |", fp);
        int ncols = 0;
        for (size_t k = 0; er_report_indexes[k]; k++) {
            int32_t u = er_report_index_rule(r, er_report_indexes[k]);
            if (u < 0)
                continue;
            fprintf(fp, " %s %s |", er_index_zh(er_report_indexes[k]),
                    er_report_indexes[k]);
            ncols++;
        }
        fputs("\n|---:|", fp);
        for (int c = 0; c < ncols; c++)
            fputs("---:|", fp);
        fputc('\n', fp);
        for (int y = r->year_from; y <= r->year_to; y++) {
            if (r->filter_year && y != r->filter_year)
                continue;
            fprintf(fp, "| %d |", y);
            for (size_t k = 0; er_report_indexes[k]; k++) {
                int32_t u = er_report_index_rule(r, er_report_indexes[k]);
                if (u >= 0)
                    md_index_cell(fp, er_report_finding_of(r, u, y, NULL));
            }
            fputc('\n', fp);
        }
        if (r->filter_rows && !r->filter_year)
            fputs("\n按本报告的筛选条件：“—”表示没有结果或结果不在筛选"
                  "范围内。\n", fp);
    }
    if (!er_report_has_index(r, true)) {
        fputs("\n", fp);
        md(fp, er_report_absent_why(r, ER_HINT_ITEM_INDEX));
        fputs("\n", fp);
    } else {
        fputs("\n分项目 by item:\n\n| 项目 item | 指数 index |", fp);
        for (int y = r->year_from; y <= r->year_to; y++)
            if (!r->filter_year || y == r->filter_year)
                fprintf(fp, " %d |", y);
        fputs("\n|---|---|", fp);
        for (int y = r->year_from; y <= r->year_to; y++)
            if (!r->filter_year || y == r->filter_year)
                fputs("---:|", fp);
        fputc('\n', fp);
        for (size_t u = 0; u < r->nrules; u++) {
            const er_rep_rule *x = &r->rules[u];
            if (!x->index || !x->item)
                continue;
            fputs("| ", fp);
            md(fp, x->item_name ? x->item_name : x->item);
            fputc(' ', fp);
            md(fp, x->item);
            fprintf(fp, " | %s %s |", er_index_zh(x->index), x->index);
            for (int y = r->year_from; y <= r->year_to; y++)
                if (!r->filter_year || y == r->filter_year)
                    md_index_cell(
                        fp, er_report_finding_of(r, (int32_t)u, y, NULL));
            fputc('\n', fp);
        }
    }
}

static int md_goals(const er_report *r, FILE *fp)
{
    char num[64], num2[64];
    int rc = ER_OK;
    fputs("\n## 9 目标进展 Progress toward the goals\n", fp);
    if (er_report_region_why(r)) {
        fputs("\n", fp);
        md(fp, er_report_region_why(r));
        fputs("\n", fp);
    }
    for (size_t u = 0; u < r->nrules && rc == ER_OK; u++) {
        const er_rep_rule *x = &r->rules[u];
        if (!x->goal)
            continue;
        er_rep_goalpt *pts = NULL;
        size_t n = 0;
        er_buf line;
        er_buf_init(&line);
        int met;
        if ((rc = er_report_goal_series(r, (int32_t)u, &pts, &n)) == ER_OK &&
            (rc = er_report_goal_sentence(r, (int32_t)u, pts, n, &line,
                                          &met)) == ER_OK) {
            fputs("\n### ", fp);
            md(fp, x->title);
            fputs(" (", fp);
            md(fp, x->id);
            fprintf(fp, ", 目标年份 goal %d)\n\n", x->goal);
            md(fp, line.data);
            fputs("\n\n| 年度 year | 实测 measured | 要求 required | 结果 "
                  "outcome | 运行 run |\n|---:|---:|---:|---|---:|\n",
                  fp);
            for (size_t i = 0; i < n; i++)
                fprintf(fp, "| %d | %s | %s | %s | %s%lld |\n", pts[i].year,
                        pts[i].has_measured
                            ? er_goal_num(num, sizeof num, pts[i].measured)
                            : "—",
                        pts[i].has_required
                            ? er_goal_num(num2, sizeof num2,
                                          pts[i].required)
                            : "—",
                        er_outcome_name((er_outcome)pts[i].outcome),
                        pts[i].run != r->id ? "取自运行 #" : "#",
                        (long long)pts[i].run);
            er_buf left;
            er_buf_init(&left);
            if ((rc = er_report_goal_left_out(r, (int32_t)u, &left)) ==
                    ER_OK &&
                left.data && *left.data) {
                fputs("\n", fp);
                md(fp, left.data);
                fputs("\n", fp);
            }
            er_buf_free(&left);
        }
        free(pts);
        er_buf_free(&line);
    }
    return rc;
}

static int md_ranking(const er_report *r, FILE *fp)
{
    char num[64];
    int rc = ER_OK;
    const er_rep_rule *x = &r->rules[r->rank_rule];
    fputs("\n## 10 绩效考核排名 Performance ranking\n\n", fp);
    md(fp, x->title);
    fputs(" (", fp);
    md(fp, x->id);
    fputs(")：名次按得分四舍五入到 0.01 后排列（同分同名次），", fp);
    fputs(r->run_region ? "由规则在全省各市中排列，见说明。\n"
                        : "在本次运行全省各市中排列，不只是下表所列的市。\n",
          fp);
    for (int y = r->year_from; y <= r->year_to && rc == ER_OK; y++) {
        const er_rep_finding **list = NULL;
        int *ranks = NULL;
        size_t n = 0;
        if ((rc = er_report_ranking(r, y, &list, &ranks, &n)) != ER_OK ||
            !n)
            continue;
        fprintf(fp, "\n### %d\n\n", y);
        long ranked = er_report_ranked(r, y);
        if (r->run_region)
            fputs("不显示名次：本次运行只评估了一个地区，只存了它的得分；"
                  "规则在全省各市中算出的名次见说明。\n\n",
                  fp);
        else if (r->rank_cities && ranked < r->rank_cities)
            fprintf(fp, "排名不完整：本次运行只为 %ld/%ld 个市计分，名次只在"
                        "这些市之间排列。\n\n",
                    ranked, r->rank_cities);
        fprintf(fp, "| 名次 rank | 地区 region | 得分 score | "
                    "结果 outcome | 说明 note |\n|---:|---|---:|---|---|\n");
        for (size_t i = 0; i < n; i++) {
            if (ranks[i])
                fprintf(fp, "| %d | ", ranks[i]);
            else
                fputs("| — | ", fp);
            md_region(fp, &r->regions[list[i]->region]);
            fprintf(fp, " | %s | %s | ",
                    list[i]->has_measured
                        ? er_rep_num(num, sizeof num, list[i]->measured)
                        : "—",
                    er_outcome_name((er_outcome)list[i]->outcome));
            md(fp, list[i]->note);
            fputs(" |\n", fp);
        }
        free(list);
        free(ranks);
    }
    return rc;
}

int er_report_md(const er_report *r, FILE *fp)
{
    int rc;
    md_run(r, fp);
    md_summary(r, fp);
    if ((rc = md_gaps(r, fp)) != ER_OK || (rc = md_matrix(r, fp)) != ER_OK)
        return rc;
    md_failing(r, fp);
    md_money(r, fp);
    md_percap(r, fp);
    if (r->year_to > r->year_from && r->year_counts)
        md_trends(r, fp);
    /* the sections of the rules' hints, only when a rule of the run
     * declares one; then each says why it is empty when it is */
    if (r->run_hints)
        md_index(r, fp);
    if (er_report_has_goal(r)) {
        if ((rc = md_goals(r, fp)) != ER_OK)
            return rc;
    } else if (r->run_hints) {
        fputs("\n## 9 目标进展 Progress toward the goals\n\n", fp);
        md(fp, er_report_absent_why(r, ER_HINT_GOAL));
        fputs("\n", fp);
    }
    if (r->rank_rule >= 0) {
        if ((rc = md_ranking(r, fp)) != ER_OK)
            return rc;
    } else if (r->run_hints) {
        fputs("\n## 10 绩效考核排名 Performance ranking\n\n", fp);
        md(fp, er_report_absent_why(r, ER_HINT_RANKING));
        fputs("\n", fp);
    }
    md_appendix(r, fp);
    return ER_OK;
}

/* ---- CSV ---------------------------------------------------------------- */

int er_report_csv(const er_report *r, FILE *fp, unsigned flags)
{
    char num[64];
    /* bound for a spreadsheet: no cell reads as a formula */
    er_text_kind text = flags & ER_CSV_EXCEL ? ER_TEXT_CSV_SHEET : ER_TEXT_CSV;
    if (flags & ER_CSV_EXCEL)
        fputs("\xEF\xBB\xBF", fp);
    fputs("run,rule,department,region,region_name,year,outcome,measured,"
          "required,amount_yuan,unit,note\n",
          fp);
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        const er_rep_rule *u = &r->rules[f->rule];
        const er_rep_region *g = &r->regions[f->region];
        fprintf(fp, "%lld,", (long long)r->id);
        er_text_put(fp, text, u->id);
        fputc(',', fp);
        er_text_put(fp, text, u->department);
        fputc(',', fp);
        er_text_put(fp, text, g->code);
        fputc(',', fp);
        er_text_put(fp, text, g->name && *g->name ? g->name : NULL);
        fprintf(fp, ",%d,%s,", f->year,
                er_outcome_name((er_outcome)f->outcome));
        /* a value that is not a finite number is left empty, as a NULL */
        if (f->has_measured && isfinite(f->measured))
            fputs(er_fmt_exact(num, sizeof num, f->measured), fp);
        fputc(',', fp);
        if (f->has_required && isfinite(f->required))
            fputs(er_fmt_exact(num, sizeof num, f->required), fp);
        fputc(',', fp);
        if (f->has_amount)
            fputs(er_fmt_fen_plain(num, sizeof num, f->amount), fp);
        fputc(',', fp);
        er_text_put(fp, text, f->unit);
        fputc(',', fp);
        er_text_put(fp, text, f->note);
        fputc('\n', fp);
    }
    return ER_OK;
}

/* ---- JSON --------------------------------------------------------------- */

static void json_num(FILE *fp, double v)
{
    char num[64];
    if (isnan(v) || isinf(v))
        fputs("null", fp);
    else
        fputs(er_fmt_exact(num, sizeof num, v), fp);
}

static void json_counts(FILE *fp, const long counts[ER_OUTCOME_COUNT])
{
    fputs("{", fp);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        fprintf(fp, "%s\"%s\": %ld", o ? ", " : "",
                er_outcome_name((er_outcome)o), counts[o]);
    fputs("}", fp);
}

/* "counts": {...}, "findings": n, "failing": n, "pass_rate": x */
static void json_tally(FILE *fp, const long counts[ER_OUTCOME_COUNT])
{
    fputs("\"counts\": ", fp);
    json_counts(fp, counts);
    fprintf(fp, ", \"findings\": %ld, \"failing\": %ld, \"pass_rate\": ",
            er_count_total(counts), er_count_failing(counts));
    json_num(fp, er_pass_rate(counts));
    fprintf(fp, ", \"assessed\": %ld, \"assessed_share\": ",
            er_counts_assessed(counts));
    json_num(fp, er_assessed_rate(counts));
}

static void json_field(FILE *fp, const char *sep, const char *key,
                       const char *value)
{
    fprintf(fp, "%s\"%s\": ", sep, key);
    er_json_put(fp, value);
}

static void json_run(const er_report *r, FILE *fp)
{
    fprintf(fp, "  \"run\": {\"id\": %lld", (long long)r->id);
    json_field(fp, ", ", "status", r->status);
    json_field(fp, ", ", "years", r->years);
    fprintf(fp, ", \"year_from\": %d, \"year_to\": %d", r->year_from,
            r->year_to);
    json_field(fp, ",\n    ", "started_at", r->started_at);
    json_field(fp, ", ", "finished_at", r->finished_at);
    json_field(fp, ", ", "user", r->user);
    json_field(fp, ", ", "engine_version", r->engine_version);
    json_field(fp, ",\n    ", "rules_digest", r->rules_digest);
    json_field(fp, ",\n    ", "data_digest", r->data_digest);
    json_field(fp, ",\n    ", "data_digest_now",
               r->data_digest_now[0] ? r->data_digest_now : NULL);
    fprintf(fp, ", \"data_changed\": %s", r->data_changed ? "true" : "false");
    json_field(fp, ",\n    ", "options", r->options);
    json_field(fp, ", ", "rules_dir", r->rules_dir);
    fprintf(fp, ", \"full\": %s", r->scope ? "false" : "true");
    json_field(fp, ", ", "scope", r->scope);
    fputs(", \"evaluations\": ", fp);
    if (r->evaluations >= 0)
        fprintf(fp, "%lld", (long long)r->evaluations);
    else
        fputs("null", fp);
    fputs(",\n    \"rule_files\": [", fp);
    for (size_t i = 0; i < r->nfiles; i++) {
        fprintf(fp, "%s\n      {\"path\": ", i ? "," : "");
        er_json_put(fp, r->file_paths[i]);
        fputs(", \"sha256\": ", fp);
        er_json_put(fp, r->file_sha256[i]);
        fputs("}", fp);
    }
    fputs("]},\n", fp);
}

static void json_rules(const er_report *r, FILE *fp)
{
    fputs("  \"rules\": [", fp);
    for (size_t i = 0; i < r->nrules; i++) {
        const er_rep_rule *u = &r->rules[i];
        fprintf(fp, "%s\n    {", i ? "," : "");
        json_field(fp, "", "id", u->id);
        json_field(fp, ", ", "department", u->department);
        json_field(fp, ", ", "department_name",
                   er_department_name(u->department));
        json_field(fp, ",\n     ", "title", u->title);
        json_field(fp, ",\n     ", "basis", u->basis);
        json_field(fp, ",\n     ", "item", u->item);
        json_field(fp, ", ", "kind", u->kind);
        json_field(fp, ", ", "level", u->level);
        json_field(fp, ", ", "path", u->path);
        fputs(", \"params\": ", fp);
        /* run_rule.params is JSON written by the rule loader */
        if (u->params && u->params[0] == '{')
            fputs(u->params, fp);
        else
            fputs("null", fp);
        fputs(",\n     ", fp);
        json_tally(fp, u->counts);
        fputs("}", fp);
    }
    fputs("],\n", fp);
}

static void json_summary(const er_report *r, FILE *fp)
{
    fputs("  \"summary\": {", fp);
    json_tally(fp, r->counts);
    fputs(",\n    \"by_department\": [", fp);
    for (size_t i = 0; i < r->ndepts; i++) {
        fprintf(fp, "%s\n      {", i ? "," : "");
        json_field(fp, "", "department", r->depts[i].id);
        json_field(fp, ", ", "name", er_department_name(r->depts[i].id));
        fprintf(fp, ", \"rules\": %d, ", r->depts[i].nrules);
        json_tally(fp, r->depts[i].counts);
        fputs("}", fp);
    }
    fputs("],\n    \"by_year\": [", fp);
    for (int y = r->year_from; r->year_counts && y <= r->year_to; y++) {
        fprintf(fp, "%s\n      {\"year\": %d, ", y > r->year_from ? "," : "",
                y);
        json_tally(fp, r->year_counts[y - r->year_from]);
        fputs("}", fp);
    }
    fputs("]},\n", fp);
}

static void json_findings(const er_report *r, FILE *fp)
{
    char num[64];
    fputs("  \"findings\": [", fp);
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        const er_rep_rule *u = &r->rules[f->rule];
        const er_rep_region *g = &r->regions[f->region];
        fprintf(fp, "%s\n    {", i ? "," : "");
        json_field(fp, "", "rule", u->id);
        json_field(fp, ", ", "department", u->department);
        json_field(fp, ", ", "region", g->code);
        json_field(fp, ", ", "region_name",
                   g->name && *g->name ? g->name : NULL);
        fprintf(fp,
                ", \"year\": %d, \"outcome\": \"%s\", \"measured\": ", f->year,
                er_outcome_name((er_outcome)f->outcome));
        if (f->has_measured)
            json_num(fp, f->measured);
        else
            fputs("null", fp);
        fputs(", \"required\": ", fp);
        if (f->has_required)
            json_num(fp, f->required);
        else
            fputs("null", fp);
        if (f->has_amount)
            fprintf(fp, ", \"amount_fen\": %lld, \"amount_yuan\": %s",
                    (long long)f->amount,
                    er_fmt_fen_plain(num, sizeof num, f->amount));
        else
            fputs(", \"amount_fen\": null, \"amount_yuan\": null", fp);
        json_field(fp, ", ", "unit", f->unit);
        json_field(fp, ", ", "note", f->note);
        fputs("}", fp);
    }
    fputs("],\n", fp);
}

static void json_money(const er_report *r, FILE *fp)
{
    char num[64], num2[64];
    fprintf(fp,
            "  \"money\": {\"cut_fen\": %lld, \"allocation_fen\": %lld, "
            "\"cut_yuan\": %s, \"allocation_yuan\": %s,\n    \"by_region\": [",
            (long long)r->cut_fen, (long long)r->allocation_fen,
            er_fmt_fen_plain(num, sizeof num, r->cut_fen),
            er_fmt_fen_plain(num2, sizeof num2, r->allocation_fen));
    for (size_t i = 0; i < r->nmoney; i++) {
        const er_rep_money *m = &r->money[i];
        const er_rep_region *g = &r->regions[m->region];
        fprintf(fp, "%s\n      {\"year\": %d", i ? "," : "", m->year);
        json_field(fp, ", ", "region", g->code);
        json_field(fp, ", ", "region_name",
                   g->name && *g->name ? g->name : NULL);
        json_field(fp, ", ", "zone", g->zone);
        fprintf(fp,
                ", \"cut_fen\": %lld, \"allocation_fen\": %lld, "
                "\"cut_yuan\": %s, \"allocation_yuan\": %s}",
                (long long)m->cut, (long long)m->allocation,
                er_fmt_fen_plain(num, sizeof num, m->cut),
                er_fmt_fen_plain(num2, sizeof num2, m->allocation));
    }
    fputs("],\n    \"by_year\": [", fp);
    size_t i = 0;
    int n = 0;
    while (i < r->nmoney) {
        int year = r->money[i].year;
        int64_t cut = 0, alloc = 0;
        for (; i < r->nmoney && r->money[i].year == year; i++) {
            cut += r->money[i].cut;
            alloc += r->money[i].allocation;
        }
        fprintf(fp,
                "%s\n      {\"year\": %d, \"cut_fen\": %lld, "
                "\"allocation_fen\": %lld, \"cut_yuan\": %s, "
                "\"allocation_yuan\": %s}",
                n++ ? "," : "", year, (long long)cut, (long long)alloc,
                er_fmt_fen_plain(num, sizeof num, cut),
                er_fmt_fen_plain(num2, sizeof num2, alloc));
    }
    fputs("]},\n", fp);
}

static void json_percap(const er_report *r, FILE *fp)
{
    fputs("  \"per_capita\": {\"measure\": \"fact fin.basic_service.spend / "
          "fact pop.resident (a city without its own rows: the sum of its "
          "counties', derived)\", \"unit\": \"元/人\", \"rule\": ",
          fp);
    er_json_put(fp, r->gap_rule >= 0 ? r->rules[r->gap_rule].id : NULL);
    fputs(",\n    \"years\": [", fp);
    int n = 0;
    for (int y = r->year_from; y <= r->year_to; y++) {
        double core = er_report_core_mean(r, y);
        double max_gap = er_report_max_gap(r, y);
        double band_floor = er_report_band_floor(r, y);
        int k = 0;
        for (size_t i = 0; i < r->npercap; i++) {
            const er_rep_percap *p = &r->percap[i];
            if (p->year != y)
                continue;
            if (!k++) {
                fprintf(fp, "%s\n      {\"year\": %d, \"core_mean\": ",
                        n++ ? "," : "", y);
                json_num(fp, core);
                fputs(", \"max_gap\": ", fp);
                json_num(fp, max_gap);
                fputs(", \"band_floor\": ", fp);
                json_num(fp, band_floor);
                fputs(", \"cities\": [", fp);
            }
            const er_rep_region *g = &r->regions[p->region];
            fprintf(fp, "%s\n        {", k > 1 ? "," : "");
            json_field(fp, "", "region", g->code);
            json_field(fp, ", ", "region_name", g->name);
            json_field(fp, ", ", "zone", g->zone);
            fputs(", \"spend\": ", fp);
            json_num(fp, p->spend);
            fputs(", \"pop\": ", fp);
            json_num(fp, p->pop);
            fputs(", \"per_capita\": ", fp);
            json_num(fp, p->value);
            fprintf(fp, ", \"derived\": %s", p->derived ? "true" : "false");
            fprintf(fp, ", \"below_band\": %s}",
                    isfinite(band_floor) && p->value < band_floor ? "true"
                                                                  : "false");
        }
        if (k) {
            /* the cities without both values, nor a roll-up of them */
            fputs("], \"absent\": [", fp);
            int a = 0;
            for (size_t i = 0; i < r->npercap_absent; i++) {
                const er_rep_percap *p = &r->percap_absent[i];
                if (p->year != y)
                    continue;
                fputs(a++ ? ", " : "", fp);
                er_json_put(fp, r->regions[p->region].code);
            }
            fputs("]}", fp);
        }
    }
    fputs("]}\n", fp);
}

/* {"rule": id, "outcome": name, "value": x} of a measure's finding (value
 * null when it has none), or null without a finding. */
static void json_measure(const er_report *r, FILE *fp,
                         const er_rep_finding *f)
{
    if (!f) {
        fputs("null", fp);
        return;
    }
    json_field(fp, "{", "rule", r->rules[f->rule].id);
    json_field(fp, ", ", "outcome", er_outcome_name((er_outcome)f->outcome));
    fputs(", \"value\": ", fp);
    json_num(fp, f->has_measured && f->outcome != ER_MISSING &&
                         f->outcome != ER_ERROR
                     ? f->measured
                     : NAN);
    fputs("}", fp);
}

static void json_index(const er_report *r, FILE *fp)
{
    fputs(",\n  \"equalization\": {\"measures\": [", fp);
    int k = 0;
    for (size_t i = 0; er_report_indexes[i]; i++) {
        int32_t u = er_report_index_rule(r, er_report_indexes[i]);
        if (u < 0)
            continue;
        json_field(fp, k++ ? ",\n      {" : "\n      {", "index",
                   er_report_indexes[i]);
        json_field(fp, ", ", "name", er_index_zh(er_report_indexes[i]));
        json_field(fp, ", ", "rule", r->rules[u].id);
        fputs("}", fp);
    }
    fputs("],\n    \"years\": [", fp);
    for (int y = r->year_from; k && y <= r->year_to; y++) {
        fprintf(fp, "%s\n      {\"year\": %d", y > r->year_from ? "," : "",
                y);
        for (size_t i = 0; er_report_indexes[i]; i++) {
            int32_t u = er_report_index_rule(r, er_report_indexes[i]);
            if (u < 0)
                continue;
            fprintf(fp, ", \"%s\": ", er_report_indexes[i]);
            json_measure(r, fp, er_report_finding_of(r, u, y, NULL));
        }
        fputs("}", fp);
    }
    fputs("],\n    \"items\": [", fp);
    k = 0;
    for (size_t u = 0; u < r->nrules; u++) {
        const er_rep_rule *x = &r->rules[u];
        if (!x->index || !x->item)
            continue;
        json_field(fp, k++ ? ",\n      {" : "\n      {", "item", x->item);
        json_field(fp, ", ", "item_name", x->item_name);
        json_field(fp, ", ", "index", x->index);
        json_field(fp, ", ", "rule", x->id);
        fputs(", \"years\": [", fp);
        for (int y = r->year_from; y <= r->year_to; y++) {
            fprintf(fp, "%s{\"year\": %d, \"measure\": ",
                    y > r->year_from ? ", " : "", y);
            json_measure(r, fp,
                         er_report_finding_of(r, (int32_t)u, y, NULL));
            fputs("}", fp);
        }
        fputs("]}", fp);
    }
    fputs("]}", fp);
}

static int json_goals(const er_report *r, FILE *fp)
{
    int rc = ER_OK, k = 0;
    fputs(",\n  \"goals\": [", fp);
    for (size_t u = 0; u < r->nrules && rc == ER_OK; u++) {
        const er_rep_rule *x = &r->rules[u];
        if (!x->goal)
            continue;
        er_rep_goalpt *pts = NULL;
        size_t n = 0;
        er_buf line;
        er_buf_init(&line);
        int met;
        if ((rc = er_report_goal_series(r, (int32_t)u, &pts, &n)) == ER_OK &&
            (rc = er_report_goal_sentence(r, (int32_t)u, pts, n, &line,
                                          &met)) == ER_OK) {
            json_field(fp, k++ ? ",\n    {" : "\n    {", "rule", x->id);
            json_field(fp, ", ", "title", x->title);
            fprintf(fp, ", \"goal\": %d, \"met\": %s, \"left_out\": %d",
                    x->goal, met == 1 ? "true" : met == 0 ? "false" : "null",
                    x->goal_left_out);
            json_field(fp, ",\n     ", "sentence", line.data);
            fputs(",\n     \"points\": [", fp);
            for (size_t i = 0; i < n; i++) {
                fprintf(fp, "%s{\"year\": %d, \"run\": %lld, \"other_run\": "
                            "%s",
                        i ? ", " : "", pts[i].year, (long long)pts[i].run,
                        pts[i].run != r->id ? "true" : "false");
                json_field(fp, ", ", "outcome",
                           er_outcome_name((er_outcome)pts[i].outcome));
                fputs(", \"measured\": ", fp);
                json_num(fp, pts[i].has_measured ? pts[i].measured : NAN);
                fputs(", \"required\": ", fp);
                json_num(fp, pts[i].has_required ? pts[i].required : NAN);
                fputs("}", fp);
            }
            fputs("]}", fp);
        }
        free(pts);
        er_buf_free(&line);
    }
    fputs("]", fp);
    return rc;
}

static int json_ranking(const er_report *r, FILE *fp)
{
    int rc = ER_OK, k = 0;
    json_field(fp, ",\n  \"ranking\": {", "rule",
               r->rules[r->rank_rule].id);
    fputs(", \"years\": [", fp);
    for (int y = r->year_from; y <= r->year_to && rc == ER_OK; y++) {
        const er_rep_finding **list = NULL;
        int *ranks = NULL;
        size_t n = 0;
        if ((rc = er_report_ranking(r, y, &list, &ranks, &n)) != ER_OK ||
            !n)
            continue;
        fprintf(fp,
                "%s\n    {\"year\": %d, \"scored\": %ld, "
                "\"province_cities\": %ld, \"ranked\": %s, \"cities\": [",
                k++ ? "," : "", y, er_report_ranked(r, y), r->rank_cities,
                r->run_region ? "false" : "true");
        for (size_t i = 0; i < n; i++) {
            const er_rep_finding *f = list[i];
            const er_rep_region *g = &r->regions[f->region];
            fprintf(fp, "%s\n      {\"rank\": ", i ? "," : "");
            if (ranks[i])
                fprintf(fp, "%d", ranks[i]);
            else
                fputs("null", fp);
            json_field(fp, ", ", "region", g->code);
            json_field(fp, ", ", "region_name", g->name);
            fputs(", \"score\": ", fp);
            json_num(fp, f->has_measured ? f->measured : NAN);
            json_field(fp, ", ", "outcome",
                       er_outcome_name((er_outcome)f->outcome));
            json_field(fp, ", ", "note", f->note);
            fputs("}", fp);
        }
        fputs("]}", fp);
        free(list);
        free(ranks);
    }
    fputs("]}", fp);
    return rc;
}

int er_report_json(const er_report *r, FILE *fp)
{
    fputs("{\n", fp);
    json_run(r, fp);
    /* what was filtered: the counts below are of those findings only */
    fprintf(fp, "  \"filter\": %s,\n", r->filter_json ? r->filter_json : "null");
    json_rules(r, fp);
    json_summary(r, fp);
    json_findings(r, fp);
    json_money(r, fp);
    json_percap(r, fp);
    /* the sections of the rules' hints, only when a rule declares one */
    int rc = ER_OK;
    if (er_report_has_index(r, false) || er_report_has_index(r, true))
        json_index(r, fp);
    if ((er_report_has_goal(r) && (rc = json_goals(r, fp)) != ER_OK) ||
        (r->rank_rule >= 0 && (rc = json_ranking(r, fp)) != ER_OK))
        return rc;
    fputs(",\n\"coverage\": ", fp);
    rc = er_gapset_write(&r->gaps, r->names_db, fp, ER_FORMAT_JSON,
                             ER_GAPS_ALL);
    fputs("\n}\n", fp);
    return rc;
}
