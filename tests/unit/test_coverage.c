/*
 * test_coverage.c - line coverage of rule files (coverage.c, through
 * er_test_run): the runnable lines found in a compiled chunk agree with
 * Lua's own activelines for every function of it, lines no path reaches
 * are left out, and a run of a fixture's tests reports the one line its
 * cases never take.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"
#include "tools.h"

#include <lauxlib.h>
#include <lualib.h>

/* Sets bit `line` of `seen` for every active line of the function at the
 * top (popped). */
static void activelines(lua_State *L, unsigned char *seen, int max)
{
    lua_Debug ar;
    assert_true(lua_getinfo(L, ">L", &ar));
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_Integer line = lua_tointeger(L, -2);
        assert_true(line > 0 && line < max);
        seen[line] = 1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void test_coverage__lines_match_lua_activelines(void **state)
{
    (void)state;
    /* main chunk, f, g, and h nested in g (returned by g) */
    static const char src[] =
        "local t = {}\n"                             /* 1 */
        "local function f(a)\n"                      /* 2 */
        "  if a then return 1 end\n"                 /* 3 */
        "  for i = 1, 3 do t[i] = i end\n"           /* 4 */
        "end\n"                                      /* 5 */
        "local function g()\n"                       /* 6 */
        "  local function h(x)\n"                    /* 7 */
        "    return x * 2\n"                         /* 8 */
        "  end\n"                                    /* 9 */
        "  return h\n"                               /* 10 */
        "end\n"                                      /* 11 */
        "return f, g\n";                             /* 12 */
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    int *lines = NULL;
    size_t n = 0;
    assert_int_equal(er_coverage_lines(L, src, sizeof src - 1, "@t.lua",
                                       false, &lines, &n),
                     ER_OK);

    unsigned char seen[32] = {0};
    assert_int_equal(luaL_loadbufferx(L, src, sizeof src - 1, "@t.lua", "t"),
                     LUA_OK);
    lua_pushvalue(L, -1);
    activelines(L, seen, 32); /* main */
    assert_int_equal(lua_pcall(L, 0, 2, 0), LUA_OK);
    lua_pushvalue(L, -2);
    activelines(L, seen, 32); /* f */
    lua_pushvalue(L, -1);
    activelines(L, seen, 32); /* g */
    assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
    activelines(L, seen, 32); /* h */
    lua_pop(L, 1);

    size_t k = 0;
    for (int line = 1; line < 32; line++) {
        if (!seen[line])
            continue;
        assert_true(k < n);
        assert_int_equal(lines[k], line);
        k++;
    }
    assert_int_equal(k, n);
    /* f, g and h each have lines, so the walk reached nested functions */
    assert_true(seen[4] && seen[8] && seen[10]);
    free(lines);
    lua_close(L);
}

static void test_coverage__unreachable_lines_are_left_out(void **state)
{
    (void)state;
    static const char src[] = "local function f()\n"  /* 1 */
                              "  do return 1 end\n"   /* 2 */
                              "  local x = 2\n"       /* 3: never reached */
                              "  return x + 1\n"      /* 4: never reached */
                              "end\n"                 /* 5 */
                              "return f\n";           /* 6 */
    lua_State *L = luaL_newstate();
    int *all = NULL, *reach = NULL;
    size_t nall = 0, nreach = 0;
    assert_int_equal(er_coverage_lines(L, src, sizeof src - 1, "@u.lua",
                                       false, &all, &nall),
                     ER_OK);
    assert_int_equal(er_coverage_lines(L, src, sizeof src - 1, "@u.lua",
                                       true, &reach, &nreach),
                     ER_OK);
    bool all3 = false, reach3 = false, reach4 = false, reach2 = false;
    for (size_t i = 0; i < nall; i++)
        all3 = all3 || all[i] == 3;
    for (size_t i = 0; i < nreach; i++) {
        reach2 = reach2 || reach[i] == 2;
        reach3 = reach3 || reach[i] == 3;
        reach4 = reach4 || reach[i] == 4;
    }
    assert_true(all3);
    assert_true(reach2);
    assert_false(reach3);
    assert_false(reach4);
    assert_int_equal(nall, nreach + 2);
    free(all);
    free(reach);

    /* a chunk that does not compile */
    assert_int_equal(er_coverage_lines(L, "return (", 8, "@bad.lua", true,
                                       &all, &nall),
                     ER_ERULE);
    assert_non_null(strstr(er_errmsg(), "bad.lua:1:"));
    lua_close(L);
}

__attribute__((noinline)) static char *slurp(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(er_read_file(path, &text, &len), ER_OK);
    return text;
}

static void test_coverage__fixture_reports_its_never_run_line(void **state)
{
    harness *h = *state;
    char json[256], lcov[256];
    snprintf(json, sizeof json, "%s/coverage.json", h->dir);
    snprintf(lcov, sizeof lcov, "%s/coverage.info", h->dir);
    er_test_opts o = {.rules_dir = ER_FIXTURES_DIR "/tools/coverage",
                      .coverage = 1,
                      .coverage_json = json,
                      .coverage_lcov = lcov};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    er_test_stats st;
    assert_int_equal(er_test_run(NULL, &o, fp, &st), ER_OK);
    fclose(fp);
    assert_int_equal(st.cases, 3);
    assert_int_equal(st.failed, 1); /* the deliberate one */
    assert_int_equal(st.lines_runnable, 17);
    assert_int_equal(st.lines_run, 16);
    assert_non_null(strstr(text, "branchy.lua"));
    assert_non_null(strstr(text, "16/17"));
    assert_non_null(strstr(text, "94.1   14\n"));
    assert_non_null(strstr(text, "total"));
    free(text);

    char *j = slurp(json);
    assert_non_null(strstr(j, "\"lines_runnable\": 17, \"lines_run\": 16, "
                              "\"percent\": 94.1"));
    assert_non_null(strstr(j, "\"never_run\": [14]"));
    assert_non_null(strstr(j, "\"14\": 0"));
    assert_non_null(strstr(j, "\"total\": {\"lines_runnable\": 17"));
    free(j);
    char *l = slurp(lcov);
    assert_non_null(strstr(l, "branchy.lua\n"));
    assert_non_null(strstr(l, "DA:14,0\n"));
    assert_non_null(strstr(l, "LF:17\nLH:16\nend_of_record\n"));
    free(l);
}

static void test_coverage__scope_and_limits_with_coverage_on(void **state)
{
    harness *h = *state;
    /* two rule files; only one has tests; the other is in scope (a folder
     * was given) at 0 lines run except its main chunk */
    h_rule(h, "demo/tested.lua", "demo.tested", "compliance", "city", "",
           "    if r.code == '440100' then return pass() end\n"
           "    return fail()");
    h_rule(h, "demo/untested.lua", "demo.untested", "compliance", "city", "",
           "    return pass()");
    h_rule(h, "demo/looping.lua", "demo.looping", "compliance", "city", "",
           "    while true do end");
    h_write(h, "demo/tested_test.lua",
            "return { { name = 'one city', year = 2019,\n"
            "  regions = { { code = '440000', level = 'province' },\n"
            "              { code = '440100', level = 'city',\n"
            "                parent = '440000' } },\n"
            "  expect = { ['demo.tested'] = { ['440100'] = { outcome = "
            "'pass' } } } } }\n");
    h_write(h, "demo/looping_test.lua",
            "return { { name = 'the budget still stops a loop', year = 2019,\n"
            "  regions = { { code = '440000', level = 'province' },\n"
            "              { code = '440100', level = 'city',\n"
            "                parent = '440000' } },\n"
            "  expect = { ['demo.looping'] = { ['440100'] = { outcome = "
            "'error', note = 'exceeded' } } } } }\n");
    const char *paths[] = {h->rules, NULL};
    er_test_opts o = {.rules_dir = h->rules, .coverage = 1};
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    er_test_stats st;
    assert_int_equal(er_test_run(paths, &o, fp, &st), ER_OK);
    fclose(fp);
    assert_int_equal(st.failed, 0);
    assert_non_null(strstr(text, "tested.lua"));
    assert_non_null(strstr(text, "untested.lua"));
    /* tested.lua: line 10 (return fail) never ran */
    char *row = strstr(text, "/demo/tested.lua");
    assert_non_null(row);
    assert_non_null(strstr(row, "   10\n"));
    /* untested.lua: evaluate's body (line 9) never ran */
    row = strstr(text, "/demo/untested.lua");
    assert_non_null(row);
    assert_non_null(strstr(row, "   9\n"));
    free(text);
}

static int setup(void **state)
{
    *state = h_new();
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_coverage__lines_match_lua_activelines),
        T(test_coverage__unreachable_lines_are_left_out),
        T(test_coverage__fixture_reports_its_never_run_line),
        T(test_coverage__scope_and_limits_with_coverage_on),
    };
#undef T
    return cmocka_run_group_tests_name("coverage", tests, NULL, NULL);
}
