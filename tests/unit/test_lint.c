/*
 * test_lint.c - `equirule lint` (lint.c): with a database, a metric, item
 * or standard key a rule reads that the catalog lacks is an error, whether
 * written as a literal, a local constant or computed (found by evaluating);
 * an unknown rule item and r:result of a rule not in needs are errors; an
 * unknown standard key, an unread param and a missing test file are
 * warnings (errors with strict); without a database, a warning says the
 * catalog was not checked; an evaluate that returns no outcome or raises is
 * an error, with a database or without (the synthetic region).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <dirent.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

static void load_data(harness *h)
{
    static const char *const tables[] = {"region", "metric", "item",
                                         "standard", "fact"};
    for (size_t i = 0; i < 5; i++) {
        char path[512];
        snprintf(path, sizeof path, ER_FIXTURES_DIR "/tools/data/%s.csv",
                 tables[i]);
        assert_int_equal(er_import_file(h->db, tables[i], path, 0, NULL),
                         ER_OK);
    }
}

static int setup(void **state)
{
    harness *h = h_new();
    load_data(h);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

static int lint(er_ruleset *rs, er_db *db, int no_eval, char **text,
                er_lint_stats *st)
{
    er_lint_opts o = {.db = db, .no_eval = no_eval};
    size_t len = 0;
    FILE *fp = open_memstream(text, &len);
    int rc = er_lint(rs, &o, fp, st);
    fclose(fp);
    return rc;
}

static void test_lint__fixture(void **state)
{
    harness *h = *state;
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, ER_FIXTURES_DIR "/tools/lint"),
                     ER_OK);
    char *text = NULL;
    er_lint_stats st;
    assert_int_equal(lint(rs, h->db, 0, &text, &st), ER_OK);
    assert_int_equal(st.errors, 1);
    assert_int_equal(st.warnings, 2);
    assert_non_null(strstr(text, "/lint/demo/bad.lua:14: error: r:fact reads "
                                 "metric 'no.such.metric', which is not in "
                                 "the metric table\n"));
    assert_non_null(strstr(text, "/lint/demo/bad.lua:12: warning: rule "
                                 "'demo.bad': param 'unused' is never read"));
    assert_non_null(strstr(text, "/lint/demo/bad.lua: warning: no test file "
                                 "beside it (bad_test.lua)\n"));
    assert_null(strstr(text, "good.lua"));
    assert_non_null(strstr(text, "2 rules in 2 files: 1 error, 2 warnings\n"));
    free(text);

    /* without a database: only the warnings, and one about the catalog */
    assert_int_equal(lint(rs, NULL, 0, &text, &st), ER_OK);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.warnings, 3);
    assert_non_null(strstr(text, "warning: no database at hand"));
    free(text);
    er_ruleset_free(rs);
}

static void test_lint__computed_keys_need_the_evaluation(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/computed.lua", "demo.computed", "compliance", "city",
           "",
           "    local key = 'pop.' .. 'registered'\n"
           "    return at_least(r:fact(key), 0)");
    h_write(h, "demo/computed_test.lua", "return {}\n");
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, h->rules), ER_OK);
    char *text = NULL;
    er_lint_stats st;
    /* the scan cannot see the key */
    assert_int_equal(lint(rs, h->db, 1, &text, &st), ER_OK);
    assert_int_equal(st.errors, 0);
    free(text);
    /* the evaluation can */
    assert_int_equal(lint(rs, h->db, 0, &text, &st), ER_OK);
    assert_int_equal(st.errors, 1);
    assert_non_null(strstr(text, "computed.lua:10: error: r:fact reads "
                                 "metric 'pop.registered', which is not in "
                                 "the metric table (read when demo.computed "
                                 "was evaluated for 440100 广州市 in "
                                 "2019)\n"));
    free(text);
    er_ruleset_free(rs);
}

