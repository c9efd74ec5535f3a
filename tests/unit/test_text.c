/*
 * test_text.c - the one text writer (core/base/text.c) every output goes
 * through: the edge cases of each kind of text (CSV and spreadsheet-bound
 * CSV, JSON, HTML/XML, Markdown, terminal), valid UTF-8 whatever the input,
 * the same text to a FILE and to a buffer, and the buffer's sticky error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What `s` becomes as text of `kind`, through the FILE writer and the
 * buffer writer, which must agree; the caller frees it. */
static char *text(er_text_kind kind, const char *s)
{
    char *filed = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&filed, &n);
    assert_non_null(fp);
    er_text_put(fp, kind, s);
    assert_int_equal(fclose(fp), 0);

    er_buf b;
    er_buf_init(&b);
    er_buf_puts(&b, "");
    er_text_add(&b, kind, s);
    char *built = er_buf_detach(&b);
    assert_non_null(built);
    assert_string_equal(filed, built);
    assert_int_equal(er_utf8_invalid_at(built, strlen(built)), -1);
    free(filed);
    return built;
}

#define assert_text(kind, in, want)        \
    do {                                   \
        char *got_ = text((kind), (in));   \
        assert_string_equal(got_, (want)); \
        free(got_);                        \
    } while (0)

/* ---- CSV ------------------------------------------------------------------ */

static void test_text__csv_quotes_only_fields_that_need_it(void **state)
{
    (void)state;
    assert_text(ER_TEXT_CSV, "广州市", "广州市");
    assert_text(ER_TEXT_CSV, NULL, "");
    assert_text(ER_TEXT_CSV, "", "\"\"");
    assert_text(ER_TEXT_CSV, "a,b", "\"a,b\"");
    assert_text(ER_TEXT_CSV, "say \"hi\"", "\"say \"\"hi\"\"\"");
    assert_text(ER_TEXT_CSV, "two\nlines", "\"two\nlines\"");
    assert_text(ER_TEXT_CSV, "cr\rhere", "\"cr\rhere\"");
    assert_text(ER_TEXT_CSV, " lead", "\" lead\"");
    assert_text(ER_TEXT_CSV, "trail\t", "\"trail\t\"");
    /* no raw control character but line ends and tabs */
    assert_text(ER_TEXT_CSV, "a\x1b[2Jb\x07", "a\xEF\xBF\xBD[2Jb\xEF\xBF\xBD");
    assert_text(ER_TEXT_CSV, "a,\x1b", "\"a,\xEF\xBF\xBD\"");
    /* a plain CSV field keeps formula-like text as it is (it round-trips) */
    assert_text(ER_TEXT_CSV, "=1+1", "=1+1");
    assert_text(ER_TEXT_CSV, "-12.5", "-12.5");
}

