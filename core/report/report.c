/*
 * report.c - the model of one stored run that every report format renders
 * (er_report_load): the run's metadata and rule files, its rules with their
 * titles and bases, its findings with region names, counts by rule,
 * department and year, cuts and allocations by region in fen, and the
 * per-resident spending of each city read from the data tables for the
 * charts, the names the data gives (province, policy, zones) and the rule
 * whose `report` hint feeds the per-capita chart. Also what both renderers
 * show alike (outcome labels, counts, the
 * regions × rules matrix of a year), er_run_find, and er_report_write,
 * which picks the renderer. Rendering is report_html.c's and
 * report_text.c's; nothing here evaluates.
 */
#include "report.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *id;
    const char *name;
} departments[] = {
    {"civil_affairs", "民政厅"}, {"education", "教育厅"}, {"finance", "财政厅"},
    {"health", "卫健委"},        {"housing", "住建厅"},   {"hrss", "人社厅"},
    {"medical", "医保局"},
};

const char *er_department_name(const char *dept)
{
    for (size_t i = 0; dept && i < ER_ARRAY_LEN(departments); i++)
        if (strcmp(departments[i].id, dept) == 0)
            return departments[i].name;
    return NULL;
}

bool er_outcome_in_pass_rate(int outcome)
{
    return outcome == ER_PASS || outcome == ER_WARN || outcome == ER_FAIL ||
           outcome == ER_MISSING || outcome == ER_ERROR_OUTCOME;
}

bool er_outcome_failing(int outcome)
{
    return outcome >= 0 && outcome < ER_OUTCOME_COUNT &&
           er_outcomes[outcome].failing;
}

double er_pass_rate(const long counts[ER_OUTCOME_COUNT])
{
    long assessed = 0;
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        if (er_outcome_in_pass_rate(o))
            assessed += counts[o];
    return assessed ? (double)counts[ER_PASS] / (double)assessed : NAN;
}

double er_assessed_rate(const long counts[ER_OUTCOME_COUNT])
{
    long all = er_count_total(counts);
    return all ? (double)er_counts_assessed(counts) / (double)all : NAN;
}

long er_count_total(const long counts[ER_OUTCOME_COUNT])
{
    long n = 0;
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        n += counts[o];
    return n;
}

long er_count_failing(const long counts[ER_OUTCOME_COUNT])
{
    long n = 0;
    for (int o = 0; o < ER_OUTCOME_COUNT; o++)
        if (er_outcome_failing(o))
            n += counts[o];
    return n;
}

/* The labels are the store's outcome table's (domain.c). */
const char *er_outcome_zh(int outcome)
{
    assert(outcome >= 0 && outcome < ER_OUTCOME_COUNT);
    return er_outcomes[outcome].zh;
}

const char *er_outcome_symbol(int outcome)
{
    assert(outcome >= 0 && outcome < ER_OUTCOME_COUNT);
    return er_outcomes[outcome].symbol;
}

const char *er_rep_region_label(const er_rep_region *g)
{
    return g->name && *g->name ? g->name : g->code;
}

const char *er_fmt_rate(char *buf, size_t size, double rate)
{
    if (!isfinite(rate))
        snprintf(buf, size, "—");
    else
        snprintf(buf, size, "%.1f%%", rate * 100.0);
    return buf;
}

const char *er_rep_num(char *buf, size_t size, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "—");
        return buf;
    }
    return er_fmt_num(buf, size, v);
}

const er_rep_zone *er_report_zone(const er_report *r, const char *code)
{
    for (size_t i = 0; code && i < r->nzones; i++)
        if (strcmp(r->zones[i].code, code) == 0)
            return &r->zones[i];
    return NULL;
}

const char *er_report_zone_name(const er_report *r, const char *code)
{
    const er_rep_zone *z = er_report_zone(r, code);
    return z ? z->name : code && *code ? code : "—";
}

double er_report_max_gap(const er_report *r, int year)
{
    for (size_t i = 0; r->gap_rule >= 0 && i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (f->rule == r->gap_rule && f->year == year && f->has_required &&
            isfinite(f->required))
            return f->required;
    }
    return NAN;
}

double er_report_band_floor(const er_report *r, int year)
{
    double core = er_report_core_mean(r, year);
    double max_gap = er_report_max_gap(r, year);
    if (!isfinite(core) || !(max_gap >= 0 && max_gap <= 1))
        return NAN;
    return core * (1.0 - max_gap);
}

/* ---- loading ------------------------------------------------------------ */

/* Keeps a copy of `s` for the report's lifetime; NULL stays NULL. Returns
 * false when out of memory. */
static bool keep(er_report *r, const unsigned char *s, const char **out)
{
    *out = NULL;
    if (!s)
        return true;
    if (r->nstrs == r->strs_cap) {
        size_t cap = r->strs_cap ? r->strs_cap * 2 : 256;
        char **strs = realloc(r->strs, cap * sizeof *strs);
        if (!strs)
            return false;
        r->strs = strs;
        r->strs_cap = cap;
    }
    char *copy = er_strdup((const char *)s);
    if (!copy)
        return false;
    r->strs[r->nstrs++] = copy;
    *out = copy;
    return true;
}

/* Grows *items (of *n, capacity *cap, items of `size` bytes) by one zeroed
 * item; returns it or NULL. */
static void *grow(void **items, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 32;
        void *p = realloc(*items, c * size);
        if (!p)
            return NULL;
        *items = p;
        *cap = c;
    }
    void *item = (char *)*items + *n * size;
    memset(item, 0, size);
    (*n)++;
    return item;
}

static int prepare(er_db *db, const char *sql, sqlite3_stmt **out)
{
    if (sqlite3_prepare_v2(db->db, sql, -1, out, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    return ER_OK;
}

static int oom(void) { return er_fail(ER_ENOMEM, "out of memory"); }

static const unsigned char *col(sqlite3_stmt *st, int i)
{
    return sqlite3_column_text(st, i);
}

static int load_run(er_db *db, er_report *r)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(db,
                     "SELECT started_at, finished_at, status, years, "
                     "engine_version, rules_digest, data_digest, options, "
                     "user, rules_dir, evaluations, "
                     ER_RUN_SCOPE_TEXT_SQL("scope") " FROM run WHERE id = ?",
                     &st);
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    int src = sqlite3_step(st);
    if (src != SQLITE_ROW) {
        rc = src == SQLITE_DONE
                 ? er_fail(ER_ENOTFOUND,
                           "no run %lld in %s; `equirule runs --db %s` lists "
                           "the stored runs",
                           (long long)r->id, db->path, db->path)
                 : er_fail_sqlite(db->db, "reading the run");
        goto done;
    }
    if (!keep(r, col(st, 0), &r->started_at) ||
        !keep(r, col(st, 1), &r->finished_at) ||
        !keep(r, col(st, 2), &r->status) || !keep(r, col(st, 3), &r->years) ||
        !keep(r, col(st, 4), &r->engine_version) ||
        !keep(r, col(st, 5), &r->rules_digest) ||
        !keep(r, col(st, 6), &r->data_digest) ||
        !keep(r, col(st, 7), &r->options) || !keep(r, col(st, 8), &r->user) ||
        !keep(r, col(st, 9), &r->rules_dir) ||
        !keep(r, col(st, 11), &r->scope)) {
        rc = oom();
        goto done;
    }
    r->evaluations = sqlite3_column_type(st, 10) == SQLITE_NULL
                         ? -1
                         : sqlite3_column_int64(st, 10);
    int a = 0, b = 0;
    int n = r->years ? sscanf(r->years, "%d-%d", &a, &b) : 0;
    r->year_from = n >= 1 ? a : 0;
    r->year_to = n == 2 ? b : r->year_from;
done:
    sqlite3_finalize(st);
    return rc;
}

static int load_files(er_db *db, er_report *r)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src, rc = prepare(db,
                          "SELECT path, sha256 FROM rule_file WHERE run = ? "
                          "ORDER BY path",
                          &st);
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->nfiles == cap) {
            cap = cap ? cap * 2 : 16;
            const char **p = realloc(r->file_paths, cap * sizeof *p);
            if (p)
                r->file_paths = p;
            const char **h =
                p ? realloc(r->file_sha256, cap * sizeof *h) : NULL;
            if (!h) {
                rc = oom();
                goto done;
            }
            r->file_sha256 = h;
        }
        if (!keep(r, col(st, 0), &r->file_paths[r->nfiles]) ||
            !keep(r, col(st, 1), &r->file_sha256[r->nfiles])) {
            rc = oom();
            goto done;
        }
        r->nfiles++;
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the rule files");
done:
    sqlite3_finalize(st);
    return rc;
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(((const er_rep_rule *)a)->id, ((const er_rep_rule *)b)->id);
}

