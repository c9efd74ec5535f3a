/*
 * equirule.h - the public API of equirule, a rule evaluator for basic public
 * service equalization (基本公共服务均等化).
 *
 * A C core embeds Lua 5.4: departments write rules as Lua files, the engine
 * evaluates them against regional data held in one SQLite database and
 * records every finding of a run with its audit trail.
 *
 * Conventions:
 *  - A function that can fail returns ER_OK (0) or a negative ER_E... code;
 *    the message is then available from er_errmsg() in the same thread,
 *    one line, naming the file, line, rule or region it concerns.
 *  - What a function returns through `T **out` the caller owns and frees
 *    with er_T_free(); every free function accepts NULL. Getters borrow.
 */
#ifndef EQUIRULE_H
#define EQUIRULE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ER_VERSION "0.1.0"

/* Schema version written to PRAGMA user_version by er_db_init(). */
#define ER_SCHEMA_VERSION 14

/* Return codes. */
enum {
    ER_OK = 0,
    ER_ERROR = -1,     /* generic failure (I/O, SQLite) */
    ER_ENOTFOUND = -2, /* a file, run, rule or region does not exist */
    ER_EVERSION = -3,  /* database of another schema version */
    ER_ENOTDB = -4,    /* file is not an equirule database */
    ER_EDATA = -5,     /* bad input data (CSV, fixture) */
    ER_ERULE = -6,     /* bad rule file or rule set */
    ER_ENOMEM = -7,    /* out of memory */
    ER_EUSAGE = -8     /* invalid argument from the user */
};

/* The message of the last error raised in this thread ("" if none). */
const char *er_errmsg(void);

/* Whether `path` may be written as an output file (a report, an export, a
 * JUnit or coverage file): ER_OK, or ER_EUSAGE when it names an SQLite
 * database or one of its -wal, -shm or -journal files, which an output
 * would destroy. Every writer of a named output file checks it first. */
int er_output_path_check(const char *path);

/* Where the output named `path` goes (after er_output_path_check, which it
 * runs on the path and on what it resolves to): *target_out (the caller
 * frees it) is the regular file to replace atomically (a temporary file
 * beside it, then renamed): `path` itself when it is missing or a regular
 * file, the file a symbolic link points to (the link is kept). NULL when
 * `path` exists and is not a regular file (a device such as /dev/null, a
 * fifo) or is a link into /proc (/dev/stdout, an open file of the process):
 * the output is written through it, never replacing it (er_output_copy). ER_EUSAGE for a folder or a path the check refuses. */
int er_output_target(const char *path, char **target_out);
/* Copies the whole of the open file `from` (read from its start) into the
 * existing file `path` that er_output_target says to write through, opened
 * for appending, never created, truncated or replaced. ER_OK or ER_ERROR (message set). */
int er_output_copy(FILE *from, const char *path);

/* ------------------------------------------------------------------ */
/* Database                                                             */
/* ------------------------------------------------------------------ */

typedef struct er_db er_db;

#define ER_DB_READONLY 0x1u

/*
 * Opens an existing equirule database. Fails with ER_ENOTFOUND when the file
 * does not exist (only er_db_init creates), ER_ENOTDB when it is not an
 * equirule database and ER_EVERSION when its schema version is not
 * ER_SCHEMA_VERSION. Nothing in the file is changed by a failed open.
 */
int er_db_open(er_db **out, const char *path, unsigned flags);

/*
 * Creates the database at `path`, or upgrades an older equirule database to
 * ER_SCHEMA_VERSION in one transaction. `from_version_out` (may be NULL)
 * receives the version found (0 for a new file). A file that is not an
 * equirule database, or one of a newer version, is refused unchanged.
 */
int er_db_init(er_db **out, const char *path, int *from_version_out);

/*
 * Loads the built-in Guangdong sample (embedded at build time) into an
 * initialised database that holds no data yet, all or nothing.
 */
int er_db_load_sample(er_db *db);

/* The file the handle was opened on (borrowed). */
const char *er_db_path(const er_db *db);

void er_db_free(er_db *db);

/* ------------------------------------------------------------------ */
/* Import                                                               */
/* ------------------------------------------------------------------ */

#define ER_IMPORT_MAX_ERRORS 20 /* errors listed before reading stops */
#define ER_IMPORT_REPLACE 0x1u /* replace the rows the file covers */
#define ER_IMPORT_DRY_RUN 0x2u /* validate only */
#define ER_IMPORT_UTF8 0x4u    /* the text is UTF-8 */
#define ER_IMPORT_GB18030 0x8u /* the text is GB18030 (or GBK, GB2312) */

typedef struct er_import_stats {
    long rows;            /* data rows read (blank rows not counted) */
    long blank;           /* blank rows skipped: empty lines and rows
                             whose every field is empty */
    long inserted;        /* rows added */
    long replaced;        /* rows replaced (ER_IMPORT_REPLACE) */
    long unchanged;       /* rows identical, in every column the file gives
                             (and, replacing, holding nothing in the
                             columns it leaves out), to the stored row of
                             their key: not written (key tables) */
    long skipped;         /* fact rows without a value, not imported (a
                             template not filled in everywhere) */
    const char *encoding; /* "UTF-8" or "GB18030": how the text was read;
                             NULL when that was not decided */
    int64_t version;      /* the data version the import recorded
                             (`equirule log`); 0 for a dry run */
    long emptied;         /* rows replaced that held a value in a column
                             the file leaves out, now empty (key tables) */
    char emptied_columns[256]; /* those columns, ", "-separated, in schema
                                  order ("" when none) */
} er_import_stats;

