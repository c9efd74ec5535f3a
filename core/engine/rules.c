/*
 * rules.c - the rule loader: finds the rule files of a rules folder, compiles
 * each in its own sandboxed environment, validates every rule table against
 * the rule contract, resolves `needs` into stages, and keeps the per-run
 * params. A broken file or rule becomes a diagnostic and the others load;
 * each file loads first in a supervised child, so that one that hangs in
 * C code or crashes is dropped too. Symbolic links in the folder are not
 * followed. It does not evaluate rules: eval.c does.
 */
#include "engine.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

static const char *const kind_names[] = {"compliance", "cut", "allocation",
                                         "indicator", NULL};
static const char *const rule_fields[] = {
    "id",      "title",  "basis", "item",     "kind",   "level",
    "effective", "params", "needs", "report", "evaluate", NULL};

static int add_diag(er_ruleset *rs, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int add_diag(er_ruleset *rs, const char *fmt, ...)
{
    char **d = realloc(rs->diags, (rs->ndiags + 1) * sizeof *d);
    if (!d)
        return er_fail(ER_ENOMEM, "out of memory");
    rs->diags = d;
    er_buf b;
    er_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    er_text_add(&b, ER_TEXT_LINES, line); /* quotes rule text */
    rs->diags[rs->ndiags] = er_buf_detach(&b);
    if (!rs->diags[rs->ndiags])
        return er_fail(ER_ENOMEM, "out of memory");
    rs->ndiags++;
    return ER_OK;
}

/* ---- finding files -------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

typedef struct path_list {
    char **items;
    size_t n, cap;
} path_list;

static int list_add(path_list *l, const char *p)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return er_fail(ER_ENOMEM, "out of memory");
        l->items = items;
        l->cap = cap;
    }
    if (!(l->items[l->n] = er_strdup(p)))
        return er_fail(ER_ENOMEM, "out of memory");
    l->n++;
    return ER_OK;
}

static void list_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects paths (relative to root) of regular files under root/rel that
 * `want`, skipping hidden entries. Symbolic links inside root are not
 * followed: one that names a wanted file, or leads to a folder or nowhere,
 * becomes a diagnostic (so a link can neither bring in a file from outside
 * the folder nor loop). */
static int walk(er_ruleset *rs, const char *root, const char *rel, int depth,
                bool (*want)(const char *), path_list *out)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel) >=
        (int)sizeof path)
        return er_fail(ER_ERROR, "%s/%s: path too long", root, rel);
    DIR *d = opendir(path);
    if (!d)
        return er_fail(errno == ENOENT ? ER_ENOTFOUND : ER_ERROR,
                       "%s: %s", path, strerror(errno));
    int rc = ER_OK;
    struct dirent *e;
    while (rc == ER_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096], full[8200];
        struct stat st;
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "",
                     e->d_name) >= (int)sizeof sub ||
            snprintf(full, sizeof full, "%s/%s", root, sub) >=
                (int)sizeof full ||
            lstat(full, &st) != 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            bool to_file = stat(full, &st) == 0 && S_ISREG(st.st_mode);
            if (want(e->d_name) || !to_file)
                rc = add_diag(rs, "%s: a symbolic link, not followed: links "
                                  "in a rules folder are not read (copy the "
                                  "file or folder in instead)",
                              full);
        } else if (S_ISDIR(st.st_mode) && depth < 8) {
            rc = walk(rs, root, sub, depth + 1, want, out);
        } else if (S_ISREG(st.st_mode) && want(e->d_name)) {
            rc = list_add(out, sub);
        }
    }
    closedir(d);
    return rc;
}

static bool is_rule_file(const char *name)
{
    return ends_with(name, ".lua") && !ends_with(name, "_test.lua");
}

/* ---- validation ---------------------------------------------------------- */

static bool valid_id(const char *id)
{
    /* lowercase dotted words: [a-z][a-z0-9_]*(.[a-z0-9_]+)+ */
    if (!(*id >= 'a' && *id <= 'z'))
        return false;
    int dots = 0;
    char prev = 0;
    for (const char *p = id; *p; p++) {
        if (*p == '.') {
            if (prev == '.' || prev == 0)
                return false;
            dots++;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
                     *p == '_')) {
            return false;
        }
        prev = *p;
    }
    return dots > 0 && prev != '.';
}

