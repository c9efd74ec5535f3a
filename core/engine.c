/*
 * engine.c - a run from start to end: the snapshot, the selection of rules,
 * regions and years, evaluation stage by stage in a deterministic order, and
 * the recording of the run, its rule files and every finding in one
 * transaction. Only this file writes runs; evaluation itself is eval.c's.
 */
#include "engine.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool rule_in_year(const er_rule_info *r, int year)
{
    return (!r->year_from || year >= r->year_from) &&
           (!r->year_to || year <= r->year_to);
}

int er_engine_evaluate(er_ruleset *rs, const er_snapshot *snap,
                       const char *reader_uri, const er_selection *sel,
                       er_emit_fn emit, void *ctx, long *evaluations_out)
{
    er_eval ev;
    int rc = er_eval_init(&ev, rs, snap, reader_uri);
    long evaluations = 0;
    if (rc != ER_OK)
        return rc;
    for (int stage = 0; stage < rs->nstages && rc == ER_OK; stage++) {
        for (size_t i = 0; i < rs->nrules && rc == ER_OK; i++) {
            const er_rule *r = &rs->rules[i];
            if (r->info.stage != stage || (sel->rules && !sel->rules[i]))
                continue;
            const int32_t *regions = snap->by_level[r->level];
            size_t n = (size_t)snap->level_count[r->level];
            int32_t one = sel->region;
            if (one >= 0) {
                regions = &one;
                n = snap->regions[one].level == r->level ? 1 : 0;
            }
            for (int y = sel->year_from; y <= sel->year_to && rc == ER_OK;
                 y++) {
                if (!rule_in_year(&r->info, y))
                    continue;
                rc = er_eval_unit(&ev, (int32_t)i, y, regions, n, emit, ctx);
                evaluations += (long)n;
            }
        }
    }
    er_eval_free(&ev);
    if (evaluations_out)
        *evaluations_out = evaluations;
    return rc;
}

/* ---- recording ------------------------------------------------------------ */

typedef struct recorder {
    sqlite3 *db;
    sqlite3_stmt *insert;
    const er_ruleset *rs;
    const er_snapshot *snap;
    int64_t run;
    long count;
} recorder;

static int record_finding(void *ctx, const er_finding *f)
{
    recorder *rec = ctx;
    sqlite3_stmt *st = rec->insert;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, rec->run);
    sqlite3_bind_text(st, 2, rec->rs->rules[f->rule].info.id, -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, 3, rec->snap->regions[f->region].code, -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 4, f->year);
    sqlite3_bind_text(st, 5, er_outcome_name((er_outcome)f->outcome), -1,
                      SQLITE_STATIC);
    if (f->flags & ER_F_MEASURED)
        sqlite3_bind_double(st, 6, f->measured);
    else
        sqlite3_bind_null(st, 6);
    if (f->flags & ER_F_REQUIRED)
        sqlite3_bind_double(st, 7, f->required);
    else
        sqlite3_bind_null(st, 7);
    if (f->flags & ER_F_AMOUNT)
        sqlite3_bind_int64(st, 8, f->amount);
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_text(st, 9, f->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, f->note, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return er_fail_sqlite(rec->db, "recording a finding");
    rec->count++;
    return ER_OK;
}

static void now_iso(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *current_user(void)
{
    const char *u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_name : "unknown";
}

static int exec_sql(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "recording the run");
    return ER_OK;
}

/* Marks the selected rules and, transitively, the rules they need. */
static int select_rules(er_ruleset *rs, const er_run_opts *o, bool *sel)
{
    bool any = false;
    for (size_t i = 0; i < rs->nrules; i++) {
        const er_rule_info *r = &rs->rules[i].info;
        bool on = true;
        if (o->rule)
            on = strcmp(r->id, o->rule) == 0;
        if (on && o->depts) {
            on = false;
            for (size_t d = 0; o->depts[d]; d++)
                if (strcmp(o->depts[d], r->department) == 0)
                    on = true;
        }
        sel[i] = on;
        any = any || on;
    }
    if (o->rule && !any)
        return er_fail(ER_EUSAGE, "no rule '%s' in %s", o->rule, rs->dir);
    if (!any)
        return er_fail(ER_EUSAGE, "no rule matches the selection");
    /* needs come in earlier stages: walk backwards */
    for (size_t i = rs->nrules; i-- > 0;)
        if (sel[i])
            for (int32_t k = 0; k < rs->rules[i].nneeds; k++)
                sel[rs->rules[i].needs[k]] = true;
    return ER_OK;
}

