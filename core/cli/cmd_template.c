/*
 * cmd_template.c - `equirule template`: the fact CSV the rules need, to
 * fill in and import (er_template), or with --list what each rule reads.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_template(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *rules = cli_default_rules();
    const char *out = NULL, *depts[33] = {0};
    size_t ndepts = 0;
    bool db_given = false;
    double timeout = 0;
    er_template_opts t = {0};
    enum { O_YEAR = 2000, O_YEARS, O_DEPT, O_LEVEL, O_LIST, O_FORMAT,
           O_TIMEOUT };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"rules", required_argument, 0, OPT_RULES},
        {"year", required_argument, 0, O_YEAR},
        {"years", required_argument, 0, O_YEARS},
        {"dept", required_argument, 0, O_DEPT},
        {"level", required_argument, 0, O_LEVEL},
        {"list", no_argument, 0, O_LIST},
        {"format", required_argument, 0, O_FORMAT},
        {"output", required_argument, 0, 'o'},
        {"timeout", required_argument, 0, O_TIMEOUT},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    static const char *const repeatable[] = {"dept", NULL};
    cli_getopt_state g = {"template", repeatable, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "ho:", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            db_given = true;
            break;
        case OPT_RULES:
            rules = optarg;
            break;
        case O_YEAR:
            if (!cli_parse_years(optarg, &t.year_from, &t.year_to) ||
                t.year_to != t.year_from)
                return cli_usage_error("template", "bad year '%s'", optarg);
            break;
        case O_YEARS:
            if (!cli_parse_years(optarg, &t.year_from, &t.year_to))
                return cli_usage_error("template", "bad years '%s'", optarg);
            break;
        case O_DEPT:
            if (!cli_list_add(depts, ER_ARRAY_LEN_MAIN(depts), &ndepts,
                              optarg))
                return cli_usage_error("template", "too many --dept (%s)",
                                       optarg);
            break;
        case O_LEVEL:
            t.level = optarg;
            break;
        case O_LIST:
            t.list = 1;
            break;
        case O_FORMAT:
            if (!cli_parse_format(optarg, "text,md", &t.format))
                return cli_usage_error("template",
                                       "bad format '%s': text or md", optarg);
            break;
        case 'o':
            out = optarg;
            break;
        case O_TIMEOUT:
            if (!cli_parse_timeout(optarg, &timeout))
                return cli_usage_error("template", CLI_TIMEOUT_USAGE, optarg);
            break;
        default:
            return cli_help_or_bad_option("template", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("template", "unexpected argument '%s'",
                               argv[optind]);
    if (t.format != ER_FORMAT_TEXT && !t.list)
        return cli_usage_error("template", "%s",
                               "--format is for --list (the template is CSV)");
    t.depts = ndepts ? depts : NULL;

    /* the listing reads names from a database when there is one */
    er_db *db = NULL;
    int rc = ER_OK;
    if (!t.list || db_given || access(dbpath, F_OK) == 0)
        rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    er_ruleset *rs = NULL;
    if ((rc = er_ruleset_load_timeout(&rs, rules, timeout)) != ER_OK) {
        er_db_free(db);
        return cli_error_exit(rc);
    }
    size_t broken = cli_print_diags(rs);
    if (broken)
        fprintf(stderr, "equirule: %zu rule file%s did not load: what %s "
                        "read is not in the template\n",
                broken, broken == 1 ? "" : "s", broken == 1 ? "it would" : "they would");
    cli_output o;
    if (!cli_output_open(&o, out)) {
        er_ruleset_free(rs);
        er_db_free(db);
        return EXIT_ERROR;
    }
    er_template_stats st;
    rc = er_template(db, rs, &t, o.fp, stderr, &st);
    er_ruleset_free(rs);
    er_db_free(db);
    int status = cli_output_finish(&o, rc);
    /* an incomplete template is not a success */
    if (status == EXIT_OK && (broken || st.dropped))
        status = EXIT_FAILED;
    return status;
}