/* The rules of run_rule, and any rule findings name that it lacks: those
 * the filter's rules and departments name, and when it filters regions,
 * years or outcomes, those with a finding that passes. */
static int load_rules(er_db *db, er_report *r, const er_rep_filter *flt)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src, rc = prepare(
                 db,
                 "SELECT rule, department, title, basis, item, kind, level, "
                 "path, params, CASE WHEN json_valid(report) THEN "
                 "json_extract(report, '$.chart') END, CASE WHEN "
                 "json_valid(report) THEN json_extract(report, '$.index') "
                 "END, CASE WHEN json_valid(report) THEN "
                 "json_extract(report, '$.goal') END, (SELECT i.name FROM "
                 "item i WHERE i.code = f.item) FROM run_rule f "
                 "WHERE run = ?1" ER_REP_FILTER_RULE_SQL
                 " AND (?2 = 0 OR rule IN (SELECT f.rule FROM finding f "
                 "WHERE f.run = ?1" ER_REP_FILTER_SQL ")) "
                 "UNION ALL "
                 "SELECT DISTINCT rule, substr(rule, 1, instr(rule, '.') - 1),"
                 " '', '', NULL, '', '', '', NULL, NULL, NULL, NULL, NULL "
                 "FROM "
                 /* unfiltered, the rules findings name are the run's
                  * numbered rules (finding_rule): no scan of findings */
                 "(SELECT run, rule, NULL AS region, NULL AS year, "
                 " NULL AS outcome FROM finding_rule WHERE ?3 = 0 "
                 " UNION ALL SELECT run, rule, region, year, outcome "
                 " FROM finding WHERE ?3 = 1) f "
                 "WHERE run = ?1" ER_REP_FILTER_SQL
                 " AND rule NOT IN (SELECT rule FROM run_rule WHERE run = ?1)",
                 &st);
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_int(st, 2,
                     flt && flt->active &&
                         (flt->regions || flt->year || flt->outcomes));
    sqlite3_bind_int(st, 3, flt && flt->active);
    er_rep_filter_bind(flt, st);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        er_rep_rule *u =
            grow((void **)&r->rules, &r->nrules, &cap, sizeof *r->rules);
        if (!u || !keep(r, col(st, 0), &u->id) ||
            !keep(r, col(st, 1), &u->department) ||
            !keep(r, col(st, 2), &u->title) ||
            !keep(r, col(st, 3), &u->basis) || !keep(r, col(st, 4), &u->item) ||
            !keep(r, col(st, 5), &u->kind) || !keep(r, col(st, 6), &u->level) ||
            !keep(r, col(st, 7), &u->path) ||
            !keep(r, col(st, 8), &u->params) ||
            !keep(r, col(st, 9), &u->chart) ||
            !keep(r, col(st, 10), &u->index) ||
            !keep(r, col(st, 12), &u->item_name)) {
            rc = oom();
            goto done;
        }
        if (sqlite3_column_type(st, 11) == SQLITE_INTEGER)
            u->goal = sqlite3_column_int(st, 11);
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, "reading the rules");
        goto done;
    }
    if (r->nrules)
        qsort(r->rules, r->nrules, sizeof *r->rules, cmp_rule);
    /* the first rule, by id, that declares the per-capita chart */
    for (size_t i = 0; i < r->nrules && r->gap_rule < 0; i++)
        if (r->rules[i].chart &&
            strcmp(r->rules[i].chart, ER_CHART_PER_CAPITA_GAP) == 0)
            r->gap_rule = (int32_t)i;
    for (size_t i = 0; i < r->nrules && r->rank_rule < 0; i++)
        if (r->rules[i].chart &&
            strcmp(r->rules[i].chart, ER_CHART_RANKING) == 0)
            r->rank_rule = (int32_t)i;
done:
    sqlite3_finalize(st);
    return rc;
}

/* The regions the findings name, and every city (for the charts). */
static int load_regions(er_db *db, er_report *r, const er_rep_filter *flt)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src, rc = prepare(db,
                          "SELECT c.code, coalesce(g.name, ''), g.level, "
                          "g.zone, g.parent FROM (SELECT f.region AS code FROM finding "
                          "f WHERE f.run = ?1" ER_REP_FILTER_SQL
                          " UNION SELECT code FROM region "
                          "WHERE level = 'city') c "
                          "LEFT JOIN region g ON g.code = c.code "
                          "ORDER BY c.code",
                          &st);
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    er_rep_filter_bind(flt, st);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        er_rep_region *g =
            grow((void **)&r->regions, &r->nregions, &cap, sizeof *r->regions);
        if (!g || !keep(r, col(st, 0), &g->code) ||
            !keep(r, col(st, 1), &g->name) || !keep(r, col(st, 2), &g->level) ||
            !keep(r, col(st, 3), &g->zone) ||
            !keep(r, col(st, 4), &g->parent)) {
            rc = oom();
            goto done;
        }
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the regions");
done:
    sqlite3_finalize(st);
    return rc;
}

/* bsearch comparators: a key string against a rule's id, a region's code */
static int cmp_rule_id(const void *key, const void *item)
{
    return strcmp(key, ((const er_rep_rule *)item)->id);
}

static int cmp_region_code(const void *key, const void *item)
{
    return strcmp(key, ((const er_rep_region *)item)->code);
}

int32_t er_report_rule(const er_report *r, const char *id)
{
    const er_rep_rule *u = r->nrules ? bsearch(id, r->rules, r->nrules,
                                               sizeof *r->rules, cmp_rule_id)
                                     : NULL;
    return u ? (int32_t)(u - r->rules) : -1;
}

static int32_t find_region(const er_report *r, const char *code)
{
    const er_rep_region *g = r->nregions
                                 ? bsearch(code, r->regions, r->nregions,
                                           sizeof *r->regions, cmp_region_code)
                                 : NULL;
    return g ? (int32_t)(g - r->regions) : -1;
}

