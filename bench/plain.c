/*
 * plain.c - the plain-Lua baseline: loads the counties of a benchmark
 * dataset into Lua arrays (not timed) and runs bench/plain.lua, the bench
 * rules' arithmetic as plain Lua functions in one lua_State (or another
 * script with the same arguments, bench/plain-simple.lua). Prints the
 * evaluations, the seconds, the rate, what the script returns beside them
 * (the province aggregate's coefficient of variation, the passes) and the
 * peak RSS of the process.
 *
 * usage: equirule-bench-plain DB PLAIN.lua [YEAR]
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB PLAIN.lua [YEAR]\n", argv[0]);
        return 2;
    }
    int year = argc > 3 ? atoi(argv[3]) : 2020;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "plain: %s\n", sqlite3_errmsg(db));
        return 3;
    }
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_loadfile(L, argv[2]) != LUA_OK) {
        fprintf(stderr, "plain: %s\n", lua_tostring(L, -1));
        return 3;
    }
    /* data[metric][i], i = county position in code order */
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db,
                       "SELECT f.metric, f.value FROM fact f JOIN region g ON "
                       "g.code = f.region WHERE g.level = 'county' AND "
                       "f.year = ? ORDER BY f.metric, f.region",
                       -1, &st, NULL);
    sqlite3_bind_int(st, 1, year);
    lua_newtable(L); /* data */
    char current[128] = "";
    lua_Integer i = 0, n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (strcmp(m, current) != 0) {
            if (current[0])
                lua_setfield(L, -2, current);
            snprintf(current, sizeof current, "%s", m);
            lua_newtable(L);
            i = 0;
        }
        lua_pushnumber(L, sqlite3_column_double(st, 1));
        lua_rawseti(L, -2, ++i);
        if (i > n)
            n = i;
    }
    if (current[0])
        lua_setfield(L, -2, current);
    sqlite3_finalize(st);

    lua_newtable(L); /* std[k]: binding standard */
    lua_newtable(L); /* share[k][tier] */
    for (int k = 0; k < 8; k++) {
        char key[64];
        snprintf(key, sizeof key, "bench.item%d", k);
        sqlite3_prepare_v2(db, "SELECT max(value) FROM standard WHERE key = ?",
                           -1, &st, NULL);
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        sqlite3_step(st);
        lua_pushnumber(L, sqlite3_column_double(st, 0));
        lua_rawseti(L, -3, k);
        sqlite3_finalize(st);
        lua_newtable(L);
        sqlite3_prepare_v2(db, "SELECT tier, province_share FROM share WHERE "
                               "item = ?",
                           -1, &st, NULL);
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW) {
            lua_pushnumber(L, sqlite3_column_double(st, 1));
            lua_rawseti(L, -2, sqlite3_column_int(st, 0));
        }
        sqlite3_finalize(st);
        lua_rawseti(L, -2, k);
    }
    lua_newtable(L); /* transfer[k][i] */
    for (int k = 0; k < 2; k++) {
        char key[64];
        snprintf(key, sizeof key, "bench.item%d", k);
        lua_newtable(L);
        sqlite3_prepare_v2(db,
                           "SELECT coalesce(t.amount, 0) FROM region g LEFT "
                           "JOIN transfer t ON t.region = g.code AND t.year "
                           "= ? AND t.item = ? WHERE g.level = 'county' "
                           "ORDER BY g.code",
                           -1, &st, NULL);
        sqlite3_bind_int(st, 1, year);
        sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
        lua_Integer j = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            lua_pushnumber(L, sqlite3_column_double(st, 0));
            lua_rawseti(L, -2, ++j);
        }
        sqlite3_finalize(st);
        lua_rawseti(L, -2, k);
    }
    lua_newtable(L); /* tier[i] */
    sqlite3_prepare_v2(db, "SELECT tier FROM region WHERE level = 'county' "
                           "ORDER BY code",
                       -1, &st, NULL);
    lua_Integer j = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        lua_pushinteger(L, sqlite3_column_int(st, 0));
        lua_rawseti(L, -2, ++j);
    }
    sqlite3_finalize(st);
    lua_pushinteger(L, n);
    if (lua_pcall(L, 6, 4, 0) != LUA_OK) {
        fprintf(stderr, "plain: %s\n", lua_tostring(L, -1));
        return 3;
    }
    /* returns evaluations, seconds [, cv [, passes]] */
    double evals = lua_tonumber(L, -4), secs = lua_tonumber(L, -3);
    printf("plain Lua: %.0f evaluations in %.3f s = %.2f M/s", evals, secs,
           evals / secs / 1e6);
    if (lua_isnumber(L, -2))
        printf(" (cv %.4f)", lua_tonumber(L, -2));
    if (lua_isnumber(L, -1))
        printf(" (passes %.0f)", lua_tonumber(L, -1));
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        printf(", peak RSS %ld MB", ru.ru_maxrss / 1024);
    printf("\n");
    lua_close(L);
    sqlite3_close(db);
    return 0;
}
