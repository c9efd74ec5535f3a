/*
 * testrun.c - rule tests: finds <name>_test.lua files, builds each case's
 * data in a fresh in-memory database with the real schema, evaluates the
 * rules of the file under test through the engine's own path, and compares
 * the findings with the case's expectations. It owns the test file format
 * (DESIGN.md "Rule tests") and the reports of a test run: the console
 * lines, JUnit XML, and the line coverage that coverage.c measures. Each
 * test file's cases run in a supervised child (supervise.c), which sends
 * its results back. It does not evaluate anything itself.
 */
#include "tools.h"
#include "csv.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef er_collected collected;

/* ---- fixture database ---------------------------------------------------- */

typedef struct fixture {
    sqlite3 *db;
    char uri[128];
    er_buf err; /* first problem with the case's data */
} fixture;

static int fx_exec(fixture *fx, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(fx->db, sql, -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(fx->db, "building the fixture");
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        switch (types[i]) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            sqlite3_bind_text(st, i + 1, s, -1, SQLITE_TRANSIENT);
            break;
        }
        case 'i':
            sqlite3_bind_int(st, i + 1, va_arg(ap, int));
            break;
        case 'n': /* int, INT_MIN = NULL */
        {
            int v = va_arg(ap, int);
            if (v == INT_MIN)
                sqlite3_bind_null(st, i + 1);
            else
                sqlite3_bind_int(st, i + 1, v);
            break;
        }
        case 'd':
            sqlite3_bind_double(st, i + 1, va_arg(ap, double));
            break;
        }
    }
    va_end(ap);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        if (!fx->err.len)
            er_buf_printf(&fx->err, "fixture data refused by the schema: %s",
                          sqlite3_errmsg(fx->db));
        return ER_EDATA;
    }
    return ER_OK;
}

/* Raw field access on the table at `t`. */
static int rawfield(lua_State *L, int t, const char *name)
{
    lua_pushstring(L, name);
    return lua_rawget(L, t);
}

static const char *opt_str(lua_State *L, int t, const char *name)
{
    const char *s = rawfield(L, t, name) == LUA_TSTRING ? lua_tostring(L, -1)
                                                        : NULL;
    lua_pop(L, 1); /* strings stay alive: the table holds them */
    return s;
}

static void fx_bad(fixture *fx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fx_bad(fixture *fx, const char *fmt, ...)
{
    if (fx->err.len)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    er_buf_puts(&fx->err, msg);
}

static void ensure_metric(fixture *fx, const char *key)
{
    fx_exec(fx, "INSERT OR IGNORE INTO metric(key, name) VALUES (?, ?)", "ss",
            key, key);
}

static void ensure_item(fixture *fx, const char *code)
{
    fx_exec(fx,
            "INSERT OR IGNORE INTO item(code, category, name, department) "
            "VALUES (?, 'test', ?, 'test')",
            "ss", code, code);
}

/* Iterates a { [year] = value } table or a plain number, inserting through
 * `put(year, value)`. */
typedef void (*year_put)(fixture *fx, int year, double v, const void *ctx);

static void by_year(lua_State *L, fixture *fx, int idx, int year,
                    const char *what, year_put put, const void *ctx)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) == LUA_TNUMBER) {
        put(fx, year, lua_tonumber(L, idx), ctx);
    } else if (lua_type(L, idx) == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            if (!lua_isinteger(L, -2) || lua_type(L, -1) != LUA_TNUMBER)
                fx_bad(fx, "%s: expected a number or { [year] = number }",
                       what);
            else
                put(fx, (int)lua_tointeger(L, -2), lua_tonumber(L, -1), ctx);
            lua_pop(L, 1);
        }
    } else {
        fx_bad(fx, "%s: expected a number or { [year] = number }", what);
    }
}

typedef struct fact_ctx {
    const char *region, *metric;
} fact_ctx;

static void put_fact(fixture *fx, int year, double v, const void *p)
{
    const fact_ctx *c = p;
    fx_exec(fx,
            "INSERT OR REPLACE INTO fact(region, year, metric, value, source) "
            "VALUES (?, ?, ?, ?, 'test')",
            "sisd", c->region, year, c->metric, v);
}

typedef struct std_ctx {
    const char *key, *scope, *region;
} std_ctx;

static void put_standard(fixture *fx, int year, double v, const void *p)
{
    const std_ctx *c = p;
    fx_exec(fx,
            "INSERT INTO standard(key, scope, region, year_from, year_to, "
            "value, basis) VALUES (?, ?, ?, ?, ?, ?, 'test')",
            "sssiid", c->key, c->scope, c->region, year, year, v);
}

static void put_average(fixture *fx, int year, double v, const void *p)
{
    fx_exec(fx,
            "INSERT OR REPLACE INTO national_average(key, year, value, "
            "source) VALUES (?, ?, ?, 'test')",
            "sid", (const char *)p, year, v);
}

/* Puts the first column of each row (after the header) of the built-in
 * sample file `name` through `put`. */
static void embedded_keys(fixture *fx, const char *name,
                          void (*put)(fixture *fx, const char *key))
{
    const er_embedded *f = er_embedded_find(name);
    if (!f)
        return;
    const char *p = f->data, *end = f->data + f->len;
    const char *nl = memchr(p, '\n', (size_t)(end - p)); /* the header */
    for (p = nl ? nl + 1 : end; p < end; p = nl ? nl + 1 : end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = strcspn(p, ",\r\n");
        if (p + n > end)
            n = (size_t)(end - p);
        char key[256];
        if (n == 0 || n >= sizeof key)
            continue;
        memcpy(key, p, n);
        key[n] = '\0';
        put(fx, key);
    }
}

/* The built-in metric catalog (data/sample/metric.csv) with how each
 * metric aggregates, as a database loaded from it resolves it: a case's
 * parent region derives its values from its children's as a run does
 * (the snapshot's roll-ups). Kinds and bounds are left out: a case may
 * give any value a rule should cope with. */
static void sample_metrics(fixture *fx)
{
    const er_embedded *f = er_embedded_find("sample/metric.csv");
    if (!f)
        return;
    er_csv c;
    er_csv_init(&c, "sample/metric.csv", f->data, f->len);
    int key = -1, kind = -1, agg = -1;
    if (er_csv_next_record(&c) == 1)
        for (size_t i = 0; i < c.nfields; i++) {
            const char *h = c.fields[i].data;
            if (strcmp(h, "key") == 0)
                key = (int)i;
            else if (strcmp(h, "kind") == 0)
                kind = (int)i;
            else if (strcmp(h, "aggregate") == 0)
                agg = (int)i;
        }
    while (key >= 0 && er_csv_next_record(&c) == 1) {
        if ((size_t)key >= c.nfields || !c.fields[key].len)
            continue;
        const char *k = kind >= 0 && (size_t)kind < c.nfields &&
                                c.fields[kind].len
                            ? c.fields[kind].data
                            : NULL;
        const char *a = agg >= 0 && (size_t)agg < c.nfields &&
                                c.fields[agg].len
                            ? c.fields[agg].data
                            : NULL;
        int sum = er_aggregate_resolve(er_metric_kind_parse(k),
                                       a ? er_aggregate_parse(a) : -1);
        fx_exec(fx,
                "INSERT OR IGNORE INTO metric(key, name, aggregate) "
                "VALUES (?, ?, ?)",
                "sss", c.fields[key].data, c.fields[key].data,
                er_aggregate_names[sum]);
    }
    er_csv_free(&c);
}

/* The metric and item tables of a case: a test has no catalog of its own,
 * so it is the built-in one (data/sample) and every key the facts, shares
 * and transfers of any case of the file (the list at `cases`) name. A
 * rule's read of a key outside it is a rule bug (an error), as it is in
 * a run; a read of a key in it that the case gives no value is missing
 * data, as a case may mean to test. */