static void test_text__csv_for_spreadsheets_neutralizes_formulas(void **state)
{
    (void)state;
    assert_text(ER_TEXT_CSV_SHEET, "=HYPERLINK(\"http://x\",\"y\")",
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assert_text(ER_TEXT_CSV_SHEET, "+cmd|' /C calc'!A0",
                "'+cmd|' /C calc'!A0");
    assert_text(ER_TEXT_CSV_SHEET, "@SUM(1)", "'@SUM(1)");
    assert_text(ER_TEXT_CSV_SHEET, "-1+2", "'-1+2");
    assert_text(ER_TEXT_CSV_SHEET, "=1+1 note", "'=1+1 note");
    assert_text(ER_TEXT_CSV_SHEET, "\t=1", "\"'\t=1\"");
    assert_text(ER_TEXT_CSV_SHEET, "\r=1", "\"'\r=1\"");
    assert_text(ER_TEXT_CSV_SHEET, "-", "'-");
    /* numbers stay numbers */
    assert_text(ER_TEXT_CSV_SHEET, "-12.5", "-12.5");
    assert_text(ER_TEXT_CSV_SHEET, "+7", "+7");
    assert_text(ER_TEXT_CSV_SHEET, "-3e6", "-3e6");
    assert_text(ER_TEXT_CSV_SHEET, "-.5", "-.5");
    assert_text(ER_TEXT_CSV_SHEET, "1234.50", "1234.50");
    /* and text that does not start a formula is left alone */
    assert_text(ER_TEXT_CSV_SHEET, "a=b", "a=b");
    assert_text(ER_TEXT_CSV_SHEET, "", "\"\"");
    assert_text(ER_TEXT_CSV_SHEET, NULL, "");
}

/* ---- JSON ----------------------------------------------------------------- */

static void test_text__json_escapes_quotes_and_control_characters(void **state)
{
    (void)state;
    assert_text(ER_TEXT_JSON, NULL, "null");
    assert_text(ER_TEXT_JSON, "", "\"\"");
    assert_text(ER_TEXT_JSON, "梅州市", "\"梅州市\"");
    assert_text(ER_TEXT_JSON, "a\"b\\c", "\"a\\\"b\\\\c\"");
    assert_text(ER_TEXT_JSON, "l1\nl2\r\t", "\"l1\\nl2\\r\\t\"");
    assert_text(ER_TEXT_JSON, "\x1b[2J\x07\x7f", "\"\\u001b[2J\\u0007\\u007f\"");
    assert_text(ER_TEXT_JSON, "</script>", "\"</script>\"");
}

/* ---- HTML and XML --------------------------------------------------------- */

static void test_text__html_escapes_markup_and_controls(void **state)
{
    (void)state;
    assert_text(ER_TEXT_HTML, NULL, "");
    assert_text(ER_TEXT_HTML, "<b>&\"'</b>",
                "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;");
    assert_text(ER_TEXT_HTML, "a\nb\tc\rd", "a&#10;b&#9;c&#13;d");
    /* characters XML 1.0 does not allow */
    assert_text(ER_TEXT_HTML, "x\x1b[2Jy\x01", "x\xEF\xBF\xBD[2Jy\xEF\xBF\xBD");
    assert_text(ER_TEXT_HTML, "广州 <市>", "广州 &lt;市&gt;");
}

/* ---- Markdown ------------------------------------------------------------- */

static void test_text__md_escapes_table_syntax(void **state)
{
    (void)state;
    assert_text(ER_TEXT_MD, NULL, "");
    assert_text(ER_TEXT_MD, "a|b", "a\\|b");
    assert_text(ER_TEXT_MD, "*x* `y` [l](u) #h \\",
                "\\*x\\* \\`y\\` \\[l\\](u) \\#h \\\\");
    assert_text(ER_TEXT_MD, "<script>&", "&lt;script&gt;&amp;");
    assert_text(ER_TEXT_MD, "one\ntwo\r\nthree", "one two  three");
    assert_text(ER_TEXT_MD, "esc\x1b!", "esc\xEF\xBF\xBD!");
    assert_text(ER_TEXT_MD, "湛江市", "湛江市");
}

/* ---- terminal ------------------------------------------------------------- */

static void test_text__term_shows_control_characters_escaped(void **state)
{
    (void)state;
    assert_text(ER_TEXT_TERM, "\x1b[2J\x1b]0;pwned\x07",
                "\\x1b[2J\\x1b]0;pwned\\x07");
    assert_text(ER_TEXT_TERM, "a\rb\nc\td\x7f", "a\\rb\\nc\\td\\x7f");
    /* C1 controls (U+009B is a one-character CSI on some terminals) */
    assert_text(ER_TEXT_TERM, "\xC2\x9B" "31m", "\\u009b31m");
    assert_text(ER_TEXT_TERM, "韶关市 \xC2\xA0ok", "韶关市 \xC2\xA0ok");
    /* whole lines keep their line ends, and nothing else */
    assert_text(ER_TEXT_LINES, "l1\nl2\x1b[K\r\n", "l1\nl2\\x1b[K\\r\n");
    /* escaping twice changes nothing more */
    char *once = text(ER_TEXT_TERM, "\x1b\x07\xff");
    assert_text(ER_TEXT_TERM, once, once);
    free(once);
}

static void test_text__no_kind_writes_invisible_controls_raw(void **state)
{
    (void)state;
    /* C1 (U+0085, U+009B), a right-to-left override (U+202E), a direction
     * isolate (U+2066) and the line separator (U+2028): escaped where the
     * text is read as code, U+FFFD in a document */
    const char *in = "a\xC2\x85" "b\xC2\x9B" "c\xE2\x80\xAE" "d\xE2\x81\xA6"
                     "e\xE2\x80\xA8" "f";
    assert_text(ER_TEXT_TERM, in, "a\\u0085b\\u009bc\\u202ed\\u2066e\\u2028f");
    assert_text(ER_TEXT_JSON, in,
                "\"a\\u0085b\\u009bc\\u202ed\\u2066e\\u2028f\"");
    const char *doc = "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD"
                      "d\xEF\xBF\xBD" "e\xEF\xBF\xBD" "f";
    assert_text(ER_TEXT_HTML, in, doc);
    assert_text(ER_TEXT_MD, in, doc);
    assert_text(ER_TEXT_CSV, in, doc);
    /* ordinary characters of the same ranges pass: a no-break space,
     * an en dash, 〔〕 */
    assert_text(ER_TEXT_TERM, "\xC2\xA0\xE2\x80\x93〔2019〕",
                "\xC2\xA0\xE2\x80\x93〔2019〕");
    assert_int_equal(er_utf8_control("\xE2\x80\x93", 3), 0);
    assert_int_equal(er_utf8_control("\xE2\x80\xAE", 3), 0x202E);
}

static void test_text__padded_cells_align_escaped_text(void **state)
{
    (void)state;
    char *out = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&out, &n);
    assert_non_null(fp);
    er_fput_padded(fp, "\x1b", 6, false);
    er_fput_padded(fp, "中", 4, true);
    assert_int_equal(fclose(fp), 0);
    assert_string_equal(out, "\\x1b    中");
    free(out);
}