/*
 * Loads CSV text into one data table (region, metric, fact, item, standard,
 * share, transfer), all or nothing. `name` is the file name used in errors
 * ("name:line:column: reason"). On ER_EDATA, er_errmsg() holds up to
 * ER_IMPORT_MAX_ERRORS errors, one a line. `stats` may be NULL.
 *
 * The text is read as UTF-8 when it starts with a UTF-8 byte order mark;
 * as ER_IMPORT_UTF8 or ER_IMPORT_GB18030 say; otherwise as whichever of
 * UTF-8 and GB18030 it reads as Chinese text in, and refused (ER_EDATA,
 * asking for --encoding) when that is not clear. Lines and columns in
 * messages are those of the text as given.
 *
 * What spreadsheets write is accepted: blank rows (every field empty) are
 * skipped and counted in stats->blank; empty names after the header's last
 * named column are ignored with the empty fields under them (a value there
 * is an error); "70%" is 0.7 for the value of a fact whose metric is of
 * kind ratio or rate and for a share (an error elsewhere); a number may
 * hold thousands separators between groups of three digits
 * ("1,234,567.50", quoted in the CSV); a region's parent may be anywhere
 * in the file, the rows being written parents first.
 */
int er_import_csv(er_db *db, const char *table, const char *name,
                  const char *data, size_t len, unsigned flags,
                  er_import_stats *stats);

/* As er_import_csv, reading the file at `path`. */
int er_import_file(er_db *db, const char *table, const char *path,
                   unsigned flags, er_import_stats *stats);

/* ------------------------------------------------------------------ */
/* Rule sets                                                            */
/* ------------------------------------------------------------------ */

typedef struct er_ruleset er_ruleset;

/* One rule of a loaded set (borrowed from the set). */
typedef struct er_rule_info {
    const char *id;
    const char *department; /* the folder the file is in */
    const char *title;
    const char *basis;
    const char *item;  /* NULL when the rule names no item */
    const char *kind;  /* compliance | cut | allocation | indicator */
    const char *level; /* province | city | county */
    const char *path;  /* file, relative to the rules folder */
    int line;          /* line of the evaluate function */
    int year_from;     /* 0 when open */
    int year_to;       /* 0 when open */
    int stage;         /* 0 for rules that need none */
} er_rule_info;

/*
 * Loads every rule file (*.lua except *_test.lua) under `dir`, each compiled
 * in the sandbox and validated against the rule contract, ordered by `needs`
 * into stages. A broken file is reported as a diagnostic ("file:line:
 * message") and its rules left out; the others load. Fails only when the
 * folder cannot be read.
 */
int er_ruleset_load(er_ruleset **out, const char *dir);

/*
 * As er_ruleset_load, with `timeout` seconds (0 = the default, 2) as the
 * wall-clock limit of loading each file, which is also the limit of each
 * evaluation the tools (lint, explain) make with the set. Every file loads
 * first in a supervised child process: a file whose loading hangs (in C
 * code the instruction limit cannot stop) or crashes is killed at 1.25 x
 * timeout + 0.25 s and becomes a diagnostic ("FILE: timeout: loading did
 * not finish within S s ..."); its rules are left out and the other files
 * load. ER_EUSAGE when `timeout` is out of range (ER_TIMEOUT_MAX).
 */
int er_ruleset_load_timeout(er_ruleset **out, const char *dir,
                            double timeout);

size_t er_ruleset_count(const er_ruleset *rs);
const er_rule_info *er_ruleset_rule(const er_ruleset *rs, size_t i);

/* Diagnostics of files or rules that failed to load. */
size_t er_ruleset_diag_count(const er_ruleset *rs);
const char *er_ruleset_diag(const er_ruleset *rs, size_t i);

/* Number of rule files read and their combined digest (hex SHA-256). */
size_t er_ruleset_file_count(const er_ruleset *rs);
const char *er_ruleset_digest(const er_ruleset *rs);

void er_ruleset_free(er_ruleset *rs);

/* ------------------------------------------------------------------ */
/* Runs                                                                 */
/* ------------------------------------------------------------------ */

/* Where the time of a run went (er_run_opts.stats). A run records each
 * finding as it comes, while rules evaluate: the wall time of a run is
 * about snapshot_s + wait_s + evaluate_s + record_after_s, and record_s
 * overlaps evaluate_s but for record_after_s. */
typedef struct er_run_stats {
    double snapshot_s;  /* reading the data */
    double wait_s;      /* waiting for another process's write lock */
    double evaluate_s;  /* wall time of evaluating every rule, with the
                           findings recorded meanwhile */
    double record_s;    /* time spent writing the run and its findings
                           (the run's rows, each finding, the counts,
                           the commit), without wait_s */
    double record_after_s; /* of record_s, after the last evaluation: the
                              counts and the commit */
    long evaluations;
    long findings;
    int jobs;           /* worker processes used (0: in process) */
} er_run_stats;

/* The ranges of the limits on rule code (er_run_opts, er_ruleset_load_timeout,
 * the tools' options and the command line's --timeout, --max-instructions
 * and --max-memory): a value outside them, or a timeout that is not a
 * finite number, is refused with ER_EUSAGE. 0 means the default. */
#define ER_TIMEOUT_MAX 86400.0                  /* seconds: one day */
#define ER_MAX_INSTRUCTIONS_MIN 1000L
#define ER_MAX_INSTRUCTIONS_MAX 1000000000000L  /* 10^12 */
#define ER_MAX_MEMORY_MIN (1024L * 1024)        /* bytes: 1 MB */
#define ER_MAX_MEMORY_MAX (1024L * 1024 * 1024 * 1024) /* 1 TB */

