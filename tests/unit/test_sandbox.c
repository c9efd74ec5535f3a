/*
 * test_sandbox.c - the hard sandbox: the exact allow-list of the rule
 * environment, the hostile-rules suite (tests/hostile: one rule a file, each
 * with the outcome and message it must get) run among the shipped rules in
 * worker processes, and determinism: every shipped and hostile rule with
 * --jobs 0, 1, 2 and 8, twice, the same findings in the same order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/equirule-sandbox-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Keys of a table at the top of the stack, sorted, joined by spaces. */
static char *sorted_keys(lua_State *L)
{
    char *keys[256];
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) && n < 256) {
        lua_pop(L, 1);
        keys[n++] = strdup(lua_tostring(L, -1));
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(keys[i]) + 1;
    char *out = calloc(1, len);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, " ");
        strcat(out, keys[i]);
        free(keys[i]);
    }
    return out;
}

static void test_sandbox__environment_is_an_exact_allow_list(void **state)
{
    (void)state;
    er_sandbox sb;
    assert_int_equal(er_sandbox_open(&sb, 0, 0, 0), ER_OK);
    lua_State *L = sb.L;
    er_sandbox_push_env(L);
    assert_true(lua_getmetatable(L, -1));
    lua_getfield(L, -1, "__index");
    char *globals = sorted_keys(L);
    assert_string_equal(
        globals,
        "_G _VERSION assert at_least at_most cut distribute error fail "
        "getmetatable indicator ipairs load math missing next pairs pass pcall "
        "rawequal rawget rawlen rawset require select setmetatable skip "
        "string table tonumber tostring type utf8 warn xpcall");
    free(globals);
    static const struct {
        const char *lib, *keys;
    } libs[] = {
        {"string", "byte char find format gmatch gsub len lower match pack "
                   "packsize rep reverse sub unpack upper"},
        {"table", "concat insert move pack remove sort unpack"},
        /* Debian builds Lua with LUA_COMPAT_MATHLIB (cosh, pow, ...) */
        {"math", "abs acos asin atan atan2 ceil cos cosh deg exp floor fmod "
                 "frexp huge ldexp log log10 max maxinteger min mininteger "
                 "modf pi pow rad sin sinh sqrt tan tanh tointeger type ult"},
        {"utf8", "char charpattern codepoint codes len offset"},
    };
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        lua_getfield(L, -1, libs[i].lib);
        char *keys = sorted_keys(L);
        assert_string_equal(keys, libs[i].keys);
        free(keys);
        lua_pop(L, 1);
    }
    /* the real globals table holds nothing rules could reach */
    lua_pushglobaltable(L);
    lua_pushnil(L);
    assert_int_equal(lua_next(L, -2), 0);
    er_sandbox_close(&sb);
}

static void test_sandbox__libraries_are_copies_per_file(void **state)
{
    (void)state;
    er_sandbox sb;
    assert_int_equal(er_sandbox_open(&sb, 0, 0, 0), ER_OK);
    lua_State *L = sb.L;
    er_sandbox_push_env(L);
    er_sandbox_push_env(L);
    lua_getfield(L, -2, "string");
    lua_getfield(L, -2, "string");
    assert_false(lua_rawequal(L, -1, -2));
    er_sandbox_close(&sb);
}

/* money.to_fen (scripts/lib/money.lua) rounds exactly as the engine
 * records: the same fen as er_yuan_to_fen on values where a binary
 * shortcut would differ, and the same refusals. */