static void case_catalog(lua_State *L, fixture *fx, int cases)
{
    sample_metrics(fx);
    embedded_keys(fx, "sample/item.csv", ensure_item);
    lua_Integer n = (lua_Integer)lua_rawlen(L, cases);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, cases, i) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        int c = lua_gettop(L);
        static const char *const fields[] = {"facts", "shares", "transfers",
                                             "city_transfers", "splits"};
        for (int k = 0; k < 5; k++) {
            if (rawfield(L, c, fields[k]) != LUA_TTABLE) {
                lua_pop(L, 1);
                continue;
            }
            int t = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, t)) {
                if (k == 1 && lua_type(L, -2) == LUA_TSTRING) {
                    ensure_item(fx, lua_tostring(L, -2));
                } else if (k != 1 && lua_istable(L, -1)) {
                    int m = lua_gettop(L);
                    lua_pushnil(L);
                    while (lua_next(L, m)) {
                        /* only string keys: lua_tostring would change a
                         * number key in place and break lua_next */
                        if (lua_type(L, -2) == LUA_TSTRING) {
                            const char *key = lua_tostring(L, -2);
                            if (k == 0)
                                ensure_metric(fx, key);
                            else if (k != 4 || strcmp(key, "default") != 0)
                                ensure_item(fx, key);
                        }
                        lua_pop(L, 1);
                    }
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
}

/* city_transfers = { [county] = { [item] = yuan } }: what each county
 * received from its city; splits = { [city] = { [item] = share, default
 * = share } }: each city's part, in force from 50 years before the
 * case's year, open-ended. */
static void build_city_data(lua_State *L, fixture *fx, int c, int year)
{
    if (rawfield(L, c, "city_transfers") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
                const char *code = lua_tostring(L, -2);
                int s = lua_gettop(L);
                lua_pushnil(L);
                while (lua_next(L, s)) {
                    if (lua_type(L, -2) == LUA_TSTRING &&
                        lua_type(L, -1) == LUA_TNUMBER) {
                        ensure_item(fx, lua_tostring(L, -2));
                        fx_exec(fx,
                                "INSERT INTO city_transfer(region, year, "
                                "item, amount) VALUES (?, ?, ?, ?)",
                                "sisd", code, year, lua_tostring(L, -2),
                                lua_tonumber(L, -1));
                    } else {
                        fx_bad(fx, "city_transfers[%s]: expected { [item] = "
                                   "yuan }",
                               code);
                    }
                    lua_pop(L, 1);
                }
            } else {
                fx_bad(fx, "city_transfers: expected { [county] = { [item] "
                           "= yuan } }");
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);

    if (rawfield(L, c, "splits") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
                const char *code = lua_tostring(L, -2);
                int s = lua_gettop(L);
                lua_pushnil(L);
                while (lua_next(L, s)) {
                    if (lua_type(L, -2) == LUA_TSTRING &&
                        lua_type(L, -1) == LUA_TNUMBER) {
                        const char *item = lua_tostring(L, -2);
                        bool dflt = strcmp(item, "default") == 0;
                        if (!dflt)
                            ensure_item(fx, item);
                        fx_exec(fx,
                                "INSERT INTO split(city, item, year_from, "
                                "year_to, city_share) VALUES (?, ?, ?, "
                                "NULL, ?)",
                                "ssid", code, dflt ? NULL : item, year - 50,
                                lua_tonumber(L, -1));
                    } else {
                        fx_bad(fx, "splits[%s]: expected { [item] = share, "
                                   "default = share }",
                               code);
                    }
                    lua_pop(L, 1);
                }
            } else {
                fx_bad(fx, "splits: expected { [city] = { [item] = share, "
                           "default = share } }");
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

/* Builds the case at the top of the stack into fx. */
static void build_case(lua_State *L, fixture *fx, int year)
{
    int c = lua_gettop(L);
    /* regions */
    if (rawfield(L, c, "regions") != LUA_TTABLE) {
        fx_bad(fx, "'regions' must be a list of regions");
        lua_pop(L, 1);
        return;
    }
    int regs = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, regs);
    for (int pass = 0; pass < 2; pass++) { /* parents may come later */
        for (lua_Integer i = 1; i <= n; i++) {
            if (lua_rawgeti(L, regs, i) != LUA_TTABLE) {
                fx_bad(fx, "regions[%d] must be a table", (int)i);
                lua_pop(L, 1);
                continue;
            }
            int r = lua_gettop(L);
            const char *code = opt_str(L, r, "code");
            const char *level = opt_str(L, r, "level");
            if (!code || !level) {
                fx_bad(fx, "regions[%d] needs code and level", (int)i);
            } else if (pass == 0) {
                const char *name = opt_str(L, r, "name");
                int tier = INT_MIN;
                if (rawfield(L, r, "tier") == LUA_TNUMBER)
                    tier = (int)lua_tointeger(L, -1);
                lua_pop(L, 1);
                fx_exec(fx,
                        "INSERT INTO region(code, name, name_en, level, "
                        "zone, tier) VALUES (?, ?, ?, ?, ?, ?)",
                        "sssssn", code, name ? name : code,
                        opt_str(L, r, "name_en"), level,
                        opt_str(L, r, "zone"), tier);
            } else if (opt_str(L, r, "parent")) {
                fx_exec(fx, "UPDATE region SET parent = ? WHERE code = ?",
                        "ss", opt_str(L, r, "parent"), code);
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);

    /* facts = { [code] = { [metric] = value | { [year] = value } } } */
    if (rawfield(L, c, "facts") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            /* keys are read as text only once known to be strings:
             * lua_tostring would turn a number key into a string in
             * place, and lua_next would then raise outside any pcall */
            if (lua_type(L, -2) != LUA_TSTRING || !lua_istable(L, -1)) {
                fx_bad(fx, "facts: expected { [code] = { [metric] = value } }");
                lua_pop(L, 1);
                continue;
            }
            const char *code = lua_tostring(L, -2);
            int m = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, m)) {
                if (lua_type(L, -2) == LUA_TSTRING) {
                    fact_ctx fc = {code, lua_tostring(L, -2)};
                    ensure_metric(fx, fc.metric);
                    char what[256];
                    snprintf(what, sizeof what, "facts[%s][%s]", code,
                             fc.metric);
                    by_year(L, fx, -1, year, what, put_fact, &fc);
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);

    /* standards = { [key] = { national = v, provincial = v,
     *                         ["local"] = { [code] = v } } } */
    if (rawfield(L, c, "standards") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            int s = lua_gettop(L);
            if (lua_type(L, -2) != LUA_TSTRING || !lua_istable(L, s)) {
                fx_bad(fx, "standards: expected { [key] = { national = v, "
                           "provincial = v, local = { [code] = v } } }");
                lua_pop(L, 1);
                continue;
            }
            const char *key = lua_tostring(L, -2);
            static const char *const scopes[] = {"national", "provincial"};
            for (int k = 0; k < 2; k++) {
                if (rawfield(L, s, scopes[k]) != LUA_TNIL) {
                    std_ctx sc = {key, scopes[k], NULL};
                    char what[256];
                    snprintf(what, sizeof what, "standards[%s].%s", key,
                             scopes[k]);
                    by_year(L, fx, -1, year, what, put_standard, &sc);
                }
                lua_pop(L, 1);
            }
            if (rawfield(L, s, "local") == LUA_TTABLE) {
                int lt = lua_gettop(L);
                lua_pushnil(L);
                while (lua_next(L, lt)) {
                    if (lua_type(L, -2) != LUA_TSTRING) {
                        fx_bad(fx, "standards[%s].local: expected { [code] "
                                   "= value }",
                               key);
                        lua_pop(L, 1);
                        continue;
                    }
                    std_ctx sc = {key, "local", lua_tostring(L, -2)};
                    char what[256];
                    snprintf(what, sizeof what, "standards[%s].local[%s]", key,
                             sc.region ? sc.region : "?");
                    by_year(L, fx, -1, year, what, put_standard, &sc);
                    lua_pop(L, 1);
                }
            }
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);

    /* shares = { [item] = { [tier] = share } } */
    if (rawfield(L, c, "shares") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
                const char *item = lua_tostring(L, -2);
                ensure_item(fx, item);
                int s = lua_gettop(L);
                lua_pushnil(L);
                while (lua_next(L, s)) {
                    if (lua_isinteger(L, -2) && lua_type(L, -1) == LUA_TNUMBER)
                        fx_exec(fx,
                                "INSERT INTO share(item, tier, year_from, "
                                "year_to, province_share) VALUES (?, ?, ?, "
                                "NULL, ?)",
                                "siid", item, (int)lua_tointeger(L, -2),
                                year - 50, lua_tonumber(L, -1));
                    else
                        fx_bad(fx, "shares[%s]: expected { [tier] = share }",
                               item);
                    lua_pop(L, 1);
                }
            } else {
                fx_bad(fx, "shares: expected { [item] = { [tier] = share } }");
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);

    /* national_averages = { [key] = value or { [year] = value } } */
    if (rawfield(L, c, "national_averages") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) == LUA_TSTRING) {
                const char *key = lua_tostring(L, -2);
                char what[256];
                snprintf(what, sizeof what, "national_averages[%s]", key);
                by_year(L, fx, -1, year, what, put_average, key);
            } else {
                fx_bad(fx, "national_averages: expected { [key] = value or "
                           "{ [year] = value } }");
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);

    /* transfers = { [code] = { [item] = yuan } } */
    if (rawfield(L, c, "transfers") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
                const char *code = lua_tostring(L, -2);
                int s = lua_gettop(L);
                lua_pushnil(L);
                while (lua_next(L, s)) {
                    if (lua_type(L, -2) == LUA_TSTRING &&
                        lua_type(L, -1) == LUA_TNUMBER) {
                        ensure_item(fx, lua_tostring(L, -2));
                        fx_exec(fx,
                                "INSERT INTO transfer(region, year, item, "
                                "amount) VALUES (?, ?, ?, ?)",
                                "sisd", code, year, lua_tostring(L, -2),
                                lua_tonumber(L, -1));
                    } else {
                        fx_bad(fx, "transfers[%s]: expected { [item] = yuan }",
                               code);
                    }
                    lua_pop(L, 1);
                }
            } else {
                fx_bad(fx, "transfers: expected { [code] = { [item] = yuan } "
                           "}");
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    build_city_data(L, fx, c, year);
}

/* ---- comparing ----------------------------------------------------------- */

/* Significant digits the expected number is written with (up to 6). */
static int sig_digits(double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.6g", fabs(v));
    int n = 0;
    bool started = false;
    for (char *p = buf; *p && *p != 'e'; p++) {
        if (*p >= '1' && *p <= '9')
            started = true;
        if (started && *p >= '0' && *p <= '9')
            n++;
    }
    return n ? n : 1;
}

/* Whether `actual` equals `expected` to six significant digits, or, for an
 * expected number written with fewer decimals, at the precision it is
 * written with: 63.93 matches 63.9269... A whole number is taken as
 * exact to six digits: 69 does not match 69.5, nor 1 match 0.96. */
static bool num_matches(double expected, double actual)
{
    if (expected == actual)
        return true;
    int d = expected == floor(expected) && fabs(expected) < 1e15
                ? 6
                : sig_digits(expected);
    char a[64], e[64];
    snprintf(a, sizeof a, "%.*g", d, actual);
    snprintf(e, sizeof e, "%.*g", d, expected);
    return strtod(a, NULL) == strtod(e, NULL);
}

static const er_finding *find_finding(const collected *got,
                                      const er_snapshot *snap, int32_t rule,
                                      const char *code, int year)
{
    for (size_t i = 0; i < got->n; i++) {
        const er_finding *f = &got->items[i];
        if (f->rule == rule && f->year == year &&
            strcmp(snap->regions[f->region].code, code) == 0)
            return f;
    }
    return NULL;
}

/* Why rule `r` gave no finding for region `code` in `year`, when the rule
 * says so: not in force that year (an effective year typo, say), or made
 * for another level. */
static void why_none(er_buf *b, const er_rule *r, const er_snapshot *snap,
                     const char *code, int year)
{
    const er_rule_info *i = &r->info;
    if ((i->year_from && year < i->year_from) ||
        (i->year_to && year > i->year_to)) {
        er_buf_printf(b, " (the rule is not in force in %d: effective ",
                      year);
        if (i->year_from)
            er_buf_printf(b, "from %d%s", i->year_from, i->year_to ? " " : "");
        if (i->year_to)
            er_buf_printf(b, "to %d", i->year_to);
        er_buf_puts(b, ")");
        return;
    }
    int32_t g = er_snapshot_region(snap, code);
    int l = g >= 0 ? snap->regions[g].level : -1;
    if (l >= 0 && !(r->levels & (1u << l)) &&
        strcmp(i->kind, "allocation") != 0)
        er_buf_printf(b, " (the rule is evaluated for each %s; %s is a %s)",
                      i->level, code, er_level_names[l]);
}

static void describe(er_buf *b, const er_finding *f)
{
    char n1[64], n2[64], n3[64];
    bool open = false;
    if (f->flags & ER_F_MEASURED) {
        er_buf_printf(b, " (measured %s", er_fmt_num(n1, sizeof n1,
                                                     f->measured));
        open = true;
    }
    if (f->flags & ER_F_REQUIRED) {
        er_buf_printf(b, "%srequired %s", open ? ", " : " (",
                      er_fmt_num(n2, sizeof n2, f->required));
        open = true;
    }
    if (f->flags & ER_F_AMOUNT) {
        er_buf_printf(b, "%samount %s", open ? ", " : " (",
                      er_fmt_fen(n3, sizeof n3, f->amount));
        open = true;
    }
    if (f->note &&
        (f->outcome == ER_ERROR_OUTCOME || f->outcome == ER_MISSING)) {
        er_buf_printf(b, "%s%s", open ? ": " : " (", f->note);
        open = true;
    }
    if (open)
        er_buf_puts(b, ")");
}

/* The text of the table key at `idx`, without turning a number key into a
 * string in place (which breaks lua_next): a string as it is, an integer
 * in decimal, else NULL. */
static const char *key_text(lua_State *L, int idx, char *buf, size_t size)
{
    if (lua_type(L, idx) == LUA_TSTRING)
        return lua_tostring(L, idx);
    if (lua_isinteger(L, idx)) {
        snprintf(buf, size, "%lld", (long long)lua_tointeger(L, idx));
        return buf;
    }
    return NULL;
}

/* Compares expect (at the top of the stack) with what the run produced;
 * appends one line per mismatch to out. */
static void compare(lua_State *L, er_ruleset *rs, const er_snapshot *snap,
                    const collected *got, int year, er_buf *out)
{
    int ex = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, ex)) {
        char idbuf[32];
        const char *id = key_text(L, -2, idbuf, sizeof idbuf);
        int32_t rule = lua_type(L, -2) == LUA_TSTRING ? er_ruleset_find(rs, id)
                                                      : -1;
        if (rule < 0) {
            er_buf_printf(out, "expect names no loaded rule '%s'\n",
                          id ? id : "?");
            lua_pop(L, 1);
            continue;
        }
        if (!lua_istable(L, -1)) {
            er_buf_printf(out, "expect[%s] must be { [code] = {...} }\n", id);
            lua_pop(L, 1);
            continue;
        }
        int per = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, per)) {
            char codebuf[32];
            const char *code = key_text(L, -2, codebuf, sizeof codebuf);
            int e = lua_gettop(L);
            if (lua_type(L, -2) != LUA_TSTRING) {
                er_buf_printf(out, "expect[%s]: the key %s is not a region "
                                   "code (a string, such as \"441400\")\n",
                              id, code ? code : "?");
                lua_pop(L, 1);
                continue;
            }
            const er_finding *f = find_finding(got, snap, rule, code, year);
            if (lua_type(L, e) == LUA_TBOOLEAN && !lua_toboolean(L, e)) {
                if (f) {
                    er_buf_printf(out, "%s %s %d: expected no finding, got %s",
                                  code, id, year,
                                  er_outcome_name((er_outcome)f->outcome));
                    describe(out, f);
                    er_buf_puts(out, "\n");
                }
                lua_pop(L, 1);
                continue;
            }
            if (!lua_istable(L, e)) {
                er_buf_printf(out, "expect[%s][%s] must be a table\n", id,
                              code);
                lua_pop(L, 1);
                continue;
            }
            if (!f) {
                er_buf_printf(out, "%s %s %d: expected a finding, got none",
                              code, id, year);
                why_none(out, &rs->rules[rule], snap, code, year);
                er_buf_puts(out, "\n");
                lua_pop(L, 1);
                continue;
            }
            const char *outcome = opt_str(L, e, "outcome");
            er_buf line;
            er_buf_init(&line);
            char n1[64], n2[64];
            if (outcome &&
                strcmp(outcome, er_outcome_name((er_outcome)f->outcome)) != 0)
                er_buf_printf(&line, "expected %s, got %s", outcome,
                              er_outcome_name((er_outcome)f->outcome));
            static const char *const nums[] = {"measured", "required"};
            for (int k = 0; k < 2; k++) {
                if (rawfield(L, e, nums[k]) == LUA_TNUMBER) {
                    double want = lua_tonumber(L, -1);
                    bool has = f->flags & (k ? ER_F_REQUIRED : ER_F_MEASURED);
                    double have = k ? f->required : f->measured;
                    if (!has || !num_matches(want, have))
                        er_buf_printf(&line, "%sexpected %s %s, got %s",
                                      line.len ? "; " : "", nums[k],
                                      er_fmt_num(n1, sizeof n1, want),
                                      has ? er_fmt_num(n2, sizeof n2, have)
                                          : "none");
                }
                lua_pop(L, 1);
            }
            if (rawfield(L, e, "amount") == LUA_TNUMBER) {
                int64_t want = er_yuan_to_fen(lua_tonumber(L, -1));
                bool has = f->flags & ER_F_AMOUNT;
                if (!has || want != f->amount)
                    er_buf_printf(&line, "%sexpected amount %s, got %s",
                                  line.len ? "; " : "",
                                  er_fmt_fen(n1, sizeof n1, want),
                                  has ? er_fmt_fen(n2, sizeof n2, f->amount)
                                      : "none");
            }
            lua_pop(L, 1);
            const char *note = opt_str(L, e, "note");
            if (note && (!f->note || !strstr(f->note, note)))
                er_buf_printf(&line, "%sexpected a note containing \"%s\", "
                                     "got \"%s\"",
                              line.len ? "; " : "", note,
                              f->note ? f->note : "");
            const char *unit = opt_str(L, e, "unit");
            if (unit && (!f->unit || strcmp(f->unit, unit) != 0))
                er_buf_printf(&line, "%sexpected unit %s, got %s",
                              line.len ? "; " : "", unit,
                              f->unit ? f->unit : "none");
            if (line.err) {
                out->err = line.err; /* never a truncated message */
            } else if (line.len) {
                er_buf_printf(out, "%s %s %d: %s", code, id, year, line.data);
                describe(out, f);
                er_buf_puts(out, "\n");
            }
            er_buf_free(&line);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
}

/* ---- the test-case schema ------------------------------------------------ */

/* The keys of each table of a case (docs/rule-authoring.md "The test
 * file"); any other key is a mistake, reported before the case runs. */
static const char *const case_keys[] = {
    "name",   "year",   "regions", "facts", "standards",
    "shares", "transfers", "city_transfers", "splits", "params", "rules",
    "expect", "national_averages"};
static const char *const region_keys[] = {"code",   "level", "name", "name_en",
                                          "parent", "zone",  "tier"};
static const char *const scope_keys[] = {"national", "provincial", "local"};
static const char *const finding_keys[] = {"outcome", "measured", "required",
                                           "amount",  "note",     "unit"};
#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

typedef struct checker {
    lua_State *L;
    const er_ruleset *rs;
    const char **ids;   /* the loaded rules' ids, for suggestions */
    const char **codes; /* the case's region codes (strings of the case) */
    size_t ncodes;
    const char *where;  /* "FILE: case N" */
    er_buf *out;        /* one line per mistake */
    bool oom;           /* out of memory: the check is incomplete */
} checker;

static void bad(checker *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void bad(checker *k, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    er_buf_printf(k->out, "%s: %s\n", k->where, msg);
}

/* " (did you mean 'x'?)" for `word` among `known`, else " (known: a, b,
 * ...)" when `list` is set, else "". */
static const char *hint(char *buf, size_t size, const char *word,
                        const char *const *known, size_t n, bool list)
{
    const char *s = er_suggest(word, known, n);
    if (s) {
        snprintf(buf, size, " (did you mean '%s'?)", s);
        return buf;
    }
    buf[0] = '\0';
    if (!list || n == 0)
        return buf;
    size_t at = (size_t)snprintf(buf, size, " (known: ");
    for (size_t i = 0; i < n && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "",
                               known[i]);
    if (at < size)
        snprintf(buf + at, size - at, ")");
    return buf;
}

/* Each key of the table at `t` is one of `known`. */
static void check_keys(checker *k, int t, const char *at,
                       const char *const *known, size_t n)
{
    lua_State *L = k->L;
    t = lua_absindex(L, t);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        char kb[32], hb[256];
        const char *key = key_text(L, -2, kb, sizeof kb);
        bool ok = false;
        if (lua_type(L, -2) == LUA_TSTRING)
            for (size_t i = 0; i < n && !ok; i++)
                ok = strcmp(key, known[i]) == 0;
        if (!ok && lua_type(L, -2) == LUA_TSTRING)
            bad(k, "%s%sunknown key '%s'%s", at ? at : "", at ? ": " : "",
                key, hint(hb, sizeof hb, key, known, n, true));
        else if (!ok)
            bad(k, "%s%sunknown key [%s]%s", at ? at : "", at ? ": " : "",
                key ? key : "?", hint(hb, sizeof hb, "", known, n, true));
        lua_pop(L, 1);
    }
}

/* Whether the table at `t` has no key. */
static bool is_empty(lua_State *L, int t)
{
    t = lua_absindex(L, t);
    lua_pushnil(L);
    if (!lua_next(L, t))
        return true;
    lua_pop(L, 2);
    return false;
}

/* The key at -2 names a region of the case: `at` says where. */
static bool check_code(checker *k, const char *at)
{
    char kb[32], hb[256];
    const char *code = key_text(k->L, -2, kb, sizeof kb);
    if (lua_type(k->L, -2) != LUA_TSTRING) {
        bad(k, "%s: the key %s is not a region code (a string, such as "
               "\"441400\")",
            at, code ? code : "?");
        return false;
    }
    for (size_t i = 0; i < k->ncodes; i++)
        if (strcmp(code, k->codes[i]) == 0)
            return true;
    bad(k, "%s: no region '%s' among the case's regions%s", at, code,
        hint(hb, sizeof hb, code, k->codes, k->ncodes, false));
    return false;
}

/* The key at -2 names a loaded rule: `at` says where. */
static bool check_rule(checker *k, const char *at, const char *id)
{
    char hb[256];
    if (id && er_ruleset_find(k->rs, id) >= 0)
        return true;
    bad(k, "%s: no loaded rule '%s'%s", at, id ? id : "?",
        id ? hint(hb, sizeof hb, id, k->ids, k->rs->nrules, false) : "");
    return false;
}

/* The field `name` of the table at `r`, when present, is a string and, when
 * `allowed` is given, one of them. */
static void check_word(checker *k, int r, const char *at, const char *name,
                       const char *const *allowed, size_t n)
{
    lua_State *L = k->L;
    int type = rawfield(L, r, name);
    if (type == LUA_TSTRING && allowed) {
        const char *v = lua_tostring(L, -1);
        bool ok = false;
        for (size_t i = 0; i < n && !ok; i++)
            ok = strcmp(v, allowed[i]) == 0;
        char hb[256];
        if (!ok)
            bad(k, "%s: %s '%s' is not one of the %ss%s", at, name, v, name,
                hint(hb, sizeof hb, v, allowed, n, true));
    } else if (type != LUA_TNIL && type != LUA_TSTRING) {
        bad(k, "%s: %s must be a string, not a %s", at, name,
            lua_typename(L, type));
    }
    lua_pop(L, 1);
}

/* A region's values: code and level present, level and zone among the
 * schema's, tier an integer. */
static void check_region_values(checker *k, int r, const char *at)
{
    static const char *const levels[] = {"province", "city", "county"};
    static const char *const zones[] = {"core", "east", "west", "north"};
    lua_State *L = k->L;
    int code = rawfield(L, r, "code"), level = rawfield(L, r, "level");
    if (code == LUA_TNIL || level == LUA_TNIL)
        bad(k, "%s needs code and level", at);
    lua_pop(L, 2);
    check_word(k, r, at, "code", NULL, 0);
    check_word(k, r, at, "level", levels, NKEYS(levels));
    check_word(k, r, at, "zone", zones, NKEYS(zones));
    check_word(k, r, at, "name", NULL, 0);
    check_word(k, r, at, "name_en", NULL, 0);
    check_word(k, r, at, "parent", NULL, 0);
    int type = rawfield(L, r, "tier");
    if (type != LUA_TNIL && !(type == LUA_TNUMBER && lua_isinteger(L, -1)))
        bad(k, "%s: tier must be an integer (the cost-sharing tier), not "
               "a %s",
            at, type == LUA_TNUMBER ? "fraction" : lua_typename(L, type));
    lua_pop(L, 1);
}

/* regions: a list of { code, level, ... }; collects the codes. */
static void check_regions(checker *k, int c)
{
    lua_State *L = k->L;
    if (rawfield(L, c, "regions") != LUA_TTABLE) {
        bad(k, "'regions' must be a list of regions, { { code = \"440000\", "
               "level = \"province\" }, ... }");
        lua_pop(L, 1);
        return;
    }
    int t = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, t);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        char kb[32];
        const char *key = key_text(L, -2, kb, sizeof kb);
        if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
            lua_tointeger(L, -2) > n)
            bad(k, "regions: the key '%s' is not a place in a list: "
                   "'regions' is a list of regions, { { code = ..., level = "
                   "... }, ... }",
                key ? key : "?");
        lua_pop(L, 1);
    }
    for (lua_Integer i = 1; i <= n; i++) {
        char at[64];
        snprintf(at, sizeof at, "regions[%d]", (int)i);
        if (lua_rawgeti(L, t, i) != LUA_TTABLE) {
            bad(k, "%s must be a table { code = ..., level = ... }", at);
        } else {
            int r = lua_gettop(L);
            check_keys(k, r, at, region_keys, NKEYS(region_keys));
            check_region_values(k, r, at);
            const char *code = opt_str(L, r, "code");
            if (code)
                k->codes[k->ncodes++] = code;
        }
        lua_pop(L, 1);
    }
    /* parents once every code is known: they may come later */
    for (lua_Integer i = 1; i <= n; i++) {
        const char *parent = NULL;
        if (lua_rawgeti(L, t, i) == LUA_TTABLE)
            parent = opt_str(L, lua_gettop(L), "parent");
        bool known = !parent;
        for (size_t j = 0; j < k->ncodes && !known; j++)
            known = strcmp(parent, k->codes[j]) == 0;
        char hb[256];
        if (!known)
            bad(k, "regions[%d]: parent '%s' is not among the case's "
                   "regions%s",
                (int)i, parent,
                hint(hb, sizeof hb, parent, k->codes, k->ncodes, false));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* A table keyed by region code whose values are tables: facts,
 * transfers; the values' keys are names (metrics, items). */
static void check_by_code(checker *k, int c, const char *field)
{
    lua_State *L = k->L;
    int type = rawfield(L, c, field);
    if (type == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (type != LUA_TTABLE) {
        bad(k, "'%s' must be a table { [code] = { ... } }", field);
        lua_pop(L, 1);
        return;
    }
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        char at[128], kb[32];
        snprintf(at, sizeof at, "%s", field);
        if (check_code(k, at)) {
            snprintf(at, sizeof at, "%s[%s]", field,
                     key_text(L, -2, kb, sizeof kb));
            if (!lua_istable(L, -1)) {
                bad(k, "%s must be a table { [name] = value }", at);
            } else {
                int v = lua_gettop(L);
                lua_pushnil(L);
                while (lua_next(L, v)) {
                    if (lua_type(L, -2) != LUA_TSTRING) {
                        const char *key = key_text(L, -2, kb, sizeof kb);
                        bad(k, "%s: the key [%s] is not a name (a %s "
                               "name such as \"%s\")",
                            at, key ? key : "?",
                            strcmp(field, "facts") == 0 ? "metric" : "item",
                            strcmp(field, "facts") == 0
                                ? "pop.resident"
                                : "health.public_health");
                    }
                    lua_pop(L, 1);
                }
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void check_standards(checker *k, int c)
{
    lua_State *L = k->L;
    int type = rawfield(L, c, "standards");
    if (type != LUA_TTABLE) {
        if (type != LUA_TNIL)
            bad(k, "'standards' must be a table { [key] = { national = v, "
                   "provincial = v, local = { [code] = v } } }");
        lua_pop(L, 1);
        return;
    }
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        char at[256], kb[32];
        const char *key = key_text(L, -2, kb, sizeof kb);
        snprintf(at, sizeof at, "standards[%s]", key ? key : "?");
        if (lua_type(L, -2) != LUA_TSTRING) {
            bad(k, "standards: the key [%s] is not a standard key (such as "
                   "\"health.public_health\")",
                key ? key : "?");
        } else if (!lua_istable(L, -1)) {
            bad(k, "%s must be a table { national = v, provincial = v, "
                   "local = { [code] = v } }",
                at);
        } else {
            int s = lua_gettop(L);
            check_keys(k, s, at, scope_keys, NKEYS(scope_keys));
            if (rawfield(L, s, "local") == LUA_TTABLE) {
                char lat[300];
                snprintf(lat, sizeof lat, "%s.local", at);
                int lt = lua_gettop(L);
                lua_pushnil(L);
                while (lua_next(L, lt)) {
                    check_code(k, lat);
                    lua_pop(L, 1);
                }
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* params = { [rule] = { [param] = value } }: loaded rules, declared
 * params (as `--set` would refuse them, but said of the case). */
static void check_params(checker *k, int c)
{
    lua_State *L = k->L;
    int type = rawfield(L, c, "params");
    if (type != LUA_TTABLE) {
        if (type != LUA_TNIL)
            bad(k, "'params' must be a table { [rule] = { [param] = value "
                   "} }");
        lua_pop(L, 1);
        return;
    }
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        char kb[32], at[256];
        const char *id = key_text(L, -2, kb, sizeof kb);
        int32_t r = lua_type(L, -2) == LUA_TSTRING
                        ? er_ruleset_find(k->rs, id)
                        : -1;
        if (!check_rule(k, "params", lua_type(L, -2) == LUA_TSTRING ? id
                                                                    : NULL)) {
            lua_pop(L, 1);
            continue;
        }
        snprintf(at, sizeof at, "params[%s]", id);
        if (!lua_istable(L, -1)) {
            bad(k, "%s must be a table { [param] = value }", at);
            lua_pop(L, 1);
            continue;
        }
        /* the names the rule declares */
        int p = lua_gettop(L);
        int decl = lua_gettop(L) + 1;
        if (k->rs->rules[r].params_ref == LUA_NOREF ||
            lua_rawgeti(L, LUA_REGISTRYINDEX, k->rs->rules[r].params_ref) !=
                LUA_TTABLE) {
            lua_settop(L, decl - 1);
            lua_newtable(L);
        }
        size_t n = 0, max = 0;
        lua_pushnil(L);
        while (lua_next(L, decl)) {
            max++;
            lua_pop(L, 1);
        }
        const char **names = calloc(max + 1, sizeof *names);
        if (!names) {
            k->oom = true;
            lua_settop(L, p - 1);
            continue;
        }
        lua_pushnil(L);
        while (lua_next(L, decl)) {
            if (lua_type(L, -2) == LUA_TSTRING && n < max)
                names[n++] = lua_tostring(L, -2);
            lua_pop(L, 1);
        }
        if (n == 0 && !is_empty(L, p))
            bad(k, "%s: the rule declares no params", at);
        else
            check_keys(k, p, at, names, n);
        free(names);
        /* each value of the type the rule declares */
        lua_pushnil(L);
        while (lua_next(L, p)) {
            if (lua_type(L, -2) == LUA_TSTRING) {
                lua_pushvalue(L, -2);
                int want = lua_rawget(L, decl);
                int have = lua_type(L, -2);
                if (want != LUA_TNIL && want != have)
                    bad(k, "%s: %s must be a %s, as the rule declares it, "
                           "not a %s",
                        at, lua_tostring(L, -3), lua_typename(L, want),
                        lua_typename(L, have));
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_settop(L, p - 1);
    }
    lua_pop(L, 1);
}

static void check_rules_list(checker *k, int c)
{
    lua_State *L = k->L;
    int type = rawfield(L, c, "rules");
    if (type != LUA_TTABLE) {
        if (type != LUA_TNIL)
            bad(k, "'rules' must be a list of rule ids, { \"health.x\", ... "
                   "}");
        lua_pop(L, 1);
        return;
    }
    int t = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, t);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        char kb[32], at[64];
        const char *key = key_text(L, -2, kb, sizeof kb);
        if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
            lua_tointeger(L, -2) > n) {
            bad(k, "rules: the key '%s' is not a place in a list: 'rules' "
                   "is a list of rule ids",
                key ? key : "?");
        } else {
            snprintf(at, sizeof at, "rules[%s]", key);
            check_rule(k, at,
                       lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                      : NULL);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* One expected finding, at the top of the stack. */
static void check_finding(checker *k, const char *at)
{
    lua_State *L = k->L;
    int e = lua_gettop(L);
    if (lua_type(L, e) == LUA_TBOOLEAN && !lua_toboolean(L, e))
        return; /* no finding expected */
    if (!lua_istable(L, e)) {
        bad(k, "%s must be a table { outcome = ..., ... }, or false for no "
               "finding",
            at);
        return;
    }
    if (is_empty(L, e)) {
        bad(k, "%s expects nothing: give its outcome (and measured, "
               "required, amount, note or unit), or false for no finding",
            at);
        return;
    }
    check_keys(k, e, at, finding_keys, NKEYS(finding_keys));
    int type = rawfield(L, e, "outcome");
    if (type == LUA_TSTRING) {
        const char *want = lua_tostring(L, -1);
        const char *names[ER_OUTCOME_COUNT];
        bool known = false;
        for (int o = 0; o < ER_OUTCOME_COUNT; o++) {
            names[o] = er_outcome_name((er_outcome)o);
            known = known || strcmp(want, names[o]) == 0;
        }
        if (!known) {
            char hb[256], all[256];
            size_t off = 0;
            all[0] = '\0';
            for (int o = 0; o < ER_OUTCOME_COUNT && off < sizeof all; o++)
                off += (size_t)snprintf(all + off, sizeof all - off, "%s%s",
                                        o ? ", " : "", names[o]);
            bad(k, "%s: outcome '%s' is not an outcome%s; the outcomes are "
                   "%s",
                at, want,
                hint(hb, sizeof hb, want, names, ER_OUTCOME_COUNT, false),
                all);
        }
    } else if (type != LUA_TNIL) {
        bad(k, "%s: outcome must be an outcome name (a string such as "
               "\"pass\")",
            at);
    }
    lua_pop(L, 1);
    static const char *const nums[] = {"measured", "required", "amount"};
    for (size_t i = 0; i < NKEYS(nums); i++) {
        type = rawfield(L, e, nums[i]);
        if (type != LUA_TNIL && type != LUA_TNUMBER)
            bad(k, "%s: %s must be a number, not a %s", at, nums[i],
                lua_typename(L, type));
        lua_pop(L, 1);
    }
    static const char *const texts[] = {"note", "unit"};
    for (size_t i = 0; i < NKEYS(texts); i++) {
        type = rawfield(L, e, texts[i]);
        if (type != LUA_TNIL && type != LUA_TSTRING)
            bad(k, "%s: %s must be a string, not a %s", at, texts[i],
                lua_typename(L, type));
        else if (i == 0 && type == LUA_TSTRING && lua_rawlen(L, -1) == 0)
            bad(k, "%s: note = \"\" is in every note: it expects nothing", at);
        lua_pop(L, 1);
    }
}

static void check_expect(checker *k, int c)
{
    lua_State *L = k->L;
    int type = rawfield(L, c, "expect");
    if (type != LUA_TTABLE || is_empty(L, -1)) {
        bad(k, "the case expects nothing: give expect = { [rule] = { [code] "
               "= { outcome = ... } } }");
        lua_pop(L, 1);
        return;
    }
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        char kb[32], at[256];
        const char *id = key_text(L, -2, kb, sizeof kb);
        if (!check_rule(k, "expect", lua_type(L, -2) == LUA_TSTRING ? id
                                                                    : NULL)) {
            lua_pop(L, 1);
            continue;
        }
        snprintf(at, sizeof at, "expect[%s]", id);
        if (!lua_istable(L, -1)) {
            bad(k, "%s must be a table { [code] = { outcome = ... } }", at);
        } else if (is_empty(L, -1)) {
            bad(k, "%s expects nothing: name a region, { [code] = { "
                   "outcome = ... } }",
                at);
        } else {
            int per = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, per)) {
                if (check_code(k, at)) {
                    char fat[300];
                    snprintf(fat, sizeof fat, "%s[%s]", at,
                             lua_tostring(L, -2));
                    check_finding(k, fat);
                }
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts the lines of b: the mistakes of a case in the same order on every
 * run, whatever order its tables' keys come in. */
static int sort_lines(er_buf *b)
{
    if (b->err || b->len == 0)
        return er_buf_status(b);
    char *text = strndup(b->data, b->len);
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    char **lines = calloc(n + 1, sizeof *lines);
    if (!text || !lines) {
        free(text);
        free(lines);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    n = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    qsort(lines, n, sizeof *lines, by_text);
    b->len = 0;
    for (size_t i = 0; i < n; i++)
        er_buf_printf(b, "%s\n", lines[i]);
    free(lines);
    free(text);
    return er_buf_status(b);
}

/* Checks the case at the top of the stack against the test-case schema;
 * appends one line per mistake to out. `nrules`: how many rules of the
 * file under test are loaded (a case without `rules` runs those);
 * `tested`: that file (tested_file), `rule_file` its path. */
static int check_case(er_ruleset *rs, size_t nrules, int32_t tested,
                      const char *rule_file, const char *where, er_buf *out)
{
    lua_State *L = rs->sb.L;
    int c = lua_gettop(L);
    checker k = {.L = L, .rs = rs, .where = where, .out = out};
    k.ids = calloc(rs->nrules + 1, sizeof *k.ids);
    size_t nregions = 0;
    if (rawfield(L, c, "regions") == LUA_TTABLE)
        nregions = (size_t)lua_rawlen(L, -1);
    lua_pop(L, 1);
    k.codes = calloc(nregions + 1, sizeof *k.codes);
    if (!k.ids || !k.codes) {
        free(k.ids);
        free(k.codes);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < rs->nrules; i++)
        k.ids[i] = rs->rules[i].info.id;

    check_keys(&k, c, NULL, case_keys, NKEYS(case_keys));
    int type = rawfield(L, c, "name");
    if (type != LUA_TNIL && type != LUA_TSTRING)
        bad(&k, "'name' must be a string (what the case shows)");
    lua_pop(L, 1);
    if (rawfield(L, c, "year") != LUA_TNUMBER || !lua_isinteger(L, -1))
        bad(&k, "the case needs a year (an integer, such as 2019)");
    lua_pop(L, 1);
    check_regions(&k, c);
    check_by_code(&k, c, "facts");
    check_standards(&k, c);
    type = rawfield(L, c, "shares");
    if (type != LUA_TNIL && type != LUA_TTABLE)
        bad(&k, "'shares' must be a table { [item] = { [tier] = share } }");
    lua_pop(L, 1);
    check_by_code(&k, c, "transfers");
    check_by_code(&k, c, "city_transfers");
    check_by_code(&k, c, "splits");
    type = rawfield(L, c, "national_averages");
    if (type != LUA_TNIL && type != LUA_TTABLE)
        bad(&k, "'national_averages' must be a table { [key] = value or "
                "{ [year] = value } }");
    lua_pop(L, 1);
    check_params(&k, c);
    check_rules_list(&k, c);
    struct stat st;
    if (nrules == 0 && rawfield(L, c, "rules") == LUA_TNIL) {
        if (stat(rule_file, &st) != 0)
            bad(&k, "there is no rule file %s, and the case names no rules "
                    "to run: give rules = { \"dept.rule\", ... }",
                rule_file);
        else if (tested < 0)
            bad(&k, "the rule file %s is not in the rules folder %s, and "
                    "the case names no rules to run: give --rules, or "
                    "rules = { \"dept.rule\", ... }",
                rule_file, rs->dir);
        else
            bad(&k, "%s defines no rule, and the case names no rules to "
                    "run: give rules = { \"dept.rule\", ... }",
                rule_file);
    }
    lua_settop(L, c);
    check_expect(&k, c);
    lua_settop(L, c);
    free(k.ids);
    free(k.codes);
    if (k.oom)
        return er_fail(ER_ENOMEM, "out of memory");
    return sort_lines(out);
}

/* ---- data the rules never read ------------------------------------------- */

/* What the case's rules read, by kind of key: metrics (facts), standard
 * keys (standards, national averages), items (shares, transfers); each read, and each read that found
 * nothing. A key the case gives that no rule read, close to one a rule
 * read and did not find, is a misspelling in the case: the rule saw a
 * gap where the case meant data. */
enum { READ_METRIC = 0, READ_STANDARD, READ_ITEM, READ_KINDS };

typedef struct reads {
    er_strmap read[READ_KINDS], missed[READ_KINDS];
    bool oom;
} reads;

static void on_read(void *ctx, const struct er_eval *ev,
                    const er_trace_event *e)
{
    (void)ev;
    reads *r = ctx;
    int kind;
    switch (e->kind) {
    case ER_TRACE_FACT:
    case ER_TRACE_HAS:
        kind = READ_METRIC;
        break;
    case ER_TRACE_STANDARD:
    case ER_TRACE_AVERAGE:
        kind = READ_STANDARD;
        break;
    case ER_TRACE_SHARE:
    case ER_TRACE_TRANSFER:
    case ER_TRACE_SPLIT:
        kind = READ_ITEM;
        break;
    default:
        return;
    }
    if (!e->key)
        return;
    if (er_strmap_intern(&r->read[kind], e->key) < 0 ||
        (!e->found && er_strmap_intern(&r->missed[kind], e->key) < 0))
        r->oom = true;
}

/* Whether a and b are one edit apart (a byte added, dropped, changed or
 * swapped with its neighbour), except a digit changed or a number added:
 * grade1 and grade2, floor and floor2 are two keys, not a misspelling. Stricter than er_suggest: a key
 * given but not read is only a typo when it is this close. */
static bool one_edit(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b), i = 0;
    if (n > m + 1 || m > n + 1)
        return false;
    while (i < n && i < m && a[i] == b[i])
        i++;
    if (n == m) {
        if (i == n)
            return false; /* equal */
        if (strcmp(a + i + 1, b + i + 1) == 0) /* changed */
            return !(a[i] >= '0' && a[i] <= '9' && b[i] >= '0' &&
                     b[i] <= '9');
        return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               strcmp(a + i + 2, b + i + 2) == 0; /* swapped */
    }
    /* added or dropped: not a digit that starts a number (floor2 beside
     * floor), though one that lengthens a number is (per_100, per_1000) */
    const char *longer = n > m ? a : b;
    if (longer[i] >= '0' && longer[i] <= '9' &&
        !(i > 0 && longer[i - 1] >= '0' && longer[i - 1] <= '9') &&
        !(longer[i + 1] >= '0' && longer[i + 1] <= '9'))
        return false;
    return n > m ? strcmp(a + i + 1, b + i) == 0
                 : strcmp(a + i, b + i + 1) == 0;
}

/* The key at -2 (a string) of a case table of `kind`: a line into out
 * when no rule read it and a rule missed one close to it. */
static void check_read(const reads *r, int kind, lua_State *L,
                       const char *where, const char *at, er_buf *out)
{
    static const char *const what[] = {"metric", "standard", "item"};
    if (lua_type(L, -2) != LUA_TSTRING)
        return;
    const char *key = lua_tostring(L, -2);
    if (er_strmap_find(&r->read[kind], key) >= 0)
        return;
    const char *near =
        er_suggest(key, (const char *const *)r->missed[kind].by_id,
                   r->missed[kind].count);
    if (near && one_edit(key, near))
        er_buf_printf(out,
                      "%s: %s: the case gives the %s '%s', which no rule "
                      "read; a rule read '%s' and found nothing: one of the "
                      "two is misspelt (the rule's key or the case's)\n",
                      where, at, what[kind], key, near);
}

/* Lines into out for each key of the case at `c` that check_read finds. */
static void check_unread(const reads *r, lua_State *L, int c,
                         const char *where, er_buf *out)
{
    /* facts and transfers: { [code] = { [key] = ... } } */
    static const char *const by_code[] = {"facts", "transfers",
                                          "city_transfers", "splits"};
    for (int f = 0; f < 4; f++) {
        if (rawfield(L, c, by_code[f]) == LUA_TTABLE) {
            int t = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, t)) {
                if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
                    char at[128];
                    snprintf(at, sizeof at, "%s[%s]", by_code[f],
                             lua_tostring(L, -2));
                    int m = lua_gettop(L);
                    lua_pushnil(L);
                    while (lua_next(L, m)) {
                        check_read(r, f == 0 ? READ_METRIC : READ_ITEM, L,
                                   where, at, out);
                        lua_pop(L, 1);
                    }
                }
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    /* standards and shares: { [key] = ... } */
    static const char *const by_key[] = {"standards", "shares",
                                         "national_averages"};
    for (int f = 0; f < 3; f++) {
        if (rawfield(L, c, by_key[f]) == LUA_TTABLE) {
            int t = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, t)) {
                check_read(r, f == 1 ? READ_ITEM : READ_STANDARD, L, where,
                           by_key[f], out);
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
}

/* ---- running a case ------------------------------------------------------ */

/* Adds "rule.param=value" strings for the case's params into sets. */
static void case_params(lua_State *L, int c, er_buf *store, size_t *offs,
                        size_t *n, size_t max)
{
    if (rawfield(L, c, "params") == LUA_TTABLE) {
        int t = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, t)) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_istable(L, -1)) {
                const char *id = lua_tostring(L, -2);
                int p = lua_gettop(L);
                lua_pushnil(L);
                /* *n first: a pair lua_next pushed must be popped */
                while (*n < max && lua_next(L, p)) {
                    char v[64], kb[32];
                    const char *vs;
                    /* a key that is not a name reaches set_params as
                     * one, which reports it */
                    const char *k = key_text(L, -2, kb, sizeof kb);
                    if (lua_type(L, -1) == LUA_TBOOLEAN)
                        vs = lua_toboolean(L, -1) ? "true" : "false";
                    else if (lua_type(L, -1) == LUA_TNUMBER)
                        snprintf(v, sizeof v, "%.17g", lua_tonumber(L, -1)),
                            vs = v;
                    else
                        vs = lua_tostring(L, -1);
                    offs[(*n)++] = store->len;
                    er_buf_printf(store, "%s.%s=%s", id, k ? k : "?",
                                  vs ? vs : "");
                    er_buf_add(store, "", 1);
                    lua_pop(L, 1);
                }
            }
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

static int run_case(er_ruleset *rs, const bool *file_rules, int cases,
                    const er_test_opts *o, const char *where, er_buf *out)
{
    lua_State *L = rs->sb.L;
    int c = lua_gettop(L);
    static int serial;
    fixture fx;
    memset(&fx, 0, sizeof fx);
    er_buf_init(&fx.err);
    er_snapshot *snap = NULL;
    collected got = {0};
    bool *sel = calloc(rs->nrules + 1, sizeof *sel);
    er_buf sets_store;
    er_buf_init(&sets_store);
    reads rd;
    memset(&rd, 0, sizeof rd);
    for (int k = 0; k < READ_KINDS; k++) {
        er_strmap_init(&rd.read[k]);
        er_strmap_init(&rd.missed[k]);
    }
    int rc = ER_OK;

    int year = 0;
    if (rawfield(L, c, "year") == LUA_TNUMBER && lua_isinteger(L, -1))
        year = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (!year) {
        er_buf_puts(out, "the case needs a year (an integer)\n");
        goto done;
    }

    snprintf(fx.uri, sizeof fx.uri,
             "file:equirule_test_%d_%d?mode=memory&cache=shared", (int)getpid(),
             ++serial);
    if (sqlite3_open_v2(fx.uri, &fx.db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_URI,
                        NULL) != SQLITE_OK ||
        er_db_create_schema(fx.db) != ER_OK) {
        rc = er_fail(ER_ERROR, "cannot create an in-memory database: %s",
                     fx.db ? sqlite3_errmsg(fx.db) : "?");
        goto done;
    }
    sqlite3_exec(fx.db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    for (size_t i = 0; i < rs->nrules; i++)
        if (rs->rules[i].info.item)
            ensure_item(&fx, rs->rules[i].info.item);
    case_catalog(L, &fx, cases);
    build_case(L, &fx, year);
    if (fx.err.err) {
        out->err = fx.err.err; /* never a truncated message */
        goto done;
    }
    if (fx.err.len) {
        er_buf_printf(out, "%s\n", fx.err.data);
        goto done;
    }
    if ((rc = er_snapshot_load(fx.db, &snap)) != ER_OK) {
        if (rc == ER_EDATA) { /* the case's data: the case fails */
            er_buf_printf(out, "%s\n", er_errmsg());
            rc = ER_OK;
        }
        goto done;
    }

    /* which rules: the case's `rules`, else the file's; and their needs */
    if (!sel) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if (rawfield(L, c, "rules") == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            int32_t r = lua_type(L, -1) == LUA_TSTRING
                            ? er_ruleset_find(rs, lua_tostring(L, -1))
                            : -1;
            if (r < 0)
                er_buf_printf(out, "rules[%d]: no loaded rule '%s'\n", (int)i,
                              lua_type(L, -1) == LUA_TSTRING
                                  ? lua_tostring(L, -1)
                                  : "?");
            else
                sel[r] = true;
            lua_pop(L, 1);
        }
    } else {
        for (size_t i = 0; i < rs->nrules; i++)
            sel[i] = file_rules[i];
    }
    lua_pop(L, 1);
    if (out->len)
        goto done;
    for (size_t i = rs->nrules; i-- > 0;)
        if (sel[i])
            for (int32_t k = 0; k < rs->rules[i].nneeds; k++)
                sel[rs->rules[i].needs[k]] = true;

    size_t offs[128], nsets = 0;
    for (size_t i = 0; o->sets && o->sets[i] && nsets < 64; i++) {
        offs[nsets++] = sets_store.len;
        er_buf_puts(&sets_store, o->sets[i]);
        er_buf_add(&sets_store, "", 1);
    }
    case_params(L, c, &sets_store, offs, &nsets, 127);
    const char *sets[129];
    for (size_t i = 0; i < nsets; i++)
        sets[i] = sets_store.data + offs[i];
    sets[nsets] = NULL;
    if (er_ruleset_set_params(rs, sets) != ER_OK) {
        er_buf_printf(out, "%s\n", er_errmsg());
        goto done;
    }

    /* an expectation of a rule the case does not run holds vacuously
     * (false) or fails for the wrong reason (none): say so */
    if (rawfield(L, c, "expect") == LUA_TTABLE) {
        int ex = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, ex)) {
            int32_t r = lua_type(L, -2) == LUA_TSTRING
                            ? er_ruleset_find(rs, lua_tostring(L, -2))
                            : -1;
            if (r >= 0 && !sel[r])
                er_buf_printf(out, "%s: expect[%s]: the case does not run "
                                   "this rule: it is not a rule of the file "
                                   "under test, nor in the case's rules, "
                                   "nor needed by them\n",
                              where, lua_tostring(L, -2));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (out->len)
        goto done;
    er_selection selection = {.year_from = year, .year_to = year,
                              .rules = sel, .region = -1};
    er_trace_hook hook = {on_read, &rd};
    rs->trace = &hook;
    rc = er_engine_evaluate(rs, snap, fx.uri, &selection, er_tools_collect,
                            &got, NULL);
    rs->trace = NULL;
    if (rc != ER_OK)
        goto done;
    if (rd.oom) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    check_unread(&rd, L, c, where, out);
    if (rawfield(L, c, "expect") != LUA_TTABLE)
        er_buf_puts(out, "the case needs an expect table\n");
    else
        compare(L, rs, snap, &got, year, out);
    lua_pop(L, 1);
done:
    for (int k = 0; k < READ_KINDS; k++) {
        er_strmap_free(&rd.read[k]);
        er_strmap_free(&rd.missed[k]);
    }
    er_ruleset_set_params(rs, NULL);
    lua_settop(L, c);
    free(sel);
    er_tools_collected_free(&got);
    er_snapshot_free(snap);
    sqlite3_close(fx.db);
    er_buf_free(&fx.err);
    er_buf_free(&sets_store);
    return rc;
}

/* ---- files --------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

typedef struct strlist {
    char **v;
    size_t n;
} strlist;

static int strlist_add(strlist *l, const char *s)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return er_fail(ER_ENOMEM, "out of memory");
    l->v = v;
    if (!(l->v[l->n] = er_strdup(s)))
        return er_fail(ER_ENOMEM, "out of memory");
    l->n++;
    return ER_OK;
}

/* Whether `dir` is a rules folder: it holds no rule file itself, and one
 * of its folders does (a department folder). */
static bool is_rules_folder(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool lua_here = false, dept = false;
    struct dirent *e;
    while (!lua_here && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char full[PATH_MAX + 256];
        struct stat st;
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".lua")) {
            lua_here = true;
        } else if (S_ISDIR(st.st_mode) && !dept) {
            DIR *sub = opendir(full);
            struct dirent *f;
            while (sub && !dept && (f = readdir(sub)))
                dept = f->d_name[0] != '.' && ends_with(f->d_name, ".lua");
            if (sub)
                closedir(sub);
        }
    }
    closedir(d);
    return dept && !lua_here;
}

/* The nearest rules folder (is_rules_folder) that holds `path` or is it,
 * walking up the path as written, then up its real path: into out. */
static bool find_rules_folder(const char *path, char *out, size_t size)
{
    char p[PATH_MAX];
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0)
            snprintf(p, sizeof p, "%s", path);
        else if (!realpath(path, p))
            return false;
        size_t n = strlen(p);
        while (n > 1 && p[n - 1] == '/')
            p[--n] = '\0';
        for (;;) {
            if (is_rules_folder(p)) {
                snprintf(out, size, "%s", p);
                return true;
            }
            char *slash = strrchr(p, '/');
            if (!slash || (slash == p && p[1] == '\0'))
                break;
            if (slash == p)
                p[1] = '\0'; /* up to the root */
            else
                *slash = '\0';
        }
    }
    return false;
}

/* The rules folder when --rules is not given: the one that holds the
 * paths (all the same one), else `rules` of the current folder. */
static int rules_folder_of(const char *const *paths, char *out, size_t size)
{
    snprintf(out, size, "rules");
    const char *first = NULL;
    char first_real[PATH_MAX];
    for (size_t i = 0; paths && paths[i]; i++) {
        char dir[PATH_MAX], real[PATH_MAX];
        if (!find_rules_folder(paths[i], dir, sizeof dir)) {
            struct stat st;
            if (stat("rules", &st) == 0 && S_ISDIR(st.st_mode))
                continue; /* tests kept apart, run against ./rules */
            return er_fail(ER_ENOTFOUND,
                           "%s: in no rules folder (a folder of department "
                           "folders of rule files), and there is no rules "
                           "folder here: name it with --rules",
                           paths[i]);
        }
        if (!realpath(dir, real))
            snprintf(real, sizeof real, "%s", dir);
        if (!first) {
            first = paths[i];
            snprintf(first_real, sizeof first_real, "%s", real);
            snprintf(out, size, "%s", dir);
        } else if (strcmp(real, first_real) != 0) {
            return er_fail(ER_EUSAGE,
                           "%s and %s are in different rules folders (%s, "
                           "%s): test one rules folder at a time, or name "
                           "it with --rules",
                           first, paths[i], out, dir);
        }
    }
    return ER_OK;
}

static int find_tests(const char *path, strlist *out)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return er_fail(ER_ENOTFOUND, "%s: no such file or folder", path);
    if (S_ISREG(st.st_mode)) {
        if (ends_with(path, "_test.lua"))
            return strlist_add(out, path);
        if (!ends_with(path, ".lua"))
            return er_fail(ER_ENOTFOUND,
                           "%s: not a test file (test files are named "
                           "<name>_test.lua)",
                           path);
        /* a rule file: its test file beside it */
        char test[PATH_MAX + 16];
        snprintf(test, sizeof test, "%.*s_test.lua",
                 (int)(strlen(path) - strlen(".lua")), path);
        if (stat(test, &st) != 0 || !S_ISREG(st.st_mode))
            return er_fail(ER_ENOTFOUND,
                           "%s is a rule file, not a test file, and there is "
                           "no %s beside it: its cases go in that file",
                           path, test);
        return strlist_add(out, test);
    }
    DIR *d = opendir(path);
    if (!d)
        return er_fail(ER_ERROR, "%s: cannot read the folder", path);
    int rc = ER_OK;
    struct dirent *e;
    strlist local = {0};
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            strlist_add(&local, e->d_name);
    closedir(d);
    for (size_t i = 1; i < local.n; i++) /* sort names */
        for (size_t j = i; j > 0 && strcmp(local.v[j - 1], local.v[j]) > 0;
             j--) {
            char *t = local.v[j];
            local.v[j] = local.v[j - 1];
            local.v[j - 1] = t;
        }
    for (size_t i = 0; i < local.n && rc == ER_OK; i++) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", path, local.v[i]);
        if (lstat(full, &st) != 0)
            continue;
        /* links inside a folder are not followed, as in the rule loader:
         * they could lead outside it or loop */
        if (S_ISLNK(st.st_mode)) {
            bool to_file = stat(full, &st) == 0 && S_ISREG(st.st_mode);
            if (ends_with(local.v[i], "_test.lua") || !to_file)
                rc = er_fail(ER_ERULE,
                             "%s: a symbolic link, not followed: links in a "
                             "rules folder are not read (copy the file or "
                             "folder in instead)",
                             full);
            continue;
        }
        if (S_ISDIR(st.st_mode))
            rc = find_tests(full, out);
        else if (ends_with(local.v[i], "_test.lua"))
            rc = strlist_add(out, full);
    }
    for (size_t i = 0; i < local.n; i++)
        free(local.v[i]);
    free(local.v);
    return rc;
}

/* The rule file a test file tests (x_test.lua tests x.lua): its index in
 * rs->files, or -1 when the rules folder has no such file. */
static int32_t tested_file(const er_ruleset *rs, const char *test_path)
{
    char target[PATH_MAX + 16], want[PATH_MAX + 8];
    snprintf(want, sizeof want, "%.*s.lua",
             (int)(strlen(test_path) - strlen("_test.lua")), test_path);
    if (!realpath(want, target))
        return -1;
    for (size_t i = 0; i < rs->nfiles; i++) {
        char full[PATH_MAX], real[PATH_MAX];
        snprintf(full, sizeof full, "%s/%s", rs->dir, rs->files[i].path);
        if (!rs->files[i].module && realpath(full, real) &&
            strcmp(real, target) == 0)
            return (int32_t)i;
    }
    return -1;
}

/* Marks the rules defined in the file `tested` (tested_file); returns how
 * many. */
static size_t mark_file_rules(const er_ruleset *rs, int32_t tested, bool *out)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        out[i] = tested >= 0 && rs->rules[i].file == tested;
        n += out[i];
    }
    return n;
}

/* Whether the diagnostic `d` is about the rule file `f` ("FILE: ..." or
 * "FILE:LINE: ..."). */
static bool diag_of(const char *d, const er_rule_file *f)
{
    size_t n = strlen(f->display);
    if (strncmp(d, f->display, n) == 0 && d[n] == ':')
        return true;
    /* Lua shortens a long file name to "..." and its end (LUA_IDSIZE) */
    if (strncmp(d, "...", 3) != 0)
        return false;
    const char *end = strstr(d + 3, ".lua:");
    if (!end)
        return false;
    size_t m = (size_t)(end + 4 - (d + 3));
    return m <= n && strncmp(f->display + n - m, d + 3, m) == 0;
}

/* ---- reports ------------------------------------------------------------- */

typedef struct case_result {
    char *name;
    char *failure; /* NULL when the case passed */
    double seconds;
} case_result;

typedef struct file_result {
    char *path;
    char *error; /* the file could not be run (load error), or NULL */
    case_result *cases;
    size_t ncases;
    long failures;
    double seconds;
} file_result;

typedef struct results {
    file_result *files;
    size_t n;
} results;

static void results_free(results *r)
{
    for (size_t i = 0; i < r->n; i++) {
        file_result *f = &r->files[i];
        for (size_t k = 0; k < f->ncases; k++) {
            free(f->cases[k].name);
            free(f->cases[k].failure);
        }
        free(f->cases);
        free(f->path);
        free(f->error);
    }
    free(r->files);
}

static file_result *results_add_file(results *r, const char *path)
{
    file_result *p = realloc(r->files, (r->n + 1) * sizeof *p);
    if (!p)
        return NULL;
    r->files = p;
    file_result *f = &r->files[r->n];
    memset(f, 0, sizeof *f);
    if (!(f->path = er_strdup(path)))
        return NULL;
    r->n++;
    return f;
}

static int results_add_case(file_result *f, const char *name,
                            const char *failure, double seconds)
{
    case_result *p = realloc(f->cases, (f->ncases + 1) * sizeof *p);
    if (!p)
        return er_fail(ER_ENOMEM, "out of memory");
    f->cases = p;
    case_result *c = &f->cases[f->ncases++];
    c->name = er_strdup(name);
    c->failure = failure ? er_strdup(failure) : NULL;
    c->seconds = seconds;
    if (failure)
        f->failures++;
    if (!c->name || (failure && !c->failure))
        return er_fail(ER_ENOMEM, "out of memory");
    return ER_OK;
}

/* The first line of `text`, for a failure's message attribute. */
static void first_line(er_buf *b, const char *text)
{
    const char *nl = strchr(text, '\n');
    char *line = nl ? strndup(text, (size_t)(nl - text)) : er_strdup(text);
    er_text_add(b, ER_TEXT_HTML, line ? line : "");
    free(line);
}

/* JUnit XML as Jenkins, GitLab and GitHub read it: a testsuite per test
 * file, a testcase per case, a failure per failed case, an error for a
 * file that could not be run. */
static int write_junit(const results *r, const char *path)
{
    long tests = 0, failures = 0, errors = 0;
    double seconds = 0;
    for (size_t i = 0; i < r->n; i++) {
        tests += (long)r->files[i].ncases + (r->files[i].error ? 1 : 0);
        failures += r->files[i].failures;
        errors += r->files[i].error ? 1 : 0;
        seconds += r->files[i].seconds;
    }
    er_buf b;
    er_buf_init(&b);
    er_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testsuites name=\"equirule\" tests=\"%ld\" "
                      "failures=\"%ld\" errors=\"%ld\" time=\"%.3f\">\n",
                  tests, failures, errors, seconds);
    for (size_t i = 0; i < r->n; i++) {
        const file_result *f = &r->files[i];
        er_buf_puts(&b, "  <testsuite name=\"");
        er_text_add(&b, ER_TEXT_HTML, f->path);
        er_buf_printf(&b, "\" tests=\"%ld\" failures=\"%ld\" errors=\"%d\" "
                          "time=\"%.3f\">\n",
                      (long)f->ncases + (f->error ? 1 : 0), f->failures,
                      f->error ? 1 : 0, f->seconds);
        if (f->error) {
            er_buf_puts(&b, "    <testcase classname=\"");
            er_text_add(&b, ER_TEXT_HTML, f->path);
            er_buf_puts(&b, "\" name=\"(load)\" time=\"0.000\">\n"
                            "      <error message=\"");
            first_line(&b, f->error);
            er_buf_puts(&b, "\">");
            er_text_add(&b, ER_TEXT_HTML, f->error);
            er_buf_puts(&b, "</error>\n    </testcase>\n");
        }
        for (size_t k = 0; k < f->ncases; k++) {
            const case_result *c = &f->cases[k];
            er_buf_puts(&b, "    <testcase classname=\"");
            er_text_add(&b, ER_TEXT_HTML, f->path);
            er_buf_puts(&b, "\" name=\"");
            er_text_add(&b, ER_TEXT_HTML, c->name);
            er_buf_printf(&b, "\" time=\"%.3f\"", c->seconds);
            if (!c->failure) {
                er_buf_puts(&b, "/>\n");
                continue;
            }
            er_buf_puts(&b, ">\n      <failure message=\"");
            first_line(&b, c->failure);
            er_buf_puts(&b, "\">");
            er_text_add(&b, ER_TEXT_HTML, c->failure);
            er_buf_puts(&b, "</failure>\n    </testcase>\n");
        }
        er_buf_puts(&b, "  </testsuite>\n");
    }
    er_buf_puts(&b, "</testsuites>\n");
    int rc = er_tools_write_file(path, &b);
    er_buf_free(&b);
    return rc;
}

/* Which rule files the coverage reports list: every file when no path was
 * given; else those under a folder given, those a given test file tests,
 * and those a case ran. */
static bool *coverage_scope(const er_ruleset *rs, const er_coverage *cov,
                            const char *const *paths)
{
    bool *scope = calloc(rs->nfiles + 1, sizeof *scope);
    if (!scope)
        return NULL;
    for (size_t i = 0; i < rs->nfiles; i++) {
        if (!paths || !paths[0] || er_coverage_touched(cov, i)) {
            scope[i] = true;
            continue;
        }
        char full[PATH_MAX + 8], real[PATH_MAX];
        snprintf(full, sizeof full, "%s/%s", rs->dir, rs->files[i].path);
        if (!realpath(full, real))
            continue;
        for (size_t p = 0; paths[p] && !scope[i]; p++) {
            char given[PATH_MAX], target[PATH_MAX + 8];
            if (!realpath(paths[p], given))
                continue;
            size_t n = strlen(given);
            if (strncmp(real, given, n) == 0 && real[n] == '/') {
                scope[i] = true;
            } else if (ends_with(given, "_test.lua")) {
                snprintf(target, sizeof target, "%.*s.lua",
                         (int)(n - strlen("_test.lua")), given);
                scope[i] = strcmp(target, real) == 0;
            }
        }
    }
    return scope;
}

/* ---- test-support modules ------------------------------------------------ */

/* require(name) in a test file: a test-support module of scripts/testlib
 * (the folder beside the rules folder when it has the file, else the copy
 * built in), or else what a rule's require finds (scripts/lib). Rule files
 * cannot reach scripts/testlib: its fixtures are made-up data, and a rule
 * reads its regions from the view. A module runs in a fresh environment
 * with a rule's require. Upvalues: 1 the rule require, 2 the module cache,
 * 3 the rules folder. */
static int l_testrun_require(lua_State *L) /* [-0, +1, e] */
{
    const char *name = luaL_checkstring(L, 1);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '_'))
            return luaL_error(L, "require: bad module name '%s'", name);
    lua_settop(L, 1);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1); /* the name stays at 1 */
    char path[4200], chunk[4300];
    struct stat st;
    int status;
    snprintf(path, sizeof path, "%s/../scripts/testlib/%s.lua",
             lua_tostring(L, lua_upvalueindex(3)), name);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        char *src = NULL;
        size_t len = 0;
        if (er_read_file(path, &src, &len) != ER_OK)
            return luaL_error(L, "require: %s", er_errmsg());
        snprintf(chunk, sizeof chunk, "@%s", path);
        status = luaL_loadbufferx(L, src, len, chunk, "t");
        free(src);
    } else {
        snprintf(path, sizeof path, "testlib/%s.lua", name);
        const er_embedded *f = er_embedded_find(path);
        if (!f) { /* not a test-support module: a helper module, or none */
            lua_pushvalue(L, lua_upvalueindex(1));
            lua_pushvalue(L, 1);
            lua_call(L, 1, 1);
            return 1;
        }
        snprintf(chunk, sizeof chunk, "@scripts/%s", path);
        status = luaL_loadbufferx(L, f->data, f->len, chunk, "t");
    }
    if (status != LUA_OK)
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
    lua_rawset(L, lua_upvalueindex(2));
    return 1;
}

