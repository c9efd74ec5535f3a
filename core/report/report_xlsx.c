/*
 * report_xlsx.c - Excel workbooks (.xlsx), written with libxlsxwriter: the
 * report of a stored run (er_report_write_xlsx), from the same loaded
 * model as the other formats (report.c), and a data table
 * (er_export_xlsx), from the same query as its CSV export (export.c).
 * Money is written in 元 from integer fen; text is always written as text,
 * never as a formula. A workbook appears at its path only once complete.
 */
#include "report.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

/* The largest amount in fen whose 元 value a double holds exactly enough
 * to show every fen (2^53); larger amounts are written as text. */
#define EXACT_FEN 9007199254740992LL

/* A workbook being written, and the first error of any cell. */
struct book {
    lxw_workbook *wb;
    lxw_format *head, *money, *rate, *wrap;
    lxw_error err;
    const char *sheet; /* where err happened */
    char *target;      /* the regular file replaced (the path, or the file
                          a link points to); NULL for a device or a fifo,
                          which the finished workbook is copied through */
};

/* ---- cells ---------------------------------------------------------------- */

static void note_err(struct book *b, lxw_worksheet *ws, lxw_error e)
{
    if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR) {
        b->err = e;
        b->sheet = ws->name;
    }
}

/* Text as text (NULL: an empty cell). */
static void put_s(struct book *b, lxw_worksheet *ws, lxw_row_t row,
                  lxw_col_t col, const char *s)
{
    if (s && *s)
        note_err(b, ws, worksheet_write_string(ws, row, col, s, NULL));
}

/* A number; NaN and infinities (never money) are written as "—". */
static void put_n(struct book *b, lxw_worksheet *ws, lxw_row_t row,
                  lxw_col_t col, double v, lxw_format *f)
{
    if (isfinite(v))
        note_err(b, ws, worksheet_write_number(ws, row, col, v, f));
    else
        note_err(b, ws, worksheet_write_string(ws, row, col, "—", NULL));
}

/* An amount of fen as 元 with thousands separators and two decimals: the
 * double nearest fen ÷ 100, which shows every fen; beyond 2^53 fen, the
 * exact amount as text. */
static void put_fen(struct book *b, lxw_worksheet *ws, lxw_row_t row,
                    lxw_col_t col, int64_t fen)
{
    char buf[64];
    if (fen >= -EXACT_FEN && fen <= EXACT_FEN)
        note_err(b, ws,
                 worksheet_write_number(ws, row, col, (double)fen / 100.0,
                                        b->money));
    else
        note_err(b, ws,
                 worksheet_write_string(
                     ws, row, col, er_fmt_fen_plain(buf, sizeof buf, fen),
                     NULL));
}

/* A sheet with its header row: bold, frozen, the columns' widths. */
static lxw_worksheet *sheet(struct book *b, const char *name,
                            const char *const *heads, const double *widths,
                            lxw_col_t ncols)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    if (!ws) {
        if (b->err == LXW_NO_ERROR) {
            b->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
            b->sheet = name;
        }
        return NULL;
    }
    for (lxw_col_t c = 0; c < ncols; c++) {
        note_err(b, ws, worksheet_write_string(ws, 0, c, heads[c], b->head));
        note_err(b, ws, worksheet_set_column(ws, c, c, widths[c], NULL));
    }
    worksheet_freeze_panes(ws, 1, 0);
    return ws;
}

/* The autofilter over a sheet's header and its `rows` rows. */
static void filter(struct book *b, lxw_worksheet *ws, lxw_row_t rows,
                   lxw_col_t ncols)
{
    note_err(b, ws, worksheet_autofilter(ws, 0, 0, rows, ncols - 1));
}

/* The outcome's column heads: "通过 pass", ... */
static const char *const outcome_heads[ER_OUTCOME_COUNT] = {
    "通过 pass", "未达标 fail", "预警 warn",    "不适用 skip",
    "扣减 cut",  "分配 alloc",  "缺数 missing", "错误 error"};

