/*
 * outcome.c - the outcome constructors of the rule environment (at_least,
 * at_most, pass, fail, warn, skip, missing, cut, distribute, indicator) and the
 * reading of what a rule returned into a finding. The outcome vocabulary
 * itself is the store's (domain.c); recording findings is the engine's.
 */
#include "engine.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OUTCOME_MT "equirule.outcome"
/* The registry key of the outcome metatable (faster than its name). */
static const char OUTCOME_KEY = 0;
/* Longest unit and note stored with a finding, in bytes. */
#define ER_MAX_UNIT 64
#define ER_MAX_NOTE 4000

void er_finding_clear(er_finding *f)
{
    free(f->unit);
    free(f->note);
    er_finding_free_gaps(f);
    memset(f, 0, sizeof *f);
}

/* An outcome is a small userdata, cheaper to make and to read than a
 * table: numbers in the block, unit, note and allocations as user values.
 * Rules can read its fields (o.outcome, o.measured, ...) but not change
 * them. */
#define OUTCOME_MAGIC 0x6f75746du
enum { UV_UNIT = 1, UV_NOTE, UV_ALLOCATIONS, UV_GAPS, UV_COUNT = UV_GAPS };

typedef struct outcome_ud {
    uint32_t magic;
    uint8_t outcome; /* er_outcome */
    uint8_t flags;   /* ER_F_* */
    double measured, required;
    double amount; /* yuan, as the rule gave it */
    int64_t fen;   /* the amount in fen, checked (er_outcome_amount_fen) */
} outcome_ud;

static outcome_ud *to_outcome(lua_State *L, int idx)
{
    outcome_ud *o = lua_touserdata(L, idx);
    if (!o || lua_type(L, idx) != LUA_TUSERDATA ||
        lua_rawlen(L, idx) != sizeof *o || o->magic != OUTCOME_MAGIC)
        return NULL;
    return o;
}

/* Pushes a new outcome (er_outcome k). [-0, +1, m] */
static void new_outcome_k(lua_State *L, int k)
{
    assert(k >= 0 && k < ER_OUTCOME_COUNT);
    outcome_ud *o = lua_newuserdatauv(L, sizeof *o, UV_COUNT);
    memset(o, 0, sizeof *o);
    o->magic = OUTCOME_MAGIC;
    o->outcome = (uint8_t)k;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &OUTCOME_KEY);
    lua_setmetatable(L, -2);
}

/* Pushes a new outcome named `outcome`. [-0, +1, m] */
static void new_outcome(lua_State *L, const char *outcome)
{
    int k = er_outcome_parse(outcome);
    assert(k >= 0); /* a name of the outcome table (domain.c) */
    new_outcome_k(L, k);
}

/* Sets field `name` of the outcome at -2 to the value at the top, and pops
 * the value; `name` is one of measured, required, amount, unit, note,
 * allocations (told apart by their first letters). [-1, +0, -] */
static void outcome_set(lua_State *L, const char *name)
{
    outcome_ud *o = lua_touserdata(L, -2);
    if (name[0] == 'm' || name[0] == 'r' ||
        (name[0] == 'a' && name[1] == 'm')) {
        double v = lua_tonumber(L, -1);
        lua_pop(L, 1);
        if (name[0] == 'm') {
            o->measured = v;
            o->flags |= ER_F_MEASURED;
        } else if (name[0] == 'r') {
            o->required = v;
            o->flags |= ER_F_REQUIRED;
        } else {
            o->amount = v;
            o->flags |= ER_F_AMOUNT;
        }
        return;
    }
    int uv = name[0] == 'u' ? UV_UNIT : name[0] == 'n' ? UV_NOTE
                                                       : UV_ALLOCATIONS;
    lua_setiuservalue(L, -2, uv);
}

/* __index of outcomes: outcome, measured, required, amount, unit, note,
 * allocations. [-0, +1, -] */
