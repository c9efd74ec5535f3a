/*
 * encoding.c - which encoding a CSV file is in, and its text as UTF-8 for
 * the reader (csv.h). Files come as UTF-8 or, from Excel on Chinese
 * Windows, as GBK; GB18030 is read for both (a superset of GBK and
 * GB2312), with the C library's iconv. It never guesses silently: a file
 * that reads both ways is read the way that gives Chinese text, and when
 * that is not clear it is refused with a request for --encoding. It does
 * not parse CSV: GB18030 keeps ASCII bytes for themselves and never uses
 * one inside a character, so the converted text has the file's lines,
 * commas and quotes, and the reader's line:column are the file's.
 */
#include "csv.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Plausibility: the share of a reading's non-ASCII characters that are
 * common in Chinese text, i.e. that GB2312 holds in its level-1 block of
 * hanzi (the 3,755 most used characters, bytes B0A1..D7FE), its rows of
 * punctuation, symbols and full-width forms (A1A1..A3FE) or its row of
 * pinyin letters (A8A1..A8FE). A reading is plausible when at least
 * PLAUSIBLE_NUM / PLAUSIBLE_DEN of them are, and implausible when fewer
 * than IMPLAUSIBLE_NUM / IMPLAUSIBLE_DEN are.
 */
#define PLAUSIBLE_NUM 3
#define PLAUSIBLE_DEN 4
#define IMPLAUSIBLE_NUM 1
#define IMPLAUSIBLE_DEN 2

/* Characters of a reading shown when it is refused. */
#define SAMPLE_CHARS 16

struct tally {
    long common, total; /* non-ASCII characters */
};

static bool plausible(const struct tally *t)
{
    return t->total > 0 && t->common * PLAUSIBLE_DEN >= t->total * PLAUSIBLE_NUM;
}

static bool implausible(const struct tally *t)
{
    return t->total > 0 &&
           t->common * IMPLAUSIBLE_DEN < t->total * IMPLAUSIBLE_NUM;
}

/* Counts the characters of n bytes of valid GB18030 text. */
static void count_gb18030(const unsigned char *s, size_t n, struct tally *t)
{
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        t->total++;
        if (i + 1 < n && s[i + 1] >= 0x30 && s[i + 1] <= 0x39) {
            i += 4; /* a four-byte character: outside GB2312 */
            continue;
        }
        if (i + 1 < n && s[i + 1] >= 0xA1 && s[i + 1] <= 0xFE &&
            ((s[i] >= 0xB0 && s[i] <= 0xD7) || (s[i] >= 0xA1 && s[i] <= 0xA3) ||
             s[i] == 0xA8))
            t->common++;
        i += 2;
    }
}

/* Offset of the first byte of data that is not valid UTF-8, or len. */
static size_t utf8_end(const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = er_csv_utf8_len(s + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

/* A conversion descriptor, or (iconv_t)-1 with the error set. */
static iconv_t open_iconv(const char *to, const char *from)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1)
        er_fail(ER_ERROR,
                "cannot convert %s to %s on this system (iconv: %s); give "
                "--encoding utf-8 for a UTF-8 file",
                from, to, strerror(errno));
    return cd;
}

/* Counts the characters of the UTF-8 reading (valid UTF-8) as GB18030
 * would encode them. */
