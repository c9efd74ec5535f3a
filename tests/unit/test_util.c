/*
 * test_util.c - the helpers every report and finding goes through: rounding
 * yuan to fen, formatting money and numbers, the display width that aligns
 * Chinese text on a terminal, and the string interning map.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- er_yuan_to_fen ------------------------------------------------------ */

static void test_util__buf_detach_of_nothing_is_the_empty_text(void **state)
{
    (void)state;
    er_buf b;
    er_buf_init(&b);
    char *text = er_buf_detach(&b);
    assert_non_null(text);
    assert_string_equal(text, "");
    free(text);
}

static void test_util__yuan_to_fen_rounds_half_away_from_zero(void **state)
{
    (void)state;
    /* values meant as x.5 fen, stored just below it */
    assert_int_equal(er_yuan_to_fen(1.005), 101);
    assert_int_equal(er_yuan_to_fen(2.675), 268);
    assert_int_equal(er_yuan_to_fen(0.995), 100);
    assert_int_equal(er_yuan_to_fen(-1.005), -101);
    assert_int_equal(er_yuan_to_fen(-2.675), -268);
    /* exact halves */
    assert_int_equal(er_yuan_to_fen(0.005), 1);
    assert_int_equal(er_yuan_to_fen(-0.005), -1);
    assert_int_equal(er_yuan_to_fen(0.125), 13);
    assert_int_equal(er_yuan_to_fen(123456789.125), 12345678913LL);
    assert_int_equal(er_yuan_to_fen(-123456789.125), -12345678913LL);
}

static void test_util__yuan_to_fen_rounds_below_half_down(void **state)
{
    (void)state;
    assert_int_equal(er_yuan_to_fen(0.0), 0);
    assert_int_equal(er_yuan_to_fen(-0.0), 0);
    assert_int_equal(er_yuan_to_fen(0.004), 0);
    assert_int_equal(er_yuan_to_fen(0.0049), 0);
    assert_int_equal(er_yuan_to_fen(-0.004), 0);
    assert_int_equal(er_yuan_to_fen(1.234), 123);
    assert_int_equal(er_yuan_to_fen(1.236), 124);
    assert_int_equal(er_yuan_to_fen(9594000.0), 959400000);
    assert_int_equal(er_yuan_to_fen(3219108.91), 321910891);
    assert_int_equal(er_yuan_to_fen(0.1 + 0.2), 30);
}

static void test_util__yuan_to_fen_keeps_large_values_exact(void **state)
{
    (void)state;
    /* a province's yearly budget is about 1.7 trillion yuan: whole yuan and
     * whole fen must come back unchanged */
    assert_int_equal(er_yuan_to_fen(1e12), 100000000000000LL);
    assert_int_equal(er_yuan_to_fen(1.73e12), 173000000000000LL);
    assert_int_equal(er_yuan_to_fen(2500000000000.25), 250000000000025LL);
    assert_int_equal(er_yuan_to_fen(1e13), 1000000000000000LL);
    assert_int_equal(er_yuan_to_fen(-1e13), -1000000000000000LL);
    assert_int_equal(er_yuan_to_fen(45035996273704.0), 4503599627370400LL);
    assert_int_equal(er_yuan_to_fen(951290000000.0), 95129000000000LL);
    /* an exact half still rounds away from zero at this size */
    assert_int_equal(er_yuan_to_fen(1000000000.005), 100000000001LL);
}

static void test_util__yuan_to_fen_rounds_the_shortest_decimal(void **state)
{
    (void)state;
    /* the shortest decimal that reads back as the double, rounded in
     * decimal: no allowance that grows with the size of the amount */
    assert_int_equal(er_yuan_to_fen(765432109876.003), 76543210987600LL);
    assert_int_equal(er_yuan_to_fen(800000000000.003), 80000000000000LL);
    assert_int_equal(er_yuan_to_fen(123456789012.3446), 12345678901234LL);
    assert_int_equal(er_yuan_to_fen(123456789012.345), 12345678901235LL);
    assert_int_equal(er_yuan_to_fen(-123456789012.3446), -12345678901234LL);
    assert_int_equal(er_yuan_to_fen(1.00499999999999), 100);
    assert_int_equal(er_yuan_to_fen(1e-300), 0);
    assert_int_equal(er_yuan_to_fen(0.0049999999999999), 0);
    assert_int_equal(er_yuan_to_fen(90071992547409.9), 9007199254740990LL);
}