/* Writes the counts from column `col`: one per outcome, the findings, the
 * failing and the pass rate. Returns the next column. */
static lxw_col_t put_counts(struct book *b, lxw_worksheet *ws, lxw_row_t row,
                            lxw_col_t col, const long counts[ER_OUTCOME_COUNT])
{
    put_n(b, ws, row, col++, (double)er_count_total(counts), NULL);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        put_n(b, ws, row, col++, (double)counts[o], NULL);
    put_n(b, ws, row, col++, (double)er_count_failing(counts), NULL);
    double rate = er_pass_rate(counts);
    if (isfinite(rate))
        put_n(b, ws, row, col, rate, b->rate);
    else
        put_s(b, ws, row, col, "—");
    return col + 1;
}

/* Appends the count heads after `n` heads in heads[] (room for 11 more) and
 * their widths. Returns the number of columns. */
static lxw_col_t count_heads(const char **heads, double *widths, lxw_col_t n)
{
    heads[n] = "结果 findings";
    widths[n++] = 10;
    for (int o = 0; o < ER_OUTCOME_COUNT; o++) {
        heads[n] = outcome_heads[o];
        widths[n++] = 10;
    }
    heads[n] = "未通过 failing";
    widths[n++] = 10;
    heads[n] = "通过率 pass rate";
    widths[n++] = 10;
    return n;
}

/* ---- the report's sheets ---------------------------------------------------- */

/* 概要 Summary: the run's audit data and its totals. */
static void summary_sheet(struct book *b, const er_report *r)
{
    static const char *const heads[] = {"项目 Item", "值 Value", "说明 Note"};
    static const double widths[] = {30, 70, 70};
    lxw_worksheet *ws = sheet(b, "概要 Summary", heads, widths, 3);
    lxw_row_t row = 1;
    char buf[64];
    if (!ws)
        return;

#define TEXT(label, value)                                                     \
    do {                                                                       \
        put_s(b, ws, row, 0, label);                                           \
        put_s(b, ws, row++, 1, value);                                         \
    } while (0)
#define NUM(label, value, fmt)                                                 \
    do {                                                                       \
        put_s(b, ws, row, 0, label);                                           \
        put_n(b, ws, row++, 1, value, fmt);                                    \
    } while (0)

    NUM("运行编号 Run", (double)r->id, NULL);
    if (r->scope) { /* a run narrowed when it ran: said first, as in html */
        put_s(b, ws, row, 0, "部分运行 Partial run");
        put_s(b, ws, row, 1, r->scope);
        put_s(b, ws, row++, 2,
              "只评估了这一范围，不是全省的报告 only this scope was "
              "evaluated: not a report of the province");
    }
    TEXT("状态 Status", r->status);
    TEXT("年度 Years", r->years);
    TEXT("开始 Started at", r->started_at);
    TEXT("结束 Finished at", r->finished_at);
    TEXT("用户 User", r->user);
    TEXT("引擎版本 Engine version", r->engine_version);
    TEXT("运行命令 Command options", r->options);
    if (r->filter)
        TEXT("筛选 Filtered (counts and totals are of these findings)",
             r->filter);
    TEXT("规则目录 Rules folder", r->rules_dir);
    TEXT("规则摘要 Rules digest (SHA-256)", r->rules_digest);
    TEXT("数据摘要 Data digest (SHA-256)", r->data_digest);
    put_s(b, ws, row, 0, "当前数据摘要 Data digest now");
    put_s(b, ws, row, 1, r->data_digest_now);
    put_s(b, ws, row++, 2,
          r->data_changed ? "数据已变 the data changed since the run"
                          : "数据未变 the data is as the run read it");
    if (r->evaluations >= 0)
        NUM("评估次数 Evaluations", (double)r->evaluations, NULL);
    TEXT("省份 Province", r->province);
    TEXT("政策 Policy", r->policy);
    NUM("规则数 Rules", (double)r->nrules, NULL);
    NUM("结果 Findings", (double)er_count_total(r->counts), NULL);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        NUM(outcome_heads[o], (double)r->counts[o], NULL);
    NUM("未通过 Failing (fail, missing, error)",
        (double)er_count_failing(r->counts), NULL);
    double rate = er_pass_rate(r->counts);
    if (isfinite(rate))
        NUM("通过率 Pass rate", rate, b->rate);
    else
        TEXT("通过率 Pass rate", "—");
    rate = er_assessed_rate(r->counts);
    if (isfinite(rate))
        NUM("评估覆盖 Assessed share", rate, b->rate);
    else
        TEXT("评估覆盖 Assessed share", "—");
    put_s(b, ws, row, 0, "扣减合计 Cuts (元)");
    put_fen(b, ws, row, 1, r->cut_fen);
    snprintf(buf, sizeof buf, "%lld 分 fen", (long long)r->cut_fen);
    put_s(b, ws, row++, 2, buf);
    put_s(b, ws, row, 0, "分配合计 Allocations (元)");
    put_fen(b, ws, row, 1, r->allocation_fen);
    snprintf(buf, sizeof buf, "%lld 分 fen", (long long)r->allocation_fen);
    put_s(b, ws, row++, 2, buf);
    for (size_t i = 0; i < r->nfiles; i++) {
        put_s(b, ws, row, 0, "规则文件 Rule file");
        put_s(b, ws, row, 1, r->file_paths[i]);
        put_s(b, ws, row++, 2, r->file_sha256[i]);
    }
#undef TEXT
#undef NUM
    filter(b, ws, row - 1, 3);
}