static int count_utf8(const char *data, size_t len, struct tally *t)
{
    char buf[4096];
    iconv_t cd = open_iconv("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        return ER_ERROR;
    char *in = (char *)data;
    size_t left = len;
    while (left > 0) {
        char *out = buf;
        size_t room = sizeof buf;
        size_t r = iconv(cd, &in, &left, &out, &room);
        count_gb18030((const unsigned char *)buf, (size_t)(out - buf), t);
        if (r == (size_t)-1 && errno != E2BIG) {
            /* a character GB18030 lacks: not a common one */
            size_t n = er_csv_utf8_len((const unsigned char *)in, left);
            t->total++;
            n = n ? n : 1;
            in += n;
            left -= n;
        }
    }
    iconv_close(cd);
    return ER_OK;
}

/* Whether the whole of data is valid GB18030, converted piece by piece
 * into a small buffer. */
static int check_gb18030(const char *data, size_t len, bool *ok_out)
{
    char buf[4096];
    iconv_t cd = open_iconv("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return ER_ERROR;
    char *in = (char *)data;
    size_t left = len;
    *ok_out = true;
    while (left > 0 && *ok_out) {
        char *out = buf;
        size_t room = sizeof buf;
        if (iconv(cd, &in, &left, &out, &room) == (size_t)-1 &&
            errno != E2BIG)
            *ok_out = false;
    }
    iconv_close(cd);
    return ER_OK;
}

/*
 * Converts GB18030 to UTF-8 into out->owned. When a byte is not valid
 * GB18030, the text converted so far is followed by the remaining bytes as
 * they are and out->stop marks the first of them; *ok_out says whether the
 * whole file converted.
 */
static int convert_gb18030(er_csv_text *out, const char *data, size_t len,
                           bool *ok_out)
{
    iconv_t cd = open_iconv("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return ER_ERROR;
    /* a character of 1, 2 or 4 bytes becomes at most 1, 3 or 4 */
    size_t cap = len / 2 * 3 + 8;
    if (!(out->owned = malloc(cap + 1))) {
        iconv_close(cd);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    char *in = (char *)data, *o = out->owned;
    size_t left = len, room = cap;
    *ok_out = iconv(cd, &in, &left, &o, &room) != (size_t)-1;
    iconv_close(cd);
    size_t done = (size_t)(o - out->owned);
    if (!*ok_out) {
        if (errno == E2BIG) /* cannot happen: cap is enough */
            return er_fail(ER_ERROR, "converting GB18030: output too long");
        out->stop = done;
        if (left > room) {
            char *grown = realloc(out->owned, done + left + 1);
            if (!grown)
                return er_fail(ER_ENOMEM, "out of memory");
            out->owned = grown;
        }
        memcpy(out->owned + done, in, left);
        done += left;
    }
    out->owned[done] = '\0';
    out->data = out->owned;
    out->len = done;
    out->encoding = "GB18030";
    return ER_OK;
}

/* Up to SAMPLE_CHARS characters of UTF-8 text from s, to the end of the
 * field, written into buf as a quoted string. */
static void sample(char *buf, size_t size, const char *s, size_t n)
{
    size_t i = 0;
    for (int chars = 0; i < n && chars < SAMPLE_CHARS; chars++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == ',' || ch == '"' || ch < 0x20 || ch == 0x7F)
            break;
        size_t k = er_csv_utf8_len((const unsigned char *)s + i, n - i);
        if (k == 0 || (ch == 0xC2 && (unsigned char)s[i + 1] < 0xA0))
            break;
        i += k;
    }
    snprintf(buf, size, "\"%.*s\"", (int)i, s);
}

/* The refusal of a file that reads both ways. */
static int refuse(const char *name, const char *data, size_t len,
                  const struct tally *u, const struct tally *g,
                  const er_csv_text *gb)
{
    char us[128], gs[128];
    size_t at = 0;
    while (at < len && (unsigned char)data[at] < 0x80)
        at++;
    /* from the start of its field */
    while (at > 0 && !strchr(",\"\r\n", data[at - 1]))
        at--;
    sample(us, sizeof us, data + at, len - at);
    /* everything before `at` is ASCII, the same in both readings */
    sample(gs, sizeof gs, gb->data + at, gb->len - at);
    return er_fail(ER_EDATA,
                   "%s: cannot tell whether the file is UTF-8 or GBK: read "
                   "as UTF-8 it gives %s (%ld of %ld characters common in "
                   "Chinese text), read as GBK/GB18030 %s (%ld of %ld); give "
                   "--encoding utf-8 or --encoding gbk",
                   name, us, u->common, u->total, gs, g->common, g->total);
}

int er_csv_decode(er_csv_text *out, const char *name, const char *data,
                  size_t len, int want)
{
    const unsigned char *b = (const unsigned char *)data;
    struct tally u = {0, 0}, g = {0, 0};
    er_csv_text gb;
    bool gb_ok = false;
    int rc = ER_OK;

    memset(out, 0, sizeof *out);
    memset(&gb, 0, sizeof gb);
    out->data = data;
    out->len = len;
    out->encoding = "UTF-8";
    out->stop = SIZE_MAX;
    gb.stop = SIZE_MAX;

    if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) ||
                     (b[0] == 0xFE && b[1] == 0xFF)))
        return er_fail(ER_EDATA,
                       "%s: the file is UTF-16 (Excel's \"Unicode text\"); "
                       "save it as \"CSV UTF-8\" or plain CSV",
                       name);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        if (want == ER_CSV_GB18030)
            return er_fail(ER_EDATA,
                           "%s: the file starts with a UTF-8 byte order "
                           "mark, but --encoding asks for GBK/GB18030; "
                           "leave --encoding out",
                           name);
        return ER_OK;
    }
    if (want == ER_CSV_GB18030 ||
        (want == ER_CSV_AUTO && len >= 4 && memcmp(data, "\x84\x31\x95\x33", 4) == 0)) {
        bool ok;
        return convert_gb18030(out, data, len, &ok);
    }
    if (want == ER_CSV_UTF8)
        return ER_OK;

    /* detection: plain ASCII is UTF-8 */
    size_t i = 0;
    while (i < len && b[i] < 0x80)
        i++;
    if (i == len)
        return ER_OK;
    bool utf8_ok = utf8_end(data, len) == len;
    if ((rc = check_gb18030(data, len, &gb_ok)) != ER_OK)
        goto done;
    if (utf8_ok && !gb_ok)
        goto done; /* UTF-8 */
    if (gb_ok)
        count_gb18030(b, len, &g);
    if (utf8_ok) {
        if ((rc = count_utf8(data, len, &u)) != ER_OK)
            goto done;
        if (plausible(&u) && implausible(&g))
            goto done; /* UTF-8 */
        if (!(plausible(&g) && implausible(&u))) {
            if ((rc = convert_gb18030(&gb, data, len, &gb_ok)) == ER_OK)
                rc = refuse(name, data, len, &u, &g, &gb);
            goto done;
        }
    } else if (!gb_ok || !plausible(&g)) {
        /* the reader reports the first byte that is not UTF-8 */
        if (gb_ok)
            snprintf(out->advice, sizeof out->advice,
                     "; read as GBK/GB18030 the file does not give Chinese "
                     "text either (%ld of %ld characters common); save the "
                     "file as UTF-8, or give --encoding gbk if it is GBK",
                     g.common, g.total);
        else
            snprintf(out->advice, sizeof out->advice,
                     "; not GBK/GB18030 either; save the file as UTF-8");
        goto done;
    }
    /* GB18030 */
    rc = convert_gb18030(out, data, len, &gb_ok);
done:
    er_csv_text_free(&gb);
    return rc;
}

void er_csv_text_free(er_csv_text *t)
{
    if (!t)
        return;
    free(t->owned);
    t->owned = NULL;
}

void er_csv_init_text(er_csv *c, const char *name, const er_csv_text *t)
{
    er_csv_init(c, name, t->data, t->len);
    c->stop = t->stop;
    c->encoding = t->encoding;
    c->advice = t->advice[0] ? t->advice : NULL;
}