static int l_outcome_index(lua_State *L)
{
    outcome_ud *o = to_outcome(L, 1);
    size_t len = 0;
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len)
                                                  : NULL;
    if (!o || !k || strlen(k) != len)
        return 0;
    if (strcmp(k, "outcome") == 0)
        lua_pushstring(L, er_outcome_name((er_outcome)o->outcome));
    else if (strcmp(k, "measured") == 0 && (o->flags & ER_F_MEASURED))
        lua_pushnumber(L, o->measured);
    else if (strcmp(k, "required") == 0 && (o->flags & ER_F_REQUIRED))
        lua_pushnumber(L, o->required);
    else if (strcmp(k, "amount") == 0 && (o->flags & ER_F_AMOUNT))
        lua_pushnumber(L, o->amount);
    else if (strcmp(k, "unit") == 0)
        lua_getiuservalue(L, 1, UV_UNIT);
    else if (strcmp(k, "note") == 0)
        lua_getiuservalue(L, 1, UV_NOTE);
    else if (strcmp(k, "allocations") == 0)
        lua_getiuservalue(L, 1, UV_ALLOCATIONS);
    else
        lua_pushnil(L);
    return 1;
}

static int l_outcome_newindex(lua_State *L)
{
    return luaL_error(L, "outcomes are read-only");
}

static int l_outcome_tostring(lua_State *L)
{
    outcome_ud *o = to_outcome(L, 1);
    lua_pushfstring(L, "outcome %s",
                    o ? er_outcome_name((er_outcome)o->outcome) : "?");
    return 1;
}

/* Raises when the string at idx holds a NUL byte: a note or unit is
 * stored as C text and would be cut short there. [-0, +0, e] */
static void check_text(lua_State *L, int idx, const char *fn,
                       const char *what)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (strlen(s) != len)
        luaL_error(L, "%s: the %s contains a NUL byte (at byte %d)", fn, what,
                   (int)strlen(s) + 1);
}

bool er_outcome_amount_fen(lua_State *L, int idx, int64_t *fen)
{
    if (lua_isinteger(L, idx))
        return er_int_yuan_to_fen(lua_tointeger(L, idx), fen);
    double yuan = lua_tonumber(L, idx);
    if (!er_yuan_fits_fen(yuan))
        return false;
    *fen = er_yuan_to_fen(yuan);
    return true;
}

void er_outcome_describe_range(lua_State *L, int idx, char *buf, size_t size)
{
    if (lua_isinteger(L, idx)) {
        snprintf(buf, size, "%lld yuan is out of range (its fen must fit in "
                            "64 bits)",
                 (long long)lua_tointeger(L, idx));
        return;
    }
    char num[64];
    snprintf(buf, size, "%s yuan is out of range (a non-integer amount must "
                        "be at most 2^53 fen, about 90 trillion yuan; "
                        "give whole yuan as an integer)",
             er_fmt_exact(num, sizeof num, lua_tonumber(L, idx)));
}

/* Returns the fen of the amount at idx, or raises when they are out of
 * range. [-0, +0, e] */
static int64_t check_money(lua_State *L, int idx, const char *fn,
                           const char *what)
{
    int64_t fen;
    if (er_outcome_amount_fen(L, idx, &fen))
        return fen;
    char msg[200];
    er_outcome_describe_range(L, idx, msg, sizeof msg);
    luaL_error(L, "%s: %s %s", fn, what, msg);
    return 0;
}

/* Copies opts.unit and opts.note (opts at index `opts`, may be absent) into
 * the outcome at the top, and opts.measured and opts.required unless
 * `computed` (at_least, at_most and indicator compute them: there they are
 * refused). [-0, +0, e] */
/* Raises on a key of the options table at `opts` that `fn` does not read
 * (a misspelt option would be ignored: `warn_witin` turning a warn into a
 * fail), naming the smallest such key, the close option and the options
 * of `fn`. measured and required are known to every constructor: those
 * that compute them say so in copy_opts. */
/* Returns the options the table holds as bits (1 << index in `known`:
 * unit, note, measured, required, warn_within). */
