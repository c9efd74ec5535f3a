/*
 * view.c - the region view `r` a rule's evaluate function receives: the
 * attributes of one region in one year and the read-only accessors of the
 * rule contract (fact, has, standard, share, split, transfer,
 * national_average, children, region, result, sql). Everything it returns comes from the snapshot, the results
 * of needed rules, or the read-only reader connection.
 */
#include "engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_MT "equirule.region_view"
#define SQL_MAX_ROWS 10000

/* Marks a userdata as a region view. Rules cannot make userdata, so a full
 * userdata of this size with this mark is one of ours. */
#define VIEW_MAGIC 0x76696577u

typedef struct view {
    uint32_t magic;
    int32_t region;
    int32_t year;
} view;

static er_eval *eval_of(lua_State *L)
{
    return *(er_eval **)lua_getextraspace(L);
}

/* The view at idx; raises when it is not one (cheaper than
 * luaL_checkudata, which looks the metatable up by name). */
static view *check_view(lua_State *L, int idx)
{
    view *v = lua_touserdata(L, idx);
    if (!v || lua_type(L, idx) != LUA_TUSERDATA ||
        lua_rawlen(L, idx) != sizeof *v || v->magic != VIEW_MAGIC)
        luaL_typeerror(L, idx, "region view (call methods with r:name())");
    return v;
}

void er_view_push(lua_State *L, int32_t region, int32_t year)
{
    er_eval *ev = eval_of(L);
    view *v = lua_newuserdatauv(L, sizeof *v, 0);
    v->magic = VIEW_MAGIC;
    v->region = region;
    v->year = year;
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->view_mt_ref);
    lua_setmetatable(L, -2);
}

void er_view_push_own(er_eval *ev, int32_t region, int32_t year)
{
    lua_rawgeti(ev->L, LUA_REGISTRYINDEX, ev->view_ref);
    er_view_point(ev, region, year);
}

void er_view_point(er_eval *ev, int32_t region, int32_t year)
{
    view *v = ev->view;
    v->region = region;
    v->year = year;
}

/* The id in `map` of the key at `arg`, as er_strmap_find(map,
 * er_lua_checkname(L, arg)) gives it (raising as that raises), with the
 * key's text in *name_out. A rule reads the same few keys in every
 * evaluation, each a Lua string living at one address: the ids found are
 * kept by that address (cache `which`, ER_KEY_*), and the string is held
 * in the anchors table while its entry stands, so the address cannot be
 * reused by another string. Keeping one allocates nothing (the anchors'
 * slots exist): it cannot break the memory limit. */
static int32_t key_id(lua_State *L, er_eval *ev, int which, int arg,
                      const er_strmap *map, const char **name_out)
{
    const char *s = NULL;
    size_t h = 0;
    if (lua_type(L, arg) == LUA_TSTRING) {
        s = lua_tostring(L, arg);
        h = ((uintptr_t)s >> 4) & (ER_KEY_CACHE - 1);
        const er_key_slot *c = &ev->key_cache[which][h];
        if (c->s == s) {
            *name_out = s;
            return c->id;
        }
    }
    const char *name = er_lua_checkname(L, arg);
    int32_t id = er_strmap_find(map, name);
    *name_out = name;
    if (s && id >= 0 && ev->key_anchors_ref != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, ev->key_anchors_ref);
        lua_pushvalue(L, arg);
        lua_rawseti(L, -2, (lua_Integer)(which * ER_KEY_CACHE + h + 1));
        lua_pop(L, 1);
        ev->key_cache[which][h].s = s;
        ev->key_cache[which][h].id = id;
    }
    return id;
}

/* Stops the evaluation with outcome `missing`: sticky, pcall cannot hide
 * the gap. What was lacking (kind ER_GAP_*, key, the region and year read)
 * is kept for the finding (run_gap). */
static int raise_missing(lua_State *L, int kind, const char *key,
                         int32_t region, int32_t year, const char *fmt, ...)
{
    er_eval *ev = eval_of(L);
    ev->gap_kind = kind;
    snprintf(ev->gap_key, sizeof ev->gap_key, "%s", key);
    ev->gap_region = region;
    ev->gap_year = year;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->missing_note, sizeof ev->missing_note, fmt, ap);
    va_end(ap);
    ev->missing = true;
    return luaL_error(L, "%s", ev->missing_note);
}

/* Hands a read to the trace hook, when one is set (explain, lint). */
static void trace_read(const er_eval *ev, const view *v, er_trace_event *e)
{
    if (!ev->trace)
        return;
    e->region = v->region;
    if (!e->year)
        e->year = v->year;
    ev->trace->fn(ev->trace->ctx, ev, e);
}

