/*
 * cmd_rules.c - `equirule rules`: the rule catalog, and `lint`: check every
 * rule, against the database's catalog when one is at hand.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- rules --------------------------------------------------------------- */

int cmd_rules(int argc, char **argv)
{
    const char *rules = cli_default_rules();
    er_format fmt = ER_FORMAT_TEXT;
    double timeout = 0;
    enum { O_TIMEOUT = 2000 };
    static const struct option opts[] = {
        {"rules", required_argument, 0, OPT_RULES},
        {"format", required_argument, 0, 'f'},
        {"timeout", required_argument, 0, O_TIMEOUT},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"rules", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_RULES:
            rules = optarg;
            break;
        case 'f':
            if (!cli_parse_format(optarg, "text,md,json", &fmt))
                return cli_usage_error("rules", "format '%s': text, md or "
                                                "json",
                                       optarg);
            break;
        case O_TIMEOUT:
            if (!cli_parse_timeout(optarg, &timeout))
                return cli_usage_error("rules", CLI_TIMEOUT_USAGE, optarg);
            break;
        default:
            return cli_help_or_bad_option("rules", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("rules", "unexpected argument '%s'",
                               argv[optind]);
    er_ruleset *rs = NULL;
    int rc = er_ruleset_load_timeout(&rs, rules, timeout);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    cli_print_diags(rs);
    er_ruleset_print(rs, stdout, fmt);
    er_ruleset_free(rs);
    return EXIT_OK;
}

/* ---- lint ---------------------------------------------------------------- */

int cmd_lint(int argc, char **argv)
{
    const char *rules = cli_default_rules(), *dbpath = NULL;
    er_lint_opts o = {0};
    double timeout = 0;
    enum { O_NO_EVAL = 2000, O_TIMEOUT, O_STRICT };
    static const struct option opts[] = {
        {"rules", required_argument, 0, OPT_RULES},
        {"db", required_argument, 0, OPT_DB},
        {"no-eval", no_argument, 0, O_NO_EVAL},
        {"strict", no_argument, 0, O_STRICT},
        {"timeout", required_argument, 0, O_TIMEOUT},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"lint", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_RULES:
            rules = optarg;
            break;
        case OPT_DB:
            dbpath = optarg;
            break;
        case O_NO_EVAL:
            o.no_eval = 1;
            break;
        case O_STRICT:
            o.strict = 1;
            break;
        case O_TIMEOUT:
            if (!cli_parse_timeout(optarg, &timeout))
                return cli_usage_error("lint", CLI_TIMEOUT_USAGE, optarg);
            break;
        default:
            return cli_help_or_bad_option("lint", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("lint", "unexpected argument '%s'",
                               argv[optind]);
    /* a database given must open; the default one is used when it exists
     * (er_lint warns when there is none) */
    er_db *db = NULL;
    struct stat st;
    const char *path = dbpath ? dbpath : cli_default_db();
    if (dbpath || !*path || stat(path, &st) == 0) {
        int rc = er_db_open(&db, path, ER_DB_READONLY);
        if (rc != ER_OK)
            return cli_error_exit(rc);
    }
    o.db = db;
    er_ruleset *rs = NULL;
    int rc = er_ruleset_load_timeout(&rs, rules, timeout);
    if (rc != ER_OK) {
        er_db_free(db);
        return cli_error_exit(rc);
    }
    er_lint_stats ls = {0};
    rc = er_lint(rs, &o, stdout, &ls);
    er_ruleset_free(rs);
    er_db_free(db);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    /* an error is a bad rule: the status of a command stopped by one */
    return ls.errors ? EXIT_ERROR : EXIT_OK;
}
