/*
 * db.c - the database file: opening with the version check, creating and
 * upgrading the schema, the read-only reader connection given to rules, and
 * loading the built-in sample. It does not know what the tables mean: the
 * snapshot, import and results files do.
 */
#include "store.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "equr": marks a file as an equirule database (PRAGMA application_id). */
#define ER_APPLICATION_ID 0x65717572

const char *const er_data_tables[] = {
    "region", "metric", "item", "standard", "share",
    "transfer", "split", "city_transfer", "fact", "zone", "setting",
    "national_average", NULL};

const char *const er_report_charts[] = {ER_CHART_PER_CAPITA_GAP,
                                        ER_CHART_RANKING, NULL};

const char *const er_report_indexes[] = {
    "cv",         "cv_weighted",        "gini",
    "theil",      "theil_between_zone", "theil_within_zone",
    "theil_within_city", NULL};

/* The view `finding` of schema version 11 (migration 11's @FINDING_VIEW@):
 * the columns of version 10 read from the narrow store. */
static const char finding_view_sql[] =
    "CREATE VIEW finding(run, rule, region, year, outcome, measured, "
    "  required, amount, unit, note) AS "
    "  SELECT f.run, r.rule, "
    "    CASE WHEN typeof(f.region) = 'integer' "
    "      THEN printf('%06d', f.region) ELSE f.region END, "
    "    f.year, CASE f.outcome @OUTCOME_NAME@ END, "
    "    f.measured, f.required, f.amount, "
    "    CASE WHEN typeof(f.unit) = 'integer' THEN (SELECT u.text FROM "
    "      finding_text u WHERE u.run = f.run AND u.id = f.unit) "
    "      ELSE f.unit END, "
    "    CASE WHEN typeof(f.note) = 'integer' THEN (SELECT n.text FROM "
    "      finding_text n WHERE n.run = f.run AND n.id = f.note) "
    "      ELSE f.note END "
    "  FROM finding_row f JOIN finding_rule r "
    "    ON r.run = f.run AND r.id = f.rule;";

/* Migration 11's @FINDING_TRIGGERS@: */
static const char finding_triggers_sql[] =
    /* rows written through the view (sqlite3 users, tests) go into the
     * store: a rule new to the run is numbered in the order of the ids
     * (the later ones move up), units and notes stay in the row */
    "CREATE TRIGGER finding_insert INSTEAD OF INSERT ON finding BEGIN"
    "  SELECT RAISE(ABORT, 'finding.run must name a stored run')"
    "    WHERE NOT EXISTS (SELECT 1 FROM run WHERE id = NEW.run);"
    "  SELECT RAISE(ABORT, 'finding.outcome must be one of @OUTCOME_WORDS@')"
    "    WHERE NEW.outcome IS NULL OR NEW.outcome NOT IN (@OUTCOMES@);"
    "  UPDATE finding_row SET rule = -rule - 2 WHERE run = NEW.run"
    "    AND NOT EXISTS (SELECT 1 FROM finding_rule"
    "                    WHERE run = NEW.run AND rule = NEW.rule)"
    "    AND rule IN (SELECT id FROM finding_rule"
    "                 WHERE run = NEW.run AND rule > NEW.rule);"
    "  UPDATE finding_row SET rule = -rule - 1"
    "    WHERE run = NEW.run AND rule < 0;"
    "  UPDATE finding_rule SET id = -id - 2 WHERE run = NEW.run"
    "    AND rule > NEW.rule AND NOT EXISTS (SELECT 1 FROM finding_rule"
    "      WHERE run = NEW.run AND rule = NEW.rule);"
    "  UPDATE finding_rule SET id = -id - 1 WHERE run = NEW.run AND id < 0;"
    "  INSERT INTO finding_rule(run, id, rule)"
    "    SELECT NEW.run, (SELECT count(*) FROM finding_rule"
    "                     WHERE run = NEW.run AND rule < NEW.rule), NEW.rule"
    "    WHERE NOT EXISTS (SELECT 1 FROM finding_rule"
    "                      WHERE run = NEW.run AND rule = NEW.rule);"
    "  INSERT INTO finding_row(run, year, rule, region, seq, outcome,"
    "    measured, required, amount, unit, note)"
    "    SELECT NEW.run, NEW.year, r.id, k.region,"
    "      (SELECT coalesce(max(x.seq) + 1, 0) FROM finding_row x"
    "       WHERE x.run = NEW.run AND x.year = NEW.year AND x.rule = r.id"
    "         AND x.region = k.region),"
    "      CASE NEW.outcome @OUTCOME_NUMBER@ END,"
    "      NEW.measured, NEW.required, NEW.amount,"
    "      CAST(NEW.unit AS TEXT), CAST(NEW.note AS TEXT)"
    "    FROM finding_rule r, (SELECT CASE WHEN NEW.region GLOB"
    "      '[0-9][0-9][0-9][0-9][0-9][0-9]' THEN CAST(NEW.region AS INTEGER)"
    "      ELSE NEW.region END AS region) k"
    "    WHERE r.run = NEW.run AND r.rule = NEW.rule;"
    "END;";