static int32_t opt_year(lua_State *L, int idx, const view *v)
{
    if (lua_isnoneornil(L, idx))
        return v->year;
    lua_Integer y = luaL_checkinteger(L, idx);
    if (y < 0 || y > 9999)
        luaL_error(L, "year %d out of range", (int)y);
    return (int32_t)y;
}

/* Raises the rule bug of a read of `key`, which the catalog `keys` (the
 * metric or the item table) does not hold: a misspelt key, never a data
 * gap (the data cannot hold a value for it), with the close key. `method`
 * names the read, `what` the kind of key, `table` the catalog. */
static int raise_unknown_key(lua_State *L, const char *method,
                             const char *what, const char *key,
                             const er_strmap *keys, const char *table)
{
    const char *close = er_suggest(key, (const char *const *)keys->by_id,
                                   keys->count);
    char msg[512];
    snprintf(msg, sizeof msg,
             "r:%s: %s '%s' is not in the %s%s%s%s: " ER_UNKNOWN_KEY_TEXT,
             method, what, key, table, close ? " (did you mean " : "",
             close ? close : "", close ? "?)" : "");
    er_sandbox_push_bug(L, msg);
    return lua_error(L);
}

static int l_view_fact(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const char *metric;
    int32_t m = key_id(L, ev, ER_KEY_METRIC, 2, &ev->snap->metrics, &metric);
    int32_t year = opt_year(L, 3, v);
    double x = er_snapshot_fact(ev->snap, v->region, year, m);
    if (ev->trace) {
        er_trace_event e = {.kind = ER_TRACE_FACT, .year = year,
                            .key = metric, .found = !isnan(x), .value = x};
        trace_read(ev, v, &e);
    }
    if (m < 0)
        return raise_unknown_key(L, "fact", "metric", metric,
                                 &ev->snap->metrics, "metric catalog");
    if (isnan(x)) {
        const er_region *g = &ev->snap->regions[v->region];
        /* a region without a name of its own (a test case's) is named by
         * its code: once */
        const char *name = strcmp(g->name, g->code) ? g->name : "";
        const char *sep = name[0] ? " " : "";
        /* a roll-up that is absent names the rows that make it so */
        char why[200] = "";
        er_buf b;
        er_buf_init(&b);
        if (er_snapshot_lacking_text(ev->snap, v->region, year, m, &b) ==
                ER_OK &&
            b.len)
            snprintf(why, sizeof why, " (%s)", b.data);
        er_buf_free(&b);
        return raise_missing(L, ER_GAP_FACT, metric, v->region, year,
                             "缺数据：%s%s%s 无 %s 的 %d 年数值 / no value of "
                             "%s for %s%s%s in %d%s",
                             g->code, sep, name, metric, (int)year, metric,
                             g->code, sep, name, (int)year, why);
    }
    lua_pushnumber(L, x);
    return 1;
}

static int l_view_has(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const char *metric;
    int32_t m = key_id(L, ev, ER_KEY_METRIC, 2, &ev->snap->metrics, &metric);
    int32_t year = opt_year(L, 3, v);
    bool has = !isnan(er_snapshot_fact(ev->snap, v->region, year, m));
    if (ev->trace) {
        er_trace_event e = {.kind = ER_TRACE_HAS, .year = year,
                            .key = metric, .found = has};
        trace_read(ev, v, &e);
    }
    if (m < 0)
        return raise_unknown_key(L, "has", "metric", metric,
                                 &ev->snap->metrics, "metric catalog");
    lua_pushboolean(L, has);
    return 1;
}

