/*
 * engine.c - a run from start to end: the snapshot, the selection of rules,
 * regions and years, evaluation stage by stage in a deterministic order, and
 * the recording of the run, its rule files and every finding in one
 * transaction. Only this file writes runs; evaluation itself is eval.c's.
 */
#include "engine.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long recording waits for another process's write (ms). */
#define ER_RECORD_BUSY_MS 600000

static bool rule_in_year(const er_rule_info *r, int year)
{
    return (!r->year_from || year >= r->year_from) &&
           (!r->year_to || year <= r->year_to);
}

const int32_t *er_engine_regions(const er_snapshot *snap, const er_rule *r,
                                 const er_selection *sel, int32_t *one,
                                 size_t *n_out)
{
    /* a rule whose results others read is evaluated everywhere: the
     * region filter then applies to what is recorded (er_run) */
    if (sel->region >= 0 && !r->needed) {
        *one = sel->region;
        *n_out = snap->regions[sel->region].level == r->level ? 1 : 0;
        return one;
    }
    *n_out = (size_t)snap->level_count[r->level];
    return snap->by_level[r->level];
}

/* The work units of one stage, in output order. */
static int stage_units(er_ruleset *rs, const er_snapshot *snap,
                       const er_selection *sel, int stage, er_unit **out,
                       size_t *n_out, long *evaluations)
{
    size_t n = 0, cap = 64;
    er_unit *units = malloc(cap * sizeof *units);
    if (!units)
        return er_fail(ER_ENOMEM, "out of memory");
    int jobs = sel->jobs > 0 ? sel->jobs : 1;
    for (size_t i = 0; i < rs->nrules; i++) {
        const er_rule *r = &rs->rules[i];
        if (r->info.stage != stage || (sel->rules && !sel->rules[i]))
            continue;
        int32_t one;
        size_t count;
        er_engine_regions(snap, r, sel, &one, &count);
        /* a few units per worker for balance, at most 4096 regions each */
        size_t size = (count + (size_t)jobs * 4 - 1) / ((size_t)jobs * 4);
        if (size < 1)
            size = 1;
        if (size > 4096)
            size = 4096;
        for (int y = sel->year_from; y <= sel->year_to; y++) {
            if (!rule_in_year(&r->info, y))
                continue;
            for (size_t lo = 0; lo < count; lo += size) {
                if (n == cap) {
                    cap *= 2;
                    er_unit *u = realloc(units, cap * sizeof *u);
                    if (!u) {
                        free(units);
                        return er_fail(ER_ENOMEM, "out of memory");
                    }
                    units = u;
                }
                size_t hi = lo + size < count ? lo + size : count;
                units[n++] = (er_unit){(int32_t)i, y, (int32_t)lo,
                                       (int32_t)hi};
                *evaluations += (long)(hi - lo);
            }
        }
    }
    *out = units;
    *n_out = n;
    return ER_OK;
}

int er_engine_evaluate(er_ruleset *rs, const er_snapshot *snap,
                       const char *reader_uri, const er_selection *sel,
                       er_emit_fn emit, void *ctx, long *evaluations_out)
{
    er_eval ev;
    int rc = er_eval_init(&ev, rs, snap, reader_uri);
    long total = 0, done = 0;
    er_unit **units = NULL;
    size_t *nunits = NULL;
    if (rc != ER_OK)
        return rc;
    units = calloc((size_t)rs->nstages + 1, sizeof *units);
    nunits = calloc((size_t)rs->nstages + 1, sizeof *nunits);
    if (!units || !nunits) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (int stage = 0; stage < rs->nstages && rc == ER_OK; stage++)
        rc = stage_units(rs, snap, sel, stage, &units[stage], &nunits[stage],
                         &total);
    for (int stage = 0; stage < rs->nstages && rc == ER_OK; stage++) {
        if (sel->jobs > 0) {
            rc = er_workers_run_stage(&ev, sel, units[stage], nunits[stage],
                                      emit, ctx, &done, total);
            continue;
        }
        double last = 0;
        for (size_t i = 0; i < nunits[stage] && rc == ER_OK; i++) {
            const er_unit *u = &units[stage][i];
            int32_t one;
            size_t n;
            const int32_t *regions =
                er_engine_regions(snap, &rs->rules[u->rule], sel, &one, &n);
            rc = er_eval_unit(&ev, u->rule, u->year, regions + u->lo,
                              (size_t)(u->hi - u->lo), emit, ctx);
            done += u->hi - u->lo;
            if (sel->progress && er_monotonic() - last > 0.1) {
                last = er_monotonic();
                sel->progress(sel->progress_ctx, done, total);
            }
        }
    }
    if (rc == ER_OK && sel->progress)
        sel->progress(sel->progress_ctx, total, total);
done:
    for (int stage = 0; units && stage < rs->nstages; stage++)
        free(units[stage]);
    free(units);
    free(nunits);
    er_eval_free(&ev);
    if (evaluations_out)
        *evaluations_out = total;
    return rc;
}