/* 部门 Departments: each department's counts. */
static void departments_sheet(struct book *b, const er_report *r)
{
    const char *heads[16] = {"部门 Department", "名称 Name", "规则 Rules"};
    double widths[16] = {16, 16, 8};
    lxw_col_t n = count_heads(heads, widths, 3);
    lxw_worksheet *ws = sheet(b, "部门 Departments", heads, widths, n);
    if (!ws)
        return;
    for (size_t i = 0; i < r->ndepts; i++) {
        lxw_row_t row = (lxw_row_t)i + 1;
        put_s(b, ws, row, 0, r->depts[i].id);
        put_s(b, ws, row, 1, er_department_name(r->depts[i].id));
        put_n(b, ws, row, 2, r->depts[i].nrules, NULL);
        put_counts(b, ws, row, 3, r->depts[i].counts);
    }
    filter(b, ws, (lxw_row_t)r->ndepts, n);
}

/* 地区 Regions: each region's counts and money. */
static int regions_sheet(struct book *b, const er_report *r)
{
    const char *heads[20] = {"代码 Code", "名称 Name", "级别 Level",
                             "区域 Zone"};
    double widths[20] = {10, 14, 9, 12};
    lxw_col_t n = count_heads(heads, widths, 4);
    heads[n] = "扣减 Cuts (元)";
    widths[n++] = 18;
    heads[n] = "分配 Allocations (元)";
    widths[n++] = 18;
    long(*counts)[ER_OUTCOME_COUNT] =
        calloc(r->nregions ? r->nregions : 1, sizeof *counts);
    int64_t *money = calloc(r->nregions ? r->nregions * 2 : 1, sizeof *money);
    if (!counts || !money) {
        free(counts);
        free(money);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        counts[f->region][f->outcome]++;
        if (f->has_amount && f->outcome == ER_CUT)
            money[f->region * 2] += f->amount;
        else if (f->has_amount && f->outcome == ER_ALLOCATION)
            money[f->region * 2 + 1] += f->amount;
    }
    lxw_worksheet *ws = sheet(b, "地区 Regions", heads, widths, n);
    for (size_t i = 0; ws && i < r->nregions; i++) {
        const er_rep_region *g = &r->regions[i];
        lxw_row_t row = (lxw_row_t)i + 1;
        put_s(b, ws, row, 0, g->code);
        put_s(b, ws, row, 1, g->name);
        put_s(b, ws, row, 2, g->level);
        if (g->zone)
            put_s(b, ws, row, 3, er_report_zone_name(r, g->zone));
        lxw_col_t col = put_counts(b, ws, row, 4, counts[i]);
        put_fen(b, ws, row, col, money[i * 2]);
        put_fen(b, ws, row, col + 1, money[i * 2 + 1]);
    }
    if (ws)
        filter(b, ws, (lxw_row_t)r->nregions, n);
    free(counts);
    free(money);
    return ER_OK;
}

