/*
 * cmd_report.c - `equirule report`: render a stored run as HTML, Markdown,
 * CSV, JSON or an Excel workbook, or compare the findings of two stored runs (--compare).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The format a file name's extension names, or NULL. */
static const char *format_of_path(const char *path)
{
    static const struct {
        const char *ext, *format;
    } exts[] = {{".html", "html"}, {".htm", "html"},  {".md", "md"},
                {".csv", "csv"},   {".json", "json"}, {".txt", "text"},
                {".xlsx", "xlsx"}};
    const char *dot = path ? strrchr(path, '.') : NULL;
    for (size_t i = 0; dot && i < ER_ARRAY_LEN_MAIN(exts); i++)
        if (strcasecmp(dot, exts[i].ext) == 0)
            return exts[i].format;
    return NULL;
}

/* ---- report ------------------------------------------------------------- */

int cmd_report(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *out = NULL, *format = NULL;
    const char *compare = NULL, *changed = "any";
    const char *regions[64] = {0}, *depts[64] = {0}, *rules[64] = {0};
    size_t nregions = 0, ndepts = 0, nrules = 0;
    er_report_filter filter = {0};
    unsigned flags = 0;
    enum { O_EXCEL = 2000, O_COMPARE, O_FORMAT, O_REGION, O_DEPT, O_RULE,
           O_YEAR, O_OUTCOME, O_FAILING, O_CHANGED };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"format", required_argument, 0, O_FORMAT},
        {"output", required_argument, 0, 'o'},
        {"excel", no_argument, 0, O_EXCEL},
        {"compare", required_argument, 0, O_COMPARE},
        {"region", required_argument, 0, O_REGION},
        {"dept", required_argument, 0, O_DEPT},
        {"rule", required_argument, 0, O_RULE},
        {"year", required_argument, 0, O_YEAR},
        {"outcome", required_argument, 0, O_OUTCOME},
        {"failing", no_argument, 0, O_FAILING},
        {"changed", required_argument, 0, O_CHANGED},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    static const char *const repeatable[] = {"region", "dept", "rule",
                                             "outcome", NULL};
    cli_getopt_state g = {"report", repeatable, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "ho:", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case O_EXCEL:
            flags |= ER_CSV_EXCEL;
            break;
        case O_COMPARE:
            compare = optarg;
            break;
        case O_REGION:
            if (!cli_list_add(regions, ER_ARRAY_LEN_MAIN(regions), &nregions,
                              optarg))
                return cli_usage_error("report", "%s", "too many --region");
            break;
        case O_DEPT:
            if (!cli_list_add(depts, ER_ARRAY_LEN_MAIN(depts), &ndepts,
                              optarg))
                return cli_usage_error("report", "%s", "too many --dept");
            break;
        case O_RULE:
            if (!cli_list_add(rules, ER_ARRAY_LEN_MAIN(rules), &nrules,
                              optarg))
                return cli_usage_error("report", "%s", "too many --rule");
            break;
        case O_YEAR: {
            int to = 0;
            if (!cli_parse_years(optarg, &filter.year, &to) ||
                to != filter.year)
                return cli_usage_error("report", "bad year '%s'", optarg);
            break;
        }
        case O_OUTCOME:
            if (er_outcomes_parse(optarg, &filter.outcomes) != ER_OK)
                return cli_usage_error("report", "%s", er_errmsg());
            break;
        case O_FAILING:
            filter.outcomes |= ER_OUTCOMES_FAILING;
            break;
        case O_CHANGED:
            if (strcmp(optarg, "any") != 0 && strcmp(optarg, "outcome") != 0)
                return cli_usage_error("report",
                                       "--changed '%s': any or outcome",
                                       optarg);
            changed = optarg;
            break;
        default:
            return cli_help_or_bad_option("report", c);
        }
    }
    int nargs = argc - optind;
    if (compare ? nargs != 1 : nargs > 1)
        return cli_usage_error("report", "%s",
                               compare ? "--compare takes two runs: "
                                         "--compare RUN_A RUN_B"
                                       : "expected at most one RUN");
    if (!format)
        format = format_of_path(out);
    if (!format)
        format = compare ? "text" : "html";
    er_format fmt;
    if (!cli_parse_format(
            format,
            compare ? "text,md,json,csv,html" : "html,md,csv,json,text,xlsx",
            &fmt))
        return cli_usage_error("report",
                               compare ? "format '%s': text, md, json, csv "
                                         "or html"
                                       : "format '%s': html, md, csv, json, "
                                         "text or xlsx",
                               format);
    if ((flags & ER_CSV_EXCEL) && fmt != ER_FORMAT_CSV)
        return cli_usage_error("report", "%s",
                               "--excel goes with --format csv");
    if (!compare && strcmp(changed, "any") != 0)
        return cli_usage_error("report", "%s",
                               "--changed goes with --compare");
    filter.regions = nregions ? regions : NULL;
    filter.depts = ndepts ? depts : NULL;
    filter.rules = nrules ? rules : NULL;
    if ((flags & ER_CSV_EXCEL) && compare) /* it would be ignored */
        return cli_usage_error("report", "%s",
                               "--excel goes with a run's report, not "
                               "--compare");

    /* a workbook is a binary file, never for a terminal or a pipe */
    if (fmt == ER_FORMAT_XLSX && (!out || strcmp(out, "-") == 0))
        return cli_usage_error("report", "%s",
                               "--format xlsx writes a workbook to a file: "
                               "give -o FILE.xlsx");

    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    int64_t a = 0, b = 0;
    if (!compare && nargs == 0) {
        /* no run named: the latest full run, and say which */
        char *scope = NULL;
        if ((rc = er_run_default(db, &a, &scope)) != ER_OK) {
            er_db_free(db);
            return cli_error_exit(rc);
        }
        if (scope)
            fprintf(stderr,
                    "equirule: no full run stored; report of run %lld, the "
                    "latest run, partial: %s\n",
                    (long long)a, scope);
        else
            fprintf(stderr,
                    "equirule: report of run %lld, the latest full run\n",
                    (long long)a);
        free(scope);
    } else if ((rc = er_run_find(db, compare ? compare : argv[optind], &a)) !=
                   ER_OK ||
               (compare && (rc = er_run_find(db, argv[optind], &b)) != ER_OK)) {
        er_db_free(db);
        return cli_error_exit(rc);
    }
    /* decided before writing: a line after a workbook written through
     * /dev/stdout would spoil it */
    bool to_file = cli_output_is_file(out);
    if (fmt == ER_FORMAT_XLSX) {
        rc = er_report_write_xlsx(db, a, &filter, out);
        er_db_free(db);
        if (rc != ER_OK)
            return cli_error_exit(rc);
        if (to_file)
            printf("%s: report of run %lld (xlsx)\n", out, (long long)a);
        return EXIT_OK;
    }
    cli_output o;
    if (!cli_output_open(&o, out)) {
        er_db_free(db);
        return EXIT_ERROR;
    }
    er_compare_stats stats = {0};
    if (compare)
        rc = er_run_compare_filtered(db, a, b, &filter,
                                     strcmp(changed, "outcome") == 0
                                         ? ER_CHANGED_OUTCOME
                                         : ER_CHANGED_ANY,
                                     fmt, o.fp, &stats);
    else
        rc = er_report_write_filtered(db, a, &filter, fmt, flags, o.fp);
    er_db_free(db);
    int status = cli_output_finish(&o, rc);
    if (status != EXIT_OK)
        return status;
    if (compare) {
        if (to_file)
            printf("%s: run %lld → run %lld: %ld changed, %ld added, %ld "
                   "removed\n",
                   out, (long long)a, (long long)b, stats.changed, stats.added,
                   stats.removed);
        return stats.changed || stats.added || stats.removed ? EXIT_FAILED
                                                             : EXIT_OK;
    }
    if (to_file)
        printf("%s: report of run %lld (%s)\n", out, (long long)a, format);
    return EXIT_OK;
}
