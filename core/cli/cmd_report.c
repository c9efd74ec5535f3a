/*
 * cmd_report.c - `equirule report`: render a stored run as HTML, Markdown,
 * CSV, JSON or an Excel workbook, or compare the findings of two stored runs (--compare).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

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
        if (strcmp(dot, exts[i].ext) == 0)
            return exts[i].format;
    return NULL;
}

/* ---- report ------------------------------------------------------------- */

int cmd_report(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *out = NULL, *format = NULL;
    const char *compare = NULL;
    unsigned flags = 0;
    enum { O_EXCEL = 2000, O_COMPARE, O_FORMAT };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"format", required_argument, 0, O_FORMAT},
        {"output", required_argument, 0, 'o'},
        {"excel", no_argument, 0, O_EXCEL},
        {"compare", required_argument, 0, O_COMPARE},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
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
            compare ? "text,md,json,csv" : "html,md,csv,json,text,xlsx",
            &fmt))
        return cli_usage_error("report",
                               compare ? "format '%s': text, md, json or csv"
                                       : "format '%s': html, md, csv, json, "
                                         "text or xlsx",
                               format);
    if ((flags & ER_CSV_EXCEL) && fmt != ER_FORMAT_CSV)
        return cli_usage_error("report", "%s",
                               "--excel goes with --format csv");
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
    if ((rc = er_run_find(db, compare ? compare : argv[optind], &a)) != ER_OK ||
        (compare && (rc = er_run_find(db, argv[optind], &b)) != ER_OK)) {
        er_db_free(db);
        return cli_error_exit(rc);
    }
    if (fmt == ER_FORMAT_XLSX) {
        rc = er_report_write_xlsx(db, a, out);
        er_db_free(db);
        if (rc != ER_OK)
            return cli_error_exit(rc);
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
        rc = er_run_compare(db, a, b, fmt, o.fp, &stats);
    else
        rc = er_report_write(db, a, fmt, flags, o.fp);
    er_db_free(db);
    int status = cli_output_finish(&o, rc);
    if (status != EXIT_OK)
        return status;
    bool to_file = out && strcmp(out, "-") != 0;
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