static unsigned check_opt_keys(lua_State *L, int opts, const char *fn,
                               bool computed)
{
    bool band = fn[0] == 'a' && fn[1] == 't' &&
                (strcmp(fn, "at_least") == 0 || strcmp(fn, "at_most") == 0);
    unsigned has = 0;
    const char *known[5] = {"unit", "note", "measured", "required",
                            "warn_within"};
    size_t nknown = band ? 5 : 4;
    er_sandbox_push_contents(L, opts); /* a frozen table's contents */
    int t = lua_gettop(L);
    const char *bad = NULL; /* held by the table */
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_error(L, "%s: options are named (unit = ..., note = ...); "
                          "got the key %s",
                       fn, lua_typename(L, lua_type(L, -1)));
        const char *k = lua_tostring(L, -1);
        bool ok = false;
        for (size_t i = 0; i < nknown && !ok; i++)
            if (k[0] == known[i][0] && strcmp(k, known[i]) == 0) {
                ok = true;
                has |= 1u << i;
            }
        if (!ok && (!bad || strcmp(k, bad) < 0))
            bad = k;
    }
    if (bad) {
        const char *close = er_suggest(bad, known, nknown);
        char list[80];
        snprintf(list, sizeof list, "unit, note%s%s",
                 computed ? "" : ", measured, required",
                 band ? ", warn_within" : "");
        luaL_error(L, "%s: unknown option '%s'%s%s%s; the options are %s",
                   fn, bad, close ? " (did you mean " : "",
                   close ? close : "", close ? "?)" : "", list);
    }
    lua_pop(L, 1);
    return has;
}

static void copy_opts(lua_State *L, int opts, const char *fn, bool computed)
{
    if (lua_isnoneornil(L, opts))
        return;
    if (lua_type(L, opts) == LUA_TSTRING) { /* a bare note */
        check_text(L, opts, fn, "note");
        lua_pushvalue(L, opts);
        outcome_set(L, "note");
        return;
    }
    if (lua_type(L, opts) != LUA_TTABLE)
        luaL_error(L, "%s: options must be a table or a note string", fn);
    unsigned has = check_opt_keys(L, opts, fn, computed);
    /* without a metatable, a field the table does not hold reads nil */
    if (lua_getmetatable(L, opts)) {
        lua_pop(L, 1);
        has = ~0u;
    }
    static const char *const fields[] = {"unit", "note"};
    for (size_t i = 0; i < ER_ARRAY_LEN(fields); i++) {
        if (!(has & (1u << i)))
            continue;
        int t = lua_getfield(L, opts, fields[i]);
        if (t != LUA_TNIL && t != LUA_TSTRING && t != LUA_TNUMBER)
            luaL_error(L, "%s: opts.%s must be a string", fn, fields[i]);
        if (t == LUA_TSTRING)
            check_text(L, -1, fn, fields[i]);
        if (t == LUA_TNIL)
            lua_pop(L, 1);
        else
            outcome_set(L, fields[i]);
    }
    static const char *const numbers[] = {"measured", "required"};
    for (size_t i = 0; i < ER_ARRAY_LEN(numbers); i++) {
        if (!(has & (1u << (i + 2))))
            continue;
        int t = lua_getfield(L, opts, numbers[i]);
        if (t != LUA_TNIL && computed)
            luaL_error(L, "%s: opts.%s is not allowed (%s computes it from "
                          "its arguments)",
                       fn, numbers[i], fn);
        if (t != LUA_TNIL && t != LUA_TNUMBER)
            luaL_error(L, "%s: opts.%s must be a number", fn, numbers[i]);
        if (t == LUA_TNUMBER && !isfinite(lua_tonumber(L, -1)))
            luaL_error(L, "%s: %s is %s (a division by zero?)", fn,
                       numbers[i], isnan(lua_tonumber(L, -1)) ? "nan"
                                                              : "infinite");
        if (t == LUA_TNIL)
            lua_pop(L, 1);
        else
            outcome_set(L, numbers[i]);
    }
}

static double check_finite(lua_State *L, int idx, const char *fn,
                           const char *what)
{
    if (lua_isnoneornil(L, idx))
        luaL_error(L, "%s: %s is nil", fn, what);
    if (lua_type(L, idx) != LUA_TNUMBER)
        luaL_error(L, "%s: %s must be a number, got %s", fn, what,
                   luaL_typename(L, idx));
    double v = lua_tonumber(L, idx);
    if (!isfinite(v))
        luaL_error(L, "%s: %s is %s (a division by zero?)", fn, what,
                   isnan(v) ? "nan" : "infinite");
    return v;
}

