/*
 * test_suggest.c - "did you mean": the close candidate a message offers
 * for a misspelt global, param or key, and none when nothing is close or
 * two are equally close.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base.h"

static const char *const globals[] = {"at_least", "at_most", "pass",
                                      "fail",     "warn",    "skip",
                                      "cut",      "params",  "indicator",
                                      "distribute"};

static void test_suggest__finds_a_missing_letter_and_a_swap(void **state)
{
    (void)state;
    assert_string_equal(er_suggest("atleast", globals, 10), "at_least");
    assert_string_equal(er_suggest("at_lesat", globals, 10), "at_least");
    assert_string_equal(er_suggest("Params", globals, 10), "params");
    assert_string_equal(er_suggest("indicatr", globals, 10), "indicator");
}

static void test_suggest__nothing_close_gives_none(void **state)
{
    (void)state;
    assert_null(er_suggest("minimum", globals, 10));
    assert_null(er_suggest("string", globals, 10));
    assert_null(er_suggest("", globals, 10));
    assert_null(er_suggest(NULL, globals, 10));
    assert_null(er_suggest("x", globals, 10));
    /* two edits in three letters is another word */
    assert_null(er_suggest("sum", globals, 10));
}

static void test_suggest__a_tie_gives_none(void **state)
{
    (void)state;
    /* "pas" is one edit from "pass" and from "past", two candidates */
    static const char *const two[] = {"pass", "past"};
    assert_null(er_suggest("pas", two, 2));
    static const char *const one[] = {"pass", "pass"};
    assert_string_equal(er_suggest("pas", one, 2), "pass");
}

static void test_suggest__long_words_allow_a_third(void **state)
{
    (void)state;
    static const char *const params[] = {"min_per_1000", "max_gap_ratio"};
    assert_string_equal(er_suggest("min_per_100", params, 2), "min_per_1000");
    /* 15 letters: up to 5 edits */
    static const char *const keys[] = {"beneficiary_metric"};
    assert_string_equal(er_suggest("benefciary_mtric", keys, 1),
                        "beneficiary_metric");
    assert_null(er_suggest("population_total", keys, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suggest__finds_a_missing_letter_and_a_swap),
        cmocka_unit_test(test_suggest__nothing_close_gives_none),
        cmocka_unit_test(test_suggest__a_tie_gives_none),
        cmocka_unit_test(test_suggest__long_words_allow_a_third),
    };
    return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
