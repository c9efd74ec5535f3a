/*
 * main.c - the equirule command line: parses options and calls the library.
 * It holds no logic a test would need; see include/equirule.h.
 *
 * Exit status: 0 done and nothing failed; 1 done and findings or tests
 * failed; 2 usage error; 3 bad data, bad rule or another error that stopped
 * the command.
 */
#include "equirule.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ER_ARRAY_LEN_MAIN(a) (sizeof(a) / sizeof((a)[0]))

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_ERROR = 3 };

typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
    const char *usage;
} command;

static const command *find_command(const char *name);

static int error_exit(int rc)
{
    fprintf(stderr, "equirule: %s\n", er_errmsg());
    return rc == ER_EUSAGE ? EXIT_USAGE : EXIT_ERROR;
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "equirule: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee `equirule help %s`\n", cmd);
    return EXIT_USAGE;
}

static const char *default_db(void)
{
    const char *e = getenv("EQUIRULE_DB");
    return e && *e ? e : "equirule.db";
}

static const char *default_rules(void)
{
    const char *e = getenv("EQUIRULE_RULES");
    return e && *e ? e : "rules";
}

static bool use_color(FILE *fp)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(fp)) && !(nc && *nc);
}

static int print_help(const char *name)
{
    const command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "equirule: no command '%s'\n", name);
        return EXIT_USAGE;
    }
    printf("%s", c->usage);
    return EXIT_OK;
}

/* Options every command shares. */
enum { OPT_HELP = 'h', OPT_DB = 1000, OPT_RULES };

static bool parse_years(const char *s, int *from, int *to)
{
    char *end;
    long a = strtol(s, &end, 10), b = a;
    if (end == s)
        return false;
    if (*end == '-') {
        const char *rest = end + 1;
        b = strtol(rest, &end, 10);
        if (end == rest)
            return false;
    }
    if (*end || a < 1900 || a > 2200 || b < a || b > 2200)
        return false;
    *from = (int)a;
    *to = (int)b;
    return true;
}

/* Joins argv into one line, recorded as the run's options. */
static char *join_args(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = calloc(1, n);
    for (int i = 0; s && i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* Prints rule load diagnostics; returns their count. */
static size_t print_diags(const er_ruleset *rs)
{
    size_t n = er_ruleset_diag_count(rs);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "equirule: %s\n", er_ruleset_diag(rs, i));
    return n;
}

/* ---- init ----------------------------------------------------------------- */

static int cmd_init(int argc, char **argv)
{
    const char *dbpath = default_db();
    bool sample = false;
    static const struct option opts[] = {{"db", required_argument, 0, OPT_DB},
                                         {"sample", no_argument, 0, 's'},
                                         {"help", no_argument, 0, OPT_HELP},
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            dbpath = optarg;
            break;
        case 's':
            sample = true;
            break;
        case OPT_HELP:
            return print_help("init");
        default:
            return usage_error("init", "%s", "bad option");
        }
    }
    if (optind < argc)
        return usage_error("init", "unexpected argument '%s'", argv[optind]);
    er_db *db = NULL;
    int from = 0;
    int rc = er_db_init(&db, dbpath, &from);
    if (rc != ER_OK)
        return error_exit(rc);
    if (from == 0)
        printf("created %s (schema version %d)\n", dbpath, ER_SCHEMA_VERSION);
    else if (from < ER_SCHEMA_VERSION)
        printf("upgraded %s from schema version %d to %d\n", dbpath, from,
               ER_SCHEMA_VERSION);
    else
        printf("%s is up to date (schema version %d)\n", dbpath,
               ER_SCHEMA_VERSION);
    if (sample) {
        rc = er_db_load_sample(db);
        if (rc != ER_OK) {
            er_db_free(db);
            return error_exit(rc);
        }
        printf("loaded the built-in Guangdong sample (广东省 and 21 cities, "
               "2018-2020)\n");
    }
    er_db_free(db);
    return EXIT_OK;
}