static double opt_band(lua_State *L, int opts, const char *fn)
{
    if (lua_type(L, opts) != LUA_TTABLE)
        return 0.0;
    lua_getfield(L, opts, "warn_within");
    double w = 0.0;
    if (!lua_isnil(L, -1)) {
        if (lua_type(L, -1) != LUA_TNUMBER || !(lua_tonumber(L, -1) >= 0) ||
            !isfinite(lua_tonumber(L, -1)))
            luaL_error(L, "%s: opts.warn_within must be a finite number "
                          ">= 0",
                       fn);
        w = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return w;
}

/* at_least / at_most: upvalue 1 is true for at_least. */
static int l_outcome_compare(lua_State *L) /* [-0, +1, e] */
{
    bool least = lua_toboolean(L, lua_upvalueindex(1));
    const char *fn = least ? "at_least" : "at_most";
    lua_settop(L, 3); /* the outcome goes above the arguments */
    double value = check_finite(L, 1, fn, "value");
    if (lua_isnoneornil(L, 2)) {
        new_outcome(L, "missing");
        lua_pushnumber(L, value);
        outcome_set(L, "measured");
        copy_opts(L, 3, fn, true);
        lua_pushfstring(L, "%s: no required value (is a standard in force "
                           "for this year?)",
                        fn);
        outcome_set(L, "note");
        return 1;
    }
    double bound = check_finite(L, 2, fn, least ? "minimum" : "maximum");
    double band = opt_band(L, 3, fn);
    int outcome;
    if (least ? value >= bound : value <= bound)
        outcome = ER_PASS;
    else if (band > 0 &&
             (least ? value >= bound - fabs(bound) * band
                    : value <= bound + fabs(bound) * band))
        outcome = ER_WARN;
    else
        outcome = ER_FAIL;
    new_outcome_k(L, outcome);
    lua_pushnumber(L, value);
    outcome_set(L, "measured");
    lua_pushnumber(L, bound);
    outcome_set(L, "required");
    copy_opts(L, 3, fn, true);
    return 1;
}

/* pass / fail / warn / skip: upvalue 1 is the outcome name. */
static int l_outcome_simple(lua_State *L) /* [-0, +1, e] */
{
    const char *outcome = lua_tostring(L, lua_upvalueindex(1));
    lua_settop(L, 1);
    new_outcome(L, outcome);
    copy_opts(L, 1, outcome, false);
    return 1;
}

/* Checks gaps[i] of missing(note, gaps) (at the top of the stack) and
 * pushes it as {kind, key, region index, year}. [-0, +1, e] */
static void check_gap_entry(lua_State *L, er_eval *ev, lua_Integer i)
{
    static const char *const kinds[] = {"metric", "item", "standard",
                                        "transfer"};
    static const int kind_ids[] = {ER_GAP_FACT, ER_GAP_SHARE, ER_GAP_STANDARD,
                                   ER_GAP_TRANSFER};
    int entry = lua_gettop(L);
    if (lua_type(L, entry) != LUA_TTABLE)
        luaL_error(L, "missing: gaps[%d] is a %s, not a table like "
                      "{ region = code, metric = key, year = y }",
                   (int)i, luaL_typename(L, entry));
    lua_pushnil(L);
    while (lua_next(L, entry)) {
        bool known = false;
        if (lua_type(L, -2) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -2);
            known = strcmp(k, "region") == 0 || strcmp(k, "year") == 0;
            for (size_t j = 0; j < ER_ARRAY_LEN(kinds); j++)
                known = known || strcmp(k, kinds[j]) == 0;
        }
        if (!known)
            luaL_error(L, "missing: gaps[%d] has an unknown field %s "
                          "(region, year and one of metric, item, standard, "
                          "transfer)",
                       (int)i, lua_type(L, -2) == LUA_TSTRING
                                   ? lua_tostring(L, -2)
                                   : luaL_typename(L, -2));
        lua_pop(L, 1);
    }
    int kind = ER_GAP_NONE;
    const char *key = NULL;
    for (size_t j = 0; j < ER_ARRAY_LEN(kinds); j++) {
        int t = lua_getfield(L, entry, kinds[j]);
        if (t != LUA_TNIL) {
            size_t len = 0;
            const char *v = t == LUA_TSTRING ? lua_tolstring(L, -1, &len)
                                             : NULL;
            if (!v || len == 0 || len > UINT8_MAX || strlen(v) != len)
                luaL_error(L, "missing: gaps[%d].%s must be a key (a "
                              "non-empty string of at most 255 bytes)",
                           (int)i, kinds[j]);
            if (key)
                luaL_error(L, "missing: gaps[%d] names both %s and %s (one "
                              "entry per thing lacking)",
                           (int)i, kinds[j],
                           kinds[kind == ER_GAP_FACT    ? 0
                                 : kind == ER_GAP_SHARE ? 1
                                 : kind == ER_GAP_STANDARD ? 2 : 3]);
            key = v;
            kind = kind_ids[j];
        }
        lua_pop(L, 1); /* the string stays alive in the entry */
    }
    if (!key)
        luaL_error(L, "missing: gaps[%d] names nothing lacking (give one of "
                      "metric, item, standard, transfer)",
                   (int)i);
    if (kind == ER_GAP_FACT && er_strmap_find(&ev->snap->metrics, key) < 0)
        luaL_error(L, "missing: gaps[%d].metric '%s' is not in the metric "
                      "catalog",
                   (int)i, key);
    int32_t region = ev->region;
    int t = lua_getfield(L, entry, "region");
    if (t != LUA_TNIL) {
        const char *code = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        region = code ? er_snapshot_region(ev->snap, code) : -1;
        if (region < 0)
            luaL_error(L, "missing: gaps[%d].region %s%s%s is not a known "
                          "region code",
                       (int)i, code ? "'" : "",
                       code ? code : luaL_typename(L, -1), code ? "'" : "");
    }
    lua_pop(L, 1);
    int32_t year = ev->year;
    t = lua_getfield(L, entry, "year");
    if (t != LUA_TNIL) {
        int isint = 0;
        lua_Integer y = lua_tointegerx(L, -1, &isint);
        if (!isint || y < 1 || y > 9999)
            luaL_error(L, "missing: gaps[%d].year must be a whole year "
                          "(1 to 9999)",
                       (int)i);
        year = (int32_t)y;
    }
    lua_pop(L, 1);
    lua_createtable(L, 4, 0);
    lua_pushinteger(L, kind);
    lua_rawseti(L, -2, 1);
    lua_pushstring(L, key);
    lua_rawseti(L, -2, 2);
    lua_pushinteger(L, region);
    lua_rawseti(L, -2, 3);
    lua_pushinteger(L, year);
    lua_rawseti(L, -2, 4);
}