static int l_view_standard(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const char *key;
    int32_t k = key_id(L, ev, ER_KEY_STANDARD, 2, &ev->snap->std_keys, &key);
    if (!lua_isnoneornil(L, 3)) {
        const char *name = luaL_checkstring(L, 3);
        int scope = er_scope_parse(name);
        if (scope < 0) /* as luaL_checkoption says it */
            return luaL_argerror(
                L, 3, lua_pushfstring(L, "invalid option '%s'", name));
        const er_standard *d =
            er_snapshot_standard(ev->snap, k, scope, v->region, v->year);
        er_trace_event e = {.kind = ER_TRACE_STANDARD, .key = key,
                            .found = d != NULL, .value = d ? d->value : 0,
                            .scope = scope, .chosen = d};
        trace_read(ev, v, &e);
        if (d)
            lua_pushnumber(L, d->value);
        else
            lua_pushnil(L);
        return 1;
    }
    /* the binding minimum: the larger of national and provincial */
    const er_standard *n = er_snapshot_standard(ev->snap, k, ER_SCOPE_NATIONAL,
                                                v->region, v->year);
    const er_standard *p = er_snapshot_standard(
        ev->snap, k, ER_SCOPE_PROVINCIAL, v->region, v->year);
    const er_standard *chosen = n && p ? (n->value > p->value ? n : p)
                                       : (n ? n : p);
    if (ev->trace) {
        er_trace_event e = {.kind = ER_TRACE_STANDARD, .key = key,
                            .found = chosen != NULL,
                            .value = chosen ? chosen->value : 0, .scope = -1,
                            .national = n, .provincial = p,
                            .chosen = chosen};
        trace_read(ev, v, &e);
    }
    /* a rule that skips after this read assessed nothing for want of a
     * standard: kept for the finding */
    if (!chosen && !ev->std_absent[0])
        snprintf(ev->std_absent, sizeof ev->std_absent, "%s", key);
    if (n && p)
        lua_pushnumber(L, n->value > p->value ? n->value : p->value);
    else if (n || p)
        lua_pushnumber(L, (n ? n : p)->value);
    else
        lua_pushnil(L);
    return 1;
}

/* The tier that decides a region's provincial share: its own when set;
 * a county without one takes its city's (its parent when that is a
 * city). Nothing else is inherited: a city never takes the province's,
 * a county never skips its city for the province's, the province's own
 * decides nothing below it. INT32_MIN when neither counts; *from
 * receives the region whose tier it is, or -1. */
static int32_t tier_of(const er_snapshot *s, int32_t region, int32_t *from)
{
    const er_region *g = &s->regions[region];
    *from = -1;
    if (g->tier != INT32_MIN) {
        *from = region;
        return g->tier;
    }
    if (g->level == ER_LEVEL_COUNTY && g->parent >= 0 &&
        s->regions[g->parent].level == ER_LEVEL_CITY &&
        s->regions[g->parent].tier != INT32_MIN) {
        *from = g->parent;
        return s->regions[g->parent].tier;
    }
    return INT32_MIN;
}

static int l_view_share(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const char *item;
    int32_t id = key_id(L, ev, ER_KEY_ITEM, 2, &ev->snap->items, &item);
    const er_region *g = &ev->snap->regions[v->region];
    int32_t from = -1;
    int32_t tier = tier_of(ev->snap, v->region, &from);
    double share = 0;
    bool found = tier != INT32_MIN && id >= 0 &&
                 er_snapshot_share(ev->snap, id, tier, v->year, &share);
    er_trace_event e = {.kind = ER_TRACE_SHARE, .key = item, .found = found,
                        .value = share, .tier = tier, .tier_from = from};
    trace_read(ev, v, &e);
    if (id < 0)
        return raise_unknown_key(L, "share", "item", item, &ev->snap->items,
                                 "item table");
    if (tier == INT32_MIN && g->level == ER_LEVEL_COUNTY)
        return raise_missing(L, ER_GAP_SHARE, item, v->region, v->year,
                             "缺数据：%s %s 及其所属市均无分档，无省级分担比例 / "
                             "no provincial share of %s for %s %s: neither "
                             "the county nor its city has a tier",
                             g->code, g->name, item, g->code, g->name);
    if (tier == INT32_MIN)
        return raise_missing(L, ER_GAP_SHARE, item, v->region, v->year,
                             "缺数据：%s %s 无分档，无省级分担比例 / no "
                             "provincial share of %s for %s %s: the region "
                             "has no tier",
                             g->code, g->name, item, g->code, g->name);
    if (!found)
        return raise_missing(L, ER_GAP_SHARE, item, v->region, v->year,
                             "缺数据：%s 第%d档 %d 年无省级分担比例 / no "
                             "provincial share of %s for tier %d in %d",
                             item, (int)tier, (int)v->year, item,
                             (int)tier, (int)v->year);
    lua_pushnumber(L, share);
    return 1;
}

/* The city a region's split is read from: the region itself when a city,
 * its nearest ancestor that is a city otherwise (a county's city); -1 for
 * a region above the cities. */
static int32_t city_of(const er_snapshot *s, int32_t region)
{
    for (int32_t g = region; g >= 0; g = s->regions[g].parent)
        if (s->regions[g].level == ER_LEVEL_CITY)
            return g;
    return -1;
}

