/*
 * filter.c - which findings of a stored run a report or a comparison shows
 * (er_report_filter): the user's filter checked against the run and the
 * data (unknown names are usage errors with the nearest one), turned into
 * an SQL condition on the finding table that every reader of findings
 * appends (ER_REP_FILTER_SQL), and described in words and in JSON for the
 * reports' headers. It reads the database only.
 */
#include "report.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

int er_outcomes_parse(const char *list, unsigned *bits)
{
    const char *names[ER_OUTCOME_COUNT + 1];
    assert(list && bits);
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        names[o] = er_outcome_name((er_outcome)o);
    names[ER_OUTCOME_COUNT] = "failing";
    for (const char *p = list;;) {
        size_t n = strcspn(p, ",");
        char word[32];
        snprintf(word, sizeof word, "%.*s", (int)(n < 31 ? n : 31), p);
        int o = n < sizeof word ? er_outcome_parse(word) : -1;
        if (o >= 0) {
            *bits |= ER_OUTCOME_BIT(o);
        } else if (strcmp(word, "failing") == 0 && n < sizeof word) {
            *bits |= ER_OUTCOMES_FAILING;
        } else {
            const char *near = er_suggest(word, names, ER_ARRAY_LEN(names));
            return er_fail(ER_EUSAGE,
                           "no outcome '%.*s'%s%s%s; the outcomes are pass, "
                           "fail, warn, skip, cut, allocation, missing, "
                           "error (and failing: fail, missing, error)",
                           (int)n, p, near ? " (did you mean " : "",
                           near ? near : "", near ? "?)" : "");
        }
        if (!p[n])
            return ER_OK;
        p += n + 1;
    }
}

bool er_report_filter_empty(const er_report_filter *f)
{
    return !f ||
           ((!f->regions || !f->regions[0]) && (!f->depts || !f->depts[0]) &&
            (!f->rules || !f->rules[0]) && !f->year && !f->outcomes);
}

/* The distinct texts of column 0 of `sql` (runs bound as ?1, a JSON array),
 * as a NULL-terminated array of copies in *out. */