/* The texts of the run's findings (finding_text) as strings the report
 * keeps, by id: *texts_out[id], NULL where an id is absent. */
static int load_texts(er_db *db, er_report *r, const char ***texts_out,
                      size_t *n_out)
{
    sqlite3_stmt *st = NULL;
    const char **texts = NULL;
    size_t n = 0;
    int src, rc = prepare(db,
                          "SELECT id, text FROM finding_text WHERE run = ?1 "
                          "ORDER BY id",
                          &st);
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        if (id < 0 || id > INT32_MAX)
            continue; /* never written by the recorder */
        if ((size_t)id >= n) {
            size_t nn = (size_t)id + 1;
            const char **t = realloc(texts, nn * sizeof *t);
            if (!t) {
                rc = oom();
                goto done;
            }
            memset(t + n, 0, (nn - n) * sizeof *t);
            texts = t;
            n = nn;
        }
        if (!keep(r, col(st, 1), &texts[id])) {
            rc = oom();
            goto done;
        }
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the findings");
done:
    sqlite3_finalize(st);
    if (rc != ER_OK) {
        free(texts);
        texts = NULL;
        n = 0;
    }
    *texts_out = texts;
    *n_out = n;
    return rc;
}

/* The text a finding_row unit or note column holds: a text of the run by
 * id (kept already), or the text itself (kept now). */
static bool text_of(er_report *r, sqlite3_stmt *st, int i,
                    const char *const *texts, size_t ntexts, const char **out)
{
    *out = NULL;
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return true;
    case SQLITE_INTEGER: {
        sqlite3_int64 id = sqlite3_column_int64(st, i);
        if (id >= 0 && (size_t)id < ntexts)
            *out = texts[id];
        return true;
    }
    default:
        return keep(r, col(st, i), out);
    }
}

/* The findings, read from finding_row in its stored order (year, rule,
 * region, then the order they were recorded): no sort, and each unit and
 * note of the run kept once. */
static int load_findings(er_db *db, er_report *r, const er_rep_filter *flt)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0, ntexts = 0, nrules = 0;
    const char **texts = NULL;
    int32_t *rules = NULL; /* rule_no -> index in r->rules, or -1 */
    er_buf sql;
    int src, rc;

    er_buf_init(&sql);
    if ((rc = load_texts(db, r, &texts, &ntexts)) != ER_OK)
        goto done;
    if ((rc = prepare(db,
                      "SELECT id, rule FROM finding_rule WHERE run = ?1 "
                      "ORDER BY id",
                      &st)) != ER_OK)
        goto done;
    sqlite3_bind_int64(st, 1, r->id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        const char *rule = (const char *)col(st, 1);
        if (id < 0 || id > INT32_MAX)
            continue;
        if ((size_t)id >= nrules) {
            size_t nn = (size_t)id + 1;
            int32_t *t = realloc(rules, nn * sizeof *t);
            if (!t) {
                rc = oom();
                goto done;
            }
            for (size_t i = nrules; i < nn; i++)
                t[i] = -1;
            rules = t;
            nrules = nn;
        }
        rules[id] = rule ? er_report_rule(r, rule) : -1;
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, "reading the findings");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;

    er_buf_puts(&sql, "SELECT f.rule_no, f.region_key, f.year, f.outcome_no, "
                      "f.measured, f.required, f.amount, f.unit_key, "
                      "f.note_key FROM ");
    er_db_finding_sql(&sql);
    er_buf_puts(&sql, " f WHERE f.run = ?1" ER_REP_FILTER_SQL
                      " ORDER BY f.year, f.rule_no, f.region_key, f.seq");
    if (sql.err || !sql.data) {
        rc = oom();
        goto done;
    }
    if ((rc = prepare(db, sql.data, &st)) != ER_OK)
        goto done;
    sqlite3_bind_int64(st, 1, r->id);
    er_rep_filter_bind(flt, st);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 rule_no = sqlite3_column_int64(st, 0);
        int outcome = sqlite3_column_int(st, 3);
        int32_t ri = rule_no >= 0 && (size_t)rule_no < nrules
                         ? rules[rule_no]
                         : -1;
        int32_t gi = -1;
        if (sqlite3_column_type(st, 1) == SQLITE_INTEGER) {
            char code[32];
            snprintf(code, sizeof code, "%06lld",
                     (long long)sqlite3_column_int64(st, 1));
            gi = find_region(r, code);
        } else if (col(st, 1)) {
            gi = find_region(r, (const char *)col(st, 1));
        }
        if (ri < 0 || gi < 0 || outcome < 0 || outcome >= ER_OUTCOME_COUNT)
            continue; /* the schema's checks make these impossible */
        er_rep_finding *f = grow((void **)&r->findings, &r->nfindings, &cap,
                                 sizeof *r->findings);
        if (!f) {
            rc = oom();
            goto done;
        }
        f->rule = ri;
        f->region = gi;
        f->year = sqlite3_column_int(st, 2);
        f->outcome = (int8_t)outcome;
        if ((f->has_measured = sqlite3_column_type(st, 4) != SQLITE_NULL))
            f->measured = sqlite3_column_double(st, 4);
        if ((f->has_required = sqlite3_column_type(st, 5) != SQLITE_NULL))
            f->required = sqlite3_column_double(st, 5);
        if ((f->has_amount = sqlite3_column_type(st, 6) != SQLITE_NULL))
            f->amount = sqlite3_column_int64(st, 6);
        if (!text_of(r, st, 7, texts, ntexts, &f->unit) ||
            !text_of(r, st, 8, texts, ntexts, &f->note)) {
            rc = oom();
            goto done;
        }
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the findings");
done:
    sqlite3_finalize(st);
    er_buf_free(&sql);
    free(texts);
    free(rules);
    return rc;
}

/* Per-resident spending of every city, for the run's years, from the
 * values a run reads (the snapshot: a city without its own rows is the sum
 * of ALL its counties'); a city with neither is listed as absent, never
 * silently left out. When the data cannot be loaded as a snapshot (data a
 * run would refuse), the stored rows are read instead, and a city without
 * them is absent too. */
static int add_percap(er_report *r, size_t *cap, size_t *acap, int32_t gi,
                      int32_t year, double spend, double pop, bool derived)
{
    bool have = isfinite(spend) && isfinite(pop) && pop > 0;
    er_rep_percap *p =
        have ? grow((void **)&r->percap, &r->npercap, cap, sizeof *r->percap)
             : grow((void **)&r->percap_absent, &r->npercap_absent, acap,
                    sizeof *r->percap_absent);
    if (!p)
        return oom();
    p->region = gi;
    p->year = year;
    p->spend = have ? spend : NAN;
    p->pop = have ? pop : NAN;
    p->value = have ? spend / pop : NAN;
    p->derived = have && derived;
    return ER_OK;
}

