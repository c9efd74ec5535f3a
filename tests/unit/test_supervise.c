/*
 * test_supervise.c - rule code under a supervisor: the limits a user gives
 * are checked against their ranges, the kill deadline cannot overflow, a
 * rule file whose loading hangs in C code is dropped with a diagnostic
 * while the others load, and the rules folder's symlinks neither leak
 * files from outside nor loop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness.h"

#include <dirent.h>
#include <signal.h>

/* ---- limits ----------------------------------------------------------------- */

static void test_supervise__limits_out_of_range_are_refused(void **state)
{
    (void)state;
    harness *h = h_new();
    h_rule(h, "demo/a.lua", "demo.a", "compliance", "province", "",
           "    return pass()");
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    static const struct {
        double timeout;
        long instructions, memory;
        const char *message;
    } bad[] = {
        {INFINITY, 0, 0, "timeout inf: give seconds, more than 0 and at most "
                         "86400 (one day)"},
        {NAN, 0, 0, "timeout nan: give seconds"},
        {1e10, 0, 0, "timeout 1e+10: give seconds"},
        {-1, 0, 0, "timeout -1: give seconds"},
        {0, 10, 0, "instruction budget 10: give 1000 to 1000000000000"},
        {0, 0, 1024, "memory limit of 1024 bytes: give 1 MB to 1048576 MB"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        er_run_opts o = {0};
        o.jobs = -1;
        o.timeout = bad[i].timeout;
        o.max_instructions = bad[i].instructions;
        o.max_memory = bad[i].memory;
        assert_int_equal(er_run(h->db, h->rs, &o, NULL), ER_EUSAGE);
        if (strncmp(er_errmsg(), bad[i].message, strlen(bad[i].message)) != 0)
            fail_msg("got \"%s\", expected \"%s...\"", er_errmsg(),
                     bad[i].message);
    }
    /* nothing was recorded */
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), 0);
    h_free(h);
}

static void test_supervise__kill_deadline_does_not_overflow(void **state)
{
    (void)state;
    assert_true(er_kill_after_ns(2.0) == 2750000000LL);
    /* the largest timeout allowed: about 30 hours, no overflow */
    assert_true(er_kill_after_ns(ER_TIMEOUT_MAX) ==
                (int64_t)((ER_TIMEOUT_MAX * 1.25 + 0.25) * 1e9));
    /* values the checks refuse still give a sane deadline */
    assert_true(er_kill_after_ns(1e300) == er_kill_after_ns(ER_TIMEOUT_MAX));
    assert_true(er_kill_after_ns(INFINITY) ==
                er_kill_after_ns(ER_TIMEOUT_MAX));
    assert_true(er_kill_after_ns(NAN) == er_kill_after_ns(ER_DEFAULT_TIMEOUT));
    assert_true(er_kill_after_ns(-5) == er_kill_after_ns(ER_DEFAULT_TIMEOUT));
}

/* ---- the supervised call ------------------------------------------------------ */

enum { CHILD_SENDS, CHILD_FAILS, CHILD_HANGS, CHILD_CRASHES, CHILD_IDLE };

static int child_fn(void *ctx, er_child *c)
{
    er_sandbox *sb = ctx;
    switch (sb->budget) { /* the behaviour, smuggled in the budget */
    case CHILD_SENDS:
        er_child_send(c, "hello, ", 7);
        return er_child_send(c, "supervisor", 10);
    case CHILD_FAILS:
        return er_fail(ER_EDATA, "the child's own error");
    case CHILD_HANGS: /* in C code, armed: only the supervisor stops it */
        er_sandbox_doing(sb, 7, "spinning in C");
        er_sandbox_arm(sb);
        for (volatile int i = 0;; i++)
            ;
    case CHILD_CRASHES:
        er_sandbox_doing(sb, 3, "crashing on purpose");
        er_sandbox_arm(sb);
        raise(SIGSEGV);
        return ER_OK;
    default: /* not armed: no deadline, however long it takes */
        usleep(600 * 1000);
        return ER_OK;
    }
}

static void test_supervise__child_result_data_and_error_come_back(
    void **state)
{
    (void)state;
    er_sandbox sb;
    memset(&sb, 0, sizeof sb);
    sb.timeout = 0.1;
    er_buf out;
    er_buf_init(&out);
    er_stopped st;
    sb.budget = CHILD_SENDS;
    assert_int_equal(er_supervise(child_fn, &sb, &sb, &out, &st), ER_OK);
    assert_false(st.stopped);
    assert_int_equal(out.len, 17);
    assert_memory_equal(out.data, "hello, supervisor", 17);
    sb.budget = CHILD_FAILS;
    assert_int_equal(er_supervise(child_fn, &sb, &sb, NULL, &st), ER_EDATA);
    assert_string_equal(er_errmsg(), "the child's own error");
    assert_false(st.stopped);
    sb.budget = CHILD_IDLE; /* 0.6 s unarmed: past the deadline, not killed */
    assert_int_equal(er_supervise(child_fn, &sb, &sb, NULL, &st), ER_OK);
    er_buf_free(&out);
}