static void test_sandbox__money_to_fen_rounds_as_the_engine(void **state)
{
    (void)state;
    static const double values[] = {
        0.0, 0.005, 0.004, 0.0049999999999999, 0.125, 1.005, 2.675, 0.995,
        1.00499999999999, 0.1 + 0.2, 3219108.91, 123456789.125,
        1000000000.005, 765432109876.003, 800000000000.003,
        123456789012.3446, 123456789012.345, 1.73e12, 2500000000000.25,
        45035996273704.0, 90071992547409.91, 90071992547409.9, 1e-300,
        5e-324, 0.5, 0.015, 0.025, 1234.5650000000001,
        -1.005, -2.675, -0.005, -765432109876.003, -90071992547409.91,
        /* out of range for a float: both refuse */
        90071992547410.0, 9007199254740992.0, 9.3e16, 1e300, -1e17};
    er_sandbox sb;
    assert_int_equal(er_sandbox_open(&sb, 0, 0, 0), ER_OK);
    lua_State *L = sb.L;
    er_sandbox_push_env(L);
    lua_getfield(L, -1, "require");
    lua_pushliteral(L, "money");
    assert_int_equal(lua_pcall(L, 1, 1, 0), LUA_OK);
    lua_getfield(L, -1, "to_fen");
    int to_fen = lua_gettop(L);
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        double v = values[i];
        lua_pushvalue(L, to_fen);
        lua_pushnumber(L, v);
        int rc = lua_pcall(L, 1, 1, 0);
        if (!er_yuan_fits_fen(v)) {
            if (rc == LUA_OK)
                fail_msg("to_fen(%.17g) gave %s, not an error", v,
                         lua_tostring(L, -1));
            assert_non_null(strstr(lua_tostring(L, -1), "out of range"));
        } else {
            if (rc != LUA_OK)
                fail_msg("to_fen(%.17g): %s", v, lua_tostring(L, -1));
            if (!lua_isinteger(L, -1) ||
                lua_tointeger(L, -1) != er_yuan_to_fen(v))
                fail_msg("to_fen(%.17g) = %s, the engine records %lld", v,
                         lua_tostring(L, -1), (long long)er_yuan_to_fen(v));
        }
        lua_pop(L, 1);
    }
    /* integers are whole yuan, exactly, even past 2^53 */
    lua_pushvalue(L, to_fen);
    lua_pushinteger(L, 9007199254740993LL);
    assert_int_equal(lua_pcall(L, 1, 1, 0), LUA_OK);
    assert_int_equal(lua_tointeger(L, -1), 900719925474099300LL);
    lua_pop(L, 1);
    lua_pushvalue(L, to_fen);
    lua_pushinteger(L, INT64_MAX / 10);
    assert_int_not_equal(lua_pcall(L, 1, 1, 0), LUA_OK);
    assert_non_null(strstr(lua_tostring(L, -1), "out of range"));
    er_sandbox_close(&sb);
}

/* money.cap_fen (scripts/lib/money.lua) caps an amount due by what was
 * paid without rounding above it: the due amount rounds half away from
 * zero, the cap rounds down (floor_fen), both from the shortest decimal. */
static void test_sandbox__money_cap_fen_never_passes_the_cap(void **state)
{
    (void)state;
    static const char chunk[] =
        "local money = require 'money'\n"
        "local function eq(got, want, what)\n"
        "  if got ~= want or math.type(got) ~= 'integer' then\n"
        "    error(what .. ': got ' .. tostring(got) .. ', expected ' ..\n"
        "          tostring(want), 0)\n"
        "  end\n"
        "end\n"
        "eq(money.cap_fen(6000000, 5000000.555), 500000055, 'the issue')\n"
        "eq(money.cap_fen(14364000.0, 12852000), 1285200000, 'integer cap')\n"
        "eq(money.cap_fen(1.005, 2), 101, 'due rounds half away')\n"
        "eq(money.cap_fen(0.125, 0.125), 12, 'equal: the cap rounds down')\n"
        "eq(money.cap_fen(0, 0.5), 0, 'nothing due')\n"
        "eq(money.floor_fen(2.675), 267, '2.675')\n"
        "eq(money.floor_fen(0.129), 12, '0.129')\n"
        "eq(money.floor_fen(1.1), 110, 'whole fen stay')\n"
        "eq(money.floor_fen(0.1 + 0.2), 30, '0.1 + 0.2')\n"
        "eq(money.floor_fen(0.0001), 0, 'below a fen')\n"
        "eq(money.floor_fen(-0.0001), -1, 'below a fen, negative')\n"
        "eq(money.floor_fen(-0.121), -13, 'negative rounds down')\n"
        "eq(money.floor_fen(5), 500, 'integer yuan')\n"
        "for _, v in ipairs({ 0.005, 1.005, 3219108.91, 123456789.125,\n"
        "                     1000000000.005, 765432109876.003,\n"
        "                     90071992547409.91, 5000000.555, 0.995 }) do\n"
        "  local up, down = money.to_fen(v), money.floor_fen(v)\n"
        "  if not (down <= up and up - down <= 1) then\n"
        "    error('floor_fen(' .. v .. ') = ' .. down .. ', to_fen ' .. up,\n"
        "          0)\n"
        "  end\n"
        "end\n"
        "local ok, msg = pcall(money.cap_fen, -1, 2)\n"
        "assert(not ok and msg:find('must not be negative', 1, true), msg)\n"
        "ok, msg = pcall(money.cap_fen, 1, 0 / 0)\n"
        "assert(not ok and msg:find('finite', 1, true), msg)\n"
        "ok, msg = pcall(money.floor_fen, 1e300)\n"
        "assert(not ok and msg:find('out of range', 1, true), msg)\n"
        "return 'ok'\n";
    er_sandbox sb;
    assert_int_equal(er_sandbox_open(&sb, 0, 0, 0), ER_OK);
    lua_State *L = sb.L;
    assert_int_equal(luaL_loadbufferx(L, chunk, sizeof chunk - 1, "=cap",
                                      "t"),
                     LUA_OK);
    er_sandbox_push_env(L);
    lua_setupvalue(L, -2, 1);
    if (lua_pcall(L, 0, 1, 0) != LUA_OK)
        fail_msg("%s", lua_tostring(L, -1));
    assert_string_equal(lua_tostring(L, -1), "ok");
    er_sandbox_close(&sb);
}

