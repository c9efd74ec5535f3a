/*
 * sandbox.c - the Lua state rules run in: a counting allocator with a memory
 * limit, a count hook for the instruction budget and the wall-clock deadline
 * (with a line hook beside it while tests measure coverage), and rule
 * environments built from an allow-list (reading a name they lack, or a
 * param a rule does not declare, is an error naming it), and what keeps
 * evaluations independent: the freeze of what rule files build while they
 * load, metatables installed as private copies (no finalizer can get in),
 * pairs in a fixed order and no addresses in text. It owns the limits and
 * the environment; what rules may read of the data is view.c's.
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
    sb->bug[0] = '\0';
    sb->deadline = sb->timeout > 0 ? er_monotonic() + sb->timeout : 0;
    sb->armed = true;
    /* setting the hook again restarts its count: the budget must not start
     * with what the previous evaluation left of the interval */
    if (sb->L)
        lua_sethook(sb->L, sb_hook, hook_mask(sb), HOOK_INTERVAL);
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
    if (t == LUA_TSTRING) { /* a NUL byte is kept, as "\0" */
        size_t len, n = 0;
        const char *s = lua_tolstring(L, idx, &len);
        for (size_t i = 0; i < len && n + 3 <= size; i++) {
            if (s[i] == '\0') {
                buf[n++] = '\\';
                buf[n++] = '0';
            } else {
                buf[n++] = s[i];
            }
        }
        if (size)
            buf[n < size ? n : size - 1] = '\0';
    } else if (t == LUA_TNUMBER) {
        snprintf(buf, size, "%.14g", lua_tonumber(L, idx));
    } else {
        snprintf(buf, size, "(error object is a %s value)",
                 lua_typename(L, t));
    }
    return buf;
}

const char *er_lua_checkname(lua_State *L, int arg)
{
    size_t len;
    const char *s = luaL_checklstring(L, arg, &len);
    if (strlen(s) != len)
        luaL_argerror(L, arg, "the string contains a NUL byte");
    return s;
}

/* ---- safe replacements -------------------------------------------------- */

/* An iterator of string.gmatch made while a file loaded: its position is
 * state in C that the freeze cannot see, so evaluations may not use it.
 * Upvalue 1: the iterator. */
static int l_sandbox_load_iterator(lua_State *L) /* [-0, +?, e] */
{
    if (sandbox_of(L)->frozen)
        return luaL_error(L, "a gmatch iterator made while the file loads "
                             "cannot be used during evaluation (call "
                             "string.gmatch inside evaluate)");
    lua_settop(L, 0);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L);
}

/* Pattern functions with size caps. Upvalue 1: the original; upvalue 2:
 * true for gmatch. */
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
    if (lua_toboolean(L, lua_upvalueindex(2)) && !sandbox_of(L)->frozen &&
        lua_gettop(L) == 1) {
        lua_pushcclosure(L, l_sandbox_load_iterator, 1);
    }
    return lua_gettop(L);
}

/* ---- no addresses ---- */

/* Addresses change from run to run (and between processes): a table,
 * function or userdata without __tostring is written as its type, by
 * tostring and string.format's %s, and %p is refused. */
static bool push_addressless(lua_State *L, int idx) /* [-0, +(0|1), e] */
{
    int t = lua_type(L, idx);
    if (t != LUA_TTABLE && t != LUA_TFUNCTION && t != LUA_TUSERDATA &&
        t != LUA_TTHREAD && t != LUA_TLIGHTUSERDATA)
        return false;
    if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        return false;
    }
    int name = luaL_getmetafield(L, idx, "__name");
    if (name == LUA_TSTRING)
        return true;
    if (name != LUA_TNIL)
        lua_pop(L, 1);
    lua_pushstring(L, lua_typename(L, t));
    return true;
}

static int l_sandbox_tostring(lua_State *L) /* [-0, +1, e] */
{
    luaL_checkany(L, 1);
    lua_settop(L, 1);
    if (!push_addressless(L, 1))
        luaL_tolstring(L, 1, NULL);
    return 1;
}

/* string.format without addresses. Only the arguments that a %s
 * conversion consumes are written without their address; the others go
 * to Lua's format as they are (a table for %d is an error there, and %q
 * of a table has no literal form). Upvalue 1: the original. */
static int l_sandbox_format(lua_State *L) /* [-0, +1, e] */
{
    size_t flen;
    const char *f = luaL_checklstring(L, 1, &flen);
    const char *end = f + flen;
    int n = lua_gettop(L), arg = 1;
    for (const char *p = f; p < end; p++) {
        if (*p != '%')
            continue;
        if (++p < end && *p == '%')
            continue;
        while (p < end && *p && strchr("-+ #0123456789.", *p))
            p++;
        if (p < end && *p == 'p')
            return luaL_error(L, "string.format: %%p is not allowed in "
                                 "rules (addresses change from run to run)");
        if (++arg <= n && p < end && *p == 's' && push_addressless(L, arg))
            lua_replace(L, arg);
        if (p >= end)
            break;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, 1);
    return 1;
}

/* The registry key of the set of environment proxies (weak keys), and of
 * the metatable of their globals (reading a name they lack raises). */
static const char ENVS_KEY = 0, STRICT_KEY = 0;

static bool is_env(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &ENVS_KEY);
    lua_pushvalue(L, idx);
    bool found = lua_rawget(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
    return found;
}

/* ---- frozen state and metatables ------------------------------------------ */

