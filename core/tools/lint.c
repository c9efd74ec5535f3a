/*
 * lint.c - `equirule lint` beyond the contract the loader enforces: every
 * rule is evaluated, and an `evaluate` that returns nothing, returns
 * something that is not an outcome, or raises is an error; the metrics and
 * items rules read must be in the database's catalog (a standard key no
 * standard row and no item has is a warning); a rule's item must be a
 * known item; params should be read; rule files should have tests beside
 * them. Keys are found two ways: a scan of each file's source (string
 * literals, and `local NAME = "..."` constants, passed to the view's
 * methods: every path, literal keys only), and, with a database, an
 * evaluation of every rule on the latest year with a trace hook on the
 * view (computed keys too, but only on the paths the data takes). A rule
 * that the data does not evaluate (or that there is no database for) is
 * evaluated on a synthetic region (lint_synth.c). The evaluations run in a
 * supervised child so that a rule that hangs in C code becomes an error
 * naming it. It changes nothing.
 */
#include "tools.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the source scan (Lua, run in a sandbox environment) ----------------- */

/*
 * Takes the file's lines; returns the reads { method, key, line, expr }
 * (key nil when the argument is an expression it cannot resolve) and the
 * params read { [name] = line }. Comments and long strings are blanked;
 * quoted strings are kept, since keys are in them.
 */
static const char scanner[] =
    "local lines = ...\n"
    "local function strip(line, close)\n"
    "  local out, i, n = {}, 1, #line\n"
    "  if close then\n"
    "    local e = line:find(close, 1, true)\n"
    "    if not e then return '', close end\n"
    "    i = e + #close\n"
    "  end\n"
    "  while i <= n do\n"
    "    local ch = line:sub(i, i)\n"
    "    if ch == '\"' or ch == \"'\" then\n"
    "      local j = i + 1\n"
    "      while j <= n do\n"
    "        local cj = line:sub(j, j)\n"
    "        if cj == '\\\\' then j = j + 2\n"
    "        elseif cj == ch then break\n"
    "        else j = j + 1 end\n"
    "      end\n"
    "      out[#out + 1] = line:sub(i, j)\n"
    "      i = j + 1\n"
    "    elseif line:sub(i, i + 1) == '--' then\n"
    "      local eq = line:match('^%[(=*)%[', i + 2)\n"
    "      if not eq then break end\n"
    "      local c = ']' .. eq .. ']'\n"
    "      local e = line:find(c, i + 4 + #eq, true)\n"
    "      if not e then return table.concat(out), c end\n"
    "      i = e + #c\n"
    "    elseif ch == '[' and line:match('^%[=*%[', i) then\n"
    "      local eq = line:match('^%[(=*)%[', i)\n"
    "      local c = ']' .. eq .. ']'\n"
    "      out[#out + 1] = '\"\"'\n"
    "      local e = line:find(c, i + 2 + #eq, true)\n"
    "      if not e then return table.concat(out), c end\n"
    "      i = e + #c\n"
    "    else\n"
    "      out[#out + 1] = ch\n"
    "      i = i + 1\n"
    "    end\n"
    "  end\n"
    "  return table.concat(out), nil\n"
    "end\n"
    "local code, close = {}, nil\n"
    "for i = 1, #lines do code[i], close = strip(lines[i], close) end\n"
    "local consts = {}\n"
    "for i = 1, #code do\n"
    "  local name, q, val = code[i]:match("
    "\"^%s*local%s+([%a_][%w_]*)%s*=%s*(['\\\"])([^'\\\"]*)%2%s*;?%s*$\")\n"
    "  if name then consts[name] = val end\n"
    "end\n"
    "local methods = { fact = true, has = true, standard = true,\n"
    "                  share = true, transfer = true, result = true }\n"
    "local reads, params = {}, {}\n"
    "for i = 1, #code do\n"
    "  local c = code[i]\n"
    "  for m, arg in c:gmatch(':%s*([%a_][%w_]*)%s*%(%s*([^,%)]*)') do\n"
    "    if methods[m] then\n"
    "      arg = arg:match('^(.-)%s*$')\n"
    "      local key = arg:match('^\"([^\"]*)\"$')\n"
    "                  or arg:match(\"^'([^']*)'$\")\n"
    "      if not key and consts[arg] then key = consts[arg] end\n"
    "      reads[#reads + 1] = { method = m, key = key, line = i,\n"
    "                            expr = arg }\n"
    "    end\n"
    "  end\n"
    "  for name in c:gmatch('params%s*%.%s*([%a_][%w_]*)') do\n"
    "    params[name] = params[name] or i\n"
    "  end\n"
    "  for name in c:gmatch(\n"
    "      \"params%s*%[%s*['\\\"]([^'\\\"]*)['\\\"]%s*%]\") do\n"
    "    params[name] = params[name] or i\n"
    "  end\n"
    "end\n"
    "return reads, params\n";