/* Each evaluation's instruction budget starts afresh: the count of the
 * hook is not what the previous evaluation left of its interval. With a
 * budget of 1000 the hook trips at its second firing (2000 instructions);
 * a chunk of about 1700 would trip on its second run if the count carried
 * over (300 left, then 1300). */
static void test_sandbox__budget_does_not_carry_over(void **state)
{
    (void)state;
    er_sandbox sb;
    assert_int_equal(er_sandbox_open(&sb, 0, 1000, 0), ER_OK);
    lua_State *L = sb.L;
    assert_int_equal(luaL_loadstring(L, "local s = 0 for i = 1, 850 do "
                                        "s = s + i end return s"),
                     LUA_OK);
    for (int run = 0; run < 4; run++) {
        lua_pushvalue(L, -1);
        er_sandbox_arm(&sb);
        int status = lua_pcall(L, 0, 1, 0);
        int trip = er_sandbox_disarm(&sb);
        assert_int_equal(trip, ER_TRIP_NONE);
        assert_int_equal(status, LUA_OK);
        assert_int_equal(lua_tointeger(L, -1), 850 * 851 / 2);
        lua_pop(L, 1);
    }
    er_sandbox_close(&sb);
}

/* Text with a NUL byte in a rule table is refused when the file loads:
 * C reads ids, params and needs as C strings and would cut them short. */
static void test_sandbox__nul_bytes_in_rule_fields_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *file, *text, *diag;
    } cases[] = {
        {"id.lua", "return { id = 'x.a\\0b', title = 't', basis = 'b', "
                   "kind = 'compliance', level = 'city', "
                   "evaluate = function(r) return pass() end }",
         "field 'id' contains a NUL byte"},
        {"params.lua", "return { id = 'x.p', title = 't', basis = 'b', "
                       "kind = 'compliance', level = 'city', "
                       "params = { ['limit\\0x'] = 1 }, "
                       "evaluate = function(r) return pass() end }",
         "params: a name or value contains a NUL byte"},
        {"needs.lua", "return { id = 'x.n', title = 't', basis = 'b', "
                      "kind = 'compliance', level = 'city', "
                      "needs = { 'x.p\\0' }, "
                      "evaluate = function(r) return pass() end }",
         "needs[1] must be a rule id"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char dir[512], path[600];
        snprintf(dir, sizeof dir, "%s/nul-%zu/x", tmpdir, i);
        char cmd[700];
        snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
        assert_int_equal(system(cmd), 0);
        snprintf(path, sizeof path, "%s/%s", dir, cases[i].file);
        FILE *fp = fopen(path, "w");
        assert_non_null(fp);
        fputs(cases[i].text, fp);
        fclose(fp);
        snprintf(dir, sizeof dir, "%s/nul-%zu", tmpdir, i);
        er_ruleset *rs = NULL;
        assert_int_equal(er_ruleset_load(&rs, dir), ER_OK);
        bool found = false;
        for (size_t d = 0; d < er_ruleset_diag_count(rs); d++)
            found = found || strstr(er_ruleset_diag(rs, d), cases[i].diag);
        if (!found)
            fail_msg("%s: no diagnostic \"%s\"", cases[i].file,
                     cases[i].diag);
        assert_int_equal(er_ruleset_count(rs), 0);
        er_ruleset_free(rs);
    }
}