/* A findings sheet: the findings `keep` accepts, in the report's order. */
static void findings_sheet(struct book *b, const er_report *r,
                           const char *name, bool (*keep)(int outcome))
{
    static const char *const heads[] = {
        "年度 Year",     "部门 Department", "规则 Rule",   "标题 Title",
        "地区 Region",   "地区名称 Name",   "结果 Outcome", "结果 结论",
        "实测 Measured", "要求 Required",   "单位 Unit",   "金额 Amount (元)",
        "说明 Note"};
    static const double widths[] = {7, 12, 28, 30, 9, 12, 10,
                                    8, 14, 14, 8, 18, 60};
    lxw_col_t n = (lxw_col_t)ER_ARRAY_LEN(heads);
    lxw_worksheet *ws = sheet(b, name, heads, widths, n);
    lxw_row_t row = 0;
    if (!ws)
        return;
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        const er_rep_rule *u = &r->rules[f->rule];
        const er_rep_region *g = &r->regions[f->region];
        if (keep && !keep(f->outcome))
            continue;
        row++;
        put_n(b, ws, row, 0, f->year, NULL);
        put_s(b, ws, row, 1, u->department);
        put_s(b, ws, row, 2, u->id);
        put_s(b, ws, row, 3, u->title);
        put_s(b, ws, row, 4, g->code);
        put_s(b, ws, row, 5, g->name);
        put_s(b, ws, row, 6, er_outcome_name((er_outcome)f->outcome));
        put_s(b, ws, row, 7, er_outcome_zh(f->outcome));
        if (f->has_measured)
            put_n(b, ws, row, 8, f->measured, NULL);
        if (f->has_required)
            put_n(b, ws, row, 9, f->required, NULL);
        put_s(b, ws, row, 10, f->unit);
        if (f->has_amount)
            put_fen(b, ws, row, 11, f->amount);
        put_s(b, ws, row, 12, f->note);
    }
    filter(b, ws, row, n);
}

static bool is_money(int outcome)
{
    return outcome == ER_CUT || outcome == ER_ALLOCATION;
}

/* 扣减与分配 Cuts & allocations: every amount, in 元 and in fen. */
static void money_sheet(struct book *b, const er_report *r)
{
    static const char *const heads[] = {
        "年度 Year", "地区 Region",       "地区名称 Name", "规则 Rule",
        "结果 Outcome", "金额 Amount (元)", "金额 Amount (分 fen)",
        "说明 Note"};
    static const double widths[] = {7, 9, 12, 28, 10, 18, 20, 60};
    lxw_col_t n = (lxw_col_t)ER_ARRAY_LEN(heads);
    lxw_worksheet *ws = sheet(b, "扣减与分配 Cuts & allocations", heads,
                              widths, n);
    lxw_row_t row = 0;
    char buf[32];
    if (!ws)
        return;
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (!is_money(f->outcome) || !f->has_amount)
            continue;
        row++;
        put_n(b, ws, row, 0, f->year, NULL);
        put_s(b, ws, row, 1, r->regions[f->region].code);
        put_s(b, ws, row, 2, r->regions[f->region].name);
        put_s(b, ws, row, 3, r->rules[f->rule].id);
        put_s(b, ws, row, 4, er_outcome_name((er_outcome)f->outcome));
        put_fen(b, ws, row, 5, f->amount);
        /* the integer exactly, as text when a double would round it */
        if (f->amount >= -EXACT_FEN && f->amount <= EXACT_FEN) {
            put_n(b, ws, row, 6, (double)f->amount, NULL);
        } else {
            snprintf(buf, sizeof buf, "%lld", (long long)f->amount);
            put_s(b, ws, row, 6, buf);
        }
        put_s(b, ws, row, 7, f->note);
    }
    filter(b, ws, row, n);
}

