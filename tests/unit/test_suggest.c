/*
 * test_suggest.c - "did you mean X?" (suggest.c): the misspellings an
 * author makes (a letter dropped, two swapped, one wrong) find the name
 * meant; a word far from every name, or as close to two, finds none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store.h"

#include <string.h>

static const char *const finding_keys[] = {"outcome", "measured", "required",
                                           "amount",  "note",     "unit"};
#define NKEYS (sizeof finding_keys / sizeof finding_keys[0])

static void test_suggest__finds_the_key_meant(void **state)
{
    (void)state;
    assert_string_equal(er_suggest("mesured", finding_keys, NKEYS),
                        "measured");
    assert_string_equal(er_suggest("requried", finding_keys, NKEYS),
                        "required"); /* two letters swapped */
    assert_string_equal(er_suggest("outcom", finding_keys, NKEYS), "outcome");
    assert_string_equal(er_suggest("Outcome", finding_keys, NKEYS),
                        "outcome");
    assert_string_equal(er_suggest("units", finding_keys, NKEYS), "unit");
    static const char *const outcomes[] = {"pass", "fail", "warn", "skip",
                                           "cut",  "allocation", "missing",
                                           "error"};
    assert_string_equal(er_suggest("passed", outcomes, 8), "pass");
    assert_string_equal(er_suggest("allocaton", outcomes, 8), "allocation");
}

static void test_suggest__none_when_far_or_ambiguous(void **state)
{
    (void)state;
    assert_null(er_suggest("population", finding_keys, NKEYS));
    assert_null(er_suggest("x", finding_keys, NKEYS));
    assert_null(er_suggest("", finding_keys, NKEYS));
    static const char *const two[] = {"cat", "car"};
    assert_null(er_suggest("ca", two, 2)); /* as close to both */
    assert_null(er_suggest("mesured", NULL, 0));
    /* a word too long to measure: no suggestion, no overflow */
    char long_word[200];
    memset(long_word, 'a', sizeof long_word - 1);
    long_word[sizeof long_word - 1] = '\0';
    const char *const longs[] = {long_word};
    assert_null(er_suggest(long_word, longs, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suggest__finds_the_key_meant),
        cmocka_unit_test(test_suggest__none_when_far_or_ambiguous),
    };
    return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
