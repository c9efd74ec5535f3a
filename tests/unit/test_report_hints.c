/*
 * test_report_hints.c - the report sections the rules' `report` hints feed,
 * read from stored runs written by hand (run_rule.report and findings): the
 * equalization index table (a missing measure says so), the goals with
 * their sentence and the points only another run holds ("取自运行 #N"),
 * and the ranking (highest score first, ties share a rank, then by region
 * code, on the score rounded to 0.01, among all the run's cities
 * whatever the filter). Goal points come only from runs that evaluated the
 * rule with the same params, not narrowed to a region. A section whose
 * rules the filter or the run leaves out says why in one line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char path[64];
    er_db *db;
};

/* Runs 1 (2017-2018) and 2 (2019-2020, the one reported) and 3 (2021,
 * aborted: never read). Rules of run 2: the main theil index with a goal
 * in 2022, its between/within-zone parts, gini (missing in 2020), an item
 * index, a gap goal of 2020, a ranking; run 1 holds the gap goal's and
 * theil's findings of 2017 and 2018 (2018 twice: run 1's is the latest
 * other run's). */
#define SHA64(c) c c c c c c c c c c c c c c c c
#define A64 SHA64("aaaa")
#define B64 SHA64("bbbb")
#define C64 SHA64("cccc")
#define D64 SHA64("dddd")