/* ---- the file ------------------------------------------------------------- */

/* Opens a workbook at a new temporary name (*tmp_out, owned by the caller,
 * the file created empty): beside the file `path` names (a link's target),
 * or in the temporary folder when `path` is a device or a fifo. */
static int book_open(struct book *b, const char *path, char **tmp_out)
{
    int rc;
    memset(b, 0, sizeof *b);
    *tmp_out = NULL;
    if ((rc = er_output_target(path, &b->target)) != ER_OK)
        return rc;
    const char *beside = b->target ? b->target : er_tmpdir();
    const char *suffix = b->target ? ".tmp.XXXXXX" : "/equirule-book.XXXXXX";
    size_t n = strlen(beside), k = strlen(suffix) + 1;
    char *tmp = malloc(n + k);
    if (!tmp)
        return er_fail(ER_ENOMEM, "out of memory");
    memcpy(tmp, beside, n);
    memcpy(tmp + n, suffix, k);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = er_fail(ER_ERROR, "%s: %s", path, strerror(errno));
        free(tmp);
        return rc;
    }
    /* a workbook is for circulating: the permissions a new file gets */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    close(fd);
    *tmp_out = tmp;
    lxw_workbook_options opts = {.constant_memory = LXW_FALSE,
                                 .tmpdir = (char *)er_tmpdir(),
                                 .use_zip64 = LXW_FALSE};
    if (!(b->wb = workbook_new_opt(tmp, &opts)))
        return er_fail(ER_ENOMEM, "%s: cannot start the workbook", path);
    b->head = workbook_add_format(b->wb);
    format_set_bold(b->head);
    format_set_bottom(b->head, LXW_BORDER_THIN);
    format_set_bg_color(b->head, 0xEEEEEE);
    b->money = workbook_add_format(b->wb);
    format_set_num_format(b->money, "#,##0.00");
    b->rate = workbook_add_format(b->wb);
    format_set_num_format(b->rate, "0.0%");
    return ER_OK;
}

/* Closes the workbook: on success (rc ER_OK and no cell error) renames it
 * to `path`; otherwise removes it. Returns the outcome. */
static int book_close(struct book *b, int rc, const char *path, char *tmp)
{
    if (rc == ER_OK && b->err != LXW_NO_ERROR)
        rc = er_fail(ER_ERROR, "%s: sheet %s: %s", path, b->sheet,
                     lxw_strerror(b->err));
    if (b->wb) {
        lxw_error e = workbook_close(b->wb);
        if (rc == ER_OK && e != LXW_NO_ERROR)
            rc = er_fail(ER_ERROR, "%s: cannot write the workbook: %s", path,
                         lxw_strerror(e));
    }
    er_fault_point("xlsx");
    if (rc == ER_OK && b->target && rename(tmp, b->target) != 0)
        rc = er_fail(ER_ERROR, "%s: %s", path, strerror(errno));
    if (rc == ER_OK && !b->target) {
        /* a device or a fifo: the finished workbook, written through */
        FILE *fp = fopen(tmp, "rb");
        if (!fp)
            rc = er_fail(ER_ERROR, "%s: %s", tmp, strerror(errno));
        else {
            rc = er_output_copy(fp, path);
            fclose(fp);
        }
        unlink(tmp);
    }
    if (rc != ER_OK && tmp)
        unlink(tmp);
    free(tmp);
    free(b->target);
    b->target = NULL;
    return rc;
}

