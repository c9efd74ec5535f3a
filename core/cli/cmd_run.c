/*
 * cmd_run.c - `equirule run`: evaluate the rules, store the run and print its summary.
 */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* ---- run ---------------------------------------------------------------------- */

int cmd_run(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *rules = cli_default_rules();
    const char *format = "text";
    er_run_opts o = {.jobs = ER_JOBS_AUTO};
    cli_progress_line progress = {.fp = stderr};
    er_run_stats stats = {0};
    const char *depts[64] = {0}, *sets[64] = {0};
    size_t ndepts = 0, nsets = 0;
    enum { O_YEAR = 2000, O_YEARS, O_DEPT, O_RULE, O_REGION, O_SET, O_JOBS,
           O_FORMAT, O_MAXI, O_MAXM, O_TIMEOUT, O_STATS, O_MIN_ASSESSED };
    double min_assessed = -1; /* none */
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"rules", required_argument, 0, OPT_RULES},
        {"year", required_argument, 0, O_YEAR},
        {"years", required_argument, 0, O_YEARS},
        {"dept", required_argument, 0, O_DEPT},
        {"rule", required_argument, 0, O_RULE},
        {"region", required_argument, 0, O_REGION},
        {"set", required_argument, 0, O_SET},
        {"jobs", required_argument, 0, 'j'},
        {"format", required_argument, 0, O_FORMAT},
        {"max-instructions", required_argument, 0, O_MAXI},
        {"max-memory", required_argument, 0, O_MAXM},
        {"timeout", required_argument, 0, O_TIMEOUT},
        {"stats", no_argument, 0, O_STATS},
        {"min-assessed", required_argument, 0, O_MIN_ASSESSED},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    static const char *const repeatable[] = {"dept", "set", NULL};
    cli_getopt_state g = {"run", repeatable, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "hj:", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case OPT_RULES:
            rules = optarg;
            break;
        case O_YEAR:
        case O_YEARS:
            if (!cli_parse_years(optarg, &o.year_from, &o.year_to) ||
                (c == O_YEAR && o.year_from != o.year_to))
                return cli_usage_error("run", "bad year or span '%s'", optarg);
            break;
        case O_DEPT:
            if (!cli_list_add(depts, ER_ARRAY_LEN_MAIN(depts), &ndepts, optarg))
                return cli_usage_error("run", "%s", "too many --dept");
            break;
        case O_RULE:
            o.rule = optarg;
            break;
        case O_REGION:
            o.region = optarg;
            break;
        case O_SET:
            if (!cli_list_add(sets, ER_ARRAY_LEN_MAIN(sets), &nsets, optarg))
                return cli_usage_error("run", "%s", "too many --set");
            break;
        case 'j':
        case O_JOBS:
            if (!cli_parse_jobs(optarg, &o.jobs))
                return cli_usage_error("run", "bad job count '%s'", optarg);
            break; /* 0: in this process, as in the library */
        case O_FORMAT:
            format = optarg;
            if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
                return cli_usage_error("run", "format '%s': text or json",
                                   optarg);
            break;
        case O_MAXI:
            if (!cli_parse_instructions(optarg, &o.max_instructions))
                return cli_usage_error("run", CLI_INSTRUCTIONS_USAGE, optarg);
            break;
        case O_MAXM:
            if (!cli_parse_memory_mb(optarg, &o.max_memory))
                return cli_usage_error("run", CLI_MEMORY_USAGE, optarg);
            break;
        case O_TIMEOUT:
            if (!cli_parse_timeout(optarg, &o.timeout))
                return cli_usage_error("run", CLI_TIMEOUT_USAGE, optarg);
            break;
        case O_STATS:
            o.stats = &stats;
            break;
        case O_MIN_ASSESSED:
            if (!cli_parse_fraction(optarg, &min_assessed))
                return cli_usage_error("run", CLI_FRACTION_USAGE, optarg);
            break;
        default:
            return cli_help_or_bad_option("run", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
    o.depts = ndepts ? depts : NULL;
    /* the progress line on a terminal; the word that the run waits for
     * another writer, anywhere */
    progress.tty = isatty(fileno(stderr));
    progress.db = dbpath;
    o.progress = cli_progress;
    o.progress_ctx = &progress;
    o.sets = nsets ? sets : NULL;

    er_db *db = NULL;
    er_ruleset *rs = NULL;
    int rc = er_db_open(&db, dbpath, 0);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    if ((rc = er_ruleset_load_timeout(&rs, rules, o.timeout)) != ER_OK) {
        er_db_free(db);
        return cli_error_exit(rc);
    }
    size_t broken = cli_print_diags(rs);
    char *line = cli_join_args(argc, argv);
    o.options = line;
    int64_t run_id = 0;
    rc = er_run(db, rs, &o, &run_id);
    free(line);
    int status = EXIT_OK;
    if (rc == ER_OK && o.stats) {
        struct rusage self, children;
        getrusage(RUSAGE_SELF, &self);
        getrusage(RUSAGE_CHILDREN, &children);
        double eval = stats.evaluate_s > 0 ? stats.evaluate_s : 1e-9;
        fprintf(stderr,
                "stats: %ld evaluations, %ld findings, %d worker%s\n"
                "stats: snapshot %.3f s, evaluate %.3f s (%.0f "
                "evaluations/s), record %.3f s (%.0f findings/s)\n"
                "stats: recorded while evaluating: record %.3f s inside "
                "evaluate, %.3f s after it (counts, commit); waited "
                "%.3f s for another writer\n"
                "stats: peak RSS %ld MB (this process), %ld MB (largest "
                "worker)\n",
                stats.evaluations, stats.findings, stats.jobs,
                stats.jobs == 1 ? "" : "s", stats.snapshot_s,
                stats.evaluate_s, (double)stats.evaluations / eval,
                stats.record_s,
                (double)stats.findings /
                    (stats.record_s > 0 ? stats.record_s : 1e-9),
                stats.record_s - stats.record_after_s, stats.record_after_s,
                stats.wait_s, self.ru_maxrss / 1024,
                children.ru_maxrss / 1024);
    }
    er_run_summary sum;
    if (rc == ER_OK)
        rc = er_run_summarize(db, run_id, &sum);
    if (rc == ER_OK) {
        /* a summary that cannot be read is an error, never "nothing
         * failed" */
        if (strcmp(format, "json") == 0) {
            printf("{\"run\": %lld, \"findings\": %ld, \"counts\": {",
                   (long long)run_id, sum.findings);
            for (int k = 0; k < ER_OUTCOME_COUNT; k++)
                printf("%s\"%s\": %ld", k ? ", " : "",
                       er_outcome_name((er_outcome)k), sum.counts[k]);
            printf("}, \"cut_fen\": %lld, \"allocation_fen\": %lld, "
                   "\"coverage\": ",
                   (long long)sum.cut_fen, (long long)sum.allocation_fen);
            rc = er_run_print_gaps(db, run_id, stdout, ER_FORMAT_JSON);
            printf("}\n");
        } else {
            rc = er_run_print_summary(db, run_id, stdout,
                                      cli_use_color(stdout));
        }
    }
    if (rc != ER_OK) {
        status = cli_error_exit(rc);
    } else {
        if (sum.counts[ER_FAIL] || sum.counts[ER_MISSING] ||
            sum.counts[ER_ERROR_OUTCOME] || broken)
            status = EXIT_FAILED;
        /* a run that checked nothing, or less than asked, is not clean */
        long assessed = 0;
        for (int k = 0; k < ER_OUTCOME_COUNT; k++)
            if (ER_OUTCOMES_ASSESSED & ER_OUTCOME_BIT(k))
                assessed += sum.counts[k];
        if (assessed == 0 && sum.findings == 0) {
            /* nothing to say "all skip, missing or error" of */
            status = EXIT_FAILED;
            fprintf(stderr,
                    "equirule: no evaluation was assessed: no finding at "
                    "all, no selected rule evaluated a region in the run's "
                    "years (run %lld; see 未评估)\n",
                    (long long)run_id);
        } else if (assessed == 0) {
            status = EXIT_FAILED;
            fprintf(stderr,
                    "equirule: no evaluation was assessed: %ld finding%s, "
                    "all skip, missing or error (run %lld; see 未评估)\n",
                    sum.findings, sum.findings == 1 ? "" : "s",
                    (long long)run_id);
        } else if (min_assessed >= 0 &&
                   (double)assessed < min_assessed * (double)sum.findings) {
            status = EXIT_FAILED;
            fprintf(stderr,
                    "equirule: assessed %ld of %ld findings (%.1f%%), below "
                    "--min-assessed %g (run %lld)\n",
                    assessed, sum.findings,
                    floor((double)assessed * 1000.0 /
                          (double)sum.findings) / 10.0,
                    min_assessed, (long long)run_id);
        }
        if (broken)
            fprintf(stderr, "equirule: %zu rule file problem%s (above); the "
                            "other rules ran\n",
                    broken, broken == 1 ? "" : "s");
    }
    er_ruleset_free(rs);
    er_db_free(db);
    return status;
}