static int l_view_split(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const char *item;
    int32_t id = key_id(L, ev, ER_KEY_ITEM, 2, &ev->snap->items, &item);
    const er_region *g = &ev->snap->regions[v->region];
    int32_t city = city_of(ev->snap, v->region);
    const er_split *d =
        city >= 0 && id >= 0
            ? er_snapshot_split(ev->snap, city, id, v->year)
            : NULL;
    er_trace_event e = {.kind = ER_TRACE_SPLIT, .key = item,
                        .found = d != NULL,
                        .value = d ? d->city_share : 0, .city = city,
                        .split = d};
    trace_read(ev, v, &e);
    if (id < 0)
        return raise_unknown_key(L, "split", "item", item, &ev->snap->items,
                                 "item table");
    if (city < 0) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "r:split: %s %s is a %s, in no city: a split is a city's "
                 "and its counties'",
                 g->code, g->name, er_level_names[g->level]);
        er_sandbox_push_bug(L, msg);
        return lua_error(L);
    }
    if (!d) {
        const er_region *c = &ev->snap->regions[city];
        return raise_missing(L, ER_GAP_SPLIT, item, city, v->year,
                             "缺数据：%s %s %d 年无 %s 的市县分担比例 / no "
                             "city-county split of %s for %s %s in %d",
                             c->code, c->name, (int)v->year, item, item,
                             c->code, c->name, (int)v->year);
    }
    lua_pushnumber(L, d->city_share);
    return 1;
}

/* The payer named by r:transfer's options at idx (a table { payer =
 * "province" | "city" }), ER_PAYER_PROVINCE when absent; raises on any
 * other key or value. */
static int transfer_payer(lua_State *L, int idx)
{
    if (lua_isnoneornil(L, idx))
        return ER_PAYER_PROVINCE;
    luaL_checktype(L, idx, LUA_TTABLE);
    er_sandbox_push_contents(L, idx);
    int t = lua_gettop(L);
    int payer = ER_PAYER_PROVINCE;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) != LUA_TSTRING ||
            strcmp(lua_tostring(L, -2), "payer") != 0) {
            static const char *const known[] = {"payer"};
            const char *k = lua_type(L, -2) == LUA_TSTRING
                                ? lua_tostring(L, -2)
                                : luaL_typename(L, -2);
            const char *close = er_suggest(k, known, 1);
            return luaL_error(L,
                              "transfer: unknown option '%s'%s%s%s; the "
                              "option is payer",
                              k, close ? " (did you mean " : "",
                              close ? close : "", close ? "?)" : "");
        }
        const char *p = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                       : NULL;
        if (p && strcmp(p, "province") == 0)
            payer = ER_PAYER_PROVINCE;
        else if (p && strcmp(p, "city") == 0)
            payer = ER_PAYER_CITY;
        else
            return luaL_error(L, "transfer: payer must be \"province\" or "
                                 "\"city\"");
        lua_pop(L, 1);
    }
    lua_settop(L, t - 1);
    return payer;
}

/* Whether `key` names an item: an item code, or an item code followed by
 * '.' and a variant (edu.public_funds.primary), as standard keys do. */
static bool names_item(const er_strmap *items, const char *key)
{
    char buf[256];
    size_t n = strlen(key);
    if (n >= sizeof buf)
        return false;
    memcpy(buf, key, n + 1);
    for (;;) {
        if (er_strmap_find(items, buf) >= 0)
            return true;
        char *dot = strrchr(buf, '.');
        if (!dot)
            return false;
        *dot = '\0';
    }
}

/* r:national_average(key): the national average (全国平均水平) of a
 * standard key in r.year, in the unit of its standard, or nil when the
 * data holds none; a key that names no item is a rule bug. */
static int l_view_national_average(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const char *key = er_lua_checkname(L, 2);
    const er_national_average *d =
        er_snapshot_national_average(ev->snap, key, v->year);
    er_trace_event e = {.kind = ER_TRACE_AVERAGE, .key = key,
                        .found = d != NULL, .value = d ? d->value : 0,
                        .average = d};
    trace_read(ev, v, &e);
    if (!d && !names_item(&ev->snap->items, key))
        return raise_unknown_key(L, "national_average", "key", key,
                                 &ev->snap->items,
                                 "item table (an item code, or an item "
                                 "code and a variant)");
    if (d)
        lua_pushnumber(L, d->value);
    else
        lua_pushnil(L);
    return 1;
}

