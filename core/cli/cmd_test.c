/*
 * cmd_test.c - `equirule test`: run the rules' tests, with line coverage
 * and JUnit XML on request.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- test ---------------------------------------------------------------- */

int cmd_test(int argc, char **argv)
{
    /* without --rules or $EQUIRULE_RULES, the library finds the rules
     * folder that holds the PATHs */
    const char *env_rules = getenv("EQUIRULE_RULES");
    er_test_opts o = {.rules_dir = env_rules && *env_rules ? env_rules
                                                           : NULL};
    const char *sets[64] = {0};
    size_t nsets = 0;
    double min_coverage = -1;
    char *end;
    enum { O_COVERAGE = 2000, O_COV_JSON, O_COV_LCOV, O_MIN_COV, O_JUNIT,
           O_TIMEOUT };
    static const struct option opts[] = {
        {"rules", required_argument, 0, OPT_RULES},
        {"filter", required_argument, 0, 'f'},
        {"set", required_argument, 0, 's'},
        {"verbose", no_argument, 0, 'v'},
        {"coverage", no_argument, 0, O_COVERAGE},
        {"coverage-json", required_argument, 0, O_COV_JSON},
        {"coverage-lcov", required_argument, 0, O_COV_LCOV},
        {"min-coverage", required_argument, 0, O_MIN_COV},
        {"junit", required_argument, 0, O_JUNIT},
        {"timeout", required_argument, 0, O_TIMEOUT},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    static const char *const repeatable[] = {"set", NULL};
    cli_getopt_state g = {"test", repeatable, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "hv", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_RULES:
            o.rules_dir = optarg;
            break;
        case 'f':
            o.filter = optarg;
            break;
        case 's':
            if (!cli_list_add(sets, ER_ARRAY_LEN_MAIN(sets), &nsets, optarg))
                return cli_usage_error("test", "%s", "too many --set");
            break;
        case 'v':
            o.verbose = 1;
            break;
        case O_COVERAGE:
            o.coverage = 1;
            break;
        case O_COV_JSON:
            o.coverage_json = optarg;
            break;
        case O_COV_LCOV:
            o.coverage_lcov = optarg;
            break;
        case O_MIN_COV:
            min_coverage = strtod(optarg, &end);
            if (end == optarg || *end || min_coverage < 0 ||
                min_coverage > 100)
                return cli_usage_error("test", "bad percentage '%s' (0 to "
                                               "100)",
                                       optarg);
            break;
        case O_JUNIT:
            o.junit = optarg;
            break;
        case O_TIMEOUT:
            if (!cli_parse_timeout(optarg, &o.timeout))
                return cli_usage_error("test", CLI_TIMEOUT_USAGE, optarg);
            break;
        default:
            return cli_help_or_bad_option("test", c);
        }
    }
    o.sets = nsets ? sets : NULL;
    /* a minimum needs the measure: show the table with it */
    if (min_coverage >= 0)
        o.coverage = 1;
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
    int status = st.failed ? EXIT_FAILED : EXIT_OK;
    if (min_coverage >= 0) {
        double pct = st.lines_runnable ? 100.0 * (double)st.lines_run /
                                             (double)st.lines_runnable
                                       : 100.0;
        if (pct < min_coverage) {
            fflush(stdout);
            fprintf(stderr, "equirule: line coverage %.1f%% is below "
                            "--min-coverage %g%%\n",
                    pct, min_coverage);
            status = EXIT_FAILED;
        }
    }
    return status;
}