static int load_percap(er_db *db, er_report *r)
{
    er_snapshot *s = NULL;
    sqlite3_stmt *st = NULL;
    size_t cap = 0, acap = 0;
    int src, rc = ER_OK;
    if (er_snapshot_load_opts(db->db, ER_SNAPSHOT_UNVERIFIED, &s) == ER_OK) {
        int32_t ms = er_strmap_find(&s->metrics, "fin.basic_service.spend");
        int32_t mp = er_strmap_find(&s->metrics, "pop.resident");
        for (int y = r->year_from; y && y <= r->year_to && rc == ER_OK; y++)
            for (size_t i = 0; i < r->nregions && rc == ER_OK; i++) {
                const er_rep_region *g = &r->regions[i];
                int32_t k = g->level && strcmp(g->level, "city") == 0
                                ? er_snapshot_region(s, g->code)
                                : -1;
                if (k < 0)
                    continue;
                rc = add_percap(r, &cap, &acap, (int32_t)i, y,
                                er_snapshot_fact(s, k, y, ms),
                                er_snapshot_fact(s, k, y, mp),
                                er_snapshot_derived(s, k, y, ms) ||
                                    er_snapshot_derived(s, k, y, mp));
            }
        er_snapshot_free(s);
        return rc;
    }
    rc = prepare(db,
                 "SELECT g.code, y.year, s.value, p.value FROM region g "
                 "JOIN (SELECT DISTINCT year FROM fact WHERE year BETWEEN ?1 "
                 "AND ?2) y LEFT JOIN fact s ON s.region = g.code AND "
                 "s.year = y.year AND s.metric = 'fin.basic_service.spend' "
                 "LEFT JOIN fact p ON p.region = g.code AND p.year = y.year "
                 "AND p.metric = 'pop.resident' WHERE g.level = 'city' "
                 "ORDER BY y.year, g.code",
                 &st);
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_int(st, 1, r->year_from);
    sqlite3_bind_int(st, 2, r->year_to);
    while ((src = sqlite3_step(st)) == SQLITE_ROW && rc == ER_OK) {
        int32_t gi = find_region(r, (const char *)col(st, 0));
        if (gi < 0)
            continue;
        double spend = sqlite3_column_type(st, 2) == SQLITE_NULL
                           ? NAN
                           : sqlite3_column_double(st, 2);
        double pop = sqlite3_column_type(st, 3) == SQLITE_NULL
                         ? NAN
                         : sqlite3_column_double(st, 3);
        rc = add_percap(r, &cap, &acap, gi, sqlite3_column_int(st, 1), spend,
                        pop, false);
    }
    if (rc == ER_OK && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = er_fail_sqlite(db->db, "reading the facts");
    sqlite3_finalize(st);
    return rc;
}

/* The names the data gives: the province (the first region of level
 * province), the policy (setting `policy`) and the zones. */
static int load_names(er_db *db, er_report *r)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int src, rc = prepare(db,
                          "SELECT name FROM region WHERE level = 'province' "
                          "ORDER BY code LIMIT 1",
                          &st);
    if (rc != ER_OK)
        return rc;
    if ((src = sqlite3_step(st)) == SQLITE_ROW &&
        !keep(r, col(st, 0), &r->province)) {
        rc = oom();
        goto done;
    }
    if (src != SQLITE_ROW && src != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, "reading the regions");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = prepare(db, "SELECT value FROM setting WHERE key = 'policy'",
                      &st)) != ER_OK)
        goto done;
    if ((src = sqlite3_step(st)) == SQLITE_ROW &&
        !keep(r, col(st, 0), &r->policy)) {
        rc = oom();
        goto done;
    }
    if (src != SQLITE_ROW && src != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, "reading the settings");
        goto done;
    }
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = prepare(db,
                      "SELECT code, name, short_name, colour FROM zone "
                      "ORDER BY sort IS NULL, sort, code",
                      &st)) != ER_OK)
        goto done;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        er_rep_zone *z =
            grow((void **)&r->zones, &r->nzones, &cap, sizeof *r->zones);
        if (!z || !keep(r, col(st, 0), &z->code) ||
            !keep(r, col(st, 1), &z->name) ||
            !keep(r, col(st, 2), &z->short_name) ||
            !keep(r, col(st, 3), &z->colour)) {
            rc = oom();
            goto done;
        }
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the zones");
done:
    sqlite3_finalize(st);
    return rc;
}

static int cmp_money(const void *a, const void *b)
{
    const er_rep_money *x = a, *y = b;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return x->region < y->region ? -1 : x->region > y->region;
}

/* Counts by rule, department and year; cuts and allocations by region. */
static int tally(er_report *r)
{
    size_t nyears = r->year_to >= r->year_from
                        ? (size_t)(r->year_to - r->year_from + 1)
                        : 0;
    size_t cap = 0, dcap = 0;
    er_rep_money *raw = NULL;
    size_t nraw = 0;
    int rc = ER_OK;

    if (nyears && !(r->year_counts = calloc(nyears, sizeof *r->year_counts)))
        return oom();
    /* Every total a report shows (by run, year, region) is a sum of some
     * of the run's amounts: when the sum of their magnitudes fits in 64
     * bits, so does each of those, and the writers may add freely. */
    int64_t magnitude[2] = {0, 0};
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        if ((f->outcome != ER_CUT && f->outcome != ER_ALLOCATION) ||
            !f->has_amount)
            continue;
        if (f->amount == INT64_MIN ||
            !er_fen_add(&magnitude[f->outcome == ER_ALLOCATION],
                        f->amount < 0 ? -f->amount : f->amount))
            return er_fail(ER_EDATA,
                           "run %lld: the %s amounts add up to more than "
                           "92,233,720,368,547,758.07 元, the largest total "
                           "that can be summed; the run cannot be reported",
                           (long long)r->id,
                           er_outcome_name((er_outcome)f->outcome));
    }
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        r->rules[f->rule].counts[f->outcome]++;
        r->counts[f->outcome]++;
        if (f->year >= r->year_from && f->year <= r->year_to && nyears)
            r->year_counts[f->year - r->year_from][f->outcome]++;
        if ((f->outcome == ER_CUT || f->outcome == ER_ALLOCATION) &&
            f->has_amount) {
            er_rep_money *m = grow((void **)&raw, &nraw, &cap, sizeof *raw);
            if (!m) {
                rc = oom();
                goto done;
            }
            m->region = f->region;
            m->year = f->year;
            if (f->outcome == ER_CUT) {
                m->cut = f->amount;
                m->ncut = 1;
                r->cut_fen += f->amount;
            } else {
                m->allocation = f->amount;
                m->nallocation = 1;
                r->allocation_fen += f->amount;
            }
        }
    }
    /* merge the amounts by year and region */
    if (nraw)
        qsort(raw, nraw, sizeof *raw, cmp_money);
    size_t mcap = 0;
    for (size_t i = 0; i < nraw; i++) {
        er_rep_money *last = r->nmoney ? &r->money[r->nmoney - 1] : NULL;
        if (last && last->year == raw[i].year &&
            last->region == raw[i].region) {
            last->cut += raw[i].cut;
            last->allocation += raw[i].allocation;
            last->ncut += raw[i].ncut;
            last->nallocation += raw[i].nallocation;
            continue;
        }
        er_rep_money *m =
            grow((void **)&r->money, &r->nmoney, &mcap, sizeof *r->money);
        if (!m) {
            rc = oom();
            goto done;
        }
        *m = raw[i];
    }
    /* departments, in id order since rules are */
    for (size_t i = 0; i < r->nrules; i++) {
        const er_rep_rule *u = &r->rules[i];
        er_rep_dept *d = NULL;
        for (size_t k = 0; k < r->ndepts; k++)
            if (strcmp(r->depts[k].id, u->department) == 0)
                d = &r->depts[k];
        if (!d) {
            d = grow((void **)&r->depts, &r->ndepts, &dcap, sizeof *r->depts);
            if (!d) {
                rc = oom();
                goto done;
            }
            d->id = u->department;
        }
        d->nrules++;
        for (int o = 0; o < ER_OUTCOME_COUNT; o++)
            d->counts[o] += u->counts[o];
    }