static int option_index(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* Raw string field of the table at t; NULL when absent or not a string
 * (*type_out gets the Lua type). Pops nothing: the value stays pushed. */
static const char *raw_string(lua_State *L, int t, const char *name,
                              int *type_out)
{
    lua_pushstring(L, name);
    int type = lua_rawget(L, t);
    if (type_out)
        *type_out = type;
    return type == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
}

/* The levels a rule names, as the rules list and the run record show them:
 * comma-separated, from the province down (index: a set of ER_LEVEL_*
 * bits). */
static const char *const levels_texts[1 << ER_LEVEL_COUNT] = {
    "",       "province",        "city",        "province,city",
    "county", "province,county", "city,county", "province,city,county"};

const char *er_levels_text(unsigned levels)
{
    return levels < (1u << ER_LEVEL_COUNT) ? levels_texts[levels] : "";
}

/* Field `level` of the rule table at t: one level name, or a non-empty
 * list of them without repeats. Sets *out to their set of bits; ER_ERULE
 * (message left to the caller) when it is anything else. */
static int parse_levels(lua_State *L, int t, unsigned *out)
{
    int type;
    const char *one = raw_string(L, t, "level", &type);
    *out = 0;
    if (type == LUA_TSTRING) {
        int l = er_level_parse(one);
        lua_pop(L, 1);
        if (l < 0)
            return ER_ERULE;
        *out = 1u << l;
        return ER_OK;
    }
    if (type != LUA_TTABLE) {
        lua_pop(L, 1);
        return ER_ERULE;
    }
    int list = lua_gettop(L), rc = ER_OK;
    lua_Unsigned n = lua_rawlen(L, list), seen = 0;
    lua_pushnil(L);
    while (lua_next(L, list)) {
        seen++;
        int l = -1;
        if (lua_type(L, -2) == LUA_TNUMBER && lua_isinteger(L, -2) &&
            lua_tointeger(L, -2) >= 1 &&
            (lua_Unsigned)lua_tointeger(L, -2) <= n &&
            lua_type(L, -1) == LUA_TSTRING)
            l = er_level_parse(lua_tostring(L, -1));
        lua_pop(L, 1);
        if (l < 0 || (*out & (1u << l))) {
            lua_pop(L, 1); /* the key */
            rc = ER_ERULE;
            break;
        }
        *out |= 1u << l;
    }
    lua_pop(L, 1);
    if (rc == ER_OK && (n == 0 || seen != n))
        rc = ER_ERULE;
    return rc;
}

typedef struct rule_ctx {
    er_ruleset *rs;
    const er_rule_file *file;
    const char *department;
    char where[512]; /* "file:line: rule 'id'" */
} rule_ctx;

#define BAD(...)                                                           \
    do {                                                                   \
        char msg_[1024];                                                   \
        snprintf(msg_, sizeof msg_, __VA_ARGS__);                          \
        add_diag(cx->rs, "%s: %s", cx->where, msg_);                       \
        goto bad;                                                          \
    } while (0)

/* Whether line `p` (up to `end`) starts, after blanks, with the field
 * `name` assigned ("report =", not "reports" nor "report.x"). */
static bool line_assigns(const char *p, const char *end, const char *name)
{
    size_t n = strlen(name);
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if ((size_t)(end - p) <= n || memcmp(p, name, n) != 0)
        return false;
    p += n;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p < end && *p == '=' && (p + 1 == end || p[1] != '=');
}

/* The line of the `report` field of the rule whose `evaluate` starts at
 * line `eval_line` (0: unknown) and whose id is `id` (may be NULL), read
 * from the file's source: a table keeps no lines, so this looks for the
 * rule table by position: from the line that names the id (`id = "..."`),
 * or else from the evaluate line backwards to the rule's `id =` line, the
 * first `report =` line before the next rule's `id =`. 0 when not found. */
static int report_line(const er_rule_file *file, const char *id,
                       int eval_line)
{
    const char *src = file->source, *end = src ? src + file->len : NULL;
    if (!src)
        return 0;
    /* the lines' starts, counted as we go */
    int start = 0, line = 1;
    char quoted[220];
    const char *p;
    if (id && *id) {
        snprintf(quoted, sizeof quoted, "\"%s\"", id);
        for (p = src, line = 1; p < end; line++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *e = nl ? nl : end;
            if (line_assigns(p, e, "id")) {
                const char *q = memchr(p, '"', (size_t)(e - p));
                size_t qn = strlen(quoted);
                if (q && (size_t)(e - q) >= qn && memcmp(q, quoted, qn) == 0) {
                    start = line;
                    break;
                }
            }
            p = nl ? nl + 1 : end;
        }
    }
    if (!start && eval_line > 0) {
        /* backwards from evaluate to the rule's `id =` line */
        int last_id = 0;
        for (p = src, line = 1; p < end && line <= eval_line; line++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *e = nl ? nl : end;
            if (line_assigns(p, e, "id"))
                last_id = line;
            p = nl ? nl + 1 : end;
        }
        start = last_id ? last_id : 1;
    }
    if (!start)
        return 0;
    for (p = src, line = 1; p < end; line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (line > start && line_assigns(p, e, "id"))
            break; /* the next rule */
        if (line >= start && line_assigns(p, e, "report"))
            return line;
        p = nl ? nl + 1 : end;
    }
    return 0;
}

/* Validates the rule table at the top of the stack and appends it. */
static int validate_rule(lua_State *L, rule_ctx *cx, int index_in_file)
{
    int t = lua_gettop(L);
    er_rule r;
    memset(&r, 0, sizeof r);
    r.eval_ref = r.env_ref = r.params_ref = r.run_params_ref = LUA_NOREF;
    r.state_ref = LUA_NOREF;
    int type, line = 0;

    /* where: the evaluate function's line, the id when there is one */
    lua_pushliteral(L, "evaluate");
    if (lua_rawget(L, t) == LUA_TFUNCTION) {
        lua_Debug ar;
        lua_pushvalue(L, -1);
        if (lua_getinfo(L, ">S", &ar))
            line = ar.linedefined;
    }
    lua_pop(L, 1);
    const char *id = raw_string(L, t, "id", &type);
    char idbuf[200];
    snprintf(idbuf, sizeof idbuf, "%s", id ? id : "");
    lua_pop(L, 1);
    if (line > 0)
        snprintf(cx->where, sizeof cx->where, "%s:%d: rule %s%s%s",
                 cx->file->display, line, id ? "'" : "",
                 id ? idbuf : "", id ? "'" : "");
    else
        snprintf(cx->where, sizeof cx->where, "%s: rule %s%s%s",
                 cx->file->display, id ? "'" : "", id ? idbuf : "",
                 id ? "'" : "");
    if (!id) {
        char n[32];
        snprintf(n, sizeof n, "#%d", index_in_file);
        strncat(cx->where, n, sizeof cx->where - strlen(cx->where) - 1);
    }

    /* unknown fields first: they are usually typos */
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING ||
            option_index(rule_fields, lua_tostring(L, -1)) < 0) {
            char k[128];
            snprintf(k, sizeof k, "%s",
                     lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                    : luaL_typename(L, -1));
            lua_pop(L, 1);
            BAD("unknown field '%s' (fields: id, title, basis, item, kind, "
                "level, effective, params, needs, report, evaluate)",
                k);
        }
    }

    /* text with a NUL byte would be cut short where C reads it */
    for (size_t i = 0; rule_fields[i]; i++) {
        size_t len;
        const char *v = raw_string(L, t, rule_fields[i], NULL);
        if (v && strlen(lua_tolstring(L, -1, &len)) != len) {
            lua_pop(L, 1);
            BAD("field '%s' contains a NUL byte", rule_fields[i]);
        }
        lua_pop(L, 1);
    }

    if (!id)
        BAD("field 'id' must be a string");
    if (!valid_id(idbuf))
        BAD("id '%s' must be lowercase dotted words, like "
            "\"health.public_health_per_capita\"",
            idbuf);
    size_t dl = strlen(cx->department);
    if (strncmp(idbuf, cx->department, dl) != 0 || idbuf[dl] != '.')
        BAD("id '%s' must begin with '%s.', the department folder it is in",
            idbuf, cx->department);
    r.info.id = er_strdup(idbuf);
    r.info.department = er_strdup(cx->department);

    static const char *const required_text[] = {"title", "basis"};
    for (size_t i = 0; i < 2; i++) {
        const char *s = raw_string(L, t, required_text[i], &type);
        if (!s || !*s) {
            lua_pop(L, 1);
            BAD("field '%s' must be a non-empty string", required_text[i]);
        }
        char *copy = er_strdup(s);
        lua_pop(L, 1);
        if (i == 0)
            r.info.title = copy;
        else
            r.info.basis = copy;
    }
    const char *item = raw_string(L, t, "item", &type);
    if (type != LUA_TNIL && !item) {
        lua_pop(L, 1);
        BAD("field 'item' must be an item code string");
    }
    r.info.item = er_strdup(item);
    lua_pop(L, 1);

    const char *kind = raw_string(L, t, "kind", &type);
    r.kind = option_index(kind_names, kind);
    lua_pop(L, 1);
    if (r.kind < 0)
        BAD("field 'kind' must be one of compliance, cut, allocation, "
            "indicator");
    r.info.kind = kind_names[r.kind];
    if (parse_levels(L, t, &r.levels) != ER_OK) {
        char levels[ER_WORDS_TEXT];
        BAD("field 'level' must be one of %s, or a list of them without "
            "repeats (level = { \"city\", \"county\" })",
            er_words_text(levels, sizeof levels, er_level_names,
                          ER_LEVEL_COUNT, ", "));
    }
    r.info.level = er_levels_text(r.levels);

    /* effective = { from = Y, to = Y } */
    lua_pushliteral(L, "effective");
    type = lua_rawget(L, t);
    if (type == LUA_TTABLE) {
        int e = lua_gettop(L);
        lua_pushnil(L);
        while (lua_next(L, e)) {
            lua_pop(L, 1);
            const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                           : "";
            if (strcmp(k, "from") != 0 && strcmp(k, "to") != 0) {
                lua_pop(L, 2);
                BAD("field 'effective' takes only 'from' and 'to'");
            }
        }
        static const char *const ends[] = {"from", "to"};
        for (int i = 0; i < 2; i++) {
            lua_pushstring(L, ends[i]);
            int et = lua_rawget(L, e);
            if (et != LUA_TNIL) {
                if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1900 ||
                    lua_tointeger(L, -1) > 2200) {
                    lua_pop(L, 2);
                    BAD("effective.%s must be a year (an integer)", ends[i]);
                }
                int y = (int)lua_tointeger(L, -1);
                if (i == 0)
                    r.info.year_from = y;
                else
                    r.info.year_to = y;
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        if (r.info.year_from && r.info.year_to &&
            r.info.year_to < r.info.year_from)
            BAD("effective.to (%d) is before effective.from (%d)",
                r.info.year_to, r.info.year_from);
    } else {
        lua_pop(L, 1);
        if (type != LUA_TNIL)
            BAD("field 'effective' must be a table { from = year, to = year }");
    }

    /* params = { name = number | string | boolean } */
    lua_pushliteral(L, "params");
    type = lua_rawget(L, t);
    if (type == LUA_TTABLE) {
        int p = lua_gettop(L);
        lua_newtable(L); /* the engine's own copy: the rule's table is
                            frozen with the rest of its file */
        lua_pushnil(L);
        while (lua_next(L, p)) {
            int vt = lua_type(L, -1);
            bool ok = lua_type(L, -2) == LUA_TSTRING &&
                      (vt == LUA_TNUMBER || vt == LUA_TSTRING ||
                       vt == LUA_TBOOLEAN);
            size_t klen = 0, vlen = 0;
            if (ok && (strlen(lua_tolstring(L, -2, &klen)) != klen ||
                       (vt == LUA_TSTRING &&
                        strlen(lua_tolstring(L, -1, &vlen)) != vlen))) {
                lua_pop(L, 4);
                BAD("params: a name or value contains a NUL byte");
            }
            if (ok && vt == LUA_TNUMBER && !lua_isinteger(L, -1) &&
                !isfinite(lua_tonumber(L, -1))) {
                char k[128];
                snprintf(k, sizeof k, "%s", lua_tostring(L, -2));
                bool nan = isnan(lua_tonumber(L, -1));
                lua_pop(L, 4);
                BAD("params.%s is %s (params must be finite numbers)", k,
                    nan ? "nan" : "infinite");
            }
            if (!ok) {
                char k[128];
                snprintf(k, sizeof k, "%s",
                         lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                                        : "?");
                lua_pop(L, 4);
                BAD("params.%s must be a number, string or boolean", k);
            }
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, p + 1);
        }
        r.params_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
        if (type != LUA_TNIL)
            BAD("field 'params' must be a table of named constants");
    }

    /* needs = { "rule.id", ... }: resolved once every file is read */
    lua_pushliteral(L, "needs");
    type = lua_rawget(L, t);
    if (type == LUA_TTABLE) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        r.needs = calloc((size_t)n + 1, sizeof *r.needs);
        for (lua_Integer i = 1; i <= n; i++) {
            size_t len;
            if (lua_rawgeti(L, -1, i) != LUA_TSTRING ||
                strlen(lua_tolstring(L, -1, &len)) != len) {
                lua_pop(L, 2);
                BAD("needs[%d] must be a rule id", (int)i);
            }
            lua_pop(L, 1);
        }
        /* keep the list as a registry table until resolution */
        lua_pushvalue(L, -1);
        r.nneeds = (int32_t)n;
        r.needs[0] = luaL_ref(L, LUA_REGISTRYINDEX);
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
        if (type != LUA_TNIL)
            BAD("field 'needs' must be a list of rule ids");
    }

    /* report = { chart = NAME, index = NAME, goal = YEAR }: the parts of
     * the report this rule feeds (each key optional, at least one) */
    lua_pushliteral(L, "report");
    type = lua_rawget(L, t);
    if (type != LUA_TNIL) {
        /* its errors name the line of the field, when the source shows it */
        int rl = report_line(cx->file, id ? idbuf : NULL, line);
        r.report_line = rl > 0 ? rl : line;
        if (rl > 0)
            snprintf(cx->where, sizeof cx->where, "%s:%d: rule %s%s%s",
                     cx->file->display, rl, id ? "'" : "", id ? idbuf : "",
                     id ? "'" : "");
    }
    if (type == LUA_TTABLE) {
        static const char *const keys[] = {"chart", "index", "goal", NULL};
        int h = lua_gettop(L), nkeys = 0;
        lua_pushnil(L);
        while (lua_next(L, h)) {
            lua_pop(L, 1);
            nkeys++;
            if (lua_type(L, -1) != LUA_TSTRING ||
                option_index(keys, lua_tostring(L, -1)) < 0) {
                /* a key by its value: 'chrat', [1], [true] */
                char key[80];
                int kt = lua_type(L, -1);
                if (kt == LUA_TSTRING)
                    snprintf(key, sizeof key, "'%s'", lua_tostring(L, -1));
                else if (kt == LUA_TNUMBER) {
                    lua_pushvalue(L, -1);
                    snprintf(key, sizeof key, "[%s]", lua_tostring(L, -1));
                    lua_pop(L, 1);
                } else if (kt == LUA_TBOOLEAN)
                    snprintf(key, sizeof key, "[%s]",
                             lua_toboolean(L, -1) ? "true" : "false");
                else
                    snprintf(key, sizeof key, "[a %s]", luaL_typename(L, -1));
                lua_pop(L, 2);
                BAD("field 'report': unknown key %s (keys: chart, index, "
                    "goal)", key);
            }
        }
        if (nkeys == 0) {
            lua_pop(L, 1);
            BAD("field 'report' is empty: give chart, index or goal");
        }
        bool indicator = r.kind == ER_KIND_INDICATOR;
        /* chart */
        lua_pushliteral(L, "chart");
        type = lua_rawget(L, h);
        int c = type == LUA_TSTRING
                    ? option_index(er_report_charts, lua_tostring(L, -1))
                    : -1;
        lua_pop(L, 1);
        if (type != LUA_TNIL && c < 0) {
            lua_pop(L, 1);
            BAD("report.chart must be one of: per_capita_gap, ranking");
        }
        if (c >= 0) {
            r.chart = er_report_charts[c];
            if (strcmp(r.chart, ER_CHART_PER_CAPITA_GAP) == 0 && !indicator) {
                lua_pop(L, 1);
                BAD("report.chart 'per_capita_gap' needs kind 'indicator': "
                    "the chart's band is the indicator's target (the largest "
                    "gap)");
            }
            if (strcmp(r.chart, ER_CHART_RANKING) == 0 &&
                (!indicator || r.levels != 1u << ER_LEVEL_CITY)) {
                lua_pop(L, 1);
                BAD("report.chart 'ranking' needs kind 'indicator' and level "
                    "'city': the ranking orders the cities by their measured "
                    "score");
            }
        }
        /* index */
        lua_pushliteral(L, "index");
        type = lua_rawget(L, h);
        int x = type == LUA_TSTRING
                    ? option_index(er_report_indexes, lua_tostring(L, -1))
                    : -1;
        lua_pop(L, 1);
        if (type != LUA_TNIL) {
            if (x < 0) {
                lua_pop(L, 1);
                BAD("report.index must be one of: cv, cv_weighted, gini, "
                    "theil, theil_between_zone, theil_within_zone, "
                    "theil_within_city");
            }
            if (!indicator || r.levels != 1u << ER_LEVEL_PROVINCE) {
                lua_pop(L, 1);
                BAD("report.index needs kind 'indicator' and level "
                    "'province': the measure is one value across the "
                    "province's regions");
            }
            r.index = er_report_indexes[x];
        }
        /* goal */
        lua_pushliteral(L, "goal");
        type = lua_rawget(L, h);
        lua_Integer g = 0;
        bool year = type == LUA_TNUMBER && lua_isinteger(L, -1) &&
                    (g = lua_tointeger(L, -1)) >= ER_GOAL_YEAR_MIN &&
                    g <= ER_GOAL_YEAR_MAX;
        lua_pop(L, 1);
        if (type != LUA_TNIL) {
            if (!year) {
                lua_pop(L, 1);
                BAD("report.goal must be a year, an integer from %d to %d",
                    ER_GOAL_YEAR_MIN, ER_GOAL_YEAR_MAX);
            }
            if (!indicator) {
                lua_pop(L, 1);
                BAD("report.goal needs kind 'indicator': the goal is the "
                    "indicator's required value, reached by the goal year");
            }
            r.goal = (int)g;
        }
        lua_pop(L, 1);
    } else {
        lua_pop(L, 1);
        if (type != LUA_TNIL)
            BAD("field 'report' must be a table { chart = name, index = "
                "name, goal = year }");
    }

    lua_pushliteral(L, "evaluate");
    if (lua_rawget(L, t) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        BAD("field 'evaluate' must be a function(r)");
    }
    r.eval_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    r.info.line = line;
    r.info.path = cx->file->path;

    er_rule *rules = realloc(cx->rs->rules, (cx->rs->nrules + 1) * sizeof *rules);
    if (!rules)
        goto bad;
    cx->rs->rules = rules;
    rules[cx->rs->nrules++] = r;
    lua_settop(L, t);
    return ER_OK;
