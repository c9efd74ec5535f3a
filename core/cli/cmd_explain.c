/*
 * cmd_explain.c - `equirule explain RULE REGION`: one evaluation, traced.
 * See er_explain.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_explain(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *rules = cli_default_rules();
    er_explain_opts o = {0};
    const char *sets[64] = {0};
    size_t nsets = 0;
    double timeout = 0;
    const char *run = NULL;
    enum { O_YEAR = 2000, O_SET, O_FORMAT, O_TIMEOUT, O_RUN };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"rules", required_argument, 0, OPT_RULES},
        {"year", required_argument, 0, O_YEAR},
        {"set", required_argument, 0, O_SET},
        {"format", required_argument, 0, O_FORMAT},
        {"timeout", required_argument, 0, O_TIMEOUT},
        {"run", required_argument, 0, O_RUN},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c, to;
    static const char *const repeatable[] = {"set", NULL};
    cli_getopt_state g = {"explain", repeatable, {{0}}, 0};
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
            if (!cli_parse_years(optarg, &o.year, &to) || to != o.year)
                return cli_usage_error("explain", "bad year '%s'", optarg);
            break;
        case O_SET:
            if (!cli_list_add(sets, ER_ARRAY_LEN_MAIN(sets), &nsets, optarg))
                return cli_usage_error("explain", "%s", "too many --set");
            break;
        case O_FORMAT:
            if (!cli_parse_format(optarg, "text,json", &o.format))
                return cli_usage_error("explain", "format '%s': text or json",
                                       optarg);
            break;
        case O_TIMEOUT:
            if (!cli_parse_timeout(optarg, &timeout))
                return cli_usage_error("explain", CLI_TIMEOUT_USAGE, optarg);
            break;
        case O_RUN:
            run = optarg;
            break;
        default:
            return cli_help_or_bad_option("explain", c);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("explain", "%s",
                               "expected a rule id and a region code");
    o.rule = argv[optind];
    o.region = argv[optind + 1];
    o.sets = nsets ? sets : NULL;
    if (run && o.format == ER_FORMAT_JSON)
        return cli_usage_error("explain", "%s",
                               "--run explains as text only");

    er_db *db = NULL;
    er_ruleset *rs = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    if (run) { /* the run's own rules and overrides */
        int64_t id;
        if (nsets) {
            er_db_free(db);
            return cli_usage_error("explain", "%s",
                                   "--set goes without --run: a run's "
                                   "explanation uses the run's overrides");
        }
        if ((rc = er_run_find(db, run, &id)) == ER_OK)
            rc = er_explain_run(db, id, &o, stdout);
        er_db_free(db);
        return rc == ER_OK ? EXIT_OK : cli_error_exit(rc);
    }
    if ((rc = er_ruleset_load_timeout(&rs, rules, timeout)) != ER_OK) {
        er_db_free(db);
        return cli_error_exit(rc);
    }
    cli_print_diags(rs);
    rc = er_explain(db, rs, &o, stdout);
    er_ruleset_free(rs);
    er_db_free(db);
    return rc == ER_OK ? EXIT_OK : cli_error_exit(rc);
}