/*
 * Progress of a long run, for a caller that shows it: `phase` is
 * "evaluating" (done and total count evaluations; each finding is written
 * as it comes), then "recording" (the counts and the commit: done goes
 * from 0 to the number of findings, total, once they are committed).
 * Called in the calling thread: once with done == 0 when
 * a phase begins, then at most about ten times a second, and once with
 * done == total when it ends. Phase "waiting" (done = total = 0) comes
 * once, before evaluating, when the run has waited a second for another
 * process (a run, an import) that is writing the database; the run waits
 * up to 10 minutes. The library itself writes nothing to the terminal.
 */
typedef void (*er_progress_fn)(void *ctx, const char *phase, long done,
                               long total);

/* er_run_opts.jobs: one worker process per core (the command line's
 * default). */
#define ER_JOBS_AUTO (-1)

typedef struct er_run_opts {
    int year_from;            /* 0: the latest year with data */
    int year_to;              /* 0: same as year_from */
    const char *const *depts; /* NULL-terminated, or NULL for all */
    const char *rule;         /* one rule id, or NULL */
    const char *region;       /* one region: its code, its name (梅州市,
                                 梅州) or English name; NULL = all */
    const char *const *sets;  /* "rule.param=value", NULL-terminated */
    int jobs;                 /* as `--jobs`: N > 0 worker processes;
                                 0 = evaluate in this process, without
                                 workers (no isolation from a crash or a
                                 hang in C code); ER_JOBS_AUTO = one worker
                                 per core. Other values: ER_EUSAGE */
    long max_instructions;    /* per evaluation; 0 = default */
    long max_memory;          /* bytes per Lua state; 0 = default */
    double timeout;           /* seconds per evaluation; 0 = default
                                 (ranges: ER_TIMEOUT_MAX etc.) */
    const char *user;         /* recorded in run.user; NULL = $USER */
    const char *options;      /* command line recorded in run.options */
    er_progress_fn progress;  /* NULL = none */
    void *progress_ctx;       /* passed to progress */
    er_run_stats *stats;      /* filled in when not NULL */
} er_run_opts;

/* Outcomes, in the order summaries list them. */
typedef enum er_outcome {
    ER_PASS = 0,
    ER_FAIL,
    ER_WARN,
    ER_SKIP,
    ER_CUT,
    ER_ALLOCATION,
    ER_MISSING,
    ER_ERROR_OUTCOME,
    ER_OUTCOME_COUNT
} er_outcome;

/* "pass", "fail", ... for an outcome; NULL when out of range. */
const char *er_outcome_name(er_outcome o);

/*
 * Evaluates the rule set on the database's data and stores the run, its
 * rule files and every finding in one transaction. `run_id_out` (may be
 * NULL) receives the id of the stored run. Rule errors and data gaps are
 * findings, not failures of this function. A run whose cut or allocation
 * amounts have magnitudes adding up to more than an int64_t of fen holds
 * is not stored: ER_EDATA, naming the outcome and the rule.
 */
int er_run(er_db *db, er_ruleset *rs, const er_run_opts *opts,
           int64_t *run_id_out);

/* Counts of one stored run. */
typedef struct er_run_summary {
    int64_t id;
    long counts[ER_OUTCOME_COUNT];
    long findings;
    int64_t cut_fen;        /* total of cut amounts */
    int64_t allocation_fen; /* total of allocation amounts */
} er_run_summary;

/*
 * Reads the counts and money totals of stored run `run_id` (zeroes when it
 * holds no finding). The totals are summed with overflow checks: ER_EDATA,
 * naming the run, when one does not fit (a run not stored by er_run);
 * a database error is an error, never empty counts.
 */
int er_run_summarize(er_db *db, int64_t run_id, er_run_summary *out);

/* Id of the latest stored run, ER_ENOTFOUND when there is none. */
int er_run_latest(er_db *db, int64_t *out);

/*
 * Findings of a stored run, read back as data (the way sqlite3_stmt reads
 * rows): er_findings_open with a filter, er_findings_next until it returns
 * 0, er_findings_free. The rows come in rule, region, year order.
 */
typedef struct er_findings er_findings;

/* A set of outcomes for er_findings_filter.outcomes. */
#define ER_OUTCOME_BIT(o) (1u << (unsigned)(o))
/* The outcomes that count as failing (exit status 1 of a run). */
#define ER_OUTCOMES_FAILING                                            \
    (ER_OUTCOME_BIT(ER_FAIL) | ER_OUTCOME_BIT(ER_MISSING) |            \
     ER_OUTCOME_BIT(ER_ERROR_OUTCOME))

/* The outcomes that assessed something: the rule reached a verdict on the
 * region (pass, fail, warn, cut, allocation). skip, missing and error did
 * not; a run's assessed coverage is the share of its findings with an
 * assessed outcome. */
#define ER_OUTCOMES_ASSESSED                                           \
    (ER_OUTCOME_BIT(ER_PASS) | ER_OUTCOME_BIT(ER_FAIL) |               \
     ER_OUTCOME_BIT(ER_WARN) | ER_OUTCOME_BIT(ER_CUT) |                \
     ER_OUTCOME_BIT(ER_ALLOCATION))

/* Which findings to read; a zeroed filter reads them all. */
typedef struct er_findings_filter {
    const char *rule;       /* one rule id, or NULL */
    const char *department; /* the rules of one department, or NULL */
    const char *region;     /* one region code, or NULL */
    int year;               /* one year, or 0 */
    unsigned outcomes;      /* ER_OUTCOME_BIT()s, ER_OUTCOMES_FAILING;
                               0 = every outcome */
} er_findings_filter;

/* One finding (er_findings_next): borrowed from the iterator, valid until
 * the next call or er_findings_free. */