int er_report_write_xlsx(er_db *db, int64_t run_id,
                         const er_report_filter *filter, const char *path)
{
    er_report *r = NULL;
    er_rep_filter flt;
    struct book b;
    char *tmp = NULL;
    int rc;

    assert(db && path);
    memset(&b, 0, sizeof b);
    memset(&flt, 0, sizeof flt);
    if ((rc = er_output_path_check(path)) != ER_OK)
        return rc;
    char spec[32];
    int64_t id = 0;
    snprintf(spec, sizeof spec, "%lld", (long long)run_id);
    /* as er_report_write_filtered: the run first, then the filter */
    if (!er_report_filter_empty(filter) &&
        (rc = er_run_find(db, spec, &id)) != ER_OK)
        goto done;
    if ((rc = er_rep_filter_resolve(db, &run_id, 1, filter, &flt)) != ER_OK ||
        (rc = er_rep_filter_none_match(db, &run_id, 1, &flt)) != ER_OK ||
        (rc = er_report_load_filtered(db, run_id, &flt, &r)) != ER_OK)
        goto done;
    if ((rc = book_open(&b, path, &tmp)) != ER_OK)
        goto done;
    char title[] = "基本公共服务均等化 评估报告";
    char comments[] = "equirule " ER_VERSION;
    lxw_doc_properties props = {.title = title, .comments = comments};
    workbook_set_properties(b.wb, &props);
    summary_sheet(&b, r);
    departments_sheet(&b, r);
    if ((rc = regions_sheet(&b, r)) != ER_OK)
        goto done;
    findings_sheet(&b, r, "未通过 Failing", er_outcome_failing);
    money_sheet(&b, r);
    findings_sheet(&b, r, "全部结果 All findings", NULL);
done:
    if (tmp)
        rc = book_close(&b, rc, path, tmp);
    else if (b.wb)
        workbook_close(b.wb);
    free(b.target);
    er_report_free(r);
    er_rep_filter_free(&flt);
    return rc;
}

int er_export_xlsx(er_db *db, const char *table, const char *path,
                   long *rows_out)
{
    sqlite3_stmt *st = NULL;
    struct book b;
    char *tmp = NULL;
    lxw_worksheet *ws = NULL;
    lxw_row_t row = 0;
    int rc, src = SQLITE_DONE;

    assert(db && table && path);
    memset(&b, 0, sizeof b);
    if (rows_out)
        *rows_out = 0;
    if ((rc = er_output_path_check(path)) != ER_OK)
        return rc;
    if ((rc = er_export_statement(db, table, &st)) != ER_OK)
        goto done;
    if ((rc = book_open(&b, path, &tmp)) != ER_OK)
        goto done;
    int ncols = sqlite3_column_count(st);
    if (!(ws = workbook_add_worksheet(b.wb, table))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < ncols; i++) {
        note_err(&b, ws,
                 worksheet_write_string(ws, 0, (lxw_col_t)i,
                                        sqlite3_column_name(st, i), b.head));
        note_err(&b, ws,
                 worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, 14,
                                      NULL));
    }
    worksheet_freeze_panes(ws, 1, 0);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        row++;
        for (int i = 0; i < ncols; i++) {
            lxw_col_t col = (lxw_col_t)i;
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_NULL:
                break;
            case SQLITE_INTEGER: {
                /* an integer a double would round is written as text */
                sqlite3_int64 v = sqlite3_column_int64(st, i);
                char buf[32];
                if (v >= -EXACT_FEN && v <= EXACT_FEN) {
                    put_n(&b, ws, row, col, (double)v, NULL);
                } else {
                    snprintf(buf, sizeof buf, "%lld", (long long)v);
                    put_s(&b, ws, row, col, buf);
                }
                break;
            }
            case SQLITE_FLOAT:
                put_n(&b, ws, row, col, sqlite3_column_double(st, i), NULL);
                break;
            default:
                put_s(&b, ws, row, col,
                      (const char *)sqlite3_column_text(st, i));
            }
        }
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, table);
        goto done;
    }
    if (ncols > 0)
        note_err(&b, ws,
                 worksheet_autofilter(ws, 0, 0, row, (lxw_col_t)(ncols - 1)));
    if (rows_out)
        *rows_out = (long)row;