typedef struct scan_read {
    char method[16];
    char *key; /* NULL: not a literal */
    int line;
} scan_read;

typedef struct file_scan {
    scan_read *reads;
    size_t nreads;
    er_strmap params; /* names read */
    bool ok;
    char error[512];
} file_scan;

static void scan_free(file_scan *s)
{
    for (size_t i = 0; i < s->nreads; i++)
        free(s->reads[i].key);
    free(s->reads);
    er_strmap_free(&s->params);
}

/* Runs the scanner over a file's source; results in *out. */
static void scan_file(er_ruleset *rs, const er_rule_file *f, file_scan *out)
{
    lua_State *L = rs->sb.L;
    int base = lua_gettop(L);
    er_strmap_init(&out->params);
    if (!f->source) {
        snprintf(out->error, sizeof out->error, "the file could not be read");
        return;
    }
    er_sandbox_arm(&rs->sb);
    if (luaL_loadbufferx(L, scanner, sizeof scanner - 1, "=lint", "t") !=
        LUA_OK) {
        er_sandbox_disarm(&rs->sb);
        er_lua_errtext(L, -1, out->error, sizeof out->error);
        lua_settop(L, base);
        return;
    }
    er_sandbox_push_env(L);
    lua_setupvalue(L, -2, 1);
    lua_newtable(L);
    int n = 0;
    const char *p = f->source, *end = f->source + f->len;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len && p[len - 1] == '\r')
            len--;
        lua_pushlstring(L, p, len);
        lua_rawseti(L, -2, ++n);
        if (!nl)
            break;
        p = nl + 1;
    }
    int status = lua_pcall(L, 1, 2, 0);
    int trip = er_sandbox_disarm(&rs->sb);
    if (status != LUA_OK || trip) {
        if (trip)
            er_sandbox_trip_message(&rs->sb, trip, out->error,
                                    sizeof out->error);
        else
            er_lua_errtext(L, -1, out->error, sizeof out->error);
        lua_settop(L, base);
        return;
    }
    int reads = base + 1, params = base + 2;
    size_t nr = lua_rawlen(L, reads);
    out->reads = calloc(nr + 1, sizeof *out->reads);
    for (size_t i = 0; out->reads && i < nr; i++) {
        lua_rawgeti(L, reads, (lua_Integer)i + 1);
        scan_read *r = &out->reads[out->nreads++];
        lua_getfield(L, -1, "method");
        snprintf(r->method, sizeof r->method, "%s", lua_tostring(L, -1));
        lua_getfield(L, -2, "key");
        r->key = lua_type(L, -1) == LUA_TSTRING ? er_strdup(lua_tostring(L, -1))
                                                : NULL;
        lua_getfield(L, -3, "line");
        r->line = (int)lua_tointeger(L, -1);
        lua_pop(L, 4);
    }
    lua_pushnil(L);
    while (lua_next(L, params)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING)
            er_strmap_intern(&out->params, lua_tostring(L, -1));
    }
    out->ok = out->reads != NULL;
    lua_settop(L, base);
}

/* ---- problems ------------------------------------------------------------ */

typedef struct problem {
    char *file;
    int line;
    bool error;
    char *text;
} problem;

typedef struct lint_ctx {
    er_ruleset *rs;
    problem *probs;
    size_t n, cap;
    er_strmap metrics, items, std_keys; /* the catalog */
    bool have_catalog;
    er_strmap reported; /* "file\x1fkind\x1fkey" already reported */
    char **chunks;      /* per file: "@display" */
    /* evaluation trace */
    const er_snapshot *snap;
    er_strmap seen; /* "rule\x1fkind\x1fkey" traced */
    uint8_t *evaluated; /* per rule: EVAL_* (in the child) */
    int synth_cut;      /* the synthetic rounds ran out (their bound) */
    bool oom;
} lint_ctx;

static void add_problem(lint_ctx *x, const char *file, int line, bool error,
                        const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void add_problem(lint_ctx *x, const char *file, int line, bool error,
                        const char *fmt, ...)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 32;
        problem *p = realloc(x->probs, cap * sizeof *p);
        if (!p) {
            x->oom = true;
            return;
        }
        x->probs = p;
        x->cap = cap;
    }
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    problem *p = &x->probs[x->n];
    p->file = er_strdup(file ? file : "");
    p->line = line;
    p->error = error;
    p->text = er_strdup(text);
    if (!p->file || !p->text) {
        free(p->file);
        free(p->text);
        x->oom = true;
        return;
    }
    x->n++;
}

static int cmp_problem(const void *pa, const void *pb)
{
    const problem *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return strcmp(a->text, b->text);
}

