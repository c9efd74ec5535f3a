/*
 * results.c - reading stored runs back: counts, the run summary printed by
 * `equirule run`, and the list of runs. Everything here reads the database;
 * nothing evaluates.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LISTED 200

static const char *const outcome_cols[ER_OUTCOME_COUNT] = {
    "pass", "fail", "warn", "skip", "cut", "alloc", "missing", "error"};

static int add_gaps(er_db *db, int64_t run_id, const er_rep_filter *f,
                    er_gapset *gs);

int er_run_gapset_filtered(er_db *db, int64_t run_id, const er_rep_filter *f,
                           er_gapset *gs)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, src;
    if (!f || !f->active)
        return er_run_gapset(db, run_id, gs);
    /* the counts of the findings shown: a rule none of them names is not
     * one that "assessed nothing" */
    if (sqlite3_prepare_v2(db->db,
                           "SELECT f.rule, f.year, f.outcome, count(*) FROM "
                           "finding f WHERE f.run = ?1" ER_REP_FILTER_SQL
                           " GROUP BY f.rule, f.year, f.outcome "
                           "ORDER BY f.rule, f.year",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    sqlite3_bind_int64(st, 1, run_id);
    er_rep_filter_bind(f, st);
    while (rc == ER_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = er_gapset_count(
            gs, (const char *)sqlite3_column_text(st, 0),
            sqlite3_column_int(st, 1),
            er_outcome_parse((const char *)sqlite3_column_text(st, 2)),
            (long)sqlite3_column_int64(st, 3));
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the run");
    sqlite3_finalize(st);
    return rc == ER_OK ? add_gaps(db, run_id, f, gs) : rc;
}

int er_run_gapset(er_db *db, int64_t run_id, er_gapset *gs)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, src;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT rule, year, outcome, n FROM run_count "
                           "WHERE run = ? ORDER BY rule, year",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    sqlite3_bind_int64(st, 1, run_id);
    while (rc == ER_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = er_gapset_count(
            gs, (const char *)sqlite3_column_text(st, 0),
            sqlite3_column_int(st, 1),
            er_outcome_parse((const char *)sqlite3_column_text(st, 2)),
            (long)sqlite3_column_int64(st, 3));
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the run");
    sqlite3_finalize(st);
    st = NULL;
    if (rc != ER_OK)
        return rc;
    /* a rule of the run that evaluated nothing at all (no region of its
     * level, or not in effect in the run's years): year 0, no counts */
    if (sqlite3_prepare_v2(db->db,
                           "SELECT rule FROM run_rule r WHERE run = ?1 AND "
                           "NOT EXISTS (SELECT 1 FROM run_count c WHERE "
                           "c.run = ?1 AND c.rule = r.rule) ORDER BY rule",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    sqlite3_bind_int64(st, 1, run_id);
    while (rc == ER_OK && (src = sqlite3_step(st)) == SQLITE_ROW)
        rc = er_gapset_count(gs, (const char *)sqlite3_column_text(st, 0), 0,
                             ER_PASS, 0);
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the run");
    sqlite3_finalize(st);
    st = NULL;
    if (rc != ER_OK)
        return rc;
    return add_gaps(db, run_id, NULL, gs);
}

/* Adds the data gaps of run `run_id` whose findings pass `f` (may be
 * NULL) to gs. */
static int add_gaps(er_db *db, int64_t run_id, const er_rep_filter *f,
                    er_gapset *gs)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, src;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT rule, region, year, kind, key, "
                           "data_region, data_year FROM run_gap gp "
                           "WHERE gp.run = ?1 AND (?2 = 0 OR EXISTS (SELECT "
                           "1 FROM finding f WHERE f.run = gp.run AND "
                           "f.rule = gp.rule AND f.region = gp.region AND "
                           "f.year = gp.year" ER_REP_FILTER_SQL ")) "
                           "ORDER BY gp.rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run's data gaps");
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int(st, 2, f && f->active);
    er_rep_filter_bind(f, st);
    while (rc == ER_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 3);
        int k = ER_GAP_NONE;
        for (int i = 1; i < ER_GAP_KIND_COUNT; i++)
            if (kind && strcmp(kind, er_gap_kind_name(i)) == 0)
                k = i;
        rc = er_gapset_add(gs, (const char *)sqlite3_column_text(st, 0),
                           (const char *)sqlite3_column_text(st, 1),
                           sqlite3_column_int(st, 2), k,
                           (const char *)sqlite3_column_text(st, 4),
                           (const char *)sqlite3_column_text(st, 5),
                           sqlite3_column_int(st, 6));
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the run's data gaps");
    sqlite3_finalize(st);
    return rc;
}

int er_run_print_gaps(er_db *db, int64_t run_id, FILE *fp, er_format fmt)
{
    er_gapset gs;
    er_gapset_init(&gs);
    int rc = er_run_gapset(db, run_id, &gs);
    if (rc == ER_OK)
        rc = er_gapset_write(&gs, db->db, fp, fmt, ER_GAPS_ALL);
    er_gapset_free(&gs);
    return rc;
}

int er_run_latest(er_db *db, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_ENOTFOUND;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT max(id) FROM run WHERE status = 'done'", -1,
                           &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading runs");
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        *out = sqlite3_column_int64(st, 0);
        rc = ER_OK;
    } else if (src != SQLITE_ROW) {
        /* a damaged database is an error, never "no run" */
        rc = er_fail_sqlite(db->db, "reading runs");
    } else {
        er_fail(ER_ENOTFOUND, "%s holds no finished run; start one with "
                              "`equirule run`",
                db->path);
    }
    sqlite3_finalize(st);
    return rc;
}

/* The message of a stored total that does not fit in 64-bit fen. */
static int total_overflow(er_db *db, int64_t run_id, int outcome)
{
    return er_fail(ER_EDATA,
                   "run %lld in %s: the %s amounts add up to more than "
                   "92,233,720,368,547,758.07 元, the largest total that can "
                   "be summed; the run cannot be summarized",
                   (long long)run_id, db->path,
                   er_outcome_name((er_outcome)outcome));
}

int er_run_summarize(er_db *db, int64_t run_id, er_run_summary *out)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, src;
    memset(out, 0, sizeof *out);
    out->id = run_id;
    /* run_count holds the counts the recorder kept; the amounts are
     * summed here, checked, rather than by SQLite's sum() */
    if (sqlite3_prepare_v2(db->db,
                           "SELECT outcome, n, amount FROM run_count "
                           "WHERE run = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    sqlite3_bind_int64(st, 1, run_id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int o = er_outcome_parse((const char *)sqlite3_column_text(st, 0));
        if (o < 0)
            continue;
        long n = (long)sqlite3_column_int64(st, 1);
        out->counts[o] += n;
        out->findings += n;
        int64_t amount = sqlite3_column_int64(st, 2);
        if ((o == ER_CUT && !er_fen_add(&out->cut_fen, amount)) ||
            (o == ER_ALLOCATION && !er_fen_add(&out->allocation_fen, amount))) {
            rc = total_overflow(db, run_id, o);
            break;
        }
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the run");
    sqlite3_finalize(st);
    if (rc != ER_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

static const char *color_of(int outcome)
{
    switch (outcome) {
    case ER_PASS:
        return "\033[32m";
    case ER_FAIL:
        return "\033[31m";
    case ER_WARN:
    case ER_MISSING:
        return "\033[33m";
    case ER_ERROR_OUTCOME:
        return "\033[35m";
    case ER_CUT:
    case ER_ALLOCATION:
        return "\033[36m";
    default:
        return "";
    }
}

static void put_count(FILE *fp, long n, int outcome, int width, int color)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", n);
    if (color && n > 0 && *color_of(outcome)) {
        for (int i = (int)strlen(buf); i < width; i++)
            fputc(' ', fp);
        fprintf(fp, "%s%s\033[0m", color_of(outcome), buf);
    } else {
        er_fput_padded(fp, n ? buf : "·", width, true);
    }
}

/* The assessed share of a row of counts, "100.0%"; red when none. */
static void put_assessed(FILE *fp, const long counts[ER_OUTCOME_COUNT],
                         int color)
{
    long all = 0, assessed = er_counts_assessed(counts);
    char buf[32];
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        all += counts[o];
    if (!all)
        snprintf(buf, sizeof buf, "—");
    else /* rounded down: 99.96% is not 100.0% */
        snprintf(buf, sizeof buf, "%.1f%%",
                 floor((double)assessed * 1000.0 / (double)all) / 10.0);
    if (color && all && !assessed) {
        for (int i = (int)strlen(buf); i < 10; i++)
            fputc(' ', fp);
        fprintf(fp, "\033[31m%s\033[0m", buf);
    } else {
        er_fput_padded(fp, buf, 10, true);
    }
}

static int print_header(er_db *db, int64_t run_id, FILE *fp)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT years, status, evaluations, rules_digest, "
                           "data_digest, started_at, "
                           "(SELECT count(*) FROM run_rule WHERE run = id), "
                           "(SELECT count(*) FROM rule_file WHERE run = id "
                           "  AND path NOT LIKE 'scripts/lib/%'), "
                           "(SELECT count(*) FROM rule_file WHERE run = id "
                           "  AND path LIKE 'scripts/lib/%'), "
                           ER_RUN_SCOPE_TEXT_SQL("scope")
                           " FROM run WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    sqlite3_bind_int64(st, 1, run_id);
    int src = sqlite3_step(st);
    if (src != SQLITE_ROW) {
        int rc = src == SQLITE_DONE
                     ? er_fail(ER_ENOTFOUND, "no run %lld in %s",
                               (long long)run_id, db->path)
                     : er_fail_sqlite(db->db, "reading the run");
        sqlite3_finalize(st);
        return rc;
    }
    int modules = sqlite3_column_int(st, 8);
    char mods[64] = "";
    if (modules)
        snprintf(mods, sizeof mods, " and %d helper module%s", modules,
                 modules == 1 ? "" : "s");
    fprintf(fp,
            "run %lld · %s · %s · %d rules from %d files%s · %lld "
            "evaluations\n"
            "rules %.12s · data %.12s · started %s\n\n",
            (long long)run_id, sqlite3_column_text(st, 0),
            sqlite3_column_text(st, 1), sqlite3_column_int(st, 6),
            sqlite3_column_int(st, 7), mods,
            (long long)sqlite3_column_int64(st, 2),
            sqlite3_column_text(st, 3), sqlite3_column_text(st, 4),
            sqlite3_column_text(st, 5));
    if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
        fputs("partial run: ", fp);
        er_term_put(fp, (const char *)sqlite3_column_text(st, 9));
        fputs("\n\n", fp);
    }
    sqlite3_finalize(st);
    return ER_OK;
}

int er_run_summarize_filtered(er_db *db, int64_t run_id,
                              const er_rep_filter *f, er_run_summary *out)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, src;
    if (!f || !f->active)
        return er_run_summarize(db, run_id, out);
    memset(out, 0, sizeof *out);
    out->id = run_id;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT f.outcome, f.amount FROM finding f "
                           "WHERE f.run = ?1" ER_REP_FILTER_SQL,
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the findings");
    sqlite3_bind_int64(st, 1, run_id);
    er_rep_filter_bind(f, st);
    while (rc == ER_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
        int o = er_outcome_parse((const char *)sqlite3_column_text(st, 0));
        if (o < 0)
            continue; /* the schema's checks make this impossible */
        out->counts[o]++;
        out->findings++;
        if ((o == ER_CUT || o == ER_ALLOCATION) &&
            sqlite3_column_type(st, 1) != SQLITE_NULL &&
            !er_fen_add(o == ER_CUT ? &out->cut_fen : &out->allocation_fen,
                        sqlite3_column_int64(st, 1)))
            rc = total_overflow(db, run_id, o);
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the findings");
    sqlite3_finalize(st);
    return rc;
}

int er_run_print_summary(er_db *db, int64_t run_id, FILE *fp, int color)
{
    return er_run_print_summary_filtered(db, run_id, NULL, fp, color);
}

int er_run_print_summary_filtered(er_db *db, int64_t run_id,
                                  const er_rep_filter *f, FILE *fp, int color)
{
    sqlite3_stmt *st = NULL;
    int rc;
    char num[64], num2[64];
    bool filtered = f && f->active;
    if ((rc = print_header(db, run_id, fp)) != ER_OK)
        return rc;
    if (filtered) {
        fputs("filtered: ", fp);
        er_term_put(fp, f->text);
        fputs("\n\n", fp);
    }

    /* counts per rule: the run's, or those of the findings shown */
    if (sqlite3_prepare_v2(
            db->db,
            filtered ? "SELECT f.rule, f.outcome, count(*), NULL FROM "
                       "finding f WHERE f.run = ?1" ER_REP_FILTER_SQL
                       " GROUP BY f.rule, f.outcome ORDER BY f.rule"
                     : "SELECT r.rule, c.outcome, coalesce(c.n, 0), c.amount "
                       "FROM run_rule r LEFT JOIN run_count c "
                       "  ON c.run = r.run AND c.rule = r.rule "
                       "WHERE r.run = ?1 ORDER BY r.rule",
            -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    sqlite3_bind_int64(st, 1, run_id);
    er_rep_filter_bind(f, st);
    typedef struct row {
        char id[128];
        long counts[ER_OUTCOME_COUNT];
    } row;
    row *rows = NULL;
    size_t nrows = 0;
    long total[ER_OUTCOME_COUNT] = {0};
    int wid = 4, src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!nrows || strcmp(rows[nrows - 1].id, id) != 0) {
            row *g = realloc(rows, (nrows + 1) * sizeof *g);
            if (!g) {
                free(rows);
                sqlite3_finalize(st);
                return er_fail(ER_ENOMEM, "out of memory");
            }
            rows = g;
            memset(&rows[nrows], 0, sizeof *rows);
            snprintf(rows[nrows].id, sizeof rows[nrows].id, "%s", id);
            if ((int)strlen(id) > wid)
                wid = (int)strlen(id);
            nrows++;
        }
        int o = er_outcome_parse((const char *)sqlite3_column_text(st, 1));
        if (o >= 0) { /* one row per year */
            rows[nrows - 1].counts[o] += (long)sqlite3_column_int64(st, 2);
            total[o] += (long)sqlite3_column_int64(st, 2);
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (src != SQLITE_DONE) {
        free(rows);
        return er_fail_sqlite(db->db, "reading the run");
    }
    er_fput_padded(fp, "rule", wid + 2, false);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        er_fput_padded(fp, outcome_cols[o], 8, true);
    er_fput_padded(fp, "assessed", 10, true);
    fputc('\n', fp);
    for (size_t i = 0; i < nrows; i++) {
        er_fput_padded(fp, rows[i].id, wid + 2, false);
        for (int o = 0; o < ER_OUTCOME_COUNT; o++)
            put_count(fp, rows[i].counts[o], o, 8, color);
        put_assessed(fp, rows[i].counts, color);
        fputc('\n', fp);
    }
    er_fput_padded(fp, "total", wid + 2, false);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        put_count(fp, total[o], o, 8, color);
    put_assessed(fp, total, color);
    fputc('\n', fp);
    free(rows);

    /* what the run could not check: coverage, rules that assessed
     * nothing, data gaps */
    er_gapset gs;
    er_gapset_init(&gs);
    rc = er_run_gapset_filtered(db, run_id, f, &gs);
    if (rc == ER_OK)
        rc = er_gapset_write(&gs, db->db, fp, ER_FORMAT_TEXT,
                             ER_GAPS_COVERAGE | (color ? ER_GAPS_COLOR : 0));
    if (rc != ER_OK) {
        er_gapset_free(&gs);
        return rc;
    }

    /* money */
    er_run_summary sum;
    if ((rc = er_run_summarize_filtered(db, run_id, f, &sum)) != ER_OK) {
        er_gapset_free(&gs);
        return rc;
    }
    if (sum.counts[ER_CUT] || sum.counts[ER_ALLOCATION]) {
        fprintf(fp, "\ncuts (核减) %s 元 in %ld findings; allocations (分配) "
                    "%s 元 in %ld findings\n",
                er_fmt_fen(num, sizeof num, sum.cut_fen), sum.counts[ER_CUT],
                er_fmt_fen(num2, sizeof num2, sum.allocation_fen),
                sum.counts[ER_ALLOCATION]);
    }
    rc = er_gapset_write(&gs, db->db, fp, ER_FORMAT_TEXT,
                         ER_GAPS_UNASSESSED | ER_GAPS_DATA |
                             (color ? ER_GAPS_COLOR : 0));
    er_gapset_free(&gs);
    if (rc != ER_OK)
        return rc;

    /* failing findings */
    long failing = sum.counts[ER_FAIL] + sum.counts[ER_MISSING] +
                   sum.counts[ER_ERROR_OUTCOME];
    if (failing == 0) {
        /* a run that assessed nothing said so above: never "clean" */
        if (er_counts_assessed(sum.counts) > 0)
            fprintf(fp, "\nno failing findings\n");
        return ER_OK;
    }
    fprintf(fp, "\nfailing findings (%ld):\n", failing);
    if (sqlite3_prepare_v2(
            db->db,
            "SELECT f.year, f.region, coalesce(g.name, ''), f.rule, "
            "f.outcome, f.measured, f.required, f.unit, f.note "
            "FROM finding f LEFT JOIN region g ON g.code = f.region "
            "WHERE f.run = ?1 AND f.outcome IN ('fail','missing','error')"
            ER_REP_FILTER_SQL " ORDER BY f.year, f.rule, f.region LIMIT ?2",
            -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the findings");
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int(st, 2, MAX_LISTED);
    er_rep_filter_bind(f, st);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        char region[128];
        int o = er_outcome_parse((const char *)sqlite3_column_text(st, 4));
        snprintf(region, sizeof region, "%s %s", sqlite3_column_text(st, 1),
                 sqlite3_column_text(st, 2));
        fprintf(fp, "  %d  ", sqlite3_column_int(st, 0));
        er_fput_padded(fp, region, 18, false);
        er_fput_padded(fp, (const char *)sqlite3_column_text(st, 3), wid + 2,
                       false);
        if (color)
            fprintf(fp, "%s", color_of(o));
        er_fput_padded(fp, er_outcome_name((er_outcome)o), 8, false);
        if (color)
            fputs("\033[0m", fp);
        const char *unit = (const char *)sqlite3_column_text(st, 7);
        if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
            fprintf(fp, "%s", er_rep_num(num, sizeof num,
                                         sqlite3_column_double(st, 5)));
            if (unit) {
                fputc(' ', fp);
                er_term_put(fp, unit);
            }
            if (sqlite3_column_type(st, 6) != SQLITE_NULL)
                fprintf(fp, " (required %s)",
                        er_rep_num(num2, sizeof num2,
                                   sqlite3_column_double(st, 6)));
            if (sqlite3_column_type(st, 8) != SQLITE_NULL)
                fputs("  ", fp);
        }
        if (sqlite3_column_type(st, 8) != SQLITE_NULL)
            er_term_put(fp, (const char *)sqlite3_column_text(st, 8));
        fputc('\n', fp);
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return er_fail_sqlite(db->db, "reading the findings");
    if (failing > MAX_LISTED)
        fprintf(fp, "  ... and %ld more\n", failing - MAX_LISTED);
    return ER_OK;
}

/* The columns of the list of runs, in query order. */
enum {
    RUN_ID, RUN_STARTED, RUN_FINISHED, RUN_STATUS, RUN_YEARS, RUN_RULES,
    RUN_FINDINGS, RUN_FAILING, RUN_CUT, RUN_ALLOCATION, RUN_RULES_DIGEST,
    RUN_DATA_DIGEST, RUN_USER, RUN_ENGINE, RUN_OPTIONS, RUN_ASSESSED,
    RUN_SCOPE, RUN_DATA_VERSION, RUN_NCOLS
};

static const char *const run_keys[RUN_NCOLS] = {
    "id",       "started_at", "finished_at",  "status",
    "years",    "rules",      "findings",     "failing",
    "cut_fen",  "allocation_fen", "rules_digest", "data_digest",
    "user",     "engine_version", "options", "assessed_share", "scope",
    "data_version"};

/* Whether column i of the list holds a number. */
static bool run_col_numeric(int i)
{
    return i == RUN_ID || i == RUN_RULES || i == RUN_FINDINGS ||
           i == RUN_FAILING || i == RUN_CUT || i == RUN_ALLOCATION;
}

int er_runs_print(er_db *db, FILE *fp, er_format fmt)
{
    sqlite3_stmt *st = NULL;
    char cut[64];
    if (sqlite3_prepare_v2(
            db->db,
            "SELECT id, started_at, finished_at, status, years, "
            "(SELECT count(*) FROM run_rule WHERE run = id), "
            "(SELECT count(*) FROM finding WHERE run = id), "
            "(SELECT count(*) FROM finding WHERE run = id AND outcome IN "
            "('fail','missing','error')), "
            "NULL, NULL, " /* cut and allocation: er_run_summarize */
            "rules_digest, data_digest, user, engine_version, options, "
            "NULL, " /* assessed share: er_run_summarize */
            ER_RUN_SCOPE_TEXT_SQL("scope")
            ", data_version FROM run ORDER BY id",
            -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading runs");
    if (fmt == ER_FORMAT_JSON) {
        fputs("[", fp);
    } else if (fmt == ER_FORMAT_CSV) {
        for (int i = 0; i < RUN_NCOLS; i++)
            fprintf(fp, "%s%s", i ? "," : "", run_keys[i]);
        fputc('\n', fp);
    } else {
        /* "cut (元)" is 10 bytes and 9 columns wide */
        fprintf(fp,
                "%-4s %-20s %-8s %-10s %5s %8s %7s %8s %15s  %-12s %-12s "
                "%4s  %s  %s\n",
                "run", "started", "status", "years", "rules", "findings",
                "failing", "assessed", "cut (元)", "rules sha", "data sha",
                "data", "user", "scope");
    }
    int n = 0, src, rc = ER_OK;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cols[RUN_NCOLS];
        for (int i = 0; i < RUN_NCOLS; i++)
            cols[i] = (const char *)sqlite3_column_text(st, i);
        /* money summed with checks: a run whose totals do not fit is
         * listed without them, and the listing ends in its error */
        er_run_summary sum;
        char fen[2][32], share[32] = "—";
        int64_t run_id = sqlite3_column_int64(st, RUN_ID);
        int src_sum = er_run_summarize(db, run_id, &sum);
        if (src_sum == ER_OK && sum.findings) {
            long assessed = er_counts_assessed(sum.counts);
            snprintf(share, sizeof share, "%.6g",
                     (double)assessed / (double)sum.findings);
            cols[RUN_ASSESSED] = share;
        }
        if (src_sum == ER_OK) {
            snprintf(fen[0], sizeof fen[0], "%lld", (long long)sum.cut_fen);
            snprintf(fen[1], sizeof fen[1], "%lld",
                     (long long)sum.allocation_fen);
            cols[RUN_CUT] = fen[0];
            cols[RUN_ALLOCATION] = fen[1];
        } else if (src_sum == ER_EDATA) {
            if (rc == ER_OK)
                rc = src_sum; /* keeps the first run's message */
        } else {
            sqlite3_finalize(st);
            return src_sum;
        }
        if (fmt == ER_FORMAT_JSON) {
            fprintf(fp, "%s\n {", n ? "," : "");
            for (int i = 0; i < RUN_NCOLS; i++) {
                fprintf(fp, "%s\"%s\": ", i ? ", " : "", run_keys[i]);
                if (i == RUN_CUT || i == RUN_ALLOCATION ||
                    i == RUN_ASSESSED || i == RUN_DATA_VERSION)
                    fputs(cols[i] ? cols[i] : "null", fp);
                else if (run_col_numeric(i))
                    fputs(cols[i] ? cols[i] : "0", fp);
                else
                    er_json_put(fp, cols[i]);
            }
            fputs("}", fp);
        } else if (fmt == ER_FORMAT_CSV) {
            for (int i = 0; i < RUN_NCOLS; i++) {
                if (i)
                    fputc(',', fp);
                er_csv_put(fp, cols[i]);
            }
            fputc('\n', fp);
        } else {
            char pct[32] = "—";
            if (src_sum == ER_OK && sum.findings) /* rounded down */
                snprintf(pct, sizeof pct, "%.1f%%",
                         floor((double)er_counts_assessed(sum.counts) *
                               1000.0 / (double)sum.findings) / 10.0);
            fprintf(fp, "%-4s %-20s %-8s %-10s %5s %8s %7s ",
                    cols[RUN_ID], cols[RUN_STARTED] ? cols[RUN_STARTED] : "",
                    cols[RUN_STATUS] ? cols[RUN_STATUS] : "",
                    cols[RUN_YEARS] ? cols[RUN_YEARS] : "", cols[RUN_RULES],
                    cols[RUN_FINDINGS], cols[RUN_FAILING]);
            er_fput_padded(fp, pct, 8, true);
            fprintf(fp, " %14s  %-12.12s %-12.12s ",
                    src_sum == ER_OK
                        ? er_fmt_fen(cut, sizeof cut, sum.cut_fen)
                        : "overflow",
                    cols[RUN_RULES_DIGEST] ? cols[RUN_RULES_DIGEST] : "-",
                    cols[RUN_DATA_DIGEST] ? cols[RUN_DATA_DIGEST] : "-");
            /* the data version read (`equirule log`); - before versions */
            fprintf(fp, "%4s  ",
                    cols[RUN_DATA_VERSION] ? cols[RUN_DATA_VERSION] : "-");
            er_term_put(fp, cols[RUN_USER]);
            fputs("  ", fp);
            er_term_put(fp, cols[RUN_SCOPE] ? cols[RUN_SCOPE] : "full");
            fputc('\n', fp);
        }
        n++;
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE)
        return er_fail_sqlite(db->db, "reading runs");
    if (fmt == ER_FORMAT_JSON)
        fputs(n ? "\n]\n" : "]\n", fp);
    else if (fmt != ER_FORMAT_CSV && n == 0)
        fprintf(fp, "(no runs yet: start one with `equirule run`)\n");
    return rc;
}
