/*
 * text.c - the text writers every output shares: one escaper for each kind
 * of text (CSV fields, spreadsheet-bound CSV fields, JSON strings, HTML and
 * XML, Markdown table cells, terminal text) behind er_text_put (a FILE) and
 * er_text_add (an er_buf), so that every output is valid UTF-8 and escapes
 * the same way; exact numbers and plain amounts; padded terminal cells; and
 * the check that what was written reached the file. Which kind a writer
 * needs is its caller's to say; this file decides nothing about layout.
 */
#include "base.h"

#include <assert.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------- */

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* The length of the valid UTF-8 sequence at p (1 to 4), or 0 when p[0]
 * does not begin one (a stray continuation byte, an overlong form, a
 * surrogate, a code point past U+10FFFF, a truncated sequence). */
static size_t utf8_seq(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    if (c < 0xE0)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c == 0xE0)
        lo = 0xA0; /* overlong */
    else if (c == 0xED)
        hi = 0x9F; /* surrogates */
    else if (c == 0xF0)
        lo = 0x90; /* overlong */
    else if (c == 0xF4)
        hi = 0x8F; /* past U+10FFFF */
    if (p[1] < lo || p[1] > hi)
        return 0;
    if ((p[2] & 0xC0) != 0x80)
        return 0;
    if (c < 0xF0)
        return 3;
    return (p[3] & 0xC0) == 0x80 ? 4 : 0;
}

unsigned er_utf8_control(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len >= 1 && (p[0] < 0x20 || p[0] == 0x7F))
        return p[0];
    if (len >= 2 && p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
        return p[1]; /* C1 */
    if (len >= 3 && p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81)) {
        unsigned cp = 0x2000u | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        if (cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069))
            return cp; /* direction marks and overrides, line separators */
    }
    return 0;
}

long er_utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* a copy, so that a sequence cut short by `len` reads as invalid */
        unsigned char c[5] = {0};
        memcpy(c, p + i, len - i < 4 ? len - i : 4);
        size_t n = c[0] ? utf8_seq(c) : 1;
        if (!n)
            return (long)i;
        i += n;
    }
    return -1;
}

/* ---- one escaper, two sinks --------------------------------------------- */

/* Where the escaper writes: a FILE, an er_buf, or a fixed array (for the
 * error message, which must not allocate). */
typedef struct sink {
    FILE *fp;
    er_buf *b;
    char *arr; /* NUL-terminated; what does not fit is left out */
    size_t cap, len;
    bool full;
} sink;

/* Writes n bytes of text; into a full array, what fits of a run of
 * characters (`whole` false), or nothing of an escape (`whole` true). */
static void emit_text(sink *k, const void *p, size_t n, bool whole)
{
    if (!n)
        return;
    if (k->fp) {
        fwrite(p, 1, n, k->fp);
    } else if (k->b) {
        er_buf_add(k->b, p, n);
    } else if (!k->full) {
        size_t room = k->cap - 1 - k->len;
        if (n > room) {
            n = whole ? 0 : room; /* never half a character or escape */
            while (n && (((const unsigned char *)p)[n] & 0xC0) == 0x80)
                n--;
            k->full = true; /* nothing more after a cut */
        }
        memcpy(k->arr + k->len, p, n);
        k->len += n;
        k->arr[k->len] = '\0';
    }
}

static void emit(sink *k, const void *p, size_t n)
{
    emit_text(k, p, n, false);
}

static void emits(sink *k, const char *s)
{
    emit_text(k, s, strlen(s), true);
}

/* Whether `s` is a plain decimal number ("-12.5", "3e6", "+7"): what a
 * spreadsheet reads as a number, not a formula. */