/* ---- UTF-8 ---------------------------------------------------------------- */

static void test_text__invalid_utf8_becomes_replacement_in_every_kind(
    void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"bad \xff\xfe", "bad \xEF\xBF\xBD\xEF\xBF\xBD"},      /* never UTF-8 */
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD"},              /* overlong / */
        {"\xE0\x80\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* overlong */
        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"}, /* surrogate */
        {"\xF4\x90\x80\x80x",
         "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx"}, /* > U+10FFFF */
        {"\xE5\xB9", "\xEF\xBF\xBD\xEF\xBF\xBD"},    /* cut short */
        {"\xB9\xE5\xB9\xBF", "\xEF\xBF\xBD广"},      /* stray continuation */
        {"\xE5\xB9\xBF\xE5\xB7\x9E", "广州"},         /* valid */
        {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},    /* 4 bytes */
        {"\xc6\xbd\xb0\xb2", "ƽ\xEF\xBF\xBD\xEF\xBF\xBD"}, /* GBK 平安 */
    };
    for (size_t i = 0; i < ER_ARRAY_LEN(cases); i++) {
        assert_text(ER_TEXT_TERM, cases[i].in, cases[i].want);
        assert_text(ER_TEXT_MD, cases[i].in, cases[i].want);
        assert_text(ER_TEXT_HTML, cases[i].in, cases[i].want);
        assert_text(ER_TEXT_CSV, cases[i].in, cases[i].want);
        char want[64];
        snprintf(want, sizeof want, "\"%s\"", cases[i].want);
        assert_text(ER_TEXT_JSON, cases[i].in, want);
    }
}

static void test_text__utf8_invalid_at_finds_the_first_bad_byte(void **state)
{
    (void)state;
    assert_int_equal(er_utf8_invalid_at("广州", strlen("广州")), -1);
    assert_int_equal(er_utf8_invalid_at("", 0), -1);
    assert_int_equal(er_utf8_invalid_at("ok \xB0\xB2", 5), 3);
    /* a NUL is valid; a sequence cut by the length is not */
    assert_int_equal(er_utf8_invalid_at("a\0b", 3), -1);
    assert_int_equal(er_utf8_invalid_at("a\xE5\xB9\xBF", 3), 1);
}

