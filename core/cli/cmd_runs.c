/*
 * cmd_runs.c - `equirule runs`: list the stored runs, or delete some.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Most runs one --delete names (a range counts each id). */
#define MAX_DELETE 100000

/* Parses "3", "3,5,7", "2-6" or "1-3,7" into *ids_out (the caller frees
 * it); false when it is not such a list. */
static bool parse_runs(const char *s, int64_t **ids_out, size_t *n_out)
{
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    const char *p = s;
    for (;;) {
        char *end;
        long long a, b;
        if (*p < '0' || *p > '9')
            goto bad;
        errno = 0;
        a = strtoll(p, &end, 10);
        b = a;
        if (errno || a < 1)
            goto bad;
        p = end;
        if (*p == '-') {
            p++;
            if (*p < '0' || *p > '9')
                goto bad;
            b = strtoll(p, &end, 10);
            if (errno || b < a)
                goto bad;
            p = end;
        }
        if ((size_t)(b - a) >= MAX_DELETE - n)
            goto bad;
        for (long long i = a; i <= b; i++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                int64_t *more = realloc(ids, cap * sizeof *more);
                if (!more)
                    goto bad;
                ids = more;
            }
            ids[n++] = i;
        }
        if (*p == '\0')
            break;
        if (*p++ != ',')
            goto bad;
    }
    *ids_out = ids;
    *n_out = n;
    return true;
bad:
    free(ids);
    return false;
}

/* ---- runs ---------------------------------------------------------------------- */

int cmd_runs(int argc, char **argv)
{
    const char *dbpath = cli_default_db();
    const char *del = NULL;
    er_format fmt = ER_FORMAT_TEXT;
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"format", required_argument, 0, 'f'},
        {"delete", required_argument, 0, 'd'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"runs", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "h", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case 'f':
            if (!cli_parse_format(optarg, "text,json,csv", &fmt))
                return cli_usage_error("runs",
                                       "format '%s': text, json or csv",
                                       optarg);
            break;
        case 'd':
            del = optarg;
            break;
        default:
            return cli_help_or_bad_option("runs", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("runs", "unexpected argument '%s'", argv[optind]);
    int64_t *ids = NULL;
    size_t n = 0;
    if (del && !parse_runs(del, &ids, &n))
        return cli_usage_error("runs",
                               "bad --delete '%s': a run id, a list 3,5,7 "
                               "or a range 2-6",
                               del);
    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, del ? 0 : ER_DB_READONLY);
    if (rc != ER_OK) {
        free(ids);
        return cli_error_exit(rc);
    }
    if (del) {
        long deleted = 0;
        rc = er_runs_delete(db, ids, n, &deleted);
        if (rc == ER_OK)
            printf("deleted %ld run%s (%s) with all their rows\n", deleted,
                   deleted == 1 ? "" : "s", del);
    } else {
        rc = er_runs_print(db, stdout, fmt);
    }
    free(ids);
    er_db_free(db);
    return rc == ER_OK ? EXIT_OK : cli_error_exit(rc);
}