static void test_supervise__hang_and_crash_are_named(void **state)
{
    (void)state;
    er_sandbox sb;
    memset(&sb, 0, sizeof sb);
    sb.timeout = 0.1;
    er_stopped st;
    sb.budget = CHILD_HANGS;
    assert_int_equal(er_supervise(child_fn, &sb, &sb, NULL, &st), ER_ERULE);
    assert_string_equal(er_errmsg(),
                        "timeout: spinning in C did not finish within 0.1 s "
                        "and was stopped (a hang the instruction limit "
                        "cannot stop)");
    assert_true(st.stopped && st.timed_out);
    assert_int_equal(st.key, 7);
    sb.budget = CHILD_CRASHES;
    assert_int_equal(er_supervise(child_fn, &sb, &sb, NULL, &st), ER_ERULE);
    assert_string_equal(er_errmsg(), "crashed with signal 11 (Segmentation "
                                     "fault) while crashing on purpose");
    assert_true(st.stopped && !st.timed_out);
    assert_int_equal(st.signal, SIGSEGV);
    assert_int_equal(st.key, 3);
}

/* ---- symbolic links in a rules folder ------------------------------------------ */

/* Whether some diagnostic of the last load contains `text`. */
static bool has_diag(const er_ruleset *rs, const char *text)
{
    for (size_t i = 0; i < er_ruleset_diag_count(rs); i++)
        if (strstr(er_ruleset_diag(rs, i), text))
            return true;
    return false;
}

static void test_supervise__symlink_to_a_file_outside_is_not_read(void **state)
{
    (void)state;
    harness *h = h_new();
    char outside[256], link[256];
    /* a "secret" outside the rules folder that would leak in a syntax
     * error if it were compiled */
    snprintf(outside, sizeof outside, "%s/secret.lua", h->dir);
    FILE *fp = fopen(outside, "w");
    assert_non_null(fp);
    fputs("password = hunter2 hunter3\n", fp);
    fclose(fp);
    h_rule(h, "demo/a.lua", "demo.a", "compliance", "province", "",
           "    return pass()");
    snprintf(link, sizeof link, "%s/demo/leak.lua", h->rules);
    assert_int_equal(symlink(outside, link), 0);
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    assert_int_equal(er_ruleset_count(h->rs), 1);
    assert_int_equal(er_ruleset_file_count(h->rs), 1);
    assert_int_equal(er_ruleset_diag_count(h->rs), 1);
    char want[512];
    snprintf(want, sizeof want,
             "%s: a symbolic link, not followed: links in a rules folder are "
             "not read (copy the file or folder in instead)",
             link);
    assert_string_equal(er_ruleset_diag(h->rs, 0), want);
    assert_false(has_diag(h->rs, "hunter"));
    h_free(h);
}

static void test_supervise__symlinked_folder_is_not_read(void **state)
{
    (void)state;
    harness *h = h_new();
    char outside[256], link[256];
    snprintf(outside, sizeof outside, "%s/elsewhere", h->dir);
    assert_int_equal(mkdir(outside, 0755), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/b.lua", outside);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("return { id = 'other.b' }\n", fp);
    fclose(fp);
    h_rule(h, "demo/a.lua", "demo.a", "compliance", "province", "",
           "    return pass()");
    snprintf(link, sizeof link, "%s/other", h->rules);
    assert_int_equal(symlink(outside, link), 0);
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    assert_int_equal(er_ruleset_count(h->rs), 1);
    assert_int_equal(er_ruleset_file_count(h->rs), 1);
    assert_int_equal(er_ruleset_diag_count(h->rs), 1);
    assert_true(has_diag(h->rs, "/rules/other: a symbolic link, not followed"));
    h_free(h);
}

static void test_supervise__symlink_loops_are_not_walked(void **state)
{
    (void)state;
    harness *h = h_new();
    h_rule(h, "demo/a.lua", "demo.a", "compliance", "province", "",
           "    return pass()");
    /* seven loops: links to the folder itself, its parent, the root, and
     * a pair of links to each other */
    static const struct {
        const char *link, *target;
    } loops[] = {{"demo/self", "."},      {"demo/up", ".."},
                 {"demo/root", "/"},      {"loop1", "loop2"},
                 {"loop2", "loop1"},      {"demo/again", "../demo"},
                 {"demo/x.lua", "x.lua"}};
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
        char link[512];
        snprintf(link, sizeof link, "%s/%s", h->rules, loops[i].link);
        assert_int_equal(symlink(loops[i].target, link), 0);
    }
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    assert_int_equal(er_ruleset_count(h->rs), 1);
    assert_int_equal(er_ruleset_file_count(h->rs), 1);
    /* one diagnostic per link, each naming it */
    assert_int_equal(er_ruleset_diag_count(h->rs), 7);
    for (size_t i = 0; i < sizeof loops / sizeof loops[0]; i++) {
        char want[512];
        snprintf(want, sizeof want, "/rules/%s: a symbolic link, not followed",
                 loops[i].link);
        if (!has_diag(h->rs, want))
            fail_msg("no diagnostic naming %s", loops[i].link);
    }
    h_free(h);
}

