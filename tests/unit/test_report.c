/*
 * test_report.c - `equirule report` and `equirule runs` as an administrator
 * reads them: the HTML page (self-contained, escaped, with the run's
 * digests, the failing findings by region name, money totals to the fen,
 * one bar per city and year), the Markdown, CSV and JSON reports (they
 * parse and hold the stored counts), the comparison of two runs (exactly
 * the findings that changed) and the exit statuses of the commands. The
 * runs are made by the engine on the built-in sample with the shipped
 * rules; expectations are read back from the database, not hard-coded, so
 * that new rules do not break them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "csv.h"
#include "report.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#define RULES_DIR ER_SOURCE_DIR "/rules"

struct fixture {
    char path[64];
    er_db *db;
    int64_t run1; /* 2018-2020, shipped rules */
    int64_t run2; /* the same with finance.spending_gap.max_gap=0.35 */
};

/* ---- helpers ------------------------------------------------------------ */

static er_db *new_sample_db(char *path, size_t size)
{
    er_db *db = NULL;
    snprintf(path, size, "/tmp/er_test_report_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(er_db_init(&db, path, NULL), ER_OK);
    assert_int_equal(er_db_load_sample(db), ER_OK);
    return db;
}

static void remove_db(er_db *db, const char *path)
{
    char side[96];
    er_db_free(db);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* Runs the shipped rules on 2018-2020 with the `--set` overrides `sets`
 * (NULL-terminated, or NULL); returns the run id. */
static int64_t run_rules(er_db *db, const char *const *sets)
{
    er_ruleset *rs = NULL;
    er_run_opts o = {0};
    int64_t id = 0;
    assert_int_equal(er_ruleset_load(&rs, RULES_DIR), ER_OK);
    o.year_from = 2018;
    o.year_to = 2020;
    o.sets = sets;
    o.user = "tester";
    o.options = "run --years 2018-2020";
    if (er_run(db, rs, &o, &id) != ER_OK)
        fail_msg("run: %s", er_errmsg());
    er_ruleset_free(rs);
    return id;
}

static int group_setup(void **state)
{
    static const char *const sets[] = {"finance.spending_gap.max_gap=0.35",
                                       NULL};
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->db = new_sample_db(f->path, sizeof f->path);
    f->run1 = run_rules(f->db, NULL);
    f->run2 = run_rules(f->db, sets);
    *state = f;
    return 0;
}

static int group_teardown(void **state)
{
    struct fixture *f = *state;
    remove_db(f->db, f->path);
    free(f);
    return 0;
}

/* The report of `run` in `fmt` as a string the caller frees. */
static char *render(er_db *db, int64_t run, er_format fmt, unsigned flags)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    int rc = er_report_write(db, run, fmt, flags, fp);
    fclose(fp);
    if (rc != ER_OK)
        fail_msg("report: %s", er_errmsg());
    /* identifiers carry line break opportunities that a reader does not
     * see: take them out */
    for (char *w = strstr(text, "<wbr>"); w; w = strstr(w, "<wbr>"))
        memmove(w, w + 5, strlen(w + 5) + 1);
    return text;
}

static char *compare(er_db *db, int64_t a, int64_t b, er_format fmt,
                     er_compare_stats *stats)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    int rc = er_run_compare(db, a, b, fmt, fp, stats);
    fclose(fp);
    if (rc != ER_OK)
        fail_msg("compare: %s", er_errmsg());
    return text;
}