static bool is_number(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    bool digits = false;
    while (*p >= '0' && *p <= '9')
        p++, digits = true;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits = true;
    if (!digits)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

static bool csv_needs_quotes(const char *s)
{
    size_t n = strlen(s);
    return n == 0 || strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' ||
           s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
}

/* What the single-byte character c becomes in text of `kind`: NULL when it
 * is written as it is, else its escape (in `tmp` or a literal). */
static const char *escape_byte(er_text_kind kind, unsigned char c,
                               char tmp[8])
{
    bool control = c < 0x20 || c == 0x7F;
    /* a control character no kind writes raw: a document shows U+FFFD (as
     * XML 1.0 must), a terminal the C escape */
    const char *shown = control ? REPLACEMENT : NULL;
    switch (kind) {
    case ER_TEXT_CSV:
    case ER_TEXT_CSV_SHEET:
        if (c == '"')
            return "\"\"";
        if (c == '\n' || c == '\r' || c == '\t')
            return NULL; /* data, in a quoted field */
        return shown;
    case ER_TEXT_JSON:
        switch (c) {
        case '"':
            return "\\\"";
        case '\\':
            return "\\\\";
        case '\n':
            return "\\n";
        case '\r':
            return "\\r";
        case '\t':
            return "\\t";
        }
        if (control) {
            snprintf(tmp, 8, "\\u%04x", c);
            return tmp;
        }
        return NULL;
    case ER_TEXT_HTML:
        switch (c) {
        case '&':
            return "&amp;";
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";
        case '"':
            return "&quot;";
        case '\'':
            return "&#39;";
        case '\n':
            return "&#10;";
        case '\r':
            return "&#13;";
        case '\t':
            return "&#9;";
        }
        return shown;
    case ER_TEXT_MD:
        switch (c) {
        case '|':
            return "\\|";
        case '\\':
            return "\\\\";
        case '*':
            return "\\*";
        case '`':
            return "\\`";
        case '[':
            return "\\[";
        case ']':
            return "\\]";
        case '#':
            return "\\#";
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";
        case '&':
            return "&amp;";
        case '\r':
        case '\n':
        case '\t':
            return " ";
        }
        return shown;
    case ER_TEXT_TERM:
    case ER_TEXT_LINES:
        switch (c) {
        case '\n':
            return kind == ER_TEXT_LINES ? NULL : "\\n";
        case '\r':
            return "\\r";
        case '\t':
            return "\\t";
        }
        if (control) {
            snprintf(tmp, 8, "\\x%02x", c);
            return tmp;
        }
        return NULL;
    }
    return NULL;
}

static void put_text(sink *k, er_text_kind kind, const char *s)
{
    if (!s) {
        if (kind == ER_TEXT_JSON)
            emits(k, "null");
        return;
    }
    bool csv = kind == ER_TEXT_CSV || kind == ER_TEXT_CSV_SHEET;
    bool quote = csv && csv_needs_quotes(s);
    if (quote)
        emits(k, "\"");
    else if (kind == ER_TEXT_JSON)
        emits(k, "\"");
    if (kind == ER_TEXT_CSV_SHEET && strchr("=+-@\t\r", s[0]) && s[0] &&
        !is_number(s))
        emits(k, "'");
    const unsigned char *p = (const unsigned char *)s, *run = p;
    char tmp[16];
    while (*p) {
        size_t n = utf8_seq(p);
        const char *rep = NULL;
        if (!n) {
            rep = REPLACEMENT;
            n = 1;
        } else if (n == 1) {
            rep = escape_byte(kind, *p, tmp);
        } else {
            /* C1 controls, direction overrides and line separators: shown
             * escaped where text is read as code (a terminal, JSON), as
             * U+FFFD in a document, never raw */
            unsigned cp = er_utf8_control((const char *)p, n);
            if (cp && (kind == ER_TEXT_TERM || kind == ER_TEXT_LINES ||
                       kind == ER_TEXT_JSON)) {
                snprintf(tmp, sizeof tmp, "\\u%04x", cp & 0xFFFFu);
                rep = tmp;
            } else if (cp) {
                rep = REPLACEMENT;
            }
        }
        if (rep) {
            emit(k, run, (size_t)(p - run));
            emits(k, rep);
            run = p + n;
        }
        p += n;
    }
    emit(k, run, (size_t)(p - run));
    if (quote || kind == ER_TEXT_JSON)
        emits(k, "\"");
}

void er_text_put(FILE *fp, er_text_kind kind, const char *s)
{
    sink k = {.fp = fp};
    put_text(&k, kind, s);
}

void er_text_add(er_buf *b, er_text_kind kind, const char *s)
{
    sink k = {.b = b};
    put_text(&k, kind, s);
}

void er_text_copy(char *dst, size_t size, er_text_kind kind, const char *s)
{
    assert(size > 0);
    dst[0] = '\0';
    sink k = {.arr = dst, .cap = size};
    put_text(&k, kind, s);
}

void er_fput_padded(FILE *fp, const char *s, int width, bool right)
{
    er_buf b;
    er_buf_init(&b);
    er_text_add(&b, ER_TEXT_TERM, s);
    const char *text = b.err || !b.data ? "" : b.data;
    int pad = width - er_display_width(text);
    if (right)
        for (int i = 0; i < pad; i++)
            fputc(' ', fp);
    if (b.err)
        er_term_put(fp, s); /* out of memory: the text still, unaligned */
    else
        fputs(text, fp);
    if (!right)
        for (int i = 0; i < pad; i++)
            fputc(' ', fp);
    er_buf_free(&b);
}

/* ---- numbers -------------------------------------------------------------- */

int er_shortest_digits(double v)
{
    char buf[40];
    for (int digits = 15; digits < 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return digits;
    }
    return 17;
}

const char *er_fmt_exact(char *buf, size_t size, double v)
{
    assert(size >= 32);
    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
        return buf;
    }
    const char *point = localeconv()->decimal_point;
    char local = point && point[0] && !point[1] ? point[0] : '.';
    snprintf(buf, size, "%.*g", er_shortest_digits(v), v);
    if (local != '.') {
        char *p = strchr(buf, local);
        if (p)
            *p = '.';
    }
    return buf;
}

const char *er_fmt_fen_plain(char *buf, size_t size, int64_t fen)
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(buf, size, "%s%llu.%02u", fen < 0 ? "-" : "",
             (unsigned long long)(a / 100), (unsigned)(a % 100));
    return buf;
}

int er_check_written(FILE *fp, const char *what)
{
    if (fflush(fp) != 0 || ferror(fp))
        return er_fail(ER_ERROR, "%s: cannot write: %s", what,
                       strerror(errno ? errno : EIO));
    return ER_OK;
}