/*
 * What a rule file builds while it loads (its tables, the helper modules it
 * requires, its copies of the libraries, its params) would be shared by
 * every evaluation of its rules, so once the rule set is loaded it is frozen
 * (er_sandbox_freeze):
 *
 * - a frozen table is raw-empty: its contents live in a shadow table and its
 *   metatable (internal, never handed to rules) reads the shadow (__index,
 *   __len, __pairs) and refuses every write (__newindex). The sandbox's
 *   rawget, rawset, rawlen, next and setmetatable know frozen tables; C code
 *   reads them through er_sandbox_push_contents.
 * - the upvalues of the Lua functions a rule can reach are recorded; after
 *   each evaluation er_sandbox_restore puts back any that changed, and the
 *   evaluation is an error.
 *
 * Metatables: setmetatable installs a private copy of the table it is given,
 * read raw (no __index of it runs), without __gc, __close or __mode; nothing
 * a rule does later to the table it gave reaches the copy, which rules never
 * see (getmetatable returns the table given).
 */

/* In a frozen table's metatable: the shadow, the metatable the table had
 * (a copy made by setmetatable) and the message writes raise. */
static const char SHADOW_KEY = 0, ORIGINAL_KEY = 0, MESSAGE_KEY = 0;
/* Registry: metatable copy -> the table setmetatable was given (weak keys). */
static const char COPIES_KEY = 0;

/* If the value at idx is a frozen table, pushes its shadow and returns
 * true; otherwise pushes nothing. [-0, +(0|1), -] */
static bool push_shadow(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return false;
    if (lua_rawgetp(L, -1, &SHADOW_KEY) == LUA_TTABLE) {
        lua_remove(L, -2);
        return true;
    }
    lua_pop(L, 2);
    return false;
}

void er_sandbox_push_contents(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (!push_shadow(L, idx))
        lua_pushvalue(L, idx);
}

/* Pushes msg with the place of the nearest Lua function on the stack
 * before it ("rules/x.lua:12: msg"), or msg alone. [-0, +1, m] */
static void push_at_lua_line(lua_State *L, const char *msg)
{
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "l", &ar) && ar.currentline > 0) {
            luaL_where(L, level);
            lua_pushstring(L, msg);
            lua_concat(L, 2);
            return;
        }
    }
    lua_pushstring(L, msg);
}

/* Raises msg with the place of the nearest Lua function on the stack, so
 * that a write through C code (table.move, table.insert) names the rule's
 * line too. */
static int raise_at_lua_line(lua_State *L, const char *msg) /* [-0, +0, e] */
{
    push_at_lua_line(L, msg);
    return lua_error(L);
}

/* As raise_at_lua_line, for a rule bug (an unknown global, a param not
 * declared): while armed, the first one is kept in the sandbox's `bug`, so
 * that the evaluation is an error even when a pcall in the rule catches
 * it. */
static int raise_rule_bug(lua_State *L, const char *msg) /* [-0, +0, e] */
{
    er_sandbox_push_bug(L, msg);
    return lua_error(L);
}

void er_sandbox_push_bug(lua_State *L, const char *msg)
{
    er_sandbox *sb = sandbox_of(L);
    push_at_lua_line(L, msg);
    if (sb->armed && !sb->bug[0])
        snprintf(sb->bug, sizeof sb->bug, "%s", lua_tostring(L, -1));
}

/* Raises the frozen table's message when the table at idx is frozen. */
static void check_writable(lua_State *L, int idx) /* [-0, +0, e] */
{
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return;
    if (lua_rawgetp(L, -1, &MESSAGE_KEY) == LUA_TSTRING)
        raise_at_lua_line(L, lua_tostring(L, -1));
    lua_pop(L, 2);
}

/* __newindex of frozen tables. Upvalue 1: the message. */
static int l_sandbox_frozen_newindex(lua_State *L) /* [-0, +0, e] */
{
    return raise_at_lua_line(L, lua_tostring(L, lua_upvalueindex(1)));
}

/* __len of frozen tables. Upvalue 1: the shadow. */
static int l_sandbox_frozen_len(lua_State *L) /* [-0, +1, -] */
{
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, lua_upvalueindex(1)));
    return 1;
}

/* __index of a frozen table whose metatable had one: the shadow first, then
 * the original __index. Upvalues: the shadow, the original. */
static int l_sandbox_frozen_index(lua_State *L) /* [-0, +1, e] */
{
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(2));
    if (lua_type(L, -1) == LUA_TFUNCTION) {
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        lua_call(L, 2, 1);
    } else {
        lua_pushvalue(L, 2);
        lua_gettable(L, -2);
    }
    return 1;
}

/* next(t [, k]) that reads a frozen table's contents. */
static int l_sandbox_next(lua_State *L) /* [-0, +(1|2), e] */
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    er_sandbox_push_contents(L, 1);
    lua_insert(L, 2);
    if (lua_next(L, 2))
        return 2;
    lua_pushnil(L);
    return 1;
}

/* ---- declared names only: params and globals ---- */

/* Globals the engine itself sets in a rule file's environment: `params`,
 * while one of the file's rules evaluates. */
static const char *const engine_globals[] = {"params"};

/* Lua's own globals the sandbox leaves out (its docs list them): named
 * as such, not as a misspelling. */
static const char *const left_out[] = {"io",       "os",       "debug",
                                       "package",  "coroutine", "print",
                                       "dofile",   "loadfile",
                                       "collectgarbage"};

/* Globals of older Luas, and where Lua 5.4 has them. */
static const char *const moved[][2] = {{"unpack", "table.unpack"},
                                       {"loadstring", "load"}};

/* At most this many names are offered to er_suggest or listed. */
#define NAMES_MAX 256

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The string keys of the table at idx (raw), borrowed from it, sorted;
 * returns how many (at most `max`). */
