/*
 * harness.h - what the unit tests that evaluate rules share: a temporary
 * folder holding a database (er_db_init) and a rules folder, writing rule
 * files into it, running them with er_run, and reading the stored findings
 * back with SQL. Include it after <cmocka.h>. Everything is static inline
 * so that a test file uses only what it needs.
 */
#ifndef ER_TEST_HARNESS_H
#define ER_TEST_HARNESS_H

#include "engine.h"

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Asserts |a - b| <= eps in double precision (cmocka 1.1's float
 * assertion works in single precision). */
#define assert_near(a, b, eps)                                             \
    do {                                                                   \
        double a_ = (a), b_ = (b);                                         \
        if (!(fabs(a_ - b_) <= (eps)))                                     \
            fail_msg("%.17g != %.17g (within %g)", a_, b_, (double)(eps)); \
    } while (0)

typedef struct harness {
    char dir[128];    /* the temporary folder */
    char rules[192];  /* dir/rules */
    char dbpath[192]; /* dir/t.db */
    er_db *db;
    er_ruleset *rs; /* of the last h_run */
    int64_t run;    /* id of the last stored run */
    int jobs;       /* er_run_opts.jobs: 0 (in this process) unless set */
} harness;

/* One stored finding. */
typedef struct h_finding {
    char outcome[16];
    int has_measured, has_required, has_amount;
    double measured, required;
    int64_t amount;
    char unit[64];
    char note[1024];
} h_finding;

static inline harness *h_new(void)
{
    harness *h = calloc(1, sizeof *h);
    assert_non_null(h);
    snprintf(h->dir, sizeof h->dir, "/tmp/er_test_XXXXXX");
    assert_non_null(mkdtemp(h->dir));
    snprintf(h->rules, sizeof h->rules, "%s/rules", h->dir);
    snprintf(h->dbpath, sizeof h->dbpath, "%s/t.db", h->dir);
    assert_int_equal(mkdir(h->rules, 0755), 0);
    assert_int_equal(er_db_init(&h->db, h->dbpath, NULL), ER_OK);
    h->jobs = 0;
    return h;
}