done:
    free(raw);
    return rc;
}

double er_report_core_mean(const er_report *r, int year)
{
    double spend = 0, pop = 0;
    for (size_t i = 0; i < r->npercap; i++) {
        const er_rep_percap *p = &r->percap[i];
        const char *zone = r->regions[p->region].zone;
        if (p->year == year && er_zone_parse(zone) == ER_ZONE_CORE) {
            spend += p->spend;
            pop += p->pop;
        }
    }
    double mean = pop > 0 ? spend / pop : NAN;
    return isfinite(mean) ? mean : NAN;
}

int er_rep_matrix_init(er_rep_matrix *m, const er_report *r)
{
    memset(m, 0, sizeof *m);
    /* + 1: never malloc(0) */
    m->cells = malloc(r->nrules * r->nregions + 1);
    m->used_rule = malloc(r->nrules + 1);
    m->used_region = malloc(r->nregions + 1);
    if (!m->cells || !m->used_rule || !m->used_region)
        return oom();
    return ER_OK;
}

void er_rep_matrix_fill(er_rep_matrix *m, const er_report *r, size_t *next)
{
    size_t i = *next;
    assert(i < r->nfindings);
    m->year = r->findings[i].year;
    memset(m->cells, -1, r->nrules * r->nregions);
    memset(m->used_rule, 0, r->nrules);
    memset(m->used_region, 0, r->nregions);
    for (; i < r->nfindings && r->findings[i].year == m->year; i++) {
        const er_rep_finding *f = &r->findings[i];
        int8_t *cell =
            &m->cells[(size_t)f->region * r->nrules + (size_t)f->rule];
        /* more than one finding in a cell: show the most severe */
        if (*cell < 0 || er_outcome_failing(f->outcome))
            *cell = f->outcome;
        m->used_rule[f->rule] = m->used_region[f->region] = true;
    }
    *next = i;
}

void er_rep_matrix_free(er_rep_matrix *m)
{
    free(m->cells);
    free(m->used_rule);
    free(m->used_region);
    memset(m, 0, sizeof *m);
}

/* The digest of the data tables as they are now, as a run computes it,
 * whether or not they hold the integrity rules (a report of an older run
 * says the data changed even when the current data is broken). */
static void digest_now(er_db *db, er_report *r)
{
    er_snapshot *snap = NULL;
    if (er_snapshot_load_opts(db->db, ER_SNAPSHOT_UNVERIFIED, &snap) ==
        ER_OK) {
        memcpy(r->data_digest_now, snap->digest, sizeof r->data_digest_now);
        r->data_changed =
            r->data_digest && strcmp(r->data_digest, r->data_digest_now) != 0;
    }
    er_snapshot_free(snap);
    er_error_clear();
}

static int load_goal_points(er_db *db, er_report *r);
static int load_rank_scores(er_db *db, er_report *r);
static int load_run_region(er_db *db, er_report *r);
static int load_goal_stored(er_db *db, er_report *r);

/* The hints the run's rules declare, whatever the filter. */
static int load_run_hints(er_db *db, er_report *r)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(
        db,
        "SELECT coalesce(max(json_extract(report, '$.index') IS NOT NULL "
        "AND item IS NULL), 0), coalesce(max(json_extract(report, "
        "'$.index') IS NOT NULL AND item IS NOT NULL), 0), "
        "coalesce(max(json_extract(report, '$.goal') IS NOT NULL), 0), "
        "coalesce(max(json_extract(report, '$.chart') = 'ranking'), 0) "
        "FROM run_rule WHERE run = ?1 AND json_valid(report)",
        &st);
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        static const unsigned bit[] = {ER_HINT_INDEX, ER_HINT_ITEM_INDEX,
                                       ER_HINT_GOAL, ER_HINT_RANKING};
        for (int i = 0; i < 4; i++)
            if (sqlite3_column_int(st, i))
                r->run_hints |= bit[i];
    } else
        rc = er_fail_sqlite(db->db, "reading the rules' report hints");
    sqlite3_finalize(st);
    return rc;
}

const char *er_report_absent_why(const er_report *r, unsigned hint)
{
    bool cut = (r->run_hints & hint) != 0;
    switch (hint) {
    case ER_HINT_INDEX:
        return cut ? "本报告的筛选条件未含声明均等化指数的规则的结果"
                     "（本次运行有这样的规则）。"
                   : "本次运行没有规则声明均等化指数（report = { index = "
                     "... }）。";
    case ER_HINT_ITEM_INDEX:
        return cut ? "分项目：本报告的筛选条件未含声明项目均等化指数的规则"
                     "的结果（本次运行有这样的规则）。"
                   : "分项目：本次运行没有规则声明项目的均等化指数"
                     "（report = { index = ... } 且设 item）。";
    case ER_HINT_GOAL:
        return cut ? "本报告的筛选条件未含声明目标的规则的结果"
                     "（本次运行有这样的规则），本节为空。"
                   : "本次运行没有规则声明目标（report = { goal = 年份 }），"
                     "本节为空。";
    default:
        return cut ? "本报告的筛选条件未含声明排名的规则的结果"
                     "（本次运行有这样的规则），本节为空。"
                   : "本次运行没有规则声明排名（report = { chart = "
                     "\"ranking\" }），本节为空。";
    }
}

int er_report_load(er_db *db, int64_t run_id, er_report **out)
{
    return er_report_load_filtered(db, run_id, NULL, out);
}

int er_report_load_filtered(er_db *db, int64_t run_id, const er_rep_filter *f,
                            er_report **out)
{
    er_report *r = calloc(1, sizeof *r);
    int rc;

    assert(db && out);
    *out = NULL;
    if (!r)
        return oom();
    er_gapset_init(&r->gaps);
    r->names_db = db->db;
    r->id = run_id;
    r->gap_rule = r->rank_rule = -1;
    if (f && f->active) {
        r->filter_year = f->year;
        r->filter_rows = f->year || f->regions || f->outcomes;
    }
    if ((rc = load_run(db, r)) != ER_OK || (rc = load_files(db, r)) != ER_OK ||
        (rc = load_rules(db, r, f)) != ER_OK ||
        (rc = load_regions(db, r, f)) != ER_OK ||
        (rc = load_findings(db, r, f)) != ER_OK)
        goto done;
    if (!r->year_from && r->nfindings) {
        r->year_from = r->findings[0].year;
        r->year_to = r->findings[r->nfindings - 1].year;
    }
    if ((rc = load_percap(db, r)) != ER_OK ||
        (rc = load_names(db, r)) != ER_OK || (rc = tally(r)) != ER_OK ||
        (rc = load_run_region(db, r)) != ER_OK ||
        (rc = load_rank_scores(db, r)) != ER_OK ||
        (rc = load_run_hints(db, r)) != ER_OK ||
        /* a report narrowed to a year, regions or outcomes shows those
         * findings only: no other run's */
        (!(f && f->active && (f->year || f->regions || f->outcomes)) &&
         (rc = load_goal_points(db, r)) != ER_OK) ||
        (r->filter_rows && (rc = load_goal_stored(db, r)) != ER_OK) ||
        (rc = er_run_gapset_filtered(db, run_id, f, &r->gaps)) != ER_OK)
        goto done;
    if (f && f->active && (!keep(r, (const unsigned char *)f->text,
                                 &r->filter) ||
                           !keep(r, (const unsigned char *)f->json,
                                 &r->filter_json))) {
        rc = oom();
        goto done;
    }
    digest_now(db, r);
    *out = r;
    r = NULL;
done:
    er_report_free(r);
    return rc;
}