static const char setup_sql[] =
    "INSERT INTO run(id, started_at, finished_at, status, years, "
    "engine_version, rules_digest, data_digest, options, user) VALUES "
    "(1, 't', 't', 'done', '2017-2018', '0', 'r', 'd', '', 'u'),"
    "(2, 't', 't', 'done', '2019-2020', '0', 'r', 'd', '', 'u'),"
    "(3, 't', 't', 'aborted', '2021', '0', 'r', 'd', '', 'u');"
    "INSERT INTO run_rule(run, rule, department, path, title, basis, item, "
    "kind, level, params, report) VALUES "
    "(1, 'finance.gap', 'finance', 'f.lua', '差距', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"goal\":2020}'),"
    "(1, 'finance.t', 'finance', 'f.lua', '泰尔', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"theil\",\"goal\":2022}'),"
    "(2, 'finance.gap', 'finance', 'f.lua', '差距', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"goal\":2020}'),"
    "(2, 'finance.t', 'finance', 'f.lua', '泰尔', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"theil\",\"goal\":2022}'),"
    "(2, 'finance.tb', 'finance', 'f.lua', '区域间', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"theil_between_zone\"}'),"
    "(2, 'finance.tw', 'finance', 'f.lua', '区域内', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"theil_within_zone\"}'),"
    "(2, 'finance.g', 'finance', 'f.lua', '基尼', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"gini\"}'),"
    "(2, 'finance.it', 'finance', 'f.lua', '项目', 'b', "
    "'aid.highschool_grant', 'indicator', 'province', NULL, "
    "'{\"index\":\"theil\"}'),"
    "(2, 'finance.score', 'finance', 'f.lua', '绩效', 'b', NULL, "
    "'indicator', 'city', NULL, '{\"chart\":\"ranking\"}');"
    "INSERT INTO finding(run, rule, region, year, outcome, measured, "
    "required) VALUES "
    "(1, 'finance.gap', '440000', 2017, 'fail', 0.41, 0.3),"
    "(1, 'finance.gap', '440000', 2018, 'fail', 0.36, 0.3),"
    "(1, 'finance.t', '440000', 2018, 'pass', 0.05, 0.06),"
    "(3, 'finance.t', '440000', 2021, 'pass', 0.001, 0.06),"
    "(2, 'finance.gap', '440000', 2019, 'fail', 0.32, 0.3),"
    "(2, 'finance.gap', '440000', 2020, 'pass', 0.2616, 0.3),"
    "(2, 'finance.t', '440000', 2019, 'pass', 0.04, 0.06),"
    "(2, 'finance.t', '440000', 2020, 'pass', 0.03, 0.06),"
    "(2, 'finance.tb', '440000', 2019, 'pass', 0.03, 0.06),"
    "(2, 'finance.tb', '440000', 2020, 'pass', 0.018, 0.06),"
    "(2, 'finance.tw', '440000', 2019, 'pass', 0.01, 0.06),"
    "(2, 'finance.tw', '440000', 2020, 'pass', 0.012, 0.06),"
    "(2, 'finance.g', '440000', 2019, 'pass', 0.21, 0.4),"
    "(2, 'finance.it', '440000', 2019, 'pass', 0.004, 0.01),"
    "(2, 'finance.it', '440000', 2020, 'fail', 0.012, 0.01),"
    "(2, 'finance.score', '441400', 2020, 'pass', 90, 60),"
    "(2, 'finance.score', '440100', 2020, 'pass', 95, 60),"
    "(2, 'finance.score', '440300', 2020, 'pass', 90.004, 60),"
    "(2, 'finance.score', '440200', 2020, 'fail', 55, 60);"
    "INSERT INTO finding(run, rule, region, year, outcome, note) VALUES "
    "(2, 'finance.g', '440000', 2020, 'missing', '缺少 梅州市 人口'),"
    "(2, 'finance.score', '441500', 2020, 'error', '权重不是数');"
    "UPDATE finding SET note = '扣 5 分：x' WHERE run = 2 AND "
    "rule = 'finance.score' AND region = '441400';"
    /* newer runs that never supply a goal point: run 4 a what-if with
     * other params for finance.gap, run 5 narrowed to a region, run 6 an
     * old run known only by its command line */
    "INSERT INTO run(id, started_at, finished_at, status, years, "
    "engine_version, rules_digest, data_digest, options, user, scope) "
    "VALUES (4, 't', 't', 'done', '2018', '0', 'r', 'd', '', 'u', "
    "'{\"rule\":\"finance.gap\",\"sets\":[\"finance.gap.max_gap=0.2\"]}'),"
    "(5, 't', 't', 'done', '2018-2021', '0', 'r', 'd', '', 'u', "
    "'{\"region\":\"440000\"}'),"
    "(6, 't', 't', 'done', '2018', '0', 'r', 'd', '', 'u', "
    "'{\"command\":\"run --set finance.t.x=1\"}');"
    "INSERT INTO run_rule(run, rule, department, path, title, basis, item, "
    "kind, level, params, report) VALUES "
    "(4, 'finance.gap', 'finance', 'f.lua', '差距', 'b', NULL, "
    "'indicator', 'province', '{\"max_gap\":0.2}', '{\"goal\":2020}'),"
    "(5, 'finance.t', 'finance', 'f.lua', '泰尔', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"theil\",\"goal\":2022}'),"
    "(6, 'finance.t', 'finance', 'f.lua', '泰尔', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"theil\",\"goal\":2022}');"
    "INSERT INTO finding(run, rule, region, year, outcome, measured, "
    "required) VALUES "
    "(4, 'finance.gap', '440000', 2018, 'fail', 0.26, 0.2),"
    "(5, 'finance.t', '440000', 2021, 'pass', 0.02, 0.06),"
    "(6, 'finance.t', '440000', 2018, 'pass', 0.07, 0.06);";

/* the sources the runs recorded: runs 1 to 6 ran f.lua 'a' with module
 * m.lua 'c'; run 7 (newer) an edited f.lua 'b', run 8 the same f.lua
 * with an edited m.lua 'd': neither supplies a point */
