/*
 * test_engine.c - a run through the public API (er_run): what `jobs` means
 * (the same as `--jobs`), the progress callback that replaces the engine's
 * own terminal output, a run whose money totals do not fit, rules of
 * several levels, and a region (or years) no selected rule evaluates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness.h"

/* A harness holding the built-in sample, with the shipped rules loaded. */
static harness *sample(er_ruleset **rs_out)
{
    harness *h = h_new();
    assert_int_equal(er_db_load_sample(h->db), ER_OK);
    assert_int_equal(er_ruleset_load(rs_out, ER_SOURCE_DIR "/rules"), ER_OK);
    assert_int_equal(er_ruleset_diag_count(*rs_out), 0);
    return h;
}

static void test_engine__jobs_mean_what_the_command_line_means(void **state)
{
    (void)state;
    er_ruleset *rs = NULL;
    harness *h = sample(&rs);
    er_run_stats stats;
    er_run_opts o = {.year_from = 2019, .stats = &stats};

    /* 0, as `--jobs 0`: in this process, without workers */
    o.jobs = 0;
    assert_int_equal(er_run(h->db, rs, &o, NULL), ER_OK);
    assert_int_equal(stats.jobs, 0);
    /* N: N workers */
    o.jobs = 2;
    assert_int_equal(er_run(h->db, rs, &o, NULL), ER_OK);
    assert_int_equal(stats.jobs, 2);
    /* ER_JOBS_AUTO, the command line's default: one per core */
    o.jobs = ER_JOBS_AUTO;
    assert_int_equal(er_run(h->db, rs, &o, NULL), ER_OK);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    assert_int_equal(stats.jobs, cores > 0 ? cores : 1);
    /* anything else is refused, and nothing is recorded */
    long runs = h_count(h, "SELECT count(*) FROM run");
    o.jobs = -2;
    assert_int_equal(er_run(h->db, rs, &o, NULL), ER_EUSAGE);
    assert_string_equal(er_errmsg(), "jobs -2: a number of workers, 0 (in "
                                     "this process) or ER_JOBS_AUTO (one per "
                                     "core)");
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), runs);
    er_ruleset_free(rs);
    h_free(h);
}

typedef struct seen {
    int calls;
    char phases[8][16]; /* phases in the order they began */
    int nphases;
    long last_done[8], last_total[8];
    bool backwards;  /* done went down within a phase */
    bool late_start; /* a phase's first call had done > 0 */
} seen;

static void record_progress(void *ctx, const char *phase, long done,
                            long total)
{
    seen *s = ctx;
    s->calls++;
    if (!s->nphases || strcmp(s->phases[s->nphases - 1], phase) != 0) {
        assert_true(s->nphases < 8);
        if (done != 0)
            s->late_start = true;
        snprintf(s->phases[s->nphases++], sizeof s->phases[0], "%s", phase);
    } else if (done < s->last_done[s->nphases - 1]) {
        s->backwards = true;
    }
    s->last_done[s->nphases - 1] = done;
    s->last_total[s->nphases - 1] = total;
}

static void progress_of(int jobs)
{
    er_ruleset *rs = NULL;
    harness *h = sample(&rs);
    er_run_stats stats;
    seen s = {0};
    er_run_opts o = {.year_from = 2018, .year_to = 2020, .jobs = jobs,
                     .progress = record_progress, .progress_ctx = &s,
                     .stats = &stats};
    assert_int_equal(er_run(h->db, rs, &o, NULL), ER_OK);
    /* evaluating, then recording, each from done == 0 to done == total */
    assert_int_equal(s.nphases, 2);
    assert_string_equal(s.phases[0], "evaluating");
    assert_string_equal(s.phases[1], "recording");
    assert_false(s.backwards);
    assert_false(s.late_start);
    assert_int_equal(s.last_done[0], stats.evaluations);
    assert_int_equal(s.last_total[0], stats.evaluations);
    assert_int_equal(s.last_done[1], stats.findings);
    assert_int_equal(s.last_total[1], stats.findings);
    assert_true(stats.findings > 2000);
    er_ruleset_free(rs);
    h_free(h);
}

static void test_engine__progress_reports_each_phase_in_process(void **state)
{
    (void)state;
    progress_of(0);
}

static void test_engine__progress_reports_each_phase_with_workers(void **state)
{
    (void)state;
    progress_of(2);
}

