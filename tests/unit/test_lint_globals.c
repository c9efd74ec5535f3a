/*
 * test_lint_globals.c - lint's static read of compiled rule files
 * (lint_globals.c): each unknown global, library member, undeclared param,
 * write to params and missing module is an error with its file, line and
 * the message evaluation raises; what the file defines, _G reads of known
 * names, a local _ENV and the shipped rules give nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"
#include "tools.h"

typedef struct collected {
    char text[8192];
    int errors, warnings;
} collected;

static void collect(void *ctx, const char *file, int line, bool error,
                    const char *text)
{
    collected *c = ctx;
    const char *slash = strrchr(file, '/');
    size_t used = strlen(c->text);
    snprintf(c->text + used, sizeof c->text - used, "%s:%d: %s\n",
             slash ? slash + 1 : file, line, text);
    if (error)
        c->errors++;
    else
        c->warnings++;
}

/* Loads the harness's rules folder and lints its globals into c. */
static void lint_globals(harness *h, collected *c)
{
    memset(c, 0, sizeof *c);
    er_ruleset_free(h->rs);
    h->rs = NULL;
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    assert_int_equal(er_lint_globals(h->rs, collect, c), ER_OK);
}

static void test_lint_globals__names_each_mistake_with_its_line(void **state)
{
    (void)state;
    harness *h = h_new();
    h_write(h, "health/a.lua",
            "local stats = require \"stats\"\n"                    /* 1 */
            "local u = math.random\n"                             /* 2 */
            "return {\n"                                          /* 3 */
            "  id = \"health.a\", title = \"t\", basis = \"b\",\n" /* 4 */
            "  kind = \"compliance\", level = \"city\",\n"         /* 5 */
            "  params = { floor = 1, ceiling = 2 },\n"            /* 6 */
            "  evaluate = function(r)\n"                          /* 7 */
            "    local f = string.fromat('%d', 1)\n"              /* 8 */
            "    local function inner()\n"                        /* 9 */
            "      return atleast(1, params.flor)\n"              /* 10 */
            "    end\n"                                           /* 11 */
            "    params.ceiling = params.ceiling * 2\n"           /* 12 */
            "    local q = Params.floor + _G.pas\n"               /* 13 */
            "    return minimum(1, 2)\n"                          /* 14 */
            "  end,\n"
            "}\n");
    collected c;
    lint_globals(h, &c);
    assert_string_equal(
        c.text,
        "a.lua:2: unknown field 'math.random'\n"
        "a.lua:8: unknown field 'string.fromat' (did you mean format?)\n"
        "a.lua:10: unknown global 'atleast' (did you mean at_least?)\n"
        "a.lua:10: rule 'health.a' has no param 'flor' (did you mean floor? "
        "declared: ceiling, floor)\n"
        "a.lua:12: params are read-only (override them with --set)\n"
        "a.lua:13: unknown global 'Params' (did you mean params?)\n"
        "a.lua:13: unknown global 'pas' (did you mean pass?)\n"
        "a.lua:14: unknown global 'minimum' (not in the rule environment: "
        "declare it local, or require the helper module that has it)\n");
    assert_int_equal(c.errors, 8);
    h_free(h);
}

static void test_lint_globals__what_the_file_defines_is_known(void **state)
{
    (void)state;
    harness *h = h_new();
    h_write(h, "health/b.lua",
            "function helper(x) return x end\n"
            "function string.trim(s) return (s:gsub('^%s+', '')) end\n"
            "local env_free = function()\n"
            "  local _ENV = { x = 1 }\n"
            "  return y\n"
            "end\n"
            "return {\n"
            "  id = \"health.b\", title = \"t\", basis = \"b\",\n"
            "  kind = \"compliance\", level = \"city\",\n"
            "  params = { floor = 1 },\n"
            "  evaluate = function(r)\n"
            "    for k, v in pairs(params) do end\n"
            "    local s = string.trim(' x ') .. string.format('%d', 1)\n"
            "    return _G.at_least(helper(1), params.floor)\n"
            "  end,\n"
            "}\n");
    collected c;
    lint_globals(h, &c);
    assert_string_equal(c.text, "");
    h_free(h);
}

