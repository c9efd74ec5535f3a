/*
 * export.c - writing a data table back out as CSV (er_export_csv) in the
 * format import.c reads, and the text writers every output shares: exact
 * numbers, plain amounts, CSV fields, JSON strings, HTML text. It reads the
 * tables as the schema (db.c) has them; what a valid row is stays
 * import.c's.
 */
#include "report.h"

#include <assert.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The order rows are written in: the table's key, so that two exports of
 * the same data are byte-identical. */
static const struct {
    const char *table;
    const char *order;
} orders[] = {
    {"region", "code"},
    {"metric", "key"},
    {"item", "code"},
    {"standard", "key, scope, region, year_from"},
    {"share", "item, tier, year_from"},
    {"transfer", "region, year, item"},
    {"fact", "region, year, metric"},
};

/* ---- text writers ------------------------------------------------------- */

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

/* ---- export ------------------------------------------------------------- */

/* Writes the column of the current row as a CSV field. */
static void put_value(FILE *fp, sqlite3_stmt *st, int i)
{
    char num[40];
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        break;
    case SQLITE_INTEGER:
        fprintf(fp, "%lld", (long long)sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT:
        fputs(er_fmt_exact(num, sizeof num, sqlite3_column_double(st, i)), fp);
        break;
    default:
        er_csv_put(fp, (const char *)sqlite3_column_text(st, i));
    }
}

/* Whether some region's parent sorts after it by code (never with GB/T 2260
 * codes), in which case regions are written parents first. */
static int parents_after_children(sqlite3 *db, bool *out)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT EXISTS (SELECT 1 FROM region r JOIN region "
                           "p ON p.code = r.parent WHERE p.code > r.code)",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        rc = er_fail_sqlite(db, "reading region");
    else
        *out = sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    return rc;
}

int er_export_csv(er_db *db, const char *table, FILE *fp, unsigned flags,
                  long *rows_out)
{
    sqlite3_stmt *st = NULL;
    sqlite3_str *sql = NULL;
    char *text = NULL;
    const char *order = NULL;
    long rows = 0;
    int rc = ER_OK, src, ncols;

    assert(db && table && fp);
    if (rows_out)
        *rows_out = 0;
    for (size_t i = 0; i < ER_ARRAY_LEN(orders); i++)
        if (strcmp(orders[i].table, table) == 0)
            order = orders[i].order;
    if (!order) {
        rc = er_fail(ER_EUSAGE,
                     "unknown table \"%s\"; export reads region, metric, "
                     "item, standard, share, transfer or fact",
                     table);
        goto done;
    }

    sql = sqlite3_str_new(db->db);
    if (strcmp(table, "region") == 0) {
        bool topo = false;
        if ((rc = parents_after_children(db->db, &topo)) != ER_OK)
            goto done;
        if (topo)
            /* depth first, so every parent comes before its children;
             * rows on a cycle of parents come last */
            sqlite3_str_appendall(
                sql, "WITH RECURSIVE d(code, depth) AS ("
                     "SELECT code, 0 FROM region WHERE parent IS NULL OR "
                     "parent NOT IN (SELECT code FROM region) UNION ALL "
                     "SELECT r.code, d.depth + 1 FROM region r JOIN d ON "
                     "r.parent = d.code) "
                     "SELECT region.* FROM region LEFT JOIN d USING (code) "
                     "ORDER BY coalesce(d.depth, 2147483647), code");
        else
            sqlite3_str_appendall(sql, "SELECT * FROM region ORDER BY code");
    } else {
        sqlite3_str_appendf(sql, "SELECT * FROM \"%w\" ORDER BY %s", table,
                            order);
    }
    src = sqlite3_str_errcode(sql);
    text = sqlite3_str_finish(sql);
    sql = NULL;
    if (src != SQLITE_OK || !text) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(db->db, text, -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, table);
        goto done;
    }

    if (flags & ER_CSV_EXCEL)
        fputs("\xEF\xBB\xBF", fp);
    ncols = sqlite3_column_count(st);
    for (int i = 0; i < ncols; i++) {
        if (i)
            fputc(',', fp);
        er_csv_put(fp, sqlite3_column_name(st, i));
    }
    fputc('\n', fp);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++) {
            if (i)
                fputc(',', fp);
            put_value(fp, st, i);
        }
        fputc('\n', fp);
        rows++;
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, table);
        goto done;
    }
    if ((rc = er_check_written(fp, table)) != ER_OK)
        goto done;
    if (rows_out)
        *rows_out = rows;
done:
    if (sql)
        sqlite3_free(sqlite3_str_finish(sql));
    sqlite3_free(text);
    sqlite3_finalize(st);
    return rc;
}
