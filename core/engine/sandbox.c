/*
 * sandbox.c - the Lua state rules run in: a counting allocator with a memory
 * limit, a count hook for the instruction budget and the wall-clock
 * deadline (with a line hook beside it while tests measure coverage), and
 * rule environments built from an allow-list. It owns the
 * limits and the environment; what rules may read of the data is view.c's.
 */
#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HOOK_INTERVAL 1000

double er_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static er_sandbox *sandbox_of(lua_State *L)
{
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return ud;
}

static void *sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    er_sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sb->mem_used -= old;
        return NULL;
    }
    if (nsize > old && sb->armed &&
        (sb->tripped == ER_TRIP_MEMORY ||
         sb->mem_used - old + nsize > sb->mem_limit)) {
        sb->tripped = ER_TRIP_MEMORY;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (!p)
        return NULL;
    sb->mem_used = sb->mem_used - old + nsize;
    return p;
}

/* The hook's events: the count always; lines too while coverage is on. */
static int hook_mask(const er_sandbox *sb)
{
    return LUA_MASKCOUNT | (sb->coverage ? LUA_MASKLINE : 0);
}

static void sb_hook(lua_State *L, lua_Debug *ar)
{
    er_sandbox *sb = sandbox_of(L);
    if (ar->event == LUA_HOOKLINE) {
        if (sb->coverage && lua_getinfo(L, "S", ar))
            sb->coverage(sb->coverage_ctx, ar->source, ar->currentline);
        return;
    }
    if (!sb->armed)
        return;
    if (sb->tripped == ER_TRIP_NONE) {
        sb->budget_left -= HOOK_INTERVAL;
        if (sb->budget_left < 0)
            sb->tripped = ER_TRIP_BUDGET;
        else if (sb->timeout > 0 && er_monotonic() > sb->deadline)
            sb->tripped = ER_TRIP_DEADLINE;
    }
    if (sb->tripped != ER_TRIP_NONE) {
        char buf[128];
        /* sticky: fire on every instruction until the evaluation ends */
        lua_sethook(L, sb_hook, LUA_MASKCOUNT, 1);
        luaL_error(L, "%s", er_sandbox_trip_message(sb, sb->tripped, buf,
                                                    sizeof buf));
    }
}

const char *er_sandbox_trip_message(const er_sandbox *sb, int trip, char *buf,
                                    size_t size)
{
    switch (trip) {
    case ER_TRIP_MEMORY:
        snprintf(buf, size, "memory limit exceeded (%zu MB)",
                 sb->mem_limit / (1024 * 1024));
        break;
    case ER_TRIP_BUDGET:
        snprintf(buf, size, "instruction budget exceeded (%ld instructions)",
                 sb->budget);
        break;
    case ER_TRIP_DEADLINE:
        snprintf(buf, size, "time limit exceeded (%g s)", sb->timeout);
        break;
    default:
        snprintf(buf, size, "no limit broken");
    }
    return buf;
}

void er_sandbox_arm(er_sandbox *sb)
{
    sb->tripped = ER_TRIP_NONE;
    sb->budget_left = sb->budget;
    sb->deadline = sb->timeout > 0 ? er_monotonic() + sb->timeout : 0;
    sb->armed = true;
    er_watch_armed(sb, true);
}

int er_sandbox_disarm(er_sandbox *sb)
{
    sb->armed = false;
    er_watch_armed(sb, false);
    int trip = sb->tripped;
    sb->tripped = ER_TRIP_NONE;
    if (trip != ER_TRIP_NONE) /* back from the sticky pace */
        lua_sethook(sb->L, sb_hook, hook_mask(sb), HOOK_INTERVAL);
    return trip;
}

void er_sandbox_set_coverage(er_sandbox *sb,
                             void (*fn)(void *ctx, const char *source,
                                        int line),
                             void *ctx)
{
    sb->coverage = fn;
    sb->coverage_ctx = ctx;
    lua_sethook(sb->L, sb_hook, hook_mask(sb), HOOK_INTERVAL);
}

const char *er_lua_errtext(lua_State *L, int idx, char *buf, size_t size)
{
    int t = lua_type(L, idx);
    if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        snprintf(buf, size, "%.*s", (int)(len > size ? size : len), s);
    } else if (t == LUA_TNUMBER) {
        snprintf(buf, size, "%.14g", lua_tonumber(L, idx));
    } else {
        snprintf(buf, size, "(error object is a %s value)",
                 lua_typename(L, t));
    }
    return buf;
}