static void test_lint__items_standards_results_constants(void **state)
{
    harness *h = *state;
    h_write(h, "demo/many.lua",
            "local ITEM = 'no.such.item' -- a constant\n"          /* 1 */
            "local KEY = \"health.public_health\"\n"               /* 2 */
            "return {\n"                                           /* 3 */
            "  { id = 'demo.a', title = 't', basis = 'b',\n"       /* 4 */
            "    kind = 'cut', level = 'city', item = ITEM,\n"     /* 5 */
            "    evaluate = function(r)\n"                         /* 6 */
            "      local s = r:standard(KEY)\n"                    /* 7 */
            "      local t = r:transfer(ITEM)\n"                   /* 8 */
            "      local u = r:standard('no.such.standard')\n"     /* 9 */
            "      -- r:fact('commented.out') is not a read\n"     /* 10 */
            "      local v = r:result('demo.b')\n"                 /* 11 */
            "      return cut(0)\n"                                /* 12 */
            "    end },\n"                                         /* 13 */
            "  { id = 'demo.b', title = 't', basis = 'b',\n"       /* 14 */
            "    kind = 'compliance', level = 'city',\n"           /* 15 */
            "    evaluate = function(r) return pass() end },\n"    /* 16 */
            "}\n");
    h_write(h, "demo/many_test.lua", "return {}\n");
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, h->rules), ER_OK);
    char *text = NULL;
    er_lint_stats st;
    assert_int_equal(lint(rs, h->db, 1, &text, &st), ER_OK);
    assert_non_null(strstr(text, "many.lua:6: error: rule 'demo.a': item "
                                 "'no.such.item' is not in the item table\n"));
    assert_non_null(strstr(text, "many.lua:8: error: r:transfer reads item "
                                 "'no.such.item', which is not in the item "
                                 "table\n"));
    /* a standard not set reads as nil, which a rule may handle: a
     * warning, where a metric or item the catalog lacks is an error */
    assert_non_null(strstr(text, "many.lua:9: warning: r:standard reads "
                                 "standard key 'no.such.standard', which no "
                                 "row of the standard table and no item "
                                 "has: it is always nil\n"));
    assert_non_null(strstr(text, "many.lua:11: error: r:result('demo.b'): no "
                                 "rule of the file names it in its needs\n"));
    assert_null(strstr(text, "commented.out"));
    assert_null(strstr(text, "many.lua:7:"));
    assert_int_equal(st.errors, 3);
    assert_int_equal(st.warnings, 1);
    free(text);
    er_ruleset_free(rs);
}

static void test_lint__load_problems_are_errors(void **state)
{
    harness *h = *state;
    h_write(h, "demo/broken.lua", "return {\n");
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, h->rules), ER_OK);
    char *text = NULL;
    er_lint_stats st;
    assert_int_equal(lint(rs, h->db, 0, &text, &st), ER_OK);
    assert_int_equal(st.errors, 1);
    assert_non_null(strstr(text, "broken.lua:2: error: "));
    free(text);
    er_ruleset_free(rs);
}

/* A rule that returns nothing, returns a string, or raises on ordinary
 * values is an error without a database (the synthetic region) and with
 * one (the real regions), at the line of the raise or of evaluate. */
