/*
 * outcome.c - the outcome constructors of the rule environment (at_least,
 * at_most, pass, fail, warn, skip, cut, distribute, indicator) and the
 * reading of what a rule returned into a finding. It owns the outcome
 * vocabulary; recording findings is the engine's.
 */
#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OUTCOME_MT "equirule.outcome"
/* The registry key of the outcome metatable (faster than its name). */
static const char OUTCOME_KEY = 0;
/* Longest unit and note stored with a finding, in bytes. */
#define ER_MAX_UNIT 64
#define ER_MAX_NOTE 4000

static const char *const outcome_names[ER_OUTCOME_COUNT] = {
    "pass", "fail", "warn", "skip", "cut", "allocation", "missing", "error"};

const char *er_outcome_name(er_outcome o)
{
    return (unsigned)o < ER_OUTCOME_COUNT ? outcome_names[o] : NULL;
}

int er_outcome_parse(const char *s)
{
    for (int i = 0; i < ER_OUTCOME_COUNT; i++)
        if (s && strcmp(s, outcome_names[i]) == 0)
            return i;
    return -1;
}

void er_finding_clear(er_finding *f)
{
    free(f->unit);
    free(f->note);
    memset(f, 0, sizeof *f);
}

/* Pushes a new outcome table with its outcome name. [-0, +1, m] */
static void new_outcome(lua_State *L, const char *outcome)
{
    lua_createtable(L, 0, 6);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &OUTCOME_KEY);
    lua_setmetatable(L, -2);
    lua_pushstring(L, outcome);
    lua_setfield(L, -2, "outcome");
}

/* Copies opts.unit and opts.note (opts at index `opts`, may be absent) into
 * the outcome at the top. [-0, +0, e] */
static void copy_opts(lua_State *L, int opts, const char *fn)
{
    if (lua_isnoneornil(L, opts))
        return;
    if (lua_type(L, opts) == LUA_TSTRING) { /* a bare note */
        lua_pushvalue(L, opts);
        lua_setfield(L, -2, "note");
        return;
    }
    if (lua_type(L, opts) != LUA_TTABLE)
        luaL_error(L, "%s: options must be a table or a note string", fn);
    static const char *const fields[] = {"unit", "note"};
    for (size_t i = 0; i < ER_ARRAY_LEN(fields); i++) {
        int t = lua_getfield(L, opts, fields[i]);
        if (t != LUA_TNIL && t != LUA_TSTRING && t != LUA_TNUMBER)
            luaL_error(L, "%s: opts.%s must be a string", fn, fields[i]);
        if (t == LUA_TNIL)
            lua_pop(L, 1);
        else
            lua_setfield(L, -2, fields[i]);
    }
    static const char *const numbers[] = {"measured", "required"};
    for (size_t i = 0; i < ER_ARRAY_LEN(numbers); i++) {
        int t = lua_getfield(L, opts, numbers[i]);
        if (t != LUA_TNIL && t != LUA_TNUMBER)
            luaL_error(L, "%s: opts.%s must be a number", fn, numbers[i]);
        if (t == LUA_TNIL)
            lua_pop(L, 1);
        else
            lua_setfield(L, -2, numbers[i]);
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
        if (lua_type(L, -1) != LUA_TNUMBER || lua_tonumber(L, -1) < 0)
            luaL_error(L, "%s: opts.warn_within must be a number >= 0", fn);
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
    double value = check_finite(L, 1, fn, "value");
    if (lua_isnoneornil(L, 2)) {
        new_outcome(L, "missing");
        lua_pushnumber(L, value);
        lua_setfield(L, -2, "measured");
        copy_opts(L, 3, fn);
        lua_pushfstring(L, "%s: no required value (is a standard in force "
                           "for this year?)",
                        fn);
        lua_setfield(L, -2, "note");
        return 1;
    }
    double bound = check_finite(L, 2, fn, least ? "minimum" : "maximum");
    double band = opt_band(L, 3, fn);
    const char *outcome;
    if (least ? value >= bound : value <= bound)
        outcome = "pass";
    else if (band > 0 &&
             (least ? value >= bound - fabs(bound) * band
                    : value <= bound + fabs(bound) * band))
        outcome = "warn";
    else
        outcome = "fail";
    new_outcome(L, outcome);
    lua_pushnumber(L, value);
    lua_setfield(L, -2, "measured");
    lua_pushnumber(L, bound);
    lua_setfield(L, -2, "required");
    copy_opts(L, 3, fn);
    return 1;
}

/* pass / fail / warn / skip: upvalue 1 is the outcome name. */
static int l_outcome_simple(lua_State *L) /* [-0, +1, e] */
{
    const char *outcome = lua_tostring(L, lua_upvalueindex(1));
    new_outcome(L, outcome);
    copy_opts(L, 1, outcome);
    return 1;
}

static int l_outcome_cut(lua_State *L) /* [-0, +1, e] */
{
    double amount = check_finite(L, 1, "cut", "amount");
    if (amount < 0)
        return luaL_error(L, "cut: amount must not be negative (%f)", amount);
    new_outcome(L, er_yuan_to_fen(amount) == 0 ? "pass" : "cut");
    lua_pushnumber(L, amount);
    lua_setfield(L, -2, "amount");
    copy_opts(L, 2, "cut");
    return 1;
}

static int l_outcome_distribute(lua_State *L) /* [-0, +1, e] */
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_createtable(L, 0, 0);
    int copy = lua_gettop(L);
    int n = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            return luaL_error(L, "distribute: keys must be region codes "
                                 "(strings)");
        if (lua_type(L, -1) != LUA_TNUMBER)
            return luaL_error(L, "distribute: amount for %s must be a "
                                 "number",
                              lua_tostring(L, -2));
        double v = lua_tonumber(L, -1);
        if (!isfinite(v) || v < 0)
            return luaL_error(L, "distribute: amount for %s must be finite "
                                 "and not negative",
                              lua_tostring(L, -2));
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, copy);
        n++;
    }
    new_outcome(L, n ? "allocation" : "pass");
    lua_pushvalue(L, copy);
    lua_setfield(L, -2, "allocations");
    copy_opts(L, 2, "distribute");
    return 1;
}

