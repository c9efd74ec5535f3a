/*
 * cmd_log.c - `equirule log`: the data versions (every import is one),
 * one fact's history (--fact), and the pruning of history no kept run
 * needs (--prune).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- log --------------------------------------------------------------------- */

int cmd_log(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    er_format fmt = ER_FORMAT_TEXT;
    bool fact = false, prune = false, dry_run = false;
    enum { O_FACT = 2000, O_PRUNE, O_DRY_RUN };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"format", required_argument, 0, 'f'},
        {"fact", no_argument, 0, O_FACT},
        {"prune", no_argument, 0, O_PRUNE},
        {"dry-run", no_argument, 0, O_DRY_RUN},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"log", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'f':
            if (!cli_parse_format(optarg, "text,json", &fmt))
                return cli_usage_error("log", "format '%s': text or json",
                                       optarg);
            break;
        case O_FACT:
            fact = true;
            break;
        case O_PRUNE:
            prune = true;
            break;
        case O_DRY_RUN:
            dry_run = true;
            break;
        default:
            return cli_help_or_bad_option("log", c);
        }
    }
    if (fact && prune)
        return cli_usage_error("log", "%s", "--fact and --prune go apart");
    if (dry_run && !prune)
        return cli_usage_error("log", "%s", "--dry-run goes with --prune");
    int year = 0, to = 0;
    if (fact) {
        if (argc - optind != 3)
            return cli_usage_error("log", "%s",
                                   "--fact takes REGION METRIC YEAR");
        if (!cli_parse_years(argv[optind + 2], &year, &to) || to != year)
            return cli_usage_error("log", "bad year '%s'", argv[optind + 2]);
    } else if (optind < argc) {
        return cli_usage_error("log", "unexpected argument '%s'",
                               argv[optind]);
    }
    er_db *db = NULL;
    /* a dry run of --prune writes and rolls back */
    int rc = er_db_open(&db, dbpath, prune ? 0 : ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    if (prune) {
        er_prune_stats st = {0, 0, 0};
        rc = er_data_prune(db, dry_run, &st);
        if (rc == ER_OK)
            printf("%s%ld replaced or deleted row%s no kept run read "
                   "dropped, %ld kept; %ld version%s can no longer be "
                   "rebuilt (marked pruned)\n",
                   dry_run ? "dry run, nothing changed: " : "", st.rows,
                   st.rows == 1 ? "" : "s", st.kept, st.versions,
                   st.versions == 1 ? "" : "s");
    } else if (fact) {
        rc = er_data_fact_print(db, argv[optind], argv[optind + 1], year,
                                stdout, fmt);
    } else {
        rc = er_data_log_print(db, stdout, fmt);
    }
    er_db_free(db);
    return rc == ER_OK ? EXIT_OK : cli_error_exit(rc);
}