/* ... and the triggers of deletes and updates */
static const char finding_triggers2_sql[] =
    "CREATE TRIGGER finding_delete INSTEAD OF DELETE ON finding BEGIN"
    "  DELETE FROM finding_row WHERE run = OLD.run"
    "    AND rule = (SELECT id FROM finding_rule"
    "                WHERE run = OLD.run AND rule = OLD.rule)"
    "    AND year = OLD.year"
    "    AND region = CASE WHEN OLD.region GLOB"
    "      '[0-9][0-9][0-9][0-9][0-9][0-9]' THEN CAST(OLD.region AS INTEGER)"
    "      ELSE OLD.region END"
    "    AND outcome = CASE OLD.outcome @OUTCOME_NUMBER@ END"
    "    AND measured IS OLD.measured AND required IS OLD.required"
    "    AND amount IS OLD.amount"
    "    AND (CASE WHEN typeof(unit) = 'integer' THEN (SELECT u.text FROM"
    "      finding_text u WHERE u.run = OLD.run AND u.id = unit)"
    "      ELSE unit END) IS OLD.unit"
    "    AND (CASE WHEN typeof(note) = 'integer' THEN (SELECT n.text FROM"
    "      finding_text n WHERE n.run = OLD.run AND n.id = note)"
    "      ELSE note END) IS OLD.note;"
    "END;"
    /* an update through the view (a correction, or tampering that
     * `verify` must find) changes what a finding says, never which
     * finding it is; units and notes written this way stay in the row */
    "CREATE TRIGGER finding_update INSTEAD OF UPDATE ON finding BEGIN"
    "  SELECT RAISE(ABORT, 'finding: run, rule, region and year say which "
    "finding a row is and cannot be updated; delete and insert instead')"
    "    WHERE NEW.run IS NOT OLD.run OR NEW.rule IS NOT OLD.rule"
    "      OR NEW.region IS NOT OLD.region OR NEW.year IS NOT OLD.year;"
    "  SELECT RAISE(ABORT, 'finding.outcome must be one of @OUTCOME_WORDS@')"
    "    WHERE NEW.outcome IS NULL OR NEW.outcome NOT IN (@OUTCOMES@);"
    "  UPDATE finding_row SET"
    "    outcome = CASE NEW.outcome @OUTCOME_NUMBER@ END,"
    "    measured = NEW.measured, required = NEW.required,"
    "    amount = NEW.amount,"
    "    unit = CASE WHEN NEW.unit IS OLD.unit THEN unit"
    "      ELSE CAST(NEW.unit AS TEXT) END,"
    "    note = CASE WHEN NEW.note IS OLD.note THEN note"
    "      ELSE CAST(NEW.note AS TEXT) END"
    "  WHERE run = OLD.run"
    "    AND rule = (SELECT id FROM finding_rule"
    "                WHERE run = OLD.run AND rule = OLD.rule)"
    "    AND year = OLD.year"
    "    AND region = CASE WHEN OLD.region GLOB"
    "      '[0-9][0-9][0-9][0-9][0-9][0-9]' THEN CAST(OLD.region AS INTEGER)"
    "      ELSE OLD.region END"
    "    AND outcome = CASE OLD.outcome @OUTCOME_NUMBER@ END"
    "    AND measured IS OLD.measured AND required IS OLD.required"
    "    AND amount IS OLD.amount"
    "    AND (CASE WHEN typeof(unit) = 'integer' THEN (SELECT u.text FROM"
    "      finding_text u WHERE u.run = OLD.run AND u.id = unit)"
    "      ELSE unit END) IS OLD.unit"
    "    AND (CASE WHEN typeof(note) = 'integer' THEN (SELECT n.text FROM"
    "      finding_text n WHERE n.run = OLD.run AND n.id = note)"
    "      ELSE note END) IS OLD.note;"
    "END;";

/* Migration N takes a database from user_version N-1 to N. The lists of
 * words a column may hold are domain.c's, put in where the text names them
 * (@LEVELS@, @ZONES@, @SCOPES@, @SETTINGS@, @KINDS@, @OUTCOMES@ and
 * @FAILING@, the outcomes that fail; @OUTCOME_NUMBER@ and @OUTCOME_NAME@,
 * the WHEN arms from an outcome's name to its number and back;
 * @OUTCOME_MAX@, the largest number; @OUTCOME_WORDS@ for a message), and
 * the parts too long for one string (@FINDING_VIEW@, @FINDING_TRIGGERS@),
 * by expand(). */
