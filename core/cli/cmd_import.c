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
        default:
            return cli_help_or_bad_option("import", c);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("import", "%s", "expected TABLE FILE.csv");
    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, 0);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    er_import_stats st = {0};
    const char *table = argv[optind], *file = argv[optind + 1];
    rc = er_import_file(db, table, file, flags, &st);
    er_db_free(db);
    if (rc == ER_EDATA) {
        /* the errors, one a line, each naming file:line:column */
        const char *msg = er_errmsg();
        int lines = 1;
        for (const char *p = msg; *p; p++)
            lines += *p == '\n';
        fprintf(stderr, "%s\n", msg);
        if (lines >= ER_IMPORT_MAX_ERRORS)
            fprintf(stderr, "equirule: %s: stopped after %d errors; nothing "
                            "was imported into %s\n",
                    file, lines, table);
        else
            fprintf(stderr, "equirule: %s: %d error%s; nothing was imported "
                            "into %s\n",
                    file, lines, lines == 1 ? "" : "s", table);
        return EXIT_ERROR;
    }
    if (rc != ER_OK)
        return cli_error_exit(rc);
    printf("%s: %ld row%s%s: %ld %s, %ld %s\n", file, st.rows,
           st.rows == 1 ? "" : "s",
           (flags & ER_IMPORT_DRY_RUN) ? " checked (dry run, nothing changed)"
                                       : "",
           st.inserted,
           (flags & ER_IMPORT_DRY_RUN) ? "would be added" : "added",
           st.replaced,
           (flags & ER_IMPORT_DRY_RUN) ? "would be replaced" : "replaced");
    return EXIT_OK;
}
