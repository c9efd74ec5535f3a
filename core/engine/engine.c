/*
 * engine.c - a run from start to end: the snapshot, the selection of rules,
 * regions and years, then evaluation stage by stage in a deterministic
 * order, each finding recorded as it comes, in the run's one transaction.
 * Evaluation itself is eval.c's (in workers: worker.c); writing the run is
 * the store's recorder (core/store/record.c): this file turns the rule set
 * into the plain records it takes.
 */
#include "engine.h"

#include <errno.h>
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

const int32_t *er_engine_regions(const er_eval *ev, const er_rule *r,
                                 const er_selection *sel, int32_t *one,
                                 size_t *n_out)
{
    const er_snapshot *snap = ev->snap;
    /* a rule whose results others read is evaluated everywhere: the
     * region filter then applies to what is recorded (er_run) */
    if (sel->region >= 0 && !r->needed) {
        int l = snap->regions[sel->region].level;
        *one = sel->region;
        *n_out = l >= 0 && (r->levels & (1u << l)) ? 1 : 0;
        return one;
    }
    *n_out = ev->nby_levels[r->levels];
    return ev->by_levels[r->levels];
}

/* The work units of one stage, in output order. */
static int stage_units(er_ruleset *rs, const er_eval *ev,
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
        er_engine_regions(ev, r, sel, &one, &count);
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
        rc = stage_units(rs, &ev, sel, stage, &units[stage], &nunits[stage],
                         &total);
    if (rc == ER_OK && sel->progress)
        sel->progress(sel->progress_ctx, 0, total);
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
                er_engine_regions(&ev, &rs->rules[u->rule], sel, &one, &n);
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

/* The caller's progress callback, for one phase: at most ten calls a
 * second, and the last one with done == total. */
typedef struct progress {
    er_progress_fn fn;
    void *ctx;
    const char *phase; /* "evaluating", "recording" */
    double last;
} progress;

static void progress_tick(void *ctx, long done, long total)
{
    progress *p = ctx;
    double now = er_monotonic();
    if (done < total && now - p->last < 0.1)
        return;
    p->last = now;
    p->fn(p->ctx, p->phase, done, total);
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

/* Where each finding goes as rules evaluate: into the run's open
 * transaction, or, for `check`, counted into a gap set. Under a region
 * filter, a needed rule is evaluated everywhere for the rules that read
 * it, and only its finding for that region is kept. */
typedef struct sink {
    er_recorder *rec; /* a run */
    er_gapset *check; /* a check (rec is NULL) */
    const er_ruleset *rs;
    const er_snapshot *snap;
    int32_t region; /* the run's region filter; -1 = none */
    bool timed;     /* add the time spent in the recorder to record_s */
    double record_s;
} sink;

/* Counts finding f into gs, with what it lacked. */
static int count_finding(er_gapset *gs, const er_ruleset *rs,
                         const er_snapshot *snap, const er_finding *f)
{
    const char *rule = rs->rules[f->rule].info.id;
    const char *region = snap->regions[f->region].code;
    int rc = er_gapset_count(gs, rule, f->year, f->outcome, 1);
    for (uint32_t i = 0; i < f->ngaps && rc == ER_OK; i++) {
        const er_gap *g = &f->gaps[i];
        rc = er_gapset_add(gs, rule, region, f->year, g->kind, g->key,
                           g->region >= 0 && g->region < snap->nregions
                               ? snap->regions[g->region].code
                               : region,
                           g->year);
    }
    return rc;
}

static int sink_finding(void *ctx, const er_finding *f)
{
    sink *s = ctx;
    if (s->region >= 0 && s->rs->rules[f->rule].needed &&
        f->region != s->region)
        return ER_OK;
    if (s->check)
        return count_finding(s->check, s->rs, s->snap, f);
    if (!s->timed)
        return er_record_finding(s->rec, f);
    double t = er_monotonic();
    int rc = er_record_finding(s->rec, f);
    s->record_s += er_monotonic() - t;
    return rc;
}

/* Tells the caller once, through its progress callback (phase "waiting"),
 * that the run has waited a second for another process's write lock, and
 * keeps the time waited. */
typedef struct waiting {
    const er_run_opts *o;
    long waited_ms;
    bool told;
} waiting;

static void on_wait(void *ctx, long waited_ms)
{
    waiting *w = ctx;
    w->waited_ms = waited_ms;
    if (!w->told && waited_ms >= 1000 && w->o->progress) {
        w->told = true;
        w->o->progress(w->o->progress_ctx, "waiting", 0, 0);
    }
}

/* Whether a selected rule can call r:sql: its file, or a helper module it
 * may require, mentions `sql`. A rule that reaches r:sql by a name built
 * at run time finds no database (view.c) rather than the live file. */
static bool may_call_sql(const er_ruleset *rs, const bool *sel)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (sel[i] && strstr(rs->files[rs->rules[i].file].source, "sql"))
            return true;
    for (size_t i = 0; i < rs->nmods; i++)
        if (strstr(rs->mods[i].source, "sql"))
            return true;
    for (size_t i = 0; i < er_embedded_count; i++) {
        const er_embedded *e = &er_embedded_files[i];
        if (strncmp(e->name, "lib/", 4) == 0 && memmem(e->data, e->len, "sql", 3))
            return true;
    }
    return false;
}

/* Appends the years of [from, to] for which the snapshot holds facts
 * (`with`) or none (!with) to b, as "2018-2020, 2022". */
static void year_list(er_buf *b, const er_snapshot *snap, int from, int to,
                      bool with)
{
    const char *sep = "";
    for (int y = from; y <= to; y++) {
        if ((er_snapshot_year_facts(snap, y) > 0) != with)
            continue;
        int end = y;
        while (end < to && (er_snapshot_year_facts(snap, end + 1) > 0) == with)
            end++;
        if (end == y)
            er_buf_printf(b, "%s%d", sep, y);
        else
            er_buf_printf(b, "%s%d-%d", sep, y, end);
        sep = ", ";
        y = end;
    }
}

/* A year without a single fact would be evaluated to nothing but missing
 * and skip, and read as a run: it is an error, naming the years that have
 * facts. */
static int years_have_facts(er_db *db, const er_snapshot *snap, int from,
                            int to)
{
    bool all = true;
    for (int y = from; y <= to && all; y++)
        all = er_snapshot_year_facts(snap, y) > 0;
    if (all)
        return ER_OK;
    er_buf missing, held;
    er_buf_init(&missing);
    er_buf_init(&held);
    year_list(&missing, snap, from, to, false);
    if (snap->nyears)
        year_list(&held, snap, snap->year_min,
                  snap->year_min + snap->nyears - 1, true);
    int rc = er_buf_status(&missing) != ER_OK || er_buf_status(&held) != ER_OK
                 ? ER_ENOMEM
                 : er_fail(ER_EDATA,
                           "%s holds no facts for %s: nothing could be "
                           "evaluated; %s%s",
                           db->path, missing.data,
                           snap->nyears ? "it holds facts for "
                                        : "it holds no facts at all: import "
                                          "data first",
                           snap->nyears ? held.data : "");
    er_buf_free(&missing);
    er_buf_free(&held);
    return rc;
}

/* Whether rule r is in force in some year of year_from..year_to. */
static bool rule_in_years(const er_rule_info *r, int year_from, int year_to)
{
    return (!r->year_from || year_to >= r->year_from) &&
           (!r->year_to || year_from <= r->year_to);
}

/* Appends to b the selected rules that evaluate a level in `levels` (all
 * selected rules when levels is 0) with their effective years:
 * "finance.x from 2019, finance.y 2015-2017", the first few. */
static void rules_years_text(const er_ruleset *rs, const bool *sel,
                             unsigned levels, er_buf *b)
{
    size_t listed = 0, more = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        const er_rule_info *r = &rs->rules[i].info;
        if (!sel[i] || (levels && !(rs->rules[i].levels & levels)))
            continue;
        if (listed == 5) {
            more++;
            continue;
        }
        er_buf_printf(b, "%s%s ", listed ? ", " : "", r->id);
        if (r->year_from && r->year_to)
            er_buf_printf(b, "%d-%d", r->year_from, r->year_to);
        else if (r->year_from)
            er_buf_printf(b, "from %d", r->year_from);
        else if (r->year_to)
            er_buf_printf(b, "to %d", r->year_to);
        else
            er_buf_puts(b, "every year");
        listed++;
    }
    if (more)
        er_buf_printf(b, " and %zu more", more);
}