/* A load diagnostic "file:line: text" or "file: text" as a problem. */
static void add_diag(lint_ctx *x, const char *d)
{
    const char *c1 = strstr(d, ": ");
    const char *colon = strchr(d, ':');
    if (colon && c1 && colon < c1) { /* "file:line: ..." */
        char *end;
        long line = strtol(colon + 1, &end, 10);
        if (end == c1 && line > 0) {
            char file[4096];
            snprintf(file, sizeof file, "%.*s", (int)(colon - d), d);
            add_problem(x, file, (int)line, true, "%s", c1 + 2);
            return;
        }
    }
    if (c1) {
        char file[4096];
        snprintf(file, sizeof file, "%.*s", (int)(c1 - d), d);
        add_problem(x, file, 0, true, "%s", c1 + 2);
        return;
    }
    add_problem(x, "", 0, true, "%s", d);
}

/* ---- the catalog --------------------------------------------------------- */

static int read_keys(sqlite3 *db, const char *sql, er_strmap *m)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the catalog");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (sqlite3_column_text(st, 0) &&
            er_strmap_intern(m, (const char *)sqlite3_column_text(st, 0)) < 0) {
            sqlite3_finalize(st);
            return er_fail(ER_ENOMEM, "out of memory");
        }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return er_fail_sqlite(db, "reading the catalog");
    return ER_OK;
}

/* What a read of `method` names, and the catalog that holds it; NULL for
 * methods whose key is not a catalog entry. */
static const er_strmap *catalog_of(const lint_ctx *x, const char *method,
                                   const char **what, const char **table)
{
    if (strcmp(method, "fact") == 0 || strcmp(method, "has") == 0) {
        *what = "metric";
        *table = "metric table";
        return &x->metrics;
    }
    if (strcmp(method, "share") == 0 || strcmp(method, "transfer") == 0 ||
        strcmp(method, "split") == 0) {
        *what = "item";
        *table = "item table";
        return &x->items;
    }
    if (strcmp(method, "standard") == 0) {
        *what = "standard key";
        *table = "standard table";
        return &x->std_keys;
    }
    return NULL;
}

/* Reports `key` once per file and method kind when the catalog lacks it. */
static void check_key(lint_ctx *x, const char *file, int line,
                      const char *method, const char *key, const char *how)
{
    const char *what, *table;
    const er_strmap *cat = catalog_of(x, method, &what, &table);
    if (!cat || !key || er_strmap_find(cat, key) >= 0)
        return;
    bool standard = cat == &x->std_keys;
    if (standard && er_strmap_find(&x->items, key) >= 0)
        return; /* an item's standard, not set yet */
    char tag[4400];
    snprintf(tag, sizeof tag, "%s\x1f%s\x1f%s", file, what, key);
    if (er_strmap_find(&x->reported, tag) >= 0)
        return;
    er_strmap_intern(&x->reported, tag);
    /* a standard not set yet reads as nil, which the rule may handle: a
     * warning; a metric or item the catalog lacks is a typo or a gap in
     * the catalog: an error */
    if (standard)
        add_problem(x, file, line, false,
                    "r:standard reads standard key '%s', which no row of "
                    "the standard table and no item has: it is always "
                    "nil%s",
                    key, how);
    else
        add_problem(x, file, line, true,
                    "r:%s reads %s '%s', which is not in the %s%s", method,
                    what, key, table, how);
}

/* ---- the evaluation trace ------------------------------------------------ */

/* How far a rule's evaluations went (lint_ctx.evaluated): EVAL_SHORT when
 * each stopped short of the rule's main path (missing or skip); EVAL_ERROR
 * once a problem of its evaluation is reported (one per rule). */
enum { EVAL_NONE = 0, EVAL_SHORT, EVAL_DONE, EVAL_ERROR };

static const char *const trace_methods[] = {"fact",     "has",    "standard",
                                            "share",    "transfer", "result",
                                            "sql",      "split",
                                            "national_average"};

/* Years further than this from the year evaluated are a warning. */
#define FAR_YEARS 30

/* A read of a year no data can hold (outside 1949..2100, the integrity
 * rules) is an error: a typo such as 2109 for 2019, which a run would
 * report as missing data. A year far from the one evaluated is a warning.
 * Once per rule, method and year. */
static void check_year(lint_ctx *x, const er_eval *ev, const er_trace_event *e,
                       const char *file, int line)
{
    int year = (int)e->year;
    bool outside = year < 1949 || year > 2100;
    int away = year > ev->year ? year - ev->year : ev->year - year;
    if (!outside && away <= FAR_YEARS)
        return;
    const er_rule *r = &x->rs->rules[ev->rule];
    char tag[4400];
    snprintf(tag, sizeof tag, "%s\x1fyear\x1f%d\x1f%d\x1f%d", r->info.id,
             e->kind, year, line);
    if (er_strmap_find(&x->reported, tag) >= 0)
        return;
    if (er_strmap_intern(&x->reported, tag) < 0) {
        x->oom = true;
        return;
    }
    if (outside) {
        add_problem(x, file, line, true,
                    "rule '%s': r:%s reads year %d of '%s', outside "
                    "1949..2100, the years data can hold (a typo?); a run "
                    "would report it as missing data",
                    r->info.id, trace_methods[e->kind], year, e->key);
        if (x->evaluated)
            x->evaluated[ev->rule] = EVAL_ERROR; /* what follows is moot */
    } else {
        add_problem(x, file, line, false,
                    "rule '%s': r:%s reads year %d of '%s', %d years %s the "
                    "year evaluated (%d): a typo?",
                    r->info.id, trace_methods[e->kind], year, e->key, away,
                    year > ev->year ? "after" : "before", (int)ev->year);
    }
}

