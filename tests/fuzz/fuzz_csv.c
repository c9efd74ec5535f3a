/*
 * fuzz_csv.c - libFuzzer harness of the CSV importer (er_import_csv, and
 * through it the CSV reader of csv.c). The input is one CSV file, imported
 * into each data table of an in-memory database that holds the built-in
 * sample, plainly, with ER_IMPORT_REPLACE and with ER_IMPORT_DRY_RUN.
 *
 * Checked beyond what the sanitizers catch: an import that fails, and a
 * dry run, leave every table exactly as it was (all or nothing); a failed
 * import says why in one or more "name:line:column: reason" lines or one
 * message naming the file; no transaction is left open. After an import
 * that succeeds the database is put back from a pristine copy, so that
 * every input starts from the same data.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static er_db *db;
static sqlite3 *pristine; /* the sample, to restore after a success */

/* A fingerprint of every data table: its rows and the sums of its
 * numbers. */
static const char fingerprint_sql[] =
    "SELECT (SELECT count(*) || ':' || total(length(name)) || ':' || "
    "        total(coalesce(tier, 0)) FROM region) || '/' ||"
    "       (SELECT count(*) || ':' || total(length(name)) FROM metric) || "
    "       '/' || (SELECT count(*) FROM item) || '/' ||"
    "       (SELECT count(*) || ':' || total(value) FROM fact) || '/' ||"
    "       (SELECT count(*) || ':' || total(value) FROM standard) || '/' ||"
    "       (SELECT count(*) || ':' || total(province_share) FROM share) || "
    "       '/' || (SELECT count(*) || ':' || total(amount) FROM transfer)";

static void fingerprint(char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, fingerprint_sql, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        fprintf(stderr, "fuzz_csv: fingerprint: %s\n", sqlite3_errmsg(db->db));
        abort();
    }
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static void setup(void)
{
    db = calloc(1, sizeof *db);
    if (!db || !(db->path = er_strdup(":memory:")) ||
        sqlite3_open(":memory:", &db->db) != SQLITE_OK ||
        er_db_create_schema(db->db) != ER_OK ||
        sqlite3_exec(db->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) !=
            SQLITE_OK ||
        er_db_load_sample(db) != ER_OK ||
        sqlite3_open(":memory:", &pristine) != SQLITE_OK) {
        fprintf(stderr, "fuzz_csv: setup: %s\n", er_errmsg());
        abort();
    }
    sqlite3_backup *b = sqlite3_backup_init(pristine, "main", db->db, "main");
    if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
        sqlite3_backup_finish(b) != SQLITE_OK) {
        fprintf(stderr, "fuzz_csv: cannot copy the sample\n");
        abort();
    }
}

static void restore(void)
{
    sqlite3_backup *b = sqlite3_backup_init(db->db, "main", pristine, "main");
    if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
        sqlite3_backup_finish(b) != SQLITE_OK) {
        fprintf(stderr, "fuzz_csv: cannot restore the sample\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned flags[] = {0, ER_IMPORT_REPLACE, ER_IMPORT_DRY_RUN};
    char before[512], after[512];

    if (!db)
        setup();
    fingerprint(before, sizeof before);
    for (size_t t = 0; er_data_tables[t]; t++) {
        for (size_t f = 0; f < ER_ARRAY_LEN(flags); f++) {
            er_import_stats stats;
            er_error_clear();
            int rc = er_import_csv(db, er_data_tables[t], "fuzz.csv",
                                   (const char *)data, size, flags[f], &stats);
            if (!sqlite3_get_autocommit(db->db)) {
                fprintf(stderr, "fuzz_csv: %s: a transaction left open\n",
                        er_data_tables[t]);
                abort();
            }
            if (rc != ER_OK &&
                (strncmp(er_errmsg(), "fuzz.csv", 8) != 0 &&
                 rc != ER_ENOMEM)) {
                fprintf(stderr, "fuzz_csv: %s: a message that does not "
                                "name the file: %s\n",
                        er_data_tables[t], er_errmsg());
                abort();
            }
            if (rc == ER_OK && flags[f] != ER_IMPORT_DRY_RUN) {
                restore();
                continue;
            }
            if (stats.rows == 0)
                continue; /* stopped at the header, before any write */
            fingerprint(after, sizeof after);
            if (strcmp(before, after) != 0) {
                fprintf(stderr,
                        "fuzz_csv: %s (flags %u): %s, yet the data changed\n"
                        "before: %s\nafter:  %s\n",
                        er_data_tables[t], flags[f],
                        rc == ER_OK ? "a dry run" : "the import failed",
                        before, after);
                abort();
            }
        }
    }
    return 0;
}
