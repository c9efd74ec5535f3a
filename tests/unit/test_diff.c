/*
 * test_diff.c - the impact of a rule change (diff.c): two fixture rule
 * folders evaluated on the same small data give exactly the findings that
 * changed, the rules added and removed; identical folders give nothing;
 * --set on one side is a what-if; a git revision is read from the
 * repository without touching its work tree; nothing is written to the
 * database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#define DIFF_DIR ER_FIXTURES_DIR "/tools/diff"

static void load_data(harness *h)
{
    static const char *const tables[] = {"region", "metric", "item",
                                         "standard", "fact"};
    for (size_t i = 0; i < 5; i++) {
        char path[512];
        snprintf(path, sizeof path, ER_FIXTURES_DIR "/tools/data/%s.csv",
                 tables[i]);
        assert_int_equal(er_import_file(h->db, tables[i], path, 0, NULL),
                         ER_OK);
    }
}

static int setup(void **state)
{
    harness *h = h_new();
    load_data(h);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

/* Runs er_diff_run; the output in *text (caller frees). */
static int diff(harness *h, er_diff_opts *o, char **text, er_diff_stats *st)
{
    size_t len = 0;
    FILE *fp = open_memstream(text, &len);
    int rc = er_diff_run(h->db, o, fp, st);
    fclose(fp);
    return rc;
}

static void test_diff__changed_findings_added_and_removed_rules(void **state)
{
    harness *h = *state;
    er_diff_opts o = {.base = DIFF_DIR "/base", .head = DIFF_DIR "/head"};
    char *text = NULL;
    er_diff_stats st;
    assert_int_equal(diff(h, &o, &text, &st), ER_OK);
    /* the floor 65 → 68 changes required for the 4 cities, and 汕尾 (67)
     * from pass to fail; demo.same does not change */
    assert_int_equal(st.changed, 4);
    assert_int_equal(st.rules_added, 1);
    assert_int_equal(st.rules_removed, 1);
    assert_int_equal(st.base_findings, 12);
    assert_int_equal(st.head_findings, 9);
    assert_non_null(strstr(text, "4 findings changed"));
    assert_non_null(strstr(text, "441500 汕尾市  2019  pass → fail"));
    assert_non_null(strstr(text, "67 元/人   65 → 68"));
    assert_non_null(strstr(text, "demo.per_capita: 4 changed (pass → pass "
                                 "2, pass → fail 1, fail → fail 1)"));
    assert_non_null(strstr(text, "rules added (1):\n  demo.added (1 finding: "
                                 "skip 1)"));
    assert_non_null(strstr(text, "rules removed (1):\n  demo.removed (4 "
                                 "findings: pass 4)"));
    assert_null(strstr(text, "demo.same"));
    free(text);
    /* nothing recorded */
    assert_int_equal(h_count(h, "SELECT count(*) FROM run"), 0);
}

static void test_diff__identical_folders_change_nothing(void **state)
{
    harness *h = *state;
    er_diff_opts o = {.base = DIFF_DIR "/base", .head = DIFF_DIR "/base"};
    char *text = NULL;
    er_diff_stats st;
    assert_int_equal(diff(h, &o, &text, &st), ER_OK);
    assert_int_equal(st.changed, 0);
    assert_int_equal(st.rules_added, 0);
    assert_int_equal(st.rules_removed, 0);
    assert_non_null(strstr(text, "0 findings changed"));
    assert_non_null(strstr(text, "rules added: none\nrules removed: none\n"));
    free(text);
}

static void test_diff__set_is_a_what_if_on_either_side(void **state)
{
    harness *h = *state;
    const char *sets[] = {"demo.per_capita.floor=68", NULL};
    er_diff_opts o = {.base = DIFF_DIR "/base", .head = DIFF_DIR "/base",
                      .sets = sets};
    char *text = NULL;
    er_diff_stats st;
    assert_int_equal(diff(h, &o, &text, &st), ER_OK);
    assert_int_equal(st.changed, 4);
    assert_non_null(strstr(text, "head overrides: demo.per_capita.floor=68"));
    free(text);

    /* the same override on the base side of the changed folder: no change
     * left in the rules both have */
    er_diff_opts o2 = {.base = DIFF_DIR "/base", .head = DIFF_DIR "/head",
                       .base_sets = sets};
    assert_int_equal(diff(h, &o2, &text, &st), ER_OK);
    assert_int_equal(st.changed, 0);
    assert_int_equal(st.rules_added, 1);
    free(text);

    const char *bad[] = {"demo.per_capita.nope=1", NULL};
    er_diff_opts o3 = {.base = DIFF_DIR "/base", .head = DIFF_DIR "/base",
                       .sets = bad};
    assert_int_equal(diff(h, &o3, &text, &st), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "head side: --set "
                                        "demo.per_capita.nope=1"));
    free(text);
}