static void on_read(void *ctx, const er_eval *ev, const er_trace_event *e)
{
    lint_ctx *x = ctx;
    if (e->kind == ER_TRACE_SQL || e->kind == ER_TRACE_RESULT || ev->rule < 0)
        return;
    const er_rule *r = &x->rs->rules[ev->rule];
    /* the line: of the rule's file, else of the helper module that made
     * the read (the rule's frame is gone after a tail call) */
    char file[4096];
    int line = er_tools_call_place(ev->L, x->chunks[r->file], file,
                                   sizeof file);
    if (!file[0])
        snprintf(file, sizeof file, "%s", x->rs->files[r->file].display);
    if (e->kind == ER_TRACE_FACT || e->kind == ER_TRACE_HAS ||
        e->kind == ER_TRACE_STANDARD || e->kind == ER_TRACE_SHARE ||
        e->kind == ER_TRACE_TRANSFER || e->kind == ER_TRACE_SPLIT)
        check_year(x, ev, e, file, line);
    if (!x->have_catalog)
        return;
    char tag[4400];
    snprintf(tag, sizeof tag, "%d\x1f%d\x1f%s", (int)ev->rule, e->kind,
             e->key);
    if (er_strmap_find(&x->seen, tag) >= 0)
        return;
    if (er_strmap_intern(&x->seen, tag) < 0) {
        x->oom = true;
        return;
    }
    char how[300];
    const er_region *g = &ev->snap->regions[ev->region];
    snprintf(how, sizeof how, " (read when %s was evaluated for %s %s in %d)",
             r->info.id, g->code, g->name, (int)ev->year);
    check_key(x, file, line, trace_methods[e->kind], e->key, how);
}

/* ---- what an evaluation returned ----------------------------------------- */


/*
 * A finding of rule `rule` as a problem (an error, or a warning when
 * `error` is false) at the line its note names (the raise, when it is in
 * the rule's file), else at the line of its evaluate function; `where`
 * says which region it was evaluated for. One per rule.
 */
static void eval_problem(lint_ctx *x, int32_t rule, const er_finding *f,
                         const char *where, bool error)
{
    const er_rule *r = &x->rs->rules[rule];
    if (x->evaluated[rule] == EVAL_ERROR)
        return;
    x->evaluated[rule] = EVAL_ERROR;
    const char *file = x->rs->files[r->file].display;
    const char *msg = f->note && f->note[0] ? f->note : "an error";
    int line = r->info.line;
    /* "FILE:LINE: text", where Lua shortens a long FILE to "...TAIL" */
    for (const char *c = strchr(msg, ':'); c; c = strchr(c + 1, ':')) {
        char *end;
        long l = strtol(c + 1, &end, 10);
        if (end == c + 1 || l <= 0 || end[0] != ':' || end[1] != ' ')
            continue;
        size_t n = (size_t)(c - msg), fn = strlen(file);
        bool same = n == fn && strncmp(msg, file, n) == 0;
        bool tail = n > 3 && strncmp(msg, "...", 3) == 0 && fn >= n - 3 &&
                    strncmp(file + fn - (n - 3), msg + 3, n - 3) == 0;
        if (same || tail) {
            line = (int)l;
            msg = end + 2;
        }
        break;
    }
    /* the engine's message names the type; say what the author wrote */
    const char *hint = "";
    if (strstr(msg, "evaluate returned nil, not an outcome"))
        hint = "; does a path of evaluate end without a return?";
    else if (strstr(msg, "evaluate returned string, not an outcome"))
        hint = "; return skip(), pass(), ..., not the outcome's name";
    add_problem(x, file, line, error, "rule '%s', evaluated %s: %s%s",
                r->info.id, where, msg, hint);
}

static void eval_error(lint_ctx *x, int32_t rule, const er_finding *f,
                       const char *where)
{
    eval_problem(x, rule, f, where, true);
}

/* Records what an evaluation on the real data gave. */
static int lint_finding(void *ctx, const er_finding *f)
{
    lint_ctx *x = ctx;
    if (f->outcome == ER_ERROR_OUTCOME && f->note &&
        strstr(f->note, ER_UNKNOWN_KEY_TEXT)) {
        /* a key the catalog lacks: the trace reported it (check_key);
         * the synthetic region, which has it, checks the rest */
        if (x->evaluated[f->rule] == EVAL_NONE)
            x->evaluated[f->rule] = EVAL_SHORT;
    } else if (f->outcome == ER_ERROR_OUTCOME) {
        const er_region *g = &x->snap->regions[f->region];
        char where[200];
        snprintf(where, sizeof where, "for %s %s in %d", g->code, g->name,
                 (int)f->year);
        eval_error(x, f->rule, f, where);
    } else if (f->outcome == ER_MISSING || f->outcome == ER_SKIP) {
        if (x->evaluated[f->rule] == EVAL_NONE)
            x->evaluated[f->rule] = EVAL_SHORT;
    } else if (x->evaluated[f->rule] != EVAL_ERROR) {
        x->evaluated[f->rule] = EVAL_DONE;
    }
    return ER_OK;
}

