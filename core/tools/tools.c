/*
 * tools.c - small helpers the tools for testers and rule authors share: a
 * collector of emitted findings, a finding's values as JSON, writing a
 * built text to a file, the line a call came from. It evaluates nothing and prints nothing itself; the
 * text they write is escaped by base/text.c.
 */
#include "tools.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int er_tools_collect(void *ctx, const er_finding *f)
{
    er_collected *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        er_finding *p = realloc(c->items, cap * sizeof *p);
        if (!p)
            return er_fail(ER_ENOMEM, "out of memory");
        c->items = p;
        c->cap = cap;
    }
    er_finding *d = &c->items[c->n];
    *d = *f;
    d->unit = er_strdup(f->unit);
    d->note = er_strdup(f->note);
    if (er_finding_copy_gaps(d, f) != ER_OK || (f->unit && !d->unit) ||
        (f->note && !d->note)) {
        er_finding_clear(d);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    c->n++;
    return ER_OK;
}

void er_tools_collected_free(er_collected *c)
{
    for (size_t i = 0; i < c->n; i++)
        er_finding_clear(&c->items[i]);
    free(c->items);
    memset(c, 0, sizeof *c);
}

/* A number as JSON: the shortest text that reads back as it; null when
 * absent or not finite. */
static void json_number(er_buf *b, bool has, double v)
{
    char n[40];
    er_buf_puts(b, has && isfinite(v) ? er_fmt_exact(n, sizeof n, v) : "null");
}

void er_tools_finding_json(er_buf *b, const er_finding *f)
{
    char n[40];
    er_buf_printf(b, "\"outcome\": \"%s\", \"measured\": ",
                  er_outcome_name((er_outcome)f->outcome));
    json_number(b, f->flags & ER_F_MEASURED, f->measured);
    er_buf_puts(b, ", \"required\": ");
    json_number(b, f->flags & ER_F_REQUIRED, f->required);
    er_buf_puts(b, ", \"amount\": ");
    er_buf_puts(b, f->flags & ER_F_AMOUNT
                       ? er_fmt_fen_plain(n, sizeof n, f->amount)
                       : "null");
    er_buf_puts(b, ", \"unit\": ");
    er_json_add(b, f->unit);
    er_buf_puts(b, ", \"note\": ");
    er_json_add(b, f->note);
}

int er_tools_write_file(const char *path, const er_buf *b)
{
    if (er_buf_status(b) != ER_OK)
        return ER_ENOMEM; /* never a truncated file */
    int rc = er_output_path_check(path);
    if (rc != ER_OK)
        return rc;
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return er_fail(ER_ERROR, "%s: %s", path, strerror(errno));
    bool ok = (!b->len || fwrite(b->data, 1, b->len, fp) == b->len);
    ok = (fclose(fp) == 0) && ok;
    if (!ok)
        return er_fail(ER_ERROR, "%s: cannot write the file", path);
    return ER_OK;
}

int er_tools_call_place(lua_State *L, const char *chunk, char *src,
                        size_t n)
{
    lua_Debug ar;
    int fallback = 0;
    if (n)
        src[0] = '\0';
    for (int level = 1; level < 64 && lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar))
            break;
        if (strcmp(ar.source, chunk) == 0) {
            if (n)
                snprintf(src, n, "%s", chunk[0] == '@' ? chunk + 1 : chunk);
            return ar.currentline;
        }
        if (!fallback && ar.currentline > 0) {
            fallback = ar.currentline;
            if (n)
                snprintf(src, n, "%s",
                         ar.source[0] == '@' ? ar.source + 1 : ar.short_src);
        }
    }
    return fallback;
}

int er_tools_call_line(lua_State *L, const char *chunk)
{
    char src[4096];
    int line = er_tools_call_place(L, chunk, src, sizeof src);
    /* a line of another chunk is no line of this one */
    return strcmp(src, chunk[0] == '@' ? chunk + 1 : chunk) == 0 ? line : 0;
}
