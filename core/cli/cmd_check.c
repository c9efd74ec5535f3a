/*
 * cmd_check.c - `equirule check`: the integrity of the data
 * (er_check_integrity) and, when it holds, its completeness: what the
 * rules would not assess and the data they would miss, grouped by metric
 * and region (er_check_gaps, an evaluation that stores nothing), for an
 * administrator after importing.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_check(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *rules = cli_default_rules();
    int year = 0, to = 0;
    enum { O_YEAR = 2000 };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"rules", required_argument, 0, OPT_RULES},
        {"year", required_argument, 0, O_YEAR},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"check", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case OPT_RULES:
            rules = optarg;
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
    /* every row, as a run checks them whatever its years: a check of one
     * year that passed would otherwise promise a run that stops */
    rc = er_check_integrity(db, 0, stdout, &integrity);
    if (rc != ER_OK || integrity.errors) {
        er_db_free(db);
        return rc != ER_OK ? cli_error_exit(rc) : EXIT_ERROR;
    }
    /* the completeness: what the rules need and do not find */
    er_ruleset *rs = NULL;
    if ((rc = er_ruleset_load(&rs, rules)) != ER_OK) {
        er_db_free(db);
        return cli_error_exit(rc);
    }
    size_t broken = cli_print_diags(rs);
    er_run_opts o = {.jobs = ER_JOBS_AUTO, .year_from = year, .year_to = year};
    long counts[ER_OUTCOME_COUNT] = {0};
    rc = er_check_gaps(db, rs, &o, stdout, ER_FORMAT_TEXT, counts);
    er_ruleset_free(rs);
    er_db_free(db);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    return broken ? EXIT_FAILED : EXIT_OK;
}