static size_t table_names(lua_State *L, int idx, const char **names,
                          size_t max)
{
    size_t n = 0;
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && n < max)
            names[n++] = lua_tostring(L, -1);
    }
    qsort(names, n, sizeof *names, cmp_name);
    return n;
}

/* A key as a message names it: a string as it is, a number as written,
 * anything else by its type. */
static const char *key_text(lua_State *L, int idx, char *buf, size_t size)
{
    if (lua_type(L, idx) == LUA_TSTRING)
        return lua_tostring(L, idx);
    if (lua_type(L, idx) == LUA_TNUMBER)
        snprintf(buf, size, "%.14g", lua_tonumber(L, idx));
    else
        snprintf(buf, size, "(a %s)", luaL_typename(L, idx));
    return buf;
}

const char *er_sandbox_param_message(const char *rule_id, const char *name,
                                     const char *const *declared, size_t n,
                                     char *buf, size_t size)
{
    char list[300] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 i ? ", " : "", declared[i]);
    const char *close = er_suggest(name, declared, n);
    if (n == 0)
        snprintf(buf, size,
                 "rule '%s' has no param '%s' (it declares no params)",
                 rule_id, name);
    else if (close)
        snprintf(buf, size,
                 "rule '%s' has no param '%s' (did you mean %s? declared: "
                 "%s)",
                 rule_id, name, close, list);
    else
        snprintf(buf, size, "rule '%s' has no param '%s' (declared: %s)",
                 rule_id, name, list);
    return buf;
}

const char *er_sandbox_global_message(const char *name,
                                      const char *const *names, size_t n,
                                      char *buf, size_t size)
{
    for (size_t i = 0; i < ER_ARRAY_LEN(engine_globals); i++) {
        if (strcmp(name, engine_globals[i]) == 0) {
            snprintf(buf, size,
                     "unknown global '%s' (params is set only while a rule "
                     "evaluates, in its own file: read it inside evaluate "
                     "and pass values to helper modules as arguments)",
                     name);
            return buf;
        }
    }
    for (size_t i = 0; i < ER_ARRAY_LEN(left_out); i++) {
        if (strcmp(name, left_out[i]) == 0) {
            snprintf(buf, size,
                     "unknown global '%s' (the sandbox leaves it out: rules "
                     "cannot use it)",
                     name);
            return buf;
        }
    }
    for (size_t i = 0; i < ER_ARRAY_LEN(moved); i++) {
        if (strcmp(name, moved[i][0]) == 0) {
            snprintf(buf, size,
                     "unknown global '%s' (Lua 5.4 has %s instead)", name,
                     moved[i][1]);
            return buf;
        }
    }
    const char *all[NAMES_MAX + ER_ARRAY_LEN(engine_globals)];
    size_t m = 0;
    for (size_t i = 0; i < n && m < NAMES_MAX; i++)
        all[m++] = names[i];
    for (size_t i = 0; i < ER_ARRAY_LEN(engine_globals); i++)
        all[m++] = engine_globals[i];
    const char *close = er_suggest(name, all, m);
    if (close)
        snprintf(buf, size, "unknown global '%s' (did you mean %s?)", name,
                 close);
    else
        snprintf(buf, size,
                 "unknown global '%s' (not in the rule environment: declare "
                 "it local, or require the helper module that has it)",
                 name);
    return buf;
}

/* __index of a rule's params: a declared name reads its value; any other
 * raises, naming the rule, the name, the close one and the declared ones.
 * Upvalues: the shadow (frozen contents), the rule id. */
static int l_sandbox_params_index(lua_State *L) /* [-0, +1, e] */
{
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    const char *names[NAMES_MAX];
    size_t n = table_names(L, lua_upvalueindex(1), names, NAMES_MAX);
    char kbuf[64], msg[700];
    const char *key = key_text(L, 2, kbuf, sizeof kbuf);
    er_sandbox_param_message(lua_tostring(L, lua_upvalueindex(2)), key,
                             names, n, msg, sizeof msg);
    return raise_rule_bug(L, msg);
}