/* ---- safe replacements -------------------------------------------------- */

/* Pattern functions with size caps. Upvalue 1: the original. */
static int l_sandbox_capped_pattern(lua_State *L) /* [-?, +?, e] */
{
    size_t slen = 0, plen = 0;
    luaL_checklstring(L, 1, &slen);
    luaL_checklstring(L, 2, &plen);
    if (slen > ER_PATTERN_MAX_SUBJECT)
        return luaL_error(L, "pattern subject too long (%d bytes at most)",
                          ER_PATTERN_MAX_SUBJECT);
    if (plen > ER_PATTERN_MAX_PATTERN)
        return luaL_error(L, "pattern too long (%d bytes at most)",
                          ER_PATTERN_MAX_PATTERN);
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

static int l_sandbox_setmetatable(lua_State *L) /* [-0, +1, e] */
{
    static const char *const refused[] = {"__gc", "__close", "__mode"};
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_type(L, 2) == LUA_TTABLE) {
        for (size_t i = 0; i < ER_ARRAY_LEN(refused); i++) {
            if (lua_getfield(L, 2, refused[i]) != LUA_TNIL)
                return luaL_error(L, "setmetatable: %s is not allowed in "
                                     "rules",
                                  refused[i]);
            lua_pop(L, 1);
        }
        int t = lua_getfield(L, 2, "__call");
        if (t != LUA_TNIL && t != LUA_TFUNCTION)
            return luaL_error(L, "setmetatable: __call must be a function");
        lua_pop(L, 1);
    }
    lua_settop(L, 2);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 2, 1);
    return 1;
}

static int l_sandbox_getmetatable(lua_State *L) /* [-0, +1, e] */
{
    luaL_checkany(L, 1);
    if (lua_type(L, 1) == LUA_TSTRING)
        return luaL_error(L, "getmetatable: the string metatable is not "
                             "available to rules");
    lua_settop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

/* The registry key of the set of environment proxies (weak keys). */
static const char ENVS_KEY = 0;

static bool is_env(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &ENVS_KEY);
    lua_pushvalue(L, idx);
    bool found = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return found;
}

/* rawset that refuses rule environments: their globals are assigned through
 * __newindex, which enforces the freeze during evaluation. */
static int l_sandbox_rawset(lua_State *L) /* [-0, +1, e] */
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (is_env(L, 1))
        return luaL_error(L, "rawset on the rule environment is not allowed");
    lua_settop(L, 3);
    lua_rawset(L, 1);
    lua_settop(L, 1);
    return 1;
}