static void test_util__yuan_fits_fen_up_to_two_to_the_53(void **state)
{
    (void)state;
    assert_true(er_yuan_fits_fen(90071992547409.91));
    assert_true(er_yuan_fits_fen(-90071992547409.91));
    assert_false(er_yuan_fits_fen(90071992547410.0));
    assert_false(er_yuan_fits_fen(9.3e16));
    assert_false(er_yuan_fits_fen(1e300));
    assert_false(er_yuan_fits_fen(INFINITY));
    assert_false(er_yuan_fits_fen(NAN));
    assert_true(er_yuan_fits_fen(0.0));
}

static void test_util__int_yuan_to_fen_is_exact(void **state)
{
    (void)state;
    int64_t fen;
    assert_true(er_int_yuan_to_fen(9007199254740993LL, &fen));
    assert_int_equal(fen, 900719925474099300LL);
    assert_true(er_int_yuan_to_fen(-92233720368547758LL, &fen));
    assert_int_equal(fen, -9223372036854775800LL);
    assert_false(er_int_yuan_to_fen(92233720368547759LL, &fen));
    assert_false(er_int_yuan_to_fen(INT64_MIN, &fen));
}

/* ---- er_fmt_fen ------------------------------------------------------------ */

static void expect_fen(int64_t fen, const char *expected)
{
    char buf[64];
    assert_string_equal(er_fmt_fen(buf, sizeof buf, fen), expected);
}

static void test_util__fmt_fen_two_decimals_and_thousands(void **state)
{
    (void)state;
    expect_fen(0, "0.00");
    expect_fen(5, "0.05");
    expect_fen(99, "0.99");
    expect_fen(100, "1.00");
    expect_fen(99999, "999.99");
    expect_fen(100000, "1,000.00");
    expect_fen(123456, "1,234.56");
    expect_fen(959400000, "9,594,000.00");
    expect_fen(2244600000LL, "22,446,000.00");
    expect_fen(100000000000000LL, "1,000,000,000,000.00");
    expect_fen(INT64_MAX, "92,233,720,368,547,758.07");
}

static void test_util__fmt_fen_negatives(void **state)
{
    (void)state;
    expect_fen(-5, "-0.05");
    expect_fen(-100, "-1.00");
    expect_fen(-123456, "-1,234.56");
    expect_fen(-959400000, "-9,594,000.00");
    expect_fen(INT64_MIN, "-92,233,720,368,547,758.08");
}

static void test_util__fmt_fen_truncates_to_the_buffer(void **state)
{
    (void)state;
    char buf[6];
    assert_string_equal(er_fmt_fen(buf, sizeof buf, 123456), "1,234");
}

/* ---- er_display_width ------------------------------------------------------- */

static void test_util__display_width_ascii(void **state)
{
    (void)state;
    assert_int_equal(er_display_width(""), 0);
    assert_int_equal(er_display_width("a"), 1);
    assert_int_equal(er_display_width("health.public_health_per_capita"), 31);
}

static void test_util__display_width_chinese_counts_two(void **state)
{
    (void)state;
    assert_int_equal(er_display_width("广州市"), 6);
    assert_int_equal(er_display_width("广东省"), 6);
    /* full-width parentheses and the ideographic comma are wide too */
    assert_int_equal(er_display_width("（数值待核）"), 12);
    assert_int_equal(er_display_width("揭阳、茂名"), 10);
}

static void test_util__display_width_mixed(void **state)
{
    (void)state;
    assert_int_equal(er_display_width("441400 梅州市"), 13);
    assert_int_equal(er_display_width("元/人"), 5);
    assert_int_equal(er_display_width("广州 Guangzhou"), 14);
    assert_int_equal(er_display_width("·"), 1);
    /* a combining accent takes no column */
    assert_int_equal(er_display_width("e\xcc\x81"), 1);
}

static void test_util__fput_padded_aligns_by_display_width(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    er_fput_padded(fp, "梅州市", 8, false);
    fputs("|", fp);
    er_fput_padded(fp, "42", 5, true);
    fputs("|", fp);
    er_fput_padded(fp, "toolong", 3, false);
    fputs("|", fp);
    fclose(fp);
    assert_string_equal(text, "梅州市  |   42|toolong|");
    free(text);
}

/* ---- er_fmt_num ---------------------------------------------------------------- */

static void expect_num(double v, const char *expected)
{
    char buf[64];
    assert_string_equal(er_fmt_num(buf, sizeof buf, v), expected);
}

static void test_util__fmt_num_whole_numbers_have_no_decimals(void **state)
{
    (void)state;
    expect_num(0, "0");
    expect_num(69, "69");
    expect_num(-3, "-3");
    expect_num(4380000, "4380000");
    expect_num(123456789, "123456789");
    expect_num(951290000000.0, "951290000000");
}