bad:
    lua_settop(L, t);
    free((char *)r.info.id);
    free((char *)r.info.department);
    free((char *)r.info.title);
    free((char *)r.info.basis);
    free((char *)r.info.item);
    if (r.nneeds)
        luaL_unref(L, LUA_REGISTRYINDEX, r.needs[0]);
    free(r.needs);
    luaL_unref(L, LUA_REGISTRYINDEX, r.params_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, r.eval_ref);
    return ER_ERULE;
}

#undef BAD

/* Compiles and runs one file in a fresh environment; validates its rules. */
static int load_file(er_ruleset *rs, size_t fi)
{
    er_rule_file *f = &rs->files[fi];
    lua_State *L = rs->sb.L;
    char chunk[4200], err[1024];
    int base = lua_gettop(L);

    const char *slash = strchr(f->path, '/');
    if (!slash)
        return add_diag(rs, "%s: rule files go in a department folder "
                            "(rules/<department>/name.lua)",
                        f->display);
    char dept[256];
    snprintf(dept, sizeof dept, "%.*s", (int)(slash - f->path), f->path);

    snprintf(chunk, sizeof chunk, "@%s", f->display);
    er_sandbox_doing(&rs->sb, (int32_t)fi, "loading %s", f->display);
    /* fault injection for the tests: a crash while the supervised child
     * loads this file (EQUIRULE_FAULT=crash-load:PATH) */
    char crash[256];
    if (rs->sb.watch && er_fault_arg("crash-load", crash, sizeof crash) &&
        ends_with(f->path, crash))
        raise(SIGSEGV);
    er_sandbox_arm(&rs->sb);
    int status = luaL_loadbufferx(L, f->source, f->len, chunk, "t");
    if (status == LUA_OK) {
        er_sandbox_push_env(L);
        lua_pushvalue(L, -1);
        lua_setupvalue(L, -3, 1);
        lua_insert(L, -2); /* env, chunk */
        status = lua_pcall(L, 0, 1, 0);
    }
    int trip = er_sandbox_disarm(&rs->sb);
    if (trip != ER_TRIP_NONE) {
        er_sandbox_trip_message(&rs->sb, trip, err, sizeof err);
        lua_settop(L, base);
        return add_diag(rs, "%s: %s while loading", f->display, err);
    }
    if (rs->sb.bug[0]) { /* an unknown global, even one a pcall caught */
        lua_settop(L, base);
        if (strncmp(rs->sb.bug, f->display, strlen(f->display)) != 0 &&
            strncmp(rs->sb.bug, "...", 3) != 0)
            return add_diag(rs, "%s: %s while loading", f->display,
                            rs->sb.bug);
        return add_diag(rs, "%s", rs->sb.bug);
    }
    if (status != LUA_OK) {
        er_lua_errtext(L, -1, err, sizeof err);
        lua_settop(L, base);
        /* error(nil), error({}) and error(msg, 0) carry no position; a
         * long path is cut short in front ("...") in Lua's messages */
        if (strncmp(err, f->display, strlen(f->display)) != 0 &&
            strncmp(err, "...", 3) != 0)
            return add_diag(rs, "%s: %s while loading", f->display, err);
        return add_diag(rs, "%s", err);
    }
    /* stack: env, result */
    int env = base + 1, result = base + 2;
    if (lua_type(L, result) != LUA_TTABLE) {
        const char *type = luaL_typename(L, result); /* static: survives */
        lua_settop(L, base);
        return add_diag(rs, "%s: the file must return a rule table or a list "
                            "of rule tables (it returned %s)",
                        f->display, type);
    }
    rule_ctx cx = {.rs = rs, .file = f, .department = dept};
    size_t first = rs->nrules;
    lua_pushliteral(L, "id");
    bool single = lua_rawget(L, result) != LUA_TNIL;
    lua_pop(L, 1);
    if (single) {
        lua_pushvalue(L, result);
        validate_rule(L, &cx, 1);
        lua_pop(L, 1);
    } else {
        lua_Integer n = (lua_Integer)lua_rawlen(L, result);
        if (n == 0)
            add_diag(rs, "%s: the file returned an empty list of rules",
                     f->display);
        for (lua_Integer i = 1; i <= n; i++) {
            if (lua_rawgeti(L, result, i) != LUA_TTABLE)
                add_diag(rs, "%s: rule #%d is not a table", f->display,
                         (int)i);
            else
                validate_rule(L, &cx, (int)i);
            lua_pop(L, 1);
        }
    }
    /* the rules of this file share its environment: keep its globals */
    lua_getmetatable(L, env);
    lua_getfield(L, -1, "__index");
    for (size_t i = first; i < rs->nrules; i++) {
        lua_pushvalue(L, -1);
        rs->rules[i].env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        rs->rules[i].file = (int32_t)fi;
    }
    lua_settop(L, base);
    return ER_OK;
}

