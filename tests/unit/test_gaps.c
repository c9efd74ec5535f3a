/*
 * test_gaps.c - what a run could not check: the counts kept per rule and
 * year (run_count), what each finding that assessed nothing lacked
 * (run_gap, carried from the view through workers to the recorder), the
 * summary's assessed coverage, its list of rules that assessed nothing
 * with why, the data gaps grouped by metric and year, the same from an
 * evaluation that stores nothing (er_check_gaps), and the upgrade of a
 * database of schema version 4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"
#include "schema10.h"
#include "report.h"

static int setup(void **state)
{
    harness *h = h_new();
    h_small_province(h);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

/* Rules of the tests: per-capita spending against the binding standard
 * (missing where the spending is), a province rule reading every city,
 * a share reader, and a rule that skips in 2018. */
static void spend_rule(harness *h)
{
    h_rule(h, "health/spend.lua", "health.spend", "compliance", "city", "",
           "    local std = r:standard('health.public_health')\n"
           "    if not std then return skip('无标准') end\n"
           "    local spend = r:fact('health.public_health.spend')\n"
           "    return at_least(spend / r:fact('pop.resident'), std)\n");
}

/* What `fn` writes, as a string (static buffer). */
static const char *captured(harness *h, int64_t run, er_format fmt,
                            int summary)
{
    static char buf[65536];
    FILE *fp = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(fp);
    int rc = summary ? er_run_print_summary(h->db, run, fp, 0)
                     : er_run_print_gaps(h->db, run, fp, fmt);
    assert_int_equal(rc, ER_OK);
    long n = ftell(fp);
    fclose(fp);
    buf[n < 0 ? 0 : n] = '\0';
    return buf;
}

#define assert_contains(hay, needle)                                       \
    do {                                                                   \
        if (!strstr((hay), (needle)))                                      \
            fail_msg("'%s' not in:\n%s", (needle), (hay));                 \
    } while (0)
#define assert_lacks(hay, needle)                                          \
    do {                                                                   \
        if (strstr((hay), (needle)))                                       \
            fail_msg("'%s' unexpectedly in:\n%s", (needle), (hay));        \
    } while (0)

static void test_gaps__counts_are_kept_per_rule_and_year(void **state)
{
    harness *h = *state;
    h_rule(h, "health/late.lua", "health.late", "compliance", "city", "",
           "    if r.year == 2018 then return skip('not yet') end\n"
           "    return pass()\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(year || ':' || outcome || ':' || n, ' ') "
             "FROM (SELECT * FROM run_count WHERE run = %lld "
             "ORDER BY year, outcome)",
             (long long)h->run);
    assert_string_equal(h_text(h, sql), "2018:skip:3 2019:pass:3");
    /* the summary lists 2018 as not assessed, with why */
    const char *s = captured(h, h->run, ER_FORMAT_TEXT, 1);
    assert_contains(s, "assessed (已评估) 3 of 6 findings (50.0%); not "
                       "assessed: 3 skip");
    assert_contains(s, "2018  health.late");
    assert_contains(s, "未评估：全部不适用 (every evaluation skipped) — 3 "
                       "skip");
    assert_lacks(s, "2019  health.late");
    assert_contains(s, "no failing findings");
}