static int l_view_transfer(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const char *item;
    int32_t id = key_id(L, ev, ER_KEY_ITEM, 2, &ev->snap->items, &item);
    int payer = transfer_payer(L, 3);
    const er_region *g = &ev->snap->regions[v->region];
    if (payer == ER_PAYER_CITY && g->level != ER_LEVEL_COUNTY)
        /* else 0 yuan paid: a city is paid by no city */
        return luaL_error(L,
                          "transfer: payer city: %s %s is a %s; a city "
                          "pays only its counties",
                          g->code, g->name,
                          g->level >= 0 ? er_level_names[g->level]
                                        : "region");
    double amount =
        er_snapshot_transfer(ev->snap, v->region, v->year, id, payer);
    if (ev->trace) {
        er_trace_event e = {.kind = ER_TRACE_TRANSFER, .key = item,
                            .found = id >= 0, .value = amount,
                            .payer = payer};
        trace_read(ev, v, &e);
    }
    if (id < 0) /* else 0 yuan paid: silently wrong money */
        return raise_unknown_key(L, "transfer", "item", item,
                                 &ev->snap->items, "item table");
    lua_pushnumber(L, amount);
    return 1;
}

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int l_view_children(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const er_snapshot *s = ev->snap;
    const view *v = check_view(L, 1);
    int level = -1;
    if (!lua_isnoneornil(L, 2)) {
        level = er_level_parse(er_lua_checkname(L, 2));
        if (level < 0) {
            char levels[ER_WORDS_TEXT];
            return luaL_error(L, "children: level must be %s",
                              er_words_text(levels, sizeof levels,
                                            er_level_names, ER_LEVEL_COUNT,
                                            " or "));
        }
    }
    const er_region *g = &s->regions[v->region];
    if (level < 0) { /* direct children */
        lua_createtable(L, g->child_count, 0);
        for (int32_t i = 0; i < g->child_count; i++) {
            er_view_push(L, s->children[g->child_off + i], v->year);
            lua_rawseti(L, -2, i + 1);
        }
        return 1;
    }
    /* every descendant of that level, in code order */
    lua_newtable(L);
    int out = lua_gettop(L);
    int32_t *stack = lua_newuserdatauv(L, sizeof(int32_t) *
                                              ((size_t)s->nregions + 1) * 2,
                                       0);
    int32_t *found = stack + s->nregions + 1;
    int32_t top = 0, nfound = 0;
    stack[top++] = v->region;
    while (top > 0) {
        const er_region *r = &s->regions[stack[--top]];
        for (int32_t i = 0; i < r->child_count; i++) {
            int32_t c = s->children[r->child_off + i];
            if (s->regions[c].level == level)
                found[nfound++] = c;
            else if (top < s->nregions)
                stack[top++] = c;
        }
    }
    qsort(found, (size_t)nfound, sizeof *found, cmp_int32);
    for (int32_t i = 0; i < nfound; i++) {
        er_view_push(L, found[i], v->year);
        lua_rawseti(L, out, i + 1);
    }
    lua_settop(L, out);
    return 1;
}

static int l_view_region(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    int32_t g = er_snapshot_region(ev->snap, er_lua_checkname(L, 2));
    if (g < 0)
        lua_pushnil(L);
    else
        er_view_push(L, g, v->year);
    return 1;
}

/* ---- results of needed rules ---------------------------------------------- */

typedef struct result_slot {
    uint64_t key; /* 0 = empty */
    er_finding f;
} result_slot;

struct er_results {
    result_slot *slots;
    size_t nslots, count;
};

static uint64_t result_key(int32_t rule, int32_t region, int32_t year)
{
    return ((uint64_t)(uint32_t)(rule + 1) << 40) ^
           ((uint64_t)(uint32_t)region << 12) ^ (uint64_t)(uint16_t)year;
}

static size_t result_find(const er_results *r, uint64_t key)
{
    size_t mask = r->nslots - 1;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 24) & mask;
    while (r->slots[i].key && r->slots[i].key != key)
        i = (i + 1) & mask;
    return i;
}

static const er_finding *results_get(const er_results *r, int32_t rule,
                                     int32_t region, int32_t year)
{
    if (!r || !r->nslots)
        return NULL;
    const result_slot *s = &r->slots[result_find(r, result_key(rule, region,
                                                              year))];
    return s->key ? &s->f : NULL;
}

int er_eval_keep(er_eval *ev, const er_finding *f)
{
    er_results *r = ev->results;
    if (!r) {
        r = ev->results = calloc(1, sizeof *r);
        if (!r)
            return er_fail(ER_ENOMEM, "out of memory");
    }
    if ((r->count + 1) * 2 > r->nslots) {
        size_t n = r->nslots ? r->nslots * 2 : 1024;
        result_slot *old = r->slots;
        size_t oldn = r->nslots;
        r->slots = calloc(n, sizeof *r->slots);
        if (!r->slots) {
            r->slots = old;
            return er_fail(ER_ENOMEM, "out of memory");
        }
        r->nslots = n;
        for (size_t i = 0; i < oldn; i++)
            if (old[i].key)
                r->slots[result_find(r, old[i].key)] = old[i];
        free(old);
    }
    uint64_t key = result_key(f->rule, f->region, f->year);
    result_slot *s = &r->slots[result_find(r, key)];
    if (s->key)
        er_finding_clear(&s->f);
    else
        r->count++;
    s->key = key;
    s->f = *f;
    s->f.unit = er_strdup(f->unit);
    s->f.note = er_strdup(f->note);
    s->f.gaps = NULL; /* r:result does not show them */
    s->f.ngaps = 0;
    return ER_OK;
}

