/*
 * export.c - writing a data table back out as CSV (er_export_csv) in the
 * format import.c reads, and the query of a table's rows in that order
 * (er_export_statement, which the workbook writer shares). It reads the tables as the schema (db.c) has them;
 * what a valid row is stays import.c's.
 */
#include "store.h"

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
    {"split", "city, item, year_from"},
    {"city_transfer", "region, year, item"},
    {"fact", "region, year, metric"},
    {"zone", "sort, code"},
    {"setting", "key"},
    {"national_average", "key, year"},
};

/* ---- export ------------------------------------------------------------- */

/* Writes the column of the current row as a CSV field of `kind`. */
static void put_value(FILE *fp, sqlite3_stmt *st, int i, er_text_kind kind)
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
        er_text_put(fp, kind, (const char *)sqlite3_column_text(st, i));
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

/* Appends the table's columns but `version` (the data version that wrote
 * the row, version.c: not data, and not importable), in schema order,
 * each after `prefix`. */
static int add_columns_of(sqlite3 *db, const char *table, const char *prefix,
                          er_buf *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, src, n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM pragma_table_info(?1) "
                           "WHERE name <> 'version' ORDER BY cid",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, table);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        er_buf_puts(sql, n++ ? ", " : "");
        er_buf_puts(sql, prefix);
        er_buf_sql_ident(sql, (const char *)sqlite3_column_text(st, 0));
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db, table);
    else if (n == 0)
        rc = er_fail(ER_ERROR, "the database has no %s table", table);
    sqlite3_finalize(st);
    return rc;
}

static int add_columns(sqlite3 *db, const char *table, er_buf *sql)
{
    return add_columns_of(db, table, "", sql);
}

int er_export_statement(er_db *db, const char *table, sqlite3_stmt **out)
{
    er_buf sql;
    const char *order = NULL;
    int rc = ER_OK;

    assert(db && table && out);
    *out = NULL;
    er_buf_init(&sql);
    for (size_t i = 0; i < ER_ARRAY_LEN(orders); i++)
        if (strcmp(orders[i].table, table) == 0)
            order = orders[i].order;
    if (!order) {
        rc = er_fail(ER_EUSAGE,
                     "unknown table \"%s\"; export reads region, metric, "
                     "item, standard, share, transfer, split, "
                     "city_transfer, fact, zone, setting or national_average",
                     table);
        goto done;
    }

    if (strcmp(table, "region") == 0) {
        bool topo = false;
        if ((rc = parents_after_children(db->db, &topo)) != ER_OK)
            goto done;
        if (topo)
            /* depth first, so every parent comes before its children;
             * rows on a cycle of parents come last */
            er_buf_puts(
                &sql, "WITH RECURSIVE d(code, depth) AS ("
                     "SELECT code, 0 FROM region WHERE parent IS NULL OR "
                     "parent NOT IN (SELECT code FROM region) UNION ALL "
                     "SELECT r.code, d.depth + 1 FROM region r JOIN d ON "
                     "r.parent = d.code) "
                     "SELECT ");
        er_buf_puts(&sql, topo ? "" : "SELECT ");
        if ((rc = add_columns_of(db->db, table, topo ? "region." : "",
                                 &sql)) != ER_OK)
            goto done;
        if (topo)
            er_buf_puts(&sql, " FROM region LEFT JOIN d USING (code) "
                              "ORDER BY coalesce(d.depth, 2147483647), code");
        else
            er_buf_puts(&sql, " FROM region ORDER BY code");
    } else {
        er_buf_puts(&sql, "SELECT ");
        if ((rc = add_columns(db->db, table, &sql)) != ER_OK)
            goto done;
        er_buf_puts(&sql, " FROM ");
        er_buf_sql_ident(&sql, table);
        er_buf_printf(&sql, " ORDER BY %s", order);
    }
    if ((rc = er_buf_status(&sql)) != ER_OK)
        goto done;
    if (sqlite3_prepare_v2(db->db, sql.data, -1, out, NULL) != SQLITE_OK)
        rc = er_fail_sqlite(db->db, table);
done:
    er_buf_free(&sql);
    return rc;
}

int er_export_csv(er_db *db, const char *table, FILE *fp, unsigned flags,
                  long *rows_out)
{
    sqlite3_stmt *st = NULL;
    long rows = 0;
    int rc = ER_OK, src, ncols;

    assert(db && table && fp);
    if (rows_out)
        *rows_out = 0;
    if ((rc = er_export_statement(db, table, &st)) != ER_OK)
        goto done;

    /* bound for a spreadsheet: no text cell reads as a formula */
    er_text_kind kind = flags & ER_CSV_EXCEL ? ER_TEXT_CSV_SHEET : ER_TEXT_CSV;
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
            put_value(fp, st, i, kind);
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
    sqlite3_finalize(st);
    return rc;
}