/* missing(note [, gaps]): the rule's own data gap, recorded as the engine
 * records one (outcome `missing`, the note, no numbers). The note is
 * required: a gap that does not say what is missing helps nobody. gaps
 * lists what was lacking, each { region = code, metric = key, year = y }
 * (or item, standard, transfer instead of metric; region and year default
 * to the evaluation's), one run_gap row each; a bad entry raises.
 * [-0, +1, e] */
static int l_outcome_missing(lua_State *L)
{
    lua_settop(L, 2);
    int t = lua_type(L, 1);
    if (t == LUA_TTABLE) {
        lua_getfield(L, 1, "note");
        t = lua_type(L, -1);
        lua_pop(L, 1);
    }
    if (t != LUA_TSTRING)
        return luaL_error(L, "missing: a note saying what is missing is "
                             "required (a string, or { note = ... })");
    int gaps = 0;
    if (!lua_isnil(L, 2)) {
        er_eval *ev = *(er_eval **)lua_getextraspace(L);
        if (lua_type(L, 2) != LUA_TTABLE)
            return luaL_error(L, "missing: gaps must be a list of entries "
                                 "like { region = code, metric = key, "
                                 "year = y }, not a %s",
                              luaL_typename(L, 2));
        if (!ev || !ev->snap)
            return luaL_error(L, "missing: gaps can only be given while a "
                                 "rule evaluates");
        lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
        lua_pushnil(L);
        while (lua_next(L, 2)) {
            lua_pop(L, 1);
            if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
                lua_tointeger(L, -1) > n)
                return luaL_error(L, "missing: gaps must be a list of "
                                     "entries (a table with a key %s%s "
                                     "given: wrap one entry in { })",
                                  lua_type(L, -1) == LUA_TSTRING
                                      ? lua_tostring(L, -1)
                                      : luaL_typename(L, -1),
                                  "");
        }
        if (n > UINT16_MAX)
            return luaL_error(L, "missing: more than %d gaps", UINT16_MAX);
        lua_createtable(L, (int)n, 0);
        gaps = lua_gettop(L);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, 2, i);
            check_gap_entry(L, ev, i);
            lua_rawseti(L, gaps, i);
            lua_pop(L, 1);
        }
    }
    new_outcome(L, "missing");
    copy_opts(L, 1, "missing", false);
    lua_getiuservalue(L, -1, UV_NOTE);
    size_t len = 0;
    lua_tolstring(L, -1, &len);
    lua_pop(L, 1);
    if (len == 0)
        return luaL_error(L, "missing: the note is empty (say what is "
                             "missing)");
    if (gaps) {
        lua_pushvalue(L, gaps);
        lua_setiuservalue(L, -2, UV_GAPS);
    }
    return 1;
}