/* ---- import ----------------------------------------------------------------- */

static int cmd_import(int argc, char **argv)
{
    const char *dbpath = default_db();
    unsigned flags = 0;
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"replace", no_argument, 0, 'r'},
        {"dry-run", no_argument, 0, 'n'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'r':
            flags |= ER_IMPORT_REPLACE;
            break;
        case 'n':
            flags |= ER_IMPORT_DRY_RUN;
            break;
        case OPT_HELP:
            return print_help("import");
        default:
            return usage_error("import", "%s", "bad option");
        }
    }
    if (argc - optind != 2)
        return usage_error("import", "%s", "expected TABLE FILE.csv");
    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, 0);
    if (rc != ER_OK)
        return error_exit(rc);
    er_import_stats st = {0};
    rc = er_import_file(db, argv[optind], argv[optind + 1], flags, &st);
    er_db_free(db);
    if (rc != ER_OK)
        return error_exit(rc);
    printf("%s: %ld rows%s: %ld added, %ld replaced\n", argv[optind + 1],
           st.rows, (flags & ER_IMPORT_DRY_RUN) ? " checked (dry run)" : "",
           st.inserted, st.replaced);
    return EXIT_OK;
}

/* ---- run ---------------------------------------------------------------------- */

static int cmd_run(int argc, char **argv)
{
    const char *dbpath = default_db(), *rules = default_rules();
    const char *format = "text";
    er_run_opts o = {0};
    const char *depts[64] = {0}, *sets[64] = {0};
    size_t ndepts = 0, nsets = 0;
    enum { O_YEAR = 2000, O_YEARS, O_DEPT, O_RULE, O_REGION, O_SET, O_JOBS,
           O_FORMAT, O_MAXI, O_MAXM, O_TIMEOUT };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"rules", required_argument, 0, OPT_RULES},
        {"year", required_argument, 0, O_YEAR},
        {"years", required_argument, 0, O_YEARS},
        {"dept", required_argument, 0, O_DEPT},
        {"rule", required_argument, 0, O_RULE},
        {"region", required_argument, 0, O_REGION},
        {"set", required_argument, 0, O_SET},
        {"jobs", required_argument, 0, O_JOBS},
        {"format", required_argument, 0, O_FORMAT},
        {"max-instructions", required_argument, 0, O_MAXI},
        {"max-memory", required_argument, 0, O_MAXM},
        {"timeout", required_argument, 0, O_TIMEOUT},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "hj:", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            dbpath = optarg;
            break;
        case OPT_RULES:
            rules = optarg;
            break;
        case O_YEAR:
        case O_YEARS:
            if (!parse_years(optarg, &o.year_from, &o.year_to) ||
                (c == O_YEAR && o.year_from != o.year_to))
                return usage_error("run", "bad year or span '%s'", optarg);
            break;
        case O_DEPT:
            if (ndepts + 1 >= ER_ARRAY_LEN_MAIN(depts))
                return usage_error("run", "%s", "too many --dept");
            depts[ndepts++] = optarg;
            break;
        case O_RULE:
            o.rule = optarg;
            break;
        case O_REGION:
            o.region = optarg;
            break;
        case O_SET:
            if (nsets + 1 >= ER_ARRAY_LEN_MAIN(sets))
                return usage_error("run", "%s", "too many --set");
            sets[nsets++] = optarg;
            break;
        case 'j':
        case O_JOBS:
            o.jobs = (int)strtol(optarg, &end, 10);
            if (*end || o.jobs < 1 || o.jobs > 256)
                return usage_error("run", "bad job count '%s'", optarg);
            break;
        case O_FORMAT:
            format = optarg;
            if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
                return usage_error("run", "format '%s': text or json",
                                   optarg);
            break;
        case O_MAXI:
            o.max_instructions = strtol(optarg, &end, 10);
            if (*end || o.max_instructions < 1000)
                return usage_error("run", "bad instruction budget '%s'",
                                   optarg);
            break;
        case O_MAXM:
            o.max_memory = strtol(optarg, &end, 10) * 1024L * 1024L;
            if (*end || o.max_memory < 1024L * 1024L)
                return usage_error("run", "bad memory limit '%s' (MB)",
                                   optarg);
            break;
        case O_TIMEOUT:
            o.timeout = strtod(optarg, &end);
            if (*end || o.timeout <= 0)
                return usage_error("run", "bad timeout '%s' (seconds)",
                                   optarg);
            break;
        case OPT_HELP:
            return print_help("run");
        default:
            return usage_error("run", "%s", "bad option");
        }
    }
    if (optind < argc)
        return usage_error("run", "unexpected argument '%s'", argv[optind]);
    o.depts = ndepts ? depts : NULL;
    o.sets = nsets ? sets : NULL;

    er_db *db = NULL;
    er_ruleset *rs = NULL;
    int rc = er_db_open(&db, dbpath, 0);
    if (rc != ER_OK)
        return error_exit(rc);
    if ((rc = er_ruleset_load(&rs, rules)) != ER_OK) {
        er_db_free(db);
        return error_exit(rc);
    }
    size_t broken = print_diags(rs);
    char *line = join_args(argc, argv);
    o.options = line;
    int64_t run_id = 0;
    rc = er_run(db, rs, &o, &run_id);
    free(line);
    int status = EXIT_OK;
    if (rc != ER_OK) {
        status = error_exit(rc);
    } else {
        er_run_summary sum;
        if (strcmp(format, "json") == 0) {
            er_run_summarize(db, run_id, &sum);
            printf("{\"run\": %lld, \"findings\": %ld, \"counts\": {",
                   (long long)run_id, sum.findings);
            for (int k = 0; k < ER_OUTCOME_COUNT; k++)
                printf("%s\"%s\": %ld", k ? ", " : "",
                       er_outcome_name((er_outcome)k), sum.counts[k]);
            printf("}, \"cut_fen\": %lld, \"allocation_fen\": %lld}\n",
                   (long long)sum.cut_fen, (long long)sum.allocation_fen);
        } else {
            er_run_print_summary(db, run_id, stdout, use_color(stdout));
        }
        er_run_summarize(db, run_id, &sum);
        if (sum.counts[ER_FAIL] || sum.counts[ER_MISSING] ||
            sum.counts[ER_ERROR_OUTCOME] || broken)
            status = EXIT_FAILED;
        if (broken)
            fprintf(stderr, "equirule: %zu rule file problem%s (above); the "
                            "other rules ran\n",
                    broken, broken == 1 ? "" : "s");
    }
    er_ruleset_free(rs);
    er_db_free(db);
    return status;
}

