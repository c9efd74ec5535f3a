/*
 * schema10.h - for tests that build a database of an earlier schema
 * version from a new one: the SQL that takes schema version 11's findings
 * store away (the view `finding`, finding_row, finding_rule, finding_text)
 * and puts back the `finding` table of versions 2 to 10, with its rows;
 * and the SQL that takes schema version 12's data versions away (and
 * version 14's item columns with them).
 */
#ifndef ER_TEST_SCHEMA10_H
#define ER_TEST_SCHEMA10_H

#define ER_TEST_FINDING_TO_V10                                                \
    "CREATE TABLE finding10("                                                 \
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"            \
    "  rule TEXT NOT NULL,"                                                   \
    "  region TEXT NOT NULL,"                                                 \
    "  year INTEGER NOT NULL,"                                                \
    "  outcome TEXT NOT NULL CHECK (outcome IN ('pass','fail','warn','skip'," \
    "'cut','allocation','missing','error')),"                                 \
    "  measured REAL,"                                                        \
    "  required REAL,"                                                        \
    "  amount INTEGER,"                                                       \
    "  unit TEXT,"                                                            \
    "  note TEXT);"                                                           \
    "INSERT INTO finding10 SELECT * FROM finding;"                            \
    "DROP VIEW finding; DROP TABLE finding_row; DROP TABLE finding_rule;"     \
    "DROP TABLE finding_text;"                                                \
    "ALTER TABLE finding10 RENAME TO finding;"                                \
    "CREATE INDEX finding_run ON finding(run, rule, region, year);"           \
    "CREATE INDEX finding_failing ON finding(run, year, rule, region) "       \
    "  WHERE outcome IN ('fail','missing','error');"

/* The additions of schema version 14 (the public service list's texts of
 * an item), taken away first. */
#define ER_TEST_UNDO_V14 \
    "ALTER TABLE item DROP COLUMN served;" \
    "ALTER TABLE item DROP COLUMN content;" \
    "ALTER TABLE item DROP COLUMN responsibility;" \
    "ALTER TABLE item DROP COLUMN lead;" \
    "ALTER TABLE item_history DROP COLUMN served;" \
    "ALTER TABLE item_history DROP COLUMN content;" \
    "ALTER TABLE item_history DROP COLUMN responsibility;" \
    "ALTER TABLE item_history DROP COLUMN lead;"

/* The additions of schema version 12 (data versions), taken away from a
 * database of the current schema before ER_TEST_FINDING_TO_V10 (after
 * ER_TEST_UNDO_V14, which it includes). */
#define ER_TEST_UNDO_V12 \
    ER_TEST_UNDO_V14 \
    "DROP INDEX run_data_version; ALTER TABLE run DROP COLUMN data_version;" \
    "DROP TABLE data_version;" \
    "DROP TABLE region_history; ALTER TABLE region DROP COLUMN version;" \
    "DROP TABLE metric_history; ALTER TABLE metric DROP COLUMN version;" \
    "DROP TABLE item_history; ALTER TABLE item DROP COLUMN version;" \
    "DROP TABLE standard_history; ALTER TABLE standard DROP COLUMN version;" \
    "DROP TABLE share_history; ALTER TABLE share DROP COLUMN version;" \
    "DROP TABLE transfer_history; ALTER TABLE transfer DROP COLUMN version;" \
    "DROP TABLE split_history; ALTER TABLE split DROP COLUMN version;" \
    "DROP TABLE city_transfer_history; ALTER TABLE city_transfer DROP COLUMN version;" \
    "DROP TABLE fact_history; ALTER TABLE fact DROP COLUMN version;" \
    "DROP TABLE zone_history; ALTER TABLE zone DROP COLUMN version;" \
    "DROP TABLE setting_history; ALTER TABLE setting DROP COLUMN version;" \
    "DROP TABLE national_average_history; ALTER TABLE national_average DROP COLUMN version;"

#endif