/* ER_OK when, given a region (g >= 0), a rule selected in `sel` is in
 * force in some year of the selection and evaluates regions of region g's
 * level; else a usage error naming the region, its level, the years and
 * the levels and effective years of the selected rules: a run of a region
 * that could not evaluate anything is refused, never stored empty. */
static int run_evaluates(const er_ruleset *rs, const er_snapshot *snap,
                         const bool *sel, int32_t g, int year_from,
                         int year_to)
{
    unsigned levels = 0, in_force = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        if (!sel[i])
            continue;
        levels |= rs->rules[i].levels;
        if (rule_in_years(&rs->rules[i].info, year_from, year_to))
            in_force |= rs->rules[i].levels;
    }
    const er_region *r = g >= 0 ? &snap->regions[g] : NULL;
    unsigned want = r && r->level >= 0 ? 1u << r->level : 0;
    /* a whole run of rules not in force is stored, and says it assessed
     * nothing (exit 1); a run of one region is refused */
    if (!r || (in_force & want))
        return ER_OK;
    char years[32];
    if (year_from == year_to)
        snprintf(years, sizeof years, "%d", year_from);
    else
        snprintf(years, sizeof years, "%d-%d", year_from, year_to);
    if (!(levels & want))
        return er_fail(ER_EUSAGE,
                       "no selected rule evaluates %s %s, a %s: the "
                       "selected rules evaluate %s regions; nothing was run",
                       r->code, r->name,
                       r->level >= 0 ? er_level_names[r->level] : "region",
                       levels ? er_levels_text(levels) : "no");
    er_buf rules;
    er_buf_init(&rules);
    rules_years_text(rs, sel, want, &rules);
    int rc = er_buf_status(&rules);
    if (rc == ER_OK)
        rc = er_fail(ER_EUSAGE,
                     "no selected rule that evaluates %s %s, a %s, is in "
                     "force in %s (%s); nothing was run",
                     r->code, r->name, er_level_names[r->level], years,
                     rules.data);
    er_buf_free(&rules);
    return rc;
}

