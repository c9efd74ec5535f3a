/*
 * cmd_publish.c - `equirule publish`: the basic public service list
 * (基本公共服务清单) of a region and a year, as HTML, Markdown, CSV or an
 * Excel workbook, for the public. Options and output as `report`'s.
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
    } exts[] = {{".html", "html"},
                {".htm", "html"},
                {".md", "md"},
                {".csv", "csv"},
                {".xlsx", "xlsx"}};
    const char *dot = path ? strrchr(path, '.') : NULL;
    for (size_t i = 0; dot && i < ER_ARRAY_LEN_MAIN(exts); i++)
        if (strcasecmp(dot, exts[i].ext) == 0)
            return exts[i].format;
    return NULL;
}

int cmd_publish(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *out = NULL, *format = NULL;
    er_publish_opts po = {0};
    unsigned flags = 0;
    enum { O_EXCEL = 2000, O_FORMAT, O_REGION, O_YEAR };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"format", required_argument, 0, O_FORMAT},
        {"output", required_argument, 0, 'o'},
        {"excel", no_argument, 0, O_EXCEL},
        {"region", required_argument, 0, O_REGION},
        {"year", required_argument, 0, O_YEAR},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"publish", NULL, {{0}}, 0};
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
        case O_REGION:
            po.region = optarg;
            break;
        case O_YEAR: {
            int to = 0;
            if (!cli_parse_years(optarg, &po.year, &to) || to != po.year)
                return cli_usage_error("publish", "bad year '%s'", optarg);
            break;
        }
        default:
            return cli_help_or_bad_option("publish", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("publish", "unexpected argument '%s'",
                               argv[optind]);
    if (!format)
        format = format_of_path(out);
    if (!format)
        format = "html";
    er_format fmt;
    if (!cli_parse_format(format, "html,md,csv,xlsx", &fmt))
        return cli_usage_error("publish", "format '%s': html, md, csv or xlsx",
                               format);
    if ((flags & ER_CSV_EXCEL) && fmt != ER_FORMAT_CSV)
        return cli_usage_error("publish", "%s",
                               "--excel goes with --format csv");
    /* a workbook is a binary file, never for a terminal or a pipe */
    if (fmt == ER_FORMAT_XLSX && (!out || strcmp(out, "-") == 0))
        return cli_usage_error("publish", "%s",
                               "--format xlsx writes a workbook to a file: "
                               "give -o FILE.xlsx");

    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    /* decided before writing: a line after a workbook written through
     * /dev/stdout would spoil it */
    bool to_file = cli_output_is_file(out);
    char *title = NULL;
    if (fmt == ER_FORMAT_XLSX) {
        rc = er_publish_write_xlsx(db, &po, out, &title);
        er_db_free(db);
        if (rc != ER_OK)
            return cli_error_exit(rc);
        if (to_file)
            printf("%s: %s (xlsx)\n", out, title);
        free(title);
        return EXIT_OK;
    }
    cli_output o;
    if (!cli_output_open(&o, out)) {
        er_db_free(db);
        return EXIT_ERROR;
    }
    rc = er_publish_write(db, &po, fmt, flags, o.fp, &title);
    er_db_free(db);
    int status = cli_output_finish(&o, rc);
    if (status == EXIT_OK && to_file)
        printf("%s: %s (%s)\n", out, title, format);
    free(title);
    return status;
}
