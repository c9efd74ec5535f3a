/*
 * cmd_diff.c - `equirule diff`: the impact of a rule change, base against
 * head, evaluated on the same data. See er_diff_run.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_diff(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    er_diff_opts o = {.head = cli_default_rules()};
    const char *sets[64] = {0}, *base_sets[64] = {0};
    size_t nsets = 0, nbase = 0;
    enum { O_BASE = 2000, O_HEAD, O_YEAR, O_YEARS, O_SET, O_SET_BASE,
           O_FORMAT, O_TIMEOUT, O_CHANGED };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"rules", required_argument, 0, OPT_RULES},
        {"base", required_argument, 0, O_BASE},
        {"head", required_argument, 0, O_HEAD},
        {"year", required_argument, 0, O_YEAR},
        {"years", required_argument, 0, O_YEARS},
        {"set", required_argument, 0, O_SET},
        {"set-base", required_argument, 0, O_SET_BASE},
        {"format", required_argument, 0, O_FORMAT},
        {"timeout", required_argument, 0, O_TIMEOUT},
        {"changed", required_argument, 0, O_CHANGED},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    static const char *const repeatable[] = {"set", "set-base", NULL};
    cli_getopt_state g = {"diff", repeatable, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case OPT_RULES:
        case O_HEAD:
            o.head = optarg;
            break;
        case O_BASE:
            o.base = optarg;
            break;
        case O_YEAR:
        case O_YEARS:
            if (!cli_parse_years(optarg, &o.year_from, &o.year_to) ||
                (c == O_YEAR && o.year_from != o.year_to))
                return cli_usage_error("diff", "bad year or span '%s'",
                                       optarg);
            break;
        case O_SET:
            if (!cli_list_add(sets, ER_ARRAY_LEN_MAIN(sets), &nsets, optarg))
                return cli_usage_error("diff", "%s", "too many --set");
            break;
        case O_SET_BASE:
            if (!cli_list_add(base_sets, ER_ARRAY_LEN_MAIN(base_sets), &nbase,
                              optarg))
                return cli_usage_error("diff", "%s", "too many --set-base");
            break;
        case O_FORMAT:
            if (!cli_parse_format(optarg, "text,md,json,csv", &o.format))
                return cli_usage_error("diff", "format '%s': text, md, json "
                                               "or csv",
                                       optarg);
            break;
        case O_CHANGED:
            if (strcmp(optarg, "any") == 0)
                o.changed = ER_CHANGED_ANY;
            else if (strcmp(optarg, "outcome") == 0)
                o.changed = ER_CHANGED_OUTCOME;
            else
                return cli_usage_error("diff", "--changed '%s': any or outcome",
                                       optarg);
            break;
        case O_TIMEOUT:
            if (!cli_parse_timeout(optarg, &o.timeout))
                return cli_usage_error("diff", CLI_TIMEOUT_USAGE, optarg);
            break;
        default:
            return cli_help_or_bad_option("diff", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("diff", "unexpected argument '%s'",
                               argv[optind]);
    if (!o.base)
        return cli_usage_error("diff", "%s",
                               "--base DIR or --base GIT-REV is required");
    o.sets = nsets ? sets : NULL;
    o.base_sets = nbase ? base_sets : NULL;

    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    er_diff_stats st;
    rc = er_diff_run(db, &o, stdout, &st);
    er_db_free(db);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    return st.changed || st.rules_added || st.rules_removed ? EXIT_FAILED
                                                            : EXIT_OK;
}