/* Records what an evaluation on the synthetic region gave. There every
 * standard a rule reads is set, so an at_least/at_most without a required
 * value (outcome missing) has it nil in the rule itself: a misspelt param
 * or local, not a data gap. */
static void synth_finding(void *ctx, const er_finding *f, const er_region *g)
{
    lint_ctx *x = ctx;
    bool nil_required = f->outcome == ER_MISSING && f->note &&
                        strstr(f->note, ": no required value");
    if (f->outcome != ER_ERROR_OUTCOME && f->outcome != ER_MISSING)
        return;
    char where[200];
    snprintf(where, sizeof where,
             "on a synthetic %s (%s, every value made up) in %d",
             er_level_names[g->level], g->code, (int)f->year);
    if (f->outcome == ER_ERROR_OUTCOME && f->note &&
        strstr(f->note, ER_UNKNOWN_KEY_TEXT)) {
        /* lint adds every key read; one still lacking means the rounds
         * ran out before this read */
        er_finding e = *f;
        char note[600];
        snprintf(note, sizeof note,
                 "lint stopped making up values before this read (%s): the "
                 "rest of evaluate is not checked",
                 f->note);
        e.note = note;
        eval_problem(x, f->rule, &e, where, false);
        return;
    }
    if (f->outcome == ER_ERROR_OUTCOME) {
        eval_error(x, f->rule, f, where);
        return;
    }
    if (!nil_required) { /* a read lint could not answer */
        er_finding e = *f;
        char note[512];
        if (x->synth_cut) /* not a gap: the rounds ran out */
            snprintf(note, sizeof note,
                     "lint stopped after %d rounds of made-up values (each "
                     "round answers the next read the rule makes): the rest "
                     "of evaluate is not checked",
                     x->synth_cut);
        else
            snprintf(note, sizeof note,
                     "stopped as missing data lint cannot make up (%s): the "
                     "rest of evaluate is not checked",
                     f->note ? f->note : "?");
        e.note = note;
        eval_problem(x, f->rule, &e, where, false);
        return;
    }
    er_finding e = *f;
    char note[512];
    snprintf(note, sizeof note,
             "the required value given to %.*s is nil although every "
             "standard read was answered: a misspelt param, local or "
             "field? (the finding would read as missing data)",
             (int)strcspn(f->note, ":"), f->note);
    e.note = note;
    eval_error(x, f->rule, &e, where);
}

/* ---- the traced evaluation, supervised ------------------------------------ */

typedef struct lint_job {
    lint_ctx *x;
    const char *dbpath;
    const er_selection *sel;
} lint_job;

static void put_str(er_buf *b, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    er_buf_add(b, &n, sizeof n);
    er_buf_add(b, s, n);
}

/* In a supervised child: evaluates the selected rules on the real data
 * with the trace hook (when there is a snapshot), then the selected rules
 * the data did not evaluate on the synthetic region, and sends back the
 * problems found (each: line, error, file, text). */
static int lint_child(void *ctx, er_child *child)
{
    lint_job *j = ctx;
    lint_ctx *x = j->x;
    er_ruleset *rs = x->rs;
    size_t first = x->n;
    int rc = ER_OK;
    bool *synth = calloc(rs->nrules + 1, sizeof *synth);
    x->evaluated = calloc(rs->nrules + 1, 1);
    if (!synth || !x->evaluated) {
        free(synth);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    if (x->snap) {
        er_trace_hook hook = {on_read, x};
        rs->trace = &hook;
        rc = er_engine_evaluate(rs, x->snap, j->dbpath, j->sel, lint_finding,
                                x, NULL);
        rs->trace = NULL;
    }
    size_t nsynth = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        synth[i] = j->sel->rules[i] && x->evaluated[i] <= EVAL_SHORT;
        nsynth += synth[i];
    }
    if (rc == ER_OK && nsynth) {
        /* the metric domains, read on a connection of this process */
        sqlite3 *catalog = NULL;
        if (j->dbpath &&
            sqlite3_open_v2(j->dbpath, &catalog, SQLITE_OPEN_READONLY,
                            NULL) != SQLITE_OK) {
            sqlite3_close(catalog);
            catalog = NULL;
        }
        er_trace_hook hook = {on_read, x};
        rc = er_lint_synthetic(rs, catalog, synth, &hook, synth_finding, x,
                               &x->synth_cut);
        sqlite3_close(catalog);
    }
    free(synth);
    free(x->evaluated);
    x->evaluated = NULL;
    if (rc != ER_OK)
        return rc;
    if (x->oom)
        return er_fail(ER_ENOMEM, "out of memory");
    er_buf b;
    er_buf_init(&b);
    for (size_t i = first; i < x->n; i++) {
        int32_t line = x->probs[i].line;
        uint8_t error = x->probs[i].error;
        er_buf_add(&b, &line, sizeof line);
        er_buf_add(&b, &error, 1);
        put_str(&b, x->probs[i].file);
        put_str(&b, x->probs[i].text);
    }
    rc = b.len == 0 || b.data ? er_child_send(child, b.data, b.len)
                              : er_fail(ER_ENOMEM, "out of memory");
    er_buf_free(&b);
    return rc;
}

