/*
 * eval.c - the evaluator: the boundary between the engine and the Lua side.
 * It takes work units (one rule over a list of regions in one year), runs
 * each evaluation under the sandbox limits and turns what the rule returned,
 * or the way it failed, into finding records handed to an emit callback. It
 * holds no database handle but the read-only reader of r:sql, so it can run
 * in a worker process unchanged.
 */
#include "engine.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* A finding of a plain outcome, kept in C until the protected call that
 * made it returns. */
typedef struct batch_rec {
    int32_t region;
    uint8_t outcome, flags;
    uint32_t unit, note; /* offsets + 1 into the batch's text, 0 = none */
    double measured, required;
    int64_t amount;
} batch_rec;

/* Findings kept before they are emitted: enough to make the protected
 * call's cost small beside the evaluations it runs. */
#define BATCH_MAX 256

/* The unit in progress. Its evaluations run inside one protected call
 * (l_eval_batch) as long as each ends in a plain outcome; the evaluation
 * that does not (it raised, broke a limit, assigned file-level state, read
 * missing data, or returned anything else) ends the call, and is turned
 * into its finding outside it by the same code as ever (finish). */
struct er_batch {
    const er_rule *r;
    const int32_t *regions;
    size_t n;
    size_t next;  /* the first evaluation not begun */
    size_t cur;   /* the evaluation begun last */
    int32_t year;
    bool stopped; /* cur returned a value for finish (on the stack) */
    /* how cur ended: the limit it broke, a file-level local it assigned */
    int trip;
    bool assigned;
    char upvalue[128];
    batch_rec recs[BATCH_MAX];
    size_t nrecs;
    er_text text;
};

static void free_level_lists(er_eval *ev)
{
    for (unsigned m = 0; m < (1u << ER_LEVEL_COUNT); m++) {
        free(ev->by_levels[m]);
        ev->by_levels[m] = NULL;
        ev->nby_levels[m] = 0;
    }
}

int er_eval_init(er_eval *ev, er_ruleset *rs, const er_snapshot *snap,
                 const char *reader_uri)
{
    memset(ev, 0, sizeof *ev);
    ev->rs = rs;
    ev->snap = snap;
    ev->L = rs->sb.L;
    ev->reader_uri = reader_uri;
    ev->rule = ev->region = -1;
    ev->crash_region = ER_NO_CRASH;
    ev->keep = true;
    ev->trace = rs->trace;
    /* the region list of each set of levels the rules name (none without
     * a snapshot: such a state evaluates nothing) */
    for (size_t i = 0; snap && i < rs->nrules; i++) {
        unsigned m = rs->rules[i].levels;
        if (m >= (1u << ER_LEVEL_COUNT) || ev->by_levels[m])
            continue;
        ev->by_levels[m] = malloc(((size_t)snap->nregions + 1) *
                                  sizeof *ev->by_levels[m]);
        if (!ev->by_levels[m]) {
            free_level_lists(ev);
            return er_fail(ER_ENOMEM, "out of memory");
        }
        for (int32_t g = 0; g < snap->nregions; g++) {
            int l = snap->regions[g].level;
            if (l >= 0 && (m & (1u << l)))
                ev->by_levels[m][ev->nby_levels[m]++] = g;
        }
    }
    ev->batch = calloc(1, sizeof *ev->batch);
    if (!ev->batch) {
        free_level_lists(ev);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    *(er_eval **)lua_getextraspace(ev->L) = ev;
    /* evaluations make short-lived garbage: what the generational mode
     * collects young */
    lua_gc(ev->L, LUA_GCGEN, 0, 0);
    er_view_init(ev);
    return ER_OK;
}

void er_eval_free(er_eval *ev)
{
    if (!ev || !ev->L)
        return;
    free_level_lists(ev);
    lua_gc(ev->L, LUA_GCINC, 0, 0, 0); /* the state as it was given */
    if (ev->batch)
        free(ev->batch->text.data);
    free(ev->batch);
    ev->batch = NULL;
    er_view_release(ev);
    *(er_eval **)lua_getextraspace(ev->L) = NULL;
    ev->L = NULL;
}

/* Sets `params` in the rule's environment. */
static void set_params(er_eval *ev, const er_rule *r)
{
    lua_State *L = ev->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->env_ref);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->run_params_ref);
    lua_setfield(L, -2, "params");
    lua_pop(L, 1);
}