static const char setup_sources_sql[] =
    "INSERT INTO rule_source(sha256, text) VALUES "
    "('" A64 "', 'a'), ('" B64 "', 'b'), ('" C64 "', 'c'), "
    "('" D64 "', 'd');"
    "INSERT INTO run_source(run, path, kind, display, sha256) "
    "SELECT id, 'f.lua', 'rule', 'f.lua', '" A64 "' FROM run "
    "WHERE id <= 6 UNION ALL SELECT id, 'm.lua', 'module', 'm.lua', '" C64
    "' FROM run WHERE id <= 6;"
    "INSERT INTO run(id, started_at, finished_at, status, years, "
    "engine_version, rules_digest, data_digest, options, user) VALUES "
    "(7, 't', 't', 'done', '2016-2018', '0', 'r', 'd', '', 'u'),"
    "(8, 't', 't', 'done', '2017', '0', 'r', 'd', '', 'u');"
    "INSERT INTO run_rule(run, rule, department, path, title, basis, item, "
    "kind, level, params, report) VALUES "
    "(7, 'finance.gap', 'finance', 'f.lua', '差距', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"goal\":2020}'),"
    "(8, 'finance.t', 'finance', 'f.lua', '泰尔', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"theil\",\"goal\":2022}');"
    "INSERT INTO run_source(run, path, kind, display, sha256) VALUES "
    "(7, 'f.lua', 'rule', 'f.lua', '" B64 "'),"
    "(7, 'm.lua', 'module', 'm.lua', '" C64 "'),"
    "(8, 'f.lua', 'rule', 'f.lua', '" A64 "'),"
    "(8, 'm.lua', 'module', 'm.lua', '" D64 "');"
    "INSERT INTO finding(run, rule, region, year, outcome, measured, "
    "required) VALUES "
    "(7, 'finance.gap', '440000', 2016, 'fail', 0.5, 0.3),"
    "(7, 'finance.gap', '440000', 2018, 'pass', 0.18, 0.3),"
    "(8, 'finance.t', '440000', 2017, 'pass', 0.09, 0.06);"
    /* run 9: narrowed to 梅州市, stores its score only */
    "INSERT INTO run(id, started_at, finished_at, status, years, "
    "engine_version, rules_digest, data_digest, options, user, scope) "
    "VALUES (9, 't', 't', 'done', '2020', '0', 'r', 'd', '', 'u', "
    "'{\"region\":\"441400\"}');"
    "INSERT INTO run_rule(run, rule, department, path, title, basis, item, "
    "kind, level, params, report) VALUES "
    "(9, 'finance.score', 'finance', 'f.lua', '绩效', 'b', NULL, "
    "'indicator', 'city', NULL, '{\"chart\":\"ranking\"}'),"
    "(9, 'finance.t', 'finance', 'f.lua', '泰尔', 'b', NULL, "
    "'indicator', 'province', NULL, '{\"index\":\"theil\",\"goal\":2022}');"
    "INSERT INTO finding(run, rule, region, year, outcome, measured, "
    "required, note) VALUES (9, 'finance.score', '441400', 2020, 'pass', "
    "90, 60, '全省第 3/21 名');";

static int group_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "/tmp/er_test_hints_XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(er_db_init(&f->db, f->path, NULL), ER_OK);
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    char *err = NULL;
    if (sqlite3_exec(f->db->db, setup_sql, NULL, NULL, &err) != SQLITE_OK ||
        sqlite3_exec(f->db->db, setup_sources_sql, NULL, NULL, &err) !=
            SQLITE_OK)
        fail_msg("setup: %s", err);
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *f = *state;
    char side[96];
    er_db_free(f->db);
    unlink(f->path);
    snprintf(side, sizeof side, "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    unlink(side);
    free(f);
    return 0;
}

static char *render(er_db *db, int64_t run, er_format fmt)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    int rc = er_report_write(db, run, fmt, 0, fp);
    fclose(fp);
    if (rc != ER_OK)
        fail_msg("report: %s", er_errmsg());
    for (char *w = strstr(text, "<wbr>"); w; w = strstr(w, "<wbr>"))
        memmove(w, w + 5, strlen(w + 5) + 1);
    return text;
}