int er_run(er_db *db, er_ruleset *rs, const er_run_opts *opts,
           int64_t *run_id_out)
{
    static const er_run_opts defaults = {0};
    const er_run_opts *o = opts ? opts : &defaults;
    er_snapshot *snap = NULL;
    bool *sel = NULL, in_tx = false;
    sqlite3_stmt *st = NULL;
    recorder rec = {0};
    int rc;

    if (rs->nrules == 0) {
        rc = er_fail(ER_ERULE, "%s: no rule loaded", rs->dir);
        goto done;
    }
    if ((rc = er_snapshot_load(db->db, &snap)) != ER_OK)
        goto done;
    er_selection selection = {.region = -1};
    selection.year_from = o->year_from;
    selection.year_to = o->year_to ? o->year_to : o->year_from;
    if (!selection.year_from) {
        if (!snap->data_year_max) {
            rc = er_fail(ER_EDATA, "%s holds no facts: import data first, or "
                                   "create a sample with `equirule init "
                                   "--sample`",
                         db->path);
            goto done;
        }
        selection.year_from = selection.year_to = snap->data_year_max;
    }
    if (selection.year_to < selection.year_from) {
        rc = er_fail(ER_EUSAGE, "years %d-%d: the end is before the start",
                     selection.year_from, selection.year_to);
        goto done;
    }
    if (o->region && (selection.region = er_snapshot_region(snap, o->region)) < 0) {
        rc = er_fail(ER_EUSAGE, "no region '%s' in %s", o->region, db->path);
        goto done;
    }
    if (!(sel = calloc(rs->nrules + 1, sizeof *sel))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = select_rules(rs, o, sel)) != ER_OK ||
        (rc = er_ruleset_set_params(rs, o->sets)) != ER_OK)
        goto done;
    selection.rules = sel;
    rs->sb.mem_limit = o->max_memory > 0 ? (size_t)o->max_memory
                                         : ER_DEFAULT_MAX_MEMORY;
    rs->sb.budget = o->max_instructions > 0 ? o->max_instructions
                                            : ER_DEFAULT_MAX_INSTRUCTIONS;
    rs->sb.timeout = o->timeout > 0 ? o->timeout : ER_DEFAULT_TIMEOUT;

    /* one transaction: the run is all there or not there */
    if ((rc = exec_sql(db->db, "BEGIN IMMEDIATE")) != ER_OK)
        goto done;
    in_tx = true;
    char started[32], years[32];
    now_iso(started, sizeof started);
    if (selection.year_from == selection.year_to)
        snprintf(years, sizeof years, "%d", selection.year_from);
    else
        snprintf(years, sizeof years, "%d-%d", selection.year_from,
                 selection.year_to);
    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO run(started_at, status, years, "
                           "engine_version, rules_digest, data_digest, "
                           "options, user, rules_dir) "
                           "VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "recording the run");
        goto done;
    }
    sqlite3_bind_text(st, 1, started, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, years, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ER_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, rs->digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, snap->digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, o->options, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, o->user ? o->user : current_user(), -1,
                      SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, rs->dir, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, "recording the run");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    rec.run = sqlite3_last_insert_rowid(db->db);

    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO rule_file(run, path, sha256) "
                           "VALUES (?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "recording the rule files");
        goto done;
    }
    for (size_t i = 0; i < rs->nfiles; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, rec.run);
        sqlite3_bind_text(st, 2, rs->files[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, rs->files[i].sha256, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = er_fail_sqlite(db->db, "recording the rule files");
            goto done;
        }
    }
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO run_rule(run, rule, department, path, "
                           "title, basis, item, kind, level, params) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "recording the rules");
        goto done;
    }
    for (size_t i = 0; i < rs->nrules; i++) {
        if (!sel[i])
            continue;
        const er_rule_info *r = &rs->rules[i].info;
        er_buf params;
        er_buf_init(&params);
        er_ruleset_params_json(rs, (int32_t)i, &params);
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, rec.run);
        sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, r->department, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, r->title, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, r->basis, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, r->item, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, r->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, r->level, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, params.data, -1, SQLITE_TRANSIENT);
        er_buf_free(&params);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = er_fail_sqlite(db->db, "recording the rules");
            goto done;
        }
    }
    sqlite3_finalize(st);
    st = NULL;

    rec.db = db->db;
    rec.rs = rs;
    rec.snap = snap;
    if (sqlite3_prepare_v3(db->db,
                           "INSERT INTO finding(run, rule, region, year, "
                           "outcome, measured, required, amount, unit, note) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &rec.insert,
                           NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "recording the findings");
        goto done;
    }
    long evaluations = 0;
    if ((rc = er_engine_evaluate(rs, snap, db->path, &selection,
                                 record_finding, &rec, &evaluations)) !=
        ER_OK)
        goto done;

    char finished[32];
    now_iso(finished, sizeof finished);
    if (sqlite3_prepare_v2(db->db,
                           "UPDATE run SET status = 'done', finished_at = ?, "
                           "evaluations = ? WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "recording the run");
        goto done;
    }
    sqlite3_bind_text(st, 1, finished, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, evaluations);
    sqlite3_bind_int64(st, 3, rec.run);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, "recording the run");
        goto done;
    }
    if ((rc = exec_sql(db->db, "COMMIT")) != ER_OK)
        goto done;
    in_tx = false;
    if (run_id_out)
        *run_id_out = rec.run;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(rec.insert);
    if (in_tx)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    free(sel);
    er_snapshot_free(snap);
    return rc;
}