/* ---- needs and stages ----------------------------------------------------------- */

static void drop_rule(er_ruleset *rs, size_t i)
{
    er_rule *r = &rs->rules[i];
    lua_State *L = rs->sb.L;
    luaL_unref(L, LUA_REGISTRYINDEX, r->eval_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, r->env_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, r->params_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, r->run_params_ref);
    free((char *)r->info.id);
    free((char *)r->info.department);
    free((char *)r->info.title);
    free((char *)r->info.basis);
    free((char *)r->info.item);
    free(r->needs);
    memmove(r, r + 1, (rs->nrules - i - 1) * sizeof *r);
    rs->nrules--;
}

static int32_t find_rule(const er_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (strcmp(rs->rules[i].info.id, id) == 0)
            return (int32_t)i;
    return -1;
}

int32_t er_ruleset_find(const er_ruleset *rs, const char *id)
{
    return find_rule(rs, id);
}

/* "file:line" of a rule's report field, or "file" when the line is not
 * known. */
static const char *report_where(const er_ruleset *rs, const er_rule *r,
                                char *buf, size_t size)
{
    const char *file = rs->files[r->file].display;
    if (r->report_line > 0)
        snprintf(buf, size, "%s:%d", file, r->report_line);
    else
        snprintf(buf, size, "%s", file);
    return buf;
}

