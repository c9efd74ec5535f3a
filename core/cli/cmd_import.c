/*
 * cmd_import.c - `equirule import`: load a CSV file into a data table.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- import ----------------------------------------------------------------- */

/* The flag of an --encoding name (any case), or 0 when it names none. */
static unsigned encoding_flag(const char *name)
{
    static const struct {
        const char *name;
        unsigned flag;
    } names[] = {{"utf-8", ER_IMPORT_UTF8},
                 {"utf8", ER_IMPORT_UTF8},
                 {"gbk", ER_IMPORT_GB18030},
                 {"gb18030", ER_IMPORT_GB18030},
                 {"gb2312", ER_IMPORT_GB18030},
                 {"cp936", ER_IMPORT_GB18030}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(names[i].name, name) == 0)
            return names[i].flag;
    return 0;
}

int cmd_import(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    unsigned flags = 0, encoding = 0;
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"replace", no_argument, 0, 'r'},
        {"dry-run", no_argument, 0, 'n'},
        {"encoding", required_argument, 0, 'e'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"import", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'r':
            flags |= ER_IMPORT_REPLACE;
            break;
        case 'n':
            flags |= ER_IMPORT_DRY_RUN;
            break;
        case 'e':
            if (!(encoding = encoding_flag(optarg)))
                return cli_usage_error("import",
                                       "unknown encoding '%s'; --encoding "
                                       "takes utf-8, gbk or gb18030",
                                       optarg);
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
    rc = er_import_file(db, table, file, flags | encoding, &st);
    er_db_free(db);
    if (rc == ER_EDATA) {
        /* the errors, one a line, each naming file:line:column */
        const char *msg = er_errmsg();
        char how[32] = "";
        int lines = 1;
        for (const char *p = msg; *p; p++)
            lines += *p == '\n';
        if (st.encoding)
            snprintf(how, sizeof how, " (read as %s)", st.encoding);
        fprintf(stderr, "%s\n", msg);
        if (lines >= ER_IMPORT_MAX_ERRORS)
            fprintf(stderr, "equirule: %s%s: stopped after %d errors; "
                            "nothing was imported into %s\n",
                    file, how, lines, table);
        else
            fprintf(stderr, "equirule: %s%s: %d error%s; nothing was "
                            "imported into %s\n",
                    file, how, lines, lines == 1 ? "" : "s", table);
        return EXIT_ERROR;
    }
    if (rc != ER_OK)
        return cli_error_exit(rc);
    char blank[64] = "";
    if (st.blank)
        snprintf(blank, sizeof blank, "; %ld blank row%s skipped", st.blank,
                 st.blank == 1 ? "" : "s");
    printf("%s: read as %s, %ld row%s%s: %ld %s, %ld %s%s\n", file,
           st.encoding ? st.encoding : "UTF-8", st.rows,
           st.rows == 1 ? "" : "s",
           (flags & ER_IMPORT_DRY_RUN) ? " checked (dry run, nothing changed)"
                                       : "",
           st.inserted,
           (flags & ER_IMPORT_DRY_RUN) ? "would be added" : "added",
           st.replaced,
           (flags & ER_IMPORT_DRY_RUN) ? "would be replaced" : "replaced",
           blank);
    if (st.emptied) /* a file without some columns, replacing */
        printf("%s: the file has no column %s: %ld replaced row%s that "
               "held a value there %s\n",
               file, st.emptied_columns, st.emptied,
               st.emptied == 1 ? "" : "s",
               (flags & ER_IMPORT_DRY_RUN) ? "would be empty"
               : st.emptied == 1
                   ? "is now empty (the value before is kept: `equirule log`)"
                   : "are now empty (the values before are kept: `equirule "
                     "log`)");
    if (st.unchanged) /* rows imported again as they are stored */
        printf("%s: %ld row%s already in the database, unchanged (not "
               "imported)\n",
               file, st.unchanged, st.unchanged == 1 ? "" : "s");
    if (st.skipped) /* rows of a template not filled in */
        printf("%s: %ld row%s without a value skipped (not imported)\n", file,
               st.skipped, st.skipped == 1 ? "" : "s");
    return EXIT_OK;
}
