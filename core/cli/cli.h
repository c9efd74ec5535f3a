/*
 * cli.h - what the command files of the equirule command line share: exit
 * statuses, default paths, error and usage reporting. Each command lives in
 * its own file (cmd_<name>.c) and is listed in main.c's command table.
 */
#ifndef ER_CLI_H
#define ER_CLI_H

#include "equirule.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#define ER_ARRAY_LEN_MAIN(a) (sizeof(a) / sizeof((a)[0]))

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_ERROR = 3 };

/* Options every command shares. */
enum { OPT_HELP = 'h', OPT_DB = 1000, OPT_RULES };

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    const char *usage;
} command;

/* Prints er_errmsg() as "equirule: message"; returns the exit status. */
int cli_error_exit(int rc);
/* Prints a usage error with a pointer to `equirule help CMD`; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);
/* $EQUIRULE_DB or equirule.db; $EQUIRULE_RULES or rules. */
const char *cli_default_db(void);
const char *cli_default_rules(void);
/* Colour on a terminal unless NO_COLOR is set. */
bool cli_use_color(FILE *fp);
/* Prints the usage text of a command; returns 0, or 2 if there is none. */
int cli_print_help(const char *name);
/* For the `default:` of a command's getopt_long switch: --help prints the
 * command's usage (returns 0), any other option is a usage error (2). */
int cli_help_or_bad_option(const char *cmd, int c);
/* getopt_long for a command's option loop, refusing a single-valued
 * option given twice: an option that takes an argument may be given once
 * unless its long name is in `repeatable` (NULL-terminated, may be NULL);
 * --year and --years are one option. A second one prints a usage error
 * naming the option and both values and returns CLI_OPT_TWICE, whose
 * case returns EXIT_USAGE: a value is never dropped silently. */
#define CLI_OPT_TWICE (-2)
typedef struct cli_getopt_state {
    const char *cmd;                /* for the usage error */
    const char *const *repeatable;  /* long names that may repeat */
    struct {
        int key;
        const char *name, *value;
    } seen[32];
    size_t nseen;
} cli_getopt_state;
int cli_getopt(cli_getopt_state *g, int argc, char **argv,
               const char *shortopts, const struct option *opts);
/* "2019" or "2018-2020" into from/to. */
bool cli_parse_years(const char *s, int *from, int *to);
/* Limits on rule code, parsed strictly (a whole number or, for seconds,
 * a finite decimal, within the ranges of equirule.h); false otherwise. */
bool cli_parse_timeout(const char *s, double *out);
bool cli_parse_instructions(const char *s, long *out);
/* --jobs: a whole number from 0 (in this process) to 256. */
bool cli_parse_jobs(const char *s, int *out);
bool cli_parse_memory_mb(const char *s, long *bytes_out);
/* A plain decimal from 0 to 1 ("0.9", "1", ".95"; no sign, exponent or
 * percent sign); false otherwise. */
bool cli_parse_fraction(const char *s, double *out);
#define CLI_FRACTION_USAGE                                                 \
    "bad --min-assessed '%s': a plain decimal from 0 to 1, such as 0.9"
#define CLI_TIMEOUT_USAGE                                                  \
    "bad timeout '%s': seconds, more than 0 and at most 86400 (one day)"
#define CLI_INSTRUCTIONS_USAGE                                             \
    "bad instruction budget '%s': a whole number from 1000 to 10^12"
#define CLI_MEMORY_USAGE                                                   \
    "bad memory limit '%s': whole megabytes, from 1 to 1048576"
/* Parses text|md|csv|json|html; false when not one of `allowed`
 * (a comma-separated list). */
bool cli_parse_format(const char *s, const char *allowed, er_format *out);
/* Appends `arg` to `list`, an array of `cap` pointers that holds *n values
 * and stays NULL-terminated (so it takes cap - 1 at most); false when it
 * is full. */
bool cli_list_add(const char **list, size_t cap, size_t *n, const char *arg);
/* Joins argv with spaces (caller frees). */
char *cli_join_args(int argc, char **argv);
/* Prints rule load diagnostics to stderr; returns their count. */
size_t cli_print_diags(const er_ruleset *rs);

/* The progress line of a run on a terminal (cli_progress.c): an
 * er_progress_fn whose ctx is a cli_progress_line, zeroed but for fp, tty
 * and db. Phases that end within a second show nothing; that the run
 * waits for another writer is said on one line, terminal or not. */
typedef struct cli_progress_line {
    FILE *fp;          /* stderr */
    bool tty;          /* fp is a terminal: draw the progress line */
    const char *db;    /* the database, named when the run waits */
    const char *phase; /* the phase being shown */
    double started;    /* monotonic seconds at its first report */
    bool shown;
} cli_progress_line;
void cli_progress(void *ctx, const char *phase, long done, long total);

/* Where a command writes: stdout, or a file that appears only when
 * complete (cli_output.c). */
typedef struct cli_output {
    FILE *fp;
    const char *path; /* NULL for stdout */
    char *target;     /* the regular file replaced (path, or a link's
                         target); NULL when path is a device or a fifo,
                         written through once complete */
    char *tmp;        /* the temporary file being written beside target */
} cli_output;

/* Opens `path` (NULL or "-": stdout) for writing; prints the error and
 * returns false when it cannot. */
bool cli_output_open(cli_output *o, const char *path);
/* Finishes the output: with `ok` the file takes its name, without it (or
 * when writing failed, which it prints) the file is removed. Returns
 * whether the output is complete. */
bool cli_output_close(cli_output *o, bool ok);
/* Closes the output of a command whose work returned `rc` (ER_OK or an
 * error code) and returns the exit status: the error's, printed, when rc
 * is an error; EXIT_ERROR when the output could not be completed; else
 * EXIT_OK. */
int cli_output_finish(cli_output *o, int rc);
/* Whether `path` (-o) names a file that the output replaces, so that a
 * line saying what was written may go to standard output: false for none
 * or "-", and for a device, a fifo or /dev/stdout, written through. */
bool cli_output_is_file(const char *path);

/* The commands, one file each (cmd_<name>.c), listed in main.c. */
int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_verify(int argc, char **argv);

#define COMMON_DB                                                          \
    "  --db FILE        the database (default: $EQUIRULE_DB or equirule.db)\n"
#define COMMON_TIMEOUT                                                     \
    "  --timeout S      wall-clock limit of loading each rule file and of "  \
    "each\n"                                                               \
    "                   evaluation, in seconds (default 2, at most 86400): " \
    "rule\n"                                                               \
    "                   code that hangs past it is stopped and named\n"
#define COMMON_RULES                                                       \
    "  --rules DIR      the rules folder (default: $EQUIRULE_RULES or "    \
    "rules)\n"

#endif /* ER_CLI_H */