/* load(text [, chunkname]) into the caller's environment (upvalue 1). */
static int l_sandbox_load(lua_State *L) /* [-0, +1|2, -] */
{
    size_t len;
    const char *text = lua_tolstring(L, 1, &len);
    if (lua_type(L, 1) != LUA_TSTRING || !text) {
        luaL_pushfail(L);
        lua_pushstring(L, "load: only text chunks are allowed in rules");
        return 2;
    }
    const char *name = luaL_optstring(L, 2, "=(load)");
    if (luaL_loadbufferx(L, text, len, name, "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setupvalue(L, -2, 1);
    return 1;
}

/* require(name): a module of scripts/lib, embedded at build time. Upvalue 1:
 * the environment's module cache. */
static int l_sandbox_require(lua_State *L) /* [-0, +1, e] */
{
    const char *name = luaL_checkstring(L, 1);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return luaL_error(L, "require: bad module name '%s'", name);
    lua_settop(L, 1);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    char path[128], chunk[4200];
    const char *src = NULL;
    size_t len = 0;
    er_sandbox *sb = sandbox_of(L);
    snprintf(path, sizeof path, "scripts/lib/%s.lua", name);
    for (size_t i = 0; i < sb->nmodules; i++) {
        if (strcmp(sb->modules[i].path, path) == 0) {
            src = sb->modules[i].source;
            len = sb->modules[i].len;
            snprintf(chunk, sizeof chunk, "@%s", sb->modules[i].display);
        }
    }
    if (!src) {
        const er_embedded *f = er_embedded_find(path + strlen("scripts/"));
        if (!f)
            return luaL_error(L, "require: module '%s' not found (rules can "
                                 "require the modules of scripts/lib only)",
                              name);
        src = f->data;
        len = f->len;
        snprintf(chunk, sizeof chunk, "@%s", path);
    }
    if (luaL_loadbufferx(L, src, len, chunk, "t") != LUA_OK)
        return lua_error(L);
    er_sandbox_push_env(L);
    lua_setupvalue(L, -2, 1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, lua_upvalueindex(1));
    return 1;
}

/* __newindex of an environment: assignments to globals are allowed while a
 * file loads, refused while rules evaluate (evaluations must not leave state
 * behind). Upvalue 1: the globals table. */
static int l_sandbox_env_newindex(lua_State *L) /* [-0, +0, e] */
{
    if (sandbox_of(L)->frozen) {
        const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2)
                                                      : "?";
        return luaL_error(L, "assignment to global '%s' during evaluation "
                             "(declare it local)",
                          k);
    }
    lua_settop(L, 3);
    lua_rawset(L, lua_upvalueindex(1));
    return 0;
}

/* ---- environments ----------------------------------------------------------- */

static const char *const safe_base[] = {
    "assert", "error",  "ipairs",   "next",     "pairs",  "pcall",
    "rawequal", "rawget", "rawlen", "select", "tonumber",
    "tostring", "type", "xpcall", "_VERSION", NULL};

static const char *const safe_libs[] = {"string", "table", "math", "utf8",
                                        NULL};

/* Library members left out: nondeterminism and bytecode. */
static bool lib_member_refused(const char *lib, const char *name)
{
    return (strcmp(lib, "string") == 0 && strcmp(name, "dump") == 0) ||
           (strcmp(lib, "math") == 0 && (strcmp(name, "random") == 0 ||
                                         strcmp(name, "randomseed") == 0));
}

void er_sandbox_push_env(lua_State *L)
{
    er_sandbox *sb = sandbox_of(L);
    lua_newtable(L); /* globals */
    int globals = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->template_ref);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -1) == LUA_TTABLE) { /* a library: own copy */
            lua_newtable(L);
            lua_pushnil(L);
            while (lua_next(L, -3)) {
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, -4);
            }
            lua_remove(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, globals);
    }
    lua_pop(L, 1); /* template */

    lua_newtable(L); /* the environment proper: a proxy */
    int env = lua_gettop(L);
    lua_newtable(L);
    lua_pushvalue(L, globals);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, globals);
    lua_pushcclosure(L, l_sandbox_env_newindex, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);

    lua_rawgetp(L, LUA_REGISTRYINDEX, &ENVS_KEY);
    lua_pushvalue(L, env);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);

    lua_pushvalue(L, env);
    lua_setfield(L, globals, "_G");
    lua_pushvalue(L, env);
    lua_pushcclosure(L, l_sandbox_load, 1);
    lua_setfield(L, globals, "load");
    lua_newtable(L);
    lua_pushcclosure(L, l_sandbox_require, 1);
    lua_setfield(L, globals, "require");
    lua_remove(L, globals);
}

static int l_sandbox_setup(lua_State *L) /* [-0, +0, m] */
{
    er_sandbox *sb = lua_touserdata(L, 1);
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(L, 1);

    /* cap the pattern functions in the real string library, which the
     * string metatable's __index also reaches, and lock that metatable */
    static const char *const patterns[] = {"find", "match", "gmatch", "gsub"};
    lua_getglobal(L, LUA_STRLIBNAME);
    for (size_t i = 0; i < ER_ARRAY_LEN(patterns); i++) {
        lua_getfield(L, -1, patterns[i]);
        lua_pushcclosure(L, l_sandbox_capped_pattern, 1);
        lua_setfield(L, -2, patterns[i]);
    }
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    lua_newtable(L); /* environments, weak keys */
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &ENVS_KEY);

    lua_newtable(L); /* the template */
    for (size_t i = 0; safe_base[i]; i++) {
        lua_getglobal(L, safe_base[i]);
        lua_setfield(L, -2, safe_base[i]);
    }
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, l_sandbox_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");
    lua_getglobal(L, "getmetatable");
    lua_pushcclosure(L, l_sandbox_getmetatable, 1);
    lua_setfield(L, -2, "getmetatable");
    lua_pushcfunction(L, l_sandbox_rawset);
    lua_setfield(L, -2, "rawset");
    for (size_t i = 0; safe_libs[i]; i++) {
        lua_getglobal(L, safe_libs[i]);
        lua_newtable(L);
        lua_pushnil(L);
        while (lua_next(L, -3)) {
            const char *k = lua_tostring(L, -2);
            if (lua_type(L, -2) == LUA_TSTRING &&
                lib_member_refused(safe_libs[i], k)) {
                lua_pop(L, 1);
                continue;
            }
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, -4);
        }
        lua_setfield(L, -3, safe_libs[i]);
        lua_pop(L, 1);
    }
    er_outcome_register(L);
    sb->template_ref = luaL_ref(L, LUA_REGISTRYINDEX);

    /* the real globals are never seen by rules; empty them anyway */
    lua_pushglobaltable(L);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, -4);
    }
    lua_pop(L, 1);
    return 0;
}

