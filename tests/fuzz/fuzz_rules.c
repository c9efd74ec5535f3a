/*
 * fuzz_rules.c - libFuzzer harness of the rule loader and the contract
 * validator (er_ruleset_load), and of what reads a loaded set: the catalog
 * (er_ruleset_print in every format), the params recorded with a run
 * (er_ruleset_params_json) and the source checks of lint (er_lint without
 * a database). The input is the text of one rule file, written into a
 * rules folder of its own under the department its `id` names (so that
 * the seeds, the shipped rules, pass the "id begins with the folder"
 * check and reach the deeper checks), else under `fuzz/`.
 *
 * Loading runs the file's Lua in the sandbox, under the instruction budget
 * and the deadline of an evaluation: an input cannot hang the harness
 * beyond that (libFuzzer's -timeout catches the rest). Checked beyond the
 * sanitizers: every diagnostic names the file.
 */
#include "engine.h"
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The department an input's first `id = "dept.` names, into dept;
 * "fuzz" when there is none. */
static void department_of(const uint8_t *data, size_t size, char *dept,
                          size_t dsize)
{
    snprintf(dept, dsize, "fuzz");
    for (size_t i = 0; i + 2 < size; i++) {
        if (data[i] != 'i' || data[i + 1] != 'd' ||
            (i > 0 && (data[i - 1] == '_' ||
                       (data[i - 1] >= 'a' && data[i - 1] <= 'z'))))
            continue;
        size_t p = i + 2;
        while (p < size && (data[p] == ' ' || data[p] == '\t'))
            p++;
        if (p >= size || data[p] != '=')
            continue;
        p++;
        while (p < size && (data[p] == ' ' || data[p] == '\t'))
            p++;
        if (p >= size || (data[p] != '"' && data[p] != '\''))
            continue;
        p++;
        size_t n = 0;
        while (p + n < size && n + 1 < dsize && n < 40 &&
               ((data[p + n] >= 'a' && data[p + n] <= 'z') ||
                (n > 0 && ((data[p + n] >= '0' && data[p + n] <= '9') ||
                           data[p + n] == '_'))))
            n++;
        if (n > 0 && p + n < size && data[p + n] == '.') {
            memcpy(dept, data + p, n);
            dept[n] = '\0';
        }
        return;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *scratch = fuzz_scratch();
    char dept[64], rules[4200], folder[4300], file[4400];
    if (!scratch)
        abort();
    department_of(data, size, dept, sizeof dept);
    snprintf(rules, sizeof rules, "%s/rules", scratch);
    snprintf(folder, sizeof folder, "%s/%s", rules, dept);
    snprintf(file, sizeof file, "%s/rule.lua", folder);
    mkdir(rules, 0700);
    mkdir(folder, 0700);
    fuzz_write(file, data, size);

    er_ruleset *rs = NULL;
    if (er_ruleset_load(&rs, rules) != ER_OK) {
        fprintf(stderr, "fuzz_rules: the folder did not load: %s\n",
                er_errmsg());
        abort();
    }
    for (size_t i = 0; i < er_ruleset_diag_count(rs); i++) {
        if (!strstr(er_ruleset_diag(rs, i), "rule.lua")) {
            fprintf(stderr, "fuzz_rules: a diagnostic that does not name "
                            "the file: %s\n",
                    er_ruleset_diag(rs, i));
            abort();
        }
    }
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz_rules: %s: %zu rules, %zu diagnostics%s%s\n",
                dept, er_ruleset_count(rs), er_ruleset_diag_count(rs),
                er_ruleset_diag_count(rs) ? ": " : "",
                er_ruleset_diag_count(rs) ? er_ruleset_diag(rs, 0) : "");
    FILE *null = fuzz_null();
    er_ruleset_print(rs, null, ER_FORMAT_TEXT);
    er_ruleset_print(rs, null, ER_FORMAT_MD);
    er_ruleset_print(rs, null, ER_FORMAT_JSON);
    for (size_t i = 0; i < er_ruleset_count(rs); i++) {
        er_buf b;
        er_buf_init(&b);
        er_ruleset_params_json(rs, (int32_t)i, &b);
        er_buf_free(&b);
    }
    er_lint_opts lo = {0};
    er_lint_stats ls;
    er_lint(rs, &lo, null, &ls);
    er_ruleset_free(rs);

    unlink(file);
    rmdir(folder);
    return 0;
}