done:
    if (tmp)
        rc = book_close(&b, rc, path, tmp);
    else if (b.wb)
        workbook_close(b.wb);
    free(b.target);
    sqlite3_finalize(st);
    if (rc != ER_OK && rows_out)
        *rows_out = 0;
    return rc;
}

/* ---- the public service list -------------------------------------------- */

int er_publish_write_xlsx(er_db *db, const er_publish_opts *opts,
                          const char *path, char **title_out)
{
    er_pub_list *l = NULL;
    struct book b;
    char *tmp = NULL;
    char *std = NULL, *resp = NULL;
    int rc;

    assert(db && path);
    memset(&b, 0, sizeof b);
    if (title_out)
        *title_out = NULL;
    if ((rc = er_output_path_check(path)) != ER_OK)
        return rc;
    if ((rc = er_pub_list_load(db, opts, &l)) != ER_OK)
        goto done;
    if ((rc = book_open(&b, path, &tmp)) != ER_OK)
        goto done;
    char title[256], comments[] = "equirule " ER_VERSION;
    snprintf(title, sizeof title, "%s", l->title);
    lxw_doc_properties props = {.title = title, .comments = comments};
    workbook_set_properties(b.wb, &props);
    lxw_format *wrap = workbook_add_format(b.wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_format *big = workbook_add_format(b.wb);
    format_set_bold(big);
    format_set_font_size(big, 16);
    lxw_worksheet *ws = workbook_add_worksheet(b.wb, "基本公共服务清单");
    if (!ws) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    /* the title, the basis and the data version above the table */
    note_err(&b, ws, worksheet_write_string(ws, 0, 0, l->title, big));
    char line[512];
    lxw_row_t row = 1;
    if (l->basis) {
        snprintf(line, sizeof line, "依据：%s（向社会公开基本公共服务清单）",
                 l->basis);
        put_s(&b, ws, row++, 0, line);
    }
    if (l->data_date)
        snprintf(line, sizeof line, "数据版本：第 %lld 版（%s）",
                 (long long)l->data_version, l->data_date);
    else
        snprintf(line, sizeof line, "数据版本：第 %lld 版",
                 (long long)l->data_version);
    put_s(&b, ws, row++, 0, line);
    row++;
    static const double widths[ER_PUB_COLUMNS] = {6,  12, 20, 28,
                                                  36, 48, 40, 18};
    lxw_row_t head = row;
    for (lxw_col_t c = 0; c < ER_PUB_COLUMNS; c++) {
        note_err(&b, ws,
                 worksheet_write_string(ws, head, c, er_pub_heads[c], b.head));
        note_err(&b, ws, worksheet_set_column(ws, c, c, widths[c], wrap));
    }
    worksheet_freeze_panes(ws, head + 1, 0);
    for (size_t i = 0; i < l->nitems; i++) {
        const er_pub_item *it = &l->items[i];
        row++;
        if (!(std = er_pub_standards_text(it, "\n")) ||
            !(resp = er_pub_responsibility_text(it, "\n"))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        put_n(&b, ws, row, 0, (double)(i + 1), NULL);
        const char *cells[] = {it->category, it->name, it->served,
                               it->content,  std,      resp,
                               it->lead};
        for (lxw_col_t c = 0; c < ER_ARRAY_LEN(cells); c++)
            if (cells[c] && *cells[c])
                note_err(&b, ws,
                         worksheet_write_string(ws, row, c + 1, cells[c],
                                                wrap));
        free(std);
        free(resp);
        std = resp = NULL;
    }
    note_err(&b, ws,
             worksheet_autofilter(ws, head, 0, row, ER_PUB_COLUMNS - 1));
done:
    free(std);
    free(resp);
    if (tmp)
        rc = book_close(&b, rc, path, tmp);
    else if (b.wb)
        workbook_close(b.wb);
    free(b.target);
    if (rc == ER_OK && title_out && !(*title_out = er_strdup(l->title)))
        rc = er_fail(ER_ENOMEM, "out of memory");
    er_pub_list_free(l);
    return rc;
}