/* Pushes the environment of a test file: a rule file's, whose require also
 * finds the test-support modules (l_testrun_require). */
static void push_test_env(lua_State *L, const char *rules_dir)
{
    er_sandbox_push_env(L);
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index"); /* the globals behind the proxy */
    lua_getfield(L, -1, "require");
    lua_newtable(L);
    lua_pushstring(L, rules_dir);
    lua_pushcclosure(L, l_testrun_require, 3);
    lua_setfield(L, -2, "require");
    lua_pop(L, 2);
}

/* ---- the run ------------------------------------------------------------- */

/* Loads a test file in a fresh environment (push_test_env); leaves its list
 * of cases on the stack, or writes the reason into err and leaves nothing. */
static bool load_test_file(er_ruleset *rs, const char *path, char *err,
                           size_t errsize)
{
    lua_State *L = rs->sb.L;
    int base = lua_gettop(L);
    char *src = NULL;
    size_t len = 0;
    char chunk[4200];
    if (er_read_file(path, &src, &len) != ER_OK) {
        snprintf(err, errsize, "%s", er_errmsg());
        return false;
    }
    snprintf(chunk, sizeof chunk, "@%s", path);
    er_sandbox_doing(&rs->sb, -1, "loading %s", path);
    er_sandbox_arm(&rs->sb);
    int status = luaL_loadbufferx(L, src, len, chunk, "t");
    if (status == LUA_OK) {
        push_test_env(L, rs->dir);
        lua_setupvalue(L, -2, 1);
        status = lua_pcall(L, 0, 1, 0);
    }
    int trip = er_sandbox_disarm(&rs->sb);
    free(src);
    if (status == LUA_OK && !trip && lua_type(L, -1) == LUA_TTABLE)
        return true;
    if (trip) {
        er_sandbox_trip_message(&rs->sb, trip, err, errsize);
    } else if (status != LUA_OK) {
        er_lua_errtext(L, -1, err, errsize);
        /* error(nil), error({}) and error(msg, 0) carry no position */
        if (strncmp(err, path, strlen(path)) != 0) {
            char text[1024];
            snprintf(text, sizeof text, "%s", err);
            int n = snprintf(err, errsize, "%s: ", path);
            if (n >= 0 && (size_t)n < errsize)
                snprintf(err + n, errsize - (size_t)n, "%s", text);
        }
    } else {
        snprintf(err, errsize, "%s: the file must return a list of cases",
                 path);
    }
    lua_settop(L, base);
    return false;
}

