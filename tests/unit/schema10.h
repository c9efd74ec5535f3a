/*
 * schema10.h - for tests that build a database of an earlier schema
 * version from a new one: the SQL that takes schema version 11's findings
 * store away (the view `finding`, finding_row, finding_rule, finding_text)
 * and puts back the `finding` table of versions 2 to 10, with its rows.
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

#endif