static int l_outcome_indicator(lua_State *L) /* [-0, +1, e] */
{
    double value = check_finite(L, 1, "indicator", "value");
    double target = check_finite(L, 2, "indicator", "target");
    const char *op = luaL_checkstring(L, 3);
    bool ok;
    if (strcmp(op, "<=") == 0)
        ok = value <= target;
    else if (strcmp(op, ">=") == 0)
        ok = value >= target;
    else
        return luaL_error(L, "indicator: operator must be \"<=\" or \">=\", "
                             "got \"%s\"",
                          op);
    new_outcome(L, ok ? "pass" : "fail");
    lua_pushnumber(L, value);
    lua_setfield(L, -2, "measured");
    lua_pushnumber(L, target);
    lua_setfield(L, -2, "required");
    copy_opts(L, 4, "indicator");
    return 1;
}

void er_outcome_register(lua_State *L)
{
    if (luaL_newmetatable(L, OUTCOME_MT)) {
        lua_pushliteral(L, "outcome");
        lua_setfield(L, -2, "__metatable");
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
    lua_pushcfunction(L, l_outcome_cut);
    lua_setfield(L, -2, "cut");
    lua_pushcfunction(L, l_outcome_distribute);
    lua_setfield(L, -2, "distribute");
    lua_pushcfunction(L, l_outcome_indicator);
    lua_setfield(L, -2, "indicator");
}

/* Reads a string field without metamethods, cut to `max` bytes (on a
 * UTF-8 boundary, marked with "..."); NULL when absent. */
static char *dup_field(lua_State *L, int idx, const char *name, size_t max)
{
    char *s = NULL;
    lua_pushstring(L, name);
    int t = lua_rawget(L, idx);
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

static bool num_field(lua_State *L, int idx, const char *name, double *out)
{
    lua_pushstring(L, name);
    bool ok = lua_rawget(L, idx) == LUA_TNUMBER;
    if (ok)
        *out = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return ok;
}

int er_outcome_read(lua_State *L, int idx, er_finding *f, int *is_distribute,
                    char *err, size_t errsize)
{
    idx = lua_absindex(L, idx);
    *is_distribute = 0;
    bool marked = false;
    if (lua_type(L, idx) == LUA_TTABLE && lua_getmetatable(L, idx)) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &OUTCOME_KEY);
        marked = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    if (!marked) {
        snprintf(err, errsize,
                 "evaluate returned %s, not an outcome (return pass(), "
                 "fail(), at_least(), cut(), ...)",
                 lua_isnone(L, idx) ? "nothing" : luaL_typename(L, idx));
        return ER_ERULE;
    }
    lua_pushliteral(L, "outcome");
    lua_rawget(L, idx);
    int o = lua_type(L, -1) == LUA_TSTRING ? er_outcome_parse(lua_tostring(L, -1))
                                           : -1;
    lua_pop(L, 1);
    if (o < 0) {
        snprintf(err, errsize, "the outcome table was altered");
        return ER_ERULE;
    }
    f->outcome = (uint8_t)o;
    if (num_field(L, idx, "measured", &f->measured) && isfinite(f->measured))
        f->flags |= ER_F_MEASURED;
    if (num_field(L, idx, "required", &f->required) && isfinite(f->required))
        f->flags |= ER_F_REQUIRED;
    double amount;
    if (num_field(L, idx, "amount", &amount) && isfinite(amount)) {
        f->amount = er_yuan_to_fen(amount);
        f->flags |= ER_F_AMOUNT;
    }
    f->unit = dup_field(L, idx, "unit", ER_MAX_UNIT);
    f->note = dup_field(L, idx, "note", ER_MAX_NOTE);
    if (o == ER_ALLOCATION) {
        lua_pushliteral(L, "allocations");
        if (lua_rawget(L, idx) == LUA_TTABLE) {
            *is_distribute = 1;
            return ER_OK; /* the table stays on the stack */
        }
        lua_pop(L, 1);
        snprintf(err, errsize, "the outcome table was altered");
        return ER_ERULE;
    }
    return ER_OK;
}