/* Reports a test file that could not run: "FAIL path" and the reason,
 * counted as one failure and recorded as the file's error. */
static int file_failed(const char *path, const char *err, er_test_stats *s,
                       file_result *fr, FILE *fp)
{
    fputs("FAIL ", fp);
    er_term_put(fp, path);
    fputc('\n', fp);
    for (const char *line = err; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char *one = strndup(line, len);
        fputs("     ", fp);
        er_text_put(fp, ER_TEXT_LINES, one ? one : "");
        fputc('\n', fp);
        free(one);
        line += len + (nl ? 1 : 0);
    }
    s->failed++;
    fr->error = er_strdup(err);
    return fr->error ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

/* The rule file under test did not load (a syntax error, a broken
 * contract): its diagnostics, one a line, into b. Whether there were. */
static bool rule_file_broken(const er_ruleset *rs, int32_t tested, er_buf *b)
{
    if (tested < 0)
        return false;
    const er_rule_file *f = &rs->files[tested];
    bool any = false;
    for (size_t i = 0; i < rs->ndiags; i++) {
        if (!diag_of(rs->diags[i], f))
            continue;
        if (!any)
            er_buf_printf(b, "the rule file under test, %s, failed to load; "
                             "its cases did not run:",
                          f->display);
        er_buf_printf(b, "\n%s", rs->diags[i]);
        any = true;
    }
    return any;
}

/* The list of cases at `t` is a list of tables: else the reason in err. */
static bool check_case_list(lua_State *L, int t, const char *path, char *err,
                            size_t size)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, t);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        char kb[32];
        const char *key = key_text(L, -2, kb, sizeof kb);
        if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
            lua_tointeger(L, -2) > n) {
            bool case_key = false; /* one case: it has a case's key */
            for (size_t i = 0; i < NKEYS(case_keys) && !case_key; i++) {
                case_key = rawfield(L, t, case_keys[i]) != LUA_TNIL;
                lua_pop(L, 1);
            }
            if (n == 0 && case_key)
                snprintf(err, size,
                         "%s: the file returns one case, not a list of "
                         "cases: return { { name = ..., ... }, ... }",
                         path);
            else
                snprintf(err, size,
                         "%s: the list of cases has the key '%s': a test "
                         "file returns a list of cases, { { name = ..., "
                         "... }, ... }",
                         path, key ? key : "?");
            lua_pop(L, 2);
            return false;
        }
        if (!lua_istable(L, -1)) {
            snprintf(err, size, "%s: case %s is a %s, not a table { name = "
                                "..., ... }",
                     path, key, luaL_typename(L, -1));
            lua_pop(L, 2);
            return false;
        }
        lua_pop(L, 1);
    }
    for (lua_Integer i = 1; i <= n; i++) { /* a hole: { c1, nil, c3 } */
        int type = lua_rawgeti(L, t, i);
        lua_pop(L, 1);
        if (type != LUA_TTABLE) {
            snprintf(err, size, "%s: case %d is nil, not a table { name = "
                                "..., ... }",
                     path, (int)i);
            return false;
        }
    }
    if (n == 0) {
        snprintf(err, size, "%s: the file has no cases: a test file returns "
                            "a list of cases, { { name = ..., year = ..., "
                            "regions = ..., expect = ... }, ... }",
                 path);
        return false;
    }
    return true;
}