static inline int h_rm_entry(const char *path, const struct stat *st,
                             int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

static inline void h_free(harness *h)
{
    if (!h)
        return;
    er_ruleset_free(h->rs);
    er_db_free(h->db);
    nftw(h->dir, h_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(h);
}

/* Runs SQL on the harness's database (data set-up); fails the test on an
 * error. */
static inline void h_exec(harness *h, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(h->db->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_free(msg);
}

/* Writes `text` to <rules>/<rel>, creating its department folder. */
static inline void h_write(harness *h, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", h->rules, rel);
    for (char *p = path + strlen(h->rules) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            assert_true(mkdir(path, 0755) == 0 || errno == EEXIST);
            *p = '/';
        }
    }
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
}

/* Writes a rule file with one rule: `extra` is one more line of fields
 * (may be ""), `body` the body of evaluate(r). The body's first line is
 * line 9 of the file; evaluate itself is defined on line 8. */
static inline void h_rule(harness *h, const char *rel, const char *id,
                          const char *kind, const char *level,
                          const char *extra, const char *body)
{
    char text[8192];
    snprintf(text, sizeof text,
             "return {\n"
             "  id = \"%s\",\n"
             "  title = \"测试规则\",\n"
             "  basis = \"测试\",\n"
             "  kind = \"%s\",\n"
             "  level = \"%s\",\n"
             "  %s\n"
             "  evaluate = function(r)\n"
             "%s\n"
             "  end,\n"
             "}\n",
             id, kind, level, extra, body);
    h_write(h, rel, text);
}

/* "<rules folder>/<rel>:<line>: <message>", the note of an error finding
 * (a static buffer). */
static inline const char *h_at(harness *h, const char *rel, int line,
                               const char *message)
{
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s/%s:%d: %s", h->rules, rel, line, message);
    return buf;
}

/* Removes a rule file written earlier. */
static inline void h_unlink(harness *h, const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", h->rules, rel);
    assert_int_equal(unlink(path), 0);
}

/* Loads the rules folder (every file must load cleanly) and runs it over
 * the years, optionally for one region. Returns er_run's code. */
static inline int h_run_region(harness *h, int year_from, int year_to,
                               const char *region)
{
    er_ruleset_free(h->rs);
    h->rs = NULL;
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    for (size_t i = 0; i < er_ruleset_diag_count(h->rs); i++)
        print_error("unexpected diagnostic: %s\n", er_ruleset_diag(h->rs, i));
    assert_int_equal(er_ruleset_diag_count(h->rs), 0);
    er_run_opts o = {0};
    o.year_from = year_from;
    o.year_to = year_to;
    o.region = region;
    o.user = "tester";
    o.jobs = h->jobs;
    h->run = 0;
    return er_run(h->db, h->rs, &o, &h->run);
}

static inline int h_run(harness *h, int year_from, int year_to)
{
    return h_run_region(h, year_from, year_to, NULL);
}

/* The first column of the first row of `sql` as text (NULL when SQL NULL
 * or no row): a static buffer, valid until the next call. */
static inline const char *h_text(harness *h, const char *sql)
{
    static char buf[4096];
    sqlite3_stmt *st = NULL;
    const char *out = NULL;
    if (sqlite3_prepare_v2(h->db->db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h->db->db));
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL) {
        snprintf(buf, sizeof buf, "%s", sqlite3_column_text(st, 0));
        out = buf;
    }
    sqlite3_finalize(st);
    return out;
}

static inline long h_count(harness *h, const char *sql)
{
    const char *s = h_text(h, sql);
    return s ? strtol(s, NULL, 10) : -1;
}

/* The number of findings of `rule` in the last run. */
static inline long h_findings(harness *h, const char *rule)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM finding WHERE run = %lld AND rule = '%s'",
             (long long)h->run, rule);
    return h_count(h, sql);
}

/* The one finding of rule/region/year in the last run; fails the test when
 * there is not exactly one. */
#define h_get(h, rule, region, year)                                       \
    h_get_at(h, rule, region, year, __FILE__, __LINE__)
#define h_expect(h, rule, region, year, outcome, note)                     \
    h_expect_at(h, rule, region, year, outcome, note, __FILE__, __LINE__)

static inline h_finding h_get_at(harness *h, const char *rule,
                                 const char *region, int year,
                                 const char *file, int line)
{
    h_finding f;
    memset(&f, 0, sizeof f);
    sqlite3_stmt *st = NULL;
    const char *sql = "SELECT outcome, measured, required, amount, unit, note "
                      "FROM finding WHERE run = ? AND rule = ? AND region = ? "
                      "AND year = ?";
    assert_int_equal(sqlite3_prepare_v2(h->db->db, sql, -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, h->run);
    sqlite3_bind_text(st, 2, rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, region, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, year);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        snprintf(f.outcome, sizeof f.outcome, "%s",
                 sqlite3_column_text(st, 0));
        if ((f.has_measured = sqlite3_column_type(st, 1) != SQLITE_NULL))
            f.measured = sqlite3_column_double(st, 1);
        if ((f.has_required = sqlite3_column_type(st, 2) != SQLITE_NULL))
            f.required = sqlite3_column_double(st, 2);
        if ((f.has_amount = sqlite3_column_type(st, 3) != SQLITE_NULL))
            f.amount = sqlite3_column_int64(st, 3);
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            snprintf(f.unit, sizeof f.unit, "%s", sqlite3_column_text(st, 4));
        if (sqlite3_column_type(st, 5) != SQLITE_NULL)
            snprintf(f.note, sizeof f.note, "%s", sqlite3_column_text(st, 5));
    }
    sqlite3_finalize(st);
    if (rows != 1) {
        print_error("%d findings of %s for %s in %d (expected 1)\n", rows,
                    rule, region, year);
        _fail(file, line);
    }
    return f;
}

