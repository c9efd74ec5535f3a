/*
 * text.c - the text writers every output shares: exact numbers, plain
 * amounts, CSV fields, JSON strings, HTML text, and the check that what was
 * written reached the file.
 */
#include "base.h"

#include <assert.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (digits == 17 || strtod(buf, NULL) == v)
            break;
    }
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

void er_csv_put(FILE *fp, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    bool quote = n == 0 || strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' ||
                 s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
    if (!quote) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', fp);
        fputc(*p, fp);
    }
    fputc('"', fp);
}

void er_json_put(FILE *fp, const char *s)
{
    if (!s) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", fp);
            break;
        case '\\':
            fputs("\\\\", fp);
            break;
        case '\n':
            fputs("\\n", fp);
            break;
        case '\r':
            fputs("\\r", fp);
            break;
        case '\t':
            fputs("\\t", fp);
            break;
        default:
            if (*p < 0x20 || *p == 0x7F)
                fprintf(fp, "\\u%04x", *p);
            else
                fputc(*p, fp);
        }
    }
    fputc('"', fp);
}

void er_html_put(FILE *fp, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        case '\'':
            fputs("&#39;", fp);
            break;
        default:
            fputc(*p, fp);
        }
    }
}

int er_check_written(FILE *fp, const char *what)
{
    if (fflush(fp) != 0 || ferror(fp))
        return er_fail(ER_ERROR, "%s: cannot write: %s", what,
                       strerror(errno ? errno : EIO));
    return ER_OK;
}