static void test_engine__a_total_that_does_not_fit_is_not_recorded(
    void **state)
{
    (void)state;
    harness *h = h_new();
    assert_int_equal(er_db_load_sample(h->db), ER_OK);
    /* each amount fits in 64-bit fen (6e18), the two together do not
     * (integers: a float amount may not pass 2^53 fen) */
    h_rule(h, "finance/a.lua", "finance.a", "cut", "province", "",
           "    return cut(60000000000000000)");
    h_rule(h, "finance/b.lua", "finance.b", "cut", "province", "",
           "    return cut(60000000000000000)");
    assert_int_equal(h_run(h, 2019, 2019), ER_EDATA);
    assert_string_equal(er_errmsg(),
                        "the cut amounts of the run add up to more than "
                        "92,233,720,368,547,758.07 元 (reached with rule "
                        "finance.b), the largest total that can be stored; "
                        "the run is not recorded");
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), 0);
    assert_int_equal(h_count(h, "SELECT count(*) FROM finding"), 0);
    /* one of them alone is recorded to the fen */
    h_unlink(h, "finance/b.lua");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    er_run_summary sum;
    assert_int_equal(er_run_summarize(h->db, h->run, &sum), ER_OK);
    assert_true(sum.cut_fen == INT64_C(6000000000000000000));
    assert_int_equal(sum.counts[ER_CUT], 1);
    h_free(h);
}

/* require caches a module per environment: a file requiring it twice
 * gets the same table (the module runs once). */
static void test_engine__require_runs_a_module_once_per_file(void **state)
{
    (void)state;
    harness *h = h_new();
    assert_int_equal(er_db_load_sample(h->db), ER_OK);
    h_write(h, "health/twice.lua",
            "local a, b = require \"stats\", require \"stats\"\n"
            "return {\n"
            "  id = \"health.twice\", title = \"测试规则\", basis = \"测试\",\n"
            "  kind = \"compliance\", level = \"province\",\n"
            "  evaluate = function(r) return pass(tostring(a == b)) end,\n"
            "}\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.twice", "440000", 2019, "pass", "true");
    h_free(h);
}

/* A rule naming two levels is evaluated for every region of each, with
 * workers as in this process; its level is recorded as written in the
 * rules list ("city,county"). */
static void levels_of(int jobs)
{
    harness *h = h_new();
    h->jobs = jobs;
    h_small_province(h);
    h_write(h, "health/both.lua",
            "return {\n"
            "  id = \"health.both\", title = \"测试规则\", basis = \"测试\",\n"
            "  kind = \"compliance\", level = { \"county\", \"city\" },\n"
            "  evaluate = function(r) return pass(r.level) end,\n"
            "}\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    assert_int_equal(h_findings(h, "health.both"), 6);
    h_expect(h, "health.both", "441400", 2019, "pass", "city");
    h_expect(h, "health.both", "441402", 2019, "pass", "county");
    h_expect(h, "health.both", "440103", 2019, "pass", "county");
    assert_int_equal(h_count(h, "SELECT count(*) FROM finding WHERE region "
                                "= '440000'"),
                     0);
    assert_string_equal(h_text(h, "SELECT level FROM run_rule WHERE rule = "
                                  "'health.both'"),
                        "city,county");
    /* one county of it */
    assert_int_equal(h_run_region(h, 2019, 2019, "441403"), ER_OK);
    assert_int_equal(h_findings(h, "health.both"), 1);
    h_expect(h, "health.both", "441403", 2019, "pass", "county");
    h_free(h);
}

static void test_engine__a_rule_of_two_levels_evaluates_both(void **state)
{
    (void)state;
    levels_of(0);
    levels_of(2);
}

/* The evaluations of one work unit run together (eval.c) and reuse one
 * region view, yet each is its own: an evaluation that raises, reads
 * missing data or assigns file-level state gives exactly its own finding,
 * the view an evaluation kept in a file-level local is gone before the
 * next one (the local is put back), and every evaluation reads its own
 * region. */
static void apart_of(int jobs)
{
    harness *h = h_new();
    h->jobs = jobs;
    h_small_province(h);
    h_write(h, "health/apart.lua",
            "local seen = nil\n"
            "return {\n"
            "  id = \"health.apart\", title = \"测试规则\", basis = \"测试\",\n"
            "  kind = \"compliance\", level = { \"county\", \"city\" },\n"
            "  evaluate = function(r)\n"
            "    if seen ~= nil then return fail(\"kept \" .. seen.code) end\n"
            "    if r.code == \"440300\" then seen = r; return pass() end\n"
            "    if r.code == \"441400\" then error(\"boom\") end\n"
            "    if r.code == \"441402\" then r:fact(\"pop.resident\") end\n"
            "    return pass(r.code .. \" \" .. r.level .. \" \" .. r.year)\n"
            "  end,\n"
            "}\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    assert_int_equal(h_findings(h, "health.apart"), 6);
    h_expect(h, "health.apart", "440100", 2019, "pass", "440100 city 2019");
    h_expect(h, "health.apart", "440103", 2019, "pass",
             "440103 county 2019");
    h_expect(h, "health.apart", "440300", 2019, "error",
             h_at(h, "health/apart.lua", 5,
                  "file-level local 'seen' was assigned during evaluation; "
                  "file-level state is read-only during evaluation (use a "
                  "local inside evaluate)"));
    h_expect(h, "health.apart", "441400", 2019, "error",
             h_at(h, "health/apart.lua", 8, "boom"));
    h_finding f = h_get_at(h, "health.apart", "441402", 2019, __FILE__,
                           __LINE__);
    assert_string_equal(f.outcome, "missing");
    assert_non_null(strstr(f.note, "no value of pop.resident for 441402"));
    h_expect(h, "health.apart", "441403", 2019, "pass",
             "441403 county 2019");
    h_free(h);
}

static void test_engine__each_evaluation_of_a_unit_is_its_own(void **state)
{
    (void)state;
    apart_of(0);
    apart_of(1);
    apart_of(3);
}

/* `run --region` on a region of a level no selected rule evaluates is a
 * usage error naming the region, its level and the rules' levels; no run
 * is stored. */
static void test_engine__a_region_no_rule_evaluates_is_refused(void **state)
{
    (void)state;
    harness *h = h_new();
    h_small_province(h);
    h_rule(h, "health/city.lua", "health.city", "compliance", "city", "",
           "    return pass()");
    h_rule(h, "finance/prov.lua", "finance.prov", "indicator", "province",
           "", "    return pass()");
    assert_int_equal(h_run_region(h, 2019, 2019, "441402"), ER_EUSAGE);
    assert_string_equal(er_errmsg(),
                        "no selected rule evaluates 441402 梅江区, a county: "
                        "the selected rules evaluate province,city regions; "
                        "nothing was run");
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), 0);
    /* a city is evaluated */
    assert_int_equal(h_run_region(h, 2019, 2019, "441400"), ER_OK);
    assert_int_equal(h_findings(h, "health.city"), 1);
    h_free(h);
}