/* ---- recording ------------------------------------------------------------ */

/* Findings wait in a spool file while rules evaluate, so the database is
 * written in one short transaction at the end and no connection is open
 * while workers fork. */
typedef struct spool_rec {
    int32_t rule, region, year;
    uint8_t outcome, flags;
    uint16_t unit_len;
    uint32_t note_len;
    double measured, required;
    int64_t amount;
} spool_rec;

typedef struct spool_ctx {
    FILE *fp;
    const er_ruleset *rs;
    int32_t region; /* the run's region filter; -1 = none */
    long count;     /* findings spooled */
} spool_ctx;

static int spool_finding(void *ctx, const er_finding *f)
{
    spool_ctx *sp = ctx;
    FILE *fp = sp->fp;
    /* under a region filter, a needed rule is evaluated everywhere for the
     * rules that read it; only its finding for that region is recorded */
    if (sp->region >= 0 && sp->rs->rules[f->rule].needed &&
        f->region != sp->region)
        return ER_OK;
    spool_rec h = {f->rule,     f->region,   f->year,
                   f->outcome,  f->flags,    0,
                   0,           f->measured, f->required,
                   f->amount};
    h.unit_len = f->unit ? (uint16_t)strlen(f->unit) : 0;
    h.note_len = f->note ? (uint32_t)strlen(f->note) : 0;
    if (fwrite(&h, sizeof h, 1, fp) != 1 ||
        (h.unit_len && fwrite(f->unit, h.unit_len, 1, fp) != 1) ||
        (h.note_len && fwrite(f->note, h.note_len, 1, fp) != 1))
        return er_fail(ER_ERROR,
                       "writing the findings spool (a temporary file in %s): "
                       "%s; set TMPDIR to a folder with room",
                       er_tmpdir(), strerror(errno));
    sp->count++;
    return ER_OK;
}

/* Appends `n` bytes read from fp and a NUL to buf. */
static int spool_text(FILE *fp, size_t n, er_buf *buf)
{
    char tmp[4096];
    while (n > 0) {
        size_t k = n < sizeof tmp ? n : sizeof tmp;
        if (fread(tmp, 1, k, fp) != k)
            return er_fail(ER_ERROR, "reading the findings spool");
        if (er_buf_add(buf, tmp, k) != ER_OK)
            return ER_ENOMEM;
        n -= k;
    }
    return er_buf_add(buf, "", 1);
}

/* Reads the next spooled finding: 1, 0 at the end, <0 on error. Its unit
 * and note point into `buf`. */
static int spool_next(FILE *fp, er_finding *f, er_buf *buf)
{
    spool_rec h;
    if (fread(&h, sizeof h, 1, fp) != 1)
        return ferror(fp) ? er_fail(ER_ERROR, "reading the findings spool")
                          : 0;
    buf->len = 0;
    int rc;
    if ((rc = spool_text(fp, h.unit_len, buf)) != ER_OK ||
        (rc = spool_text(fp, h.note_len, buf)) != ER_OK)
        return rc;
    memset(f, 0, sizeof *f);
    f->rule = h.rule;
    f->region = h.region;
    f->year = h.year;
    f->outcome = h.outcome;
    f->flags = h.flags;
    f->measured = h.measured;
    f->required = h.required;
    f->amount = h.amount;
    f->unit = h.unit_len ? buf->data : NULL;
    f->note = h.note_len ? buf->data + h.unit_len + 1 : NULL;
    return 1;
}

#define RECORD_BATCH 64

