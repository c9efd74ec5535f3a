/*
 * cmd_import.c - `equirule import`: load a CSV file into a data table.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- import ----------------------------------------------------------------- */

int cmd_import(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    unsigned flags = 0;
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"replace", no_argument, 0, 'r'},
        {"dry-run", no_argument, 0, 'n'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'r':
            flags |= ER_IMPORT_REPLACE;
            break;
        case 'n':
            flags |= ER_IMPORT_DRY_RUN;
            break;
        case OPT_HELP:
            return cli_print_help("import");
        default:
            return cli_usage_error("import", "%s", "bad option");
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("import", "%s", "expected TABLE FILE.csv");
    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, 0);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    er_import_stats st = {0};
    rc = er_import_file(db, argv[optind], argv[optind + 1], flags, &st);
    er_db_free(db);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    printf("%s: %ld rows%s: %ld added, %ld replaced\n", argv[optind + 1],
           st.rows, (flags & ER_IMPORT_DRY_RUN) ? " checked (dry run)" : "",
           st.inserted, st.replaced);
    return EXIT_OK;
}