static const char *const migrations[] = {
    /* 1: the data tables */
    "CREATE TABLE region("
    "  code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 6),"
    "  name TEXT NOT NULL,"
    "  name_en TEXT,"
    "  level TEXT NOT NULL CHECK (level IN (@LEVELS@)),"
    "  parent TEXT REFERENCES region(code),"
    "  zone TEXT CHECK (zone IN (@ZONES@)),"
    "  tier INTEGER);"
    "CREATE INDEX region_parent ON region(parent, code);"
    "CREATE TABLE metric("
    "  key TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT NOT NULL,"
    "  unit TEXT,"
    "  department TEXT,"
    "  description TEXT);"
    "CREATE TABLE fact("
    "  region TEXT NOT NULL REFERENCES region(code),"
    "  year INTEGER NOT NULL,"
    "  metric TEXT NOT NULL REFERENCES metric(key),"
    "  value REAL,"
    "  source TEXT,"
    "  PRIMARY KEY (region, year, metric)) WITHOUT ROWID;"
    "CREATE TABLE item("
    "  code TEXT PRIMARY KEY NOT NULL,"
    "  category TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  department TEXT NOT NULL,"
    "  unit TEXT,"
    "  beneficiary_metric TEXT REFERENCES metric(key));"
    "CREATE TABLE standard("
    "  key TEXT NOT NULL,"
    "  scope TEXT NOT NULL CHECK (scope IN (@SCOPES@)),"
    "  region TEXT REFERENCES region(code),"
    "  year_from INTEGER NOT NULL,"
    "  year_to INTEGER CHECK (year_to IS NULL OR year_to >= year_from),"
    "  value REAL NOT NULL,"
    "  unit TEXT,"
    "  basis TEXT,"
    "  CHECK ((scope = 'local') = (region IS NOT NULL)));"
    "CREATE INDEX standard_key ON standard(key, scope, region, year_from);"
    "CREATE TABLE share("
    "  item TEXT NOT NULL REFERENCES item(code),"
    "  tier INTEGER NOT NULL,"
    "  year_from INTEGER NOT NULL,"
    "  year_to INTEGER CHECK (year_to IS NULL OR year_to >= year_from),"
    "  province_share REAL NOT NULL"
    "    CHECK (province_share >= 0 AND province_share <= 1));"
    "CREATE INDEX share_item ON share(item, tier, year_from);"
    "CREATE TABLE transfer("
    "  region TEXT NOT NULL REFERENCES region(code),"
    "  year INTEGER NOT NULL,"
    "  item TEXT NOT NULL REFERENCES item(code),"
    "  amount REAL NOT NULL,"
    "  PRIMARY KEY (region, year, item)) WITHOUT ROWID;",

    /* 2: runs and their findings */
    "CREATE TABLE run("
    "  id INTEGER PRIMARY KEY,"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT,"
    "  status TEXT NOT NULL CHECK (status IN ('running','done','aborted')),"
    "  years TEXT NOT NULL,"
    "  engine_version TEXT NOT NULL,"
    "  rules_digest TEXT,"
    "  data_digest TEXT,"
    "  options TEXT,"
    "  user TEXT,"
    "  rules_dir TEXT,"
    "  evaluations INTEGER);"
    "CREATE TABLE rule_file("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  PRIMARY KEY (run, path));"
    "CREATE TABLE run_rule("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  department TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  basis TEXT NOT NULL,"
    "  item TEXT,"
    "  kind TEXT NOT NULL,"
    "  level TEXT NOT NULL,"
    "  params TEXT,"
    "  PRIMARY KEY (run, rule));"
    "CREATE TABLE finding("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  outcome TEXT NOT NULL CHECK (outcome IN (@OUTCOMES@)),"
    "  measured REAL,"
    "  required REAL,"
    "  amount INTEGER,"
    "  unit TEXT,"
    "  note TEXT);"
    "CREATE INDEX finding_run ON finding(run, rule, region, year);",

    /* 3: counts kept with each run, and an index of the failing findings,
     * so that summaries of runs of millions of findings read little */
    "CREATE TABLE run_count("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  outcome TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  amount INTEGER,"
    "  PRIMARY KEY (run, rule, outcome)) WITHOUT ROWID;"
    "INSERT INTO run_count(run, rule, outcome, n, amount) "
    "  SELECT run, rule, outcome, count(*), sum(amount) FROM finding "
    "  GROUP BY run, rule, outcome;"
    "CREATE INDEX finding_failing ON finding(run, year, rule, region) "
    "  WHERE outcome IN (@FAILING@);",

    /* 4: what the report reads from the data and the rules instead of
     * knowing it: each rule's `report` hint (JSON), the zones' names and
     * colours, and settings such as the policy's name. A database that
     * already holds regions (version 3 served Guangdong only) keeps the
     * names its reports showed. */
    "ALTER TABLE run_rule ADD COLUMN report TEXT;"
    /* the report of version 3 drew its per-capita band from this rule */
    "UPDATE run_rule SET report = '{\"chart\":\"per_capita_gap\"}' "
    "  WHERE rule = 'finance.spending_gap' AND kind = 'indicator';"
    "CREATE TABLE zone("
    "  code TEXT PRIMARY KEY NOT NULL"
    "    CHECK (code IN (@ZONES@)),"
    "  name TEXT NOT NULL,"
    "  short_name TEXT,"
    "  colour TEXT CHECK (colour IS NULL OR (length(colour) = 7 AND colour "
    "    GLOB '#[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]"
    "[0-9a-fA-F]')),"
    "  sort INTEGER);"
    "CREATE TABLE setting("
    "  key TEXT PRIMARY KEY NOT NULL CHECK (key IN (@SETTINGS@)),"
    "  value TEXT NOT NULL);"
    "INSERT INTO zone(code, name, short_name, colour, sort) "
    "  SELECT * FROM (VALUES ('core', '珠三角核心区', '核心', '#2f6db5', 1),"
    "    ('east', '沿海经济带东翼', '东翼', '#e07b27', 2),"
    "    ('west', '沿海经济带西翼', '西翼', '#3a9b57', 3),"
    "    ('north', '北部生态发展区', '北部', '#8a5cb8', 4))"
    "  WHERE EXISTS (SELECT 1 FROM region);"
    "INSERT INTO setting(key, value) SELECT 'policy', '粤财办〔2019〕1号' "
    "  WHERE EXISTS (SELECT 1 FROM region);",

    /* 5: the value domain of each metric (er_domain of store.h): its kind,
     * whether values are whole numbers, and its bounds, each open
     * (exclusive) or closed. NULL leaves the kind's default. A database
     * of version 4 gets what its units tell safely: people and households
     * are counts (whole numbers >= 0), yuan is money (>= 0), and the
     * population (what every per-capita rule divides by) is > 0, as the
     * sample declares. */
    "ALTER TABLE metric ADD COLUMN kind TEXT"
    "  CHECK (kind IS NULL OR kind IN (@KINDS@));"
    "ALTER TABLE metric ADD COLUMN integer INTEGER"
    "  CHECK (integer IS NULL OR integer IN (0, 1));"
    "ALTER TABLE metric ADD COLUMN min REAL;"
    "ALTER TABLE metric ADD COLUMN min_open INTEGER"
    "  CHECK (min_open IS NULL OR min_open IN (0, 1));"
    "ALTER TABLE metric ADD COLUMN max REAL"
    "  CHECK (max IS NULL OR min IS NULL OR min <= max);"
    "ALTER TABLE metric ADD COLUMN max_open INTEGER"
    "  CHECK (max_open IS NULL OR max_open IN (0, 1));"
    "UPDATE metric SET kind = 'count' WHERE unit IN ('人', '户');"
    "UPDATE metric SET kind = 'money' WHERE unit = '元';"
    "UPDATE metric SET min = 0, min_open = 1 "
    "  WHERE key IN ('pop.resident', 'pop.registered');",

    /* 6: what a run could not check. run_count is kept per rule, year and
     * outcome (recounted from the findings for earlier runs), so that a
     * rule that assessed nothing in one year shows; run_gap holds what
     * each finding that assessed nothing lacked: a fact (key = metric), a
     * provincial share or a transfer (key = item) or, for a skip, the
     * binding standard
     * (key = standard key), with the region and year whose data was read.
     * Runs recorded before have their missing facts read back from the
     * notes the engine wrote ("no value of KEY for CODE NAME in YEAR"). */
    "CREATE TABLE run_count_new("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  outcome TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  amount INTEGER,"
    "  PRIMARY KEY (run, rule, year, outcome)) WITHOUT ROWID;"
    "INSERT INTO run_count_new(run, rule, year, outcome, n, amount) "
    "  SELECT run, rule, year, outcome, count(*), sum(amount) FROM finding "
    "  GROUP BY run, rule, year, outcome;"
    "DROP TABLE run_count;"
    "ALTER TABLE run_count_new RENAME TO run_count;"
    "CREATE TABLE run_gap("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('fact','share','standard',"
    "                                    'transfer')),"
    "  key TEXT NOT NULL,"
    "  data_region TEXT NOT NULL,"
    "  data_year INTEGER NOT NULL);"
    "CREATE INDEX run_gap_run ON run_gap(run, kind, key, data_year);"
    "INSERT INTO run_gap(run, rule, region, year, kind, key, data_region, "
    "  data_year) "
    "  SELECT run, rule, region, year, 'fact', substr(rest, 1, at - 1), "
    "    substr(rest, at + 5, 6), "
    "    CAST(substr(rest, instr(rest, ' in ') + 4, 4) AS INTEGER) "
    "  FROM (SELECT run, rule, region, year, substr(note, 13) AS rest, "
    "          instr(substr(note, 13), ' for ') AS at "
    "        FROM finding WHERE outcome = 'missing' "
    "          AND note LIKE 'no value of % for % in %') "
    "  WHERE at > 1;",

    /* 7: how a metric aggregates to the parent region (er_aggregate_* of
     * store.h): 'sum' (an absent value of a region with children is the
     * sum of all its children's, snapshot.c) or 'none'; NULL takes the
     * kind's default (count and money sum). A sum of ratios, rates,
     * per-unit amounts or indices means nothing and is refused. A
     * database of version 6 keeps NULL everywhere: the defaults. */
    "ALTER TABLE metric ADD COLUMN aggregate TEXT"
    "  CHECK (aggregate IS NULL OR aggregate IN ('none', 'sum'))"
    "  CHECK (aggregate IS NOT 'sum' OR kind IS NULL OR"
    "         kind NOT IN ('ratio', 'rate', 'per_unit', 'index'));",

    /* 8: the city-county split and the city's payments to its counties.
     * split: a city's part (0..1) of the funding of an item the province
     * does not pay, the rest being its counties'; a row without an item
     * is the city's default for every item it does not name. Spans of one
     * (city, item) do not overlap, as a share's. city_transfer: what a
     * county (region) received from its city for an item in a year (the
     * province's payments stay in transfer). run_gap learns the kind
     * 'split' (a finding that lacked a city's split). */
    "CREATE TABLE split("
    "  city TEXT NOT NULL REFERENCES region(code),"
    "  item TEXT REFERENCES item(code),"
    "  year_from INTEGER NOT NULL,"
    "  year_to INTEGER CHECK (year_to IS NULL OR year_to >= year_from),"
    "  city_share REAL NOT NULL"
    "    CHECK (city_share >= 0 AND city_share <= 1));"
    "CREATE INDEX split_city ON split(city, item, year_from);"
    "CREATE TABLE city_transfer("
    "  region TEXT NOT NULL REFERENCES region(code),"
    "  year INTEGER NOT NULL,"
    "  item TEXT NOT NULL REFERENCES item(code),"
    "  amount REAL NOT NULL,"
    "  PRIMARY KEY (region, year, item)) WITHOUT ROWID;"
    "CREATE TABLE run_gap_new("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  region TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('fact','share','standard',"
    "                                    'transfer','split')),"
    "  key TEXT NOT NULL,"
    "  data_region TEXT NOT NULL,"
    "  data_year INTEGER NOT NULL);"
    "INSERT INTO run_gap_new SELECT * FROM run_gap;"
    "DROP TABLE run_gap;"
    "ALTER TABLE run_gap_new RENAME TO run_gap;"
    "CREATE INDEX run_gap_run ON run_gap(run, kind, key, data_year);",

    /* 9: the national average of each item (全国平均水平, the short-board
     * yardstick of 粤财办〔2019〕1号 二(二)1), per year: `key` is a
     * standard key (an item code, or an item code with a variant as in
     * standard), `value` in the unit of that key's standard (per
     * beneficiary, per month for a monthly standard), `source` says
     * where it comes from ("estimate" where it is one). */
    "CREATE TABLE national_average("
    "  key TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  value REAL NOT NULL CHECK (value >= 0),"
    "  unit TEXT,"
    "  basis TEXT,"
    "  source TEXT,"
    "  PRIMARY KEY (key, year)) WITHOUT ROWID;",

    /* 10: a run's scope, what narrowed it (JSON: region, depts, rule, sets;
     * {} for a full run). A run stored before knows only its command
     * line: partial when that names --region, --dept, --rule or --set. */
    "ALTER TABLE run ADD COLUMN scope TEXT "
    "  CHECK (scope IS NULL OR json_valid(scope));"
    "UPDATE run SET scope = CASE "
    "  WHEN ' ' || coalesce(options, '') || ' ' GLOB '* --region*' "
    "    OR ' ' || coalesce(options, '') || ' ' GLOB '* --dept*' "
    "    OR ' ' || coalesce(options, '') || ' ' GLOB '* --rule *' "
    "    OR ' ' || coalesce(options, '') || ' ' GLOB '* --rule=*' "
    "    OR ' ' || coalesce(options, '') || ' ' GLOB '* --set*' "
    "  THEN json_object('command', options) ELSE '{}' END;",

    /* 11: the narrow findings store. A finding is a row of finding_row,
     * clustered on the order reports read (run, year, rule, region, seq):
     * rule is the rule's number in the run (finding_rule, numbered in the
     * order of the ids, from 0), region the 6-digit code as an integer
     * (text where a code is not 6 digits), seq 0 for the first finding of
     * a (rule, year, region) and 1, 2... for the next ones in the order
     * they were recorded (a rule that distributes to a region it also
     * evaluates), outcome the number of domain.c's outcome (0 pass, 1
     * fail...), unit and note the number of a text of the run (finding_text)
     * or the text itself. The columns of version 10 stay readable as the
     * view `finding`. The rows of earlier runs move over in the order
     * they were recorded; a note repeated in a run becomes a text of the
     * run, a note said once stays in the row. */
    "CREATE TABLE finding_rule("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  id INTEGER NOT NULL,"
    "  rule TEXT NOT NULL,"
    "  PRIMARY KEY (run, id)) WITHOUT ROWID;"
    "CREATE TABLE finding_text("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  id INTEGER NOT NULL,"
    "  text TEXT NOT NULL,"
    "  PRIMARY KEY (run, id)) WITHOUT ROWID;"
    "CREATE TABLE finding_row("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  year INTEGER NOT NULL,"
    "  rule INTEGER NOT NULL,"
    "  region NOT NULL CHECK (typeof(region) IN ('integer', 'text')),"
    "  seq INTEGER NOT NULL,"
    "  outcome INTEGER NOT NULL CHECK (outcome BETWEEN 0 AND @OUTCOME_MAX@),"
    "  measured REAL,"
    "  required REAL,"
    "  amount INTEGER,"
    "  unit CHECK (typeof(unit) IN ('null', 'integer', 'text')),"
    "  note CHECK (typeof(note) IN ('null', 'integer', 'text')),"
    "  PRIMARY KEY (run, year, rule, region, seq)) WITHOUT ROWID;"
    "INSERT INTO finding_rule(run, id, rule) "
    "  SELECT run, row_number() OVER (PARTITION BY run ORDER BY rule) - 1, "
    "    rule FROM (SELECT DISTINCT run, rule FROM finding);"
    "INSERT INTO finding_text(run, id, text) "
    "  SELECT run, row_number() OVER (PARTITION BY run ORDER BY t) - 1, t "
    "  FROM (SELECT run, unit AS t FROM finding WHERE unit IS NOT NULL "
    "        UNION SELECT run, note FROM finding WHERE note IS NOT NULL "
    "        GROUP BY run, note HAVING count(*) > 1);"
    "CREATE INDEX finding_text_upgrade ON finding_text(run, text);"
    "INSERT INTO finding_row(run, year, rule, region, seq, outcome, "
    "  measured, required, amount, unit, note) "
    "  SELECT f.run, f.year, r.id, "
    "    CASE WHEN f.region GLOB '[0-9][0-9][0-9][0-9][0-9][0-9]' "
    "      THEN CAST(f.region AS INTEGER) ELSE f.region END, "
    "    row_number() OVER (PARTITION BY f.run, f.year, f.rule, f.region "
    "                       ORDER BY f.rowid) - 1, "
    "    CASE f.outcome @OUTCOME_NUMBER@ END, "
    "    f.measured, f.required, f.amount, "
    "    (SELECT u.id FROM finding_text u "
    "     WHERE u.run = f.run AND u.text = f.unit), "
    "    coalesce((SELECT n.id FROM finding_text n "
    "              WHERE n.run = f.run AND n.text = f.note), f.note) "
    "  FROM finding f JOIN finding_rule r ON r.run = f.run AND r.rule = f.rule;"
    "DROP INDEX finding_text_upgrade;"
    "DROP TABLE finding;"
    "@FINDING_VIEW@"
    "@FINDING_TRIGGERS@",
    /* 12: data versions (version.c). Each successful import is a row of
     * data_version: who, when, the file and its SHA-256, the table and
     * what it did to it. Each data table gets `version`, the data version
     * that wrote the row (NULL: stored before versioning, version 0), and
     * a history table T_history of the same columns plus `ended`, the
     * version that replaced or deleted the row: a row of T_history was
     * the data in versions [version, ended). A later migration that adds
     * a column to a data table adds it to its history table too
     * (test_version checks they agree). A database that holds data gets
     * version 0, the rows stored before versioning. Each run records the
     * data version it read. */
    "CREATE TABLE data_version("
    "  id INTEGER PRIMARY KEY,"
    "  created_at TEXT NOT NULL,"
    "  user TEXT,"
    "  data_table TEXT,"
    "  file TEXT,"
    "  sha256 TEXT,"
    "  added INTEGER NOT NULL DEFAULT 0,"
    "  replaced INTEGER NOT NULL DEFAULT 0,"
    "  unchanged INTEGER NOT NULL DEFAULT 0,"
    "  pruned INTEGER NOT NULL DEFAULT 0 CHECK (pruned IN (0, 1)));"
    "INSERT INTO data_version(id, created_at, user, data_table, file) "
    "  SELECT 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), NULL, NULL, NULL "
    "  WHERE EXISTS (SELECT 1 FROM region) OR EXISTS (SELECT 1 FROM metric)"
    "    OR EXISTS (SELECT 1 FROM item) OR EXISTS (SELECT 1 FROM fact)"
    "    OR EXISTS (SELECT 1 FROM standard) OR EXISTS (SELECT 1 FROM share)"
    "    OR EXISTS (SELECT 1 FROM transfer) OR EXISTS (SELECT 1 FROM split)"
    "    OR EXISTS (SELECT 1 FROM city_transfer)"
    "    OR EXISTS (SELECT 1 FROM national_average)"
    "    OR EXISTS (SELECT 1 FROM zone) OR EXISTS (SELECT 1 FROM setting);"
    "ALTER TABLE region ADD COLUMN version INTEGER;"
    "ALTER TABLE metric ADD COLUMN version INTEGER;"
    "ALTER TABLE item ADD COLUMN version INTEGER;"
    "ALTER TABLE standard ADD COLUMN version INTEGER;"
    "ALTER TABLE share ADD COLUMN version INTEGER;"
    "ALTER TABLE transfer ADD COLUMN version INTEGER;"
    "ALTER TABLE split ADD COLUMN version INTEGER;"
    "ALTER TABLE city_transfer ADD COLUMN version INTEGER;"
    "ALTER TABLE fact ADD COLUMN version INTEGER;"
    "ALTER TABLE zone ADD COLUMN version INTEGER;"
    "ALTER TABLE setting ADD COLUMN version INTEGER;"
    "ALTER TABLE national_average ADD COLUMN version INTEGER;"
    "CREATE TABLE region_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM region WHERE 0;"
    "CREATE TABLE metric_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM metric WHERE 0;"
    "CREATE TABLE item_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM item WHERE 0;"
    "CREATE TABLE standard_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM standard WHERE 0;"
    "CREATE TABLE share_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM share WHERE 0;"
    "CREATE TABLE transfer_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM transfer WHERE 0;"
    "CREATE TABLE split_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM split WHERE 0;"
    "CREATE TABLE city_transfer_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM city_transfer WHERE 0;"
    "CREATE TABLE fact_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM fact WHERE 0;"
    "CREATE TABLE zone_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM zone WHERE 0;"
    "CREATE TABLE setting_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM setting WHERE 0;"
    "CREATE TABLE national_average_history AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM national_average WHERE 0;"
    "CREATE INDEX fact_history_key ON fact_history(region, year, metric);"
    "ALTER TABLE run ADD COLUMN data_version INTEGER;"
    "CREATE INDEX run_data_version ON run(data_version);"
    /* the runs `runs --delete` took away: when, and so that a run id is
     * never given again (a circulated report, `verify N` or `explain --run
     * N` never comes to name another run) */
    "CREATE TABLE IF NOT EXISTS run_deleted("
    "  id INTEGER PRIMARY KEY,"
    "  deleted_at TEXT NOT NULL);",

    /* 13: what a replay of a run needs besides its data. rule_source
     * holds the text of every rule file and helper module a run used,
     * once per content (its SHA-256, as rule_file.sha256 names it);
     * run_source lists a run's files as the run loaded them: rule files,
     * the helper modules of scripts/lib and the helper modules built into
     * the binary that its rules could require, each with the name its
     * messages quoted. run.replay holds what the command line set that a
     * replay must set alike (the limits on rule code). Runs stored before
     * have none of these and cannot be replayed. */
    "CREATE TABLE rule_source("
    "  sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),"
    "  text BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE run_source("
    "  run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,"
    "  path TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('rule', 'module', 'builtin')),"
    "  display TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL REFERENCES rule_source(sha256),"
    "  PRIMARY KEY (run, kind, path)) WITHOUT ROWID;"
    "CREATE INDEX run_source_sha256 ON run_source(sha256);"
    "ALTER TABLE run ADD COLUMN replay TEXT "
    "  CHECK (replay IS NULL OR json_valid(replay));",

    /* 14: what the public service list (基本公共服务清单, 粤财办〔2019〕1号
     * 二(一)2) says of each item besides its name and standard, as text:
     * served (服务对象), content (服务内容), responsibility (支出责任, how
     * the cost is shared, in words) and lead (牵头负责单位). Rows stored
     * before have none (NULL). item_history is made again with the
     * columns of item in their order, then `ended` (migration 12). */
    "ALTER TABLE item ADD COLUMN served TEXT;"
    "ALTER TABLE item ADD COLUMN content TEXT;"
    "ALTER TABLE item ADD COLUMN responsibility TEXT;"
    "ALTER TABLE item ADD COLUMN lead TEXT;"
    "CREATE TABLE item_history_new AS SELECT *, CAST(NULL AS INTEGER) AS ended"
    "  FROM item WHERE 0;"
    "INSERT INTO item_history_new(code, category, name, department, unit,"
    "  beneficiary_metric, version, ended)"
    "  SELECT code, category, name, department, unit, beneficiary_metric,"
    "    version, ended FROM item_history;"
    "DROP TABLE item_history;"
    "ALTER TABLE item_history_new RENAME TO item_history;",
};

_Static_assert(ER_ARRAY_LEN(migrations) == ER_SCHEMA_VERSION,
               "one migration per schema version");

static int exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = er_fail(ER_ERROR, "%s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return rc;
    }
    return ER_OK;
}

