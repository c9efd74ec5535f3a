/*
 * cmd_export.c - `equirule export`: write a data table as CSV in the
 * format `equirule import` reads.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- export ------------------------------------------------------------- */

int cmd_export(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *out = NULL;
    unsigned flags = 0;
    enum { O_EXCEL = 2000 };
    static const struct option opts[] = {{"db", required_argument, 0, OPT_DB},
                                         {"output", required_argument, 0, 'o'},
                                         {"excel", no_argument, 0, O_EXCEL},
                                         {"help", no_argument, 0, OPT_HELP},
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case O_EXCEL:
            flags |= ER_CSV_EXCEL;
            break;
        default:
            return cli_help_or_bad_option("export", c);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("export", "%s", "expected one TABLE");
    const char *table = argv[optind];

    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    cli_output o;
    if (!cli_output_open(&o, out)) {
        er_db_free(db);
        return EXIT_ERROR;
    }
    long rows = 0;
    rc = er_export_csv(db, table, o.fp, flags, &rows);
    er_db_free(db);
    int status = cli_output_finish(&o, rc);
    if (status == EXIT_OK && out && strcmp(out, "-") != 0)
        printf("%s: %ld rows of %s\n", out, rows, table);
    return status;
}