/* Says what finding `f` lacked (run_gap). Without memory for the key the
 * finding is kept without it: the note still names what was lacking. */
static void set_gap(const er_eval *ev, er_finding *f, int kind,
                    const char *key, int32_t region, int32_t year)
{
    if (er_snapshot_add_gap(ev->snap, f, kind, key, region, year) != ER_OK)
        er_error_clear();
}

static int emit_error(er_eval *ev, er_finding *f, const char *msg,
                      er_emit_fn emit, void *ctx)
{
    f->outcome = ER_ERROR_OUTCOME;
    f->flags = 0;
    er_finding_free_gaps(f);
    free(f->note);
    free(f->unit);
    f->unit = NULL;
    f->note = er_strdup(msg);
    int rc = emit(ctx, f);
    if (rc == ER_OK && ev->keep && ev->rs->rules[f->rule].needed)
        rc = er_eval_keep(ev, f);
    return rc;
}

static int emit_one(er_eval *ev, const er_finding *f, er_emit_fn emit,
                    void *ctx)
{
    int rc = emit(ctx, f);
    if (rc == ER_OK && ev->keep && ev->rs->rules[f->rule].needed)
        rc = er_eval_keep(ev, f);
    return rc;
}

static int cmp_region(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Whether region `g` is below region `top` (a descendant, not itself). */
static bool region_below(const er_snapshot *snap, int32_t g, int32_t top)
{
    for (int32_t p = snap->regions[g].parent, n = 0;
         p >= 0 && n < snap->nregions; p = snap->regions[p].parent, n++)
        if (p == top)
            return true;
    return false;
}

/* Emits one allocation finding per region of the table at the top, in
 * code order. distribute() checked the codes and amounts; they are checked
 * again here, where they become C strings and fen. Only a province-level
 * rule distributes, and only to regions below the evaluated one. */
static int emit_allocations(er_eval *ev, er_finding *base, er_emit_fn emit,
                            void *ctx)
{
    lua_State *L = ev->L;
    int t = lua_gettop(L);
    size_t n = 0, cap = 16;
    int32_t *regions = malloc(cap * sizeof *regions);
    int64_t *amounts = malloc(cap * sizeof *amounts);
    int rc = ER_OK;
    char bad[256] = "", bad_code[64] = "";
    int bad_rank = 3; /* of bad: 0 unknown code, 1 not below, 2 range */
    if (!regions || !amounts) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    const er_rule *rule = &ev->rs->rules[base->rule];
    int level = ev->snap->regions[base->region].level;
    if (level != ER_LEVEL_PROVINCE) {
        /* a rule of several levels distributes from its province only */
        bool also = rule->levels & (1u << ER_LEVEL_PROVINCE);
        snprintf(bad, sizeof bad,
                 "distribute: only a province-level rule can distribute "
                 "(this rule's level is %s%s%s)",
                 rule->info.level, also ? "; this evaluation is for a " : "",
                 also && level >= 0 ? er_level_names[level] : "");
        rc = emit_error(ev, base, bad, emit, ctx);
        goto done;
    }
    er_sandbox_push_contents(L, t); /* an outcome made at file level */
    int c = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, c)) {
        size_t len = 0;
        const char *code = lua_type(L, -2) == LUA_TSTRING
                               ? lua_tolstring(L, -2, &len)
                               : "?";
        int32_t g = strlen(code) == len ? er_snapshot_region(ev->snap, code)
                                        : -1;
        int64_t amount = 0;
        bool fits = lua_type(L, -1) == LUA_TNUMBER &&
                    er_outcome_amount_fen(L, -1, &amount);
        /* the first problem by kind, then the smallest code, is
         * reported, never the first in hash order (which differs from one
         * process to the next: a replay must quote the same) */
        int rank = g < 0 ? 0
                   : !region_below(ev->snap, g, base->region) ? 1
                   : !fits ? 2 : 3;
        bool first = rank < bad_rank ||
                     (rank == bad_rank && rank < 3 &&
                      strcmp(code, bad_code) < 0);
        if (first) {
            bad_rank = rank;
            snprintf(bad_code, sizeof bad_code, "%s", code);
        }
        if (first && rank == 0) {
            snprintf(bad, sizeof bad,
                     "distribute: unknown region code '%s'%s", code,
                     strlen(code) != len ? " (with a NUL byte)" : "");
        } else if (first && rank == 1) {
            snprintf(bad, sizeof bad,
                     "distribute: region %s is not below %s, the region "
                     "evaluated (allocations go to its cities and counties)",
                     code, ev->snap->regions[base->region].code);
        } else if (first && rank == 2) {
            char msg[200];
            er_outcome_describe_range(L, -1, msg, sizeof msg);
            snprintf(bad, sizeof bad, "distribute: amount for %s, %s", code,
                     msg);
        }
        if (n == cap) {
            cap *= 2;
            int32_t *r2 = realloc(regions, cap * sizeof *r2);
            int64_t *a2 = realloc(amounts, cap * sizeof *a2);
            if (r2)
                regions = r2;
            if (a2)
                amounts = a2;
            if (!r2 || !a2) {
                lua_pop(L, 2);
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
        }
        regions[n] = g;
        amounts[n] = amount;
        n++;
        lua_pop(L, 1);
    }
    if (bad[0]) {
        rc = emit_error(ev, base, bad, emit, ctx);
        goto done;
    }
    /* sort by region index (= code order), carrying amounts */
    int32_t *idx = malloc((n + 1) * sizeof *idx);
    if (!idx) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = regions[i];
    qsort(idx, n, sizeof *idx, cmp_region);
    for (size_t i = 0; i < n && rc == ER_OK; i++) {
        size_t j = 0;
        while (regions[j] != idx[i])
            j++;
        er_finding f = *base;
        f.region = idx[i];
        f.amount = amounts[j];
        f.flags = (uint8_t)(f.flags | ER_F_AMOUNT);
        rc = emit_one(ev, &f, emit, ctx);
    }
    free(idx);
done:
    free(regions);
    free(amounts);
    lua_settop(L, t - 1);
    return rc;
}