static void results_free(er_results *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nslots; i++)
        if (r->slots[i].key)
            er_finding_clear(&r->slots[i].f);
    free(r->slots);
    free(r);
}

static int l_view_result(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const char *id = er_lua_checkname(L, 2);
    const er_rule *cur = &ev->rs->rules[ev->rule];
    int32_t target = -1;
    for (int32_t i = 0; i < cur->nneeds; i++)
        if (strcmp(ev->rs->rules[cur->needs[i]].info.id, id) == 0)
            target = cur->needs[i];
    if (target < 0)
        return luaL_error(L, "result: '%s' is not in the needs of %s", id,
                          cur->info.id);
    const er_finding *f = results_get(ev->results, target, v->region, v->year);
    er_trace_event e = {.kind = ER_TRACE_RESULT, .key = id, .found = f != NULL,
                        .result = f};
    trace_read(ev, v, &e);
    if (!f) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, 0, 6);
    lua_pushstring(L, er_outcome_name((er_outcome)f->outcome));
    lua_setfield(L, -2, "outcome");
    if (f->flags & ER_F_MEASURED) {
        lua_pushnumber(L, f->measured);
        lua_setfield(L, -2, "measured");
    }
    if (f->flags & ER_F_REQUIRED) {
        lua_pushnumber(L, f->required);
        lua_setfield(L, -2, "required");
    }
    if (f->flags & ER_F_AMOUNT) {
        lua_pushnumber(L, (double)f->amount / 100.0);
        lua_setfield(L, -2, "amount");
    }
    if (f->note) {
        lua_pushstring(L, f->note);
        lua_setfield(L, -2, "note");
    }
    if (f->unit) {
        lua_pushstring(L, f->unit);
        lua_setfield(L, -2, "unit");
    }
    return 1;
}

/* ---- r:sql ----------------------------------------------------------------- */

static const char *const sql_tables[] = {
    "region", "metric",   "fact",  "item",          "standard",
    "share",  "transfer", "split", "city_transfer", "national_average",
    NULL};
static const char *const sql_functions[] = {
    "abs",    "avg",    "count",   "max",    "min",   "sum",     "total",
    "round",  "coalesce", "ifnull", "nullif", "length", "lower", "upper",
    "substr", "substring", "instr", "trim",  "ltrim", "rtrim",   "replace",
    "iif",    "typeof", "like",    "glob",   "printf", "format", "cast",
    NULL};

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (sqlite3_stricmp(list[i], s) == 0)
            return true;
    return false;
}

static int sql_authorize(void *ud, int action, const char *a, const char *b,
                         const char *db, const char *trigger)
{
    (void)ud;
    (void)b;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
        return SQLITE_OK;
    case SQLITE_READ:
        /* db is NULL for reads that name no column, as in count(*) */
        if (!((!db || strcmp(db, "main") == 0) && in_list(sql_tables, a)))
            return SQLITE_DENY;
        /* the data version that wrote a row is not data: NULL to rules,
         * so that no finding depends on the history of imports */
        return b && strcmp(b, "version") == 0 ? SQLITE_IGNORE : SQLITE_OK;
    case SQLITE_FUNCTION:
        return in_list(sql_functions, b) ? SQLITE_OK : SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

static int sql_progress(void *ud)
{
    er_eval *ev = ud;
    er_sandbox *sb = &ev->rs->sb;
    if (sb->armed && sb->timeout > 0 && er_monotonic() > sb->deadline) {
        sb->tripped = ER_TRIP_DEADLINE;
        return 1;
    }
    return 0;
}

static void sql_cache_clear(er_eval *ev)
{
    for (int i = 0; i < ER_SQL_CACHE; i++) {
        free(ev->sql_cache[i].sql);
        sqlite3_finalize(ev->sql_cache[i].st);
        ev->sql_cache[i].sql = NULL;
        ev->sql_cache[i].st = NULL;
    }
}

static sqlite3_stmt *sql_prepare(lua_State *L, er_eval *ev, const char *sql)
{
    for (int i = 0; i < ER_SQL_CACHE; i++) {
        er_sql_cached *c = &ev->sql_cache[i];
        if (c->sql && strcmp(c->sql, sql) == 0) {
            sqlite3_reset(c->st);
            sqlite3_clear_bindings(c->st);
            return c->st;
        }
    }
    if (!ev->reader) {
        if (!ev->reader_uri)
            luaL_error(L, "sql: no database is available");
        if (er_db_open_reader(ev->reader_uri, &ev->reader) != ER_OK)
            luaL_error(L, "sql: %s", er_errmsg());
        sqlite3_set_authorizer(ev->reader, sql_authorize, NULL);
        sqlite3_progress_handler(ev->reader, 1000, sql_progress, ev);
    }
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    if (sqlite3_prepare_v3(ev->reader, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           &tail) != SQLITE_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(ev->reader));
        luaL_error(L, "sql: %s", msg);
    }
    if (!st)
        luaL_error(L, "sql: empty statement");
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' ||
                    *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        sqlite3_finalize(st);
        luaL_error(L, "sql: one statement only");
    }
    if (!sqlite3_stmt_readonly(st)) {
        sqlite3_finalize(st);
        luaL_error(L, "sql: only SELECT is allowed");
    }
    er_sql_cached *e = &ev->sql_cache[ev->sql_cache_next];
    ev->sql_cache_next = (ev->sql_cache_next + 1) % ER_SQL_CACHE;
    free(e->sql);
    sqlite3_finalize(e->st);
    e->sql = er_strdup(sql);
    e->st = st;
    if (!e->sql) {
        sqlite3_finalize(st);
        e->st = NULL;
        luaL_error(L, "sql: out of memory");
    }
    return st;
}