/* ---- the hostile suite ---------------------------------------------------- */

typedef struct expectation {
    char id[128];
    char outcome[32];
    char message[256];
    char region[16]; /* "" = the province */
    bool every_city; /* "-- level: city": all 21 cities get the outcome */
    int timing;      /* TIMING_*: which limit stops it */
} expectation;

/* Which limit stops a case. Only the deadline cases depend on a clock: the
 * others run under a deadline long enough that a loaded machine (or an
 * ASan build) cannot make the clock win over the limit they test. */
enum {
    TIMING_NONE = 0,   /* memory, instructions, stack, a check: no clock */
    TIMING_HOOK,       /* "time limit exceeded": the deadline, in process */
    TIMING_SUPERVISOR, /* "timeout: no result": only the supervisor can stop
                          it (a hang in C code); --jobs 0 would hang */
};
/* The deadline of the cases without a clock (seconds). */
#define NO_CLOCK_TIMEOUT 60.0

static int read_expectation(const char *path, const char *name,
                            expectation *e)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    char line[512];
    memset(e, 0, sizeof *e);
    snprintf(e->id, sizeof e->id, "hostile.%.*s",
             (int)(strlen(name) - strlen(".lua")), name);
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "-- region: ", 11) == 0)
            snprintf(e->region, sizeof e->region, "%.15s", line + 11);
        if (strcmp(line, "-- level: city") == 0)
            e->every_city = true;
        if (strncmp(line, "-- expect: ", 11) == 0) {
            const char *v = line + 11;
            const char *colon = strstr(v, ": ");
            if (colon) {
                snprintf(e->outcome, sizeof e->outcome, "%.*s",
                         (int)(colon - v), v);
                snprintf(e->message, sizeof e->message, "%s", colon + 2);
            } else {
                snprintf(e->outcome, sizeof e->outcome, "%.31s", v);
            }
        }
    }
    fclose(fp);
    e->timing = strncmp(e->message, "timeout: no result", 18) == 0
                    ? TIMING_SUPERVISOR
                : strncmp(e->message, "time limit exceeded", 19) == 0
                    ? TIMING_HOOK
                    : TIMING_NONE;
    return e->outcome[0] ? 0 : -1;
}

/* Limits of a run: the hostile suite's, or lean ones (enough for the
 * shipped rules, and quicker for the hostile ones to reach) for the many
 * runs of the determinism test. The suite's memory limit leaves room for
 * a deep recursion to reach Lua's stack limit (about 60 MB of stack and
 * call frames) beside every shipped rule file and the helper modules each
 * one loads, so that those cases test the stack limit, not the size of
 * the helpers. */
enum { LIMITS_SUITE, LIMITS_LEAN };

static int64_t run_rules_with(er_db *db, const char *rules, int jobs,
                              double timeout, int limits, size_t *nrules_out)
{
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, rules), ER_OK);
    for (size_t i = 0; i < er_ruleset_diag_count(rs); i++)
        fprintf(stderr, "diag: %s\n", er_ruleset_diag(rs, i));
    assert_int_equal(er_ruleset_diag_count(rs), 0);
    if (nrules_out)
        *nrules_out = er_ruleset_count(rs);
    er_run_opts o = {0};
    o.year_from = o.year_to = 2019;
    o.jobs = jobs;
    o.timeout = timeout;
    o.max_instructions = limits == LIMITS_LEAN ? 5000000 : 30000000;
    o.max_memory = (limits == LIMITS_LEAN ? 24L : 80L) * 1024 * 1024;
    o.user = "test";
    int64_t run = 0;
    int rc = er_run(db, rs, &o, &run);
    if (rc != ER_OK)
        fprintf(stderr, "er_run: %s\n", er_errmsg());
    assert_int_equal(rc, ER_OK);
    er_ruleset_free(rs);
    return run;
}