/* ---- a work unit ------------------------------------------------------ */

/* Starts evaluation k of the unit: the state a read sees, the view, the
 * worker's position slot. */
static void begin_eval(er_eval *ev, er_batch *b, size_t k)
{
    int32_t region = b->regions[k];
    /* the collector keeps memory bounded across long units */
    if (k && (k & 1023) == 0)
        lua_gc(ev->L, LUA_GCSTEP, 0);
    b->cur = k;
    b->next = k + 1;
    ev->region = region;
    ev->year = b->year;
    ev->missing = false;
    ev->gap_kind = ER_GAP_NONE;
    ev->std_absent[0] = '\0';
    er_view_point(ev, region, b->year);
    if (ev->pos_slot) {
        *ev->started_slot = er_now_ns();
        __atomic_store_n(ev->pos_slot, ev->pos_base + (int32_t)k,
                         __ATOMIC_SEQ_CST);
        if (ev->crash_region != ER_NO_CRASH &&
            (ev->crash_region < 0 || ev->crash_region == region))
            raise(SIGSEGV);
    }
    if (ev->rs->sb.watch) /* in a supervised child: for its messages */
        er_sandbox_doing(&ev->rs->sb, ev->rule,
                         "evaluating %s (%s:%d) for %s %s in %d",
                         b->r->info.id, ev->rs->files[b->r->file].display,
                         b->r->info.line, ev->snap->regions[region].code,
                         ev->snap->regions[region].name, (int)b->year);
}