/* Runs the cases of one test file; records them in fr and the console
 * report. Returns non-OK only when a case could not be run at all. */
static int run_file(er_ruleset *rs, const char *path, const bool *file_rules,
                    size_t nrules, int32_t tested, const er_test_opts *o,
                    er_test_stats *s, file_result *fr, FILE *fp)
{
    lua_State *L = rs->sb.L;
    int base = lua_gettop(L);
    char err[1024];
    double started = er_monotonic();
    long before_fail = s->failed, before_cases = s->cases;
    int rc = ER_OK;
    er_buf broken;
    er_buf_init(&broken);
    if (rule_file_broken(rs, tested, &broken)) {
        rc = er_buf_status(&broken);
        if (rc == ER_OK)
            rc = file_failed(path, broken.data, s, fr, fp);
        er_buf_free(&broken);
        return rc;
    }
    er_buf_free(&broken);
    if (!load_test_file(rs, path, err, sizeof err))
        return file_failed(path, err, s, fr, fp);
    int cases = lua_gettop(L);
    if (!check_case_list(L, cases, path, err, sizeof err)) {
        lua_settop(L, base);
        return file_failed(path, err, s, fr, fp);
    }
    char rule_file[PATH_MAX + 8];
    snprintf(rule_file, sizeof rule_file, "%.*s.lua",
             (int)(strlen(path) - strlen("_test.lua")), path);
    lua_Integer n = (lua_Integer)lua_rawlen(L, cases);
    er_buf report;
    er_buf_init(&report);
    for (lua_Integer i = 1; i <= n && rc == ER_OK; i++) {
        char name[256];
        lua_rawgeti(L, cases, i); /* a table: check_case_list */
        const char *nm = opt_str(L, lua_gettop(L), "name");
        snprintf(name, sizeof name, "%s", nm ? nm : "(unnamed)");
        if (o->filter && !strstr(name, o->filter)) {
            lua_pop(L, 1);
            continue;
        }
        s->cases++;
        er_buf out;
        er_buf_init(&out);
        double t0 = er_monotonic();
        char where[PATH_MAX + 64];
        snprintf(where, sizeof where, "%s: case %d", path, (int)i);
        rc = check_case(rs, nrules, tested, rule_file, where, &out);
        if (rc == ER_OK && !out.len)
            rc = run_case(rs, file_rules, cases, o, where, &out);
        if (rc == ER_OK)
            rc = er_buf_status(&out);
        double seconds = er_monotonic() - t0;
        if (rc == ER_OK && out.len) {
            s->failed++;
            er_buf_printf(&report, "  FAIL %s\n", name);
            rc = results_add_case(fr, name, out.data, seconds);
            for (char *line = strtok(out.data, "\n"); line;
                 line = strtok(NULL, "\n"))
                er_buf_printf(&report, "       %s\n", line);
        } else if (rc == ER_OK) {
            s->passed++;
            rc = results_add_case(fr, name, NULL, seconds);
            if (o->verbose)
                er_buf_printf(&report, "  ok   %s\n", name);
        }
        er_buf_free(&out);
        lua_pop(L, 1);
    }
    lua_settop(L, base);
    fr->seconds = er_monotonic() - started;
    /* with --filter, a file none of whose cases match is not listed */
    bool listed = !o->filter || s->cases > before_cases;
    if (rc == ER_OK)
        rc = er_buf_status(&report);
    if (rc == ER_OK && listed) {
        bool failed = s->failed > before_fail;
        fprintf(fp, "%s ", failed ? "FAIL" : "ok  ");
        er_term_put(fp, path);
        fprintf(fp, " (%ld case%s)\n", s->cases - before_cases,
                s->cases - before_cases == 1 ? "" : "s");
        if (report.len && (failed || o->verbose))
            er_text_put(fp, ER_TEXT_LINES, report.data); /* rule text */
    }
    er_buf_free(&report);
    return rc;
}