static int64_t run_rules(er_db *db, const char *rules, int jobs,
                         size_t *nrules_out)
{
    return run_rules_with(db, rules, jobs, 3.0, LIMITS_SUITE, nrules_out);
}

static long count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* A rules folder at dir: the shipped rules (when `shipped`) and the hostile
 * cases whose timing is in the mask (1 << TIMING_*). */
static void make_rules(const char *dir, bool shipped, unsigned timings)
{
    char cmd[2048], hostile_dir[512];
    if (shipped)
        snprintf(cmd, sizeof cmd, "cp -r '%s/rules' '%s' && mkdir '%s/hostile'",
                 ER_SOURCE_DIR, dir, dir);
    else
        snprintf(cmd, sizeof cmd, "mkdir -p '%s/hostile'", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(hostile_dir, sizeof hostile_dir, "%s/tests/hostile/hostile",
             ER_SOURCE_DIR);
    DIR *d = opendir(hostile_dir);
    assert_non_null(d);
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t len = strlen(ent->d_name);
        if (len < 5 || strcmp(ent->d_name + len - 4, ".lua") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", hostile_dir, ent->d_name);
        expectation e;
        assert_int_equal(read_expectation(path, ent->d_name, &e), 0);
        if (!(timings & (1u << e.timing)))
            continue;
        snprintf(cmd, sizeof cmd, "cp '%s' '%s/hostile/'", path, dir);
        assert_int_equal(system(cmd), 0);
    }
    closedir(d);
}

static void test_sandbox__hostile_rules_fail_alone(void **state)
{
    (void)state;
    /* two runs among the shipped rules: the cases without a clock under a
     * long deadline, the deadline cases under a 3 s one */
    char rules[512], clock_rules[512], dbpath[512];
    snprintf(rules, sizeof rules, "%s/rules", tmpdir);
    snprintf(clock_rules, sizeof clock_rules, "%s/clock-rules", tmpdir);
    snprintf(dbpath, sizeof dbpath, "%s/hostile.db", tmpdir);
    make_rules(rules, true, 1u << TIMING_NONE);
    make_rules(clock_rules, true,
               1u << TIMING_HOOK | 1u << TIMING_SUPERVISOR);
    unlink("/tmp/equirule-pwned");
    unlink("/tmp/equirule-x.db");

    er_db *db = NULL;
    assert_int_equal(er_db_init(&db, dbpath, NULL), ER_OK);
    assert_int_equal(er_db_load_sample(db), ER_OK);
    setenv("EQUIRULE_FAULT", "crash:hostile.crash_one_city@440300", 1);
    int64_t runs[2];
    runs[0] = run_rules_with(db, rules, 2, NO_CLOCK_TIMEOUT, LIMITS_SUITE,
                             NULL);
    unsetenv("EQUIRULE_FAULT");
    runs[1] = run_rules(db, clock_rules, 2, NULL);
    char shipped[512];
    snprintf(shipped, sizeof shipped, "%s/rules", ER_SOURCE_DIR);
    int64_t baseline = run_rules(db, shipped, 1, NULL);
    int64_t hostile = runs[0];

    /* every shipped rule's findings are those of the run without hostiles */
    char sql[1024];
    static const char *const cols =
        "rule, region, year, outcome, measured, required, amount, unit, note";
    for (int r = 0; r < 2; r++) {
    hostile = runs[r];
    assert_true(hostile != baseline);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT %s FROM finding WHERE run = %lld "
             "AND rule NOT LIKE 'hostile.%%' EXCEPT SELECT %s FROM finding "
             "WHERE run = %lld)",
             cols, (long long)hostile, cols, (long long)baseline);
    assert_int_equal(count(db->db, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT %s FROM finding WHERE run = %lld "
             "EXCEPT SELECT %s FROM finding WHERE run = %lld)",
             cols, (long long)baseline, cols, (long long)hostile);
    assert_int_equal(count(db->db, sql), 0);
    }
    hostile = runs[0];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM finding WHERE run = %lld",
             (long long)baseline);
    assert_true(count(db->db, sql) > 20);

    /* every hostile rule got its outcome and message */
    char hostile_dir[512];
    snprintf(hostile_dir, sizeof hostile_dir, "%s/tests/hostile/hostile",
             ER_SOURCE_DIR);
    DIR *d = opendir(hostile_dir);
    assert_non_null(d);
    struct dirent *ent;
    int cases = 0, failures = 0;
    while ((ent = readdir(d))) {
        size_t len = strlen(ent->d_name);
        if (len < 5 || strcmp(ent->d_name + len - 4, ".lua") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", hostile_dir, ent->d_name);
        expectation e;
        assert_int_equal(read_expectation(path, ent->d_name, &e), 0);
        cases++;
        sqlite3_stmt *st = NULL;
        assert_int_equal(
            sqlite3_prepare_v2(db->db,
                               "SELECT f.outcome, coalesce(f.note, ''), "
                               "f.region FROM finding f JOIN region g ON "
                               "g.code = f.region WHERE f.run = ? AND "
                               "f.rule = ? ORDER BY f.region",
                               -1, &st, NULL),
            SQLITE_OK);
        sqlite3_bind_int64(st, 1, runs[e.timing == TIMING_NONE ? 0 : 1]);
        sqlite3_bind_text(st, 2, e.id, -1, SQLITE_STATIC);
        int rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            rows++;
            const char *outcome = (const char *)sqlite3_column_text(st, 0);
            const char *note = (const char *)sqlite3_column_text(st, 1);
            const char *region = (const char *)sqlite3_column_text(st, 2);
            bool target = !e.region[0] || strcmp(region, e.region) == 0;
            const char *want = target ? e.outcome : "pass";
            if (strcmp(outcome, want) != 0 ||
                (target && e.message[0] && !strstr(note, e.message))) {
                fprintf(stderr,
                        "%s %s: expected %s \"%s\", got %s \"%.200s\"\n",
                        e.id, region, want, target ? e.message : "", outcome,
                        note);
                failures++;
            }
        }
        sqlite3_finalize(st);
        if (rows != (e.region[0] || e.every_city ? 21 : 1)) {
            fprintf(stderr, "%s: %d findings\n", e.id, rows);
            failures++;
        }
    }
    closedir(d);
    assert_true(cases >= 40);
    assert_int_equal(failures, 0);

    /* a huge note is stored cut to size */
    snprintf(sql, sizeof sql,
             "SELECT max(length(CAST(note AS BLOB))) FROM finding WHERE "
             "run = %lld AND rule = 'hostile.return_huge_note'",
             (long long)hostile);
    assert_true(count(db->db, sql) <= 4003);
    /* nothing escaped and the database is whole */
    assert_int_equal(access("/tmp/equirule-pwned", F_OK), -1);
    assert_int_equal(access("/tmp/equirule-x.db", F_OK), -1);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->db, "PRAGMA integrity_check", -1,
                                        &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM fact");
    assert_true(count(db->db, sql) > 1000);
    er_db_free(db);
}