static int l_outcome_cut(lua_State *L) /* [-0, +1, e] */
{
    lua_settop(L, 2);
    double amount = check_finite(L, 1, "cut", "amount");
    if (amount < 0)
        return luaL_error(L, "cut: amount must not be negative (%f)", amount);
    int64_t fen = check_money(L, 1, "cut", "amount");
    new_outcome_k(L, fen == 0 ? ER_PASS : ER_CUT);
    lua_pushnumber(L, amount);
    outcome_set(L, "amount");
    ((outcome_ud *)lua_touserdata(L, -1))->fen = fen;
    copy_opts(L, 2, "cut", false);
    return 1;
}

/* A key of distribute's table, for its checks in code order. */
typedef struct dist_key {
    const char *s;
    size_t len;
} dist_key;

static int cmp_dist_key(const void *pa, const void *pb)
{
    const dist_key *a = pa, *b = pb;
    int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int l_outcome_distribute(lua_State *L) /* [-0, +1, e] */
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    er_sandbox_push_contents(L, 1); /* 3: a frozen table's contents */
    lua_createtable(L, 0, 0);
    int copy = lua_gettop(L);
    /* the keys in code order, so that the bad key reported is the
     * smallest, not the first in hash order */
    size_t nkeys = 0;
    lua_pushnil(L);
    while (lua_next(L, 3)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING)
            return luaL_error(L, "distribute: keys must be region codes "
                                 "(strings)");
        nkeys++;
    }
    dist_key *keys = lua_newuserdatauv(L, nkeys * sizeof *keys + 1, 0);
    size_t nk = 0;
    lua_pushnil(L);
    while (lua_next(L, 3) && nk < nkeys) { /* strings held by table 3 */
        lua_pop(L, 1);
        keys[nk].s = lua_tolstring(L, -1, &keys[nk].len);
        nk++;
    }
    qsort(keys, nk, sizeof *keys, cmp_dist_key);
    int n = 0;
    for (size_t i = 0; i < nk; i++) {
        lua_pushlstring(L, keys[i].s, keys[i].len);
        lua_pushvalue(L, -1);
        lua_rawget(L, 3);
        size_t len;
        const char *code = lua_tolstring(L, -2, &len);
        if (strlen(code) != len)
            return luaL_error(L, "distribute: region code '%s' contains a "
                                 "NUL byte",
                              code);
        if (lua_type(L, -1) != LUA_TNUMBER)
            return luaL_error(L, "distribute: amount for %s must be a "
                                 "number",
                              lua_tostring(L, -2));
        double v = lua_tonumber(L, -1);
        if (!isfinite(v) || v < 0)
            return luaL_error(L, "distribute: amount for %s must be finite "
                                 "and not negative",
                              lua_tostring(L, -2));
        int64_t fen;
        if (!er_outcome_amount_fen(L, -1, &fen)) {
            char msg[200];
            er_outcome_describe_range(L, -1, msg, sizeof msg);
            return luaL_error(L, "distribute: amount for %s, %s",
                              lua_tostring(L, -2), msg);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, copy);
        lua_pop(L, 1);
        n++;
    }
    new_outcome(L, n ? "allocation" : "pass");
    lua_pushvalue(L, copy);
    outcome_set(L, "allocations");
    copy_opts(L, 2, "distribute", false);
    return 1;
}

static int l_outcome_indicator(lua_State *L) /* [-0, +1, e] */
{
    double value = check_finite(L, 1, "indicator", "value");
    double target = check_finite(L, 2, "indicator", "target");
    const char *op = er_lua_checkname(L, 3);
    lua_settop(L, 4);
    bool ok;
    if (strcmp(op, "<=") == 0)
        ok = value <= target;
    else if (strcmp(op, ">=") == 0)
        ok = value >= target;
    else
        return luaL_error(L, "indicator: operator must be \"<=\" or \">=\", "
                             "got \"%s\"",
                          op);
    new_outcome_k(L, ok ? ER_PASS : ER_FAIL);
    lua_pushnumber(L, value);
    outcome_set(L, "measured");
    lua_pushnumber(L, target);
    outcome_set(L, "required");
    copy_opts(L, 4, "indicator", true);
    return 1;
}