/* Asserts the finding's outcome and (unless NULL) its note. */
static inline void h_expect_at(harness *h, const char *rule,
                               const char *region, int year,
                               const char *outcome, const char *note,
                               const char *file, int line)
{
    h_finding f = h_get_at(h, rule, region, year, file, line);
    _assert_string_equal(f.outcome, outcome, file, line);
    if (note)
        _assert_string_equal(f.note, note, file, line);
}

/* A small province: 广东省, three cities and three counties, 2018-2019
 * facts, the catalogs, standards, shares and transfers the tests read. */
static inline void h_small_province(harness *h)
{
    h_exec(h,
           "INSERT INTO region(code, name, name_en, level, parent, zone, "
           "tier) VALUES "
           "('440000', '广东省', 'Guangdong', 'province', NULL, NULL, NULL),"
           "('440100', '广州市', 'Guangzhou', 'city', '440000', 'core', 3),"
           "('440300', '深圳市', 'Shenzhen', 'city', '440000', 'core', 2),"
           "('441400', '梅州市', 'Meizhou', 'city', '440000', 'north', 1),"
           "('440103', '荔湾区', NULL, 'county', '440100', 'core', 3),"
           "('441402', '梅江区', NULL, 'county', '441400', 'north', 1),"
           "('441403', '梅县区', NULL, 'county', '441400', 'north', 1);"
           "INSERT INTO metric(key, name, unit, department) VALUES "
           "('pop.resident', '常住人口', '人', 'finance'),"
           "('health.public_health.spend', '基本公共卫生服务支出', '元', "
           "'health'),"
           "('fin.revenue', '一般公共预算收入', '元', 'finance');"
           "INSERT INTO item(code, category, name, department, unit, "
           "beneficiary_metric) VALUES "
           "('health.public_health', '基本卫生计生', '基本公共卫生服务', "
           "'health', '元/人', 'pop.resident'),"
           "('pension.resident_basic', '基本社会保险', "
           "'城乡居民基本养老保险', 'hrss', '元/月', NULL);"
           "INSERT INTO fact(region, year, metric, value, source) VALUES "
           "('440100', 2018, 'pop.resident', 14903000, 'test'),"
           "('440100', 2019, 'pop.resident', 15308900, 'test'),"
           "('440300', 2018, 'pop.resident', 13026600, 'test'),"
           "('440300', 2019, 'pop.resident', 13438800, 'test'),"
           "('441400', 2018, 'pop.resident', 4350000, 'test'),"
           "('441400', 2019, 'pop.resident', 4380000, 'test'),"
           "('440100', 2019, 'health.public_health.spend', 1100000000, "
           "'test'),"
           "('441400', 2019, 'health.public_health.spend', 280000000, "
           "'test'),"
           "('441400', 2018, 'health.public_health.spend', 247950000, "
           "'test');"
           "INSERT INTO standard(key, scope, region, year_from, year_to, "
           "value, unit, basis) VALUES "
           "('health.public_health', 'national', NULL, 2018, 2018, 55, "
           "'元/人', '国家 2018'),"
           "('health.public_health', 'national', NULL, 2019, NULL, 69, "
           "'元/人', '国家 2019'),"
           "('health.public_health', 'provincial', NULL, 2018, NULL, 60, "
           "'元/人', '省'),"
           "('health.public_health', 'local', '441400', 2019, NULL, 80, "
           "'元/人', '梅州'),"
           "('health.public_health', 'local', '441403', 2019, NULL, 90, "
           "'元/人', '梅县');"
           "INSERT INTO share(item, tier, year_from, year_to, "
           "province_share) VALUES "
           "('health.public_health', 1, 2018, NULL, 0.7),"
           "('health.public_health', 3, 2018, 2018, 0.3),"
           "('health.public_health', 3, 2019, NULL, 0.25);"
           "INSERT INTO transfer(region, year, item, amount) VALUES "
           "('441400', 2019, 'health.public_health', 1000000.5),"
           "('440100', 2019, 'pension.resident_basic', 25);");
}

#endif /* ER_TEST_HARNESS_H */