static void test_report_hints__read_from_run_rule(void **state)
{
    struct fixture *f = *state;
    er_report *r = NULL;
    assert_int_equal(er_report_load(f->db, 2, &r), ER_OK);
    int32_t t = er_report_rule(r, "finance.t");
    assert_true(t >= 0);
    assert_string_equal(r->rules[t].index, "theil");
    assert_int_equal(r->rules[t].goal, 2022);
    assert_null(r->rules[t].chart);
    int32_t it = er_report_rule(r, "finance.it");
    assert_string_equal(r->rules[it].item_name, "普高国家助学金");
    assert_int_equal(r->rank_rule, er_report_rule(r, "finance.score"));
    assert_int_equal(r->gap_rule, -1);
    /* the main index's theil is finance.t, not the item's */
    assert_int_equal(er_report_index_rule(r, "theil"), t);
    assert_int_equal(er_report_index_rule(r, "cv"), -1);
    assert_true(er_report_has_index(r, false));
    assert_true(er_report_has_index(r, true));
    assert_true(er_report_has_goal(r));
    er_report_free(r);
}

static void test_report_hints__goal_series_takes_other_runs_years(
    void **state)
{
    struct fixture *f = *state;
    er_report *r = NULL;
    assert_int_equal(er_report_load(f->db, 2, &r), ER_OK);
    er_rep_goalpt *pts = NULL;
    size_t n = 0;
    int32_t gap = er_report_rule(r, "finance.gap");
    assert_int_equal(er_report_goal_series(r, gap, &pts, &n), ER_OK);
    assert_int_equal(n, 4);
    assert_int_equal(pts[0].year, 2017);
    assert_int_equal(pts[0].run, 1);
    assert_true(pts[0].measured == 0.41);
    /* 2018 from run 1: run 4 is newer but set other params */
    assert_int_equal(pts[1].year, 2018);
    assert_int_equal(pts[1].run, 1);
    assert_true(pts[1].measured == 0.36);
    assert_int_equal(pts[2].year, 2019);
    assert_int_equal(pts[2].run, 2);
    assert_int_equal(pts[3].year, 2020);
    assert_true(pts[3].measured == 0.2616);
    er_buf b;
    er_buf_init(&b);
    int met = -2;
    assert_int_equal(er_report_goal_sentence(r, gap, pts, n, &b, &met), ER_OK);
    assert_string_equal(b.data, "2020年：0.2616 ≤ 0.30，已达到目标（2020年）");
    assert_int_equal(met, 1);
    er_buf_free(&b);
    /* run 7's points (2016, and 2018 newer than run 1's) are of an edited
     * rule file: left out, and counted (2016; 2018 came from run 1) */
    assert_int_equal(r->rules[gap].goal_left_out, 1);
    er_buf_init(&b);
    assert_int_equal(er_report_goal_left_out(r, gap, &b), ER_OK);
    assert_non_null(strstr(b.data, "另有 1 个年度的点取自其他运行，未列入"));
    er_buf_free(&b);
    free(pts);

    /* theil: 2018 from run 1 (run 6 is known by its command line only);
     * 2021 only in run 3, which was aborted, and run 5, narrowed to a
     * region */
    int32_t t = er_report_rule(r, "finance.t");
    assert_int_equal(er_report_goal_series(r, t, &pts, &n), ER_OK);
    assert_int_equal(n, 3);
    assert_int_equal(pts[0].year, 2018);
    assert_int_equal(pts[0].run, 1);
    assert_true(pts[0].measured == 0.05);
    assert_int_equal(pts[2].year, 2020);
    er_buf_init(&b);
    assert_int_equal(er_report_goal_sentence(r, t, pts, n, &b, &met), ER_OK);
    assert_string_equal(b.data,
                        "2022年目标：尚无2022年数据；最近 2020年：0.03 ≤ 0.06");
    assert_int_equal(met, -1);
    er_buf_free(&b);
    free(pts);
    /* left out: 2017 (run 8 ran an edited helper module) and 2021 (run 5
     * was narrowed to a region) */
    assert_int_equal(r->rules[t].goal_left_out, 2);
    er_report_free(r);
}