static bool same_item(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int by_id(const void *a, const void *b)
{
    const er_rule *x = *(const er_rule *const *)a;
    const er_rule *y = *(const er_rule *const *)b;
    return strcmp(x->info.id, y->info.id);
}

/* One rule feeds each chart and each measure of the index (per item, the
 * main index being item nil): taking the rules by id, a rule that
 * declares a chart or an index a rule kept before it declares is refused,
 * naming that rule; `goal` may repeat (each rule its own chart). */
static int refuse_shared_hints(er_ruleset *rs)
{
    lua_State *L = rs->sb.L;
    size_t n = rs->nrules;
    if (n < 2)
        return ER_OK;
    int rc = ER_OK;
    er_rule **order = malloc(n * sizeof *order);
    er_rule **kept = malloc(n * sizeof *kept);
    bool *refused = calloc(n, sizeof *refused);
    if (!order || !kept || !refused) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = &rs->rules[i];
    qsort(order, n, sizeof *order, by_id);
    size_t nkept = 0;
    for (size_t i = 0; i < n; i++) {
        er_rule *r = order[i];
        const er_rule *chart = NULL, *index = NULL;
        for (size_t k = 0; k < nkept; k++) {
            const er_rule *q = kept[k];
            if (!chart && r->chart && q->chart &&
                strcmp(r->chart, q->chart) == 0)
                chart = q;
            if (!index && r->index && q->index &&
                strcmp(r->index, q->index) == 0 &&
                same_item(r->info.item, q->info.item))
                index = q;
        }
        if (!chart && !index) {
            kept[nkept++] = r;
            continue;
        }
        char here[300], there[300];
        report_where(rs, r, here, sizeof here);
        if (chart &&
            (rc = add_diag(rs, "%s: rule '%s': report.chart '%s' is declared "
                               "already by rule '%s' (%s): one rule feeds "
                               "each chart, the first by id",
                           here, r->info.id, r->chart, chart->info.id,
                           report_where(rs, chart, there, sizeof there))) !=
                ER_OK)
            goto done;
        if (index && !r->info.item &&
            (rc = add_diag(rs, "%s: rule '%s': report.index '%s' of the main "
                               "index is declared already by rule '%s' "
                               "(%s): one rule feeds each measure, the first "
                               "by id",
                           here, r->info.id, r->index, index->info.id,
                           report_where(rs, index, there, sizeof there))) !=
                ER_OK)
            goto done;
        if (index && r->info.item &&
            (rc = add_diag(rs, "%s: rule '%s': report.index '%s' of item "
                               "'%s' is declared already by rule '%s' (%s): "
                               "one rule feeds each measure of an item, the "
                               "first by id",
                           here, r->info.id, r->index, r->info.item,
                           index->info.id,
                           report_where(rs, index, there, sizeof there))) !=
                ER_OK)
            goto done;
        refused[r - rs->rules] = true;
    }
    /* from the end, so that the indices still ahead do not move */
    for (size_t i = n; i-- > 0;) {
        if (!refused[i])
            continue;
        if (rs->rules[i].nneeds)
            luaL_unref(L, LUA_REGISTRYINDEX, rs->rules[i].needs[0]);
        rs->rules[i].nneeds = 0;
        drop_rule(rs, i);
    }
done:
    free(order);
    free(kept);
    free(refused);
    return rc;
}

/* Turns needs lists (registry tables) into ids kept as strings on the side,
 * drops duplicates, unknown needs and cycles, then orders by stage. */
static int resolve(er_ruleset *rs)
{
    lua_State *L = rs->sb.L;
    size_t n = rs->nrules;

    /* duplicates: the first definition wins */
    for (size_t i = 0; i < rs->nrules; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(rs->rules[i].info.id, rs->rules[j].info.id) == 0) {
                const er_rule_file *fi = &rs->files[rs->rules[i].file];
                const er_rule_file *fj = &rs->files[rs->rules[j].file];
                add_diag(rs, "%s:%d: duplicate rule id '%s' (first defined "
                             "in %s:%d)",
                         fi->display, rs->rules[i].info.line,
                         rs->rules[i].info.id, fj->display,
                         rs->rules[j].info.line);
                if (rs->rules[i].nneeds)
                    luaL_unref(L, LUA_REGISTRYINDEX, rs->rules[i].needs[0]);
                rs->rules[i].nneeds = 0;
                drop_rule(rs, i);
                i--;
                break;
            }
        }
    }
    int rc = refuse_shared_hints(rs);
    if (rc != ER_OK)
        return rc;
    n = rs->nrules;

    /* needs ids, as strings, per rule */
    char ***need_ids = calloc(n + 1, sizeof *need_ids);
    if (!need_ids)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        er_rule *r = &rs->rules[i];
        if (!r->nneeds)
            continue;
        need_ids[i] = calloc((size_t)r->nneeds + 1, sizeof(char *));
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->needs[0]);
        for (int32_t k = 0; k < r->nneeds; k++) {
            lua_rawgeti(L, -1, k + 1);
            need_ids[i][k] = er_strdup(lua_tostring(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        luaL_unref(L, LUA_REGISTRYINDEX, r->needs[0]);
    }

    /* drop rules whose needs are unknown or dropped, until stable; then
     * detect cycles by relaxing stages at most n times */
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = 0; i < rs->nrules && !changed; i++) {
            er_rule *r = &rs->rules[i];
            for (int32_t k = 0; k < r->nneeds; k++) {
                int32_t j = find_rule(rs, need_ids[i][k]);
                if (j < 0 || j == (int32_t)i) {
                    add_diag(rs, "%s:%d: rule '%s' needs %s '%s'",
                             rs->files[r->file].display, r->info.line,
                             r->info.id,
                             j < 0 ? "an unknown or broken rule" : "itself",
                             need_ids[i][k]);
                    for (int32_t m = 0; need_ids[i][m]; m++)
                        free(need_ids[i][m]);
                    free(need_ids[i]);
                    memmove(&need_ids[i], &need_ids[i + 1],
                            (rs->nrules - i) * sizeof *need_ids);
                    drop_rule(rs, i);
                    changed = true;
                    break;
                }
            }
        }
    }
    n = rs->nrules;
    for (size_t i = 0; i < n; i++) {
        er_rule *r = &rs->rules[i];
        for (int32_t k = 0; k < r->nneeds; k++)
            r->needs[k] = find_rule(rs, need_ids[i][k]);
        r->info.stage = 0;
    }
    for (size_t round = 0; round <= n; round++) {
        changed = false;
        for (size_t i = 0; i < n; i++) {
            er_rule *r = &rs->rules[i];
            for (int32_t k = 0; k < r->nneeds; k++) {
                int s = rs->rules[r->needs[k]].info.stage + 1;
                if (s > r->info.stage && s <= (int)n) {
                    r->info.stage = s;
                    changed = true;
                }
            }
        }
        if (!changed)
            break;
    }
    /* a rule that reaches itself through needs is on a cycle (a rule that
     * only needs one is handled below) */
    bool *on_cycle = calloc(n + 1, sizeof *on_cycle);
    bool *seen = calloc(n + 1, sizeof *seen);
    int32_t *stack = malloc((n + 1) * sizeof *stack);
    if (!on_cycle || !seen || !stack) {
        free(on_cycle);
        free(seen);
        free(stack);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        size_t top = 0;
        memset(seen, 0, n * sizeof *seen);
        stack[top++] = (int32_t)i;
        while (top > 0 && !on_cycle[i]) {
            const er_rule *q = &rs->rules[stack[--top]];
            for (int32_t k = 0; k < q->nneeds; k++) {
                int32_t j = q->needs[k];
                if (j == (int32_t)i)
                    on_cycle[i] = true;
                else if (!seen[j]) {
                    seen[j] = true;
                    stack[top++] = j;
                }
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        er_rule *r = &rs->rules[i];
        if (on_cycle[i])
            add_diag(rs, "%s:%d: rule '%s' is on a cycle of needs",
                     rs->files[r->file].display, r->info.line, r->info.id);
    }
    for (size_t i = 0; i < n; i++)
        if (on_cycle[i])
            rs->rules[i].info.stage = -1;
    free(on_cycle);
    free(seen);
    free(stack);

    /* and every rule that needs one of those */
    for (changed = true; changed;) {
        changed = false;
        for (size_t i = 0; i < rs->nrules; i++) {
            er_rule *r = &rs->rules[i];
            for (int32_t k = 0; r->info.stage >= 0 && k < r->nneeds; k++) {
                if (rs->rules[r->needs[k]].info.stage < 0) {
                    add_diag(rs, "%s:%d: rule '%s' needs '%s', which is on "
                                 "a cycle",
                             rs->files[r->file].display, r->info.line,
                             r->info.id, rs->rules[r->needs[k]].info.id);
                    r->info.stage = -1;
                    changed = true;
                }
            }
        }
    }

    /* order: stage, then id; remap needs to the new indices */
    size_t *order = malloc((n + 1) * sizeof *order);
    int32_t *newpos = malloc((n + 1) * sizeof *newpos);
    er_rule *sorted = malloc((n + 1) * sizeof *sorted);
    if (!order || !newpos || !sorted) {
        free(order);
        free(newpos);
        free(sorted);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (rs->rules[i].info.stage >= 0)
            order[m++] = i;
    for (size_t a = 1; a < m; a++) { /* insertion sort: small n */
        size_t x = order[a], b = a;
        while (b > 0) {
            const er_rule *p = &rs->rules[order[b - 1]], *q = &rs->rules[x];
            if (p->info.stage < q->info.stage ||
                (p->info.stage == q->info.stage &&
                 strcmp(p->info.id, q->info.id) < 0))
                break;
            order[b] = order[b - 1];
            b--;
        }
        order[b] = x;
    }
    for (size_t i = 0; i < n; i++)
        newpos[i] = -1;
    for (size_t k = 0; k < m; k++)
        newpos[order[k]] = (int32_t)k;
    for (size_t k = 0; k < m; k++)
        sorted[k] = rs->rules[order[k]];
    for (size_t i = 0; i < n; i++) {
        if (newpos[i] < 0) { /* on a cycle: release */
            er_rule *r = &rs->rules[i];
            luaL_unref(L, LUA_REGISTRYINDEX, r->eval_ref);
            luaL_unref(L, LUA_REGISTRYINDEX, r->env_ref);
            luaL_unref(L, LUA_REGISTRYINDEX, r->params_ref);
            free((char *)r->info.id);
            free((char *)r->info.department);
            free((char *)r->info.title);
            free((char *)r->info.basis);
            free((char *)r->info.item);
            free(r->needs);
        }
    }
    for (size_t k = 0; k < m; k++) {
        er_rule *r = &sorted[k];
        for (int32_t q = 0; q < r->nneeds; q++) {
            r->needs[q] = newpos[r->needs[q]];
            sorted[r->needs[q]].needed = true;
        }
        if (r->info.stage + 1 > rs->nstages)
            rs->nstages = r->info.stage + 1;
    }
    if (m) /* rs->rules is NULL when no rule loaded */
        memcpy(rs->rules, sorted, m * sizeof *sorted);
    rs->nrules = m;
    free(order);
    free(newpos);
    free(sorted);
    for (size_t i = 0; i < n; i++) {
        for (int32_t k = 0; need_ids[i] && need_ids[i][k]; k++)
            free(need_ids[i][k]);
        free(need_ids[i]);
    }
    free(need_ids);
    return ER_OK;
}

/* ---- params --------------------------------------------------------------------- */

/* Makes the params table at the top read-only (frozen, sandbox.c), and a
 * read of a name the rule does not declare an error naming it. */
static void make_readonly(lua_State *L, const char *rule_id)
{
    er_sandbox_freeze_table(L, -1, "params are read-only (override them "
                                   "with --set)");
    er_sandbox_declared_only(L, -1, rule_id);
}

/* Whether `s` is a plain decimal number: an optional sign, digits with
 * at most one point (a digit on at least one side), an optional exponent;
 * nothing else, no blanks, no "0x", "inf" or "nan". */
static bool is_decimal(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (*p == '.') {
        p++;
        size_t frac = strspn(p, "0123456789");
        digits += frac;
        p += frac;
    }
    if (digits == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        size_t ed = strspn(p, "0123456789");
        if (ed == 0)
            return false;
        p += ed;
    }
    return *p == '\0';
}

int er_ruleset_set_params(er_ruleset *rs, const char *const *sets)
{
    lua_State *L = rs->sb.L;
    for (size_t i = 0; i < rs->nrules; i++) {
        er_rule *r = &rs->rules[i];
        luaL_unref(L, LUA_REGISTRYINDEX, r->run_params_ref);
        lua_newtable(L);
        if (r->params_ref != LUA_NOREF) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, r->params_ref);
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, -5);
            }
            lua_pop(L, 1);
        }
        r->run_params_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    int rc = ER_OK;
    for (size_t s = 0; sets && sets[s]; s++) {
        const char *eq = strchr(sets[s], '=');
        const char *dot = NULL;
        for (const char *p = sets[s]; eq && p < eq; p++)
            if (*p == '.')
                dot = p;
        if (!eq || !dot) {
            rc = er_fail(ER_EUSAGE, "--set %s: expected RULE.PARAM=VALUE",
                         sets[s]);
            break;
        }
        char id[256], name[256];
        snprintf(id, sizeof id, "%.*s", (int)(dot - sets[s]), sets[s]);
        snprintf(name, sizeof name, "%.*s", (int)(eq - dot - 1), dot + 1);
        const char *value = eq + 1;
        int32_t ri = find_rule(rs, id);
        if (ri < 0) {
            rc = er_fail(ER_EUSAGE, "--set %s: no rule '%s'", sets[s], id);
            break;
        }
        er_rule *r = &rs->rules[ri];
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->run_params_ref);
        int type = lua_getfield(L, -1, name);
        lua_pop(L, 1);
        if (type == LUA_TNIL) {
            lua_pop(L, 1);
            rc = er_fail(ER_EUSAGE, "--set %s: rule '%s' has no param '%s'",
                         sets[s], id, name);
            break;
        }
        if (type == LUA_TNUMBER) {
            /* decimal only, nothing around it: the rule file's number
             * syntax without hexadecimal, inf or nan */
            double v = is_decimal(value) ? strtod(value, NULL) : NAN;
            if (!isfinite(v)) {
                lua_pop(L, 1);
                rc = er_fail(ER_EUSAGE,
                             "--set %s: '%s' is not a number",
                             sets[s], value);
                break;
            }
            errno = 0;
            long long i = strpbrk(value, ".eE") ? 0 : strtoll(value, NULL, 10);
            if (!strpbrk(value, ".eE") && errno == 0)
                lua_pushinteger(L, (lua_Integer)i);
            else
                lua_pushnumber(L, v);
        } else if (type == LUA_TBOOLEAN) {
            if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0) {
                lua_pop(L, 1);
                rc = er_fail(ER_EUSAGE, "--set %s: expected true or false",
                             sets[s]);
                break;
            }
            lua_pushboolean(L, strcmp(value, "true") == 0);
        } else {
            lua_pushstring(L, value);
        }
        lua_setfield(L, -2, name);
        lua_pop(L, 1);
    }
    /* freeze */
    for (size_t i = 0; i < rs->nrules; i++) {
        er_rule *r = &rs->rules[i];
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->run_params_ref);
        luaL_unref(L, LUA_REGISTRYINDEX, r->run_params_ref);
        make_readonly(L, r->info.id);
        r->run_params_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    return rc;
}