static void test_lint__evaluate_mistakes_are_errors(void **state)
{
    harness *h = *state;
    h_write(h, "demo/wrong.lua",
            "return {\n"                                            /* 1 */
            "  { id = 'demo.noreturn', title = 't', basis = 'b',\n" /* 2 */
            "    kind = 'compliance', level = 'city',\n"            /* 3 */
            "    evaluate = function(r)\n"                          /* 4 */
            "      local p = r:fact('pop.resident')\n"              /* 5 */
            "    end },\n"                                          /* 6 */
            "  { id = 'demo.string', title = 't', basis = 'b',\n"   /* 7 */
            "    kind = 'compliance', level = 'city',\n"            /* 8 */
            "    evaluate = function(r) return 'skip' end },\n"     /* 9 */
            "  { id = 'demo.raises', title = 't', basis = 'b',\n"   /* 10 */
            "    kind = 'compliance', level = 'county',\n"          /* 11 */
            "    evaluate = function(r)\n"                          /* 12 */
            "      local t = r:has('pop.resident') and nil\n"       /* 13 */
            "      return at_least(t.x, 1)\n"                       /* 14 */
            "    end },\n"                                          /* 15 */
            "  { id = 'demo.fine', title = 't', basis = 'b',\n"     /* 16 */
            "    kind = 'compliance', level = 'city',\n"            /* 17 */
            "    evaluate = function(r)\n"                          /* 18 */
            "      return at_least(r:fact('edu.x') / "
            "r:fact('edu.y'), r:standard('edu.s'))\n"                /* 19 */
            "    end },\n"                                          /* 20 */
            "}\n");
    h_write(h, "demo/wrong_test.lua", "return {}\n");
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, h->rules), ER_OK);
    char *text = NULL;
    er_lint_stats st;
    for (int with_db = 0; with_db < 2; with_db++) {
        assert_int_equal(lint(rs, with_db ? h->db : NULL, 0, &text, &st),
                         ER_OK);
        assert_non_null(strstr(text, "wrong.lua:4: error: rule "
                                     "'demo.noreturn', evaluated "));
        assert_non_null(strstr(text, "evaluate returned nil, not an outcome"));
        assert_non_null(strstr(text, "wrong.lua:9: error: rule 'demo.string'"
                                     ", evaluated "));
        assert_non_null(strstr(text, "evaluate returned string, not an "
                                     "outcome"));
        assert_non_null(strstr(text, "wrong.lua:14: error: rule "
                                     "'demo.raises', evaluated on a "
                                     "synthetic county (440105, every value "
                                     "made up) in 2020: attempt to index a "
                                     "nil value (local 't')\n"));
        assert_null(strstr(text, "'demo.fine', evaluated"));
        /* with the data: 2 evaluation errors on a real city, 1 on the
         * synthetic county (the data has no county), the unknown metrics
         * edu.x, edu.y and the unknown standard key (a warning) */
        assert_int_equal(st.errors, with_db ? 5 : 3);
        assert_int_equal(st.warnings, 1);
        free(text);
    }
    er_ruleset_free(rs);
}

/* The synthetic region's values come from the metric's declared domain
 * when the catalog has one (metric.min and metric.max): a rule that checks
 * a rate is a fraction raises on a made-up 1000-odd, not on a value of the
 * domain. A county rule: the fixture data has no county, so it is
 * evaluated on the synthetic region with the database at hand. */
static void test_lint__synthetic_values_keep_to_the_domain(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/rate.lua", "demo.rate", "compliance", "county", "",
           "    local v = r:fact('x.rate')\n"
           "    if v < 0 or v > 1 then error('not a rate: ' .. v) end\n"
           "    return at_least(v, 0.5)");
    h_write(h, "demo/rate_test.lua", "return {}\n");
    h_exec(h, "INSERT INTO metric(key, name) VALUES ('x.rate', 'rate')");
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, h->rules), ER_OK);
    char *text = NULL;
    er_lint_stats st;
    /* the domain columns (added unless the schema has them) */
    sqlite3_exec(h->db->db, "ALTER TABLE metric ADD COLUMN min REAL", NULL,
                 NULL, NULL);
    sqlite3_exec(h->db->db, "ALTER TABLE metric ADD COLUMN max REAL", NULL,
                 NULL, NULL);
    /* no domain declared, or no catalog: a positive number, which the
     * rule refuses */
    for (int with_db = 0; with_db < 2; with_db++) {
        assert_int_equal(lint(rs, with_db ? h->db : NULL, 0, &text, &st),
                         ER_OK);
        assert_int_equal(st.errors, 1);
        assert_non_null(strstr(text, "rate.lua:10: error: rule 'demo.rate', "
                                     "evaluated on a synthetic county "
                                     "(440105, every value made up) in "
                                     "2020: not a rate: "));
        free(text);
    }
    /* the domain declared */
    h_exec(h, "UPDATE metric SET min = 0, max = 1 WHERE key = 'x.rate'");
    assert_int_equal(lint(rs, h->db, 0, &text, &st), ER_OK);
    assert_int_equal(st.errors, 0);
    assert_null(strstr(text, "not a rate"));
    free(text);
    er_ruleset_free(rs);
}