typedef struct recorder {
    sqlite3 *db;
    sqlite3_stmt *insert;       /* one row */
    sqlite3_stmt *insert_batch; /* RECORD_BATCH rows */
    const er_ruleset *rs;
    const er_snapshot *snap;
    int64_t run;
    long count;
    er_finding batch[RECORD_BATCH];
    er_buf text[RECORD_BATCH]; /* unit and note of each batched finding */
    int nbatch;
    long *counts;    /* [rule * ER_OUTCOME_COUNT + outcome] */
    int64_t *amounts; /* same shape, fen */
} recorder;

static void bind_finding(recorder *rec, sqlite3_stmt *st, int base,
                         const er_finding *f)
{
    sqlite3_bind_int64(st, base + 1, rec->run);
    sqlite3_bind_text(st, base + 2, rec->rs->rules[f->rule].info.id, -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(st, base + 3, rec->snap->regions[f->region].code, -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, base + 4, f->year);
    sqlite3_bind_text(st, base + 5, er_outcome_name((er_outcome)f->outcome),
                      -1, SQLITE_STATIC);
    if (f->flags & ER_F_MEASURED)
        sqlite3_bind_double(st, base + 6, f->measured);
    else
        sqlite3_bind_null(st, base + 6);
    if (f->flags & ER_F_REQUIRED)
        sqlite3_bind_double(st, base + 7, f->required);
    else
        sqlite3_bind_null(st, base + 7);
    if (f->flags & ER_F_AMOUNT)
        sqlite3_bind_int64(st, base + 8, f->amount);
    else
        sqlite3_bind_null(st, base + 8);
    sqlite3_bind_text(st, base + 9, f->unit, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, base + 10, f->note, -1, SQLITE_STATIC);
}

static int record_flush(recorder *rec)
{
    sqlite3_stmt *st = rec->insert;
    int per = 1;
    if (rec->nbatch == RECORD_BATCH) {
        st = rec->insert_batch;
        per = RECORD_BATCH;
    }
    for (int i = 0; i < rec->nbatch; i += per) {
        sqlite3_reset(st);
        for (int k = 0; k < per; k++)
            bind_finding(rec, st, k * 10, &rec->batch[i + k]);
        if (sqlite3_step(st) != SQLITE_DONE)
            return er_fail_sqlite(rec->db, "recording the findings");
    }
    rec->count += rec->nbatch;
    rec->nbatch = 0;
    return ER_OK;
}

/* Queues a finding (copying its strings); writes full batches. */
static int record_finding(void *ctx, const er_finding *f)
{
    recorder *rec = ctx;
    size_t slot = (size_t)f->rule * ER_OUTCOME_COUNT + f->outcome;
    rec->counts[slot]++;
    if (f->flags & ER_F_AMOUNT)
        rec->amounts[slot] += f->amount;
    er_finding *d = &rec->batch[rec->nbatch];
    er_buf *t = &rec->text[rec->nbatch];
    *d = *f;
    t->len = 0;
    size_t ul = f->unit ? strlen(f->unit) + 1 : 0;
    if ((f->unit && er_buf_add(t, f->unit, ul) != ER_OK) ||
        (f->note && er_buf_add(t, f->note, strlen(f->note) + 1) != ER_OK))
        return er_fail(ER_ENOMEM, "out of memory");
    d->unit = f->unit ? t->data : NULL;
    d->note = f->note ? t->data + ul : NULL;
    if (++rec->nbatch == RECORD_BATCH)
        return record_flush(rec);
    return ER_OK;
}

/* Writes the counts per rule and outcome (run_count). */
static int record_counts(recorder *rec)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(rec->db,
                           "INSERT INTO run_count(run, rule, outcome, n, "
                           "amount) VALUES (?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(rec->db, "recording the counts");
    int rc = ER_OK;
    for (size_t r = 0; r < rec->rs->nrules && rc == ER_OK; r++) {
        for (int o = 0; o < ER_OUTCOME_COUNT; o++) {
            size_t slot = r * ER_OUTCOME_COUNT + (size_t)o;
            if (!rec->counts[slot])
                continue;
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, rec->run);
            sqlite3_bind_text(st, 2, rec->rs->rules[r].info.id, -1,
                              SQLITE_STATIC);
            sqlite3_bind_text(st, 3, er_outcome_name((er_outcome)o), -1,
                              SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, rec->counts[slot]);
            if (o == ER_CUT || o == ER_ALLOCATION || rec->amounts[slot])
                sqlite3_bind_int64(st, 5, rec->amounts[slot]);
            else
                sqlite3_bind_null(st, 5);
            if (sqlite3_step(st) != SQLITE_DONE) {
                rc = er_fail_sqlite(rec->db, "recording the counts");
                break;
            }
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static void recorder_free(recorder *rec)
{
    free(rec->counts);
    free(rec->amounts);
    sqlite3_finalize(rec->insert);
    sqlite3_finalize(rec->insert_batch);
    for (int i = 0; i < RECORD_BATCH; i++)
        er_buf_free(&rec->text[i]);
}

/* The progress line on stderr: done, rate, time left. Shown for phases
 * that last more than a second, nothing otherwise. */
typedef struct progress {
    const char *what; /* "evaluating", "recording" */
    double started;
    double last;
    bool shown;
} progress;

static void progress_line(void *ctx, long done, long total)
{
    progress *p = ctx;
    double now = er_monotonic();
    double elapsed = now - p->started;
    if (!p->shown && elapsed < 1.0)
        return; /* short phases show nothing */
    if (done < total && now - p->last < 0.1)
        return;
    p->last = now;
    p->shown = true;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r\033[K%s: %ld/%ld (%.0f%%) · %.0f/s · %.0f s left",
            p->what, done, total,
            total ? 100.0 * (double)done / (double)total : 100.0, rate, left);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
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
    FILE *spool = NULL;
    er_buf spool_buf;
    er_buf_init(&spool_buf);
    int rc;

    if ((rc = er_limits_check(o->timeout, o->max_instructions,
                              o->max_memory)) != ER_OK)
        goto done;
    if (rs->nrules == 0) {
        rc = er_fail(ER_ERULE, "%s: no rule loaded", rs->dir);
        goto done;
    }
    double t0 = er_monotonic();
    if ((rc = er_snapshot_load(db->db, &snap)) != ER_OK)
        goto done;
    er_fault_point("load");
    double t1 = er_monotonic();
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
    progress eval_progress = {"evaluating", er_monotonic(), 0, false};
    if (o->jobs > 0)
        selection.jobs = o->jobs;
    else if (o->jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        selection.jobs = cores > 0 ? (int)cores : 1;
    }
    if (o->progress) {
        selection.progress = progress_line;
        selection.progress_ctx = &eval_progress;
    }
    rs->sb.mem_limit = o->max_memory > 0 ? (size_t)o->max_memory
                                         : ER_DEFAULT_MAX_MEMORY;
    rs->sb.budget = o->max_instructions > 0 ? o->max_instructions
                                            : ER_DEFAULT_MAX_INSTRUCTIONS;
    rs->sb.timeout = o->timeout > 0 ? o->timeout : ER_DEFAULT_TIMEOUT;

    char started[32], years[32];
    now_iso(started, sizeof started);

    /* evaluate into the spool; workers must not inherit a connection, so
     * the database is closed while they run */
    if (!(spool = er_tmpfile())) {
        rc = er_fail(ER_ERROR,
                     "cannot create a temporary file in %s: %s; set TMPDIR "
                     "to a writable folder with room",
                     er_tmpdir(), strerror(errno));
        goto done;
    }
    long evaluations = 0;
    if (selection.jobs > 0 && (rc = er_db_suspend(db)) != ER_OK)
        goto done;
    spool_ctx sp = {spool, rs, selection.region, 0};
    rc = er_engine_evaluate(rs, snap, db->path, &selection, spool_finding,
                            &sp, &evaluations);
    if (selection.jobs > 0) {
        int rc2 = er_db_resume(db);
        if (rc == ER_OK)
            rc = rc2;
    }
    if (rc != ER_OK)
        goto done;
    double t2 = er_monotonic();
    if (fflush(spool) != 0 || fseek(spool, 0, SEEK_SET) != 0) {
        rc = er_fail(ER_ERROR,
                     "writing the findings spool (a temporary file in %s): "
                     "%s; set TMPDIR to a folder with room",
                     er_tmpdir(), strerror(errno));
        goto done;
    }

    /* one transaction: the run is all there or not there. The rows are
     * valid by construction, so foreign keys are not checked row by row,
     * and a large page cache keeps the finding index in memory. */
    exec_sql(db->db, "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -131072");
    /* another run may be recording: wait for it rather than lose this
     * run's evaluation */
    sqlite3_busy_timeout(db->db, ER_RECORD_BUSY_MS);
    rc = exec_sql(db->db, "BEGIN IMMEDIATE");
    sqlite3_busy_timeout(db->db, 30000);
    if (rc != ER_OK)
        goto done;
    in_tx = true;
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
    for (size_t i = 0; i < rs->nfiles + rs->nmods; i++) {
        const er_rule_file *file = i < rs->nfiles ? &rs->files[i]
                                                  : &rs->mods[i - rs->nfiles];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, rec.run);
        sqlite3_bind_text(st, 2, file->path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, file->sha256, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = er_fail_sqlite(db->db, "recording the rule files");
            goto done;
        }
    }
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(db->db,
                           "INSERT INTO run_rule(run, rule, department, path, "
                           "title, basis, item, kind, level, params, report) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "CASE WHEN ?11 IS NOT NULL THEN "
                           "json_object('chart', ?11) END)",
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
        if ((rc = er_ruleset_params_json(rs, (int32_t)i, &params)) != ER_OK) {
            er_buf_free(&params); /* never a truncated record */
            goto done;
        }
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
        sqlite3_bind_text(st, 11, rs->rules[i].chart, -1, SQLITE_STATIC);
        er_buf_free(&params);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = er_fail_sqlite(db->db, "recording the rules");
            goto done;
        }
    }
    sqlite3_finalize(st);
    st = NULL;

    er_fault_point("record");
    rec.db = db->db;
    rec.rs = rs;
    rec.snap = snap;
    rec.counts = calloc(rs->nrules * ER_OUTCOME_COUNT + 1, sizeof *rec.counts);
    rec.amounts =
        calloc(rs->nrules * ER_OUTCOME_COUNT + 1, sizeof *rec.amounts);
    if (!rec.counts || !rec.amounts) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    er_buf sql;
    er_buf_init(&sql);
    er_buf_puts(&sql, "INSERT INTO finding(run, rule, region, year, outcome, "
                      "measured, required, amount, unit, note) VALUES ");
    for (int i = 0; i < RECORD_BATCH; i++)
        er_buf_puts(&sql, i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)");
    int prc = !sql.err ? sqlite3_prepare_v3(db->db, sql.data, -1,
                                            SQLITE_PREPARE_PERSISTENT,
                                            &rec.insert_batch, NULL)
                       : SQLITE_NOMEM;
    er_buf_free(&sql);
    if (prc != SQLITE_OK ||
        sqlite3_prepare_v3(db->db,
                           "INSERT INTO finding(run, rule, region, year, "
                           "outcome, measured, required, amount, unit, note) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &rec.insert,
                           NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db->db, "recording the findings");
        goto done;
    }
    er_finding f;
    progress rec_progress = {"recording", er_monotonic(), 0, false};
    long written = 0, spool_count = sp.count;
    while ((rc = spool_next(spool, &f, &spool_buf)) == 1) {
        if ((rc = record_finding(&rec, &f)) != ER_OK)
            goto done;
        if (o->progress && (++written & 4095) == 0)
            progress_line(&rec_progress, written, spool_count);
    }
    if (o->progress && rc == ER_OK)
        progress_line(&rec_progress, spool_count, spool_count);
    if (rc != ER_OK || (rc = record_flush(&rec)) != ER_OK ||
        (rc = record_counts(&rec)) != ER_OK)
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
    er_fault_point("commit");
    if ((rc = exec_sql(db->db, "COMMIT")) != ER_OK)
        goto done;
    in_tx = false;
    if (run_id_out)
        *run_id_out = rec.run;
    if (o->stats) {
        o->stats->snapshot_s = t1 - t0;
        o->stats->evaluate_s = t2 - t1;
        o->stats->record_s = er_monotonic() - t2;
        o->stats->evaluations = evaluations;
        o->stats->findings = rec.count;
        o->stats->jobs = selection.jobs;
    }
done:
    sqlite3_finalize(st);
    recorder_free(&rec);
    if (in_tx)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    if (db->db)
        sqlite3_exec(db->db,
                     "PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000",
                     NULL, NULL, NULL);
    free(sel);
    er_snapshot_free(snap);
    if (spool)
        fclose(spool);
    er_buf_free(&spool_buf);
    return rc;
}