/* Rows of run b that differ from run a, taken in the order stored, every
 * column of the finding compared; prints the first few. */
static long differences(sqlite3 *db, int64_t a, int64_t b)
{
    char sql[2048];
    static const char *const cols =
        "rule, region, year, outcome, measured, required, amount, unit, note";
    snprintf(sql, sizeof sql,
             "WITH x AS (SELECT row_number() OVER (ORDER BY rowid) AS k, %s "
             "FROM finding WHERE run = %lld), "
             "y AS (SELECT row_number() OVER (ORDER BY rowid) AS k, %s "
             "FROM finding WHERE run = %lld) "
             "SELECT x.rule, x.region, x.outcome, x.note, y.rule, y.region, "
             "y.outcome, y.note FROM x LEFT JOIN y USING (k) "
             "WHERE y.k IS NULL OR x.rule IS NOT y.rule OR "
             "x.region IS NOT y.region OR x.year IS NOT y.year OR "
             "x.outcome IS NOT y.outcome OR x.measured IS NOT y.measured OR "
             "x.required IS NOT y.required OR x.amount IS NOT y.amount OR "
             "x.unit IS NOT y.unit OR x.note IS NOT y.note",
             cols, (long long)a, cols, (long long)b);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    long n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n++ < 5)
            fprintf(stderr, "run %lld: %s %s %s \"%.80s\" / run %lld: %s "
                            "%s %s \"%.80s\"\n",
                    (long long)a, sqlite3_column_text(st, 0),
                    sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
                    sqlite3_column_text(st, 3), (long long)b,
                    sqlite3_column_text(st, 4), sqlite3_column_text(st, 5),
                    sqlite3_column_text(st, 6), sqlite3_column_text(st, 7));
    }
    sqlite3_finalize(st);
    char count_sql[256];
    snprintf(count_sql, sizeof count_sql,
             "SELECT (SELECT count(*) FROM finding WHERE run = %lld) - "
             "(SELECT count(*) FROM finding WHERE run = %lld)",
             (long long)a, (long long)b);
    return n + labs(count(db, count_sql));
}