/* ---- each test file in a supervised child ---------------------------------- */

typedef struct file_job {
    er_ruleset *rs;
    const char *path;
    const bool *file_rules;
    size_t nrules;
    int32_t tested; /* the rule file under test (tested_file), or -1 */
    const er_test_opts *o;
    er_coverage *cov;
} file_job;

static void put_u64(er_buf *b, uint64_t v)
{
    er_buf_add(b, &v, sizeof v);
}

static void put_str(er_buf *b, const char *s)
{
    put_u64(b, s ? strlen(s) + 1 : 0); /* 0: NULL */
    if (s)
        er_buf_add(b, s, strlen(s));
}

typedef struct reader {
    const char *p;
    size_t len, off;
    bool bad;
} reader;

static uint64_t get_u64(reader *r)
{
    uint64_t v = 0;
    if (r->off + sizeof v > r->len) {
        r->bad = true;
        return 0;
    }
    memcpy(&v, r->p + r->off, sizeof v);
    r->off += sizeof v;
    return v;
}

/* A string put_str wrote, owned by the caller; NULL for NULL. */
static char *get_str(reader *r)
{
    uint64_t n = get_u64(r);
    if (n == 0 || r->bad)
        return NULL;
    if (r->off + (n - 1) > r->len) {
        r->bad = true;
        return NULL;
    }
    char *s = strndup(r->p + r->off, (size_t)(n - 1));
    r->off += (size_t)(n - 1);
    if (!s)
        r->bad = true;
    return s;
}