/* The WHEN arms of a CASE on an outcome: from its name to its number
 * (the er_outcome value finding_row stores), or back. */
static int outcome_case_sql(er_buf *b, bool to_number)
{
    int rc = ER_OK;
    for (int i = 0; i < ER_OUTCOME_COUNT && rc == ER_OK; i++)
        rc = to_number
                 ? er_buf_printf(b, " WHEN '%s' THEN %d",
                                 er_outcome_name((er_outcome)i), i)
                 : er_buf_printf(b, " WHEN %d THEN '%s'", i,
                                 er_outcome_name((er_outcome)i));
    return rc == ER_OK ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

/* The outcomes as words for a message inside an SQL string: pass, fail... */
static int outcome_words(er_buf *b)
{
    int rc = ER_OK;
    for (int i = 0; i < ER_OUTCOME_COUNT && rc == ER_OK; i++)
        rc = er_buf_printf(b, "%s%s", i ? ", " : "",
                           er_outcome_name((er_outcome)i));
    return rc == ER_OK ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

/* Appends text `p` to sql with its lists (and the parts of migrations
 * too long for one string) put in. */
static int expand(er_buf *sql, const char *p)
{
    int rc = ER_OK;
    for (const char *at; rc == ER_OK && (at = strchr(p, '@'));) {
        const char *name = at + 1, *end = strchr(name, '@');
        assert(end);
        size_t n = (size_t)(end - name);
        if ((rc = er_buf_add(sql, p, (size_t)(at - p))) != ER_OK)
            break;
        if (n == 6 && memcmp(name, "LEVELS", n) == 0)
            rc = er_words_sql(sql, er_level_names, ER_LEVEL_COUNT);
        else if (n == 5 && memcmp(name, "ZONES", n) == 0)
            rc = er_words_sql(sql, er_zone_names, ER_ZONE_COUNT);
        else if (n == 6 && memcmp(name, "SCOPES", n) == 0)
            rc = er_words_sql(sql, er_scope_names, ER_SCOPE_COUNT);
        else if (n == 8 && memcmp(name, "SETTINGS", n) == 0)
            rc = er_words_sql(sql, er_setting_names, ER_SETTING_COUNT);
        else if (n == 5 && memcmp(name, "KINDS", n) == 0)
            rc = er_words_sql(sql, er_metric_kind_names, ER_MKIND_N);
        else if (n == 8 && memcmp(name, "OUTCOMES", n) == 0)
            rc = er_outcomes_sql(sql, false);
        else if (n == 7 && memcmp(name, "FAILING", n) == 0)
            rc = er_outcomes_sql(sql, true);
        else if (n == 13 && memcmp(name, "OUTCOME_WORDS", n) == 0)
            rc = outcome_words(sql);
        else if (n == 11 && memcmp(name, "OUTCOME_MAX", n) == 0)
            rc = er_buf_printf(sql, "%d", ER_OUTCOME_COUNT - 1);
        else if (n == 14 && memcmp(name, "OUTCOME_NUMBER", n) == 0)
            rc = outcome_case_sql(sql, true);
        else if (n == 12 && memcmp(name, "OUTCOME_NAME", n) == 0)
            rc = outcome_case_sql(sql, false);
        else if (n == 12 && memcmp(name, "FINDING_VIEW", n) == 0)
            rc = expand(sql, finding_view_sql);
        else if (n == 16 && memcmp(name, "FINDING_TRIGGERS", n) == 0) {
            if ((rc = expand(sql, finding_triggers_sql)) == ER_OK)
                rc = expand(sql, finding_triggers2_sql);
        } else
            assert(!"a list domain.c does not have");
        p = end + 1;
    }
    if (rc == ER_OK)
        rc = er_buf_puts(sql, p);
    return rc;
}

/* Runs migration number `index` (0-based) with its lists put in. */
static int run_migration(sqlite3 *db, size_t index)
{
    er_buf sql;
    er_buf_init(&sql);
    int rc = expand(&sql, migrations[index]);
    if (rc != ER_OK)
        rc = er_fail(ER_ENOMEM, "out of memory");
    else
        rc = exec(db, sql.data);
    er_buf_free(&sql);
    return rc;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        rc = er_fail_sqlite(db, "cannot read the database");
        sqlite3_finalize(st);
        return rc;
    }
    *out = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ER_OK;
}

static void configure(sqlite3 *db)
{
    sqlite3_busy_timeout(db, 30000);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    sqlite3_exec(db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
}

/* A read-only open in a folder where SQLite cannot create the -shm file
 * fails although the file is readable. When no -wal file holds changes,
 * the file alone is the database: it is opened again as immutable. */
static int reopen_immutable(const char *path, sqlite3 **db)
{
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (sqlite3_extended_errcode(*db) != SQLITE_READONLY_DIRECTORY ||
        strncmp(path, "file:", 5) == 0 || access(wal, F_OK) == 0)
        return ER_ERROR;
    er_buf uri;
    er_buf_init(&uri);
    er_buf_puts(&uri, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            er_buf_printf(&uri, "%%%02X", (unsigned char)*p);
        else
            er_buf_add(&uri, p, 1);
    }
    er_buf_puts(&uri, "?immutable=1");
    sqlite3 *im = NULL;
    int rc = ER_ERROR;
    if (!uri.err && uri.data && /* never a path cut short */
        sqlite3_open_v2(uri.data, &im,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) == SQLITE_OK &&
        sqlite3_exec(im, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL,
                     NULL) == SQLITE_OK) {
        sqlite3_extended_result_codes(im, 1);
        configure(im);
        sqlite3_close(*db);
        *db = im;
        im = NULL;
        rc = ER_OK;
    }
    sqlite3_close(im);
    er_buf_free(&uri);
    return rc;
}

/* Opens `path` without creating it. */
static int open_file(const char *path, int sqlite_flags, sqlite3 **out)
{
    sqlite3 *db = NULL;
    /* each connection is used by one thread: no mutexes */
    if (sqlite3_open_v2(path, &db,
                        sqlite_flags | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                        NULL) !=
        SQLITE_OK) {
        int rc = er_fail(ER_ERROR, "%s: %s", path,
                         db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return rc;
    }
    sqlite3_extended_result_codes(db, 1);
    configure(db);
    if ((sqlite_flags & SQLITE_OPEN_READONLY) &&
        sqlite3_exec(db, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL,
                     NULL) != SQLITE_OK)
        reopen_immutable(path, &db); /* else the first read reports it */
    *out = db;
    return ER_OK;
}

static bool is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int make_handle(er_db **out, sqlite3 *db, const char *path)
{
    er_db *h = calloc(1, sizeof *h);
    if (!h || !(h->path = er_strdup(path))) {
        free(h);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    h->db = db;
    *out = h;
    return ER_OK;
}

/* The error of a file whose first read failed: not SQLite, damaged, or
 * one SQLite cannot open (a read-only folder, permissions). */
static int identity_error(sqlite3 *db, const char *path)
{
    int rc = sqlite3_extended_errcode(db);
    if ((rc & 0xFF) == SQLITE_NOTADB)
        return er_fail(ER_ENOTDB,
                       "%s: not an equirule database (not an SQLite database "
                       "file, or its header is damaged); create one with "
                       "`equirule init`",
                       path);
    if ((rc & 0xFF) == SQLITE_CORRUPT)
        return er_fail(ER_ENOTDB,
                       "%s: the database file is damaged (%s); nothing was "
                       "written. Check it with `sqlite3 %s 'PRAGMA "
                       "integrity_check'` and restore it from a backup",
                       path, sqlite3_errmsg(db), path);
    if ((rc & 0xFF) == SQLITE_CANTOPEN && access(path, R_OK) == 0)
        return er_fail(ER_ERROR,
                       "%s: cannot open it (%s): SQLite needs to open or "
                       "create %s-wal and %s-shm beside it; make the folder "
                       "holding it writable, or copy the database with its "
                       "-wal file to a writable folder",
                       path, sqlite3_errmsg(db), path, path);
    return er_fail_sqlite(db, path);
}

/* Reads application_id and user_version; ER_ENOTDB for foreign files. */
static int check_identity(sqlite3 *db, const char *path, int *version_out,
                          int *tables_out)
{
    int app = 0, version = 0, tables = 0;
    if (pragma_int(db, "PRAGMA application_id", &app) != ER_OK ||
        pragma_int(db, "PRAGMA user_version", &version) != ER_OK ||
        pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables) !=
            ER_OK)
        return identity_error(db, path);
    if (app != ER_APPLICATION_ID && !(app == 0 && tables == 0))
        return er_fail(ER_ENOTDB,
                       "%s: not an equirule database (application_id %d); "
                       "create one with `equirule init`",
                       path, app);
    *version_out = version;
    *tables_out = tables;
    return ER_OK;
}

/* An empty name would make SQLite open a private temporary database. */
static int check_path(const char *path)
{
    if (*path)
        return ER_OK;
    return er_fail(ER_EUSAGE, "the database file name is empty (--db \"\" or "
                              "an empty EQUIRULE_DB); name the file, e.g. "
                              "--db equirule.db");
}

int er_db_open(er_db **out, const char *path, unsigned flags)
{
    sqlite3 *db = NULL;
    int rc, version = 0, tables = 0;
    if ((rc = check_path(path)) != ER_OK)
        return rc;
    if (access(path, F_OK) != 0)
        return er_fail(ER_ENOTFOUND,
                       "%s: no such database; create it with `equirule init "
                       "--db %s` (add --sample for the built-in sample)",
                       path, path);
    if (is_folder(path))
        return er_fail(ER_ENOTDB, "%s: a folder, not a database file", path);
    rc = open_file(path,
                   (flags & ER_DB_READONLY) ? SQLITE_OPEN_READONLY
                                            : SQLITE_OPEN_READWRITE,
                   &db);
    if (rc != ER_OK)
        goto done;
    rc = check_identity(db, path, &version, &tables);
    if (rc != ER_OK)
        goto done;
    if (tables == 0) {
        rc = er_fail(ER_ENOTDB,
                     "%s: empty file, not an equirule database; create it "
                     "with `equirule init --db %s`",
                     path, path);
        goto done;
    }
    if (version != ER_SCHEMA_VERSION) {
        rc = version < ER_SCHEMA_VERSION
                 ? er_fail(ER_EVERSION,
                           "%s: schema version %d is older than this "
                           "equirule's %d; upgrade it with `equirule init "
                           "--db %s`",
                           path, version, ER_SCHEMA_VERSION, path)
                 : er_fail(ER_EVERSION,
                           "%s: schema version %d is newer than this "
                           "equirule's %d; use a newer equirule",
                           path, version, ER_SCHEMA_VERSION);
        goto done;
    }
    /* SQLite opens a write-protected file read-only without a word: say
     * so now, not after a run has been evaluated */
    if (!(flags & ER_DB_READONLY) && sqlite3_db_readonly(db, "main") == 1) {
        rc = er_fail(ER_ERROR,
                     "%s: the file is read-only (no permission to write "
                     "it) and this command writes to it; make it writable, "
                     "or work on a copy",
                     path);
        goto done;
    }
    rc = make_handle(out, db, path);
    if (rc == ER_OK) {
        (*out)->readonly = (flags & ER_DB_READONLY) != 0;
        db = NULL;
    }
done:
    sqlite3_close(db);
    return rc;
}

int er_db_init(er_db **out, const char *path, int *from_version_out)
{
    sqlite3 *db = NULL;
    int rc, version = 0, tables = 0;
    bool in_tx = false;

    if ((rc = check_path(path)) != ER_OK)
        return rc;
    if (is_folder(path))
        return er_fail(ER_ENOTDB, "%s: a folder, not a database file", path);
    rc = open_file(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db);
    if (rc != ER_OK)
        goto done;
    rc = check_identity(db, path, &version, &tables);
    if (rc != ER_OK)
        goto done;
    if (version > ER_SCHEMA_VERSION) {
        rc = er_fail(ER_EVERSION,
                     "%s: schema version %d is newer than this equirule's "
                     "%d; use a newer equirule",
                     path, version, ER_SCHEMA_VERSION);
        goto done;
    }
    if (from_version_out)
        *from_version_out = version;
    if (version < ER_SCHEMA_VERSION) {
        /* a new file: 16 KiB pages (bulk inserts of findings are a quarter
         * faster than with 4 KiB), write-ahead log for concurrent readers */
        if (version == 0 &&
            ((rc = exec(db, "PRAGMA page_size = 16384")) != ER_OK ||
             (rc = exec(db, "PRAGMA journal_mode = WAL")) != ER_OK))
            goto done;
        if ((rc = exec(db, "BEGIN IMMEDIATE")) != ER_OK)
            goto done;
        in_tx = true;
        /* re-read under the write lock: another process may have upgraded */
        if ((rc = pragma_int(db, "PRAGMA user_version", &version)) != ER_OK)
            goto done;
        for (int v = version; v < ER_SCHEMA_VERSION; v++) {
            if ((rc = run_migration(db, (size_t)v)) != ER_OK) {
                rc = er_fail(ER_ERROR, "%s: upgrade to schema version %d: %s",
                             path, v + 1, er_errmsg());
                goto done;
            }
        }
        char sql[128];
        snprintf(sql, sizeof sql,
                 "PRAGMA application_id = %d; PRAGMA user_version = %d",
                 ER_APPLICATION_ID, ER_SCHEMA_VERSION);
        if ((rc = exec(db, sql)) != ER_OK)
            goto done;
        er_fault_point("upgrade");
        if ((rc = exec(db, "COMMIT")) != ER_OK)
            goto done;
        in_tx = false;
    }
    rc = make_handle(out, db, path);
    if (rc == ER_OK)
        db = NULL;
done:
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

int er_db_finding_sql(er_buf *b)
{
    int rc = er_buf_puts(
        b, "(SELECT x.run AS run, r.rule AS rule, "
           "CASE WHEN typeof(x.region) = 'integer' "
           "THEN printf('%06d', x.region) ELSE x.region END AS region, "
           "x.year AS year, CASE x.outcome");
    if (rc == ER_OK)
        rc = outcome_case_sql(b, false);
    if (rc == ER_OK)
        rc = er_buf_puts(
            b, " END AS outcome, x.measured AS measured, "
               "x.required AS required, x.amount AS amount, "
               "CASE WHEN typeof(x.unit) = 'integer' THEN (SELECT u.text "
               "FROM finding_text u WHERE u.run = x.run AND u.id = x.unit) "
               "ELSE x.unit END AS unit, "
               "CASE WHEN typeof(x.note) = 'integer' THEN (SELECT n.text "
               "FROM finding_text n WHERE n.run = x.run AND n.id = x.note) "
               "ELSE x.note END AS note, "
               "x.rule AS rule_no, x.region AS region_key, x.seq AS seq, "
               "x.outcome AS outcome_no, x.unit AS unit_key, "
               "x.note AS note_key "
               "FROM finding_row x JOIN finding_rule r "
               "ON r.run = x.run AND r.id = x.rule)");
    return rc == ER_OK ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

int er_db_create_schema(sqlite3 *db)
{
    for (size_t v = 0; v < ER_ARRAY_LEN(migrations); v++) {
        int rc = run_migration(db, v);
        if (rc != ER_OK)
            return rc;
    }
    char sql[128];
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; PRAGMA user_version = %d",
             ER_APPLICATION_ID, ER_SCHEMA_VERSION);
    return exec(db, sql);
}

int er_db_open_reader(const char *path, sqlite3 **out)
{
    sqlite3 *db = NULL;
    int rc = open_file(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, &db);
    if (rc != ER_OK)
        return rc;
    int off = 0, on = 1;
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, off, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, off, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, off, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, off, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, off, NULL);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, off, NULL);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
    sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
    sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
    sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 10);
    sqlite3_limit(db, SQLITE_LIMIT_COMPOUND_SELECT, 3);
    sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 25000);
    sqlite3_limit(db, SQLITE_LIMIT_FUNCTION_ARG, 8);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_limit(db, SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50);
    sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, 10);
    sqlite3_limit(db, SQLITE_LIMIT_TRIGGER_DEPTH, 10);
    sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL);
    *out = db;
    return ER_OK;
}