static int read_names(er_db *db, const char *sql, const char *runs,
                      char ***out, size_t *n_out)
{
    sqlite3_stmt *st = NULL;
    char **names = NULL;
    size_t n = 0;
    int rc = ER_OK, src;
    *out = NULL;
    *n_out = 0;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    sqlite3_bind_text(st, 1, runs, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        char **p = realloc(names, (n + 2) * sizeof *p);
        if (!p) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        names = p;
        names[n + 1] = NULL;
        if (!(names[n] = er_strdup(s ? s : ""))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        n++;
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the run");
done:
    sqlite3_finalize(st);
    if (rc != ER_OK) {
        for (size_t i = 0; i < n; i++)
            free(names[i]);
        free(names);
        return rc;
    }
    *out = names;
    *n_out = n;
    return ER_OK;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Whether rule `id` is `want` or lies below it ("want."). */
static bool rule_matches(const char *id, const char *want)
{
    size_t n = strlen(want);
    return strncmp(id, want, n) == 0 && (id[n] == '\0' || id[n] == '.');
}

/* "run 3" or "runs 3 and 4", for messages. */
static void runs_label(char *buf, size_t size, const int64_t *runs,
                       size_t nruns)
{
    if (nruns == 1)
        snprintf(buf, size, "run %lld", (long long)runs[0]);
    else
        snprintf(buf, size, "runs %lld and %lld", (long long)runs[0],
                 (long long)runs[1]);
}

/* ER_EUSAGE for `what` `word` that none of `names` is. */
static int not_known(const char *what, const char *word, char **names,
                     size_t n, const char *runs)
{
    const char *near = er_suggest(word, (const char *const *)names, n);
    er_buf list;
    er_buf_init(&list);
    for (size_t i = 0; i < n && i < 12; i++)
        er_buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
    if (n > 12)
        er_buf_printf(&list, ", … (%zu in all)", n);
    int rc = er_fail(ER_EUSAGE, "%s has no %s '%s'%s%s%s; it has %s", runs,
                     what, word, near ? " (did you mean " : "",
                     near ? near : "", near ? "?)" : "",
                     list.data ? list.data : "none");
    er_buf_free(&list);
    return rc;
}

/* ER_EUSAGE for rule `word`, suggesting an id or a prefix of ids. */
static int unknown_rule(const char *word, char **ids, size_t n,
                        const char *runs)
{
    const char *near = NULL;
    size_t cap = 0, m = 0;
    char **cands = NULL;
    for (size_t i = 0; i < n; i++)
        for (const char *dot = strchr(ids[i], '.');;
             dot = strchr(dot + 1, '.')) {
            size_t len = dot ? (size_t)(dot - ids[i]) : strlen(ids[i]);
            if (m == cap) {
                cap = cap ? cap * 2 : 64;
                char **p = realloc(cands, cap * sizeof *p);
                if (!p)
                    goto done;
                cands = p;
            }
            if (!(cands[m] = malloc(len + 1)))
                goto done;
            memcpy(cands[m], ids[i], len);
            cands[m][len] = '\0';
            bool seen = false; /* er_suggest takes a tie for no answer */
            for (size_t k = 0; k < m && !seen; k++)
                seen = strcmp(cands[k], cands[m]) == 0;
            if (seen)
                free(cands[m]);
            else
                m++;
            if (!dot)
                break;
        }
    near = er_suggest(word, (const char *const *)cands, m);
done:;
    int rc = er_fail(ER_EUSAGE,
                     "%s has no rule '%s' and no rule whose id begins with "
                     "'%s.'%s%s%s; `equirule report --format json` lists "
                     "its rules",
                     runs, word, word, near ? " (did you mean " : "",
                     near ? near : "", near ? "?)" : "");
    for (size_t i = 0; i < m; i++)
        free(cands[i]);
    free(cands);
    return rc;
}

int er_rep_filter_resolve(er_db *db, const int64_t *runs, size_t nruns,
                          const er_report_filter *in, er_rep_filter *out)
{
    er_buf runs_json, regions, depts, rules, outcomes, text, json;
    char **names = NULL, label[64];
    size_t nnames = 0;
    int rc = ER_OK;

    assert(db && runs && nruns >= 1 && nruns <= 2 && out);
    memset(out, 0, sizeof *out);
    if (er_report_filter_empty(in))
        return ER_OK;
    er_buf_init(&runs_json);
    er_buf_init(&regions);
    er_buf_init(&depts);
    er_buf_init(&rules);
    er_buf_init(&outcomes);
    er_buf_init(&text);
    er_buf_init(&json);
    runs_label(label, sizeof label, runs, nruns);
    er_buf_printf(&runs_json, "[%lld%s", (long long)runs[0],
                  nruns > 1 ? "," : "]");
    if (nruns > 1)
        er_buf_printf(&runs_json, "%lld]", (long long)runs[1]);
    if ((rc = er_buf_status(&runs_json)) != ER_OK)
        goto done;
    out->active = true;
    er_buf_puts(&json, "{");

    /* regions: each with everything below it */
    er_buf_puts(&json, "\"regions\": [");
    for (size_t i = 0; in->regions && in->regions[i]; i++) {
        char code[ER_REGION_CODE_SIZE];
        if ((rc = er_region_resolve(db->db, db->path, in->regions[i], code)) !=
            ER_OK)
            goto done;
        sqlite3_stmt *st = NULL;
        const char *name = "";
        char *name_copy = NULL;
        if (sqlite3_prepare_v2(db->db,
                               "SELECT name FROM region WHERE code = ?", -1,
                               &st, NULL) == SQLITE_OK) {
            sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
                name_copy =
                    er_strdup((const char *)sqlite3_column_text(st, 0));
        }
        sqlite3_finalize(st);
        if (name_copy)
            name = name_copy;
        er_buf_puts(&regions, i ? "," : "[");
        er_json_add(&regions, code);
        er_buf_printf(&text, "%sregion %s %s and below", text.len ? "; " : "",
                      code, name);
        er_buf_puts(&json, i ? ", {\"code\": " : "{\"code\": ");
        er_json_add(&json, code);
        er_buf_puts(&json, ", \"name\": ");
        er_json_add(&json, name);
        er_buf_puts(&json, "}");
        free(name_copy);
    }
    if (regions.len)
        er_buf_puts(&regions, "]");
    er_buf_puts(&json, "]");

    /* departments of the run's rules */
    er_buf_puts(&json, ", \"departments\": [");
    if (in->depts && in->depts[0]) {
        if ((rc = read_names(db,
                             "SELECT DISTINCT department FROM run_rule WHERE "
                             "run IN (SELECT value FROM json_each(?1)) "
                             "ORDER BY 1",
                             runs_json.data, &names, &nnames)) != ER_OK)
            goto done;
        for (size_t i = 0; in->depts[i]; i++) {
            bool known = false;
            for (size_t k = 0; k < nnames && !known; k++)
                known = strcmp(names[k], in->depts[i]) == 0;
            if (!known) {
                rc = not_known("department", in->depts[i], names, nnames,
                               label);
                goto done;
            }
            er_buf_puts(&depts, i ? "," : "[");
            er_json_add(&depts, in->depts[i]);
            er_buf_printf(&text, "%s%s %s", text.len ? "; " : "",
                          i ? "or" : "department", in->depts[i]);
            if (i)
                er_buf_puts(&json, ", ");
            er_json_add(&json, in->depts[i]);
        }
        er_buf_puts(&depts, "]");
        free_names(names, nnames);
        names = NULL;
        nnames = 0;
    }
    er_buf_puts(&json, "]");

    /* rules: an id, or a prefix up to a dot */
    er_buf_puts(&json, ", \"rules\": [");
    if (in->rules && in->rules[0]) {
        if ((rc = read_names(db,
                             "SELECT rule FROM run_rule WHERE run IN (SELECT "
                             "value FROM json_each(?1)) UNION SELECT rule "
                             "FROM run_count WHERE run IN (SELECT value FROM "
                             "json_each(?1)) ORDER BY 1",
                             runs_json.data, &names, &nnames)) != ER_OK)
            goto done;
        for (size_t i = 0; in->rules[i]; i++) {
            bool exact = false, below = false;
            for (size_t k = 0; k < nnames; k++) {
                if (strcmp(names[k], in->rules[i]) == 0)
                    exact = true;
                else if (rule_matches(names[k], in->rules[i]))
                    below = true;
            }
            if (!exact && !below) {
                rc = unknown_rule(in->rules[i], names, nnames, label);
                goto done;
            }
            er_buf_puts(&rules, i ? "," : "[");
            er_json_add(&rules, in->rules[i]);
            er_buf_printf(&text, "%s%s %s%s", text.len ? "; " : "",
                          i ? "or" : "rule", in->rules[i],
                          !below ? "" : exact ? " and below" : ".*");
            if (i)
                er_buf_puts(&json, ", ");
            er_json_add(&json, in->rules[i]);
        }
        er_buf_puts(&rules, "]");
    }
    er_buf_puts(&json, "]");

    out->year = in->year;
    if (in->year)
        er_buf_printf(&text, "%syear %d", text.len ? "; " : "", in->year);
    er_buf_puts(&json, ", \"year\": ");
    if (in->year)
        er_buf_printf(&json, "%d", in->year);
    else
        er_buf_puts(&json, "null");

    unsigned every = ER_OUTCOME_BIT(ER_OUTCOME_COUNT) - 1;
    if (in->outcomes && !(in->outcomes & every)) {
        rc = er_fail(ER_EUSAGE, "the outcome filter 0x%x names no outcome",
                     in->outcomes);
        goto done;
    }
    er_buf_puts(&json, ", \"outcomes\": [");
    if (in->outcomes && (in->outcomes & every) != every) {
        int k = 0;
        for (int o = 0; o < ER_OUTCOME_COUNT; o++) {
            if (!(in->outcomes & ER_OUTCOME_BIT(o)))
                continue;
            const char *name = er_outcome_name((er_outcome)o);
            er_buf_puts(&outcomes, k ? "," : "[");
            er_json_add(&outcomes, name);
            er_buf_printf(&text, "%s%s", k ? ", " : text.len ? "; outcome "
                                                             : "outcome ",
                          name);
            if (k)
                er_buf_puts(&json, ", ");
            er_json_add(&json, name);
            k++;
        }
        er_buf_puts(&outcomes, "]");
    }
    er_buf_puts(&json, "]}");

    if ((rc = er_buf_status(&regions)) != ER_OK ||
        (rc = er_buf_status(&depts)) != ER_OK ||
        (rc = er_buf_status(&rules)) != ER_OK ||
        (rc = er_buf_status(&outcomes)) != ER_OK ||
        (rc = er_buf_status(&text)) != ER_OK ||
        (rc = er_buf_status(&json)) != ER_OK)
        goto done;
    out->regions = regions.len ? er_buf_detach(&regions) : NULL;
    out->depts = depts.len ? er_buf_detach(&depts) : NULL;
    out->rules = rules.len ? er_buf_detach(&rules) : NULL;
    out->outcomes = outcomes.len ? er_buf_detach(&outcomes) : NULL;
    if (!text.len) /* every outcome: no condition at all */
        out->active = false;
    out->text = er_buf_detach(&text);
    out->json = er_buf_detach(&json);
    if (!out->text || !out->json)
        rc = er_fail(ER_ENOMEM, "out of memory");
done:
    free_names(names, nnames);
    er_buf_free(&runs_json);
    er_buf_free(&regions);
    er_buf_free(&depts);
    er_buf_free(&rules);
    er_buf_free(&outcomes);
    er_buf_free(&text);
    er_buf_free(&json);
    if (rc != ER_OK)
        er_rep_filter_free(out);
    return rc;
}

void er_rep_filter_bind(const er_rep_filter *f, sqlite3_stmt *st)
{
    if (!f || !f->active)
        return;
    const char *texts[] = {f->rules, f->depts, f->regions};
    int n = sqlite3_bind_parameter_count(st);
    for (int i = 0; i < (int)ER_ARRAY_LEN(texts); i++)
        if (101 + i <= n && texts[i])
            sqlite3_bind_text(st, 101 + i, texts[i], -1, SQLITE_STATIC);
    if (104 <= n && f->year)
        sqlite3_bind_int(st, 104, f->year);
    if (105 <= n && f->outcomes)
        sqlite3_bind_text(st, 105, f->outcomes, -1, SQLITE_STATIC);
    if (107 <= n && f->within[0]) {
        sqlite3_bind_int64(st, 106, f->within[0]);
        sqlite3_bind_int64(st, 107, f->within[1]);
    }
}

int er_rep_filter_none_match(er_db *db, const int64_t *runs, size_t nruns,
                             const er_rep_filter *f)
{
    sqlite3_stmt *st = NULL;
    char label[64];
    if (!f || !f->active)
        return ER_OK;
    if (sqlite3_prepare_v2(db->db,
                           "SELECT 1 FROM finding f WHERE f.run IN (?1, ?2)"
                           ER_REP_FILTER_SQL " LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the findings");
    sqlite3_bind_int64(st, 1, runs[0]);
    sqlite3_bind_int64(st, 2, runs[nruns > 1]);
    er_rep_filter_bind(f, st);
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src == SQLITE_ROW)
        return ER_OK;
    if (src != SQLITE_DONE)
        return er_fail_sqlite(db->db, "reading the findings");
    runs_label(label, sizeof label, runs, nruns);
    return er_fail(ER_ENOTFOUND, "no finding of %s passes the filter (%s)",
                   label, f->text);
}

void er_rep_filter_free(er_rep_filter *f)
{
    if (!f)
        return;
    free(f->regions);
    free(f->depts);
    free(f->rules);
    free(f->outcomes);
    free(f->text);
    free(f->json);
    memset(f, 0, sizeof *f);
}
