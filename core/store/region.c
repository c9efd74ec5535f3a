/*
 * region.c - the one reading of a region the user names on a command line
 * (`run --region`, `report --region`, `explain REGION`): a code, a name,
 * an English name, or a name without its 市/区/县. It reads the region
 * table only; what a caller does with the region is the caller's.
 */
#include "store.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* The ways a region is named, tried in this order; the first that matches
 * decides, and more than one match there is ambiguous. */
static const char *const match_sql[] = {
    "SELECT code, name, level FROM region WHERE code = ?1",
    "SELECT code, name, level FROM region WHERE name = ?1 ORDER BY code",
    "SELECT code, name, level FROM region WHERE name_en IS NOT NULL AND "
    "lower(name_en) = lower(?1) ORDER BY code",
    "SELECT code, name, level FROM region WHERE name IN "
    "(?1 || '市', ?1 || '区', ?1 || '县') ORDER BY code",
};

/* "did you mean" over the codes, names and English names. */
static int unknown(sqlite3 *db, const char *path, const char *spec)
{
    sqlite3_stmt *st = NULL;
    char **cands = NULL;
    size_t n = 0, cap = 0;
    int rc, src;
    if (sqlite3_prepare_v2(db,
                           "SELECT code FROM region UNION ALL SELECT name "
                           "FROM region UNION ALL SELECT name_en FROM region "
                           "WHERE name_en IS NOT NULL",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db, "reading the regions");
        goto done;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (!s)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(cands, cap * sizeof *p);
            if (!p) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            cands = p;
        }
        if (!(cands[n] = er_strdup(s))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        n++;
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db, "reading the regions");
        goto done;
    }
    const char *near = er_suggest(spec, (const char *const *)cands, n);
    rc = er_fail(ER_EUSAGE,
                 "no region '%s' in %s%s%s%s; give a code, a name (梅州市 or "
                 "梅州) or an English name",
                 spec, path, near ? " (did you mean " : "", near ? near : "",
                 near ? "?)" : "");
done:
    sqlite3_finalize(st);
    for (size_t i = 0; i < n; i++)
        free(cands[i]);
    free(cands);
    return rc;
}

int er_region_resolve(sqlite3 *db, const char *path, const char *spec,
                      char code_out[ER_REGION_CODE_SIZE])
{
    sqlite3_stmt *st = NULL;
    er_buf list;
    int rc = ER_OK;
    assert(db && spec && code_out);
    er_buf_init(&list);
    code_out[0] = '\0';
    for (size_t i = 0; i < ER_ARRAY_LEN(match_sql); i++) {
        if (sqlite3_prepare_v2(db, match_sql[i], -1, &st, NULL) != SQLITE_OK) {
            rc = er_fail_sqlite(db, "reading the regions");
            goto done;
        }
        sqlite3_bind_text(st, 1, spec, -1, SQLITE_STATIC);
        int src, n = 0;
        while ((src = sqlite3_step(st)) == SQLITE_ROW) {
            const char *code = (const char *)sqlite3_column_text(st, 0);
            const char *name = (const char *)sqlite3_column_text(st, 1);
            const char *level = (const char *)sqlite3_column_text(st, 2);
            if (!code)
                continue;
            if (n++ == 0)
                snprintf(code_out, ER_REGION_CODE_SIZE, "%s", code);
            er_buf_printf(&list, "%s%s %s (%s)", n > 1 ? ", " : "", code,
                          name ? name : "", level ? level : "?");
        }
        if (src != SQLITE_DONE) {
            rc = er_fail_sqlite(db, "reading the regions");
            goto done;
        }
        sqlite3_finalize(st);
        st = NULL;
        if (n == 1)
            goto done;
        if (n > 1) {
            code_out[0] = '\0';
            rc = er_buf_status(&list) != ER_OK
                     ? er_fail(ER_ENOMEM, "out of memory")
                     : er_fail(ER_EUSAGE,
                               "region '%s' is ambiguous in %s: %s; give "
                               "the code",
                               spec, path, list.data);
            goto done;
        }
    }
    rc = unknown(db, path, spec);
done:
    sqlite3_finalize(st);
    er_buf_free(&list);
    return rc;
}