static void test_gaps__missing_records_what_was_lacking(void **state)
{
    harness *h = *state;
    spend_rule(h);
    h_rule(h, "finance/all.lua", "finance.all", "indicator", "province", "",
           "    local total = 0\n"
           "    for _, c in ipairs(r:children('city')) do\n"
           "      total = total + c:fact('health.public_health.spend')\n"
           "    end\n"
           "    return pass()\n");
    h_rule(h, "finance/share.lua", "finance.share", "compliance", "city", "",
           "    return pass(tostring(r:share('health.public_health')))\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(rule || '|' || region || '|' || year || '|' "
             "|| kind || '|' || key || '|' || data_region || '|' || "
             "data_year, ' ') FROM (SELECT * FROM run_gap WHERE run = %lld "
             "ORDER BY rule, year, region)",
             (long long)h->run);
    /* the province rule lacks the first city without spending, read
     * through its view; the share rule the share of tier 2 */
    assert_string_equal(
        h_text(h, sql),
        "finance.all|440000|2018|fact|health.public_health.spend|440100|2018 "
        "finance.all|440000|2019|fact|health.public_health.spend|440300|2019 "
        "finance.share|440300|2018|share|health.public_health|440300|2018 "
        "finance.share|440300|2019|share|health.public_health|440300|2019 "
        "health.spend|440100|2018|fact|health.public_health.spend|440100|2018 "
        "health.spend|440300|2018|fact|health.public_health.spend|440300|2018 "
        "health.spend|440300|2019|fact|health.public_health.spend|440300|2019");
    /* the note says it in Chinese, and in English */
    h_expect(h, "health.spend", "440300", 2019, "missing",
             "缺数据：440300 深圳市 无 health.public_health.spend 的 2019 "
             "年数值 / no value of health.public_health.spend for 440300 "
             "深圳市 in 2019");
}

static void test_gaps__workers_carry_what_was_lacking(void **state)
{
    harness *h = *state;
    spend_rule(h);
    const char *sql_fmt = "SELECT group_concat(region || year || kind || key "
                          "|| data_region, ' ') FROM (SELECT * FROM run_gap "
                          "WHERE run = %lld ORDER BY year, region)";
    char sql[512], in_process[4096];
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    snprintf(sql, sizeof sql, sql_fmt, (long long)h->run);
    snprintf(in_process, sizeof in_process, "%s", h_text(h, sql));
    h->jobs = 2;
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    snprintf(sql, sizeof sql, sql_fmt, (long long)h->run);
    assert_string_equal(h_text(h, sql), in_process);
    assert_non_null(strstr(in_process, "4403002019facthealth"));
}