static long count(er_db *db, const char *sql, int64_t run)
{
    sqlite3_stmt *st = NULL;
    long n = -1;
    assert_int_equal(sqlite3_prepare_v2(db->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The first column of the first row of `sql` as text, copied into buf. */
static const char *text_of(er_db *db, const char *sql, int64_t run, char *buf,
                           size_t size)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, run);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The text between the first `from` and the next `to` (copied). */
static char *between(const char *text, const char *from, const char *to)
{
    const char *a = strstr(text, from);
    assert_non_null(a);
    const char *b = strstr(a, to);
    if (!b)
        b = a + strlen(a);
    char *out = strndup(a, (size_t)(b - a));
    assert_non_null(out);
    return out;
}

static int shell(const char *cmd)
{
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    return WEXITSTATUS(st);
}

/* ---- a small JSON reader: enough to check the documents parse ----------- */

typedef struct jv {
    char type; /* o a s n b z (null) */
    char *s;   /* string value */
    double n;
    struct jv *items; /* object values or array items */
    char **keys;      /* object keys */
    size_t len;
} jv;

static void jv_free(jv *v)
{
    for (size_t i = 0; i < v->len; i++) {
        jv_free(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->s);
}

static void skip_ws(const char **p)
{
    while (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')
        (*p)++;
}

static bool parse_value(const char **p, jv *out);

static bool parse_string(const char **p, char **out)
{
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    if (**p != '"' || !s) {
        free(s);
        return false;
    }
    (*p)++;
    while (**p != '"') {
        unsigned char ch = (unsigned char)**p;
        if (ch < 0x20) { /* raw control characters are not JSON */
            free(s);
            return false;
        }
        if (n + 5 >= cap)
            s = realloc(s, cap *= 2);
        if (ch == '\\') {
            (*p)++;
            char e = **p;
            const char *map = strchr("\"\"\\\\//b\bf\fn\nr\rt\t", e);
            if (e == 'u') {
                unsigned cp = 0;
                for (int i = 1; i <= 4; i++) {
                    char h = (*p)[i];
                    cp = cp * 16 +
                         (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
                }
                *p += 4;
                if (cp < 0x80) {
                    s[n++] = (char)cp;
                } else if (cp < 0x800) {
                    s[n++] = (char)(0xC0 | (cp >> 6));
                    s[n++] = (char)(0x80 | (cp & 0x3F));
                } else {
                    s[n++] = (char)(0xE0 | (cp >> 12));
                    s[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                    s[n++] = (char)(0x80 | (cp & 0x3F));
                }
            } else if (map && ((map - "\"\"\\\\//b\bf\fn\nr\rt\t") % 2) == 0) {
                s[n++] = map[1];
            } else {
                free(s);
                return false;
            }
            (*p)++;
            continue;
        }
        if (ch == '\0') {
            free(s);
            return false;
        }
        s[n++] = (char)ch;
        (*p)++;
    }
    (*p)++;
    s[n] = '\0';
    *out = s;
    return true;
}

static bool parse_value(const char **p, jv *out)
{
    memset(out, 0, sizeof *out);
    skip_ws(p);
    char c = **p;
    if (c == '{' || c == '[') {
        bool obj = c == '{';
        size_t cap = 0;
        out->type = obj ? 'o' : 'a';
        (*p)++;
        skip_ws(p);
        if (**p == (obj ? '}' : ']')) {
            (*p)++;
            return true;
        }
        for (;;) {
            if (out->len == cap) {
                cap = cap ? cap * 2 : 8;
                out->items = realloc(out->items, cap * sizeof *out->items);
                if (obj)
                    out->keys = realloc(out->keys, cap * sizeof *out->keys);
            }
            if (obj) {
                skip_ws(p);
                if (!parse_string(p, &out->keys[out->len]))
                    return false;
                skip_ws(p);
                if (**p != ':')
                    return false;
                (*p)++;
            }
            if (!parse_value(p, &out->items[out->len])) {
                out->len++;
                return false;
            }
            out->len++;
            skip_ws(p);
            if (**p == ',') {
                (*p)++;
                continue;
            }
            if (**p != (obj ? '}' : ']'))
                return false;
            (*p)++;
            return true;
        }
    }
    if (c == '"') {
        out->type = 's';
        return parse_string(p, &out->s);
    }
    if (strncmp(*p, "true", 4) == 0 || strncmp(*p, "null", 4) == 0) {
        out->type = c == 't' ? 'b' : 'z';
        out->n = c == 't';
        *p += 4;
        return true;
    }
    if (strncmp(*p, "false", 5) == 0) {
        out->type = 'b';
        *p += 5;
        return true;
    }
    /* a number as JSON writes it: no leading +, no bare point, no nan */
    const char *q = *p;
    if (*q == '-')
        q++;
    if (!(*q >= '0' && *q <= '9'))
        return false;
    char *end;
    out->type = 'n';
    out->n = strtod(*p, &end);
    *p = end;
    return true;
}

/* Parses a whole document; fails the test when it is not JSON. */
static void parse_json(const char *text, jv *out)
{
    const char *p = text;
    if (!parse_value(&p, out))
        fail_msg("not JSON near: %.60s", p);
    skip_ws(&p);
    assert_int_equal(*p, '\0');
}

static const jv *get(const jv *o, const char *key)
{
    assert_int_equal(o->type, 'o');
    for (size_t i = 0; i < o->len; i++)
        if (strcmp(o->keys[i], key) == 0)
            return &o->items[i];
    fail_msg("no key \"%s\"", key);
    return NULL;
}

/* ---- HTML --------------------------------------------------------------- */

static void test_report__html_is_one_self_contained_page(void **state)
{
    struct fixture *f = *state;
    char *html = render(f->db, f->run1, ER_FORMAT_HTML, 0);
    assert_memory_equal(html, "<!DOCTYPE html>", 15);
    assert_non_null(strstr(html, "<html lang=\"zh-CN\">"));
    assert_non_null(strstr(html, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(html, "<style>"));
    assert_non_null(strstr(html, "<svg"));
    assert_non_null(strstr(html, "@media print"));
    assert_non_null(strstr(html, "print-color-adjust:exact"));
    assert_non_null(strstr(html, "break-before:page"));
    /* nothing to fetch; nothing to run but the report's own inline script
     * (filters and sorting), which loads nothing */
    assert_int_equal(occurrences(html, "<script"), 1u);
    assert_non_null(strstr(html, "<script>\n/* The HTML report's only script"));
    assert_null(strstr(html, "<script src"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "@import"));
    assert_null(strstr(html, "@font-face"));
    assert_null(strstr(html, "url("));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href=\"http"));
    assert_null(strstr(html, "href=\"//"));
    assert_true(html[strlen(html) - 1] == '\n');
    assert_non_null(strstr(html, "</html>\n"));
    free(html);
}

static void test_report__html_names_the_run_and_its_digests(void **state)
{
    struct fixture *f = *state;
    char rules[80], data[80], sha[80], path[256];
    char *html = render(f->db, f->run1, ER_FORMAT_HTML, 0);
    text_of(f->db, "SELECT rules_digest FROM run WHERE id = ?", f->run1, rules,
            sizeof rules);
    text_of(f->db, "SELECT data_digest FROM run WHERE id = ?", f->run1, data,
            sizeof data);
    assert_int_equal(strlen(rules), 64);
    assert_non_null(strstr(html, rules));
    assert_non_null(strstr(html, data));
    /* every rule file with its digest */
    text_of(f->db, "SELECT path FROM rule_file WHERE run = ? ORDER BY path",
            f->run1, path, sizeof path);
    text_of(f->db, "SELECT sha256 FROM rule_file WHERE run = ? ORDER BY path",
            f->run1, sha, sizeof sha);
    assert_non_null(strstr(html, path));
    assert_non_null(strstr(html, sha));
    char *files = between(html, "Rule files (", "</table>");
    assert_int_equal(
        occurrences(files, "<td class=\"hash\">"),
        count(f->db, "SELECT count(*) FROM rule_file WHERE run = ?", f->run1));
    free(files);
    assert_non_null(strstr(html, "tester"));
    assert_non_null(strstr(html, "run --years 2018-2020"));
    assert_non_null(strstr(html, "<td>2018-2020</td>"));
    assert_non_null(strstr(html, "<td>" ER_VERSION "</td>"));
    free(html);
}

static void test_report__html_summary_holds_the_counts(void **state)
{
    struct fixture *f = *state;
    char expected[512];
    er_run_summary sum;
    assert_int_equal(er_run_summarize(f->db, f->run1, &sum), ER_OK);
    char *html = render(f->db, f->run1, ER_FORMAT_HTML, 0);
    char *text = between(html, "<p id=\"summary-text\">", "</p>");
    long failing = sum.counts[ER_FAIL] + sum.counts[ER_MISSING] +
                   sum.counts[ER_ERROR_OUTCOME];
    snprintf(expected, sizeof expected,
             "共 %ld 条结果（findings）：通过 %ld，"
             "未达标 %ld，",
             sum.findings, sum.counts[ER_PASS], sum.counts[ER_FAIL]);
    assert_non_null(strstr(text, expected));
    snprintf(expected, sizeof expected, "共 %ld 条，通过率 ", failing);
    assert_non_null(strstr(text, expected));
    free(text);
    /* one row per department in the table, one bar per department */
    char *summary = between(html, "<section id=\"summary\">", "</section>");
    long depts = count(f->db,
                       "SELECT count(DISTINCT department) FROM run_rule "
                       "WHERE run = ?",
                       f->run1);
    char *by_dept = between(summary, "By department", "</figure>");
    assert_int_equal(occurrences(by_dept, "<rect class=\"rate-bar\""),
                     (size_t)depts);
    assert_non_null(strstr(by_dept, "教育厅"));
    free(by_dept);
    free(summary);
    free(html);
}

static void test_report__html_lists_failing_findings_by_name(void **state)
{
    struct fixture *f = *state;
    char *html = render(f->db, f->run1, ER_FORMAT_HTML, 0);
    char *failing = between(html, "<section id=\"failing\">", "</section>");
    long n = count(f->db,
                   "SELECT count(*) FROM finding WHERE run = ? AND outcome IN "
                   "('fail','missing','error')",
                   f->run1);
    assert_true(n > 0);
    assert_int_equal(occurrences(failing, "<tr class=\"finding\" "), (size_t)n);
    /* the sample's public health shortfalls, by Chinese name, with the
     * rule's title and basis */
    assert_non_null(strstr(failing, "梅州市"));
    assert_non_null(strstr(failing, "汕尾市"));
    assert_non_null(strstr(failing, "health.public_health_per_capita"));
    assert_non_null(strstr(failing, "基本公共卫生服务人均经费"));
    assert_non_null(strstr(failing, "依据："));
    assert_non_null(strstr(failing, "63.9269"));
    assert_non_null(strstr(failing, "元/人"));
    /* a rule whose findings all pass does not appear there */
    assert_int_equal(count(f->db,
                           "SELECT count(*) FROM finding WHERE run = ? AND "
                           "rule = 'hrss.pension_basic_minimum' AND outcome "
                           "<> 'pass'",
                           f->run1),
                     0);
    assert_null(strstr(failing, "hrss.pension_basic_minimum"));
    free(failing);
    free(html);
}

static void test_report__html_scorecard_per_city_linked_from_the_matrix(
    void **state)
{
    struct fixture *f = *state;
    char *html = render(f->db, f->run1, ER_FORMAT_HTML, 0);
    /* one scorecard per city and county with findings, none for the
     * province, and no region's scorecard first in a run of them all */
    long n = count(f->db,
                   "SELECT count(DISTINCT f.region) FROM finding f JOIN "
                   "region g ON g.code = f.region WHERE f.run = ? AND "
                   "g.level IN ('city', 'county')",
                   f->run1);
    assert_true(n >= 21);
    assert_int_equal(occurrences(html, "<div class=\"scorecard\" id=\"region-"),
                     (size_t)n);
    assert_null(strstr(html, "id=\"region-440000\""));
    assert_null(strstr(html, "<section id=\"focus\""));
    /* the matrix links its region names and cells to them */
    char *matrix = between(html, "<section id=\"matrix\">", "</section>");
    assert_non_null(strstr(matrix, "<a href=\"#region-441400\">梅州市</a>"));
    assert_non_null(strstr(matrix, "<a href=\"#region-441400\">✗</a>"));
    /* 梅州市's card: its counts, and the rule it failed in 2019 first with
     * its outcome in each year */
    char *card = between(html, "<div class=\"scorecard\" id=\"region-441400\"",
                         "</div>\n<div class=\"scorecard\"");
    long total = count(f->db,
                       "SELECT count(*) FROM finding WHERE run = ? AND "
                       "region = '441400'",
                       f->run1);
    char want[64];
    snprintf(want, sizeof want, "<b>%ld</b><span>结果 findings</span>", total);
    assert_non_null(strstr(card, want));
    const char *first = strstr(card, "<tr class=\"card-item\"");
    assert_non_null(first);
    const char *row = strstr(card, "<code>health.public_health_per_capita");
    /* a rule 梅州市 passed every year */
    const char *passing = strstr(
        card, "<td data-sort=\"civil_affairs.disability_subsidy_coverage\">");
    assert_non_null(row);
    assert_non_null(passing);
    assert_true(row < passing); /* a rule that failed comes first */
    assert_non_null(strstr(row, "title=\"2019 未达标 fail\">✗</span>"));
    free(card);
    free(matrix);
    free(html);
}

static void test_report__html_one_region_scorecard_first(void **state)
{
    struct fixture *f = *state;
    /* a stored run whose findings are 梅州市's only, as a report narrowed
     * to one region holds them */
    char sql[1024];
    snprintf(sql, sizeof sql,
             "CREATE TEMP TABLE r AS SELECT * FROM run WHERE id = %lld;"
             "UPDATE r SET id = 90; INSERT INTO run SELECT * FROM r;"
             "CREATE TEMP TABLE u AS SELECT * FROM run_rule WHERE run = %lld;"
             "UPDATE u SET run = 90; INSERT INTO run_rule SELECT * FROM u;"
             "CREATE TEMP TABLE x AS SELECT * FROM finding WHERE run = %lld "
             "AND region = '441400';"
             "UPDATE x SET run = 90; INSERT INTO finding SELECT * FROM x;",
             (long long)f->run1, (long long)f->run1, (long long)f->run1);
    assert_int_equal(sqlite3_exec(f->db->db, sql, NULL, NULL, NULL),
                     SQLITE_OK);
    char *html = render(f->db, 90, ER_FORMAT_HTML, 0);
    const char *focus = strstr(html, "<section id=\"focus\" class=\"first\">");
    const char *run = strstr(html, "<section id=\"run\"");
    assert_non_null(focus);
    assert_non_null(run);
    assert_true(focus < run);
    assert_non_null(strstr(focus, "<h2>地区记分卡：梅州市"));
    assert_non_null(
        strstr(focus, "<div class=\"scorecard focus\" id=\"region-441400\""));
    /* written once: the scorecards section does not repeat it */
    assert_int_equal(occurrences(html, "id=\"region-441400\""), 1u);
    free(html);
    assert_int_equal(sqlite3_exec(f->db->db,
                                  "DELETE FROM finding WHERE run = 90;"
                                  "DELETE FROM run_rule WHERE run = 90;"
                                  "DELETE FROM run WHERE id = 90;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
}

static void test_report__html_money_totals_to_the_fen(void **state)
{
    struct fixture *f = *state;
    char cut[64], alloc[64], expected[160];
    er_run_summary sum;
    assert_int_equal(er_run_summarize(f->db, f->run1, &sum), ER_OK);
    assert_true(sum.cut_fen > 0);
    long stored_cut = count(f->db,
                            "SELECT sum(amount) FROM finding WHERE run = ? "
                            "AND outcome = 'cut'",
                            f->run1);
    assert_int_equal(stored_cut, sum.cut_fen);
    char *html = render(f->db, f->run1, ER_FORMAT_HTML, 0);
    snprintf(expected, sizeof expected, "<span id=\"cut-total\">%s</span>",
             er_fmt_fen(cut, sizeof cut, sum.cut_fen));
    assert_non_null(strstr(html, expected));
    snprintf(expected, sizeof expected,
             "<span id=\"allocation-total\">%s</span>",
             er_fmt_fen(alloc, sizeof alloc, sum.allocation_fen));
    assert_non_null(strstr(html, expected));
    /* each year's total row is the sum of that year's cuts */
    long cut2019 = count(f->db,
                         "SELECT sum(amount) FROM finding WHERE run = ? AND "
                         "outcome = 'cut' AND year = 2019",
                         f->run1);
    snprintf(expected, sizeof expected,
             "2019 年合计 <span class=\"en\">total</span></td><td "
             "class=\"num\">%s</td>",
             er_fmt_fen(cut, sizeof cut, cut2019));
    assert_non_null(strstr(html, expected));
    free(html);
}

static void test_report__html_one_bar_per_city_and_year(void **state)
{
    struct fixture *f = *state;
    char *html = render(f->db, f->run1, ER_FORMAT_HTML, 0);
    long cities = count(f->db,
                        "SELECT count(*) FROM region WHERE level = "
                        "'city'",
                        0);
    assert_int_equal(cities, 21);
    assert_int_equal(occurrences(html, "<rect class=\"bar\""),
                     (size_t)(cities * 3));
    /* each year's chart has every city once, with the band and the core
     * mean, and its caption states the measure */
    for (int y = 2018; y <= 2020; y++) {
        char from[64];
        snprintf(from, sizeof from, "<figure class=\"percap\" data-year=\"%d\"",
                 y);
        char *fig = between(html, from, "</figure>");
        assert_int_equal(occurrences(fig, "<rect class=\"bar\""),
                         (size_t)cities);
        assert_int_equal(occurrences(fig, "data-region=\"441400\""), 1);
        assert_int_equal(occurrences(fig, "<rect class=\"band\""), 1);
        assert_int_equal(occurrences(fig, "class=\"core-mean\""), 1);
        assert_int_equal(occurrences(fig, "class=\"band-floor\""), 1);
        assert_non_null(strstr(fig, "fin.basic_service.spend"));
        assert_non_null(strstr(fig, "pop.resident"));
        assert_non_null(strstr(fig, "梅州市"));
        free(fig);
    }
    /* several years: the trend charts */
    assert_non_null(strstr(html, "<section id=\"trends\">"));
    assert_non_null(strstr(html, "chart trend-rate"));
    assert_non_null(strstr(html, "chart trend-gap"));
    free(html);
}

static void test_report__html_core_mean_matches_the_facts(void **state)
{
    struct fixture *f = *state;
    er_report *r = NULL;
    assert_int_equal(er_report_load(f->db, f->run1, &r), ER_OK);
    /* spend and population of the core cities in 2019, summed by SQLite */
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(f->db->db,
                           "SELECT sum(s.value) / sum(p.value) FROM region g "
                           "JOIN fact s ON s.region = g.code AND s.year = 2019 "
                           "AND s.metric = 'fin.basic_service.spend' "
                           "JOIN fact p ON p.region = g.code AND p.year = 2019 "
                           "AND p.metric = 'pop.resident' "
                           "WHERE g.level = 'city' AND g.zone = 'core'",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    double expected = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    assert_true(fabs(er_report_core_mean(r, 2019) - expected) < 1e-9);
    assert_false(r->data_changed);
    er_report_free(r);
}

static void test_report__html_escapes_every_text(void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    /* a stored run whose texts are hostile */
    assert_int_equal(
        sqlite3_exec(
            db->db,
            "INSERT INTO run(id, started_at, finished_at, status, years, "
            "engine_version, rules_digest, data_digest, options, user) VALUES "
            "(1, 't', 't', 'done', '2019', '0', '<b>d</b>', 'x', "
            "'--set \"a<b\"', '<script>alert(1)</script>');"
            "INSERT INTO rule_file VALUES (1, 'x/<i>.lua', '\"sha\"');"
            "INSERT INTO run_rule(run, rule, department, path, title, basis, "
            "item, kind, level, params) VALUES (1, 'x.r', 'x', 'x/<i>.lua', "
            "'<img src=x onerror=alert(2)>', 'A & B', NULL, 'compliance', "
            "'city', NULL);"
            "INSERT INTO finding VALUES (1, 'x.r', '441400', 2019, 'fail', 1, "
            "2, NULL, '<u>', '</td><script>alert(3)</script>');",
            NULL, NULL, NULL),
        SQLITE_OK);
    char *html = render(db, 1, ER_FORMAT_HTML, 0);
    /* the report's own script only: none from the data */
    assert_int_equal(occurrences(html, "<script"), 1u);
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>d"));
    assert_null(strstr(html, "<u>"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "&lt;img src=x onerror=alert(2)&gt;"));
    assert_non_null(strstr(html, "A &amp; B"));
    assert_non_null(strstr(html, "&lt;/td&gt;&lt;script&gt;alert(3)"));
    assert_non_null(strstr(html, "--set &quot;a&lt;b&quot;"));
    free(html);
    /* Markdown escapes what a renderer would read as HTML or table */
    char *md = render(db, 1, ER_FORMAT_MD, 0);
    assert_null(strstr(md, "<script"));
    assert_non_null(strstr(md, "&lt;/td&gt;&lt;script&gt;"));
    free(md);
    remove_db(db, path);
}

static void test_report__html_says_when_data_changed_since_the_run(void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    int64_t run = run_rules(db, NULL);
    char *before = render(db, run, ER_FORMAT_HTML, 0);
    assert_null(strstr(before, "数据表在本次运行之后已更改"));
    static const char fact[] = "region,year,metric,value\n"
                               "441400,2019,health.public_health.spend,310000000\n";
    assert_int_equal(er_import_csv(db, "fact", "fact.csv", fact, strlen(fact),
                                   ER_IMPORT_REPLACE, NULL),
                     ER_OK);
    char *after = render(db, run, ER_FORMAT_HTML, 0);
    assert_non_null(strstr(after, "数据表在本次运行之后已更改"));
    free(before);
    free(after);
    remove_db(db, path);
}

static void test_report__html_band_follows_the_runs_max_gap(void **state)
{
    struct fixture *f = *state;
    char *html1 = render(f->db, f->run1, ER_FORMAT_HTML, 0);
    char *html2 = render(f->db, f->run2, ER_FORMAT_HTML, 0);
    for (int y = 2018; y <= 2020; y++) {
        char from[64];
        snprintf(from, sizeof from, "<figure class=\"percap\" data-year=\"%d\"",
                 y);
        /* the shipped rule's own 30% */
        char *fig = between(html1, from, "</figure>");
        assert_non_null(strstr(fig, "70%（差距 30%）"));
        assert_non_null(strstr(fig, "即差距 30% 的界线"));
        assert_non_null(strstr(fig, "finance.spending_gap</code> 在本次运行中"
                                    "的目标"));
        free(fig);
        /* --set finance.spending_gap.max_gap=0.35 */
        fig = between(html2, from, "</figure>");
        assert_non_null(strstr(fig, "65%（差距 35%）"));
        assert_non_null(strstr(fig, "阴影带为其 65%–100%"));
        assert_non_null(strstr(fig, "即差距 35% 的界线"));
        assert_null(strstr(fig, "30%"));
        free(fig);
    }
    /* the band's floor is the core mean × (1 − 0.35) */
    er_report *r = NULL;
    char num[64], expected[128];
    assert_int_equal(er_report_load(f->db, f->run2, &r), ER_OK);
    assert_true(fabs(er_report_max_gap(r, 2019) - 0.35) < 1e-12);
    snprintf(expected, sizeof expected, "虚线（65%%，%s 元/人）",
             er_html_int(num, sizeof num,
                         er_report_core_mean(r, 2019) * (1 - 0.35)));
    assert_non_null(strstr(html2, expected));
    er_report_free(r);
    assert_non_null(strstr(html2, "虚线为要求的上限（目标：2018 年 35%，2019 "
                                  "年 35%，2020 年 35%）"));
    /* Markdown and JSON say the same */
    char *md = render(f->db, f->run2, ER_FORMAT_MD, 0);
    assert_non_null(strstr(md, "差距上限 35%，界线（65%）"));
    free(md);
    char *json = render(f->db, f->run2, ER_FORMAT_JSON, 0);
    jv doc;
    parse_json(json, &doc);
    const jv *pc = get(&doc, "per_capita");
    assert_string_equal(get(pc, "rule")->s, "finance.spending_gap");
    const jv *years = get(pc, "years");
    assert_int_equal(years->len, 3);
    for (size_t i = 0; i < years->len; i++)
        assert_true(fabs(get(&years->items[i], "max_gap")->n - 0.35) < 1e-12);
    jv_free(&doc);
    free(json);
    /* and so does the command */
    char cmd[512], out[128];
    snprintf(out, sizeof out, "%s.html", f->path);
    snprintf(cmd, sizeof cmd,
             "%s report %lld --db %s -o %s >/dev/null && grep -q "
             "'65%%（差距 35%%）' %s",
             ER_BIN, (long long)f->run2, f->path, out, out);
    assert_int_equal(shell(cmd), 0);
    unlink(out);
    free(html1);
    free(html2);
}

/* Imports `csv` into `table`, replacing rows with the same key. */
static void replace_rows(er_db *db, const char *table, const char *csv)
{
    if (er_import_csv(db, table, "t.csv", csv, strlen(csv), ER_IMPORT_REPLACE,
                      NULL) != ER_OK)
        fail_msg("import %s: %s", table, er_errmsg());
}

static void test_report__html_names_come_from_the_data(void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    replace_rows(db, "zone",
                 "code,name,short_name,colour,sort\n"
                 "core,测试核心区,测核,#123456,1\n");
    replace_rows(db, "setting", "key,value\npolicy,测试政策〔2030〕9号\n");
    replace_rows(db, "region", "code,name,level\n440000,测试省,province\n");
    int64_t run = run_rules(db, NULL);
    char *html = render(db, run, ER_FORMAT_HTML, 0);
    char *sub = between(html, "<p class=\"sub\">", "</p>");
    assert_non_null(strstr(sub, "测试省"));
    assert_non_null(strstr(sub, "测试政策〔2030〕9号"));
    assert_null(strstr(sub, "粤财办〔2019〕1号"));
    assert_null(strstr(sub, "广东省"));
    free(sub);
    char *fig = between(html, "<figure class=\"percap\" data-year=\"2019\"",
                        "</figure>");
    /* the legend and the bars of the core zone take the data's name and
     * colour; the other zones keep theirs */
    assert_non_null(strstr(fig, "测试核心区 core"));
    assert_null(strstr(fig, "珠三角核心区"));
    assert_non_null(strstr(fig, "沿海经济带东翼 east"));
    assert_int_equal(occurrences(fig, "fill=\"#123456\""),
                     1 + (size_t)count(db,
                                       "SELECT count(*) FROM region WHERE "
                                       "level = 'city' AND zone = 'core'",
                                       0));
    assert_non_null(strstr(fig, ">测核</text>"));
    free(fig);
    /* the money table names zones the same way */
    char *money = between(html, "<section id=\"money\">", "</section>");
    assert_null(strstr(money, "珠三角核心区"));
    free(money);
    char *md = render(db, run, ER_FORMAT_MD, 0);
    assert_non_null(strstr(md, "测试省 · Basic public service equalization"));
    assert_non_null(strstr(md, " 年度 · 测试政策〔2030〕9号\n"));
    free(md);
    free(html);
    remove_db(db, path);
}

static void test_report__html_without_a_declaring_rule_has_no_band(void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    er_ruleset *rs = NULL;
    er_run_opts o = {0};
    int64_t run = 0;
    assert_int_equal(er_ruleset_load(&rs, RULES_DIR), ER_OK);
    o.year_from = 2019;
    o.year_to = 2019;
    o.rule = "health.public_health_per_capita";
    assert_int_equal(er_run(db, rs, &o, &run), ER_OK);
    er_ruleset_free(rs);
    char *html = render(db, run, ER_FORMAT_HTML, 0);
    char *fig = between(html, "<figure class=\"percap\" data-year=\"2019\"",
                        "</figure>");
    /* the bars and the core mean, but no band and no threshold */
    assert_int_equal(occurrences(fig, "<rect class=\"bar\""), 21);
    assert_int_equal(occurrences(fig, "class=\"core-mean\""), 1);
    assert_null(strstr(fig, "<rect class=\"band\""));
    assert_null(strstr(fig, "class=\"band-floor\""));
    assert_null(strstr(fig, "（差距"));
    assert_null(strstr(fig, "即差距"));
    assert_non_null(strstr(fig, "本次运行没有规则声明此图"));
    free(fig);
    free(html);
    remove_db(db, path);
}

/* Whether the word at p (letters) is "inf", "infinity" or "nan", in any
 * case, and p starts it. */
static bool non_finite_word(const char *start, const char *p)
{
    if (p > start && isalpha((unsigned char)p[-1]))
        return false;
    size_t n = 0;
    while (isalpha((unsigned char)p[n]))
        n++;
    return (n == 3 && (strncasecmp(p, "inf", 3) == 0 ||
                       strncasecmp(p, "nan", 3) == 0)) ||
           (n == 8 && strncasecmp(p, "infinity", 8) == 0);
}

/* Fails when a chart, a caption or a number cell of `html` holds "inf" or
 * "nan" in any case. */
static void expect_no_non_finite(const char *html)
{
    static const struct {
        const char *from, *to;
    } parts[] = {{"<svg", "</svg>"},
                 {"<figcaption", "</figcaption>"},
                 {"<td class=\"num\"", "</td>"}};
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        for (const char *a = strstr(html, parts[k].from); a;
             a = strstr(a + 1, parts[k].from)) {
            const char *b = strstr(a, parts[k].to);
            assert_non_null(b);
            for (const char *p = a; p < b; p++)
                if (non_finite_word(a, p))
                    fail_msg("non-finite number in %.*s", (int)(b - a + 6),
                             a);
        }
    }
}

static void test_report__non_finite_values_never_reach_a_chart(void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    /* a population of 1e-300 makes 梅州's per-capita spending infinite;
     * the sample's domain of pop.resident (a whole number > 0) refuses
     * it, so the metric declares none here: the report must stay finite
     * whatever the data holds */
    replace_rows(db, "metric", "key,name,unit\npop.resident,常住人口,人\n");
    replace_rows(db, "fact",
                 "region,year,metric,value\n"
                 "441400,2019,pop.resident,1e-300\n");
    int64_t run = run_rules(db, NULL);
    er_report *r = NULL;
    assert_int_equal(er_report_load(db, run, &r), ER_OK);
    bool inf = false;
    for (size_t i = 0; i < r->npercap; i++)
        inf |= r->percap[i].year == 2019 && isinf(r->percap[i].value);
    assert_true(inf);
    er_report_free(r);

    char *html = render(db, run, ER_FORMAT_HTML, 0);
    expect_no_non_finite(html);
    char *fig = between(html, "<figure class=\"percap\" data-year=\"2019\"",
                        "</figure>");
    /* 梅州 is left out of the chart and the caption says so */
    assert_int_equal(occurrences(fig, "<rect class=\"bar\""), 20);
    assert_null(strstr(fig, "data-region=\"441400\""));
    assert_non_null(strstr(fig, "未画出的市：梅州市"));
    free(fig);
    free(html);

    char *md = render(db, run, ER_FORMAT_MD, 0);
    char *sec = between(md, "## 6 ", "## 7 ");
    for (const char *p = sec; *p; p++)
        if (non_finite_word(sec, p))
            fail_msg("non-finite number in the Markdown: %.60s", p);
    free(sec);
    free(md);
    /* JSON has null for it, and parses */
    char *json = render(db, run, ER_FORMAT_JSON, 0);
    jv doc;
    parse_json(json, &doc);
    jv_free(&doc);
    assert_non_null(strstr(json, "\"per_capita\": null"));
    free(json);
    remove_db(db, path);
}

/* ---- Markdown, CSV, JSON ------------------------------------------------ */

/* Counts the cells of a Markdown table row (pipes not escaped). */
static int md_cells(const char *line, size_t len)
{
    int pipes = 0;
    for (size_t i = 0; i < len; i++) {
        if (line[i] == '\\') {
            i++;
            continue;
        }
        pipes += line[i] == '|';
    }
    return pipes - 1;
}

static void test_report__md_tables_are_well_formed(void **state)
{
    struct fixture *f = *state;
    er_run_summary sum;
    char expected[128];
    assert_int_equal(er_run_summarize(f->db, f->run1, &sum), ER_OK);
    char *md = render(f->db, f->run1, ER_FORMAT_MD, 0);
    static const char *const sections[] = {
        "## 1 运行信息 Run", "## 2 结果概览 Summary",
        "## 3 地区 × 规则",  "## 4 未通过的结果",
        "## 5 核减与分配",   "## 6 人均基本公共服务支出",
        "## 7 趋势"};
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
        assert_non_null(strstr(md, sections[i]));
    snprintf(expected, sizeof expected, "共 %ld 条结果", sum.findings);
    assert_non_null(strstr(md, expected));
    /* every row of a table has as many cells as its header */
    int header = -1;
    size_t tables = 0;
    for (const char *line = md; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len && line[0] == '|') {
            int cells = md_cells(line, len);
            if (header < 0) {
                header = cells;
                tables++;
            } else if (cells != header) {
                fail_msg("row with %d cells under a header of %d: %.*s", cells,
                         header, (int)len, line);
            }
        } else {
            header = -1;
        }
        line = end ? end + 1 : line + len;
    }
    assert_true(tables >= 10);
    char *failing = between(md, "## 4 未通过的结果", "## 5");
    assert_non_null(strstr(failing, "梅州市 441400"));
    assert_non_null(strstr(failing, "汕尾市 441500"));
    free(failing);
    free(md);
}

static void test_report__csv_has_one_row_per_finding(void **state)
{
    struct fixture *f = *state;
    char *text = render(f->db, f->run1, ER_FORMAT_CSV, 0);
    er_csv c;
    er_csv_init(&c, "report.csv", text, strlen(text));
    assert_int_equal(er_csv_next_record(&c), 1);
    static const char *const header[] = {
        "run",         "rule",        "department", "region",
        "region_name", "year",        "outcome",    "measured",
        "required",    "amount_yuan", "unit",       "note"};
    assert_int_equal(c.nfields, 12);
    for (size_t i = 0; i < 12; i++)
        assert_string_equal(c.fields[i].data, header[i]);
    long rows = 0, fails = 0;
    int64_t cut_fen = 0;
    bool meizhou = false;
    while (er_csv_next_record(&c) == 1) {
        assert_int_equal(c.nfields, 12);
        rows++;
        const char *outcome = c.fields[6].data;
        fails += strcmp(outcome, "fail") == 0;
        if (strcmp(outcome, "cut") == 0) {
            /* amount in yuan with two decimals: back to fen exactly */
            const char *a = c.fields[9].data, *dot = strchr(a, '.');
            assert_non_null(dot);
            assert_int_equal(strlen(dot), 3);
            cut_fen += strtoll(a, NULL, 10) * 100 + strtoll(dot + 1, NULL, 10);
        }
        if (strcmp(c.fields[1].data, "health.public_health_per_capita") == 0 &&
            strcmp(c.fields[3].data, "441400") == 0 &&
            strcmp(c.fields[5].data, "2019") == 0) {
            meizhou = true;
            assert_string_equal(c.fields[4].data, "梅州市");
            assert_string_equal(outcome, "fail");
            assert_true(fabs(strtod(c.fields[7].data, NULL) - 63.926940639) <
                        1e-6);
            assert_string_equal(c.fields[8].data, "69");
            assert_string_equal(c.fields[10].data, "元/人");
        }
    }
    assert_true(meizhou);
    assert_int_equal(rows, count(f->db,
                                 "SELECT count(*) FROM finding WHERE "
                                 "run = ?",
                                 f->run1));
    assert_int_equal(fails, count(f->db,
                                  "SELECT count(*) FROM finding WHERE "
                                  "run = ? AND outcome = 'fail'",
                                  f->run1));
    assert_int_equal(cut_fen, count(f->db,
                                    "SELECT sum(amount) FROM finding "
                                    "WHERE run = ? AND outcome = 'cut'",
                                    f->run1));
    er_csv_free(&c);
    free(text);

    char *excel = render(f->db, f->run1, ER_FORMAT_CSV, ER_CSV_EXCEL);
    assert_memory_equal(excel, "\xEF\xBB\xBFrun,rule,", 12);
    free(excel);
}

static void test_report__json_parses_and_holds_the_counts(void **state)
{
    struct fixture *f = *state;
    er_run_summary sum;
    char digest[80];
    assert_int_equal(er_run_summarize(f->db, f->run1, &sum), ER_OK);
    char *text = render(f->db, f->run1, ER_FORMAT_JSON, 0);
    jv doc;
    parse_json(text, &doc);

    const jv *run = get(&doc, "run");
    assert_int_equal((int64_t)get(run, "id")->n, f->run1);
    assert_string_equal(get(run, "status")->s, "done");
    assert_string_equal(get(run, "years")->s, "2018-2020");
    assert_string_equal(get(run, "user")->s, "tester");
    assert_string_equal(get(run, "rules_digest")->s,
                        text_of(f->db,
                                "SELECT rules_digest FROM run WHERE "
                                "id = ?",
                                f->run1, digest, sizeof digest));
    assert_int_equal(
        get(run, "rule_files")->len,
        count(f->db, "SELECT count(*) FROM rule_file WHERE run = ?", f->run1));

    const jv *rules = get(&doc, "rules");
    assert_int_equal(rules->len, count(f->db,
                                       "SELECT count(*) FROM run_rule "
                                       "WHERE run = ?",
                                       f->run1));
    const jv *summary = get(&doc, "summary");
    assert_int_equal((long)get(summary, "findings")->n, sum.findings);
    const jv *counts = get(summary, "counts");
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        assert_int_equal((long)get(counts, er_outcome_name((er_outcome)o))->n,
                         sum.counts[o]);
    assert_int_equal(get(summary, "by_year")->len, 3);
    assert_int_equal((long)get(summary, "failing")->n,
                     sum.counts[ER_FAIL] + sum.counts[ER_MISSING] +
                         sum.counts[ER_ERROR_OUTCOME]);

    const jv *findings = get(&doc, "findings");
    assert_int_equal((long)findings->len, sum.findings);
    const jv *money = get(&doc, "money");
    assert_int_equal((int64_t)get(money, "cut_fen")->n, sum.cut_fen);
    assert_int_equal((int64_t)get(money, "allocation_fen")->n,
                     sum.allocation_fen);
    int64_t by_region = 0;
    const jv *regions = get(money, "by_region");
    for (size_t i = 0; i < regions->len; i++)
        by_region += (int64_t)get(&regions->items[i], "cut_fen")->n;
    assert_int_equal(by_region, sum.cut_fen);

    const jv *pc = get(get(&doc, "per_capita"), "years");
    assert_int_equal(pc->len, 3);
    assert_int_equal(get(&pc->items[0], "cities")->len, 21);
    jv_free(&doc);
    free(text);
}

/* The per-capita chart reads the values a run reads: a city without its
 * own spending and population rows is the sum of ALL its counties'
 * (marked derived); with one county's row absent too it is named as
 * lacking data, never silently dropped from "21 个市". */
static void test_report__per_capita_uses_roll_ups_and_names_the_absent(
    void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    int64_t run = run_rules(db, NULL);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db->db,
                           "SELECT sum(value) FROM fact WHERE year = 2018 AND "
                           "metric = 'pop.resident' AND region IN (SELECT "
                           "code FROM region WHERE parent = '441400')",
                           -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    double counties = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    assert_int_equal(
        sqlite3_exec(db->db,
                     "DELETE FROM fact WHERE region = '441400' AND metric IN "
                     "('fin.basic_service.spend', 'pop.resident');"
                     "DELETE FROM fact WHERE region = '441422' AND metric = "
                     "'pop.resident' AND year = 2019",
                     NULL, NULL, NULL),
        SQLITE_OK);

    char *json = render(db, run, ER_FORMAT_JSON, 0);
    jv doc;
    parse_json(json, &doc);
    const jv *years = get(get(&doc, "per_capita"), "years");
    assert_int_equal(years->len, 3);
    /* 2018: 梅州 from its 8 counties */
    const jv *cities = get(&years->items[0], "cities");
    assert_int_equal(cities->len, 21);
    bool seen = false;
    for (size_t i = 0; i < cities->len; i++) {
        const jv *c = &cities->items[i];
        bool mz = strcmp(get(c, "region")->s, "441400") == 0;
        assert_int_equal(get(c, "derived")->type, 'b');
        assert_true(get(c, "derived")->n == (mz ? 1 : 0));
        if (mz) {
            seen = true;
            assert_true(get(c, "pop")->n == counties);
        }
    }
    assert_true(seen);
    assert_int_equal(get(&years->items[0], "absent")->len, 0);
    /* 2019: 大埔县 lacks its population: 梅州 is absent, and said so */
    assert_int_equal(get(&years->items[1], "cities")->len, 20);
    const jv *absent = get(&years->items[1], "absent");
    assert_int_equal(absent->len, 1);
    assert_string_equal(absent->items[0].s, "441400");
    jv_free(&doc);
    free(json);

    char *html = render(db, run, ER_FORMAT_HTML, 0);
    char *fig = between(html, "图 6-1 2018", "</figcaption>");
    assert_non_null(strstr(fig, "21 个市"));
    assert_non_null(strstr(fig, "由所辖县区汇总的市：梅州市。"));
    free(fig);
    fig = between(html, "图 6-2 2019", "</figcaption>");
    assert_non_null(strstr(fig, "20 个市"));
    assert_non_null(strstr(fig, "无支出或常住人口数据（亦无法由所辖县区汇总）、"
                                "未画出的市：梅州市。"));
    free(fig);
    free(html);
    char *md = render(db, run, ER_FORMAT_MD, 0);
    assert_non_null(strstr(md, "441400（汇总）"));
    assert_non_null(strstr(md, "未列出的市：梅州市 441400。"));
    free(md);
    remove_db(db, path);
}

/* ---- comparing runs ----------------------------------------------------- */

/* The findings of run `a` whose outcome, measured, required or amount
 * differ in run `b`, counted one by one. */
static long changed_one_by_one(er_db *db, int64_t a, int64_t b)
{
    sqlite3_stmt *fa = NULL, *fb = NULL;
    long changed = 0;
    assert_int_equal(
        sqlite3_prepare_v2(db->db,
                           "SELECT rule, region, year, outcome, measured, "
                           "required, amount FROM finding WHERE run = ?",
                           -1, &fa, NULL),
        SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db->db,
                           "SELECT outcome, measured, required, amount FROM "
                           "finding WHERE run = ? AND rule = ? AND region = ? "
                           "AND year = ?",
                           -1, &fb, NULL),
        SQLITE_OK);
    sqlite3_bind_int64(fa, 1, a);
    while (sqlite3_step(fa) == SQLITE_ROW) {
        sqlite3_reset(fb);
        sqlite3_bind_int64(fb, 1, b);
        for (int i = 0; i < 3; i++)
            sqlite3_bind_value(fb, i + 2, sqlite3_column_value(fa, i));
        if (sqlite3_step(fb) != SQLITE_ROW)
            continue; /* removed */
        bool same = strcmp((const char *)sqlite3_column_text(fa, 3),
                           (const char *)sqlite3_column_text(fb, 0)) == 0;
        for (int i = 1; i < 4 && same; i++) {
            int ta = sqlite3_column_type(fa, 3 + i),
                tb = sqlite3_column_type(fb, i);
            same = ta == tb &&
                   (ta == SQLITE_NULL || sqlite3_column_double(fa, 3 + i) ==
                                             sqlite3_column_double(fb, i));
        }
        changed += !same;
    }
    sqlite3_finalize(fa);
    sqlite3_finalize(fb);
    return changed;
}

static void
test_report__compare_lists_exactly_the_changed_findings(void **state)
{
    struct fixture *f = *state;
    er_compare_stats st;
    char *csv = compare(f->db, f->run1, f->run2, ER_FORMAT_CSV, &st);
    long gap = count(f->db,
                     "SELECT count(*) FROM finding WHERE run = ? AND rule = "
                     "'finance.spending_gap'",
                     f->run1);
    assert_int_equal(gap, 3);
    assert_int_equal(st.changed, changed_one_by_one(f->db, f->run1, f->run2));
    assert_int_equal(st.added, 0);
    assert_int_equal(st.removed, 0);
    assert_int_equal(
        st.same + st.changed,
        count(f->db, "SELECT count(*) FROM finding WHERE run = ?", f->run1));

    /* the threshold changed for the three years of finance.spending_gap;
     * in 2018 the gap of 31.6% now passes */
    er_csv c;
    er_csv_init(&c, "compare.csv", csv, strlen(csv));
    assert_int_equal(er_csv_next_record(&c), 1);
    assert_string_equal(c.fields[0].data, "change");
    assert_int_equal(c.nfields, 14);
    long rows = 0, gap_rows = 0;
    bool fail_to_pass = false;
    while (er_csv_next_record(&c) == 1) {
        rows++;
        assert_string_equal(c.fields[0].data, "changed");
        if (strcmp(c.fields[1].data, "finance.spending_gap") != 0)
            continue;
        gap_rows++;
        assert_string_equal(c.fields[9].data, "0.3");
        assert_string_equal(c.fields[10].data, "0.35");
        assert_string_equal(c.fields[7].data, c.fields[8].data);
        if (strcmp(c.fields[4].data, "2018") == 0) {
            assert_string_equal(c.fields[5].data, "fail");
            assert_string_equal(c.fields[6].data, "pass");
            fail_to_pass = true;
        }
    }
    assert_int_equal(rows, st.changed);
    assert_int_equal(gap_rows, 3);
    assert_true(fail_to_pass);
    er_csv_free(&c);
    free(csv);

    /* text: the per-rule summary and the row */
    char *text = compare(f->db, f->run1, f->run2, ER_FORMAT_TEXT, NULL);
    assert_non_null(strstr(text, "by rule:"));
    assert_non_null(strstr(text, "finance.spending_gap"));
    assert_non_null(strstr(text, "fail → pass"));
    assert_non_null(strstr(text, "required 0.3 → 0.35"));
    free(text);

    /* JSON parses and says the same */
    char *json = compare(f->db, f->run1, f->run2, ER_FORMAT_JSON, NULL);
    jv doc;
    parse_json(json, &doc);
    assert_int_equal((long)get(get(&doc, "stats"), "changed")->n, st.changed);
    assert_int_equal((long)get(&doc, "changes")->len, st.changed);
    assert_true(get(&doc, "by_rule")->len >= 1);
    jv_free(&doc);
    free(json);

    /* a run compared with itself: nothing */
    char *none = compare(f->db, f->run1, f->run1, ER_FORMAT_JSON, &st);
    assert_int_equal(st.changed + st.added + st.removed, 0);
    parse_json(none, &doc);
    assert_int_equal(get(&doc, "changes")->len, 0);
    jv_free(&doc);
    free(none);
}

static void test_report__compare_after_a_fact_is_replaced(void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    int64_t a = run_rules(db, NULL);
    /* 梅州市's public health spending raised above the standard */
    static const char fact[] = "region,year,metric,value,source\n"
                               "441400,2019,health.public_health.spend,310000000,"
                               "corrected\n";
    er_import_stats is;
    assert_int_equal(er_import_csv(db, "fact", "fact.csv", fact, strlen(fact),
                                   ER_IMPORT_REPLACE, &is),
                     ER_OK);
    assert_int_equal(is.replaced, 1);
    int64_t b = run_rules(db, NULL);
    er_compare_stats st;
    char *text = compare(db, a, b, ER_FORMAT_TEXT, &st);
    assert_int_equal(st.changed, changed_one_by_one(db, a, b));
    assert_true(st.changed >= 1);
    assert_non_null(strstr(text, "2019  441400 梅州市"));
    char *md = compare(db, a, b, ER_FORMAT_MD, NULL);
    assert_non_null(strstr(md,
                           "| changed | 2019 | 441400 梅州市 | "
                           "health.public_health_per_capita | fail → pass"));
    free(md);
    free(text);
    remove_db(db, path);
}

/* Imports `csv` into `table` with --replace; asserts one row replaced. */
static void replace_one(er_db *db, const char *table, const char *csv)
{
    er_import_stats is;
    if (er_import_csv(db, table, "fix.csv", csv, strlen(csv),
                      ER_IMPORT_REPLACE, &is) != ER_OK)
        fail_msg("import %s: %s", table, er_errmsg());
    assert_int_equal(is.replaced, 1);
}

/* er_why_load between runs a and b with a filter of `region` (may be
 * NULL) and `year` (0: any). */
static void why_of(er_db *db, int64_t a, int64_t b, const char *region,
                   int year, er_why *w)
{
    const char *regions[] = {region, NULL};
    er_report_filter in = {0};
    er_rep_filter flt;
    int64_t runs[2] = {a, b};
    in.regions = region ? regions : NULL;
    in.year = year;
    assert_int_equal(er_rep_filter_resolve(db, runs, 2, &in, &flt), ER_OK);
    if (er_why_load(db, a, b, flt.active ? &flt : NULL, w) != ER_OK)
        fail_msg("why: %s", er_errmsg());
    er_rep_filter_free(&flt);
}

static void
test_report__compare_why_names_the_data_rows_within_the_filter(void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    int64_t a = run_rules(db, NULL);
    /* 珠海市's 2019: its local standard (2019 on), its public health
     * transfer and its resident population, one import each */
    replace_one(db, "standard",
                 "key,scope,region,year_from,year_to,value,unit,basis\n"
                 "health.public_health,local,440400,2019,,95,元/人,更正\n");
    replace_one(db, "transfer", "region,year,item,amount\n"
                                 "440400,2019,health.public_health,41890000\n");
    replace_one(db, "fact", "region,year,metric,value,source\n"
                             "440400,2019,pop.resident,2027000,更正\n");
    int64_t b = run_rules(db, NULL);
    er_why w;

    /* everything: in table order (standard, transfer, fact), each with
     * the version that changed it and who imported it */
    why_of(db, a, b, NULL, 0, &w);
    assert_null(w.unlisted);
    assert_true(w.has_version[0] && w.has_version[1]);
    assert_int_equal(w.version[1], w.version[0] + 3);
    assert_int_equal(w.nrows, 3);
    assert_int_equal(w.nfiles, 0);
    assert_true(w.files_same > 0);
    assert_string_equal(w.rows[0].table, "standard");
    assert_string_equal(w.rows[0].key, "health.public_health local 440400 2019");
    assert_non_null(strstr(w.rows[0].before, "value=90 "));
    assert_non_null(strstr(w.rows[0].after, "value=95 "));
    assert_string_equal(w.rows[1].table, "transfer");
    assert_string_equal(w.rows[1].key, "440400 2019 health.public_health");
    assert_string_equal(w.rows[1].before, "amount=41890590");
    assert_string_equal(w.rows[1].after, "amount=41890000");
    assert_string_equal(w.rows[2].table, "fact");
    assert_string_equal(w.rows[2].key, "440400 2019 pop.resident");
    assert_int_equal(w.rows[2].version, w.version[1]);
    assert_int_equal(w.nversions, 3);
    const er_why_version *v = er_why_version_of(&w, w.version[1]);
    assert_non_null(v);
    assert_string_equal(v->table, "fact");
    assert_string_equal(v->file, "fix.csv");
    assert_int_equal(v->replaced, 1);
    er_why_free(&w);

    /* the other way round: before and after swap */
    why_of(db, b, a, NULL, 0, &w);
    assert_int_equal(w.nrows, 3);
    assert_string_equal(w.rows[1].before, "amount=41890000");
    assert_string_equal(w.rows[1].after, "amount=41890590");
    er_why_free(&w);

    /* a region elsewhere: none of 珠海市's rows; 珠海市 itself: all */
    why_of(db, a, b, "440500", 0, &w);
    assert_int_equal(w.nrows, 0);
    assert_int_equal(w.rows_filtered, 3);
    er_why_free(&w);
    why_of(db, a, b, "440400", 0, &w);
    assert_int_equal(w.nrows, 3);
    er_why_free(&w);

    /* 2020: the standard in force from 2019 with no end only */
    why_of(db, a, b, NULL, 2020, &w);
    assert_int_equal(w.nrows, 1);
    assert_string_equal(w.rows[0].table, "standard");
    assert_int_equal(w.rows_filtered, 2);
    er_why_free(&w);
    /* 2018: none */
    why_of(db, a, b, NULL, 2018, &w);
    assert_int_equal(w.nrows, 0);
    er_why_free(&w);

    /* the same run twice: the same version, no row */
    why_of(db, a, a, NULL, 0, &w);
    assert_null(w.unlisted);
    assert_int_equal(w.nrows, 0);
    er_why_free(&w);

    /* a run stored before data versions: said, not listed */
    assert_int_equal(sqlite3_exec(db->db,
                                  "UPDATE run SET data_version = NULL "
                                  "WHERE id = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(a, 1);
    why_of(db, a, b, NULL, 0, &w);
    assert_false(w.has_version[0]);
    assert_non_null(w.unlisted);
    assert_non_null(strstr(w.unlisted, "run 1 was stored before data "
                                       "versions were recorded"));
    assert_int_equal(w.nrows, 0);
    er_why_free(&w);
    remove_db(db, path);
}

static void test_report__compare_added_and_removed(void **state)
{
    (void)state;
    char path[64];
    er_db *db = new_sample_db(path, sizeof path);
    int64_t a = run_rules(db, NULL);
    /* a second run of one rule only: compared within what both evaluated,
     * the other rules' findings are neither removed nor (the other way
     * round) added, and the header says run b is partial */
    er_ruleset *rs = NULL;
    er_run_opts o = {0};
    int64_t b = 0;
    assert_int_equal(er_ruleset_load(&rs, RULES_DIR), ER_OK);
    o.year_from = 2018;
    o.year_to = 2020;
    o.rule = "health.public_health_per_capita";
    assert_int_equal(er_run(db, rs, &o, &b), ER_OK);
    er_ruleset_free(rs);
    er_compare_stats st;
    char *text = compare(db, a, b, ER_FORMAT_TEXT, &st);
    long kept = count(db, "SELECT count(*) FROM finding WHERE run = ?", b);
    assert_true(kept > 0);
    assert_int_equal(st.changed, 0);
    assert_int_equal(st.removed, 0);
    assert_int_equal(st.same, kept);
    assert_non_null(strstr(text, "is partial (rule "
                                 "health.public_health_per_capita)"));
    assert_null(strstr(text, "removed:"));
    free(text);
    text = compare(db, b, a, ER_FORMAT_TEXT, &st);
    assert_int_equal(st.added, 0);
    assert_int_equal(st.same, kept);
    assert_null(strstr(text, "added:"));
    free(text);

    /* a run with cuts and no allocations: each total is its own */
    int64_t c = 0;
    assert_int_equal(er_ruleset_load(&rs, RULES_DIR), ER_OK);
    o.rule = "finance.subsidy_cut";
    assert_int_equal(er_run(db, rs, &o, &c), ER_OK);
    er_ruleset_free(rs);
    text = compare(db, c, a, ER_FORMAT_TEXT, &st); /* within run c: its one rule */
    assert_non_null(strstr(text, "allocations 0.00 → 0.00 元"));
    assert_null(strstr(text, "cuts 0.00 → 0.00 元"));
    free(text);
    remove_db(db, path);
}

/* ---- runs, run ids, the commands ---------------------------------------- */

static void test_report__run_ids_and_latest(void **state)
{
    struct fixture *f = *state;
    int64_t id = 0;
    assert_int_equal(er_run_find(f->db, NULL, &id), ER_OK);
    assert_int_equal(id, f->run2);
    assert_int_equal(er_run_find(f->db, "latest", &id), ER_OK);
    assert_int_equal(id, f->run2);
    char spec[32];
    snprintf(spec, sizeof spec, "%lld", (long long)f->run1);
    assert_int_equal(er_run_find(f->db, spec, &id), ER_OK);
    assert_int_equal(id, f->run1);
    assert_int_equal(er_run_find(f->db, "99", &id), ER_ENOTFOUND);
    assert_non_null(strstr(er_errmsg(), "no run 99 in "));
    assert_int_equal(er_run_find(f->db, "x1", &id), ER_EUSAGE);
    FILE *fp = fopen("/dev/null", "w");
    assert_int_equal(er_report_write(f->db, 99, ER_FORMAT_HTML, 0, fp),
                     ER_ENOTFOUND);
    fclose(fp);
}

static void test_report__runs_lists_counts_and_digests(void **state)
{
    struct fixture *f = *state;
    char *text = NULL, digest[80];
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_int_equal(er_runs_print(f->db, fp, ER_FORMAT_CSV), ER_OK);
    fclose(fp);
    er_csv c;
    er_csv_init(&c, "runs.csv", text, strlen(text));
    assert_int_equal(er_csv_next_record(&c), 1);
    assert_string_equal(c.fields[0].data, "id");
    assert_string_equal(c.fields[6].data, "findings");
    assert_string_equal(c.fields[7].data, "failing");
    assert_string_equal(c.fields[10].data, "rules_digest");
    long rows = 0;
    while (er_csv_next_record(&c) == 1) {
        int64_t id = strtoll(c.fields[0].data, NULL, 10);
        rows++;
        assert_string_equal(c.fields[3].data, "done");
        assert_string_equal(c.fields[4].data, "2018-2020");
        assert_int_equal(
            strtol(c.fields[6].data, NULL, 10),
            count(f->db, "SELECT count(*) FROM finding WHERE run = ?", id));
        assert_int_equal(strtol(c.fields[7].data, NULL, 10),
                         count(f->db,
                               "SELECT count(*) FROM finding WHERE run = ? "
                               "AND outcome IN ('fail','missing','error')",
                               id));
        assert_string_equal(c.fields[10].data,
                            text_of(f->db,
                                    "SELECT rules_digest FROM run "
                                    "WHERE id = ?",
                                    id, digest, sizeof digest));
    }
    assert_int_equal(rows, 2);
    er_csv_free(&c);
    free(text);

    /* json parses */
    text = NULL;
    fp = open_memstream(&text, &len);
    assert_int_equal(er_runs_print(f->db, fp, ER_FORMAT_JSON), ER_OK);
    fclose(fp);
    jv doc;
    parse_json(text, &doc);
    assert_int_equal(doc.len, 2);
    assert_string_equal(get(&doc.items[1], "options")->s,
                        "run --years 2018-2020");
    jv_free(&doc);
    free(text);
}

static void test_report__command_exit_statuses(void **state)
{
    struct fixture *f = *state;
    char cmd[1024], out[96];
    snprintf(out, sizeof out, "%s.report.html", f->path);
    /* the report goes to the file named, in the format its name says */
    snprintf(cmd, sizeof cmd, "%s report --db %s -o %s >/dev/null", ER_BIN,
             f->path, out);
    assert_int_equal(shell(cmd), 0);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(er_read_file(out, &data, &len), ER_OK);
    assert_memory_equal(data, "<!DOCTYPE html>", 15);
    free(data);
    unlink(out);
    /* a run that is not there: 3, and no file */
    snprintf(cmd, sizeof cmd, "%s report 99 --db %s -o %s 2>/dev/null", ER_BIN,
             f->path, out);
    assert_int_equal(shell(cmd), 3);
    assert_int_equal(access(out, F_OK), -1);
    /* usage errors: 2 */
    snprintf(cmd, sizeof cmd,
             "%s report --db %s --format html --excel 2>/dev/null", ER_BIN,
             f->path);
    assert_int_equal(shell(cmd), 2);
    snprintf(cmd, sizeof cmd, "%s report --db %s --format pdf 2>/dev/null",
             ER_BIN, f->path);
    assert_int_equal(shell(cmd), 2);
    snprintf(cmd, sizeof cmd, "%s report --db %s --compare 1 2>/dev/null",
             ER_BIN, f->path);
    assert_int_equal(shell(cmd), 2);
    /* compare: 1 when something changed, 0 when nothing did */
    snprintf(cmd, sizeof cmd,
             "%s report --db %s --compare %lld %lld "
             ">/dev/null",
             ER_BIN, f->path, (long long)f->run1, (long long)f->run2);
    assert_int_equal(shell(cmd), 1);
    snprintf(cmd, sizeof cmd,
             "%s report --db %s --compare %lld %lld "
             ">/dev/null",
             ER_BIN, f->path, (long long)f->run2, (long long)f->run2);
    assert_int_equal(shell(cmd), 0);
    /* no database: 3 */
    snprintf(cmd, sizeof cmd, "%s report --db %s.none 2>/dev/null", ER_BIN,
             f->path);
    assert_int_equal(shell(cmd), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report__html_is_one_self_contained_page),
        cmocka_unit_test(test_report__html_names_the_run_and_its_digests),
        cmocka_unit_test(test_report__html_summary_holds_the_counts),
        cmocka_unit_test(test_report__html_lists_failing_findings_by_name),
        cmocka_unit_test(
            test_report__html_scorecard_per_city_linked_from_the_matrix),
        cmocka_unit_test(test_report__html_one_region_scorecard_first),
        cmocka_unit_test(test_report__html_money_totals_to_the_fen),
        cmocka_unit_test(test_report__html_one_bar_per_city_and_year),
        cmocka_unit_test(test_report__html_core_mean_matches_the_facts),
        cmocka_unit_test(test_report__html_escapes_every_text),
        cmocka_unit_test(
            test_report__html_says_when_data_changed_since_the_run),
        cmocka_unit_test(test_report__html_band_follows_the_runs_max_gap),
        cmocka_unit_test(test_report__html_names_come_from_the_data),
        cmocka_unit_test(
            test_report__per_capita_uses_roll_ups_and_names_the_absent),
        cmocka_unit_test(
            test_report__html_without_a_declaring_rule_has_no_band),
        cmocka_unit_test(test_report__non_finite_values_never_reach_a_chart),
        cmocka_unit_test(test_report__md_tables_are_well_formed),
        cmocka_unit_test(test_report__csv_has_one_row_per_finding),
        cmocka_unit_test(test_report__json_parses_and_holds_the_counts),
        cmocka_unit_test(
            test_report__compare_lists_exactly_the_changed_findings),
        cmocka_unit_test(test_report__compare_after_a_fact_is_replaced),
        cmocka_unit_test(
            test_report__compare_why_names_the_data_rows_within_the_filter),
        cmocka_unit_test(test_report__compare_added_and_removed),
        cmocka_unit_test(test_report__run_ids_and_latest),
        cmocka_unit_test(test_report__runs_lists_counts_and_digests),
        cmocka_unit_test(test_report__command_exit_statuses),
    };
    return cmocka_run_group_tests_name("report", tests, group_setup,
                                       group_teardown);
}