static void test_supervise__symlinked_helper_module_is_not_read(void **state)
{
    (void)state;
    harness *h = h_new();
    char lib[256], link[300], outside[256];
    snprintf(lib, sizeof lib, "%s/scripts", h->dir);
    assert_int_equal(mkdir(lib, 0755), 0);
    snprintf(lib, sizeof lib, "%s/scripts/lib", h->dir);
    assert_int_equal(mkdir(lib, 0755), 0);
    snprintf(outside, sizeof outside, "%s/secret.lua", h->dir);
    FILE *fp = fopen(outside, "w");
    assert_non_null(fp);
    fputs("return { secret = 42 }\n", fp);
    fclose(fp);
    snprintf(link, sizeof link, "%s/evil.lua", lib);
    assert_int_equal(symlink(outside, link), 0);
    h_rule(h, "demo/a.lua", "demo.a", "compliance", "province", "",
           "    return pass()");
    h_write(h, "demo/b.lua",
            "local evil = require \"evil\"\n"
            "return { id = 'demo.b' }\n");
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    assert_int_equal(er_ruleset_count(h->rs), 1);
    assert_true(has_diag(h->rs, "/scripts/lib/evil.lua: a symbolic link, not "
                                "followed"));
    /* and `require` does not find it */
    assert_true(has_diag(h->rs, "demo/b.lua:1:"));
    h_free(h);
}

/* ---- hangs while rule files load ---------------------------------------------- */

/* The `-- expect-load: ` line of a hostile load case, or "". */
static void expect_load(const char *path, char *buf, size_t size)
{
    FILE *fp = fopen(path, "r");
    char line[1024];
    buf[0] = '\0';
    while (fp && fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "-- expect-load: ", 16) == 0)
            snprintf(buf, size, "%s", line + 16);
    }
    if (fp)
        fclose(fp);
}

static void test_supervise__hostile_load_cases_drop_only_their_file(
    void **state)
{
    (void)state;
    char tmp[] = "/tmp/er_test_load_XXXXXX", cmd[4096], rules[256];
    assert_non_null(mkdtemp(tmp));
    snprintf(rules, sizeof rules, "%s/rules", tmp);
    snprintf(cmd, sizeof cmd,
             "cp -r '%s/rules' '%s/' && mkdir -p '%s/scripts' && "
             "cp -r '%s/scripts/lib' '%s/scripts/'",
             ER_SOURCE_DIR, tmp, tmp, ER_SOURCE_DIR, tmp);
    assert_int_equal(system(cmd), 0);
    /* the shipped rules alone */
    er_ruleset *base = NULL, *rs = NULL;
    assert_int_equal(er_ruleset_load_timeout(&base, rules, 1), ER_OK);
    assert_int_equal(er_ruleset_diag_count(base), 0);
    assert_true(er_ruleset_count(base) > 10);
    /* and with every hostile load case among them */
    snprintf(cmd, sizeof cmd,
             "mkdir '%s/hostile' && cp '%s/tests/hostile/load/'*.lua "
             "'%s/hostile/' && cp '%s/tests/hostile/load/hang_helper.module' "
             "'%s/scripts/lib/hang_helper.lua'",
             rules, ER_SOURCE_DIR, rules, ER_SOURCE_DIR, tmp);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(er_ruleset_load_timeout(&rs, rules, 1), ER_OK);

    /* every shipped rule loaded, none of the hostile ones */
    assert_int_equal(er_ruleset_count(rs), er_ruleset_count(base));
    for (size_t i = 0; i < er_ruleset_count(base); i++)
        assert_string_equal(er_ruleset_rule(rs, i)->id,
                            er_ruleset_rule(base, i)->id);
    /* one diagnostic per hostile file, naming it, as its expect-load says */
    char hostile[512];
    snprintf(hostile, sizeof hostile, "%s/tests/hostile/load", ER_SOURCE_DIR);
    DIR *d = opendir(hostile);
    assert_non_null(d);
    struct dirent *e;
    size_t cases = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".lua") != 0)
            continue;
        char path[1024], want[1024], diag[2048];
        snprintf(path, sizeof path, "%s/%s", hostile, e->d_name);
        expect_load(path, want, sizeof want);
        assert_true(want[0]);
        snprintf(diag, sizeof diag, "%s/hostile/%s: %s", rules, e->d_name,
                 want);
        bool found = false;
        for (size_t k = 0; k < er_ruleset_diag_count(rs); k++)
            found = found || strcmp(er_ruleset_diag(rs, k), diag) == 0;
        if (!found) {
            for (size_t k = 0; k < er_ruleset_diag_count(rs); k++)
                print_error("diag: %s\n", er_ruleset_diag(rs, k));
            fail_msg("no diagnostic \"%s\"", diag);
        }
        cases++;
    }
    closedir(d);
    assert_true(cases >= 7);
    assert_int_equal(er_ruleset_diag_count(rs), cases);
    er_ruleset_free(base);
    er_ruleset_free(rs);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    assert_int_equal(system(cmd), 0);
}