/* Every shipped and hostile rule, with --jobs 0 (in this process), 1, 2
 * and 8, twice each: the same findings, stored in the same order. */
static void test_sandbox__findings_do_not_depend_on_jobs(void **state)
{
    (void)state;
    char dbpath[512];
    snprintf(dbpath, sizeof dbpath, "%s/jobs.db", tmpdir);
    er_db *db = NULL;
    assert_int_equal(er_db_init(&db, dbpath, NULL), ER_OK);
    assert_int_equal(er_db_load_sample(db), ER_OK);

    /* 0 is --jobs 0: evaluate in this process */
    static const int jobs[] = {0, 1, 2, 8};
    static const struct {
        const char *name;
        bool shipped;
        unsigned timings;
        double timeout;
        size_t first_jobs; /* index into jobs */
    } sets[] = {
        {"jobs-rules", true, 1u << TIMING_NONE, NO_CLOCK_TIMEOUT, 0},
        {"jobs-hook", false, 1u << TIMING_HOOK, 1.0, 0},
        /* the cases only the supervisor's deadline stops (a hang in C
         * code) hang --jobs 0 by design (docs/architecture.md): workers
         * only */
        {"jobs-supervisor", false, 1u << TIMING_SUPERVISOR, 1.0, 1},
    };
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        char rules[512];
        snprintf(rules, sizeof rules, "%s/%s", tmpdir, sets[k].name);
        make_rules(rules, sets[k].shipped, sets[k].timings);
        int64_t first = 0;
        size_t nrules = 0;
        for (int round = 0; round < 2; round++) {
            for (size_t i = sets[k].first_jobs;
                 i < sizeof jobs / sizeof jobs[0]; i++) {
                int64_t run = run_rules_with(db, rules, jobs[i],
                                             sets[k].timeout, LIMITS_LEAN,
                                             &nrules);
                if (!first) {
                    first = run;
                    continue;
                }
                if (differences(db->db, first, run) != 0)
                    fail_msg("%s: --jobs %d (round %d) differs from the "
                             "first run",
                             sets[k].name, jobs[i],
                             round + 1);
            }
        }
        char sql[256];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM finding WHERE run = %lld",
                 (long long)first);
        assert_true(count(db->db, sql) >= (sets[k].shipped ? 1000 : 1));
        assert_true(nrules >= (sets[k].shipped ? 100 : 1));
    }
    er_db_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sandbox__environment_is_an_exact_allow_list),
        cmocka_unit_test(test_sandbox__libraries_are_copies_per_file),
        cmocka_unit_test(test_sandbox__money_to_fen_rounds_as_the_engine),
        cmocka_unit_test(test_sandbox__money_cap_fen_never_passes_the_cap),
        cmocka_unit_test(test_sandbox__budget_does_not_carry_over),
        cmocka_unit_test(test_sandbox__nul_bytes_in_rule_fields_are_refused),
        cmocka_unit_test(test_sandbox__hostile_rules_fail_alone),
        cmocka_unit_test(test_sandbox__findings_do_not_depend_on_jobs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