static void test_util__fmt_num_six_significant_digits(void **state)
{
    (void)state;
    expect_num(63.9269406392694, "63.9269");
    expect_num(0.316287877387428, "0.316288");
    expect_num(0.5, "0.5");
    expect_num(-2.25, "-2.25");
    expect_num(67.0000001, "67");
    expect_num(8255.6549, "8255.65");
    expect_num(1234567.891, "1234568");
    expect_num(0.000123456789, "0.000123457");
}

static void test_util__fmt_num_extremes(void **state)
{
    (void)state;
    expect_num(NAN, "nan");
    expect_num(INFINITY, "inf");
    expect_num(-INFINITY, "-inf");
    expect_num(1e-5, "1e-05");
    expect_num(1e15, "1e+15");
    expect_num(2.5e20, "2.5e+20");
}

/* ---- er_strmap ----------------------------------------------------------------- */

static void test_util__strmap_interns_each_key_once(void **state)
{
    (void)state;
    er_strmap m;
    er_strmap_init(&m);
    assert_int_equal(er_strmap_find(&m, "pop.resident"), -1);
    assert_int_equal(er_strmap_intern(&m, "pop.resident"), 0);
    assert_int_equal(er_strmap_intern(&m, "fin.revenue"), 1);
    assert_int_equal(er_strmap_intern(&m, "pop.resident"), 0);
    assert_int_equal(er_strmap_find(&m, "fin.revenue"), 1);
    assert_int_equal(er_strmap_find(&m, "fin.revenue2"), -1);
    assert_int_equal(er_strmap_find(&m, ""), -1);
    assert_int_equal((long)m.count, 2);
    assert_string_equal(er_strmap_key(&m, 0), "pop.resident");
    assert_string_equal(er_strmap_key(&m, 1), "fin.revenue");
    er_strmap_free(&m);
    assert_int_equal((long)m.count, 0);
    assert_int_equal(er_strmap_find(&m, "pop.resident"), -1);
    er_strmap_free(&m); /* twice is harmless */
}

static void test_util__strmap_grows_and_keeps_ids(void **state)
{
    (void)state;
    er_strmap m;
    er_strmap_init(&m);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "metric.%d", i);
        assert_int_equal(er_strmap_intern(&m, key), i);
    }
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "metric.%d", i);
        assert_int_equal(er_strmap_find(&m, key), i);
        assert_string_equal(er_strmap_key(&m, i), key);
    }
    assert_int_equal(er_strmap_find(&m, "metric.5000"), -1);
    assert_int_equal((long)m.count, 5000);
    er_strmap_free(&m);
}

static void test_util__strmap_takes_chinese_keys(void **state)
{
    (void)state;
    er_strmap m;
    er_strmap_init(&m);
    assert_int_equal(er_strmap_intern(&m, "梅州市"), 0);
    assert_int_equal(er_strmap_intern(&m, "梅州"), 1);
    assert_int_equal(er_strmap_find(&m, "梅州市"), 0);
    er_strmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util__buf_detach_of_nothing_is_the_empty_text),
        cmocka_unit_test(test_util__yuan_to_fen_rounds_half_away_from_zero),
        cmocka_unit_test(test_util__yuan_to_fen_rounds_below_half_down),
        cmocka_unit_test(test_util__yuan_to_fen_keeps_large_values_exact),
        cmocka_unit_test(test_util__yuan_to_fen_rounds_the_shortest_decimal),
        cmocka_unit_test(test_util__yuan_fits_fen_up_to_two_to_the_53),
        cmocka_unit_test(test_util__int_yuan_to_fen_is_exact),
        cmocka_unit_test(test_util__fmt_fen_two_decimals_and_thousands),
        cmocka_unit_test(test_util__fmt_fen_negatives),
        cmocka_unit_test(test_util__fmt_fen_truncates_to_the_buffer),
        cmocka_unit_test(test_util__display_width_ascii),
        cmocka_unit_test(test_util__display_width_chinese_counts_two),
        cmocka_unit_test(test_util__display_width_mixed),
        cmocka_unit_test(test_util__fput_padded_aligns_by_display_width),
        cmocka_unit_test(test_util__fmt_num_whole_numbers_have_no_decimals),
        cmocka_unit_test(test_util__fmt_num_six_significant_digits),
        cmocka_unit_test(test_util__fmt_num_extremes),
        cmocka_unit_test(test_util__strmap_interns_each_key_once),
        cmocka_unit_test(test_util__strmap_grows_and_keeps_ids),
        cmocka_unit_test(test_util__strmap_takes_chinese_keys),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