static void test_gaps__summary_groups_gaps_by_metric_and_year(void **state)
{
    harness *h = *state;
    spend_rule(h);
    h_rule(h, "health/twice.lua", "health.twice", "compliance", "city", "",
           "    return pass(tostring(r:fact('health.public_health.spend')))\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    const char *s = captured(h, h->run, ER_FORMAT_TEXT, 0);
    /* 6 missing findings read as one metric lacking in two years */
    assert_contains(s, "data gaps (数据缺口): 6 missing findings lack 1 "
                       "metric\n");
    assert_contains(s, "health.public_health.spend（基本公共卫生服务支出）: 2 "
                       "regions, 2018 (广州市, 深圳市): 4 findings of 2 rules "
                       "missing");
    assert_contains(s, "health.public_health.spend（基本公共卫生服务支出）: 1 "
                       "region, 2019 (深圳市): 2 findings of 2 rules missing");
    s = captured(h, h->run, ER_FORMAT_JSON, 0);
    assert_contains(s, "{\"kind\": \"fact\", \"key\": "
                       "\"health.public_health.spend\", \"name\": "
                       "\"基本公共卫生服务支出\", \"year\": 2018, "
                       "\"findings\": 4, \"rules\": 2, \"regions\": "
                       "[{\"code\": \"440100\", \"name\": \"广州市\"}, "
                       "{\"code\": \"440300\", \"name\": \"深圳市\"}]}");
}

static void test_gaps__a_rule_without_standard_is_listed_as_not_assessed(
    void **state)
{
    harness *h = *state;
    h_exec(h, "DELETE FROM standard");
    spend_rule(h);
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    const char *s = captured(h, h->run, ER_FORMAT_TEXT, 1);
    assert_contains(s, "assessed (已评估) 0 of 3 findings (0.0%)");
    assert_contains(s, "no evaluation was assessed");
    assert_contains(s, "2019  health.spend");
    assert_contains(s, "未评估：本年度无标准 (no standard in force: "
                       "health.public_health) — 3 skip");
    assert_lacks(s, "no failing findings");
    /* the standard is named among the data gaps */
    assert_contains(s, "standard health.public_health（标准）: none in force "
                       "in 2019 (本年度无标准) for 3 regions (广州市, 深圳市, "
                       "梅州市)");
}

static void test_gaps__a_rule_lacking_data_names_the_metrics(void **state)
{
    harness *h = *state;
    h_rule(h, "health/revenue.lua", "health.revenue", "compliance", "city",
           "", "    return pass(tostring(r:fact('fin.revenue')))\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    const char *s = captured(h, h->run, ER_FORMAT_TEXT, 1);
    assert_contains(s, "缺数据 (missing data): fin.revenue（一般公共预算收入）"
                       " ×3 — 3 missing");
    s = captured(h, h->run, ER_FORMAT_MD, 0);
    assert_contains(s, "| 2019 | health.revenue | 缺数据 (missing data): "
                       "fin.revenue（一般公共预算收入） ×3 — 3 missing |");
}

static void test_gaps__a_rule_that_evaluated_nothing_is_listed(void **state)
{
    harness *h = *state;
    h_rule(h, "health/now.lua", "health.now", "compliance", "city", "",
           "    return pass()\n");
    h_rule(h, "health/future.lua", "health.future", "compliance", "city",
           "effective = { from = 2030 },", "    return pass()\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    const char *s = captured(h, h->run, ER_FORMAT_TEXT, 1);
    assert_contains(s, "  ----  health.future");
    assert_contains(s, "未评估：没有评估 (no evaluation: no region of its "
                       "level, or not in effect in the run's years)");
    s = captured(h, h->run, ER_FORMAT_JSON, 0);
    assert_contains(s, "{\"rule\": \"health.future\", \"year\": null, "
                       "\"reason\": ");
    /* a run whose every rule evaluated nothing assessed nothing */
    h_unlink(h, "health/now.lua");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    s = captured(h, h->run, ER_FORMAT_TEXT, 1);
    assert_contains(s, "assessed (已评估) 0 of 0 findings (—)");
    assert_contains(s, "no evaluation was assessed");
    assert_lacks(s, "no failing findings");
}

static void test_gaps__check_evaluates_without_storing_a_run(void **state)
{
    harness *h = *state;
    spend_rule(h);
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    er_run_opts o = {.year_from = 2018, .year_to = 2019, .jobs = 0};
    long counts[ER_OUTCOME_COUNT];
    char buf[8192];
    FILE *fp = fmemopen(buf, sizeof buf - 1, "w");
    assert_non_null(fp);
    assert_int_equal(
        er_check_gaps(h->db, h->rs, &o, fp, ER_FORMAT_TEXT, counts), ER_OK);
    long n = ftell(fp);
    fclose(fp);
    buf[n] = '\0';
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), 0);
    assert_int_equal(counts[ER_MISSING], 3);
    assert_int_equal(counts[ER_PASS] + counts[ER_FAIL], 3);
    assert_contains(buf, "assessed (已评估) 3 of 6 findings (50.0%); not "
                         "assessed: 3 missing");
    assert_contains(buf, "health.public_health.spend（基本公共卫生服务支出）: "
                         "2 regions, 2018 (广州市, 深圳市): 2 findings of 1 "
                         "rule missing");
}

static void test_gaps__upgrade_recounts_by_year_and_reads_old_notes(
    void **state)
{
    harness *h = *state;
    /* a run as schema version 4 stored it */
    h_exec(h,
           "INSERT INTO run(id, started_at, status, years, engine_version) "
           "VALUES (7, '2020-01-01T00:00:00Z', 'done', '2018-2019', '0.1');"
           "INSERT INTO finding(run, rule, region, year, outcome, note) "
           "VALUES (7, 'health.a', '440300', 2018, 'missing', 'no value of "
           "pop.resident for 440300 深圳市 in 2018'),"
           "(7, 'health.a', '440300', 2019, 'missing', 'no value of "
           "health.public_health.spend for 440300 深圳市 in 2019 (metric "
           "not in the catalog)'),"
           "(7, 'health.a', '440100', 2019, 'pass', NULL),"
           "(7, 'health.a', '441400', 2019, 'missing', 'no provincial share "
           "of x for tier 1 in 2019');"
           ER_TEST_UNDO_V12
           ER_TEST_FINDING_TO_V10
           "DROP TABLE run_gap; DROP TABLE run_count;"
           "DROP TABLE split; DROP TABLE city_transfer;"
           "CREATE TABLE run_count(run INTEGER NOT NULL REFERENCES run(id) "
           "ON DELETE CASCADE, rule TEXT NOT NULL, outcome TEXT NOT NULL, "
           "n INTEGER NOT NULL, amount INTEGER, PRIMARY KEY (run, rule, "
           "outcome)) WITHOUT ROWID;"
           "INSERT INTO run_count SELECT run, rule, outcome, count(*), "
           "sum(amount) FROM finding GROUP BY run, rule, outcome;"
           "ALTER TABLE metric DROP COLUMN aggregate;"
           "ALTER TABLE metric DROP COLUMN max_open;"
           "ALTER TABLE metric DROP COLUMN max;"
           "ALTER TABLE metric DROP COLUMN min_open;"
           "ALTER TABLE metric DROP COLUMN min;"
           "ALTER TABLE metric DROP COLUMN integer;"
           "ALTER TABLE metric DROP COLUMN kind;"
           "DROP TABLE national_average;"
           "ALTER TABLE run DROP COLUMN scope;"
           /* the additions of schema version 13 (rule sources) */
           "DROP TABLE run_source; DROP TABLE rule_source;"
           "ALTER TABLE run DROP COLUMN replay;"
           "PRAGMA user_version = 4;");
    er_db_free(h->db);
    h->db = NULL;
    int from = 0;
    assert_int_equal(er_db_init(&h->db, h->dbpath, &from), ER_OK);
    assert_int_equal(from, 4);
    assert_string_equal(
        h_text(h, "SELECT group_concat(year || ':' || outcome || ':' || n, "
                  "' ') FROM (SELECT * FROM run_count ORDER BY year, "
                  "outcome)"),
        "2018:missing:1 2019:missing:2 2019:pass:1");
    assert_string_equal(
        h_text(h, "SELECT group_concat(kind || '|' || key || '|' || "
                  "data_region || '|' || data_year, ' ') FROM (SELECT * "
                  "FROM run_gap ORDER BY year)"),
        "fact|pop.resident|440300|2018 "
        "fact|health.public_health.spend|440300|2019");
    const char *s = captured(h, 7, ER_FORMAT_TEXT, 0);
    assert_contains(s, "pop.resident（常住人口）: 1 region, 2018 (深圳市)");
}

/* A rule's own missing(note, gaps): one run_gap row per entry (region and
 * year default to the finding's), sorted and without repeats, the same
 * through workers, and counted in the summary by what was lacking. */
static void test_gaps__a_rule_missing_with_gaps_records_each_one(
    void **state)
{
    harness *h = *state;
    h_rule(h, "finance/own.lua", "finance.own", "indicator", "province", "",
           "    return missing('两市缺数据', {\n"
           "      { region = '440300', metric = 'pop.resident', year = 2018 },\n"
           "      { region = '440100', metric = 'health.public_health.spend' },\n"
           "      { region = '440100', item = 'health.public_health' },\n"
           "      { transfer = 'health.public_health' },\n"
           "      { region = '440100', metric = 'health.public_health.spend' },\n"
           "    })\n");
    const char *sql_fmt =
        "SELECT group_concat(rule || '|' || region || '|' || year || '|' || "
        "kind || '|' || key || '|' || data_region || '|' || data_year, ' ') "
        "FROM (SELECT * FROM run_gap WHERE run = %lld ORDER BY rowid)";
    const char *want =
        "finance.own|440000|2019|fact|health.public_health.spend|440100|2019 "
        "finance.own|440000|2019|fact|pop.resident|440300|2018 "
        "finance.own|440000|2019|share|health.public_health|440100|2019 "
        "finance.own|440000|2019|transfer|health.public_health|440000|2019";
    char sql[512];
    for (int jobs = 0; jobs <= 2; jobs += 2) {
        h->jobs = jobs;
        assert_int_equal(h_run(h, 2019, 2019), ER_OK);
        h_expect(h, "finance.own", "440000", 2019, "missing", "两市缺数据");
        snprintf(sql, sizeof sql, sql_fmt, (long long)h->run);
        assert_string_equal(h_text(h, sql), want);
    }
    const char *s = captured(h, h->run, ER_FORMAT_TEXT, 0);
    /* one finding, counted once though it lacks four things */
    assert_contains(s, "data gaps (数据缺口): 1 missing finding lack 2 "
                       "metrics and 1 provincial share and 1 transfer\n");
    assert_contains(s, "pop.resident（常住人口）: 1 region, 2018 (深圳市): 1 "
                       "finding of 1 rule missing");
    assert_contains(s, "transfer health.public_health（转移支付）: 1 region, "
                       "2019 (广东省): 1 finding of 1 rule missing");
}

/* A bad entry of missing(note, gaps) is the rule's mistake: an error
 * naming the rule's line and what is wrong, never a quiet missing. */
static void test_gaps__a_bad_gap_entry_is_an_error_at_the_rules_line(
    void **state)
{
    harness *h = *state;
    static const struct {
        const char *entry, *says;
    } bad[] = {
        {"{ region = '440100', metric = 'no.such' }",
         "missing: gaps[2].metric 'no.such' is not in the metric catalog"},
        {"{ region = '999999', metric = 'pop.resident' }",
         "missing: gaps[2].region '999999' is not a known region code"},
        {"{ metric = 'pop.resident', item = 'health.public_health' }",
         "missing: gaps[2] names both item and metric"},
        {"{ region = '440100' }", "missing: gaps[2] names nothing lacking"},
        {"{ metric = 'pop.resident', reason = 'x' }",
         "missing: gaps[2] has an unknown field reason"},
        {"{ metric = 'pop.resident', year = 2019.5 }",
         "missing: gaps[2].year must be a whole year"},
        {"'pop.resident'", "missing: gaps[2] is a string, not a table"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[1024];
        snprintf(body, sizeof body,
                 "    return missing('缺数据', {\n"
                 "      { metric = 'pop.resident' },\n"
                 "      %s })\n",
                 bad[i].entry);
        h_rule(h, "finance/own.lua", "finance.own", "indicator", "province",
               "", body);
        assert_int_equal(h_run(h, 2019, 2019), ER_OK);
        h_finding f = h_get(h, "finance.own", "440000", 2019);
        assert_string_equal(f.outcome, "error");
        assert_contains(f.note, "finance/own.lua:9: ");
        assert_contains(f.note, bad[i].says);
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM run_gap WHERE run = %lld",
                 (long long)h->run);
        assert_int_equal(h_count(h, sql), 0);
    }
    /* gaps that are not a list */
    h_rule(h, "finance/own.lua", "finance.own", "indicator", "province", "",
           "    return missing('缺数据', { metric = 'pop.resident' })\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_finding f = h_get(h, "finance.own", "440000", 2019);
    assert_string_equal(f.outcome, "error");
    assert_contains(f.note, "finance/own.lua:9: missing: gaps must be a list");
}

/* The helpers' collector passes what it recorded: every region lacking a
 * usable figure is a structured gap, with the metric, whether the value
 * is absent, 0 or negative. */
static void test_gaps__the_lua_collector_passes_every_gap(void **state)
{
    harness *h = *state;
    h_exec(h, "UPDATE fact SET value = 0 WHERE region = '440100' AND "
             "metric = 'pop.resident' AND year = 2019");
    h_rule(h, "finance/total.lua", "finance.total", "indicator", "province",
           "",
           "    local peers = require 'peers'\n"
           "    local t, gap = peers.totals(r, 'health.public_health.spend',\n"
           "                                'pop.resident')\n"
           "    if not t then return gap end\n"
           "    return pass()\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_finding f = h_get(h, "finance.total", "440000", 2019);
    assert_string_equal(f.outcome, "missing");
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(kind || '|' || key || '|' || data_region "
             "|| '|' || data_year, ' ') FROM (SELECT * FROM run_gap WHERE "
             "run = %lld ORDER BY rowid)",
             (long long)h->run);
    assert_string_equal(h_text(h, sql),
                        "fact|health.public_health.spend|440300|2019 "
                        "fact|pop.resident|440100|2019");
}

/* facts.lua's collector: an absent value, a count of 0 and a negative
 * count are each a structured gap under their metric; a gap of another
 * kind is passed as such, one that is not data (a classification) is in
 * the note only. */
static void test_gaps__the_facts_collector_structures_each_kind(
    void **state)
{
    harness *h = *state;
    h_exec(h, "UPDATE fact SET value = 0 WHERE region = '441400' AND "
              "metric = 'pop.resident' AND year = 2019;"
              "UPDATE fact SET value = -5 WHERE region = '440300' AND "
              "metric = 'pop.resident' AND year = 2019;");
    h_rule(h, "finance/collect.lua", "finance.collect", "indicator",
           "province", "",
           "    local facts = require 'facts'\n"
           "    local gaps = facts.gaps()\n"
           "    for _, c in ipairs(r:children('city')) do\n"
           "      gaps:amount(c, 'fin.revenue')\n"
           "      gaps:count(c, 'pop.resident')\n"
           "    end\n"
           "    gaps:add(r, 'transfer health.public_health', '无拨付',\n"
           "             { transfer = 'health.public_health' })\n"
           "    gaps:add(r, '分组', '未归入任何分组', false)\n"
           "    return gaps:missing()\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_finding f = h_get(h, "finance.collect", "440000", 2019);
    assert_string_equal(f.outcome, "missing");
    assert_contains(f.note, "深圳市 pop.resident 为 -5（须大于 0）");
    assert_contains(f.note, "梅州市 pop.resident 为 0（须大于 0）");
    assert_contains(f.note, "广东省 分组 未归入任何分组");
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(kind || '|' || key || '|' || data_region "
             "|| '|' || data_year, ' ') FROM (SELECT * FROM run_gap WHERE "
             "run = %lld ORDER BY rowid)",
             (long long)h->run);
    assert_string_equal(h_text(h, sql),
                        "fact|fin.revenue|440100|2019 "
                        "fact|fin.revenue|440300|2019 "
                        "fact|fin.revenue|441400|2019 "
                        "fact|pop.resident|440300|2019 "
                        "fact|pop.resident|441400|2019 "
                        "transfer|health.public_health|440000|2019");
    /* one finding lacking a metric for three cities counts once */
    const char *s = captured(h, h->run, ER_FORMAT_TEXT, 0);
    assert_contains(s, "缺数据 (missing data): fin.revenue（一般公共预算收入） "
                       "×1, pop.resident（常住人口） ×1, transfer "
                       "health.public_health ×1 — 1 missing");
    assert_contains(s, "fin.revenue（一般公共预算收入）: 3 regions, 2019 "
                       "(广州市, 深圳市, 梅州市): 1 finding of 1 rule missing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_gaps__counts_are_kept_per_rule_and_year, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__missing_records_what_was_lacking, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__workers_carry_what_was_lacking, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__summary_groups_gaps_by_metric_and_year, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__a_rule_without_standard_is_listed_as_not_assessed,
            setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__a_rule_lacking_data_names_the_metrics, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__a_rule_that_evaluated_nothing_is_listed, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__check_evaluates_without_storing_a_run, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__upgrade_recounts_by_year_and_reads_old_notes, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__a_rule_missing_with_gaps_records_each_one, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__a_bad_gap_entry_is_an_error_at_the_rules_line, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__the_lua_collector_passes_every_gap, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_gaps__the_facts_collector_structures_each_kind, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
