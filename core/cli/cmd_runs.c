/*
 * cmd_runs.c - `equirule runs`: list the stored runs.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- runs ---------------------------------------------------------------------- */

int cmd_runs(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    er_format fmt = ER_FORMAT_TEXT;
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"format", required_argument, 0, 'f'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"runs", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'f':
            if (!cli_parse_format(optarg, "text,json,csv", &fmt))
                return cli_usage_error("runs",
                                       "format '%s': text, json or csv",
                                       optarg);
            break;
        default:
            return cli_help_or_bad_option("runs", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("runs", "unexpected argument '%s'", argv[optind]);
    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    rc = er_runs_print(db, stdout, fmt);
    er_db_free(db);
    return rc == ER_OK ? EXIT_OK : cli_error_exit(rc);
}