void er_sandbox_declared_only(lua_State *L, int idx, const char *rule_id)
{
    idx = lua_absindex(L, idx);
    if (!lua_getmetatable(L, idx))
        return;
    if (lua_rawgetp(L, -1, &SHADOW_KEY) != LUA_TTABLE) {
        lua_pop(L, 2); /* not frozen: nothing to guard */
        return;
    }
    lua_pushstring(L, rule_id);
    lua_pushcclosure(L, l_sandbox_params_index, 2);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

/* __index of an environment's globals: a name the environment does not
 * hold is a rule bug (a misspelt constructor, a helper not required), at
 * load time and during evaluation alike. Arguments: the globals, the key. */
static int l_sandbox_unknown_global(lua_State *L) /* [-0, +1, e] */
{
    if (lua_type(L, 2) != LUA_TSTRING) { /* _ENV[1]: not a name */
        lua_pushnil(L);
        return 1;
    }
    lua_settop(L, 2);
    const char *names[NAMES_MAX];
    size_t n = table_names(L, 1, names, NAMES_MAX);
    char msg[400];
    er_sandbox_global_message(lua_tostring(L, 2), names, n, msg, sizeof msg);
    return raise_rule_bug(L, msg);
}

/* ---- pairs in a fixed order ---- */

/* Lua draws the seed of its string hashes anew in each process, so the
 * order of `next` over string keys changes from run to run (and a sum
 * taken in that order, in the last bits). `pairs` therefore visits keys in
 * a fixed order: numbers ascending, strings bytewise, false, true; a table
 * with other keys (tables, functions, userdata such as views) is refused,
 * since their only order is their addresses'. */
typedef struct ordered_key {
    int rank; /* 0 number, 1 string, 2 boolean */
    bool integer;
    lua_Integer i;
    double d;
    const char *s;
    size_t len;
    lua_Integer pos; /* in the key list, before sorting */
} ordered_key;

static int cmp_ordered_key(const void *pa, const void *pb)
{
    const ordered_key *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    switch (a->rank) {
    case 0:
        if (a->integer && b->integer)
            return (a->i > b->i) - (a->i < b->i);
        return (a->d > b->d) - (a->d < b->d);
    case 1: {
        int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
        return c ? c : (a->len > b->len) - (a->len < b->len);
    }
    default:
        return (int)a->i - (int)b->i;
    }
}

/* The step of an ordered traversal. Upvalues: the table read (raw), the
 * sorted keys, the position reached, whether it was made while a file
 * loaded. Keys removed meanwhile are skipped. An iterator made while a file
 * loads keeps its position in C, where the freeze cannot see it, so
 * evaluations may not use it (as gmatch's). */
static int l_sandbox_ordered_next(lua_State *L) /* [-0, +(1|2), e] */
{
    if (lua_toboolean(L, lua_upvalueindex(4)) && sandbox_of(L)->frozen)
        return luaL_error(L, "a pairs iterator made while the file loads "
                             "cannot be used during evaluation (call pairs "
                             "inside evaluate)");
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
    for (;;) {
        if (lua_rawgeti(L, lua_upvalueindex(2), ++i) == LUA_TNIL)
            return 1;
        lua_pushvalue(L, -1);
        if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
            lua_pushinteger(L, i);
            lua_replace(L, lua_upvalueindex(3));
            return 2;
        }
        lua_pop(L, 2);
    }
}

/* Pushes the iterator, `t` and nil for a traversal of the table at `idx`,
 * whose keys and values are read raw from the table at `raw`; returns 3.
 * Pushes nothing and returns -1 when a key is neither a number, a string
 * nor a boolean (no fixed order exists for it). */
static int push_ordered(lua_State *L, int idx, int raw) /* [-0, +3, m] */
{
    idx = lua_absindex(L, idx);
    raw = lua_absindex(L, raw);
    lua_Integer n = 0;
    lua_newtable(L); /* the keys, in the table's order */
    int keys = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, raw)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
    }
    ordered_key *k = lua_newuserdatauv(L, (size_t)n * sizeof *k + 1, 0);
    for (lua_Integer j = 0; j < n; j++) {
        ordered_key *x = &k[j];
        memset(x, 0, sizeof *x);
        x->pos = j + 1;
        switch (lua_rawgeti(L, keys, j + 1)) {
        case LUA_TNUMBER:
            x->integer = lua_isinteger(L, -1);
            x->i = lua_tointeger(L, -1);
            x->d = lua_tonumber(L, -1);
            break;
        case LUA_TSTRING:
            x->rank = 1;
            x->s = lua_tolstring(L, -1, &x->len); /* held by keys */
            break;
        case LUA_TBOOLEAN:
            x->rank = 2;
            x->i = lua_toboolean(L, -1);
            break;
        default: /* a table, function or userdata: its place would be its
                    address */
            lua_settop(L, keys - 1);
            return -1;
        }
        lua_pop(L, 1);
    }
    if (n > 1)
        qsort(k, (size_t)n, sizeof *k, cmp_ordered_key);
    lua_pushvalue(L, raw);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer j = 0; j < n; j++) {
        lua_rawgeti(L, keys, k[j].pos);
        lua_rawseti(L, -2, j + 1);
    }
    lua_pushinteger(L, 0);
    lua_pushboolean(L, !sandbox_of(L)->frozen);
    lua_pushcclosure(L, l_sandbox_ordered_next, 4);
    lua_replace(L, keys); /* the iterator where the keys were */
    lua_settop(L, keys);
    lua_pushvalue(L, idx);
    lua_pushnil(L);
    return 3;
}

#define UNORDERED_KEYS                                                      \
    "pairs: keys that are tables, functions or userdata have no fixed "    \
    "order; key by code or name"

/* __pairs of frozen tables: the fixed order over the contents. */
static int l_sandbox_frozen_pairs(lua_State *L) /* [-0, +3, e] */
{
    lua_settop(L, 1);
    er_sandbox_push_contents(L, 1);
    if (push_ordered(L, 1, 2) < 0)
        return luaL_error(L, "%s", UNORDERED_KEYS);
    return 3;
}

/* pairs(t): __pairs when its metatable has one, else the fixed order. */
static int l_sandbox_pairs(lua_State *L) /* [-0, +3, e] */
{
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        if (lua_tocfunction(L, -1) == l_sandbox_frozen_pairs &&
            push_shadow(L, 1)) { /* as __pairs would, but an error raised
                                    here gives the caller's line */
            if (push_ordered(L, 1, -1) < 0)
                return luaL_error(L, "%s", UNORDERED_KEYS);
            return 3;
        }
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    if (push_ordered(L, 1, 1) < 0)
        return luaL_error(L, "%s", UNORDERED_KEYS);
    return 3;
}

/* rawget that reads a frozen table's contents; on a rule's params, a name
 * the rule does not declare raises as params.NAME does (rawget is no way
 * round a misspelt param). */