static void test_report_hints__goal_not_met_says_so(void **state)
{
    struct fixture *f = *state;
    er_report *r = NULL;
    assert_int_equal(er_report_load(f->db, 2, &r), ER_OK);
    er_rep_goalpt pts[] = {
        {0, 2020, 2, ER_FAIL, true, true, 0.35, 0.3},
    };
    pts[0].rule = er_report_rule(r, "finance.gap");
    er_buf b;
    er_buf_init(&b);
    int met = -2;
    assert_int_equal(
        er_report_goal_sentence(r, pts[0].rule, pts, 1, &b, &met), ER_OK);
    assert_string_equal(b.data, "2020年：0.35 > 0.30，未达到目标（2020年）");
    assert_int_equal(met, 0);
    er_buf_free(&b);
    /* the goal year's point from another run says which */
    pts[0].run = 1;
    pts[0].outcome = ER_PASS;
    pts[0].measured = 0.25;
    er_buf_init(&b);
    assert_int_equal(
        er_report_goal_sentence(r, pts[0].rule, pts, 1, &b, &met), ER_OK);
    assert_string_equal(b.data, "2020年：0.25 ≤ 0.30，已达到目标（2020年）"
                                "（取自运行 #1）");
    assert_int_equal(met, 1);
    er_buf_free(&b);
    er_report_free(r);
}

static void test_report_hints__ranking_ties_share_a_rank(void **state)
{
    struct fixture *f = *state;
    er_report *r = NULL;
    assert_int_equal(er_report_load(f->db, 2, &r), ER_OK);
    const er_rep_finding **list = NULL;
    int *ranks = NULL;
    size_t n = 0;
    assert_int_equal(er_report_ranking(r, 2020, &list, &ranks, &n), ER_OK);
    assert_int_equal(n, 5);
    static const char *const codes[] = {"440100", "440300", "441400",
                                        "440200", "441500"};
    static const int want[] = {1, 2, 2, 4, 0};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(r->regions[list[i]->region].code, codes[i]);
        assert_int_equal(ranks[i], want[i]);
    }
    free(list);
    free(ranks);
    assert_int_equal(er_report_ranking(r, 2019, &list, &ranks, &n), ER_OK);
    assert_int_equal(n, 0);
    er_report_free(r);
}

/* A report filtered to one city ranks it among all the run's cities; a
 * run that scored only some of the province's cities says so. */
static void test_report_hints__ranking_keeps_province_rank(
    void **state)
{
    struct fixture *f = *state;
    const char *regions[] = {"441400", NULL};
    er_report_filter in = {0};
    er_rep_filter flt;
    int64_t runs[1] = {2};
    in.regions = regions;
    assert_int_equal(er_rep_filter_resolve(f->db, runs, 1, &in, &flt), ER_OK);
    er_report *r = NULL;
    assert_int_equal(er_report_load_filtered(f->db, 2, &flt, &r), ER_OK);
    const er_rep_finding **list = NULL;
    int *ranks = NULL;
    size_t n = 0;
    assert_int_equal(er_report_ranking(r, 2020, &list, &ranks, &n), ER_OK);
    assert_int_equal(n, 1);
    assert_string_equal(r->regions[list[0]->region].code, "441400");
    assert_int_equal(ranks[0], 2);
    assert_int_equal(er_report_ranked(r, 2020), 4);
    assert_true(r->rank_cities > 4);
    free(list);
    free(ranks);
    er_report_free(r);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_int_equal(er_report_write_filtered(f->db, 2, &in, ER_FORMAT_MD,
                                              0, fp),
                     ER_OK);
    fclose(fp);
    er_rep_filter_free(&flt);
    assert_non_null(strstr(text, "| 2 | 梅州市 441400 | 90 |"));
    assert_non_null(strstr(text, "排名不完整：本次运行只为 4/"));
    assert_non_null(strstr(text, "四舍五入到 0.01"));
    /* the goals' and index's rules are province-level: the filter left
     * them out, and the sections say so */
    assert_non_null(strstr(text, "本报告的筛选条件未含声明均等化指数的规则"));
    assert_non_null(strstr(text, "本报告的筛选条件未含声明目标的规则"));
    free(text);
}