/* The years, the region and the workers of a run, from its options, for
 * the rules selected in `sel`. */
static int select_run(er_db *db, er_ruleset *rs, const er_snapshot *snap,
                      const er_run_opts *o, const bool *sel, er_selection *out)
{
    *out = (er_selection){.region = -1, .rules = sel};
    out->year_from = o->year_from;
    out->year_to = o->year_to ? o->year_to : o->year_from;
    if (!out->year_from) {
        if (!snap->data_year_max)
            return er_fail(ER_EDATA, "%s holds no facts: import data first, "
                                     "or create a sample with `equirule "
                                     "init --sample`",
                           db->path);
        out->year_from = out->year_to = snap->data_year_max;
    }
    if (out->year_to < out->year_from)
        return er_fail(ER_EUSAGE, "years %d-%d: the end is before the start",
                       out->year_from, out->year_to);
    int rc = years_have_facts(db, snap, out->year_from, out->year_to);
    if (rc != ER_OK)
        return rc;
    if (o->region) {
        char code[ER_REGION_CODE_SIZE];
        if ((rc = er_region_resolve(db->db, db->path, o->region, code)) !=
            ER_OK)
            return rc;
        if ((out->region = er_snapshot_region(snap, code)) < 0)
            return er_fail(ER_EUSAGE, "no region '%s' in %s", o->region,
                           db->path);
    }
    if ((rc = run_evaluates(rs, snap, sel, out->region, out->year_from,
                            out->year_to)) != ER_OK)
        return rc;
    if (o->jobs == ER_JOBS_AUTO) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        out->jobs = cores > 0 ? (int)cores : 1;
    } else {
        out->jobs = o->jobs; /* 0: in this process */
    }
    return ER_OK;
}

