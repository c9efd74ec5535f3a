/*
 * cmd_check.c - `equirule check`: the integrity of the data, without a
 * run (er_check_integrity), for an administrator after importing.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_check(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    int year = 0, to = 0;
    enum { O_YEAR = 2000 };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"year", required_argument, 0, O_YEAR},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            dbpath = optarg;
            break;
        case O_YEAR:
            if (!cli_parse_years(optarg, &year, &to) || to != year)
                return cli_usage_error("check", "bad year '%s'", optarg);
            break;
        default:
            return cli_help_or_bad_option("check", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("check", "unexpected argument '%s'",
                               argv[optind]);
    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    er_check_result integrity;
    rc = er_check_integrity(db, year, stdout, &integrity);
    /* the completeness of the data (what the rules need and do not find,
     * grouped by metric and region) is reported here, after the
     * integrity */
    er_db_free(db);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    return integrity.errors ? EXIT_ERROR : EXIT_OK;
}