/* A report filtered by year says the filter left the goal year out, and
 * its index table shows that year only. */
static void test_report_hints__filtered_year_says_so(void **state)
{
    struct fixture *f = *state;
    er_report_filter in = {0};
    er_rep_filter flt;
    int64_t runs[1] = {2};
    in.year = 2019;
    assert_int_equal(er_rep_filter_resolve(f->db, runs, 1, &in, &flt), ER_OK);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_int_equal(er_report_write_filtered(f->db, 2, &in, ER_FORMAT_MD,
                                              0, fp),
                     ER_OK);
    fclose(fp);
    er_rep_filter_free(&flt);
    assert_non_null(strstr(text, "2020年目标：报告按筛选条件未含2020年"));
    assert_null(strstr(text, "尚无2020年数据"));
    /* no stored run holds theil's 2022: no data, not the filter */
    assert_non_null(strstr(text, "2022年目标：尚无2022年数据"));
    assert_non_null(strstr(text, "| 2019 | 0.21 |"));
    assert_null(strstr(text, "| 2020 | 缺数据 missing |"));
    free(text);
}

/* A run narrowed to one region ranks no city (the rule ranked them all,
 * the run kept one score) and says why sections 8 and 9 hold none of its
 * values. */
static void test_report_hints__region_run_no_rank(void **state)
{
    struct fixture *f = *state;
    er_report *r = NULL;
    assert_int_equal(er_report_load(f->db, 9, &r), ER_OK);
    assert_non_null(r->run_region);
    const er_rep_finding **list = NULL;
    int *ranks = NULL;
    size_t n = 0;
    assert_int_equal(er_report_ranking(r, 2020, &list, &ranks, &n), ER_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ranks[0], 0);
    free(list);
    free(ranks);
    er_report_free(r);
    char *md = render(f->db, 9, ER_FORMAT_MD);
    assert_non_null(strstr(md, "| — | 梅州市 441400 | 90 |"));
    assert_non_null(strstr(md, "不显示名次：本次运行只评估了一个地区"));
    assert_null(strstr(md, "名次只在这些市之间排列"));
    assert_null(strstr(md, "不只是下表所列的市"));
    const char *eq = strstr(md, "## 8 均等化水平");
    const char *goals = strstr(md, "## 9 目标进展");
    assert_non_null(eq);
    assert_non_null(goals);
    assert_non_null(strstr(eq, "本次运行按地区运行（--region）"));
    assert_non_null(strstr(goals, "本次运行按地区运行（--region）"));
    free(md);
    char *json = render(f->db, 9, ER_FORMAT_JSON);
    assert_non_null(strstr(json, "\"ranked\": false"));
    assert_non_null(strstr(json, "{\"rank\": null, \"region\": \"441400\""));
    free(json);
}