void er_outcome_register(lua_State *L)
{
    if (luaL_newmetatable(L, OUTCOME_MT)) {
        lua_pushliteral(L, "outcome");
        lua_setfield(L, -2, "__metatable");
        lua_pushcfunction(L, l_outcome_index);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_outcome_newindex);
        lua_setfield(L, -2, "__newindex");
        lua_pushcfunction(L, l_outcome_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_rawsetp(L, LUA_REGISTRYINDEX, &OUTCOME_KEY);
    lua_pushboolean(L, 1);
    lua_pushcclosure(L, l_outcome_compare, 1);
    lua_setfield(L, -2, "at_least");
    lua_pushboolean(L, 0);
    lua_pushcclosure(L, l_outcome_compare, 1);
    lua_setfield(L, -2, "at_most");
    static const char *const simple[] = {"pass", "fail", "warn", "skip"};
    for (size_t i = 0; i < ER_ARRAY_LEN(simple); i++) {
        lua_pushstring(L, simple[i]);
        lua_pushcclosure(L, l_outcome_simple, 1);
        lua_setfield(L, -2, simple[i]);
    }
    lua_pushcfunction(L, l_outcome_missing);
    lua_setfield(L, -2, "missing");
    lua_pushcfunction(L, l_outcome_cut);
    lua_setfield(L, -2, "cut");
    lua_pushcfunction(L, l_outcome_distribute);
    lua_setfield(L, -2, "distribute");
    lua_pushcfunction(L, l_outcome_indicator);
    lua_setfield(L, -2, "indicator");
}

/* A copy of the string user value `uv` of the outcome at idx, cut to `max`
 * bytes (on a UTF-8 boundary, marked with "..."); NULL when absent. */
static char *dup_uservalue(lua_State *L, int idx, int uv, size_t max)
{
    char *s = NULL;
    int t = lua_getiuservalue(L, idx, uv);
    if (t == LUA_TSTRING) {
        size_t len;
        const char *v = lua_tolstring(L, -1, &len);
        if (len <= max) {
            s = er_strdup(v);
        } else {
            while (max > 0 && ((unsigned char)v[max] & 0xC0) == 0x80)
                max--;
            s = malloc(max + 4);
            if (s) {
                memcpy(s, v, max);
                memcpy(s + max, "...", 4);
            }
        }
    } else if (t == LUA_TNUMBER) {
        char buf[64];
        s = er_strdup(er_fmt_num(buf, sizeof buf, lua_tonumber(L, -1)));
    }
    lua_pop(L, 1);
    return s;
}

/* Appends s[0..n) and, when `dots`, "..." and a NUL to t; its offset + 1
 * in *off. False when t cannot grow. */
static bool text_put(er_text *t, const char *s, size_t n, bool dots,
                     uint32_t *off)
{
    size_t need = t->len + n + (dots ? 3 : 0) + 1;
    if (need > UINT32_MAX - 1)
        return false;
    if (need > t->cap) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap < need)
            cap *= 2;
        char *d = realloc(t->data, cap);
        if (!d)
            return false;
        t->data = d;
        t->cap = cap;
    }
    *off = (uint32_t)t->len + 1;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    if (dots) {
        memcpy(t->data + t->len, "...", 3);
        t->len += 3;
    }
    t->data[t->len++] = '\0';
    return true;
}

/* As dup_uservalue, into t (offset + 1 in *off, 0 when absent). */
static bool put_uservalue(lua_State *L, int idx, int uv, size_t max,
                          er_text *t, uint32_t *off)
{
    bool ok = true;
    *off = 0;
    int type = lua_getiuservalue(L, idx, uv);
    if (type == LUA_TSTRING) {
        size_t len;
        const char *v = lua_tolstring(L, -1, &len);
        if (len <= max) {
            ok = text_put(t, v, len, false, off);
        } else {
            while (max > 0 && ((unsigned char)v[max] & 0xC0) == 0x80)
                max--;
            ok = text_put(t, v, max, true, off);
        }
    } else if (type == LUA_TNUMBER) {
        char buf[64];
        const char *v = er_fmt_num(buf, sizeof buf, lua_tonumber(L, -1));
        ok = text_put(t, v, strlen(v), false, off);
    }
    lua_pop(L, 1);
    return ok;
}