/* Reads a string put_str wrote; NULL when the bytes run out. */
static char *get_str(const er_buf *b, size_t *off)
{
    uint32_t n;
    if (*off + sizeof n > b->len)
        return NULL;
    memcpy(&n, b->data + *off, sizeof n);
    *off += sizeof n;
    if (*off + n > b->len)
        return NULL;
    char *s = strndup(b->data + *off, n);
    *off += n;
    return s;
}

/* Whether a problem the checks before the evaluation found (the source
 * scans) says what the evaluation's `text` ends with, at the same place:
 * the same mistake, found twice. */
static bool already_said(const lint_ctx *x, const char *file, int line,
                         const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i < x->n; i++) {
        const problem *p = &x->probs[i];
        size_t m = strlen(p->text);
        if (p->line == line && m < n && strcmp(p->file, file) == 0 &&
            strcmp(text + n - m, p->text) == 0 && text[n - m - 1] == ' ')
            return true;
    }
    return false;
}

/* Evaluates every rule once, in a supervised child: with data (a snapshot
 * with a latest year), on that year, tracing the keys it reads; the rules
 * the data does not evaluate, on the synthetic region. A rule whose
 * evaluation hangs in C code or crashes the child is an error naming it;
 * the evaluation runs again without it (and the problems of the child
 * that was stopped are not kept: the next one finds them again). */
static int evaluate_all(lint_ctx *x, er_db *db)
{
    er_ruleset *rs = x->rs;
    bool *keep = malloc(rs->nrules + 1);
    if (!keep)
        return er_fail(ER_ENOMEM, "out of memory");
    memset(keep, 1, rs->nrules + 1);
    int year = x->snap ? x->snap->data_year_max : 0;
    er_selection sel = {.year_from = year, .year_to = year,
                        .rules = keep, .region = -1};
    lint_job job = {x, db ? db->path : NULL, &sel};
    int rc = db ? er_db_suspend(db) : ER_OK;
    for (size_t round = 0; rc == ER_OK && round <= rs->nrules; round++) {
        er_buf got;
        er_buf_init(&got);
        er_stopped st;
        rc = er_supervise(lint_child, &job, &rs->sb, &got, &st);
        if (rc == ER_OK) {
            size_t off = 0;
            while (off < got.len) {
                int32_t line;
                uint8_t error;
                if (off + sizeof line + 1 > got.len)
                    break;
                memcpy(&line, got.data + off, sizeof line);
                error = (uint8_t)got.data[off + sizeof line];
                off += sizeof line + 1;
                char *file = get_str(&got, &off), *text = get_str(&got, &off);
                if (file && text && !already_said(x, file, line, text))
                    add_problem(x, file, line, error, "%s", text);
                free(file);
                free(text);
            }
            er_buf_free(&got);
            break;
        }
        er_buf_free(&got);
        if (!st.stopped || st.key < 0 || (size_t)st.key >= rs->nrules ||
            !keep[st.key])
            break;
        const er_rule *r = &rs->rules[st.key];
        add_problem(x, rs->files[r->file].display, r->info.line, true,
                    "rule '%s': %s", r->info.id, er_errmsg());
        keep[st.key] = false;
        rc = ER_OK;
    }
    int rc2 = db ? er_db_resume(db) : ER_OK;
    free(keep);
    return rc != ER_OK ? rc : rc2;
}

/* ---- the checks ---------------------------------------------------------- */

/* A folder without a rule file (a CI step pointed at the wrong folder)
 * is an error, not a clean lint of nothing. */
static void no_rule_files(lint_ctx *x)
{
    const er_ruleset *rs = x->rs;
    bool files = false;
    for (size_t i = 0; i < rs->nfiles; i++)
        files = files || !rs->files[i].module;
    char sub[8400];
    struct stat st;
    snprintf(sub, sizeof sub, "%s/rules", rs->dir);
    bool below = stat(sub, &st) == 0 && S_ISDIR(st.st_mode);
    if (below && rs->nrules == 0) /* the folder above the rules folder */
        add_problem(x, rs->dir, 0, true,
                    "no rule %s here: this looks like the folder above the "
                    "rules folder; did you mean --rules %s?",
                    files ? "loads" : "files", sub);
    else if (!files && !rs->ndiags)
        add_problem(x, rs->dir, 0, true,
                    "no rule files here (rules go in <department>/*.lua "
                    "below the rules folder)");
}