static void test_lint_globals__modules_and_require(void **state)
{
    (void)state;
    harness *h = h_new();
    h_write(h, "../scripts/lib/ratios.lua",
            "local M = {}\n"
            "function M.f(x) return sum(x) + params.floor end\n"
            "return M\n");
    h_write(h, "health/c.lua",
            "local ratios = require \"ratios\"\n"
            "local stats = require(\"statz\")\n"
            "return {}\n");
    collected c;
    lint_globals(h, &c);
    assert_string_equal(
        c.text,
        "ratios.lua:2: unknown global 'sum' (not in the rule environment: "
        "declare it local, or require the helper module that has it)\n"
        "ratios.lua:2: unknown global 'params' (params is set only while a "
        "rule evaluates, in its own file: read it inside evaluate and pass "
        "values to helper modules as arguments)\n");
    /* the require stopped the file from loading: the loader's diagnostic
     * says it, with the same line and text, once */
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s/health/c.lua:2: require: module 'statz' not found (did you "
             "mean stats? rules can require the modules of scripts/lib "
             "only)",
             h->rules);
    assert_int_equal(er_ruleset_diag_count(h->rs), 1);
    assert_string_equal(er_ruleset_diag(h->rs, 0), expected);
    h_free(h);
}

static void test_lint_globals__older_lua_names_point_to_54(void **state)
{
    (void)state;
    harness *h = h_new();
    h_write(h, "health/d.lua",
            "local a, b = unpack({ 1, 2 })\n"
            "local f = loadstring\n"
            "return {}\n");
    collected c;
    memset(&c, 0, sizeof c);
    er_ruleset_free(h->rs);
    h->rs = NULL;
    assert_int_equal(er_ruleset_load(&h->rs, h->rules), ER_OK);
    assert_int_equal(er_lint_globals(h->rs, collect, &c), ER_OK);
    /* line 1 stopped the file from loading: the loader says it */
    char expected[512];
    snprintf(expected, sizeof expected,
             "%s/health/d.lua:1: unknown global 'unpack' (Lua 5.4 has "
             "table.unpack instead)",
             h->rules);
    assert_int_equal(er_ruleset_diag_count(h->rs), 1);
    assert_string_equal(er_ruleset_diag(h->rs, 0), expected);
    assert_string_equal(c.text, "d.lua:2: unknown global 'loadstring' (Lua "
                                "5.4 has load instead)\n");
    h_free(h);
}

/* Past 255 constants in one function, Lua 5.4 reads a global with
 * GETUPVAL _ENV and GETTABLE (a key loaded by LOADK), not GETTABUP: the
 * scan finds the same mistakes there, and nothing in what is right. */
static void test_lint_globals__functions_with_many_constants(void **state)
{
    (void)state;
    harness *h = h_new();
    er_buf b;
    er_buf_init(&b);
    er_buf_puts(&b, "return {\n"                                  /* 1 */
                    "  id = \"health.m\", title = \"t\", basis = \"b\",\n"
                    "  kind = \"compliance\", level = \"city\",\n" /* 3 */
                    "  params = { floor = 1 },\n"                 /* 4 */
                    "  evaluate = function(r)\n"                  /* 5 */
                    "    local names = {");                       /* 6 */
    for (int i = 0; i < 300; i++)
        er_buf_printf(&b, " \"k%d\",", i);
    er_buf_puts(&b, " }\n"
                    "    local f = string.fromat('%d', #names)\n" /* 7 */
                    "    local t = math.floor(params.floor)\n"    /* 8 */
                    "    params.floor = 2\n"                      /* 9 */
                    "    if r.zone == 'x' then\n"                 /* 10 */
                    "      return atleast(1, params.flor)\n"      /* 11 */
                    "    end\n"
                    "    return at_least(string.len(f) + t, params.floor)\n"
                    "  end,\n"
                    "}\n");
    assert_non_null(b.data);
    h_write(h, "health/m.lua", b.data);
    er_buf_free(&b);
    collected c;
    lint_globals(h, &c);
    assert_string_equal(
        c.text,
        "m.lua:7: unknown field 'string.fromat' (did you mean format?)\n"
        "m.lua:9: params are read-only (override them with --set)\n"
        "m.lua:11: unknown global 'atleast' (did you mean at_least?)\n"
        "m.lua:11: rule 'health.m' has no param 'flor' (did you mean floor? "
        "declared: floor)\n");
    h_free(h);
}