void er_report_free(er_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nstrs; i++)
        free(r->strs[i]);
    free(r->strs);
    free(r->file_paths);
    free(r->file_sha256);
    free(r->rules);
    free(r->depts);
    free(r->regions);
    free(r->findings);
    free(r->year_counts);
    free(r->money);
    free(r->percap);
    free(r->percap_absent);
    free(r->zones);
    free(r->goal_points);
    free(r->rank_scores);
    er_gapset_free(&r->gaps);
    free(r);
}

/* ---- equalization index, goals, ranking -------------------------------- */

/* The points of the goal rules for the years outside the run's: the latest
 * other finished run's finding of the same rule for each such year (its
 * first by region code). Only a run that evaluated the rule as this one
 * did counts: it recorded the rule (run_rule), was not narrowed to a region
 * (nor is an old run known only by its command line), holds the same
 * params for the rule (a what-if run with other params never does), and
 * ran the same code: the rule's file (run_rule.path) and every helper
 * module and builtin it recorded (run_source) have the same SHA-256 as in
 * this run. A year whose only findings are of other runs is counted in
 * rules[].goal_left_out instead. */
static int load_goal_points(er_db *db, er_report *r)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = ER_OK;
    for (size_t u = 0; u < r->nrules && rc == ER_OK; u++) {
        if (!r->rules[u].goal)
            continue;
        if (!st &&
            (rc = prepare(db,
                          "SELECT f.year, f.run, f.outcome, f.measured, "
                          "f.required, rr.rule IS NOT NULL AND CASE WHEN "
                          "json_valid(coalesce(x.scope, '{}')) THEN "
                          "json_extract(coalesce(x.scope, '{}'), '$.region') "
                          "IS NULL AND json_extract(coalesce(x.scope, '{}'), "
                          "'$.command') IS NULL ELSE 0 END AND "
                          "json(rr.params) IS json(?5) AND EXISTS (SELECT 1 "
                          "FROM run_rule ra JOIN run_source a ON a.run = "
                          "ra.run AND a.kind = 'rule' AND a.path = ra.path "
                          "JOIN run_source b ON b.run = x.id AND b.kind = "
                          "'rule' AND b.path = rr.path AND b.sha256 = "
                          "a.sha256 WHERE ra.run = ?2 AND ra.rule = ?1) AND "
                          "NOT EXISTS (SELECT kind, path, sha256 FROM "
                          "run_source WHERE run = ?2 AND kind <> 'rule' "
                          "EXCEPT SELECT kind, path, sha256 FROM run_source "
                          "WHERE run = x.id AND kind <> 'rule') AND NOT "
                          "EXISTS (SELECT kind, path, sha256 FROM run_source "
                          "WHERE run = x.id AND kind <> 'rule' EXCEPT SELECT "
                          "kind, path, sha256 FROM run_source WHERE run = ?2 "
                          "AND kind <> 'rule') AS ok "
                          "FROM finding f JOIN run x ON x.id = f.run AND "
                          "x.status = 'done' LEFT JOIN run_rule rr ON rr.run "
                          "= x.id AND rr.rule = ?1 WHERE f.rule = ?1 AND "
                          "f.run <> ?2 AND (f.year < ?3 OR f.year > ?4) "
                          "ORDER BY f.year, ok DESC, f.run DESC, f.region",
                          &st)) != ER_OK)
            break;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, r->rules[u].id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, r->id);
        sqlite3_bind_int(st, 3, r->year_from);
        sqlite3_bind_int(st, 4, r->year_to);
        if (r->rules[u].params)
            sqlite3_bind_text(st, 5, r->rules[u].params, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 5);
        int src, seen = 0;
        while ((src = sqlite3_step(st)) == SQLITE_ROW) {
            int year = sqlite3_column_int(st, 0);
            if (seen == year)
                continue; /* an older run, or another region */
            seen = year;
            if (!sqlite3_column_int(st, 5)) {
                r->rules[u].goal_left_out++; /* no run of the same code */
                if (year == r->rules[u].goal)
                    r->rules[u].goal_year_left_out = true;
                continue;
            }
            int outcome = er_outcome_parse((const char *)col(st, 2));
            if (outcome < 0)
                continue; /* the schema's checks make this impossible */
            er_rep_goalpt *p = grow((void **)&r->goal_points,
                                    &r->ngoal_points, &cap,
                                    sizeof *r->goal_points);
            if (!p) {
                rc = oom();
                break;
            }
            p->rule = (int32_t)u;
            p->year = year;
            p->run = sqlite3_column_int64(st, 1);
            p->outcome = (int8_t)outcome;
            if ((p->has_measured = sqlite3_column_type(st, 3) != SQLITE_NULL))
                p->measured = sqlite3_column_double(st, 3);
            if ((p->has_required = sqlite3_column_type(st, 4) != SQLITE_NULL))
                p->required = sqlite3_column_double(st, 4);
        }
        if (rc == ER_OK && src != SQLITE_DONE)
            rc = er_fail_sqlite(db->db, "reading the goals' other runs");
    }
    sqlite3_finalize(st);
    return rc;
}

const char *er_report_region_why(const er_report *r)
{
    if (!r->run_region)
        return NULL;
    return "本次运行按地区运行（--region），只评估了一个地区，未评估全省："
           "省级的均等化指数和目标没有本次运行的结果。";
}

int er_report_goal_left_out(const er_report *r, int32_t rule, er_buf *out)
{
    int n = r->rules[rule].goal_left_out;
    if (!n)
        return ER_OK;
    er_buf_printf(out,
                  "另有 %d 个年度的点取自其他运行，未列入：那些运行的规则文件"
                  "或辅助模块与本次运行不同（SHA-256），或参数不同，或只评估"
                  "了一个地区。",
                  n);
    return er_buf_status(out);
}

const char *er_index_zh(const char *index)
{
    static const char *const zh[] = {
        "变异系数", "变异系数（人口加权）", "基尼系数", "泰尔指数",
        "泰尔指数·区域间", "泰尔指数·区域内", "泰尔指数·市内（县区间）"};
    for (size_t i = 0; er_report_indexes[i]; i++)
        if (strcmp(er_report_indexes[i], index) == 0 &&
            i < sizeof zh / sizeof *zh)
            return zh[i];
    return index;
}

const er_rep_finding *er_report_finding_of(const er_report *r, int32_t rule,
                                           int year, int *count)
{
    const er_rep_finding *first = NULL;
    int n = 0;
    for (size_t i = 0; i < r->nfindings; i++) {
        const er_rep_finding *f = &r->findings[i];
        if (f->rule != rule || f->year != year)
            continue;
        if (!first || f->region < first->region)
            first = f;
        n++;
    }
    if (count)
        *count = n;
    return first;
}