static bool rule_file_has_test(const er_ruleset *rs, const er_rule_file *f)
{
    char path[8400];
    size_t n = strlen(f->path);
    snprintf(path, sizeof path, "%s/%.*s_test.lua", rs->dir,
             (int)(n > 4 ? n - 4 : n), f->path);
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A rule in force in no year the data holds facts for (an effective year
 * typo, from = 2091 for 2019): a run evaluates it nowhere, and says only
 * that nothing was assessed. A warning: the data may be behind. */
static void check_in_force(lint_ctx *x, const er_rule_file *f,
                           const er_rule *r)
{
    const er_snapshot *s = x->snap;
    if (!s || !s->year_facts || (!r->info.year_from && !r->info.year_to))
        return;
    int lo = 0, hi = 0;
    for (int32_t y = 0; y < s->nyears; y++)
        if (s->year_facts[y] > 0) {
            if (!lo)
                lo = s->year_min + y;
            hi = s->year_min + y;
        }
    if (!lo || ((!r->info.year_from || r->info.year_from <= hi) &&
                (!r->info.year_to || r->info.year_to >= lo)))
        return;
    char eff[64] = "";
    if (r->info.year_from)
        snprintf(eff, sizeof eff, "from %d", r->info.year_from);
    if (r->info.year_to)
        snprintf(eff + strlen(eff), sizeof eff - strlen(eff), "%sto %d",
                 r->info.year_from ? " " : "", r->info.year_to);
    add_problem(x, f->display, r->info.line, false,
                "rule '%s' is in force in no year of the data (effective "
                "%s; the data has facts for %d-%d): an effective year typo? "
                "a run evaluates it nowhere",
                r->info.id, eff, lo, hi);
}

/* A rule file saved in another encoding (GBK, say): its titles and notes
 * would show as U+FFFD in every output. */
static void check_utf8(lint_ctx *x, const er_rule_file *f)
{
    long at = f->source ? er_utf8_invalid_at(f->source, f->len) : -1;
    if (at < 0)
        return;
    int line = 1;
    for (long i = 0; i < at; i++)
        line += f->source[i] == '\n';
    add_problem(x, f->display, line, false,
                "not valid UTF-8 (byte 0x%02X): save the file as UTF-8; "
                "its text shows as U+FFFD in every output",
                (unsigned char)f->source[at]);
}

static void check_file(lint_ctx *x, size_t fi)
{
    er_ruleset *rs = x->rs;
    const er_rule_file *f = &rs->files[fi];
    lua_State *L = rs->sb.L;
    file_scan scan;
    memset(&scan, 0, sizeof scan);
    check_utf8(x, f);
    scan_file(rs, f, &scan);
    if (!scan.ok && f->source)
        add_problem(x, f->display, 0, false,
                    "the source could not be scanned (%s): its keys and "
                    "params are not checked",
                    scan.error);

    bool any_rule = false;
    for (size_t i = 0; i < rs->nrules; i++) {
        const er_rule *r = &rs->rules[i];
        if ((size_t)r->file != fi)
            continue;
        any_rule = true;
        if (x->have_catalog && r->info.item &&
            er_strmap_find(&x->items, r->info.item) < 0)
            add_problem(x, f->display, r->info.line, true,
                        "rule '%s': item '%s' is not in the item table",
                        r->info.id, r->info.item);
        if (scan.ok && r->params_ref != LUA_NOREF) {
            lua_rawgeti(L, LUA_REGISTRYINDEX, r->params_ref);
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pop(L, 1);
                const char *name = lua_tostring(L, -1);
                if (lua_type(L, -1) == LUA_TSTRING &&
                    er_strmap_find(&scan.params, name) < 0)
                    add_problem(x, f->display, r->info.line, false,
                                "rule '%s': param '%s' is never read (no "
                                "params.%s in the file)",
                                r->info.id, name, name);
            }
            lua_pop(L, 1);
        }
    }
    for (size_t k = 0; scan.ok && k < scan.nreads; k++) {
        const scan_read *sr = &scan.reads[k];
        if (strcmp(sr->method, "result") == 0) {
            bool needed = sr->key == NULL;
            for (size_t i = 0; i < rs->nrules && !needed; i++) {
                const er_rule *r = &rs->rules[i];
                for (int32_t q = 0; (size_t)r->file == fi && q < r->nneeds; q++)
                    needed = needed ||
                             strcmp(rs->rules[r->needs[q]].info.id, sr->key) ==
                                 0;
            }
            if (!needed && any_rule)
                add_problem(x, f->display, sr->line, true,
                            "r:result('%s'): no rule of the file names it in "
                            "its needs",
                            sr->key);
            continue;
        }
        if (x->have_catalog)
            check_key(x, f->display, sr->line, sr->method, sr->key, "");
    }
    if (any_rule && !rule_file_has_test(rs, f)) {
        const char *slash = strrchr(f->path, '/');
        const char *base = slash ? slash + 1 : f->path;
        add_problem(x, f->display, 0, false,
                    "no test file beside it (%.*s_test.lua)",
                    (int)(strlen(base) > 4 ? strlen(base) - 4 : strlen(base)),
                    base);
    }
    scan_free(&scan);
}