/* In a supervised child: runs the cases of one file and sends back what
 * the supervisor reports: the console text, the counts, the cases and the
 * lines they ran. */
static int file_child(void *ctx, er_child *child)
{
    file_job *j = ctx;
    char *text = NULL;
    size_t text_len = 0;
    FILE *out = open_memstream(&text, &text_len);
    if (!out)
        return er_fail(ER_ENOMEM, "out of memory");
    er_test_stats s = {0};
    file_result fr;
    memset(&fr, 0, sizeof fr);
    if (j->cov)
        er_coverage_clear_hits(j->cov);
    int rc = run_file(j->rs, j->path, j->file_rules, j->nrules, j->tested,
                      j->o, &s, &fr, out);
    fclose(out);
    er_buf b;
    er_buf_init(&b);
    if (rc == ER_OK) {
        put_str(&b, text);
        put_u64(&b, (uint64_t)s.cases);
        put_u64(&b, (uint64_t)s.passed);
        put_u64(&b, (uint64_t)s.failed);
        put_str(&b, fr.error);
        put_u64(&b, (uint64_t)fr.failures);
        er_buf_add(&b, &fr.seconds, sizeof fr.seconds);
        put_u64(&b, fr.ncases);
        for (size_t k = 0; k < fr.ncases; k++) {
            put_str(&b, fr.cases[k].name);
            put_str(&b, fr.cases[k].failure);
            er_buf_add(&b, &fr.cases[k].seconds, sizeof fr.cases[k].seconds);
        }
        er_buf cov;
        er_buf_init(&cov);
        if (j->cov)
            rc = er_coverage_pack_hits(j->cov, &cov);
        put_u64(&b, cov.len);
        if (cov.len)
            er_buf_add(&b, cov.data, cov.len);
        er_buf_free(&cov);
        if (rc == ER_OK)
            rc = b.data ? er_child_send(child, b.data, b.len)
                        : er_fail(ER_ENOMEM, "out of memory");
    }
    er_buf_free(&b);
    free(text);
    return rc;
}