/* Ends the limits of the evaluation in progress and checks its file-level
 * state (put back when assigned): in b->trip, b->assigned, b->upvalue. */
static void end_eval(er_eval *ev, er_batch *b)
{
    er_sandbox *sb = &ev->rs->sb;
    b->trip = er_sandbox_disarm(sb);
    sb->frozen = false;
    ev->last_trip = b->trip;
    b->assigned = er_sandbox_restore(ev->L, b->r->state_ref, b->upvalue,
                                     sizeof b->upvalue);
}

/* Runs the unit's evaluations from b->next, with the evaluate function at
 * 1 and the view at 2, keeping the finding of each plain outcome in b;
 * stops when b is full, or at an evaluation that needs finish: returns
 * its value (b->stopped). An evaluation that raises unwinds this call:
 * b->cur names it. [-0, +(0|1), e] */
static int l_eval_batch(lua_State *L)
{
    er_eval *ev = *(er_eval **)lua_getextraspace(L);
    er_batch *b = ev->batch;
    er_sandbox *sb = &ev->rs->sb;
    /* a trace or coverage hook sees each evaluation's finding right after
     * its reads */
    size_t most = ev->trace || sb->coverage ? 1 : BATCH_MAX;
    while (b->next < b->n && b->nrecs < most) {
        begin_eval(ev, b, b->next);
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        sb->frozen = true;
        er_sandbox_arm(sb);
        lua_call(L, 1, 1);
        end_eval(ev, b);
        batch_rec *rec = &b->recs[b->nrecs];
        er_finding f;
        memset(&f, 0, sizeof f);
        if (b->trip != ER_TRIP_NONE || sb->bug[0] || b->assigned ||
            ev->missing || ev->std_absent[0] ||
            !er_outcome_read_plain(L, -1, &f, &b->text, &rec->unit,
                                   &rec->note)) {
            b->stopped = true;
            return 1;
        }
        rec->region = ev->region;
        rec->outcome = f.outcome;
        rec->flags = f.flags;
        rec->measured = f.measured;
        rec->required = f.required;
        rec->amount = f.amount;
        b->nrecs++;
        lua_pop(L, 1);
    }
    return 0;
}

/* Emits the findings kept in b, in order. */
static int emit_kept(er_eval *ev, er_batch *b, er_emit_fn emit, void *ctx)
{
    int rc = ER_OK;
    for (size_t i = 0; i < b->nrecs && rc == ER_OK; i++) {
        const batch_rec *rec = &b->recs[i];
        er_finding f;
        memset(&f, 0, sizeof f);
        f.rule = ev->rule;
        f.region = rec->region;
        f.year = b->year;
        f.outcome = rec->outcome;
        f.flags = rec->flags;
        f.measured = rec->measured;
        f.required = rec->required;
        f.amount = rec->amount;
        f.unit = rec->unit ? b->text.data + rec->unit - 1 : NULL;
        f.note = rec->note ? b->text.data + rec->note - 1 : NULL;
        rc = emit_one(ev, &f, emit, ctx);
    }
    b->nrecs = 0;
    b->text.len = 0;
    return rc;
}

/* Emits the finding(s) of evaluation b->cur, which ended (end_eval) with
 * `status` and, at the top of the stack, what it returned or raised. */
