/*
 * gen.c - writes a synthetic dataset with the real schema for the benchmark:
 * one province, cities of 100 counties each, N counties, 20 metrics, eight
 * items with national and provincial standards, shares for three tiers and
 * transfers, for the years asked. Values come from a fixed pseudo-random
 * sequence, so a dataset is the same every time it is generated.
 *
 * usage: equirule-bench-gen DB COUNTIES [YEAR_FROM [YEAR_TO]]
 */
#include "equirule.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NITEMS 8

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static double uniform(double lo, double hi)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return lo + (hi - lo) * (double)(rng >> 11) / 9007199254740992.0;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n", sqlite3_errmsg(db));
        exit(3);
    }
    return st;
}

static void step(sqlite3 *db, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE) {
        fprintf(stderr, "gen: %s\n", sqlite3_errmsg(db));
        exit(3);
    }
    sqlite3_reset(st);
}

static void fact(sqlite3 *db, sqlite3_stmt *st, const char *code, int year,
                 const char *metric, double value)
{
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_text(st, 3, metric, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 4, value);
    step(db, st);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB COUNTIES [YEAR_FROM [YEAR_TO]]\n",
                argv[0]);
        return 2;
    }
    const char *path = argv[1];
    long counties = strtol(argv[2], NULL, 10);
    int y0 = argc > 3 ? atoi(argv[3]) : 2020;
    int y1 = argc > 4 ? atoi(argv[4]) : y0;
    if (counties < 1 || counties > 790000) {
        fprintf(stderr, "gen: COUNTIES must be 1..790000\n");
        return 2;
    }
    unlink(path);
    er_db *h = NULL;
    if (er_db_init(&h, path, NULL) != ER_OK) {
        fprintf(stderr, "gen: %s\n", er_errmsg());
        return 3;
    }
    er_db_free(h);
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    sqlite3_exec(db, "PRAGMA synchronous = OFF; BEGIN", NULL, NULL, NULL);

    static const char *const metrics[] = {"pop.resident", "pop.registered",
                                          "fin.revenue",
                                          "fin.basic_service.spend"};
    sqlite3_stmt *m = prep(db, "INSERT INTO metric(key, name, unit) VALUES "
                               "(?, ?, ?)");
    for (int i = 0; i < 4; i++) {
        sqlite3_bind_text(m, 1, metrics[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(m, 2, metrics[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(m, 3, i < 2 ? "人" : "元", -1, SQLITE_STATIC);
        step(db, m);
    }
    sqlite3_stmt *it = prep(db, "INSERT INTO item(code, category, name, "
                                "department, unit, beneficiary_metric) "
                                "VALUES (?, 'bench', ?, 'bench', '元/人', ?)");
    sqlite3_stmt *sd = prep(db, "INSERT INTO standard(key, scope, region, "
                                "year_from, year_to, value, unit, basis) "
                                "VALUES (?, ?, ?, ?, NULL, ?, '元/人', "
                                "'bench')");
    sqlite3_stmt *sh = prep(db, "INSERT INTO share(item, tier, year_from, "
                                "year_to, province_share) VALUES (?, ?, ?, "
                                "NULL, ?)");
    char key[64], spend[64], ben[64];
    for (int k = 0; k < NITEMS; k++) {
        snprintf(key, sizeof key, "bench.item%d", k);
        snprintf(spend, sizeof spend, "bench.item%d.spend", k);
        snprintf(ben, sizeof ben, "bench.item%d.beneficiaries", k);
        for (int j = 0; j < 2; j++) {
            const char *mk = j ? ben : spend;
            sqlite3_bind_text(m, 1, mk, -1, SQLITE_STATIC);
            sqlite3_bind_text(m, 2, mk, -1, SQLITE_STATIC);
            sqlite3_bind_text(m, 3, j ? "人" : "元", -1, SQLITE_STATIC);
            step(db, m);
        }
        sqlite3_bind_text(it, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(it, 2, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(it, 3, ben, -1, SQLITE_STATIC);
        step(db, it);
        sqlite3_bind_text(sd, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(sd, 2, "national", -1, SQLITE_STATIC);
        sqlite3_bind_null(sd, 3);
        sqlite3_bind_int(sd, 4, y0);
        sqlite3_bind_double(sd, 5, 100.0 + 10 * k);
        step(db, sd);
        sqlite3_bind_text(sd, 1, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(sd, 2, "provincial", -1, SQLITE_STATIC);
        sqlite3_bind_null(sd, 3);
        sqlite3_bind_int(sd, 4, y0);
        sqlite3_bind_double(sd, 5, 105.0 + 10 * k);
        step(db, sd);
        for (int tier = 1; tier <= 3; tier++) {
            sqlite3_bind_text(sh, 1, key, -1, SQLITE_STATIC);
            sqlite3_bind_int(sh, 2, tier);
            sqlite3_bind_int(sh, 3, y0);
            sqlite3_bind_double(sh, 4, 0.9 - 0.2 * tier);
            step(db, sh);
        }
    }

    sqlite3_stmt *rg = prep(db, "INSERT INTO region(code, name, level, "
                                "parent, zone, tier) VALUES (?, ?, ?, ?, ?, "
                                "?)");
    sqlite3_stmt *fc = prep(db, "INSERT INTO fact(region, year, metric, "
                                "value, source) VALUES (?, ?, ?, ?, "
                                "'synthetic')");
    sqlite3_stmt *tr = prep(db, "INSERT INTO transfer(region, year, item, "
                                "amount) VALUES (?, ?, ?, ?)");
    static const char *const zones[] = {"core", "east", "west", "north"};
    sqlite3_bind_text(rg, 1, "100000", -1, SQLITE_STATIC);
    sqlite3_bind_text(rg, 2, "合成省", -1, SQLITE_STATIC);
    sqlite3_bind_text(rg, 3, "province", -1, SQLITE_STATIC);
    sqlite3_bind_null(rg, 4);
    sqlite3_bind_null(rg, 5);
    sqlite3_bind_null(rg, 6);
    step(db, rg);
    long cities = (counties + 99) / 100;
    for (long c = 0; c < cities; c++) {
        /* city codes 1CCC00-style: 6 digits, unique */
        char city[8], name[32];
        snprintf(city, sizeof city, "%02ld%04ld", 11 + c / 10000, c % 10000);
        snprintf(name, sizeof name, "合成市%ld", c + 1);
        int tier = (int)(c % 3) + 1;
        sqlite3_bind_text(rg, 1, city, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rg, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rg, 3, "city", -1, SQLITE_STATIC);
        sqlite3_bind_text(rg, 4, "100000", -1, SQLITE_STATIC);
        sqlite3_bind_text(rg, 5, zones[c % 4], -1, SQLITE_STATIC);
        sqlite3_bind_int(rg, 6, tier);
        step(db, rg);
    }
    for (long i = 0; i < counties; i++) {
        char code[8], name[32], city[8];
        long c = i / 100;
        snprintf(city, sizeof city, "%02ld%04ld", 11 + c / 10000, c % 10000);
        snprintf(code, sizeof code, "%02ld%04ld", 20 + i / 10000, i % 10000);
        snprintf(name, sizeof name, "合成县%ld", i + 1);
        sqlite3_bind_text(rg, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rg, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rg, 3, "county", -1, SQLITE_STATIC);
        sqlite3_bind_text(rg, 4, city, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(rg, 5, zones[c % 4], -1, SQLITE_STATIC);
        sqlite3_bind_int(rg, 6, (int)(c % 3) + 1);
        step(db, rg);
        for (int y = y0; y <= y1; y++) {
            double pop = uniform(50000, 1500000);
            fact(db, fc, code, y, "pop.resident", pop);
            fact(db, fc, code, y, "pop.registered", pop * uniform(0.7, 1.3));
            fact(db, fc, code, y, "fin.revenue", pop * uniform(2000, 30000));
            fact(db, fc, code, y, "fin.basic_service.spend",
                 pop * uniform(3000, 9000));
            for (int k = 0; k < NITEMS; k++) {
                double b = pop * uniform(0.05, 0.4);
                snprintf(spend, sizeof spend, "bench.item%d.spend", k);
                snprintf(ben, sizeof ben, "bench.item%d.beneficiaries", k);
                fact(db, fc, code, y, ben, b);
                fact(db, fc, code, y, spend,
                     b * (105.0 + 10 * k) * uniform(0.85, 1.3));
                if (k < 2) {
                    snprintf(key, sizeof key, "bench.item%d", k);
                    sqlite3_bind_text(tr, 1, code, -1, SQLITE_TRANSIENT);
                    sqlite3_bind_int(tr, 2, y);
                    sqlite3_bind_text(tr, 3, key, -1, SQLITE_TRANSIENT);
                    /* money paid: a whole number of fen */
                    sqlite3_bind_double(
                        tr, 4,
                        (double)(long long)(b * 6000.0 * uniform(0.8, 1.2) +
                                            0.5) /
                            100.0);
                    step(db, tr);
                }
            }
        }
    }
    sqlite3_finalize(m);
    sqlite3_finalize(it);
    sqlite3_finalize(sd);
    sqlite3_finalize(sh);
    sqlite3_finalize(rg);
    sqlite3_finalize(fc);
    sqlite3_finalize(tr);
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n", sqlite3_errmsg(db));
        return 3;
    }
    sqlite3_close(db);
    printf("%s: 1 province, %ld cities, %ld counties, years %d-%d\n", path,
           cities, counties, y0, y1);
    return 0;
}