int er_ruleset_params_json(er_ruleset *rs, int32_t rule, er_buf *b)
{
    lua_State *L = rs->sb.L;
    er_rule *r = &rs->rules[rule];
    /* the frozen table's contents hold the values; list keys in order */
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->run_params_ref);
    er_sandbox_push_contents(L, -1);
    path_list keys = {0};
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING)
            list_add(&keys, lua_tostring(L, -1));
    }
    if (keys.n) /* qsort must not be given NULL, even for no items */
        qsort(keys.items, keys.n, sizeof *keys.items, cmp_str);
    er_buf_puts(b, "{");
    for (size_t i = 0; i < keys.n; i++) {
        if (i)
            er_buf_puts(b, ",");
        er_json_add(b, keys.items[i]);
        er_buf_puts(b, ":");
        lua_getfield(L, -1, keys.items[i]);
        if (lua_type(L, -1) == LUA_TNUMBER) {
            char num[64];
            if (lua_isinteger(L, -1))
                er_buf_printf(b, "%lld", (long long)lua_tointeger(L, -1));
            else if (isfinite(lua_tonumber(L, -1))) /* every digit */
                er_buf_puts(b, er_fmt_exact(num, sizeof num,
                                            lua_tonumber(L, -1)));
            else
                er_buf_puts(b, "null");
        } else if (lua_type(L, -1) == LUA_TBOOLEAN) {
            er_buf_puts(b, lua_toboolean(L, -1) ? "true" : "false");
        } else {
            er_json_add(b, lua_tostring(L, -1));
        }
        lua_pop(L, 1);
    }
    er_buf_puts(b, "}");
    list_free(&keys);
    lua_pop(L, 2);
    return er_buf_status(b);
}

/* ---- frozen state -------------------------------------------------------------- */

/* Freezes what each rule's evaluate reaches (sandbox.c): evaluations may
 * not leave state behind for the next. */
static int freeze(er_ruleset *rs)
{
    lua_State *L = rs->sb.L;
    for (size_t i = 0; i < rs->nrules; i++) {
        er_rule *r = &rs->rules[i];
        lua_createtable(L, 1, 0);
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->eval_ref);
        lua_rawseti(L, -2, 1);
        int rc = er_sandbox_freeze(&rs->sb, -1, &r->state_ref);
        lua_pop(L, 1);
        if (rc != ER_OK)
            return rc;
    }
    return ER_OK;
}

/* ---- helper modules ---------------------------------------------------------------- */

static bool is_module_file(const char *name)
{
    return ends_with(name, ".lua");
}

/* The path messages name module `name` by: "X/scripts/lib/NAME" for the
 * rules folder "X/rules" (not "X/rules/../scripts/lib/NAME"), unless the
 * folder's last part is "." or "..", or a symbolic link (whose ".." is
 * elsewhere). */
static void module_display(const char *dir, const char *name, char *out,
                           size_t size)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    size_t last = len - start;
    struct stat st;
    bool plain = last > 0 && !(last == 1 && dir[start] == '.') &&
                 !(last == 2 && dir[start] == '.' && dir[start + 1] == '.') &&
                 lstat(dir, &st) == 0 && !S_ISLNK(st.st_mode);
    if (plain)
        snprintf(out, size, "%.*sscripts/lib/%s", (int)start, dir, name);
    else
        snprintf(out, size, "%s/../scripts/lib/%s", dir, name);
}

/* Reads the helper modules of scripts/lib beside the rules folder, when
 * there is one, into rs->mods and the digest. Rules then `require` these
 * versions instead of the ones built in, and a run records their digests
 * with the rule files. */
