/*
 * cmd_test.c - `equirule test`: run the rules' tests.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- test ---------------------------------------------------------------------- */

int cmd_test(int argc, char **argv)
{
    er_test_opts o = {.rules_dir = cli_default_rules()};
    const char *sets[64] = {0};
    size_t nsets = 0;
    static const struct option opts[] = {
        {"rules", required_argument, 0, OPT_RULES},
        {"filter", required_argument, 0, 'f'},
        {"set", required_argument, 0, 's'},
        {"verbose", no_argument, 0, 'v'},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "hv", opts, NULL)) != -1) {
        switch (c) {
        case OPT_RULES:
            o.rules_dir = optarg;
            break;
        case 'f':
            o.filter = optarg;
            break;
        case 's':
            if (nsets + 1 >= ER_ARRAY_LEN_MAIN(sets))
                return cli_usage_error("test", "%s", "too many --set");
            sets[nsets++] = optarg;
            break;
        case 'v':
            o.verbose = 1;
            break;
        case OPT_HELP:
            return cli_print_help("test");
        default:
            return cli_usage_error("test", "%s", "bad option");
        }
    }
    o.sets = nsets ? sets : NULL;
    const char **paths = NULL;
    if (optind < argc) {
        paths = calloc((size_t)(argc - optind) + 1, sizeof *paths);
        if (!paths)
            return EXIT_ERROR;
        for (int i = optind; i < argc; i++)
            paths[i - optind] = argv[i];
    }
    er_test_stats st = {0};
    int rc = er_test_run(paths, &o, stdout, &st);
    free(paths);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    return st.failed ? EXIT_FAILED : EXIT_OK;
}