/* er_lint_report_fn into the problems (lint_globals.c's findings). */
static void add_reported(void *ctx, const char *file, int line, bool error,
                         const char *text)
{
    add_problem(ctx, file, line, error, "%s", text);
}

int er_lint(er_ruleset *rs, const er_lint_opts *opts, FILE *fp,
            er_lint_stats *stats)
{
    static const er_lint_opts defaults = {0};
    const er_lint_opts *o = opts ? opts : &defaults;
    lint_ctx x;
    memset(&x, 0, sizeof x);
    x.rs = rs;
    er_strmap_init(&x.metrics);
    er_strmap_init(&x.items);
    er_strmap_init(&x.std_keys);
    er_strmap_init(&x.reported);
    er_strmap_init(&x.seen);
    er_snapshot *snap = NULL;
    int rc = ER_OK;

    x.chunks = calloc(rs->nfiles + 1, sizeof *x.chunks);
    if (!x.chunks) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < rs->nfiles; i++) {
        er_buf b;
        er_buf_init(&b);
        er_buf_printf(&b, "@%s", rs->files[i].display);
        if (!(x.chunks[i] = er_buf_detach(&b))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < rs->ndiags; i++)
        add_diag(&x, rs->diags[i]);
    no_rule_files(&x);
    if (o->db) {
        if ((rc = read_keys(o->db->db, "SELECT key FROM metric", &x.metrics)) !=
                ER_OK ||
            (rc = read_keys(o->db->db, "SELECT code FROM item", &x.items)) !=
                ER_OK ||
            (rc = read_keys(o->db->db, "SELECT DISTINCT key FROM standard",
                            &x.std_keys)) != ER_OK)
            goto done;
        x.have_catalog = true;
    } else {
        add_problem(&x, "", 0, false,
                    "no database at hand: metrics, items and standard keys "
                    "are not checked against a catalog, and rules are "
                    "evaluated on a synthetic region only (give --db FILE)");
    }
    for (size_t i = 0; i < rs->nfiles; i++)
        check_file(&x, i);
    if ((rc = er_lint_globals(rs, add_reported, &x)) != ER_OK)
        goto done;

    if (!o->no_eval && rs->nrules) {
        if (o->db) {
            if ((rc = er_snapshot_load(o->db->db, &snap)) != ER_OK)
                goto done;
            x.snap = snap->data_year_max ? snap : NULL;
            for (size_t i = 0; i < rs->nrules; i++)
                check_in_force(&x, &rs->files[rs->rules[i].file],
                               &rs->rules[i]);
        }
        if ((rc = evaluate_all(&x, o->db)) != ER_OK)
            goto done;
    }
    if (x.oom) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }

    if (x.n)
        qsort(x.probs, x.n, sizeof *x.probs, cmp_problem);
    er_lint_stats st = {0};
    for (size_t i = 0; i < x.n; i++) {
        problem *p = &x.probs[i];
        if (o->strict)
            p->error = true;
        if (p->file[0]) { /* a path is text from outside, for a terminal */
            er_text_put(fp, ER_TEXT_TERM, p->file);
            if (p->line > 0)
                fprintf(fp, ":%d", p->line);
            fputs(": ", fp);
        }
        fprintf(fp, "%s: ", p->error ? "error" : "warning");
        er_text_put(fp, ER_TEXT_LINES, p->text);
        fputc('\n', fp);
        if (p->error)
            st.errors++;
        else
            st.warnings++;
    }
    fprintf(fp, "%zu rule%s in %zu file%s: %ld error%s, %ld warning%s\n",
            rs->nrules, rs->nrules == 1 ? "" : "s", rs->nfiles,
            rs->nfiles == 1 ? "" : "s", st.errors, st.errors == 1 ? "" : "s",
            st.warnings, st.warnings == 1 ? "" : "s");
    if (stats)
        *stats = st;
done:
    rs->trace = NULL;
    for (size_t i = 0; i < x.n; i++) {
        free(x.probs[i].file);
        free(x.probs[i].text);
    }
    free(x.probs);
    for (size_t i = 0; x.chunks && i < rs->nfiles; i++)
        free(x.chunks[i]);
    free(x.chunks);
    er_strmap_free(&x.metrics);
    er_strmap_free(&x.items);
    er_strmap_free(&x.std_keys);
    er_strmap_free(&x.reported);
    er_strmap_free(&x.seen);
    er_snapshot_free(snap);
    return rc;
}