bool er_outcome_read_plain(lua_State *L, int idx, er_finding *f, er_text *t,
                           uint32_t *unit_out, uint32_t *note_out)
{
    const outcome_ud *o = to_outcome(L, idx);
    if (!o || o->outcome == ER_ALLOCATION)
        return false;
    idx = lua_absindex(L, idx);
    int gaps = lua_getiuservalue(L, idx, UV_GAPS);
    lua_pop(L, 1);
    if (gaps == LUA_TTABLE)
        return false;
    size_t mark = t->len;
    if (!put_uservalue(L, idx, UV_UNIT, ER_MAX_UNIT, t, unit_out) ||
        !put_uservalue(L, idx, UV_NOTE, ER_MAX_NOTE, t, note_out)) {
        t->len = mark;
        return false;
    }
    f->outcome = o->outcome;
    if ((o->flags & ER_F_MEASURED) && isfinite(o->measured)) {
        f->measured = o->measured;
        f->flags |= ER_F_MEASURED;
    }
    if ((o->flags & ER_F_REQUIRED) && isfinite(o->required)) {
        f->required = o->required;
        f->flags |= ER_F_REQUIRED;
    }
    if (o->flags & ER_F_AMOUNT) { /* checked by cut() */
        f->amount = o->fen;
        f->flags |= ER_F_AMOUNT;
    }
    return true;
}

int er_outcome_read(lua_State *L, int idx, er_finding *f, int *is_distribute,
                    char *err, size_t errsize)
{
    idx = lua_absindex(L, idx);
    *is_distribute = 0;
    const outcome_ud *o = to_outcome(L, idx);
    if (!o) {
        snprintf(err, errsize,
                 "evaluate returned %s, not an outcome (return pass(), "
                 "fail(), at_least(), cut(), ...)",
                 lua_isnone(L, idx) ? "nothing" : luaL_typename(L, idx));
        return ER_ERULE;
    }
    f->outcome = o->outcome;
    if ((o->flags & ER_F_MEASURED) && isfinite(o->measured)) {
        f->measured = o->measured;
        f->flags |= ER_F_MEASURED;
    }
    if ((o->flags & ER_F_REQUIRED) && isfinite(o->required)) {
        f->required = o->required;
        f->flags |= ER_F_REQUIRED;
    }
    if (o->flags & ER_F_AMOUNT) { /* checked by cut() */
        f->amount = o->fen;
        f->flags |= ER_F_AMOUNT;
    }
    f->unit = dup_uservalue(L, idx, UV_UNIT, ER_MAX_UNIT);
    f->note = dup_uservalue(L, idx, UV_NOTE, ER_MAX_NOTE);
    if (lua_getiuservalue(L, idx, UV_GAPS) == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            lua_rawgeti(L, -1, 1);
            lua_rawgeti(L, -2, 2);
            lua_rawgeti(L, -3, 3);
            lua_rawgeti(L, -4, 4);
            /* a fact a roll-up lacks: the gaps of the rows to fill in */
            const er_eval *ev = *(er_eval **)lua_getextraspace(L);
            int rc = ev && ev->snap
                         ? er_snapshot_add_gap(
                               ev->snap, f, (int)lua_tointeger(L, -4),
                               lua_tostring(L, -3),
                               (int32_t)lua_tointeger(L, -2),
                               (int32_t)lua_tointeger(L, -1))
                         : er_finding_add_gap(
                               f, (int)lua_tointeger(L, -4),
                               lua_tostring(L, -3),
                               (int32_t)lua_tointeger(L, -2),
                               (int32_t)lua_tointeger(L, -1));
            lua_pop(L, 5);
            if (rc != ER_OK) {
                lua_pop(L, 1);
                snprintf(err, errsize, "out of memory");
                return ER_ENOMEM;
            }
        }
        er_finding_sort_gaps(f);
    }
    lua_pop(L, 1);
    if (f->outcome == ER_ALLOCATION) {
        if (lua_getiuservalue(L, idx, UV_ALLOCATIONS) == LUA_TTABLE) {
            *is_distribute = 1;
            return ER_OK; /* the table stays on the stack */
        }
        lua_pop(L, 1);
        snprintf(err, errsize, "an allocation outcome without allocations");
        return ER_ERULE;
    }
    return ER_OK;
}