typedef struct er_finding_row {
    const char *rule;
    const char *department;
    const char *region;      /* the region's code */
    const char *region_name; /* "" when the data no longer holds it */
    int year;
    er_outcome outcome;
    int has_measured, has_required, has_amount;
    double measured;
    double required;
    int64_t amount_fen;      /* cut and allocation amounts, in fen */
    const char *unit;        /* NULL when none */
    const char *note;        /* NULL when none */
} er_finding_row;

/*
 * Opens an iterator over the findings of stored run `run_id` that pass
 * `filter` (NULL = all). ER_ENOTFOUND (naming the database) when there is
 * no such run; ER_EUSAGE when `filter->outcomes` names no outcome.
 */
int er_findings_open(er_findings **out, er_db *db, int64_t run_id,
                     const er_findings_filter *filter);

/*
 * Reads the next finding into `*row_out`: 1 when there is one, 0 at the
 * end, a negative ER_E... code on a database error (a damaged file) or a
 * finding with an unknown outcome (ER_EDATA).
 */
int er_findings_next(er_findings *it, const er_finding_row **row_out);

void er_findings_free(er_findings *it);

/* Output formats. */
typedef enum er_format {
    ER_FORMAT_TEXT = 0,
    ER_FORMAT_MD,
    ER_FORMAT_CSV,
    ER_FORMAT_JSON,
    ER_FORMAT_HTML,
    ER_FORMAT_XLSX /* er_report_write_xlsx, er_export_xlsx: to a file */
} er_format;

/*
 * Writes the summary of a stored run (counts by rule and outcome, cut and
 * allocation totals, then the failing findings with region names) to `fp`.
 * `color` enables ANSI colours.
 */
int er_run_print_summary(er_db *db, int64_t run_id, FILE *fp, int color);

/*
 * Writes what stored run `run_id` could not check: its assessed coverage
 * (findings that are pass, fail, warn, cut or allocation, against all),
 * each rule that assessed nothing in a year with why (未评估：本年度无标准,
 * 缺数据 with the metrics it lacked most), and the data gaps of its missing
 * findings grouped by metric (or share, or standard) and year, with the
 * regions that lack it. Text, md, html or json ({findings, assessed,
 * assessed_share, rules: [{rule, year, assessed, counts}], not_assessed:
 * [{rule, year, reason}], gaps: [{kind, key, name, year, findings, rules,
 * regions: [{code, name}]}]}).
 */
int er_run_print_gaps(er_db *db, int64_t run_id, FILE *fp, er_format fmt);

/*
 * Evaluates the rule set as er_run does (same options, same findings) but
 * stores nothing, and writes what the rules could not check, as
 * er_run_print_gaps writes it for a stored run: assessed coverage, the
 * rules that would assess nothing in a year and why, and the data gaps
 * grouped by metric and year. For `equirule check`, after an import.
 * `fp` may be NULL (nothing written); `counts_out` (may be NULL) receives
 * the findings' counts by outcome.
 */
int er_check_gaps(er_db *db, er_ruleset *rs, const er_run_opts *opts,
                  FILE *fp, er_format fmt, long counts_out[ER_OUTCOME_COUNT]);

/*
 * Writes the list of stored runs to `fp`, oldest first, as text, json (an
 * array of objects) or csv: id, start and finish times, status, years, rule
 * count, findings, failing findings (fail, missing, error), cut and
 * allocation totals in fen, rules and data digests, user, engine version,
 * the recorded command line and the assessed share (findings that are
 * pass, fail, warn, cut or allocation, of all; null when none). A run whose totals do not fit in int64_t
 * fen is listed without them ("overflow" in text, null in json, empty in
 * csv) and the function then returns ER_EDATA naming it.
 */
int er_runs_print(er_db *db, FILE *fp, er_format fmt);

/* ------------------------------------------------------------------ */
/* Data versions and retention (core/store/version.c)                   */
/* ------------------------------------------------------------------ */

/*
 * Writes the data versions (every successful import is one), newest
 * first, to `fp` as text or json (an array of objects): id, when, who,
 * table, file and its SHA-256, rows added, replaced and unchanged, the runs
 * that read it, and whether it was pruned (it can no longer be rebuilt).
 */
int er_data_log_print(er_db *db, FILE *fp, er_format fmt);
/*
 * Writes every value the fact (region: a code or a name, as
 * er_region_resolve takes it; metric; year) had, newest first, each with
 * the version, when, who and file that set it, and the runs that read
 * it, as text or json. ER_EUSAGE for an unknown region or metric.
 */
int er_data_fact_print(er_db *db, const char *region, const char *metric,
                       int year, FILE *fp, er_format fmt);
/*
 * Deletes the runs `ids` (n of them) with every row of theirs (the rows of
 * every table with a foreign key to run), in one transaction. Ids that name
 * no run are ignored unless none does: then ER_ENOTFOUND and nothing is
 * deleted. *deleted_out (may be NULL) receives the runs deleted.
 */
int er_runs_delete(er_db *db, const int64_t *ids, size_t n,
                   long *deleted_out);
/* What er_data_prune dropped and kept. */
typedef struct er_prune_stats {
    long rows;     /* history rows dropped */
    long versions; /* versions marked pruned: they can no longer be rebuilt */
    long kept;     /* history rows kept: a kept run read them */
} er_prune_stats;
/*
 * Drops, in one transaction, the history rows (replaced or deleted data)
 * that no kept run read: a row is kept while a run's data version (a run
 * recorded before versions counts as version 0) is one it was the data
 * of. The current data is never touched and every log line stays; the
 * versions that can no longer be rebuilt are marked pruned. With dry_run
 * nothing is changed and *out says what would be.
 */
int er_data_prune(er_db *db, int dry_run, er_prune_stats *out);

/* Writes the rule catalog of `rs` to `fp` (text, md or json). */
int er_ruleset_print(const er_ruleset *rs, FILE *fp, er_format fmt);

