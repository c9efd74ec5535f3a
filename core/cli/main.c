/*
 * main.c - the equirule command line: the table of commands and dispatch.
 * Each command parses its options in its own file (cmd_<name>.c) and calls
 * the library; none holds logic a test would need. See include/equirule.h.
 *
 * Exit status: 0 done and nothing failed; 1 done and findings or tests
 * failed; 2 usage error; 3 bad data, bad rule or another error that stopped
 * the command.
 */
#include "cli.h"

#include <lua.h>
#include <sqlite3.h>
#include <string.h>

static int cmd_help(int argc, char **argv);

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
     "  --jobs N, -j N   worker processes (default: one per core; 0 = none,\n"
     "                   evaluate in this process without isolation)\n"
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

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < ER_ARRAY_LEN_MAIN(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_print_help(const char *name)
{
    const command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "equirule: no command '%s'\n", name);
        return EXIT_USAGE;
    }
    printf("%s", c->usage);
    return EXIT_OK;
}
static void print_usage(FILE *fp)
{
    fprintf(fp,
            "equirule %s - rule evaluator for basic public service "
            "equalization (基本公共服务均等化)\n\n"
            "usage: equirule <command> [options]\n\ncommands:\n",
            ER_VERSION);
    for (size_t i = 0; i < ER_ARRAY_LEN_MAIN(commands); i++)
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
    return cli_print_help(argv[1]);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("equirule %s (schema %d, %s, SQLite %s)\n", ER_VERSION,
               ER_SCHEMA_VERSION, LUA_RELEASE, sqlite3_libversion());
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