int er_db_suspend(er_db *db)
{
    if (db->db && sqlite3_close(db->db) != SQLITE_OK)
        return er_fail_sqlite(db->db, "closing the database");
    db->db = NULL;
    return ER_OK;
}

int er_db_resume(er_db *db)
{
    if (db->db)
        return ER_OK;
    return open_file(db->path,
                     db->readonly ? SQLITE_OPEN_READONLY
                                  : SQLITE_OPEN_READWRITE,
                     &db->db);
}

const char *er_db_path(const er_db *db)
{
    return db->path;
}

void er_db_free(er_db *db)
{
    if (!db)
        return;
    sqlite3_close(db->db);
    free(db->path);
    free(db);
}

const er_embedded *er_embedded_find(const char *name)
{
    for (size_t i = 0; i < er_embedded_count; i++)
        if (strcmp(er_embedded_files[i].name, name) == 0)
            return &er_embedded_files[i];
    return NULL;
}

int er_db_load_sample(er_db *db)
{
    int rc, rows = 0;
    if ((rc = pragma_int(db->db, "SELECT (SELECT count(*) FROM region) + "
                                 "(SELECT count(*) FROM fact)",
                         &rows)) != ER_OK)
        return rc;
    if (rows > 0)
        return er_fail(ER_EUSAGE,
                       "%s already holds data; the sample goes into a new "
                       "database",
                       db->path);
    if ((rc = exec(db->db, "BEGIN IMMEDIATE")) != ER_OK)
        return rc;
    for (size_t i = 0; er_data_tables[i]; i++) {
        char name[64];
        snprintf(name, sizeof name, "sample/%s.csv", er_data_tables[i]);
        const er_embedded *f = er_embedded_find(name);
        if (!f)
            continue;
        /* the sample is UTF-8: nothing to detect */
        rc = er_import_csv(db, er_data_tables[i], name, f->data, f->len,
                           ER_IMPORT_UTF8, NULL);
        if (rc != ER_OK) {
            sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
            return rc;
        }
    }
    return exec(db->db, "COMMIT");
}