static int l_sandbox_rawget(lua_State *L) /* [-0, +1, e] */
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    er_sandbox_push_contents(L, 1);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, 3) == LUA_TNIL &&
        luaL_getmetafield(L, 1, "__index") != LUA_TNIL) {
        if (lua_tocfunction(L, -1) == l_sandbox_params_index) {
            lua_pushvalue(L, 1);
            lua_pushvalue(L, 2);
            lua_call(L, 2, 1);
            return 1;
        }
        lua_pop(L, 1);
    }
    return 1;
}

static int l_sandbox_rawlen(lua_State *L) /* [-0, +1, e] */
{
    int t = lua_type(L, 1);
    luaL_argexpected(L, t == LUA_TTABLE || t == LUA_TSTRING, 1,
                     "table or string");
    er_sandbox_push_contents(L, 1);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* rawset that refuses rule environments (their globals are assigned
 * through __newindex, which enforces the freeze during evaluation) and
 * frozen tables. */
static int l_sandbox_rawset(lua_State *L) /* [-0, +1, e] */
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    if (is_env(L, 1))
        return luaL_error(L, "rawset on the rule environment is not allowed");
    check_writable(L, 1);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    lua_settop(L, 1);
    return 1;
}

/* setmetatable(t, mt): installs a copy of mt read raw, refusing finalizer
 * and weak-table metamethods. Upvalue 1: the original. */
static int l_sandbox_setmetatable(lua_State *L) /* [-0, +1, e] */
{
    static const char *const refused[] = {"__gc", "__close", "__mode"};
    luaL_checktype(L, 1, LUA_TTABLE);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    check_writable(L, 1);
    lua_settop(L, 2);
    if (t == LUA_TTABLE) {
        er_sandbox_push_contents(L, 2); /* 3: read raw */
        for (size_t i = 0; i < ER_ARRAY_LEN(refused); i++) {
            lua_pushstring(L, refused[i]);
            if (lua_rawget(L, 3) != LUA_TNIL)
                return luaL_error(L, "setmetatable: %s is not allowed in "
                                     "rules",
                                  refused[i]);
            lua_pop(L, 1);
        }
        lua_pushliteral(L, "__call");
        int c = lua_rawget(L, 3);
        if (c != LUA_TNIL && c != LUA_TFUNCTION)
            return luaL_error(L, "setmetatable: __call must be a function");
        lua_pop(L, 1);
        lua_newtable(L); /* 4: the copy */
        lua_pushnil(L);
        while (lua_next(L, 3)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, 4);
        }
        lua_rawgetp(L, LUA_REGISTRYINDEX, &COPIES_KEY);
        lua_pushvalue(L, 4);
        lua_pushvalue(L, 2);
        lua_rawset(L, -3);
        lua_pop(L, 1);
        lua_replace(L, 2);
        lua_settop(L, 2);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, 2, 1);
    return 1;
}

/* getmetatable(v): the table given to setmetatable (or its __metatable
 * field); nil for the engine's own metatables that have none. */
static int l_sandbox_getmetatable(lua_State *L) /* [-0, +1, e] */
{
    luaL_checkany(L, 1);
    if (lua_type(L, 1) == LUA_TSTRING)
        return luaL_error(L, "getmetatable: the string metatable is not "
                             "available to rules");
    lua_settop(L, 1);
    if (!lua_getmetatable(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    if (lua_rawgetp(L, 2, &SHADOW_KEY) != LUA_TNIL) { /* frozen */
        lua_pop(L, 1);
        lua_rawgetp(L, 2, &ORIGINAL_KEY);
        lua_replace(L, 2);
        if (lua_isnil(L, 2))
            return 1;
    } else {
        lua_pop(L, 1);
    }
    lua_pushliteral(L, "__metatable");
    if (lua_rawget(L, 2) != LUA_TNIL)
        return 1;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &COPIES_KEY);
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

void er_sandbox_freeze_table(lua_State *L, int idx, const char *message)
{
    int t = lua_absindex(L, idx);
    lua_newtable(L); /* the shadow */
    int s = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, s);
    }
    lua_pushnil(L);
    while (lua_next(L, s)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, t);
    }
    lua_newtable(L); /* its metatable */
    int f = s + 1;
    int g = 0;
    if (lua_getmetatable(L, t)) { /* a copy made by setmetatable: keep its
                                     metamethods */
        g = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, g)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, f);
        }
        lua_pushvalue(L, g);
        lua_rawsetp(L, f, &ORIGINAL_KEY);
    }
    if (g && lua_getfield(L, g, "__index") != LUA_TNIL) {
        lua_pushvalue(L, s);
        lua_insert(L, -2);
        lua_pushcclosure(L, l_sandbox_frozen_index, 2);
    } else {
        if (g)
            lua_pop(L, 1);
        lua_pushvalue(L, s);
    }
    lua_setfield(L, f, "__index");
    lua_pushstring(L, message);
    lua_pushcclosure(L, l_sandbox_frozen_newindex, 1);
    lua_setfield(L, f, "__newindex");
    if (!g || lua_getfield(L, g, "__len") == LUA_TNIL) {
        if (g)
            lua_pop(L, 1);
        lua_pushvalue(L, s);
        lua_pushcclosure(L, l_sandbox_frozen_len, 1);
    }
    lua_setfield(L, f, "__len");
    if (!g || lua_getfield(L, g, "__pairs") == LUA_TNIL) {
        if (g)
            lua_pop(L, 1);
        lua_pushcfunction(L, l_sandbox_frozen_pairs);
    }
    lua_setfield(L, f, "__pairs");
    lua_pushvalue(L, s);
    lua_rawsetp(L, f, &SHADOW_KEY);
    lua_pushstring(L, message);
    lua_rawsetp(L, f, &MESSAGE_KEY);
    lua_pushvalue(L, f);
    lua_setmetatable(L, t);
    lua_settop(L, s - 1);
}

