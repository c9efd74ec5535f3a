/*
 * csv.c - the CSV reader (csv.h): splits UTF-8 text into records and
 * fields, unquoting as it goes, and reports where each field starts. It owns
 * the copies of the current record's fields; it neither trims nor converts
 * values, and knows nothing of headers (import.c does).
 */
#include "csv.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void er_csv_init(er_csv *c, const char *name, const char *data, size_t len)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->data = data;
    c->len = len;
    c->pos_line = 1;
    c->stop = SIZE_MAX;
    er_buf_init(&c->text);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
}

void er_csv_free(er_csv *c)
{
    if (!c)
        return;
    free(c->fields);
    free(c->offs);
    er_buf_free(&c->text);
    c->fields = NULL;
    c->offs = NULL;
    c->cap = 0;
    c->nfields = 0;
}

size_t er_csv_utf8_len(const unsigned char *s, size_t n)
{
    unsigned char b = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */

    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 3;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 4;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return need;
}

static int fail_at(er_csv *c, int code, long line, const char *reason)
{
    c->failed =
        er_fail(code, "%s:%ld:%zu: %s", c->name, line, c->nfields + 1, reason);
    return c->failed;
}

/* The error of a byte at c->pos that is not valid in the file's encoding:
 * the converted text stops there (c->stop), or it is not UTF-8. */
static int invalid_byte(er_csv *c)
{
    char reason[512];
    snprintf(reason, sizeof reason, "invalid %s (byte 0x%02X)%s",
             c->encoding ? c->encoding : "UTF-8",
             (unsigned char)c->data[c->pos],
             c->advice ? c->advice : "; save the file as UTF-8");
    return fail_at(c, ER_EDATA, c->pos_line, reason);
}

/* Checks the character at c->pos as field content: NUL and invalid UTF-8
 * are errors. *n_out receives its length in bytes. */
static int content_char(er_csv *c, size_t *n_out)
{
    const unsigned char *s = (const unsigned char *)c->data + c->pos;

    if (*s == '\0')
        return fail_at(c, ER_EDATA, c->pos_line, "NUL byte");
    if (c->pos == c->stop)
        return invalid_byte(c);
    size_t n = er_csv_utf8_len(s, c->len - c->pos);
    if (n == 0)
        return invalid_byte(c);
    *n_out = n;
    return ER_OK;
}

/* Consumes a line end (CRLF, CR or LF) at c->pos. */
static void skip_line_end(er_csv *c)
{
    if (c->data[c->pos] == '\r' && c->pos + 1 < c->len &&
        c->data[c->pos + 1] == '\n')
        c->pos++;
    c->pos++;
    c->pos_line++;
}

static int add_text(er_csv *c, const char *s, size_t n)
{
    if (er_buf_add(&c->text, s, n) != ER_OK)
        return c->failed = er_fail(ER_ENOMEM, "out of memory");
    return ER_OK;
}

/* Opens field number c->nfields + 1, starting at text offset c->text.len. */
static int begin_field(er_csv *c)
{
    if (c->nfields == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        er_csv_field *fields = realloc(c->fields, cap * sizeof *fields);
        if (fields)
            c->fields = fields;
        size_t *offs = fields ? realloc(c->offs, cap * sizeof *offs) : NULL;
        if (!offs)
            return c->failed = er_fail(ER_ENOMEM, "out of memory");
        c->offs = offs;
        c->cap = cap;
    }
    c->offs[c->nfields] = c->text.len;
    c->fields[c->nfields].line = c->pos_line;
    c->fields[c->nfields].quoted = false;
    return ER_OK;
}

static int end_field(er_csv *c)
{
    er_csv_field *f = &c->fields[c->nfields];
    f->len = c->text.len - c->offs[c->nfields];
    if (add_text(c, "", 1) != ER_OK)
        return c->failed;
    c->nfields++;
    return ER_OK;
}

/* Reads a quoted field's content, c->pos being just past the opening
 * quote, up to and including the closing quote. */
