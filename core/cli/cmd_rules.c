/*
 * cmd_rules.c - `equirule rules`: the rule catalog, and `lint`: check every rule.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- rules, lint ----------------------------------------------------------------- */

static int rules_common(int argc, char **argv, bool lint)
{
    const char *rules = cli_default_rules();
    er_format fmt = ER_FORMAT_TEXT;
    static const struct option opts[] = {
        {"rules", required_argument, 0, OPT_RULES},
        {"format", required_argument, 0, 'f'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    const char *name = lint ? "lint" : "rules";
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_RULES:
            rules = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                fmt = ER_FORMAT_TEXT;
            else if (strcmp(optarg, "md") == 0)
                fmt = ER_FORMAT_MD;
            else if (strcmp(optarg, "json") == 0)
                fmt = ER_FORMAT_JSON;
            else
                return cli_usage_error(name, "format '%s': text, md or json",
                                   optarg);
            break;
        case OPT_HELP:
            return cli_print_help(name);
        default:
            return cli_usage_error(name, "%s", "bad option");
        }
    }
    if (optind < argc)
        return cli_usage_error(name, "unexpected argument '%s'", argv[optind]);
    er_ruleset *rs = NULL;
    int rc = er_ruleset_load(&rs, rules);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    size_t broken = cli_print_diags(rs);
    if (!lint)
        er_ruleset_print(rs, stdout, fmt);
    else
        printf("%zu rules in %zu files: %s\n", er_ruleset_count(rs),
               er_ruleset_file_count(rs),
               broken ? "problems found (above)" : "ok");
    er_ruleset_free(rs);
    return broken ? (lint ? EXIT_FAILED : EXIT_OK) : EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
    return rules_common(argc, argv, false);
}

int cmd_lint(int argc, char **argv)
{
    return rules_common(argc, argv, true);
}