static void test_diff__formats(void **state)
{
    harness *h = *state;
    er_diff_opts o = {.base = DIFF_DIR "/base", .head = DIFF_DIR "/head",
                      .format = ER_FORMAT_JSON};
    char *text = NULL;
    er_diff_stats st;
    assert_int_equal(diff(h, &o, &text, &st), ER_OK);
    assert_non_null(strstr(text, "{\"rule\": \"demo.per_capita\", \"region\": "
                                 "\"441500\", \"name\": \"汕尾市\", \"year\": "
                                 "2019, \"change\": \"changed\""));
    assert_non_null(strstr(text, "\"before\": {\"outcome\": \"pass\", "
                                 "\"measured\": 67, \"required\": 65"));
    assert_non_null(strstr(text, "\"status\": \"added\""));
    assert_non_null(strstr(text, "\"pass>fail\": 1"));
    free(text);

    o.format = ER_FORMAT_CSV;
    assert_int_equal(diff(h, &o, &text, &st), ER_OK);
    assert_true(strncmp(text, "rule,region,name,year,change,", 29) == 0);
    assert_non_null(strstr(text, "\ndemo.per_capita,441500,汕尾市,2019,"
                                 "changed,pass,fail,67,67,65,68,,,元/人,"));
    /* a header and 4 rows */
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 5);
    free(text);

    o.format = ER_FORMAT_MD;
    assert_int_equal(diff(h, &o, &text, &st), ER_OK);
    assert_non_null(strstr(text, "| rule | region | year |"));
    assert_non_null(strstr(text, "| demo.per_capita | 441500 汕尾市 | 2019 | "
                                 "pass → fail |"));
    free(text);
}

static void test_diff__bad_base(void **state)
{
    harness *h = *state;
    er_diff_opts o = {.base = "--oops", .head = DIFF_DIR "/head"};
    char *text = NULL;
    er_diff_stats st;
    assert_int_equal(diff(h, &o, &text, &st), ER_EUSAGE);
    free(text);
    /* not a folder, and the head is not in a git work tree */
    er_diff_opts o2 = {.base = "HEAD", .head = h->rules};
    assert_int_equal(diff(h, &o2, &text, &st), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "--base HEAD: not a folder"));
    free(text);
}

static void sh(const char *cmd)
{
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static void test_diff__git_revision_as_base(void **state)
{
    harness *h = *state;
    if (system("git --version >/dev/null 2>&1") != 0)
        skip();
    char cmd[2048];
    /* a repository whose committed rules are the base folder, and whose
     * work tree holds the head's changed rule */
    snprintf(cmd, sizeof cmd,
             "set -e; cd '%s' && mkdir repo && cd repo && git init -q . && "
             "mkdir -p rules && cp -R '%s/base/demo' rules/ && "
             "git add rules && git -c user.name=t -c user.email=t@t "
             "commit -q -m base && "
             "cp '%s/head/demo/per_capita.lua' rules/demo/",
             h->dir, DIFF_DIR, DIFF_DIR);
    sh(cmd);
    char head[300];
    snprintf(head, sizeof head, "%s/repo/rules", h->dir);
    er_diff_opts o = {.base = "HEAD", .head = head};
    char *text = NULL;
    er_diff_stats st;
    assert_int_equal(diff(h, &o, &text, &st), ER_OK);
    assert_int_equal(st.changed, 4);
    assert_int_equal(st.rules_added, 0);
    assert_int_equal(st.rules_removed, 0);
    assert_non_null(strstr(text, "diff HEAD ("));
    free(text);
    /* the work tree is untouched: the changed file is still changed */
    snprintf(cmd, sizeof cmd,
             "cd '%s/repo' && git status --porcelain | grep -q "
             "'^ M rules/demo/per_capita.lua$'",
             h->dir);
    sh(cmd);
    /* the folder's own path in the repository is what is read: a head one
     * level down reads that level of the revision (here, files without a
     * department folder, refused alike on both sides) */
    snprintf(head, sizeof head, "%s/repo/rules/demo", h->dir);
    o.head = head;
    assert_int_equal(diff(h, &o, &text, &st), ER_OK);
    assert_non_null(strstr(text, "base rule problem: "));
    assert_non_null(strstr(text, "rule files go in a department folder"));
    free(text);
    /* an unknown revision */
    o.base = "no-such-rev";
    assert_int_equal(diff(h, &o, &text, &st), ER_EUSAGE);
    assert_non_null(strstr(er_errmsg(), "neither a folder nor a revision"));
    free(text);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_diff__changed_findings_added_and_removed_rules),
        T(test_diff__identical_folders_change_nothing),
        T(test_diff__set_is_a_what_if_on_either_side),
        T(test_diff__formats),
        T(test_diff__bad_base),
        T(test_diff__git_revision_as_base),
    };
#undef T
    return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