/* ---- rules, lint ----------------------------------------------------------------- */

static int rules_common(int argc, char **argv, bool lint)
{
    const char *rules = default_rules();
    er_format fmt = ER_FORMAT_TEXT;
    static const struct option opts[] = {
        {"rules", required_argument, 0, OPT_RULES},
        {"format", required_argument, 0, 'f'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    const char *name = lint ? "lint" : "rules";
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_RULES:
            rules = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                fmt = ER_FORMAT_TEXT;
            else if (strcmp(optarg, "md") == 0)
                fmt = ER_FORMAT_MD;
            else if (strcmp(optarg, "json") == 0)
                fmt = ER_FORMAT_JSON;
            else
                return usage_error(name, "format '%s': text, md or json",
                                   optarg);
            break;
        case OPT_HELP:
            return print_help(name);
        default:
            return usage_error(name, "%s", "bad option");
        }
    }
    if (optind < argc)
        return usage_error(name, "unexpected argument '%s'", argv[optind]);
    er_ruleset *rs = NULL;
    int rc = er_ruleset_load(&rs, rules);
    if (rc != ER_OK)
        return error_exit(rc);
    size_t broken = print_diags(rs);
    if (!lint)
        er_ruleset_print(rs, stdout, fmt);
    else
        printf("%zu rules in %zu files: %s\n", er_ruleset_count(rs),
               er_ruleset_file_count(rs),
               broken ? "problems found (above)" : "ok");
    er_ruleset_free(rs);
    return broken ? (lint ? EXIT_FAILED : EXIT_OK) : EXIT_OK;
}