/* A run of a region over years in which none of the selected rules that
 * evaluate its level is in force is a usage error naming the region, the
 * years and the rules' effective years; no run is stored. (A whole run
 * is stored and says it assessed nothing: test_gaps.) */
static void test_engine__years_no_rule_is_in_force_are_refused(void **state)
{
    (void)state;
    harness *h = h_new();
    h_small_province(h);
    h_rule(h, "health/city.lua", "health.city", "compliance", "city",
           "effective = { from = 2019 },", "    return pass()");
    h_rule(h, "finance/prov.lua", "finance.prov", "indicator", "province",
           "effective = { from = 2020 },", "    return pass()");
    assert_int_equal(h_run_region(h, 2019, 2019, "440000"), ER_EUSAGE);
    assert_string_equal(er_errmsg(),
                        "no selected rule that evaluates 440000 广东省, a "
                        "province, is in force in 2019 (finance.prov from "
                        "2020); nothing was run");
    assert_int_equal(h_run_region(h, 2018, 2018, "441400"), ER_EUSAGE);
    assert_string_equal(er_errmsg(),
                        "no selected rule that evaluates 441400 梅州市, a "
                        "city, is in force in 2018 (health.city from "
                        "2019); nothing was run");
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), 0);
    /* a span with a year in force runs */
    assert_int_equal(h_run_region(h, 2018, 2019, "441400"), ER_OK);
    assert_int_equal(h_findings(h, "health.city"), 1);
    h_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine__jobs_mean_what_the_command_line_means),
        cmocka_unit_test(test_engine__require_runs_a_module_once_per_file),
        cmocka_unit_test(test_engine__progress_reports_each_phase_in_process),
        cmocka_unit_test(
            test_engine__progress_reports_each_phase_with_workers),
        cmocka_unit_test(
            test_engine__a_total_that_does_not_fit_is_not_recorded),
        cmocka_unit_test(test_engine__a_rule_of_two_levels_evaluates_both),
        cmocka_unit_test(test_engine__each_evaluation_of_a_unit_is_its_own),
        cmocka_unit_test(test_engine__a_region_no_rule_evaluates_is_refused),
        cmocka_unit_test(test_engine__years_no_rule_is_in_force_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