/* ------------------------------------------------------------------ */
/* Integrity of the data                                                */
/* ------------------------------------------------------------------ */

/* What er_check_integrity found. */
typedef struct er_check_result {
    long errors;   /* rows that break an integrity rule: no run accepts them */
    long warnings; /* e.g. metrics without a declared value domain */
} er_check_result;

/*
 * Checks what import guarantees on the rows of the database as they are,
 * whatever wrote them: values within their metric's domain (transfers:
 * money >= 0; standards >= 0; shares in 0..1), facts, transfers, standards
 * and shares naming known regions, metrics and items, parents that exist,
 * sit at a higher level and never loop, no two standards (key, scope,
 * region) or shares (item, tier) in force in the same year, no duplicate
 * transfer; and, for a given year, that it has facts. The same check
 * stops every run (er_run) on data that breaks it. `year` 0 checks every
 * year; otherwise the rows of that year (standards and shares whose span
 * holds it). Writes the errors and warnings to `fp` as text, each as
 * "table key: why" (the first 200 of each, then how many more), and
 * their counts into *out. ER_OK whether or not anything was found.
 */
int er_check_integrity(er_db *db, int year, FILE *fp, er_check_result *out);

/* ------------------------------------------------------------------ */
/* Export, reports and comparisons of stored runs                       */
/* ------------------------------------------------------------------ */

#define ER_CSV_EXCEL 0x1u /* CSV output: a UTF-8 byte order mark first */

/*
 * Writes data table `table` (region, metric, item, standard, share,
 * transfer, fact) to `fp` as CSV that er_import_csv reads back into the same
 * rows: a header naming every column of the table, the rows in key order
 * (regions so that a parent comes before its children), numbers with the
 * fewest digits that read back as the same double, NULL as an empty field,
 * fields quoted where needed, LF line ends; ER_CSV_EXCEL puts a UTF-8 byte
 * order mark first. Two exports of the same rows are byte-identical.
 * `rows_out` (may be NULL) receives the number of rows written.
 */
int er_export_csv(er_db *db, const char *table, FILE *fp, unsigned flags,
                  long *rows_out);

/*
 * Writes data table `table` as an Excel workbook (.xlsx) at `path`: one
 * sheet named after the table, a frozen header row naming the columns in
 * er_export_csv's order and an autofilter, its rows in the same order,
 * numbers as numbers, text as text (never a formula), NULL as an empty
 * cell. The file appears at `path` only once complete (written beside it
 * under a temporary name, then renamed): on any error none is left.
 * `rows_out` (may be NULL) receives the number of rows. ER_EUSAGE for an
 * unknown table or a path er_output_path_check refuses; ER_ERROR when the
 * file cannot be written.
 */
int er_export_xlsx(er_db *db, const char *table, const char *path,
                   long *rows_out);

/*
 * Finds the run `spec` names: its id, or NULL or "latest" for the latest
 * finished run. ER_ENOTFOUND (naming the database) when there is none,
 * ER_EUSAGE when `spec` is not a run id.
 */
int er_run_find(er_db *db, const char *spec, int64_t *out);

/*
 * The run a report shows when none is named: the latest finished run that
 * nothing narrowed (no --region, --dept, --rule or --set), else the latest
 * finished run. `scope_out` (may be NULL) receives NULL for a full run,
 * else what narrowed it in words ("region 441400 梅州市; dept health"), to
 * free. ER_ENOTFOUND when there is no finished run.
 */
int er_run_default(er_db *db, int64_t *out, char **scope_out);

/*
 * Writes the report of stored run `run_id` to `fp`:
 *  - ER_FORMAT_HTML: one self-contained page (inline CSS and SVG, no script,
 *    no network) with the run's metadata, summaries by department and rule,
 *    the regions × rules matrix of each year, the failing findings, cuts and
 *    allocations by region, per-capita spending against the 30% band, pass
 *    rates and trends; laid out to print on A4;
 *  - ER_FORMAT_MD: the same sections as Markdown tables;
 *  - ER_FORMAT_CSV: one row per finding (ER_CSV_EXCEL in `flags` adds a
 *    UTF-8 byte order mark);
 *  - ER_FORMAT_JSON: one document {run, rules, summary, findings, money,
 *    per_capita} (docs/administrators.md gives its shape);
 *  - ER_FORMAT_TEXT: the summary `equirule run` prints.
 * (ER_FORMAT_XLSX: er_report_write_xlsx, which writes to a file.)
 * Money is summed in integer fen and written in yuan to the fen.
 */
int er_report_write(er_db *db, int64_t run_id, er_format fmt, unsigned flags,
                    FILE *fp);

/*
 * Which findings a report or a comparison shows (er_report_write_filtered,
 * er_run_compare_filtered); a zeroed filter (or NULL) shows them all. The
 * lists are NULL-terminated, NULL for no condition; a finding is shown when
 * it meets every condition given, and one of the entries of each list.
 */
typedef struct er_report_filter {
    const char *const *regions; /* a code or name (as er_run_opts.region):
                                   the region and every region below it */
    const char *const *depts;   /* departments of the run's rules */
    const char *const *rules;   /* a rule id, or a prefix of ids up to a
                                   dot: finance.cost_sharing is that rule
                                   and finance.cost_sharing.* */
    int year;                   /* one year, or 0 */
    unsigned outcomes;          /* ER_OUTCOME_BIT()s; 0 = every outcome */
} er_report_filter;

