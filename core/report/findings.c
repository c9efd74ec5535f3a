/*
 * findings.c - the findings of a stored run read back as data, with
 * filters: the iterator of the public API (er_findings_open). It reads the
 * database only; rendering is the report writers' and the CLI's.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

struct er_findings {
    er_db *db;
    sqlite3_stmt *st;
    int64_t run;
    er_finding_row row;
};

int er_findings_open(er_findings **out, er_db *db, int64_t run_id,
                     const er_findings_filter *filter)
{
    static const er_findings_filter all = {0};
    const er_findings_filter *f = filter ? filter : &all;
    er_findings *it = NULL;
    sqlite3_stmt *st = NULL;
    er_buf sql;
    int rc;

    *out = NULL;
    er_buf_init(&sql);
    unsigned every = ER_OUTCOME_BIT(ER_OUTCOME_COUNT) - 1;
    if (f->outcomes && !(f->outcomes & every)) {
        rc = er_fail(ER_EUSAGE, "the outcome filter 0x%x names no outcome",
                     f->outcomes);
        goto done;
    }
    /* the run must exist: "no finding" and "no run" differ */
    if (sqlite3_prepare_v2(db->db, "SELECT 1 FROM run WHERE id = ?", -1, &st,
                           NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "reading the run");
        goto done;
    }
    sqlite3_bind_int64(st, 1, run_id);
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    st = NULL;
    if (src == SQLITE_DONE) {
        rc = er_fail(ER_ENOTFOUND,
                     "no run %lld in %s; `equirule runs --db %s` lists the "
                     "stored runs",
                     (long long)run_id, db->path, db->path);
        goto done;
    }
    if (src != SQLITE_ROW) {
        rc = er_fail_sqlite(db->db, "reading the run");
        goto done;
    }

    /* in the order of rule, region and year, and the order they were
     * recorded among the findings of one rule, region and year */
    er_buf_puts(&sql,
                "SELECT f.rule, coalesce(r.department, ''), f.region, "
                "coalesce(g.name, ''), f.year, f.outcome, f.measured, "
                "f.required, f.amount, f.unit, f.note FROM ");
    er_db_finding_sql(&sql);
    er_buf_puts(&sql,
                " f LEFT JOIN run_rule r ON r.run = f.run AND r.rule = f.rule "
                "LEFT JOIN region g ON g.code = f.region "
                "WHERE f.run = ?1 AND (?2 IS NULL OR f.rule = ?2) "
                "AND (?3 IS NULL OR r.department = ?3) "
                "AND (?4 IS NULL OR f.region = ?4) "
                "AND (?5 = 0 OR f.year = ?5)");
    if (f->outcomes && (f->outcomes & every) != every) {
        /* the names are the library's own, not the caller's text */
        er_buf_puts(&sql, " AND f.outcome IN (");
        const char *sep = "";
        for (int o = 0; o < ER_OUTCOME_COUNT; o++) {
            if (!(f->outcomes & ER_OUTCOME_BIT(o)))
                continue;
            er_buf_printf(&sql, "%s'%s'", sep, er_outcome_name((er_outcome)o));
            sep = ", ";
        }
        er_buf_puts(&sql, ")");
    }
    er_buf_puts(&sql, " ORDER BY f.rule_no, f.region_key, f.year, f.seq");
    if (sql.err || !sql.data) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(db->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "reading the findings");
        goto done;
    }
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_text(st, 2, f->rule, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, f->department, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, f->region, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 5, f->year);
    if (!(it = calloc(1, sizeof *it))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    it->db = db;
    it->st = st;
    it->run = run_id;
    st = NULL;
    *out = it;
    rc = ER_OK;
done:
    sqlite3_finalize(st);
    er_buf_free(&sql);
    return rc;
}

static const char *text_or_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? NULL
               : (const char *)sqlite3_column_text(st, col);
}

int er_findings_next(er_findings *it, const er_finding_row **row_out)
{
    sqlite3_stmt *st = it->st;
    er_finding_row *r = &it->row;
    *row_out = NULL;
    int src = sqlite3_step(st);
    if (src == SQLITE_DONE)
        return 0;
    if (src != SQLITE_ROW)
        return er_fail_sqlite(it->db->db, "reading the findings");
    memset(r, 0, sizeof *r);
    r->rule = (const char *)sqlite3_column_text(st, 0);
    r->department = (const char *)sqlite3_column_text(st, 1);
    r->region = (const char *)sqlite3_column_text(st, 2);
    r->region_name = (const char *)sqlite3_column_text(st, 3);
    r->year = sqlite3_column_int(st, 4);
    const char *outcome = (const char *)sqlite3_column_text(st, 5);
    int o = outcome ? er_outcome_parse(outcome) : -1;
    if (o < 0)
        return er_fail(ER_EDATA,
                       "run %lld in %s: a finding of rule %s for %s has the "
                       "unknown outcome '%s'",
                       (long long)it->run, it->db->path,
                       r->rule ? r->rule : "?", r->region ? r->region : "?",
                       outcome ? outcome : "");
    r->outcome = (er_outcome)o;
    if ((r->has_measured = sqlite3_column_type(st, 6) != SQLITE_NULL))
        r->measured = sqlite3_column_double(st, 6);
    if ((r->has_required = sqlite3_column_type(st, 7) != SQLITE_NULL))
        r->required = sqlite3_column_double(st, 7);
    if ((r->has_amount = sqlite3_column_type(st, 8) != SQLITE_NULL))
        r->amount_fen = sqlite3_column_int64(st, 8);
    r->unit = text_or_null(st, 9);
    r->note = text_or_null(st, 10);
    if (!r->rule || !r->department || !r->region || !r->region_name)
        return er_fail(ER_ENOMEM, "out of memory");
    *row_out = r;
    return 1;
}

void er_findings_free(er_findings *it)
{
    if (!it)
        return;
    sqlite3_finalize(it->st);
    free(it);
}