static int read_modules(er_ruleset *rs, const char *dir, er_sha256 *all)
{
    char libdir[4200];
    snprintf(libdir, sizeof libdir, "%s/../scripts/lib", dir);
    struct stat st;
    if (stat(libdir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ER_OK;
    path_list names = {0};
    int rc = walk(rs, libdir, "", 7, is_module_file, &names);
    if (rc == ER_OK && names.n) {
        qsort(names.items, names.n, sizeof *names.items, cmp_str);
        rs->mods = calloc(names.n, sizeof *rs->mods);
        if (!rs->mods)
            rc = er_fail(ER_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < names.n && rc == ER_OK; i++) {
        if (strchr(names.items[i], '/'))
            continue; /* modules are flat: require "name" */
        er_rule_file *f = &rs->mods[rs->nmods];
        char rel[4200], full[8400], display[8400];
        snprintf(rel, sizeof rel, "scripts/lib/%s", names.items[i]);
        snprintf(full, sizeof full, "%s/%s", libdir, names.items[i]);
        module_display(dir, names.items[i], display, sizeof display);
        f->path = er_strdup(rel);
        f->display = er_strdup(display);
        f->module = true;
        if (!f->path || !f->display) {
            free(f->path);
            free(f->display);
            rc = er_fail(ER_ENOMEM, "out of memory");
            break;
        }
        rs->nmods++;
        if (er_read_file(full, &f->source, &f->len) != ER_OK) {
            add_diag(rs, "%s", er_errmsg());
            continue;
        }
        er_sha256_of(f->source, f->len, f->sha256);
        er_sha256_update(all, f->path, strlen(f->path) + 1);
        er_sha256_update(all, f->sha256, 65);
    }
    list_free(&names);
    rs->sb.modules = rs->mods;
    rs->sb.nmodules = rs->nmods;
    return rc;
}

/* ---- loading under a supervisor ------------------------------------------------------- */

typedef struct probe_ctx {
    er_ruleset *rs;
    size_t start;  /* the child loads from here */
    size_t loaded; /* files before it are done in this process */
    int32_t last;  /* the file the child started last, -1 = none */
    bool *drop;
    char **msgs;
} probe_ctx;

/* In the child: loads the files from `start` on, sending each one's index
 * before it starts. */
static int probe_child(void *ctx, er_child *c)
{
    probe_ctx *p = ctx;
    er_ruleset *rs = p->rs;
    for (size_t i = p->start; i < rs->nfiles; i++) {
        if (!rs->files[i].source)
            continue;
        int32_t fi = (int32_t)i;
        if (er_child_send(c, &fi, sizeof fi) != ER_OK ||
            load_file(rs, i) != ER_OK)
            return ER_ERROR;
    }
    return ER_OK;
}

/* The watchdog of this process's own loading. A file loads here only
 * after it loaded in the supervised child, and loading is deterministic,
 * so it cannot hang here; should it all the same (a behaviour that
 * depends on something the child did not share), the process is stopped
 * at the deadline with a message naming the file, rather than hanging for
 * ever with nobody to stop it. Only async-signal-safe calls in the
 * handler. */
static char watchdog_msg[512];
static size_t watchdog_len;

static void watchdog_fire(int sig)
{
    (void)sig;
    ssize_t n = write(STDERR_FILENO, watchdog_msg, watchdog_len);
    (void)n;
    _exit(3);
}

static void watchdog_arm(const er_ruleset *rs, size_t fi)
{
    int64_t ns = er_kill_after_ns(rs->sb.timeout);
    if (ns <= 0)
        return;
    int n = snprintf(watchdog_msg, sizeof watchdog_msg,
                     "equirule: %s: loading hung in this process after it "
                     "loaded in the supervised child (a behaviour that is "
                     "not the same twice); stopped after %g s\n",
                     rs->files[fi].display, (double)ns / 1e9);
    watchdog_len = n < 0 ? 0
                   : (size_t)n < sizeof watchdog_msg ? (size_t)n
                                                     : sizeof watchdog_msg - 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = watchdog_fire;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0},
                           {(time_t)(ns / 1000000000),
                            (suseconds_t)(ns % 1000000000 / 1000)}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void watchdog_disarm(void)
{
    struct itimerval it = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
    signal(SIGALRM, SIG_DFL);
}

/* Loads, in this process and in order, the files before `upto`: their
 * diagnostics first (a file that could not be read or was dropped), then
 * the files that loaded in the child. */
static int catch_up(probe_ctx *p, size_t upto)
{
    er_ruleset *rs = p->rs;
    int rc = ER_OK;
    for (; rc == ER_OK && p->loaded < upto; p->loaded++) {
        size_t i = p->loaded;
        rs->files[i].dropped = p->drop[i];
        if (p->msgs[i])
            rc = add_diag(rs, "%s", p->msgs[i]);
        if (rc == ER_OK && rs->files[i].source && !p->drop[i]) {
            watchdog_arm(rs, i);
            er_fault_point("load-here");
            rc = load_file(rs, i);
            watchdog_disarm();
        }
    }
    return rc;
}

/* In this process: the child started file k, so it is done with the ones
 * before; they load here while it goes on. */
static int probe_started(void *ctx, const char *data, size_t len)
{
    probe_ctx *p = ctx;
    int32_t k;
    if (len != sizeof k)
        return ER_OK;
    memcpy(&k, data, sizeof k);
    if (k < (int32_t)p->start || (size_t)k >= p->rs->nfiles)
        return ER_OK;
    p->last = k;
    return catch_up(p, (size_t)k);
}

/* Loads every file: first in a supervised child, and in this process each
 * file the child has loaded, beside it. A file whose loading hangs in C
 * code (which the count hook cannot stop) or crashes the child is dropped
 * with a diagnostic, and a new child starts at the next file. Loading is
 * deterministic (rules see no clock, no randomness and no data while they
 * load), so a file that loaded in the child loads the same here. */
static int load_files(er_ruleset *rs, bool *drop, char **msgs)
{
    probe_ctx p = {rs, 0, 0, -1, drop, msgs};
    int rc = ER_OK;
    while (p.start < rs->nfiles) {
        er_stopped st;
        p.last = -1;
        rc = er_supervise_each(probe_child, &p, &rs->sb, probe_started, &p,
                               &st);
        if (rc == ER_OK || !st.stopped)
            break;
        rc = ER_OK;
        /* the file it was loading: the last one it started */
        int32_t bad = p.last;
        if (bad < 0)
            return er_fail(ER_ERROR, "%s: the rule files could not be "
                                     "loaded: %s",
                           rs->dir, er_errmsg());
        char text[1024];
        if (st.timed_out)
            snprintf(text, sizeof text,
                     "%s: timeout: loading did not finish within %g s and "
                     "was stopped (a hang the instruction limit cannot "
                     "stop); the file's rules are left out",
                     rs->files[bad].display, rs->sb.timeout);
        else if (st.signal)
            snprintf(text, sizeof text,
                     "%s: crashed with signal %d (%s) while loading; the "
                     "file's rules are left out",
                     rs->files[bad].display, st.signal,
                     strsignal(st.signal) ? strsignal(st.signal) : "?");
        else
            snprintf(text, sizeof text,
                     "%s: loading stopped the process (%s); the file's "
                     "rules are left out",
                     rs->files[bad].display, er_errmsg());
        drop[bad] = true;
        if (!(msgs[bad] = er_strdup(text)))
            return er_fail(ER_ENOMEM, "out of memory");
        p.start = (size_t)bad + 1;
    }
    return rc == ER_OK ? catch_up(&p, rs->nfiles) : rc;
}

/* Loads the files read into rs (rule code runs first in a supervised
 * child, so that a file that hangs or crashes is left out; then in this
 * process), and resolves, parameterizes and freezes the rules. */
static int load_read_files(er_ruleset *rs, bool *drop, char **msgs,
                           er_sha256 *all)
{
    int rc;
    if ((rc = load_files(rs, drop, msgs)) != ER_OK)
        return rc;
    er_sha256_hex(all, rs->digest);
    if ((rc = resolve(rs)) != ER_OK ||
        (rc = er_ruleset_set_params(rs, NULL)) != ER_OK ||
        (rc = freeze(rs)) != ER_OK)
        return rc;
    return ER_OK;
}

/* ---- the public side -------------------------------------------------------------- */

int er_ruleset_load(er_ruleset **out, const char *dir)
{
    return er_ruleset_load_timeout(out, dir, 0);
}

int er_ruleset_load_timeout(er_ruleset **out, const char *dir, double timeout)
{
    int rc;
    path_list paths = {0};
    bool *drop = NULL;
    char **msgs = NULL;
    er_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs)
        return er_fail(ER_ENOMEM, "out of memory");
    struct stat st;
    int found = stat(dir, &st) == 0;
    if (!found || !S_ISDIR(st.st_mode)) {
        rc = !found
                 ? er_fail(ER_ENOTFOUND, "%s: no such rules folder", dir)
                 : er_fail(ER_ENOTFOUND, "%s: not a folder; --rules names "
                                         "the folder that holds the "
                                         "department folders",
                           dir);
        goto done;
    }
    if ((rc = er_limits_check(timeout, 0, 0)) != ER_OK ||
        (rc = er_sandbox_open(&rs->sb, 0, 0, timeout)) != ER_OK)
        goto done;
    if (!(rs->dir = er_strdup(dir))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = walk(rs, dir, "", 0, is_rule_file, &paths)) != ER_OK)
        goto done;
    if (paths.n) /* an empty folder: no list to sort */
        qsort(paths.items, paths.n, sizeof *paths.items, cmp_str);
    rs->files = calloc(paths.n + 1, sizeof *rs->files);
    if (!rs->files) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    er_sha256 all;
    er_sha256_init(&all);
    if ((rc = read_modules(rs, dir, &all)) != ER_OK)
        goto done;
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    /* read every file; a diagnostic of a file stays in file order */
    if (!(drop = calloc(paths.n + 1, sizeof *drop)) ||
        !(msgs = calloc(paths.n + 1, sizeof *msgs))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < paths.n; i++) {
        er_rule_file *f = &rs->files[rs->nfiles];
        char full[8192];
        snprintf(full, sizeof full, "%.*s/%s", (int)dl, dir, paths.items[i]);
        f->path = er_strdup(paths.items[i]);
        f->display = er_strdup(full);
        if (!f->path || !f->display) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        rs->nfiles++;
        if (er_read_file(full, &f->source, &f->len) != ER_OK) {
            if (!(msgs[i] = er_strdup(er_errmsg()))) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            continue;
        }
        er_sha256_of(f->source, f->len, f->sha256);
        er_sha256_update(&all, f->path, strlen(f->path) + 1);
        er_sha256_update(&all, f->sha256, 65);
    }
    if ((rc = load_read_files(rs, drop, msgs, &all)) != ER_OK)
        goto done;
    *out = rs;
    rs = NULL;
done:
    for (size_t i = 0; msgs && i < paths.n; i++)
        free(msgs[i]);
    free(msgs);
    free(drop);
    list_free(&paths);
    er_ruleset_free(rs);
    return rc;
}

/* A copy of the n bytes at text, NUL-terminated. */
static char *copy_text(const char *text, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, text, n);
        p[n] = '\0';
    }
    return p;
}

int er_ruleset_load_sources(er_ruleset **out, const char *dir,
                            const er_source_record *files, size_t n,
                            double timeout)
{
    int rc;
    size_t nrules = 0, nmods = 0;
    bool *drop = NULL;
    char **msgs = NULL;
    er_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (files[i].kind == ER_SOURCE_RULE)
            nrules++;
        else
            nmods++;
    }
    if ((rc = er_limits_check(timeout, 0, 0)) != ER_OK ||
        (rc = er_sandbox_open(&rs->sb, 0, 0, timeout)) != ER_OK)
        goto done;
    if (!(rs->dir = er_strdup(dir)) ||
        !(rs->files = calloc(nrules + 1, sizeof *rs->files)) ||
        !(rs->mods = calloc(nmods + 1, sizeof *rs->mods)) ||
        !(drop = calloc(nrules + 1, sizeof *drop)) ||
        !(msgs = calloc(nrules + 1, sizeof *msgs))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    /* the digest as er_ruleset_load forms it: the modules of scripts/lib,
     * then the rule files, each in path order */
    er_sha256 all;
    er_sha256_init(&all);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const er_source_record *src = &files[i];
            bool rule = src->kind == ER_SOURCE_RULE;
            if (rule != (pass == 1))
                continue;
            er_rule_file *f = rule ? &rs->files[rs->nfiles]
                                   : &rs->mods[rs->nmods];
            f->path = er_strdup(src->path);
            f->display = er_strdup(src->display);
            f->source = copy_text(src->text, src->len);
            if (!f->path || !f->display || !f->source) {
                free(f->path);
                free(f->display);
                free(f->source);
                memset(f, 0, sizeof *f);
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            f->len = src->len;
            f->module = !rule;
            f->builtin = src->kind == ER_SOURCE_BUILTIN;
            er_sha256_of(f->source, f->len, f->sha256);
            if (rule)
                rs->nfiles++;
            else
                rs->nmods++;
            if (f->builtin)
                continue;
            er_sha256_update(&all, f->path, strlen(f->path) + 1);
            er_sha256_update(&all, f->sha256, 65);
        }
    }
    rs->sb.modules = rs->mods;
    rs->sb.nmodules = rs->nmods;
    if ((rc = load_read_files(rs, drop, msgs, &all)) != ER_OK)
        goto done;
    *out = rs;
    rs = NULL;