static void test_text__copy_never_cuts_a_character(void **state)
{
    (void)state;
    char small[8];
    er_text_copy(small, sizeof small, ER_TEXT_LINES, "ab广州市");
    assert_string_equal(small, "ab广"); /* 州 would need 3 more bytes */
    er_text_copy(small, sizeof small, ER_TEXT_LINES, "\x1b\x1b");
    assert_string_equal(small, "\\x1b"); /* the second escape does not fit */
    er_text_copy(small, sizeof small, ER_TEXT_LINES, NULL);
    assert_string_equal(small, "");
}

static void test_text__error_messages_are_terminal_safe(void **state)
{
    (void)state;
    assert_int_equal(er_fail(ER_ERROR, "note %s\nnext", "\x1b[2J\xff"),
                     ER_ERROR);
    assert_string_equal(er_errmsg(), "note \\x1b[2J\xEF\xBF\xBD\nnext");
    er_error_clear();
}

/* ---- er_buf --------------------------------------------------------------- */

static void test_text__buf_error_is_sticky_and_reported_when_taken(
    void **state)
{
    (void)state;
    er_buf b;
    er_buf_init(&b);
    b.max = 100; /* past 100 bytes, growing fails as out of memory would */
    assert_int_equal(er_buf_puts(&b, "first part, "), ER_OK);
    char big[200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(er_buf_puts(&b, big), ER_ENOMEM);
    /* later appends that would fit are refused too: no text with a hole */
    assert_int_equal(er_buf_puts(&b, "end"), ER_ENOMEM);
    assert_int_equal(er_buf_printf(&b, "%d", 1), ER_ENOMEM);
    er_text_add(&b, ER_TEXT_JSON, "more");
    er_error_clear();
    assert_int_equal(er_buf_status(&b), ER_ENOMEM);
    assert_string_equal(er_errmsg(), "out of memory");

    char *out = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&out, &n);
    assert_non_null(fp);
    assert_int_equal(er_buf_write(&b, fp), ER_ENOMEM);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(n, 0); /* nothing written, not a truncated text */
    free(out);

    assert_null(er_buf_detach(&b));
    assert_null(b.data);
    /* the buffer is reset and usable again */
    assert_int_equal(er_buf_puts(&b, "again"), ER_OK);
    char *text_out = er_buf_detach(&b);
    assert_string_equal(text_out, "again");
    free(text_out);
}

static void test_text__buf_builds_sql_identifiers(void **state)
{
    (void)state;
    er_buf b;
    er_buf_init(&b);
    er_buf_puts(&b, "SELECT * FROM ");
    er_buf_sql_ident(&b, "we\"ird");
    assert_int_equal(er_buf_status(&b), ER_OK);
    assert_string_equal(b.data, "SELECT * FROM \"we\"\"ird\"");
    er_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text__csv_quotes_only_fields_that_need_it),
        cmocka_unit_test(test_text__csv_for_spreadsheets_neutralizes_formulas),
        cmocka_unit_test(test_text__json_escapes_quotes_and_control_characters),
        cmocka_unit_test(test_text__html_escapes_markup_and_controls),
        cmocka_unit_test(test_text__md_escapes_table_syntax),
        cmocka_unit_test(test_text__term_shows_control_characters_escaped),
        cmocka_unit_test(test_text__no_kind_writes_invisible_controls_raw),
        cmocka_unit_test(test_text__padded_cells_align_escaped_text),
        cmocka_unit_test(
            test_text__invalid_utf8_becomes_replacement_in_every_kind),
        cmocka_unit_test(test_text__utf8_invalid_at_finds_the_first_bad_byte),
        cmocka_unit_test(test_text__copy_never_cuts_a_character),
        cmocka_unit_test(test_text__error_messages_are_terminal_safe),
        cmocka_unit_test(test_text__buf_error_is_sticky_and_reported_when_taken),
        cmocka_unit_test(test_text__buf_builds_sql_identifiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