static void test_supervise__crash_while_loading_drops_only_that_file(
    void **state)
{
    (void)state;
    harness *h = h_new();
    h_rule(h, "demo/a.lua", "demo.a", "compliance", "province", "",
           "    return pass()");
    h_rule(h, "demo/b.lua", "demo.b", "compliance", "province", "",
           "    return pass()");
    h_rule(h, "demo/c.lua", "demo.c", "compliance", "province", "",
           "    return pass()");
    setenv("EQUIRULE_FAULT", "crash-load:demo/b.lua", 1);
    int rc = er_ruleset_load(&h->rs, h->rules);
    unsetenv("EQUIRULE_FAULT");
    assert_int_equal(rc, ER_OK);
    assert_int_equal(er_ruleset_count(h->rs), 2);
    assert_string_equal(er_ruleset_rule(h->rs, 0)->id, "demo.a");
    assert_string_equal(er_ruleset_rule(h->rs, 1)->id, "demo.c");
    assert_int_equal(er_ruleset_diag_count(h->rs), 1);
    char want[512];
    snprintf(want, sizeof want,
             "%s/demo/b.lua: crashed with signal 11 (Segmentation fault) "
             "while loading; the file's rules are left out",
             h->rules);
    assert_string_equal(er_ruleset_diag(h->rs, 0), want);
    h_free(h);
}

static void test_supervise__load_timeout_out_of_range_is_refused(void **state)
{
    (void)state;
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load_timeout(&rs, ER_SOURCE_DIR "/rules",
                                             INFINITY),
                     ER_EUSAGE);
    assert_null(rs);
    assert_int_equal(er_ruleset_load_timeout(&rs, ER_SOURCE_DIR "/rules", NAN),
                     ER_EUSAGE);
    assert_int_equal(er_ruleset_load_timeout(&rs, ER_SOURCE_DIR "/rules",
                                             86401),
                     ER_EUSAGE);
    /* and through the tools that load their own rule sets */
    er_test_opts o = {.rules_dir = ER_SOURCE_DIR "/rules", .timeout = -2};
    er_test_stats st;
    FILE *null = fopen("/dev/null", "w");
    assert_non_null(null);
    assert_int_equal(er_test_run(NULL, &o, null, &st), ER_EUSAGE);
    assert_string_equal(er_errmsg(), "timeout -2: give seconds, more than 0 "
                                     "and at most 86400 (one day)");
    fclose(null);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_supervise__limits_out_of_range_are_refused),
        cmocka_unit_test(test_supervise__kill_deadline_does_not_overflow),
        cmocka_unit_test(
            test_supervise__child_result_data_and_error_come_back),
        cmocka_unit_test(test_supervise__hang_and_crash_are_named),
        cmocka_unit_test(test_supervise__symlink_to_a_file_outside_is_not_read),
        cmocka_unit_test(test_supervise__symlinked_folder_is_not_read),
        cmocka_unit_test(test_supervise__symlink_loops_are_not_walked),
        cmocka_unit_test(test_supervise__symlinked_helper_module_is_not_read),
        cmocka_unit_test(
            test_supervise__hostile_load_cases_drop_only_their_file),
        cmocka_unit_test(
            test_supervise__crash_while_loading_drops_only_that_file),
        cmocka_unit_test(test_supervise__load_timeout_out_of_range_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