static int l_view_sql(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    check_view(L, 1);
    const char *sql = er_lua_checkname(L, 2);
    int nargs = lua_gettop(L) - 2;
    sqlite3_stmt *st = sql_prepare(L, ev, sql);
    if (nargs != sqlite3_bind_parameter_count(st))
        return luaL_error(L, "sql: the query takes %d parameters, %d given",
                          sqlite3_bind_parameter_count(st), nargs);
    for (int i = 1; i <= nargs; i++) {
        int idx = i + 2;
        switch (lua_type(L, idx)) {
        case LUA_TNIL:
            sqlite3_bind_null(st, i);
            break;
        case LUA_TBOOLEAN:
            sqlite3_bind_int(st, i, lua_toboolean(L, idx));
            break;
        case LUA_TNUMBER:
            if (lua_isinteger(L, idx))
                sqlite3_bind_int64(st, i, lua_tointeger(L, idx));
            else
                sqlite3_bind_double(st, i, lua_tonumber(L, idx));
            break;
        case LUA_TSTRING: {
            size_t len;
            const char *s = lua_tolstring(L, idx, &len);
            sqlite3_bind_text(st, i, s, (int)len, SQLITE_TRANSIENT);
            break;
        }
        default:
            return luaL_error(L, "sql: parameter %d is a %s", i,
                              luaL_typename(L, idx));
        }
    }
    lua_newtable(L);
    int out = lua_gettop(L);
    int ncol = sqlite3_column_count(st);
    int rc, nrows = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (++nrows > SQL_MAX_ROWS) {
            sqlite3_reset(st);
            return luaL_error(L, "sql: more than %d rows", SQL_MAX_ROWS);
        }
        lua_createtable(L, 0, ncol);
        for (int c = 0; c < ncol; c++) {
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_INTEGER:
                lua_pushinteger(L, sqlite3_column_int64(st, c));
                break;
            case SQLITE_FLOAT:
                lua_pushnumber(L, sqlite3_column_double(st, c));
                break;
            case SQLITE_NULL:
                continue;
            default:
                lua_pushlstring(L, (const char *)sqlite3_column_text(st, c),
                                (size_t)sqlite3_column_bytes(st, c));
            }
            lua_setfield(L, -2, sqlite3_column_name(st, c));
        }
        lua_rawseti(L, out, nrows);
    }
    if (rc != SQLITE_DONE) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s",
                 rc == SQLITE_INTERRUPT ? "interrupted: time limit exceeded"
                                        : sqlite3_errmsg(ev->reader));
        sqlite3_reset(st);
        return luaL_error(L, "sql: %s", msg);
    }
    sqlite3_reset(st);
    er_trace_event e = {.kind = ER_TRACE_SQL, .key = sql, .found = true,
                        .nargs = nargs, .nrows = nrows};
    trace_read(ev, check_view(L, 1), &e);
    return 1;
}

/* ---- attributes -------------------------------------------------------------- */

/* Pushes the attribute of view v named by the key at 2 (methods are
 * found before: `methods` is the index of their table), or raises. A key
 * that is neither string nor number reads nil. [-0, +(0|1), e] */