int32_t er_report_index_rule(const er_report *r, const char *index)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (r->rules[i].index && !r->rules[i].item &&
            strcmp(r->rules[i].index, index) == 0)
            return (int32_t)i;
    return -1;
}

bool er_report_has_index(const er_report *r, bool item)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (r->rules[i].index && !r->rules[i].item == !item)
            return true;
    return false;
}

bool er_report_has_goal(const er_report *r)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (r->rules[i].goal)
            return true;
    return false;
}

static int cmp_goalpt(const void *a, const void *b)
{
    const er_rep_goalpt *x = a, *y = b;
    return (x->year > y->year) - (x->year < y->year);
}

int er_report_goal_series(const er_report *r, int32_t rule,
                          er_rep_goalpt **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (int y = r->year_from; y <= r->year_to; y++) {
        const er_rep_finding *f = er_report_finding_of(r, rule, y, NULL);
        if (!f)
            continue;
        er_rep_goalpt *p = grow((void **)out, n, &cap, sizeof **out);
        if (!p)
            goto oom;
        p->rule = rule;
        p->year = y;
        p->run = r->id;
        p->outcome = f->outcome;
        p->has_measured = f->has_measured;
        p->measured = f->measured;
        p->has_required = f->has_required;
        p->required = f->required;
    }
    for (size_t i = 0; i < r->ngoal_points; i++) {
        if (r->goal_points[i].rule != rule)
            continue;
        er_rep_goalpt *p = grow((void **)out, n, &cap, sizeof **out);
        if (!p)
            goto oom;
        *p = r->goal_points[i];
    }
    if (*n)
        qsort(*out, *n, sizeof **out, cmp_goalpt);
    return ER_OK;
oom:
    free(*out);
    *out = NULL;
    *n = 0;
    return oom();
}

const char *er_goal_num(char *buf, size_t size, double v)
{
    if (!isfinite(v))
        snprintf(buf, size, "—");
    else if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, size, "%.0f", v);
    else {
        snprintf(buf, size, "%.4f", v);
        /* "0.30" for 0.3000, "0.015" for 0.0150: at least two decimals */
        char *dot = strchr(buf, '.');
        size_t n = strlen(buf);
        while (dot && n > (size_t)(dot - buf) + 3 && buf[n - 1] == '0')
            buf[--n] = '\0';
    }
    return buf;
}

/* "0.2616 ≤ 0.3000": the measured value and the required one, with the
 * sign that holds between them, whatever the rule's direction: for a met
 * target ≤ or ≥ (the target allows equality), for a missed one the strict
 * < or >, and = when the two are equal. */
static void goal_compare(er_buf *out, const er_rep_goalpt *p)
{
    char a[64], b[64];
    er_goal_num(a, sizeof a, p->measured);
    if (!p->has_required || !isfinite(p->required) ||
        !isfinite(p->measured)) {
        er_buf_puts(out, a);
        return;
    }
    er_goal_num(b, sizeof b, p->required);
    const char *sign;
    if (p->measured == p->required)
        sign = "=";
    else if (p->outcome == ER_PASS || p->outcome == ER_WARN)
        sign = p->measured < p->required ? "≤" : "≥";
    else
        sign = p->measured < p->required ? "<" : ">";
    er_buf_printf(out, "%s %s %s", a, sign, b);
}

int er_report_goal_sentence(const er_report *r, int32_t rule,
                            const er_rep_goalpt *pts, size_t n, er_buf *out,
                            int *met)
{
    int goal = r->rules[rule].goal;
    const er_rep_goalpt *at = NULL, *latest = NULL;
    for (size_t i = 0; i < n; i++) {
        if (pts[i].year == goal)
            at = &pts[i];
        if (pts[i].has_measured && isfinite(pts[i].measured))
            latest = &pts[i];
    }
    *met = -1;
    if (at && at->has_measured && isfinite(at->measured) &&
        (at->outcome == ER_PASS || at->outcome == ER_WARN ||
         at->outcome == ER_FAIL)) {
        *met = at->outcome != ER_FAIL;
        er_buf_printf(out, "%d年：", goal);
        goal_compare(out, at);
        er_buf_printf(out, "，%s（%d年）", *met ? "已达到目标" : "未达到目标",
                      goal);
        if (at->run != r->id)
            er_buf_printf(out, "（取自运行 #%lld）", (long long)at->run);
    } else {
        er_buf_printf(out, "%d年目标：", goal);
        if (at)
            er_buf_printf(out, "%d年结果为「%s」，无法判断", goal,
                          er_outcome_zh(at->outcome));
        else if (r->rules[rule].goal_year_left_out)
            er_buf_printf(out,
                          "%d年的结果只在规则代码或参数不同的其他运行中，"
                          "未列入",
                          goal);
        else if (r->filter_rows && r->rules[rule].goal_stored)
            er_buf_printf(out, "报告按筛选条件未含%d年", goal);
        else
            er_buf_printf(out, "尚无%d年数据", goal);
        if (latest && latest != at) {
            er_buf_printf(out, "；最近 %d年：", latest->year);
            goal_compare(out, latest);
            if (latest->run != r->id)
                er_buf_printf(out, "（取自运行 #%lld）",
                              (long long)latest->run);
        }
    }
    return er_buf_status(out);
}

/* A score as the ranking rule ranks it: rounded to 0.01, half up
 * (finance.performance: math.floor(score * 100 + 0.5)). */
static double shown_score(double v) { return floor(v * 100 + 0.5); }

/* rules[].goal_stored: whether any stored run holds a finding of the goal
 * rule for its goal year. */
static int load_goal_stored(er_db *db, er_report *r)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    for (size_t u = 0; u < r->nrules && rc == ER_OK; u++) {
        if (!r->rules[u].goal)
            continue;
        if (!st && (rc = prepare(db,
                                 "SELECT 1 FROM finding WHERE rule = ? AND "
                                 "year = ? LIMIT 1",
                                 &st)) != ER_OK)
            break;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, r->rules[u].id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, r->rules[u].goal);
        int src = sqlite3_step(st);
        if (src == SQLITE_ROW)
            r->rules[u].goal_stored = true;
        else if (src != SQLITE_DONE)
            rc = er_fail_sqlite(db->db, "reading the goals' years");
    }
    sqlite3_finalize(st);
    return rc;
}

/* r->run_region: the region the run was narrowed to, from run.scope. */
static int load_run_region(er_db *db, er_report *r)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if ((rc = prepare(db,
                      "SELECT CASE WHEN scope IS NULL OR scope = '{}' THEN "
                      "NULL WHEN NOT json_valid(scope) THEN '?' WHEN "
                      "json_extract(scope, '$.command') IS NOT NULL THEN '?' "
                      "ELSE json_extract(scope, '$.region') END FROM run "
                      "WHERE id = ?",
                      &st)) != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    if (sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) != SQLITE_NULL &&
        !keep(r, col(st, 0), &r->run_region))
        rc = oom();
    sqlite3_finalize(st);
    return rc;
}

/* The scores of the ranking rule's findings of the whole run, whatever the
 * filter, and the number of cities of the region table. */