done:
    for (size_t i = 0; msgs && i < nrules; i++)
        free(msgs[i]);
    free(msgs);
    free(drop);
    er_ruleset_free(rs);
    return rc;
}

int er_ruleset_record_sources(er_ruleset *rs, sqlite3 *db, int64_t run)
{
    size_t cap = rs->nfiles + rs->nmods + er_embedded_count, n = 0;
    er_source_record *recs = calloc(cap + 1, sizeof *recs);
    char (*paths)[128] = calloc(er_embedded_count + 1, sizeof *paths);
    char (*hex)[65] = calloc(er_embedded_count + 1, sizeof *hex);
    er_buf replay;
    er_buf_init(&replay);
    int rc;
    if (!recs || !paths || !hex) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < rs->nfiles + rs->nmods; i++) {
        const er_rule_file *f = i < rs->nfiles ? &rs->files[i]
                                               : &rs->mods[i - rs->nfiles];
        if (!f->source)
            continue;
        recs[n++] = (er_source_record){
            f->path, f->display, f->sha256, f->source, f->len,
            !f->module ? ER_SOURCE_RULE
                       : f->builtin ? ER_SOURCE_BUILTIN : ER_SOURCE_MODULE};
    }
    /* the modules built in that `require` reaches: those scripts/lib
     * beside the rules folder does not replace */
    for (size_t i = 0; i < er_embedded_count; i++) {
        const er_embedded *e = &er_embedded_files[i];
        size_t len = strlen(e->name);
        if (strncmp(e->name, "lib/", 4) != 0 || strchr(e->name + 4, '/') ||
            len < 8 || strcmp(e->name + len - 4, ".lua") != 0 ||
            len + 8 >= sizeof paths[0])
            continue;
        snprintf(paths[i], sizeof paths[i], "scripts/%s", e->name);
        bool replaced = false;
        for (size_t k = 0; k < rs->nmods && !replaced; k++)
            replaced = strcmp(rs->mods[k].path, paths[i]) == 0;
        if (replaced)
            continue;
        er_sha256_of(e->data, e->len, hex[i]);
        recs[n++] = (er_source_record){paths[i], paths[i], hex[i], e->data,
                                       e->len, ER_SOURCE_BUILTIN};
    }
    er_buf_printf(&replay,
                  "{\"timeout\": %.17g, \"max_instructions\": %ld, "
                  "\"max_memory\": %zu}",
                  rs->sb.timeout, rs->sb.budget, rs->sb.mem_limit);
    if ((rc = er_buf_status(&replay)) != ER_OK)
        goto done;
    rc = er_sources_record(db, run, recs, n, replay.data);
done:
    er_buf_free(&replay);
    free(recs);
    free(paths);
    free(hex);
    return rc;
}

size_t er_ruleset_count(const er_ruleset *rs)
{
    return rs->nrules;
}

const er_rule_info *er_ruleset_rule(const er_ruleset *rs, size_t i)
{
    return i < rs->nrules ? &rs->rules[i].info : NULL;
}

size_t er_ruleset_diag_count(const er_ruleset *rs)
{
    return rs->ndiags;
}

const char *er_ruleset_diag(const er_ruleset *rs, size_t i)
{
    return i < rs->ndiags ? rs->diags[i] : NULL;
}

size_t er_ruleset_file_count(const er_ruleset *rs)
{
    return rs->nfiles;
}

const char *er_ruleset_digest(const er_ruleset *rs)
{
    return rs->digest;
}

void er_ruleset_free(er_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->nrules; i++) {
        er_rule *r = &rs->rules[i];
        free((char *)r->info.id);
        free((char *)r->info.department);
        free((char *)r->info.title);
        free((char *)r->info.basis);
        free((char *)r->info.item);
        free(r->needs);
    }
    free(rs->rules);
    for (size_t i = 0; i < rs->nfiles; i++) {
        free(rs->files[i].path);
        free(rs->files[i].display);
        free(rs->files[i].source);
    }
    free(rs->files);
    for (size_t i = 0; i < rs->nmods; i++) {
        free(rs->mods[i].path);
        free(rs->mods[i].display);
        free(rs->mods[i].source);
    }
    free(rs->mods);
    for (size_t i = 0; i < rs->ndiags; i++)
        free(rs->diags[i]);
    free(rs->diags);
    free(rs->dir);
    er_sandbox_close(&rs->sb);
    free(rs);
}

/* ---- catalog ---------------------------------------------------------------------- */

static void years_text(const er_rule_info *r, char *buf, size_t size)
{
    if (!r->year_from && !r->year_to)
        snprintf(buf, size, "all");
    else if (!r->year_to)
        snprintf(buf, size, "%d-", r->year_from);
    else if (!r->year_from)
        snprintf(buf, size, "-%d", r->year_to);
    else
        snprintf(buf, size, "%d-%d", r->year_from, r->year_to);
}

int er_ruleset_print(const er_ruleset *rs, FILE *fp, er_format fmt)
{
    char years[32];
    if (fmt == ER_FORMAT_JSON) {
        er_buf b;
        er_buf_init(&b);
        er_buf_puts(&b, "[");
        for (size_t i = 0; i < rs->nrules; i++) {
            const er_rule_info *r = &rs->rules[i].info;
            years_text(r, years, sizeof years);
            er_buf_puts(&b, i ? ",\n {" : "\n {");
            const char *keys[] = {"id", "department", "item", "kind",
                                  "level", "years", "title", "basis", "path"};
            const char *vals[] = {r->id,    r->department, r->item,
                                  r->kind,  r->level,      years,
                                  r->title, r->basis,      r->path};
            for (size_t k = 0; k < ER_ARRAY_LEN(keys); k++) {
                er_buf_printf(&b, "%s\"%s\":", k ? ", " : "", keys[k]);
                er_json_add(&b, vals[k]);
            }
            er_buf_printf(&b, ", \"stage\":%d}", r->stage);
        }
        er_buf_puts(&b, "\n]\n");
        int rc = er_buf_write(&b, fp);
        er_buf_free(&b);
        return rc;
    }
    if (fmt == ER_FORMAT_MD) {
        fputs("| id | department | item | kind | level | years | title | "
              "basis |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n",
              fp);
        for (size_t i = 0; i < rs->nrules; i++) {
            const er_rule_info *r = &rs->rules[i].info;
            years_text(r, years, sizeof years);
            fprintf(fp, "| `%s` | %s | ", r->id, r->department);
            er_text_put(fp, ER_TEXT_MD, r->item);
            fprintf(fp, " | %s | %s | %s | ", r->kind, r->level, years);
            er_text_put(fp, ER_TEXT_MD, r->title);
            fputs(" | ", fp);
            er_text_put(fp, ER_TEXT_MD, r->basis);
            fputs(" |\n", fp);
        }
        return ER_OK;
    }
    int wid = 2, witem = 4, wlevel = 8; /* "province" */
    for (size_t i = 0; i < rs->nrules; i++) {
        int w = er_display_width(rs->rules[i].info.id);
        if (w > wid)
            wid = w;
        if ((w = er_display_width(rs->rules[i].info.level)) > wlevel)
            wlevel = w;
        if (rs->rules[i].info.item &&
            (w = er_display_width(rs->rules[i].info.item)) > witem)
            witem = w;
    }
    er_fput_padded(fp, "id", wid + 2, false);
    er_fput_padded(fp, "kind", 12, false);
    er_fput_padded(fp, "level", wlevel + 2, false);
    er_fput_padded(fp, "item", witem + 2, false);
    er_fput_padded(fp, "years", 11, false);
    fputs("title\n", fp);
    for (size_t i = 0; i < rs->nrules; i++) {
        const er_rule_info *r = &rs->rules[i].info;
        years_text(r, years, sizeof years);
        er_fput_padded(fp, r->id, wid + 2, false);
        er_fput_padded(fp, r->kind, 12, false);
        er_fput_padded(fp, r->level, wlevel + 2, false);
        er_fput_padded(fp, r->item ? r->item : "-", witem + 2, false);
        er_fput_padded(fp, years, 11, false);
        er_term_put(fp, r->title);
        fputc('\n', fp);
    }
    return ER_OK;
}