/*
 * er_report_write of the findings that pass `filter`: every count, total,
 * chart of findings and data gap is of those findings, and each format but
 * CSV says what was filtered (text and md: a line under the title; html: a
 * line in the header; json: a "filter" object). A region, department or
 * rule the run (or the data, for a region) does not know is ER_EUSAGE with
 * the nearest name; a filter that no finding passes is ER_ENOTFOUND naming
 * the filter. The text format writes what `equirule run` prints.
 */
int er_report_write_filtered(er_db *db, int64_t run_id,
                             const er_report_filter *filter, er_format fmt,
                             unsigned flags, FILE *fp);

/*
 * Adds to *bits the outcomes `list` names: outcome names separated by
 * commas (fail,missing), or "failing" for fail, missing and error. An
 * unknown name is ER_EUSAGE with the nearest outcome.
 */
int er_outcomes_parse(const char *list, unsigned *bits);

/*
 * The basic public service list (基本公共服务清单) of a region and a year,
 * as its residents read it (`equirule publish`): one row per item in the
 * item table's order, grouped by category: 序号, 服务类别, 服务项目,
 * 服务对象, 服务内容, 服务标准 (every standard in force that year,
 * national, provincial and, for a city or county, the local one, with its
 * basis; the one that applies marked), 支出责任 (the item's text and the
 * provincial share of the region's tier, with its city-county split),
 * 牵头负责单位. It reads the data, not a run.
 */
typedef struct er_publish_opts {
    const char *region; /* a code or name (as er_run_opts.region); NULL:
                           the province */
    int year;           /* 0: the latest year of the data (fact table) in
                           which a standard is in force */
} er_publish_opts;

/*
 * Writes the list as ER_FORMAT_HTML (one self-contained page, Chinese
 * only), ER_FORMAT_MD or ER_FORMAT_CSV (ER_CSV_EXCEL: a byte order mark
 * first, no formulas). ER_EUSAGE, with nothing written, for a region the
 * data does not hold, a year without data or another format. `title_out`
 * (may be NULL) receives the list's title (梅州市基本公共服务清单（2020年）),
 * to free, when it was written.
 */
int er_publish_write(er_db *db, const er_publish_opts *opts, er_format fmt,
                     unsigned flags, FILE *fp, char **title_out);
/* The list as an Excel workbook at `path`, which appears only complete. */
int er_publish_write_xlsx(er_db *db, const er_publish_opts *opts,
                          const char *path, char **title_out);
/*
 * What the list shows as — because the item table lacks its texts (after
 * an upgrade to schema 14, or an item file without those columns): NULL
 * when every item has served, content, responsibility and lead (or on an
 * error reading them); else one line to free, "18 of the 18 items lack
 * texts of the list: served (服务对象) 18, ...; the list shows — for them.
 * Fill them in: ...", its commands naming the database as `db_name` (NULL:
 * its path).
 */
char *er_publish_missing_texts(er_db *db, const char *db_name);

/*
 * Writes the report of stored run `run_id` as an Excel workbook (.xlsx) at
 * `path`, from the same loaded run as er_report_write_filtered (the
 * findings that pass `filter`, NULL for all; the summary sheet says what
 * was filtered): the sheets 概要
 * Summary (the run's audit data: id, times, digests of the rules and data,
 * engine version, options; counts and money totals), 部门 Departments,
 * 地区 Regions, 未通过 Failing, 扣减与分配 Cuts & allocations and 全部结果
 * All findings, each with a frozen header row and an autofilter; money in
 * 元 to the fen (#,##0.00) from integer fen. The file appears at `path`
 * only once complete (written beside it under a temporary name, then
 * renamed): on any error none is left. ER_ENOTFOUND for no such run;
 * ER_EUSAGE for a path er_output_path_check refuses; ER_ERROR when the
 * file cannot be written; ER_ENOMEM.
 */
int er_report_write_xlsx(er_db *db, int64_t run_id,
                         const er_report_filter *filter, const char *path);

/* Counts of a comparison of two runs. */
typedef struct er_compare_stats {
    long changed; /* findings in both runs whose outcome, measured,
                     required or amount differ */
    long added;   /* in the second run only */
    long removed; /* in the first run only */
    long same;    /* in both, unchanged */
    long value_only; /* with ER_CHANGED_OUTCOME: in both, same outcome and
                        amount, measured or required changed; not listed
                        nor counted in `changed` */
} er_compare_stats;

/* Which changed findings a comparison lists (er_run_compare_filtered,
 * er_diff_opts.changed): any change (the default), or only those whose
 * outcome or amount changed (money is never a change of value only), with
 * a count of the rest. */
enum { ER_CHANGED_ANY = 0, ER_CHANGED_OUTCOME = 1 };

/*
 * Compares the findings of stored runs `run_a` and `run_b`, matched on rule,
 * region and year, and writes those that changed (outcome, measured and
 * amount before and after), were added or were removed, with a summary of
 * transitions per rule, to `fp` as text, md, json or csv. `stats` (may be
 * NULL) receives the counts.
 */
int er_run_compare(er_db *db, int64_t run_a, int64_t run_b, er_format fmt,
                   FILE *fp, er_compare_stats *stats);

/*
 * er_run_compare of the findings of both runs that pass `filter` (may be
 * NULL; as er_report_write_filtered: unknown names are ER_EUSAGE, a filter
 * no finding of either run passes is ER_ENOTFOUND), listing the changes
 * `changed` asks for (ER_CHANGED_ANY or ER_CHANGED_OUTCOME). The totals
 * are of the filtered findings; the output says what was filtered and how
 * many changes were not listed.
 */
int er_run_compare_filtered(er_db *db, int64_t run_a, int64_t run_b,
                            const er_report_filter *filter, int changed,
                            er_format fmt, FILE *fp, er_compare_stats *stats);

/* ------------------------------------------------------------------ */
/* Rule tests                                                           */
/* ------------------------------------------------------------------ */