/* A metric of kind count gets whole numbers on the synthetic region, inside
 * its bounds. */
static void test_lint__synthetic_counts_are_whole(void **state)
{
    harness *h = *state;
    h_rule(h, "demo/count.lua", "demo.count", "compliance", "county", "",
           "    local v = r:fact('x.households')\n"
           "    if v ~= math.floor(v) or v > 1 then error('not a count: ' .. "
           "v) end\n"
           "    return at_least(v, 0)");
    h_write(h, "demo/count_test.lua", "return {}\n");
    /* the domain columns (added unless the schema has them) */
    static const char *const columns[] = {"kind TEXT", "min REAL",
                                          "max REAL"};
    for (size_t i = 0; i < ER_ARRAY_LEN(columns); i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "ALTER TABLE metric ADD COLUMN %s",
                 columns[i]);
        sqlite3_exec(h->db->db, sql, NULL, NULL, NULL);
    }
    h_exec(h, "INSERT INTO metric(key, name, min, max) "
              "VALUES ('x.households', 'h', 0, 1)");
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, h->rules), ER_OK);
    char *text = NULL;
    er_lint_stats st;
    /* not a count: a fraction between the bounds, which the rule refuses */
    assert_int_equal(lint(rs, h->db, 0, &text, &st), ER_OK);
    assert_int_equal(st.errors, 1);
    assert_non_null(strstr(text, "count.lua:10: error: rule 'demo.count', "
                                 "evaluated on a synthetic county (440105, "
                                 "every value made up) in 2020: not a "
                                 "count: 0."));
    free(text);
    /* a count: whole numbers, inside the bounds */
    h_exec(h, "UPDATE metric SET kind = 'count' WHERE key = 'x.households'");
    assert_int_equal(lint(rs, h->db, 0, &text, &st), ER_OK);
    assert_int_equal(st.errors, 0);
    assert_null(strstr(text, "not a count"));
    free(text);
    er_ruleset_free(rs);
}

/* With strict, warnings are errors. */
static void test_lint__strict_makes_warnings_errors(void **state)
{
    harness *h = *state;
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, ER_FIXTURES_DIR "/tools/lint"),
                     ER_OK);
    er_lint_opts o = {.db = h->db, .strict = 1};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    er_lint_stats st;
    assert_int_equal(er_lint(rs, &o, fp, &st), ER_OK);
    fclose(fp);
    assert_int_equal(st.errors, 3);
    assert_int_equal(st.warnings, 0);
    assert_non_null(strstr(text, "/lint/demo/bad.lua:12: error: rule "
                                 "'demo.bad': param 'unused' is never read"));
    assert_non_null(strstr(text, "2 rules in 2 files: 3 errors, 0 warnings\n"));
    free(text);
    er_ruleset_free(rs);
}

/* ---- editor support: scripts/lua-defs and .luarc.json -------------------- */

static char *slurp(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(er_read_file(path, &text, &len), ER_OK);
    return text;
}