/* The walk of l_sandbox_freeze keeps its state on the stack. */
enum { W_ROOTS = 1, W_SEEN, W_QUEUE, W_TABLES, W_CELLS, W_UPVALUES };

typedef struct walk {
    lua_Integer queued, tables, cells;
} walk;

/* Queues the value at the top if it can hold state; pops it. */
static void walk_push(lua_State *L, walk *w)
{
    int t = lua_type(L, -1);
    if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA)
        lua_rawseti(L, W_QUEUE, ++w->queued);
    else
        lua_pop(L, 1);
}

/* Queues the keys and values of the table at idx (read raw). */
static void walk_contents(lua_State *L, walk *w, int idx)
{
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pushvalue(L, -2);
        walk_push(L, w);
        walk_push(L, w);
    }
}

/* A table that holds state: frozen ones are read through their shadow;
 * environments and tables with the engine's own metatables are walked but
 * not frozen (rules cannot write them). */
static void walk_table(lua_State *L, walk *w, int v)
{
    if (is_env(L, v)) {
        lua_getmetatable(L, v);
        lua_getfield(L, -1, "__index"); /* its globals */
        walk_contents(L, w, -1);
        lua_pop(L, 2);
        return;
    }
    bool freeze = true;
    if (lua_getmetatable(L, v)) {
        int mt = lua_gettop(L);
        if (lua_rawgetp(L, mt, &SHADOW_KEY) == LUA_TTABLE) {
            walk_contents(L, w, -1);
            freeze = false;
            lua_pop(L, 1);
            lua_rawgetp(L, mt, &ORIGINAL_KEY);
        } else {
            lua_pop(L, 1);
            lua_pushvalue(L, mt);
        }
        /* the metatable in force (a copy) and the table it was made from */
        if (lua_istable(L, -1)) {
            int g = lua_gettop(L);
            lua_rawgetp(L, LUA_REGISTRYINDEX, &COPIES_KEY);
            lua_pushvalue(L, g);
            if (lua_rawget(L, -2) != LUA_TNIL) {
                walk_contents(L, w, g);
                walk_push(L, w);
            } else if (freeze) { /* the engine's own: leave it */
                walk_contents(L, w, v);
                freeze = false;
                lua_pop(L, 1);
            } else {
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_settop(L, mt - 1);
    }
    if (freeze) {
        walk_contents(L, w, v);
        lua_pushvalue(L, v);
        lua_rawseti(L, W_TABLES, ++w->tables);
    }
}

static void walk_function(lua_State *L, walk *w, int v)
{
    bool lua_fn = !lua_iscfunction(L, v);
    for (int i = 1;; i++) {
        if (!lua_getupvalue(L, v, i))
            break;
        if (!lua_fn) { /* the engine's closures: their tables are its own */
            if (lua_type(L, -1) == LUA_TTABLE && !is_env(L, -1)) {
                walk_contents(L, w, -1);
                lua_pop(L, 1);
            } else {
                walk_push(L, w);
            }
            continue;
        }
        lua_pushlightuserdata(L, lua_upvalueid(L, v, i));
        if (lua_rawget(L, W_UPVALUES) == LUA_TNIL) {
            lua_pushlightuserdata(L, lua_upvalueid(L, v, i));
            lua_pushboolean(L, 1);
            lua_rawset(L, W_UPVALUES);
            lua_Integer c = 3 * w->cells++;
            lua_pushvalue(L, v);
            lua_rawseti(L, W_CELLS, c + 1);
            lua_pushinteger(L, i);
            lua_rawseti(L, W_CELLS, c + 2);
            lua_pushvalue(L, -2);
            lua_rawseti(L, W_CELLS, c + 3);
        }
        lua_pop(L, 1);
        walk_push(L, w);
    }
}

/* Freezes what the values of the roots table (argument 1) reach; returns
 * the table of upvalue cells: [0] = n, then function, index, value. */
static int l_sandbox_freeze(lua_State *L) /* [-1, +1, m] */
{
    lua_settop(L, 1);
    for (int i = W_SEEN; i <= W_UPVALUES; i++)
        lua_newtable(L);
    walk w = {0, 0, 0};
    lua_Integer nroots = (lua_Integer)lua_rawlen(L, W_ROOTS);
    for (lua_Integer i = 1; i <= nroots; i++) {
        lua_rawgeti(L, W_ROOTS, i);
        walk_push(L, &w);
    }
    while (w.queued > 0) {
        lua_rawgeti(L, W_QUEUE, w.queued);
        lua_pushnil(L);
        lua_rawseti(L, W_QUEUE, w.queued--);
        int v = lua_gettop(L);
        lua_pushvalue(L, v);
        if (lua_rawget(L, W_SEEN) != LUA_TNIL) {
            lua_settop(L, v - 1);
            continue;
        }
        lua_pop(L, 1);
        lua_pushvalue(L, v);
        lua_pushboolean(L, 1);
        lua_rawset(L, W_SEEN);
        luaL_checkstack(L, 8, NULL);
        switch (lua_type(L, v)) {
        case LUA_TTABLE:
            walk_table(L, &w, v);
            break;
        case LUA_TFUNCTION:
            walk_function(L, &w, v);
            break;
        default: /* userdata: its user values (an outcome's note, its
                    allocations) */
            for (int i = 1; lua_getiuservalue(L, v, i) != LUA_TNONE; i++)
                walk_push(L, &w);
            lua_pop(L, 1);
        }
        lua_settop(L, v - 1);
    }
    for (lua_Integer i = 1; i <= w.tables; i++) {
        lua_rawgeti(L, W_TABLES, i);
        er_sandbox_freeze_table(L, -1, ER_FROZEN_MESSAGE);
        lua_pop(L, 1);
    }
    lua_pushinteger(L, w.cells);
    lua_rawseti(L, W_CELLS, 0);
    lua_pushvalue(L, W_CELLS);
    return 1;
}

int er_sandbox_freeze(er_sandbox *sb, int roots, int *cells_ref_out)
{
    lua_State *L = sb->L;
    roots = lua_absindex(L, roots);
    *cells_ref_out = LUA_NOREF;
    lua_pushcfunction(L, l_sandbox_freeze);
    lua_pushvalue(L, roots);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
        char buf[256];
        int rc = er_fail(ER_ENOMEM, "cannot freeze the rules' state: %s",
                         er_lua_errtext(L, -1, buf, sizeof buf));
        lua_pop(L, 1);
        return rc;
    }
    *cells_ref_out = luaL_ref(L, LUA_REGISTRYINDEX);
    return ER_OK;
}

/* Whether the values at a and b are the same value: numbers of the same
 * subtype, floats bit for bit (0.0 and -0.0 differ, and so do NaNs with
 * other payloads: either could carry state from one evaluation to the
 * next). */
static bool same_value(lua_State *L, int a, int b)
{
    if (lua_type(L, a) == LUA_TNUMBER && lua_type(L, b) == LUA_TNUMBER) {
        if (lua_isinteger(L, a) != lua_isinteger(L, b))
            return false;
        if (lua_isinteger(L, a))
            return lua_tointeger(L, a) == lua_tointeger(L, b);
        lua_Number x = lua_tonumber(L, a), y = lua_tonumber(L, b);
        return memcmp(&x, &y, sizeof x) == 0;
    }
    return lua_rawequal(L, a, b);
}

bool er_sandbox_restore(lua_State *L, int cells_ref, char *name, size_t size)
{
    if (cells_ref == LUA_NOREF || cells_ref == LUA_REFNIL)
        return false;
    int base = lua_gettop(L);
    if (!lua_checkstack(L, 4))
        return false;
    lua_rawgeti(L, LUA_REGISTRYINDEX, cells_ref);
    int cells = base + 1;
    lua_rawgeti(L, cells, 0);
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    bool changed = false;
    for (lua_Integer c = 0; c < 3 * n; c += 3) {
        lua_rawgeti(L, cells, c + 1); /* the function */
        int i = (int)(lua_rawgeti(L, cells, c + 2), lua_tointeger(L, -1));
        lua_pop(L, 1);
        const char *uv = lua_getupvalue(L, -1, i);
        lua_rawgeti(L, cells, c + 3); /* the value at freeze */
        if (uv && !same_value(L, -1, -2)) {
            if (!changed && name)
                snprintf(name, size, "%s", uv[0] ? uv : "?");
            changed = true;
            lua_setupvalue(L, -3, i);
        }
        lua_settop(L, cells);
    }
    lua_settop(L, base);
    return changed;
}

/* load(text [, chunkname]) into the caller's environment (upvalue 1). */
static int l_sandbox_load(lua_State *L) /* [-0, +1|2, e] */
{
    size_t len;
    const char *text = lua_tolstring(L, 1, &len);
    if (lua_type(L, 1) != LUA_TSTRING || !text) {
        luaL_pushfail(L);
        lua_pushstring(L, "load: only text chunks are allowed in rules");
        return 2;
    }
    const char *name = lua_isnoneornil(L, 2) ? "=(load)"
                                              : er_lua_checkname(L, 2);
    if (luaL_loadbufferx(L, text, len, name, "t") != LUA_OK) {
        luaL_pushfail(L);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setupvalue(L, -2, 1);
    return 1;
}

bool er_sandbox_has_module(const er_sandbox *sb, const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "scripts/lib/%s.lua", name);
    for (size_t i = 0; i < sb->nmodules; i++)
        if (strcmp(sb->modules[i].path, path) == 0)
            return true;
    return er_embedded_find(path + strlen("scripts/")) != NULL;
}

const char *er_sandbox_require_message(const er_sandbox *sb,
                                       const char *name, char *buf,
                                       size_t size)
{
    /* the names rules can require: the modules beside the rules folder,
     * then those built in */
    char names[64][64];
    const char *cands[64];
    size_t n = 0;
    for (size_t i = 0; i < sb->nmodules + er_embedded_count && n < 64; i++) {
        const char *p = i < sb->nmodules
                            ? sb->modules[i].path
                            : er_embedded_files[i - sb->nmodules].name;
        const char *prefix = i < sb->nmodules ? "scripts/lib/" : "lib/";
        size_t pl = strlen(prefix), len = strlen(p);
        if (strncmp(p, prefix, pl) != 0 || len <= pl + 4 ||
            len - pl - 4 >= sizeof names[0] ||
            strcmp(p + len - 4, ".lua") != 0 || strchr(p + pl, '/'))
            continue;
        snprintf(names[n], sizeof names[n], "%.*s", (int)(len - pl - 4),
                 p + pl);
        cands[n] = names[n];
        n++;
    }
    const char *close = er_suggest(name, cands, n);
    snprintf(buf, size,
             "require: module '%s' not found (%s%s%srules can require the "
             "modules of scripts/lib only)",
             name, close ? "did you mean " : "", close ? close : "",
             close ? "? " : "");
    return buf;
}

/* Registry key of the names of the modules loading, outermost first. */
static char LOADING_KEY;

/* require(name): a module of scripts/lib, embedded at build time. Upvalue 1:
 * the environment's module cache. A module that requires itself through
 * others (each module runs in an environment of its own, with a cache of
 * its own) raises naming the cycle, not a C stack overflow. */
static int l_sandbox_require(lua_State *L) /* [-0, +1, e] */
{
    const char *name = er_lua_checkname(L, 1);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return luaL_error(L, "require: bad module name '%s'", name);
    lua_settop(L, 1);
    lua_pushvalue(L, 1); /* the name stays at 1 */
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
        if (!f) {
            char msg[300];
            return luaL_error(L, "%s",
                              er_sandbox_require_message(sb, name, msg,
                                                         sizeof msg));
        }
        src = f->data;
        len = f->len;
        snprintf(chunk, sizeof chunk, "@%s", path);
    }
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &LOADING_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &LOADING_KEY);
    }
    int loading = lua_gettop(L); /* 2 */
    lua_Integer depth = (lua_Integer)lua_rawlen(L, loading);
    for (lua_Integer i = 1; i <= depth; i++) {
        lua_rawgeti(L, loading, i);
        bool same = lua_rawequal(L, -1, 1);
        lua_pop(L, 1);
        if (!same)
            continue;
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        for (lua_Integer k = i; k <= depth; k++) {
            lua_rawgeti(L, loading, k);
            luaL_addvalue(&b);
            luaL_addstring(&b, " → ");
        }
        luaL_addstring(&b, name);
        luaL_pushresult(&b);
        return luaL_error(L, "require: modules that require each other: %s "
                             "(none of them can load first; move what they "
                             "share into a module of its own)",
                          lua_tostring(L, -1));
    }
    if (luaL_loadbufferx(L, src, len, chunk, "t") != LUA_OK)
        return lua_error(L);
    er_sandbox_push_env(L);
    lua_setupvalue(L, -2, 1);
    lua_pushvalue(L, 1);
    lua_rawseti(L, loading, depth + 1);
    int status = lua_pcall(L, 0, 1, 0);
    lua_pushnil(L);
    lua_rawseti(L, loading, depth + 1);
    if (status != LUA_OK)
        return lua_error(L);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    /* a module first required during an evaluation is that evaluation's
     * own: caching it would hand its state to the next one */
    if (!sb->frozen) {
        lua_pushvalue(L, 1);
        lua_pushvalue(L, -2);
        lua_rawset(L, lua_upvalueindex(1));
    }
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
    /* the engine sets `params` while a rule evaluates: a file-level
     * `params = {...}` would be ignored there */
    for (size_t i = 0; i < ER_ARRAY_LEN(engine_globals); i++)
        if (lua_type(L, 2) == LUA_TSTRING &&
            strcmp(lua_tostring(L, 2), engine_globals[i]) == 0)
            return luaL_error(L, "assignment to the global '%s': the engine "
                                 "sets it while a rule evaluates (declare "
                                 "params in the rule's own params = {...} "
                                 "field)",
                              engine_globals[i]);
    lua_settop(L, 3);
    lua_rawset(L, lua_upvalueindex(1));
    return 0;
}