static int load_rank_scores(er_db *db, er_report *r)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc, src;
    if (r->rank_rule < 0)
        return ER_OK;
    if ((rc = prepare(db, "SELECT count(*) FROM region WHERE level = 'city'",
                      &st)) != ER_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        r->rank_cities = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = prepare(db,
                      "SELECT year, measured FROM finding WHERE run = ?1 "
                      "AND rule = ?2 ORDER BY year, region",
                      &st)) != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, r->id);
    sqlite3_bind_text(st, 2, r->rules[r->rank_rule].id, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        struct er_rep_score *p =
            grow((void **)&r->rank_scores, &r->nrank_scores, &cap,
                 sizeof *r->rank_scores);
        if (!p) {
            rc = oom();
            break;
        }
        p->year = sqlite3_column_int(st, 0);
        double v = sqlite3_column_double(st, 1);
        p->has = sqlite3_column_type(st, 1) != SQLITE_NULL && isfinite(v);
        p->shown = p->has ? shown_score(v) : 0;
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db->db, "reading the ranking's scores");
    sqlite3_finalize(st);
    return rc;
}

long er_report_ranked(const er_report *r, int year)
{
    long n = 0;
    for (size_t i = 0; i < r->nrank_scores; i++)
        n += r->rank_scores[i].year == year && r->rank_scores[i].has;
    return n;
}

static int cmp_rank(const void *a, const void *b)
{
    const er_rep_finding *x = *(const er_rep_finding *const *)a;
    const er_rep_finding *y = *(const er_rep_finding *const *)b;
    bool sx = x->has_measured && isfinite(x->measured);
    bool sy = y->has_measured && isfinite(y->measured);
    if (sx != sy)
        return sx ? -1 : 1;
    if (sx) {
        double vx = shown_score(x->measured), vy = shown_score(y->measured);
        if (vx != vy)
            return vx > vy ? -1 : 1;
    }
    return (x->region > y->region) - (x->region < y->region);
}

int er_report_ranking(const er_report *r, int year,
                      const er_rep_finding ***out, int **ranks, size_t *n)
{
    size_t k = 0;
    *out = NULL;
    *ranks = NULL;
    *n = 0;
    for (size_t i = 0; r->rank_rule >= 0 && i < r->nfindings; i++)
        k += r->findings[i].rule == r->rank_rule && r->findings[i].year == year;
    if (!k)
        return ER_OK;
    const er_rep_finding **list = malloc(k * sizeof *list);
    int *rk = malloc(k * sizeof *rk);
    if (!list || !rk) {
        free(list);
        free(rk);
        return oom();
    }
    k = 0;
    for (size_t i = 0; i < r->nfindings; i++)
        if (r->findings[i].rule == r->rank_rule &&
            r->findings[i].year == year)
            list[k++] = &r->findings[i];
    qsort(list, k, sizeof *list, cmp_rank);
    /* the rank among all the run's scores of the year (competition
     * ranking on the rounded score: 1 + the number scored higher) */
    for (size_t i = 0; i < k; i++) {
        const er_rep_finding *f = list[i];
        rk[i] = 0;
        if (r->run_region || !f->has_measured || !isfinite(f->measured))
            continue;
        double mine = shown_score(f->measured);
        rk[i] = 1;
        for (size_t j = 0; j < r->nrank_scores; j++)
            rk[i] += r->rank_scores[j].year == year &&
                     r->rank_scores[j].has &&
                     r->rank_scores[j].shown > mine;
    }
    *out = list;
    *ranks = rk;
    *n = k;
    return ER_OK;
}

/* ---- entry points ------------------------------------------------------- */

int er_run_find(er_db *db, const char *spec, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc;

    assert(db && out);
    if (!spec || strcmp(spec, "latest") == 0)
        return er_run_latest(db, out);
    char *end;
    long long id = strtoll(spec, &end, 10);
    if (end == spec || *end || id <= 0)
        return er_fail(ER_EUSAGE,
                       "run '%s': give a run id (see `equirule runs`) or "
                       "latest",
                       spec);
    if ((rc = prepare(db, "SELECT 1 FROM run WHERE id = ?", &st)) != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int src = sqlite3_step(st);
    sqlite3_finalize(st);
    if (src == SQLITE_DONE)
        return er_fail(ER_ENOTFOUND,
                       "no run %lld in %s; `equirule runs --db %s` lists the "
                       "stored runs",
                       id, db->path, db->path);
    if (src != SQLITE_ROW)
        return er_fail_sqlite(db->db, "reading runs");
    *out = id;
    return ER_OK;
}

int er_run_default(er_db *db, int64_t *out, char **scope_out)
{
    sqlite3_stmt *st = NULL;
    int rc;
    assert(db && out);
    if (scope_out)
        *scope_out = NULL;
    if ((rc = prepare(db,
                      "SELECT id, " ER_RUN_SCOPE_TEXT_SQL("scope")
                      " FROM run WHERE status = 'done' "
                      "ORDER BY (scope IS NULL OR scope <> '{}'), id DESC "
                      "LIMIT 1",
                      &st)) != ER_OK)
        return rc;
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        const char *scope = (const char *)sqlite3_column_text(st, 1);
        if (scope && scope_out && !(*scope_out = er_strdup(scope)))
            rc = oom();
    } else if (src == SQLITE_DONE) {
        rc = er_fail(ER_ENOTFOUND,
                     "%s holds no finished run; start one with `equirule "
                     "run`",
                     db->path);
    } else {
        rc = er_fail_sqlite(db->db, "reading runs");
    }
    sqlite3_finalize(st);
    return rc;
}

int er_report_write(er_db *db, int64_t run_id, er_format fmt, unsigned flags,
                    FILE *fp)
{
    return er_report_write_filtered(db, run_id, NULL, fmt, flags, fp);
}

int er_report_write_filtered(er_db *db, int64_t run_id,
                             const er_report_filter *filter, er_format fmt,
                             unsigned flags, FILE *fp)
{
    er_report *r = NULL;
    er_rep_filter flt;
    int rc;

    assert(db && fp);
    memset(&flt, 0, sizeof flt);
    char spec[32];
    int64_t id = 0;
    snprintf(spec, sizeof spec, "%lld", (long long)run_id);
    /* the run first: "no run 9" before "run 9 has no department x" */
    if (!er_report_filter_empty(filter) &&
        (rc = er_run_find(db, spec, &id)) != ER_OK)
        goto done;
    if ((rc = er_rep_filter_resolve(db, &run_id, 1, filter, &flt)) != ER_OK ||
        (rc = er_rep_filter_none_match(db, &run_id, 1, &flt)) != ER_OK)
        goto done;
    if (fmt == ER_FORMAT_TEXT) {
        if ((rc = er_run_print_summary_filtered(db, run_id, &flt, fp, 0)) ==
            ER_OK)
            rc = er_check_written(fp, "report");
        goto done;
    }
    if ((rc = er_report_load_filtered(db, run_id, &flt, &r)) != ER_OK)
        goto done;
    switch (fmt) {
    case ER_FORMAT_HTML:
        rc = er_report_html(r, fp);
        break;
    case ER_FORMAT_MD:
        rc = er_report_md(r, fp);
        break;
    case ER_FORMAT_CSV:
        rc = er_report_csv(r, fp, flags);
        break;
    case ER_FORMAT_JSON:
        rc = er_report_json(r, fp);
        break;
    default:
        rc = er_fail(ER_EUSAGE, "no such report format");
    }
    if (rc == ER_OK)
        rc = er_check_written(fp, "report");
done:
    er_report_free(r);
    er_rep_filter_free(&flt);
    return rc;
}