/* Runs one test file's cases in a supervised child: a case whose rule
 * code hangs in C code (which the instruction limit cannot stop) or
 * crashes fails the file with an error naming the rule and region, and
 * the other files run. */
static int run_file_supervised(file_job *j, er_test_stats *s, file_result *fr,
                               FILE *fp)
{
    er_buf got;
    er_buf_init(&got);
    er_stopped st;
    int rc = er_supervise(file_child, j, &j->rs->sb, &got, &st);
    if (rc != ER_OK) {
        er_buf_free(&got);
        if (!st.stopped)
            return rc;
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", er_errmsg());
        fprintf(fp, "FAIL %s\n     %s\n", j->path, msg);
        s->failed++;
        fr->error = er_strdup(msg);
        return fr->error ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
    }
    reader r = {got.data, got.len, 0, false};
    char *text = get_str(&r);
    if (text)
        fputs(text, fp);
    free(text);
    s->cases += (long)get_u64(&r);
    s->passed += (long)get_u64(&r);
    s->failed += (long)get_u64(&r);
    fr->error = get_str(&r);
    fr->failures = (long)get_u64(&r);
    if (r.off + sizeof fr->seconds <= r.len)
        memcpy(&fr->seconds, r.p + r.off, sizeof fr->seconds);
    r.off += sizeof fr->seconds;
    uint64_t n = get_u64(&r);
    for (uint64_t k = 0; k < n && !r.bad && rc == ER_OK; k++) {
        char *name = get_str(&r), *failure = get_str(&r);
        double seconds = 0;
        if (r.off + sizeof seconds <= r.len)
            memcpy(&seconds, r.p + r.off, sizeof seconds);
        r.off += sizeof seconds;
        rc = results_add_case(fr, name ? name : "", failure, seconds);
        free(name);
        free(failure);
    }
    fr->failures = 0; /* counted again by results_add_case */
    for (size_t k = 0; k < fr->ncases; k++)
        fr->failures += fr->cases[k].failure != NULL;
    uint64_t cov_len = get_u64(&r);
    if (j->cov && !r.bad && r.off + cov_len <= r.len)
        er_coverage_add_hits(j->cov, r.p + r.off, (size_t)cov_len);
    er_buf_free(&got);
    if (rc == ER_OK && r.bad)
        rc = er_fail(ER_ERROR, "%s: the results of its cases were cut short",
                     j->path);
    return rc;
}

int er_test_run(const char *const *paths, const er_test_opts *opts, FILE *fp,
                er_test_stats *stats)
{
    static const er_test_opts defaults = {.rules_dir = NULL};
    const er_test_opts *o = opts ? opts : &defaults;
    er_test_stats local = {0};
    er_test_stats *s = stats ? stats : &local;
    memset(s, 0, sizeof *s);
    er_ruleset *rs = NULL;
    er_coverage *cov = NULL;
    strlist files = {0};
    bool *file_rules = NULL, *scope = NULL;
    int32_t *tested = NULL;
    results res = {0};
    bool measure = o->coverage || o->coverage_json || o->coverage_lcov;
    int rc;

    const char *dir = o->rules_dir;
    char found[PATH_MAX];
    if (!dir && (rc = rules_folder_of(paths, found, sizeof found)) != ER_OK)
        goto done;
    if (!dir)
        dir = found;
    if ((rc = er_ruleset_load_timeout(&rs, dir, o->timeout)) != ER_OK)
        goto done;
    const char *const all[] = {dir, NULL};
    const char *const *given = paths && paths[0] ? paths : all;
    for (size_t i = 0; given[i]; i++) {
        size_t before = files.n;
        if ((rc = find_tests(given[i], &files)) != ER_OK)
            goto done;
        if (files.n == before) {
            rc = er_fail(ER_ENOTFOUND, "%s: no test files (<name>_test.lua) "
                                       "in it",
                         given[i]);
            goto done;
        }
    }
    if (!(tested = calloc(files.n + 1, sizeof *tested))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t fi = 0; fi < files.n; fi++)
        tested[fi] = tested_file(rs, files.v[fi]);
    /* the problems of a rule file under test are told with its tests */
    for (size_t i = 0; i < er_ruleset_diag_count(rs); i++) {
        bool told = false;
        for (size_t fi = 0; fi < files.n && !told; fi++)
            told = tested[fi] >= 0 &&
                   diag_of(rs->diags[i], &rs->files[tested[fi]]);
        if (!told)
            fprintf(fp, "rule problem: %s\n", er_ruleset_diag(rs, i));
    }
    file_rules = calloc(rs->nrules + 1, sizeof *file_rules);
    if (!file_rules) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if (measure && (rc = er_coverage_start(&cov, rs)) != ER_OK)
        goto done;
    for (size_t fi = 0; fi < files.n; fi++) {
        s->files++;
        file_result *fr = results_add_file(&res, files.v[fi]);
        if (!fr) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        size_t nrules = mark_file_rules(rs, tested[fi], file_rules);
        file_job job = {rs, files.v[fi], file_rules, nrules, tested[fi], o,
                        cov};
        if ((rc = run_file_supervised(&job, s, fr, fp)) != ER_OK)
            goto done;
    }
    if (o->filter && s->cases == 0 && s->failed == 0) {
        rc = er_fail(ER_ENOTFOUND, "no case name contains '%s' (--filter): "
                                   "nothing was tested",
                     o->filter);
        goto done;
    }
    fprintf(fp, "\n%ld passed, %ld failed\n", s->passed, s->failed);
    if (cov) {
        if (!(scope = coverage_scope(rs, cov, paths))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        er_coverage_totals(cov, scope, &s->lines_run, &s->lines_runnable);
        if (o->coverage)
            er_coverage_print(cov, scope, fp);
        er_buf b;
        er_buf_init(&b);
        if (o->coverage_json) {
            er_coverage_json(cov, scope, &b);
            rc = er_tools_write_file(o->coverage_json, &b);
        }
        if (rc == ER_OK && o->coverage_lcov) {
            b.len = 0;
            er_coverage_lcov(cov, scope, &b);
            rc = er_tools_write_file(o->coverage_lcov, &b);
        }
        er_buf_free(&b);
        if (rc != ER_OK)
            goto done;
    }
    if (o->junit && (rc = write_junit(&res, o->junit)) != ER_OK)
        goto done;
    rc = ER_OK;
done:
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);
    free(file_rules);
    free(tested);
    free(scope);
    results_free(&res);
    er_coverage_free(cov);
    er_ruleset_free(rs);
    return rc;
}