typedef struct er_test_opts {
    const char *rules_dir;     /* the rule set the cases run against;
                                  NULL = the rules folder that holds the
                                  paths (the nearest folder at or above
                                  each whose folders hold rule files),
                                  else "rules" */
    const char *filter;        /* substring of case names, or NULL */
    const char *const *sets;   /* "rule.param=value", NULL-terminated */
    int verbose;               /* print every case, not only failures */
    int coverage;              /* measure line coverage and print its table */
    const char *coverage_json; /* write coverage as JSON to this file */
    const char *coverage_lcov; /* write coverage as an LCOV tracefile */
    const char *junit;         /* write JUnit XML to this file */
    double timeout;            /* seconds for loading each file and for
                                  each evaluation; 0 = default (2) */
} er_test_opts;

typedef struct er_test_stats {
    long files;
    long cases;
    long passed;
    long failed;
    /* line coverage, when measured (coverage or one of its files asked):
     * runnable lines of the rule files in scope, and how many of them ran
     * in at least one case */
    long lines_runnable;
    long lines_run;
} er_test_stats;

/*
 * Runs the rule test files (<name>_test.lua) found under each of `paths`
 * (files or folders; NULL-terminated; NULL = rules_dir), each case on a
 * fresh in-memory database with the real schema; a rule file x.lua given
 * as a path runs x_test.lua beside it. Each case is first checked against
 * the test-case schema (an unknown key, an outcome that is not one, a
 * case that expects nothing fail it); a test file with no cases, or whose
 * rule file did not load, fails. Writes one line per failure ("code rule
 * year: expected ..., got ...") and a closing count to `fp`. Returns
 * ER_OK when the cases ran (whether or not they passed: see `stats`);
 * ER_ENOTFOUND when a path does not exist, holds no test file, or is a
 * rule file without a test file; ER_EUSAGE when the paths are in
 * different rules folders (and rules_dir is NULL); an error when a test
 * file could not be read or a report file (JUnit, coverage) could not be
 * written.
 *
 * Coverage: the lines of the rule files that ran, over the runnable lines
 * (those the Lua compiler gave code that some path can reach, in every
 * function of the file). In scope are every rule file when `paths` is
 * NULL, else the rule files under the folders named, the files the test
 * files named test, and any file a case ran. The table (file, lines run /
 * runnable, %, lines never run) goes to `fp` when opts->coverage is set.
 */
int er_test_run(const char *const *paths, const er_test_opts *opts, FILE *fp,
                er_test_stats *stats);

/* ------------------------------------------------------------------ */
/* Tools for testers and rule authors: diff, explain, lint              */
/* ------------------------------------------------------------------ */

typedef struct er_diff_opts {
    const char *base;  /* a rules folder, or a git revision (of the
                          repository holding `head`) whose copy of the
                          head folder is compared */
    const char *head;  /* the rules folder; NULL = "rules" */
    int year_from;     /* 0: the latest year with data */
    int year_to;       /* 0: same as year_from */
    const char *const *sets;      /* overrides on the head side */
    const char *const *base_sets; /* overrides on the base side */
    er_format format;  /* text, md, json or csv */
    double timeout;    /* seconds for loading each file and for each
                          evaluation; 0 = default (2) */
    int changed;       /* ER_CHANGED_ANY (0): list every changed finding;
                          ER_CHANGED_OUTCOME: only those whose outcome
                          or amount changed (or that appeared or went),
                          and count the rest */
} er_diff_opts;

typedef struct er_diff_stats {
    long changed;       /* findings of rules in both sets that changed,
                           appeared or went */
    long rules_added;   /* rules in head only */
    long rules_removed; /* rules in base only */
    long base_findings;
    long head_findings;
    long value_only;    /* with ER_CHANGED_OUTCOME: findings whose outcome
                           and amount stayed and whose measured or required
                           changed; not listed nor counted in `changed` */
} er_diff_stats;

/*
 * The impact of a rule change: evaluates the base and the head rule sets on
 * the same snapshot of the database's data (read once) and writes to `fp`
 * the findings that changed (rule, region and its name, year, outcome,
 * measured, required and amount before and after), a summary per rule
 * (changes by transition, cut and allocation totals before and after) and
 * the rules added or removed. A finding changed when its outcome, unit,
 * measured, required (relative difference above 1e-9) or amount (to the
 * fen) differ; notes are not compared. Nothing is written to the database
 * and a git revision is read with `git archive` into a temporary folder,
 * leaving the checkout alone. `stats` (may be NULL) receives the counts.
 * ER_EDATA when one side's cut or allocation amounts do not fit in an
 * int64_t of fen once summed.
 */
int er_diff_run(er_db *db, const er_diff_opts *opts, FILE *fp,
                er_diff_stats *stats);

typedef struct er_explain_opts {
    const char *rule;         /* rule id */
    const char *region;       /* region code, or its name (梅州市) */
    int year;                 /* 0: the latest year with data */
    const char *const *sets;  /* "rule.param=value" overrides */
    er_format format;         /* text or json */
} er_explain_opts;

/*
 * One evaluation of `rule` for `region` in `year`, traced: every fact read
 * (metric, region, year, value and the fact's source), every standard
 * resolved (key, scope chosen and why, value, basis), shares, transfers,
 * results of needed rules (evaluated first, as in a run), r:has checks and
 * r:sql queries, each with the line of the rule that made it, then the
 * outcome with measured, required, amount and note. Written to `fp`;
 * nothing is recorded. ER_EUSAGE when the rule or region is unknown, the
 * region is not of the rule's level or the year is outside the rule's.
 */
int er_explain(er_db *db, er_ruleset *rs, const er_explain_opts *opts,
               FILE *fp);