static int view_attr(lua_State *L, er_eval *ev, const view *v, int methods)
{
    const er_region *g = &ev->snap->regions[v->region];
    size_t klen;
    const char *k = lua_tolstring(L, 2, &klen);
    if (lua_type(L, 2) != LUA_TSTRING)
        return 0;
    /* a method (its name holds no NUL byte) */
    lua_pushvalue(L, 2);
    if (lua_rawget(L, methods) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (strlen(k) != klen)
        return luaL_error(L, "region view has no field '%s'", k);
    if (strcmp(k, "code") == 0)
        lua_pushstring(L, g->code);
    else if (strcmp(k, "name") == 0)
        lua_pushstring(L, g->name);
    else if (strcmp(k, "name_en") == 0)
        g->name_en ? (void)lua_pushstring(L, g->name_en) : lua_pushnil(L);
    else if (strcmp(k, "level") == 0)
        lua_pushstring(L, er_level_names[g->level]);
    else if (strcmp(k, "zone") == 0)
        g->zone >= 0 ? (void)lua_pushstring(L, er_zone_names[g->zone])
                     : lua_pushnil(L);
    else if (strcmp(k, "tier") == 0)
        g->tier == INT32_MIN ? lua_pushnil(L) : lua_pushinteger(L, g->tier);
    else if (strcmp(k, "parent") == 0)
        g->parent >= 0
            ? (void)lua_pushstring(L, ev->snap->regions[g->parent].code)
            : lua_pushnil(L);
    else if (strcmp(k, "year") == 0)
        lua_pushinteger(L, v->year);
    else
        return luaL_error(L, "region view has no field '%s'", k);
    return 1;
}

static int l_view_index(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    return view_attr(L, ev, v, lua_upvalueindex(1));
}

/* The __index of the methods table that is the __index of the view
 * evaluations receive (er_view_push_own): a method is found by the table
 * itself, without a call; an attribute lands here, with that table at 1,
 * and is read from the one view that has this metatable. [-0, +1, e] */
static int l_view_own_attr(lua_State *L) /* [-0, +1, e] */
{
    er_eval *ev = eval_of(L);
    return view_attr(L, ev, ev->view, 1);
}

static int l_view_newindex(lua_State *L) /* [-0, +0, e] */
{
    return luaL_error(L, "the region view is read-only");
}

static int l_view_tostring(lua_State *L) /* [-0, +1, m] */
{
    er_eval *ev = eval_of(L);
    const view *v = check_view(L, 1);
    const er_region *g = &ev->snap->regions[v->region];
    lua_pushfstring(L, "region %s %s %d", g->code, g->name, (int)v->year);
    return 1;
}

void er_view_init(er_eval *ev)
{
    lua_State *L = ev->L;
    static const luaL_Reg methods[] = {
        {"fact", l_view_fact},         {"has", l_view_has},
        {"standard", l_view_standard}, {"share", l_view_share},
        {"transfer", l_view_transfer}, {"children", l_view_children},
        {"region", l_view_region},     {"result", l_view_result},
        {"sql", l_view_sql},           {"split", l_view_split},
        {"national_average", l_view_national_average}, {NULL, NULL}};
    luaL_newmetatable(L, VIEW_MT);
    lua_pushvalue(L, -1);
    ev->view_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    luaL_newlib(L, methods);
    lua_pushcclosure(L, l_view_index, 1);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_view_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, l_view_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "region view");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    /* the view evaluations receive, reused from one to the next, with a
     * metatable of its own: its methods are a table lookup away */
    er_view_push(L, -1, 0);
    ev->view = lua_touserdata(L, -1);
    lua_createtable(L, 0, 4);
    luaL_newlib(L, methods);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, l_view_own_attr);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_view_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, l_view_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pushliteral(L, "region view");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    ev->view_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    /* anchors of the keys the read cache knows (key_id) */
    lua_createtable(L, ER_KEY_CACHE * ER_KEY_KINDS, 0);
    ev->key_anchors_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

void er_view_release(er_eval *ev)
{
    luaL_unref(ev->L, LUA_REGISTRYINDEX, ev->view_ref);
    luaL_unref(ev->L, LUA_REGISTRYINDEX, ev->key_anchors_ref);
    ev->view_ref = ev->key_anchors_ref = LUA_NOREF;
    ev->view = NULL;
    memset(ev->key_cache, 0, sizeof ev->key_cache);
    sql_cache_clear(ev);
    sqlite3_close(ev->reader);
    ev->reader = NULL;
    results_free(ev->results);
    ev->results = NULL;
}