/* A file that hands a library to a function (extend(string)) may add
 * members to it there: they are known in that file, and only there. */
static void test_lint_globals__library_extended_by_a_helper(void **state)
{
    (void)state;
    harness *h = h_new();
    h_write(h, "health/e.lua",
            "local function extend(lib)\n"
            "  lib.trim = function(s) return (s:gsub('^%s+', '')) end\n"
            "end\n"
            "extend(string)\n"
            "return {\n"
            "  id = \"health.e\", title = \"t\", basis = \"b\",\n"
            "  kind = \"compliance\", level = \"city\",\n"
            "  evaluate = function(r)\n"
            "    return pass(string.trim('  x'))\n"
            "  end,\n"
            "}\n");
    h_write(h, "health/f.lua",
            "return {\n"
            "  id = \"health.f\", title = \"t\", basis = \"b\",\n"
            "  kind = \"compliance\", level = \"city\",\n"
            "  evaluate = function(r)\n"
            "    return pass(string.trim('  x'))\n"
            "  end,\n"
            "}\n");
    collected c;
    lint_globals(h, &c);
    assert_string_equal(c.text, "f.lua:5: unknown field 'string.trim'\n");
    h_free(h);
}

/* `CAP = nil` at file level defines no global: a read of CAP raises
 * "unknown global" at evaluation, and lint says why, statically. */
static void test_lint_globals__global_assigned_only_nil(void **state)
{
    (void)state;
    harness *h = h_new();
    h_write(h, "health/n.lua",
            "CAP = nil\n"
            "LIMIT = nil\n"
            "LIMIT = 5\n"
            "return {\n"
            "  id = \"health.n\", title = \"t\", basis = \"b\",\n"
            "  kind = \"compliance\", level = \"city\",\n"
            "  evaluate = function(r)\n"
            "    if CAP then return pass(tostring(CAP)) end\n"
            "    return pass(tostring(LIMIT))\n"
            "  end,\n"
            "}\n");
    collected c;
    lint_globals(h, &c);
    assert_string_equal(c.text,
                        "n.lua:8: global 'CAP' is only ever assigned nil in "
                        "this file (CAP = nil leaves no global): reading it "
                        "raises \"unknown global\"; declare it local\n");
    h_free(h);
}

static void test_lint_globals__shipped_rules_are_clean(void **state)
{
    (void)state;
    er_ruleset *rs = NULL;
    assert_int_equal(er_ruleset_load(&rs, ER_SOURCE_DIR "/rules"), ER_OK);
    assert_int_equal(er_ruleset_diag_count(rs), 0);
    collected c;
    memset(&c, 0, sizeof c);
    assert_int_equal(er_lint_globals(rs, collect, &c), ER_OK);
    assert_string_equal(c.text, "");
    er_ruleset_free(rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lint_globals__names_each_mistake_with_its_line),
        cmocka_unit_test(test_lint_globals__what_the_file_defines_is_known),
        cmocka_unit_test(test_lint_globals__modules_and_require),
        cmocka_unit_test(test_lint_globals__older_lua_names_point_to_54),
        cmocka_unit_test(test_lint_globals__functions_with_many_constants),
        cmocka_unit_test(test_lint_globals__library_extended_by_a_helper),
        cmocka_unit_test(test_lint_globals__global_assigned_only_nil),
        cmocka_unit_test(test_lint_globals__shipped_rules_are_clean),
    };
    return cmocka_run_group_tests_name("lint_globals", tests, NULL, NULL);
}