typedef struct er_verify_opts {
    int jobs;         /* as er_run_opts.jobs for the replay */
    long max_listed;  /* differences listed (the rest counted); 0 = 20 */
} er_verify_opts;

typedef struct er_verify_stats {
    long stored;      /* findings of the stored run */
    long replayed;    /* findings of the replay */
    long identical;   /* in both, every field the same */
    long differing;   /* in both, some field differs */
    long fields;      /* fields that differ, over the differing findings */
    long missing;     /* stored, not reproduced */
    long extra;       /* reproduced, not stored */
    int engine_differs; /* the run was recorded by another version */
} er_verify_stats;

/*
 * Replays stored run `run`: its data (the data tables, which must be
 * those the run read: their digest is checked), the rule sources it
 * stored (loaded under the names its messages quoted, whatever became of
 * the rules folder) and its recorded options (years, region, departments,
 * rule, --set overrides, limits on rule code); evaluates them as
 * er_run does, in a temporary database; and compares every finding with
 * the stored one (outcome, measured, required, amount to the fen, unit,
 * note), matched on rule, region and year. Writes to fp each difference
 * ("rule region year field: stored X, now Y"), each finding missing or
 * extra, and a closing line ("run 12 reproduced: 2,013 findings
 * identical"); a note when the run was recorded by another version of
 * equirule. Returns ER_OK when the replay ran (stats say whether it
 * matched); ER_ENOTFOUND for no such run or a run that stored no sources;
 * ER_EDATA when the stored sources were altered or the run's data cannot
 * be rebuilt; ER_EUSAGE for a run that did not finish.
 */
int er_verify(er_db *db, int64_t run, const er_verify_opts *opts, FILE *fp,
              er_verify_stats *stats);

/*
 * er_explain of opts->rule for opts->region with the data, rule sources
 * and --set overrides of stored run `run` (as er_verify rebuilds them;
 * opts->sets is ignored; year 0 = the run's last year), then the finding
 * the run stored and whether evaluating it again with those inputs gives
 * the same, field by field. Errors as er_explain and er_verify.
 */
int er_explain_run(er_db *db, int64_t run, const er_explain_opts *opts,
                   FILE *fp);

typedef struct er_template_opts {
    int year_from, year_to;   /* 0: the latest year with facts */
    const char *const *depts; /* NULL-terminated departments; NULL = all */
    const char *level;        /* province, city or county; NULL = all */
    int list;                 /* what each rule reads, not the CSV */
    er_format format;         /* list: text or md */
} er_template_opts;

typedef struct er_template_stats {
    long rows;    /* rows written */
    long filled;  /* rows whose value the database has */
    long lacking; /* standards, shares, transfers said to be lacking */
    long dropped; /* rules whose evaluation hung, crashed or raised an
                     error on the synthetic province: what they read (after
                     the error) is not listed (said on `info`) */
} er_template_stats;

/*
 * The fact CSV the rules of `depts` (and the rules they need) read in the
 * years asked, written to `fp`: one row per region, year and metric read,
 * in that order, with the columns region, year, metric, value, source
 * (what `import fact` reads; value and source filled where the database
 * holds the fact) and region_name, metric_name, unit beside them; with
 * `level`, only the regions of that level. What a rule reads is found by
 * evaluating it (nothing is stored) on lint's synthetic province, where
 * every read finds a value, each read then asked of every region of the
 * level read; and on the database's own regions and years. On `info`: a
 * summary, the metrics the catalog lacks, the standards, shares and
 * transfers read that the database does not hold, the rules whose
 * r:sql reads cannot be listed, and the rules whose evaluation hung or
 * crashed (left out, counted in stats->dropped).
 *
 * With `list`, writes instead (text or Markdown) each selected rule with
 * the metrics (names and units from `db`, which may then be NULL),
 * standards and items it reads, by department. ER_EUSAGE for a
 * department without rules or a bad level; a database without facts
 * needs the years.
 */
int er_template(er_db *db, er_ruleset *rs, const er_template_opts *opts,
                FILE *fp, FILE *info, er_template_stats *stats);

typedef struct er_lint_opts {
    er_db *db;   /* the catalog rules are checked against; NULL = those
                    checks are skipped (with a warning) */
    int no_eval; /* scan the source only: evaluate no rule */
    int strict;  /* warnings count as errors (and are reported as such) */
} er_lint_opts;

typedef struct er_lint_stats {
    long errors;
    long warnings;
} er_lint_stats;

/*
 * Checks a loaded rule set beyond the contract er_ruleset_load enforces and
 * writes one line per problem to `fp` ("file:line: error|warning: ..."):
 *  - errors: the load diagnostics; with a database, a metric or item a
 *    rule reads (string literals and `local NAME = "..."` constants
 *    passed to r:fact, r:has, r:share, r:transfer, and, unless no_eval,
 *    the keys an evaluation of every rule on the latest year with data
 *    actually read) that is not in the catalog (metric, item tables),
 *    and a rule `item` not in the item table. Unless no_eval, every rule is evaluated once: with a database on the
 *    latest year with data, and the rules the data does not evaluate
 *    (each evaluation was `missing` or `skip`) on a synthetic
 *    region whose every read is answered with a plausible value; an
 *    `evaluate` that returns nothing or no outcome, or raises, is an
 *    error at the line of the raise, else of the evaluate function;
 *  - warnings: a param no `params.NAME` or `params["NAME"]` in the file
 *    reads, a rule file with no <name>_test.lua beside it, a standard key
 *    that no standard row and no item has (with a database), no database.
 * With strict, every warning is an error.
 */
int er_lint(er_ruleset *rs, const er_lint_opts *opts, FILE *fp,
            er_lint_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* EQUIRULE_H */