/* ---- environments ----------------------------------------------------------- */

static const char *const safe_base[] = {
    "assert", "error",  "ipairs", "pcall", "rawequal", "select",
    "tonumber", "type", "xpcall", "_VERSION", NULL};

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
    lua_rawgetp(L, LUA_REGISTRYINDEX, &STRICT_KEY);
    lua_setmetatable(L, globals);

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

void er_sandbox_push_global_names(lua_State *L)
{
    er_sandbox_push_env(L);
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index"); /* the globals */
    const char *names[NAMES_MAX + ER_ARRAY_LEN(engine_globals)];
    size_t n = table_names(L, -1, names, NAMES_MAX);
    for (size_t i = 0; i < ER_ARRAY_LEN(engine_globals); i++)
        names[n++] = engine_globals[i];
    qsort(names, n, sizeof *names, cmp_name);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushstring(L, names[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_replace(L, -4);
    lua_pop(L, 2);
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
        lua_pushboolean(L, strcmp(patterns[i], "gmatch") == 0);
        lua_pushcclosure(L, l_sandbox_capped_pattern, 2);
        lua_setfield(L, -2, patterns[i]);
    }
    lua_getfield(L, -1, "format");
    lua_pushcclosure(L, l_sandbox_format, 1);
    lua_setfield(L, -2, "format");
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
    lua_newtable(L); /* metatable copies, weak keys */
    lua_newtable(L);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &COPIES_KEY);
    lua_newtable(L); /* the globals' metatable: known names only */
    lua_pushcfunction(L, l_sandbox_unknown_global);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &STRICT_KEY);

    lua_newtable(L); /* the template */
    for (size_t i = 0; safe_base[i]; i++) {
        lua_getglobal(L, safe_base[i]);
        lua_setfield(L, -2, safe_base[i]);
    }
    lua_getglobal(L, "setmetatable");
    lua_pushcclosure(L, l_sandbox_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");
    lua_pushcfunction(L, l_sandbox_getmetatable);
    lua_setfield(L, -2, "getmetatable");
    static const luaL_Reg raw[] = {{"rawset", l_sandbox_rawset},
                                   {"rawget", l_sandbox_rawget},
                                   {"rawlen", l_sandbox_rawlen},
                                   {"next", l_sandbox_next},
                                   {"pairs", l_sandbox_pairs},
                                   {"tostring", l_sandbox_tostring},
                                   {NULL, NULL}};
    luaL_setfuncs(L, raw, 0);
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