/* Opens the run's transaction (waiting for another writer's, telling
 * `wait`) and writes the run row, its rule files and helper modules, and
 * its rules with their effective params. */
static int record_start(er_recorder **out, er_db *db, er_ruleset *rs,
                        const er_snapshot *snap, const er_run_opts *o,
                        const er_selection *sel, const char *started,
                        waiting *wait)
{
    char years[32];
    er_file_record *files = NULL;
    er_recorder *rec = NULL;
    er_buf scope;
    int rc;
    /* what narrowed the run: `runs` shows it, and the default report is
     * of the latest run that nothing narrowed */
    er_buf_init(&scope);
    er_buf_puts(&scope, "{");
    if (sel->region >= 0) {
        er_buf_puts(&scope, "\"region\": ");
        er_json_add(&scope, snap->regions[sel->region].code);
    }
    if (o->depts && o->depts[0]) {
        er_buf_puts(&scope, scope.len > 1 ? ", \"depts\": [" : "\"depts\": [");
        for (size_t i = 0; o->depts[i]; i++) {
            er_buf_puts(&scope, i ? ", " : "");
            er_json_add(&scope, o->depts[i]);
        }
        er_buf_puts(&scope, "]");
    }
    if (o->rule) {
        er_buf_puts(&scope, scope.len > 1 ? ", \"rule\": " : "\"rule\": ");
        er_json_add(&scope, o->rule);
    }
    if (o->sets && o->sets[0]) {
        er_buf_puts(&scope, scope.len > 1 ? ", \"sets\": [" : "\"sets\": [");
        for (size_t i = 0; o->sets[i]; i++) {
            er_buf_puts(&scope, i ? ", " : "");
            er_json_add(&scope, o->sets[i]);
        }
        er_buf_puts(&scope, "]");
    }
    er_buf_puts(&scope, "}");
    if ((rc = er_buf_status(&scope)) != ER_OK)
        goto done;
    if (sel->year_from == sel->year_to)
        snprintf(years, sizeof years, "%d", sel->year_from);
    else
        snprintf(years, sizeof years, "%d-%d", sel->year_from, sel->year_to);
    er_run_record run = {.started_at = started,
                         .years = years,
                         .rules_digest = rs->digest,
                         .data_digest = snap->digest,
                         .options = o->options,
                         .user = o->user ? o->user : current_user(),
                         .rules_dir = rs->dir,
                         .scope = scope.data,
                         .waiting = on_wait,
                         .waiting_ctx = wait};
    if ((rc = er_record_begin(&rec, db, snap, rs->nrules, &run)) != ER_OK ||
        (rc = er_data_version_of_run(db->db, er_record_run_id(rec),
                                     snap->data_version)) != ER_OK)
        goto done;
    size_t nfiles = rs->nfiles + rs->nmods;
    if (!(files = calloc(nfiles + 1, sizeof *files))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    size_t nrec = 0;
    for (size_t i = 0; i < nfiles; i++) {
        const er_rule_file *f = i < rs->nfiles ? &rs->files[i]
                                               : &rs->mods[i - rs->nfiles];
        if (!f->builtin) /* a replay's stored built-in module is not one */
            files[nrec++] = (er_file_record){f->path, f->sha256};
    }
    if ((rc = er_record_files(rec, files, nrec)) != ER_OK ||
        (rc = er_ruleset_record_sources(rs, db->db, er_record_run_id(rec))) !=
            ER_OK)
        goto done;
    for (size_t i = 0; i < rs->nrules && rc == ER_OK; i++) {
        if (!sel->rules[i])
            continue;
        const er_rule_info *r = &rs->rules[i].info;
        er_buf params;
        er_buf_init(&params);
        if ((rc = er_ruleset_params_json(rs, (int32_t)i, &params)) != ER_OK) {
            er_buf_free(&params); /* never a truncated record */
            break;
        }
        er_rule_record rr = {r->id,    r->department, r->path,
                             r->title, r->basis,      r->item,
                             r->kind,  r->level,      params.data,
                             rs->rules[i].chart, rs->rules[i].index,
                             rs->rules[i].goal};
        rc = er_record_rule(rec, (int32_t)i, &rr);
        er_buf_free(&params);
    }
done:
    free(files);
    er_buf_free(&scope);
    if (rc != ER_OK) {
        er_recorder_free(rec);
        rec = NULL;
    }
    *out = rec;
    return rc;
}

static int run_or_check(er_db *db, er_ruleset *rs, const er_run_opts *opts,
                        int64_t *run_id_out, er_gapset *check);

int er_run(er_db *db, er_ruleset *rs, const er_run_opts *opts,
           int64_t *run_id_out)
{
    return run_or_check(db, rs, opts, run_id_out, NULL);
}

int er_check_gaps(er_db *db, er_ruleset *rs, const er_run_opts *opts,
                  FILE *fp, er_format fmt, long counts_out[ER_OUTCOME_COUNT])
{
    er_gapset gs;
    er_gapset_init(&gs);
    int rc = run_or_check(db, rs, opts, NULL, &gs);
    if (rc == ER_OK && counts_out)
        er_gapset_totals(&gs, counts_out);
    if (rc == ER_OK && fp)
        rc = er_gapset_write(&gs, db->db, fp, fmt, ER_GAPS_ALL);
    er_gapset_free(&gs);
    return rc;
}

/* er_run, or with `check` an evaluation that stores nothing and counts
 * its findings and gaps into `check`.
 *
 * A run opens its transaction before it evaluates, and each finding is
 * written into it as it comes (in unit order), so recording overlaps
 * evaluation; the run is visible only once committed. Worker processes are
 * forked with the connection open: they never touch it (no SQLite call on
 * it, and they leave with _exit, so nothing of it is closed or flushed),
 * and POSIX locks are not inherited, so the transaction stays the
 * supervisor's alone. */
static int run_or_check(er_db *db, er_ruleset *rs, const er_run_opts *opts,
                        int64_t *run_id_out, er_gapset *check)
{
    static const er_run_opts defaults = {0};
    const er_run_opts *o = opts ? opts : &defaults;
    er_snapshot *snap = NULL;
    bool *sel = NULL;
    er_recorder *rec = NULL;
    er_datacopy *copy = NULL;
    er_selection selection;
    long evaluations = 0;
    bool temp_in_memory = false;
    char started[32], finished[32];
    int rc;

    if ((rc = er_limits_check(o->timeout, o->max_instructions,
                              o->max_memory)) != ER_OK)
        goto done;
    if (rs->nrules == 0) {
        rc = er_fail(ER_ERULE, "%s: no rule loaded", rs->dir);
        goto done;
    }
    if (o->jobs < 0 && o->jobs != ER_JOBS_AUTO) {
        rc = er_fail(ER_EUSAGE,
                     "jobs %d: a number of workers, 0 (in this process) or "
                     "ER_JOBS_AUTO (one per core)",
                     o->jobs);
        goto done;
    }
    /* the rules */
    if (!(sel = calloc(rs->nrules + 1, sizeof *sel))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = select_rules(rs, o, sel)) != ER_OK)
        goto done;

    /* the data, read once; when rules can call r:sql, it reads the same
     * rows as the snapshot: a copy made in one read transaction */
    double t0 = er_monotonic();
    if (may_call_sql(rs, sel) &&
        (rc = er_datacopy_open(db->path, &copy)) != ER_OK)
        goto done;
    if ((rc = er_snapshot_load(copy ? er_datacopy_db(copy) : db->db,
                               &snap)) != ER_OK)
        goto done;
    er_fault_point("load");
    double t1 = er_monotonic();

    /* the years, the regions, and how */
    if ((rc = select_run(db, rs, snap, o, sel, &selection)) != ER_OK ||
        (rc = er_ruleset_set_params(rs, o->sets)) != ER_OK)
        goto done;
    progress eval_progress = {o->progress, o->progress_ctx, "evaluating", 0};
    if (o->progress) {
        selection.progress = progress_tick;
        selection.progress_ctx = &eval_progress;
    }
    rs->sb.mem_limit = o->max_memory > 0 ? (size_t)o->max_memory
                                         : ER_DEFAULT_MAX_MEMORY;
    rs->sb.budget = o->max_instructions > 0 ? o->max_instructions
                                            : ER_DEFAULT_MAX_INSTRUCTIONS;
    rs->sb.timeout = o->timeout > 0 ? o->timeout : ER_DEFAULT_TIMEOUT;
    now_iso(started, sizeof started);

    /* the run's transaction, open from here to the commit: a run is all
     * there or not there */
    sink out = {NULL, check, rs, snap, selection.region, o->stats != NULL, 0};
    waiting wait = {o, 0, false};
    double t2 = er_monotonic();
    if (!check) {
        /* SQLite's own scratch (the journal of each statement) stays in
         * memory: a run writes nothing but the database, and a full
         * temporary folder cannot stop it with an error naming the
         * database */
        if (sqlite3_exec(db->db, "PRAGMA temp_store = MEMORY", NULL, NULL,
                         NULL) != SQLITE_OK) {
            rc = er_fail_sqlite(db->db, "recording the run");
            goto done;
        }
        temp_in_memory = true;
        if ((rc = record_start(&rec, db, rs, snap, o, &selection, started,
                               &wait)) != ER_OK)
            goto done;
        out.rec = rec;
        er_fault_point("record");
    }
    double t3 = er_monotonic();

    /* evaluate, each finding recorded (or counted) as it comes */
    rc = er_engine_evaluate(rs, snap, copy ? er_datacopy_uri(copy) : NULL,
                            &selection, sink_finding, &out, &evaluations);
    if (rc != ER_OK || check)
        goto done;
    double t4 = er_monotonic();

    /* the counts and the commit: the findings, written already, become
     * the run's */
    progress rec_progress = {o->progress, o->progress_ctx, "recording", 0};
    long total = er_record_count(rec);
    if (o->progress)
        progress_tick(&rec_progress, 0, total);
    now_iso(finished, sizeof finished);
    if ((rc = er_record_finish(rec, finished, evaluations)) != ER_OK)
        goto done;
    double t5 = er_monotonic();
    if (o->progress) {
        total = er_record_count(rec);
        progress_tick(&rec_progress, total, total);
    }

    if (run_id_out)
        *run_id_out = er_record_run_id(rec);
    if (o->stats) {
        /* the pauses of the wait are at least as long as counted */
        double waited = (double)wait.waited_ms / 1000;
        double begin = t3 - t2 > waited ? t3 - t2 - waited : 0;
        o->stats->snapshot_s = t1 - t0;
        o->stats->wait_s = waited;
        o->stats->evaluate_s = t4 - t3;
        o->stats->record_s = begin + out.record_s + (t5 - t4);
        o->stats->record_after_s = t5 - t4;
        o->stats->evaluations = evaluations;
        o->stats->findings = er_record_count(rec);
        o->stats->jobs = selection.jobs;
    }
done:
    er_recorder_free(rec);
    if (temp_in_memory)
        sqlite3_exec(db->db, "PRAGMA temp_store = DEFAULT", NULL, NULL, NULL);
    free(sel);
    er_snapshot_free(snap);
    er_datacopy_free(copy);
    return rc;
}