static int cmd_rules(int argc, char **argv)
{
    return rules_common(argc, argv, false);
}

static int cmd_lint(int argc, char **argv)
{
    return rules_common(argc, argv, true);
}

/* ---- runs ---------------------------------------------------------------------- */

static int cmd_runs(int argc, char **argv)
{
    const char *dbpath = default_db();
    er_format fmt = ER_FORMAT_TEXT;
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"format", required_argument, 0, 'f'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                fmt = ER_FORMAT_JSON;
            else if (strcmp(optarg, "text") != 0)
                return usage_error("runs", "format '%s': text or json",
                                   optarg);
            break;
        case OPT_HELP:
            return print_help("runs");
        default:
            return usage_error("runs", "%s", "bad option");
        }
    }
    if (optind < argc)
        return usage_error("runs", "unexpected argument '%s'", argv[optind]);
    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return error_exit(rc);
    rc = er_runs_print(db, stdout, fmt);
    er_db_free(db);
    return rc == ER_OK ? EXIT_OK : error_exit(rc);
}

/* ---- test ---------------------------------------------------------------------- */

static int cmd_test(int argc, char **argv)
{
    er_test_opts o = {.rules_dir = default_rules()};
    const char *sets[64] = {0};
    size_t nsets = 0;
    static const struct option opts[] = {
        {"rules", required_argument, 0, OPT_RULES},
        {"filter", required_argument, 0, 'f'},
        {"set", required_argument, 0, 's'},
        {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
        switch (c) {
        case OPT_RULES:
            o.rules_dir = optarg;
            break;
        case 'f':
            o.filter = optarg;
            break;
        case 's':
            if (nsets + 1 >= ER_ARRAY_LEN_MAIN(sets))
                return usage_error("test", "%s", "too many --set");
            sets[nsets++] = optarg;
            break;
        case 'v':
            o.verbose = 1;
            break;
        case OPT_HELP:
            return print_help("test");
        default:
            return usage_error("test", "%s", "bad option");
        }
    }
    o.sets = nsets ? sets : NULL;
    const char **paths = NULL;
    if (optind < argc) {
        paths = calloc((size_t)(argc - optind) + 1, sizeof *paths);
        if (!paths)
            return EXIT_ERROR;
        for (int i = optind; i < argc; i++)
            paths[i - optind] = argv[i];
    }
    er_test_stats st = {0};
    int rc = er_test_run(paths, &o, stdout, &st);
    free(paths);
    if (rc != ER_OK)
        return error_exit(rc);
    return st.failed ? EXIT_FAILED : EXIT_OK;
}

/* ---- help ---------------------------------------------------------------------- */

static int cmd_help(int argc, char **argv);

#define COMMON_DB                                                          \
    "  --db FILE        the database (default: $EQUIRULE_DB or equirule.db)\n"
#define COMMON_RULES                                                       \
    "  --rules DIR      the rules folder (default: $EQUIRULE_RULES or "    \
    "rules)\n"

static const command commands[] = {
    {"init", cmd_init, "create or upgrade a database",
     "usage: equirule init [--db FILE] [--sample]\n\n"
     "Creates the database, or upgrades one of an older schema version.\n"
     "Only init creates a database; other commands refuse a missing file.\n\n"
     COMMON_DB
     "  --sample         load the built-in Guangdong sample (广东省 and its 21\n"
     "                   cities, 2018-2020) into the new database\n"},
    {"import", cmd_import, "load a CSV file into a data table",
     "usage: equirule import [--db FILE] [--replace] [--dry-run] TABLE "
     "FILE.csv\n\n"
     "Loads FILE.csv into TABLE (region, metric, item, standard, share,\n"
     "transfer, fact), all or nothing. The header names the table's columns\n"
     "in any order; an empty field is NULL. Every error names the file,\n"
     "line and column; up to 20 are listed.\n\n" COMMON_DB
     "  --replace        replace rows whose key the file covers\n"
     "  --dry-run        validate only; change nothing\n"},
    {"run", cmd_run, "evaluate the rules and store the run",
     "usage: equirule run [options]\n\n"
     "Evaluates every rule (or a selection) on the database's data, stores\n"
     "the run with every finding in one transaction, and prints the "
     "summary.\n"
     "Exit status 1 when a finding is fail, missing or error.\n\n" COMMON_DB
         COMMON_RULES
     "  --year Y         evaluate year Y (default: the latest with data)\n"
     "  --years A-B      evaluate the years A to B\n"
     "  --dept D         only the rules of department D (repeatable)\n"
     "  --rule ID        only rule ID (and the rules it needs)\n"
     "  --region CODE    only region CODE\n"
     "  --set RULE.PARAM=VALUE  override a rule's param (repeatable)\n"
     "  --jobs N, -j N   worker count\n"
     "  --max-instructions N  instruction budget per evaluation "
     "(default 50000000)\n"
     "  --max-memory MB  memory limit of the Lua state (default 256)\n"
     "  --timeout S      wall-clock limit per evaluation (default 2)\n"
     "  --format F       text (default) or json\n"},
    {"rules", cmd_rules, "list the rule catalog",
     "usage: equirule rules [--rules DIR] [--format text|md|json]\n\n"
     "Loads every rule file and lists the rules: id, kind, level, item,\n"
     "effective years and title (md and json add the basis).\n\n"
         COMMON_RULES},
    {"lint", cmd_lint, "check every rule without running it",
     "usage: equirule lint [--rules DIR]\n\n"
     "Compiles every rule file in the sandbox and checks each rule against\n"
     "the rule contract. Exit status 1 when a problem is found.\n\n"
         COMMON_RULES},
    {"runs", cmd_runs, "list stored runs",
     "usage: equirule runs [--db FILE] [--format text|json]\n\n"
     "Lists the runs stored in the database with their status, years,\n"
     "counts and digests.\n\n" COMMON_DB},
    {"test", cmd_test, "run the rules' tests",
     "usage: equirule test [PATH...] [--rules DIR] [--filter TEXT] "
     "[--set RULE.PARAM=VALUE] [-v]\n\n"
     "Runs the test files (<name>_test.lua) under each PATH (default: the\n"
     "rules folder). Each case builds its data in an in-memory database and\n"
     "runs the rules of the file under test. Exit status 1 when a case "
     "fails.\n\n" COMMON_RULES
     "  --filter TEXT    only cases whose name contains TEXT\n"
     "  --set R.P=V      override a param in every case\n"
     "  -v, --verbose    list every case\n"},
    {"help", cmd_help, "show help for a command",
     "usage: equirule help [COMMAND]\n"},
};

#undef COMMON_DB
#undef COMMON_RULES

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_usage(FILE *fp)
{
    fprintf(fp,
            "equirule %s - rule evaluator for basic public service "
            "equalization (基本公共服务均等化)\n\n"
            "usage: equirule <command> [options]\n\ncommands:\n",
            ER_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n`equirule help COMMAND` or `equirule COMMAND --help` for "
                "a command's options.\n"
                "exit status: 0 ok; 1 findings or tests failed; 2 usage "
                "error; 3 error\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stdout);
        return EXIT_OK;
    }
    return print_help(argv[1]);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("equirule %s (schema %d, Lua 5.4, SQLite %s)\n", ER_VERSION,
               ER_SCHEMA_VERSION, "3");
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return EXIT_OK;
    }
    const command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "equirule: no command '%s'\n", argv[1]);
        print_usage(stderr);
        return EXIT_USAGE;
    }
    return c->fn(argc - 1, argv + 1);
}