static int sb_panic(lua_State *L)
{
    char buf[256];
    fprintf(stderr, "equirule: unprotected Lua error: %s\n",
            er_lua_errtext(L, -1, buf, sizeof buf));
    abort();
}

int er_sandbox_open(er_sandbox *sb, size_t max_memory, long max_instructions,
                    double timeout)
{
    memset(sb, 0, sizeof *sb);
    sb->mem_limit = max_memory ? max_memory : ER_DEFAULT_MAX_MEMORY;
    sb->budget = max_instructions > 0 ? max_instructions
                                      : ER_DEFAULT_MAX_INSTRUCTIONS;
    sb->timeout = timeout > 0 ? timeout : ER_DEFAULT_TIMEOUT;
    sb->template_ref = LUA_NOREF;
    sb->L = lua_newstate(sb_alloc, sb);
    if (!sb->L)
        return er_fail(ER_ENOMEM, "cannot create a Lua state");
    lua_atpanic(sb->L, sb_panic);
    lua_pushcfunction(sb->L, l_sandbox_setup);
    lua_pushlightuserdata(sb->L, sb);
    if (lua_pcall(sb->L, 1, 0, 0) != LUA_OK) {
        char buf[256];
        int rc = er_fail(ER_ERROR, "cannot set up the Lua sandbox: %s",
                         er_lua_errtext(sb->L, -1, buf, sizeof buf));
        er_sandbox_close(sb);
        return rc;
    }
    lua_sethook(sb->L, sb_hook, hook_mask(sb), HOOK_INTERVAL);
    return ER_OK;
}

int er_limits_check(double timeout, long max_instructions, long max_memory)
{
    if (!isfinite(timeout) || timeout < 0 || timeout > ER_TIMEOUT_MAX)
        return er_fail(ER_EUSAGE,
                       "timeout %g: give seconds, more than 0 and at most "
                       "%g (one day)",
                       timeout, ER_TIMEOUT_MAX);
    if (max_instructions != 0 &&
        (max_instructions < ER_MAX_INSTRUCTIONS_MIN ||
         max_instructions > ER_MAX_INSTRUCTIONS_MAX))
        return er_fail(ER_EUSAGE,
                       "instruction budget %ld: give %ld to %ld",
                       max_instructions, ER_MAX_INSTRUCTIONS_MIN,
                       ER_MAX_INSTRUCTIONS_MAX);
    if (max_memory != 0 &&
        (max_memory < ER_MAX_MEMORY_MIN || max_memory > ER_MAX_MEMORY_MAX))
        return er_fail(ER_EUSAGE,
                       "memory limit of %ld bytes: give 1 MB to %ld MB",
                       max_memory, ER_MAX_MEMORY_MAX / (1024 * 1024));
    return ER_OK;
}

int64_t er_kill_after_ns(double timeout)
{
    if (isnan(timeout) || timeout <= 0)
        timeout = ER_DEFAULT_TIMEOUT;
    if (timeout > ER_TIMEOUT_MAX) /* also infinity */
        timeout = ER_TIMEOUT_MAX;
    /* at most 1.25 x 86400 s + 0.25 s: about 1.1e14 ns */
    return (int64_t)((timeout * 1.25 + 0.25) * 1e9);
}

void er_sandbox_close(er_sandbox *sb)
{
    if (sb->L)
        lua_close(sb->L);
    sb->L = NULL;
}