static void test_report_hints__html_sections(void **state)
{
    struct fixture *f = *state;
    char *html = render(f->db, 2, ER_FORMAT_HTML);
    const char *eq = strstr(html, "<section id=\"equalization\">");
    const char *goals = strstr(html, "<section id=\"goals\">");
    const char *rank = strstr(html, "<section id=\"ranking\">");
    assert_non_null(eq);
    assert_non_null(goals);
    assert_non_null(rank);
    assert_true(eq < goals && goals < rank);
    /* the index table: gini missing in 2020 shows the outcome */
    assert_non_null(strstr(eq, "<tr data-year=\"2020\"><th>2020</th>"));
    assert_non_null(strstr(eq, "<span class=\"o o-missing\">缺数据 missing"));
    assert_non_null(strstr(eq, "<td class=\"num\" data-outcome=\"pass\">"
                               "0.21</td>"));
    /* the split: 0.03 : 0.01 in 2019 is 75% : 25% */
    assert_non_null(strstr(eq, "<g class=\"share\" data-year=\"2019\" "
                               "data-a=\"0.750000\""));
    assert_non_null(strstr(eq, "75.0%（0.03）"));
    /* 0.018 + 0.012 = 0.03: no mismatch; 0.03 + 0.01 = 0.04 either */
    assert_null(strstr(eq, "class=\"mismatch\""));
    /* the per-item table by the item's name */
    assert_non_null(strstr(eq, "普高国家助学金"));
    /* goals: the sentence and the other run's points */
    assert_non_null(strstr(goals, "2020年：0.2616 ≤ 0.30，已达到目标（2020年）"));
    assert_non_null(strstr(goals, "取自运行 #1"));
    assert_non_null(strstr(goals, "data-met=\"yes\""));
    assert_non_null(strstr(goals, "class=\"goal-year\" data-year=\"2022\""));
    /* ranking: the note beside the score */
    assert_non_null(strstr(rank, "扣 5 分：x"));
    assert_non_null(strstr(rank, "权重不是数"));
    free(html);
}

static void test_report_hints__md_and_json(void **state)
{
    struct fixture *f = *state;
    char *md = render(f->db, 2, ER_FORMAT_MD);
    assert_non_null(strstr(md, "## 8 均等化水平 Equalization index"));
    assert_non_null(strstr(md, "| 2020 | 缺数据 missing | 0.03 | 0.018 | "
                               "0.012 |"));
    assert_non_null(strstr(md, "| 2018 | 0.36 | 0.30 | fail | 取自运行 #1 |"));
    assert_non_null(strstr(md, "| 2 | 梅州市 441400 | 90 | pass | 扣 5 分：x |"));
    free(md);
    char *json = render(f->db, 2, ER_FORMAT_JSON);
    assert_non_null(strstr(json, "\"equalization\": {\"measures\": ["));
    assert_non_null(strstr(json, "\"gini\": {\"rule\": \"finance.g\", "
                                 "\"outcome\": \"missing\", \"value\": null}"));
    assert_non_null(strstr(json, "\"goal\": 2020, \"met\": true"));
    assert_non_null(strstr(json, "{\"year\": 2018, \"run\": 1, "
                                 "\"other_run\": true"));
    assert_non_null(strstr(json, "{\"rank\": null, \"region\": \"441500\""));
    free(json);
}

static void test_report_hints__no_hint_no_section(void **state)
{
    struct fixture *f = *state;
    /* run 1's rules declare goals and an index only: section 10 says so
     * in one line, and so does the by-item part */
    char *md = render(f->db, 1, ER_FORMAT_MD);
    assert_non_null(strstr(md, "## 10 绩效考核排名 Performance ranking\n\n"
                               "本次运行没有规则声明排名"));
    assert_non_null(strstr(md, "分项目：本次运行没有规则声明项目的均等化指数"));
    free(md);
    char *json = render(f->db, 1, ER_FORMAT_JSON);
    assert_null(strstr(json, "\"ranking\""));
    free(json);
    char *html = render(f->db, 1, ER_FORMAT_HTML);
    assert_non_null(strstr(html, "本次运行没有规则声明排名"));
    assert_non_null(strstr(html, "分项目：本次运行没有规则声明项目的均等化指数"));
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_hints__read_from_run_rule),
        cmocka_unit_test(test_report_hints__goal_series_takes_other_runs_years),
        cmocka_unit_test(test_report_hints__goal_not_met_says_so),
        cmocka_unit_test(test_report_hints__ranking_ties_share_a_rank),
        cmocka_unit_test(test_report_hints__ranking_keeps_province_rank),
        cmocka_unit_test(test_report_hints__filtered_year_says_so),
        cmocka_unit_test(test_report_hints__region_run_no_rank),
        cmocka_unit_test(test_report_hints__html_sections),
        cmocka_unit_test(test_report_hints__md_and_json),
        cmocka_unit_test(test_report_hints__no_hint_no_section),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