static void test_lint__editor_definitions_cover_the_sandbox(void **state)
{
    harness *h = *state;
    /* every definition file compiles with the Lua the engine embeds, and
     * each helper module of scripts/lib and scripts/testlib has one */
    const char *const dirs[] = {"lib", "testlib", "lua-defs"};
    lua_State *L = luaL_newstate();
    int ndefs = 0;
    for (size_t d = 0; d < ER_ARRAY_LEN(dirs); d++) {
        char dpath[512];
        snprintf(dpath, sizeof dpath, ER_SOURCE_DIR "/scripts/%s", dirs[d]);
        DIR *dir = opendir(dpath);
        assert_non_null(dir);
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n < 5 || strcmp(e->d_name + n - 4, ".lua") != 0)
                continue;
            char path[1024];
            snprintf(path, sizeof path,
                     ER_SOURCE_DIR "/scripts/lua-defs/%s", e->d_name);
            if (d < 2 && access(path, R_OK) != 0)
                fail_msg("scripts/%s/%s has no definitions in "
                         "scripts/lua-defs", dirs[d], e->d_name);
            if (d == 2) {
                if (luaL_loadfile(L, path) != LUA_OK)
                    fail_msg("%s", lua_tostring(L, -1));
                lua_pop(L, 1);
                ndefs++;
            }
        }
        closedir(dir);
    }
    assert_true(ndefs >= 7);
    lua_close(L);
    char *text = slurp(ER_SOURCE_DIR "/scripts/lua-defs/equirule.lua");
    char *luarc = slurp(ER_SOURCE_DIR "/.luarc.json");
    assert_non_null(strstr(luarc, "\"runtime.version\": \"Lua 5.4\""));
    assert_non_null(strstr(luarc, "\"workspace.library\": "
                                  "[\"scripts/lua-defs\"]"));

    /* every global of a rule environment is declared */
    h_rule(h, "demo/x.lua", "demo.x", "compliance", "city", "",
           "    return pass()");
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, h->rules), ER_OK);
    L = rs->sb.L;
    er_sandbox_push_env(L);
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index");
    lua_pushnil(L);
    size_t n = 0;
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        const char *name = lua_tostring(L, -1);
        char fn[128], var[128];
        snprintf(fn, sizeof fn, "\nfunction %s(", name);
        snprintf(var, sizeof var, "\n%s = ", name);
        bool lib = strcmp(name, "string") == 0 || strcmp(name, "table") == 0 ||
                   strcmp(name, "math") == 0 || strcmp(name, "utf8") == 0;
        if (!lib && !strstr(text, fn) && !strstr(text, var))
            fail_msg("the sandbox global '%s' is not in "
                     "scripts/lua-defs/equirule.lua",
                     name);
        n++;
    }
    lua_settop(L, 0);
    assert_true(n > 20);
    /* params is set per evaluation: declared, and allowed in .luarc.json */
    assert_non_null(strstr(text, "\nparams = {}"));
    assert_non_null(strstr(luarc, "\"params\""));

    /* every method of the region view is declared */
    er_eval ev;
    assert_int_equal(er_eval_init(&ev, rs, NULL, NULL), ER_OK);
    luaL_getmetatable(L, "equirule.region_view");
    lua_getfield(L, -1, "__index");
    assert_non_null(lua_getupvalue(L, -1, 1));
    lua_pushnil(L);
    n = 0;
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        char fn[128];
        snprintf(fn, sizeof fn, "\nfunction Region:%s(", lua_tostring(L, -1));
        if (!strstr(text, fn))
            fail_msg("the view method '%s' is not in "
                     "scripts/lua-defs/equirule.lua",
                     lua_tostring(L, -1));
        n++;
    }
    assert_int_equal(n, 11);
    lua_settop(L, 0);
    er_eval_free(&ev);
    er_ruleset_free(rs);
    free(text);
    free(luarc);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_lint__fixture),
        T(test_lint__computed_keys_need_the_evaluation),
        T(test_lint__items_standards_results_constants),
        T(test_lint__load_problems_are_errors),
        T(test_lint__evaluate_mistakes_are_errors),
        T(test_lint__strict_makes_warnings_errors),
        T(test_lint__synthetic_values_keep_to_the_domain),
        T(test_lint__synthetic_counts_are_whole),
        T(test_lint__editor_definitions_cover_the_sandbox),
    };
#undef T
    return cmocka_run_group_tests_name("lint", tests, NULL, NULL);
}
