/*
 * cmd_init.c - `equirule init`: create or upgrade the database, optionally with the sample.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- init ----------------------------------------------------------------- */

int cmd_init(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    bool sample = false;
    static const struct option opts[] = {{"db", required_argument, 0, OPT_DB},
                                         {"sample", no_argument, 0, 's'},
                                         {"help", no_argument, 0, OPT_HELP},
                                         {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"init", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case 's':
            sample = true;
            break;
        default:
            return cli_help_or_bad_option("init", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("init", "unexpected argument '%s'", argv[optind]);
    er_db *db = NULL;
    int from = 0;
    int rc = er_db_init(&db, dbpath, &from);
    if (rc != ER_OK)
        return cli_error_exit(rc);
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
            return cli_error_exit(rc);
        }
        printf("loaded the built-in Guangdong sample (广东省, 21 cities and "
               "the 34 counties of 4 of them, 2018-2020)\n");
    }
    er_db_free(db);
    return EXIT_OK;
}
