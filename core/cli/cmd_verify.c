/*
 * cmd_verify.c - `equirule verify RUN`: replays a stored run from what the
 * database kept (its data, rule sources and options) and compares every
 * finding with the stored one. See er_verify.
 */
#include "cli.h"

#include <stdlib.h>

int cmd_verify(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    er_verify_opts o = {ER_JOBS_AUTO, 20};
    enum { O_JOBS = 2000, O_RULES, O_SET };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"jobs", required_argument, 0, O_JOBS},
        /* known, to be refused with the reason rather than as unknown */
        {"rules", required_argument, 0, O_RULES},
        {"set", required_argument, 0, O_SET},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"verify", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case O_JOBS:
            if (!cli_parse_jobs(optarg, &o.jobs))
                return cli_usage_error("verify",
                                       "bad --jobs '%s': a whole number "
                                       "from 0 to 256",
                                       optarg);
            break;
        case O_RULES:
            return cli_usage_error("verify", "%s",
                                   "--rules cannot go with verify: the rules "
                                   "stored with the run are replayed");
        case O_SET:
            return cli_usage_error("verify", "%s",
                                   "--set cannot go with verify: the run's "
                                   "own overrides are replayed");
        default:
            return cli_help_or_bad_option("verify", c);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("verify", "%s", "expected one RUN");

    er_db *db = NULL;
    int64_t run;
    er_verify_stats s;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc == ER_OK && (rc = er_run_find(db, argv[optind], &run)) == ER_OK)
        rc = er_verify(db, run, &o, stdout, &s);
    er_db_free(db);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    return s.differing || s.missing || s.extra ? EXIT_FAILED : EXIT_OK;
}
