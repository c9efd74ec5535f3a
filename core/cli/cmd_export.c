/*
 * cmd_export.c - `equirule export`: write a data table as CSV in the
 * format `equirule import` reads, or as an Excel workbook.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- export ------------------------------------------------------------- */

int cmd_export(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *out = NULL, *format = NULL;
    unsigned flags = 0;
    enum { O_EXCEL = 2000, O_FORMAT };
    static const struct option opts[] = {{"db", required_argument, 0, OPT_DB},
                                         {"output", required_argument, 0, 'o'},
                                         {"excel", no_argument, 0, O_EXCEL},
                                         {"format", required_argument, 0,
                                          O_FORMAT},
                                         {"help", no_argument, 0, OPT_HELP},
                                         {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"export", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "ho:", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case O_EXCEL:
            flags |= ER_CSV_EXCEL;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        default:
            return cli_help_or_bad_option("export", c);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("export", "%s", "expected one TABLE");
    const char *table = argv[optind];
    const char *dot = out ? strrchr(out, '.') : NULL;
    if (!format)
        format = dot && strcasecmp(dot, ".xlsx") == 0 ? "xlsx" : "csv";
    er_format fmt;
    if (!cli_parse_format(format, "csv,xlsx", &fmt))
        return cli_usage_error("export", "format '%s': csv or xlsx", format);
    if (fmt == ER_FORMAT_XLSX && (flags & ER_CSV_EXCEL))
        return cli_usage_error("export", "%s",
                               "--excel goes with --format csv");
    /* a workbook is a binary file, never for a terminal or a pipe */
    if (fmt == ER_FORMAT_XLSX && (!out || strcmp(out, "-") == 0))
        return cli_usage_error("export", "%s",
                               "--format xlsx writes a workbook to a file: "
                               "give -o FILE.xlsx");

    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    long rows = 0;
    bool to_file = cli_output_is_file(out); /* before writing, see report */
    if (fmt == ER_FORMAT_XLSX) {
        rc = er_export_xlsx(db, table, out, &rows);
        er_db_free(db);
        if (rc != ER_OK)
            return cli_error_exit(rc);
        if (to_file)
            printf("%s: %ld rows of %s\n", out, rows, table);
        return EXIT_OK;
    }
    cli_output o;
    if (!cli_output_open(&o, out)) {
        er_db_free(db);
        return EXIT_ERROR;
    }
    rc = er_export_csv(db, table, o.fp, flags, &rows);
    er_db_free(db);
    int status = cli_output_finish(&o, rc);
    if (status == EXIT_OK && to_file)
        printf("%s: %ld rows of %s\n", out, rows, table);
    return status;
}