static int finish(er_eval *ev, er_batch *b, int status, er_emit_fn emit,
                  void *ctx)
{
    lua_State *L = ev->L;
    const er_rule *r = b->r;
    int32_t region = b->regions[b->cur], year = b->year;
    er_finding f;
    memset(&f, 0, sizeof f);
    f.rule = ev->rule;
    f.region = region;
    f.year = year;
    char msg[1024];
    int rc;
    if (b->trip != ER_TRIP_NONE) {
        er_sandbox_trip_message(&ev->rs->sb, b->trip, msg, sizeof msg);
        rc = emit_error(ev, &f, msg, emit, ctx);
    } else if (ev->rs->sb.bug[0]) {
        /* a rule bug (an unknown global, a param not declared) is an error
         * even when a pcall in the rule caught it, and never a data gap */
        rc = emit_error(ev, &f, ev->rs->sb.bug, emit, ctx);
    } else if (b->assigned) {
        snprintf(msg, sizeof msg,
                 "%s:%d: file-level local '%s' was assigned during "
                 "evaluation; file-level state is read-only during "
                 "evaluation (use a local inside evaluate)",
                 ev->rs->files[r->file].display, r->info.line, b->upvalue);
        rc = emit_error(ev, &f, msg, emit, ctx);
    } else if (ev->missing) {
        f.outcome = ER_MISSING;
        f.note = er_strdup(ev->missing_note);
        set_gap(ev, &f, ev->gap_kind, ev->gap_key, ev->gap_region, ev->gap_year);
        rc = emit_one(ev, &f, emit, ctx);
    } else if (status != LUA_OK && lua_type(L, -1) != LUA_TSTRING &&
               lua_type(L, -1) != LUA_TNUMBER) {
        /* error(t): no place in the object, and its __tostring is rule
         * code, not run outside the limits; name the rule's line */
        char what[128];
        snprintf(msg, sizeof msg, "%s:%d: %s", ev->rs->files[r->file].display,
                 r->info.line, er_lua_errtext(L, -1, what, sizeof what));
        rc = emit_error(ev, &f, msg, emit, ctx);
    } else if (status != LUA_OK) {
        er_lua_errtext(L, -1, msg, sizeof msg);
        rc = emit_error(ev, &f, msg, emit, ctx);
    } else {
        int is_distribute = 0;
        if (er_outcome_read(L, -1, &f, &is_distribute, msg, sizeof msg) !=
            ER_OK) {
            char where[1200];
            snprintf(where, sizeof where, "%s:%d: %s",
                     ev->rs->files[r->file].display, r->info.line, msg);
            rc = emit_error(ev, &f, where, emit, ctx);
        } else if (is_distribute) {
            f.flags = (uint8_t)(f.flags & ~ER_F_AMOUNT);
            rc = emit_allocations(ev, &f, emit, ctx);
        } else {
            if (f.outcome == ER_SKIP && ev->std_absent[0])
                set_gap(ev, &f, ER_GAP_STANDARD, ev->std_absent, region, year);
            rc = emit_one(ev, &f, emit, ctx);
        }
    }
    er_finding_clear(&f);
    return rc;
}

int er_eval_unit(er_eval *ev, int32_t rule, int32_t year,
                 const int32_t *regions, size_t n, er_emit_fn emit, void *ctx)
{
    lua_State *L = ev->L;
    er_batch *b = ev->batch;
    const er_rule *r = &ev->rs->rules[rule];
    int base = lua_gettop(L);
    int rc = ER_OK;
    ev->rule = rule;
    ev->unit_done = 0;
    set_params(ev, r);
    b->r = r;
    b->regions = regions;
    b->n = n;
    b->next = 0;
    b->year = year;
    b->nrecs = 0;
    b->text.len = 0;
    while (rc == ER_OK && b->next < n) {
        b->stopped = false;
        lua_pushcfunction(L, l_eval_batch);
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->eval_ref);
        er_view_push_own(ev, regions[b->next], year);
        int status = lua_pcall(L, 2, 1, 0);
        /* the evaluations before the one that stopped the call first */
        rc = emit_kept(ev, b, emit, ctx);
        bool ended = status != LUA_OK || b->stopped;
        if (status != LUA_OK)
            end_eval(ev, b); /* it raised: its limits are still on */
        if (rc == ER_OK && ended)
            rc = finish(ev, b, status, emit, ctx);
        lua_settop(L, base);
        ev->unit_done = b->next;
        if (ended && ev->retire_on_memory &&
            ev->last_trip == ER_TRIP_MEMORY)
            break; /* the state is not reused */
    }
    ev->rule = -1;
    return rc;
}