static int read_quoted(er_csv *c, long start_line)
{
    for (;;) {
        if (c->pos >= c->len)
            return fail_at(c, ER_EDATA, start_line,
                           "quoted field not closed before the end of the "
                           "file");
        char ch = c->data[c->pos];
        if (ch == '"') {
            if (c->pos + 1 < c->len && c->data[c->pos + 1] == '"') {
                if (add_text(c, "\"", 1) != ER_OK)
                    return c->failed;
                c->pos += 2;
                continue;
            }
            c->pos++;
            return ER_OK;
        }
        if (ch == '\r' || ch == '\n') {
            /* a line end: LF or CRLF reads as LF; a lone CR stays CR, so
             * that what refuses it names the character the file holds */
            bool lone_cr = ch == '\r' && (c->pos + 1 >= c->len ||
                                          c->data[c->pos + 1] != '\n');
            skip_line_end(c);
            if (add_text(c, lone_cr ? "\r" : "\n", 1) != ER_OK)
                return c->failed;
            continue;
        }
        size_t n = 0;
        int rc = content_char(c, &n);
        if (rc != ER_OK)
            return rc;
        if (add_text(c, c->data + c->pos, n) != ER_OK)
            return c->failed;
        c->pos += n;
    }
}

/* Checks what follows a closing quote: a comma, a line end or the end. */
static int after_quote(er_csv *c)
{
    const unsigned char *s = (const unsigned char *)c->data + c->pos;
    char reason[96];

    if (c->pos >= c->len || *s == ',' || *s == '\r' || *s == '\n')
        return ER_OK;
    if (c->pos == c->stop)
        return invalid_byte(c);
    size_t n = er_csv_utf8_len(s, c->len - c->pos);
    if (*s >= 0x20 && *s != 0x7F && n > 0)
        snprintf(reason, sizeof reason,
                 "'%.*s' after the closing quote of a quoted field", (int)n,
                 (const char *)s);
    else
        snprintf(reason, sizeof reason,
                 "byte 0x%02X after the closing quote of a quoted field", *s);
    return fail_at(c, ER_EDATA, c->pos_line, reason);
}

/* Reads an unquoted field's content up to a comma, a line end or the end. */
static int read_plain(er_csv *c)
{
    size_t start = c->pos;
    while (c->pos < c->len) {
        char ch = c->data[c->pos];
        if (ch == ',' || ch == '\r' || ch == '\n')
            break;
        size_t n = 0;
        int rc = content_char(c, &n);
        if (rc != ER_OK)
            return rc;
        c->pos += n;
    }
    return add_text(c, c->data + start, c->pos - start);
}

er_csv_mark er_csv_tell(const er_csv *c)
{
    return (er_csv_mark){c->start, c->line};
}

void er_csv_seek(er_csv *c, er_csv_mark at)
{
    assert(!c->failed && at.pos <= c->len);
    c->pos = at.pos;
    c->pos_line = at.line;
}

int er_csv_next_record(er_csv *c)
{
    int rc;

    if (c->failed)
        return c->failed;
    c->nfields = 0;
    c->text.len = 0;

    /* blank lines */
    while (c->pos < c->len &&
           (c->data[c->pos] == '\n' || c->data[c->pos] == '\r')) {
        skip_line_end(c);
        c->empty_lines++;
    }
    if (c->pos >= c->len)
        return 0;
    c->line = c->pos_line;
    c->start = c->pos;

    for (;;) {
        if ((rc = begin_field(c)) != ER_OK)
            return rc;
        if (c->pos < c->len && c->data[c->pos] == '"') {
            c->fields[c->nfields].quoted = true;
            c->pos++;
            if ((rc = read_quoted(c, c->fields[c->nfields].line)) != ER_OK)
                return rc;
            if ((rc = after_quote(c)) != ER_OK)
                return rc;
        } else if ((rc = read_plain(c)) != ER_OK) {
            return rc;
        }
        if ((rc = end_field(c)) != ER_OK)
            return rc;
        if (c->pos < c->len && c->data[c->pos] == ',') {
            c->pos++;
            continue;
        }
        if (c->pos < c->len)
            skip_line_end(c);
        break;
    }

    for (size_t i = 0; i < c->nfields; i++)
        c->fields[i].data = c->text.data + c->offs[i];
    return 1;
}
