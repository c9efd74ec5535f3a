/*
 * lint_synth.c - lint's evaluation without real data: the selected rules
 * are evaluated on a small synthetic province (a province, a city of each
 * zone, tiers 1 to 3, a county below each, and every region a rule file
 * names by its code) held in an in-memory database with the real schema,
 * through the engine's own path. The view
 * answers what a rule reads with plausible values: when an evaluation
 * stops as `missing` for a fact, or reads a standard, a share or a fact
 * (r:has) that is not there, the value is added (inside the metric's
 * declared domain when the catalog gives one, else a positive number; a
 * county's amount or count is its city's, so that they add up) and
 * the rules are evaluated again, up to a bound. The findings of the last
 * round are handed back; what they mean is lint.c's business. It reads no
 * real data and changes nothing.
 */
#include "tools.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Rounds of evaluation: each round adds at least one value (an
 * evaluation stops at its first read that finds nothing, so a rule that
 * reads N distinct values takes about N rounds). */
#define SYNTH_ROUNDS 256
/* The years data can hold (the integrity rules): nothing outside them is
 * made up, so that the synthetic data never breaks its own integrity. */
#define SYNTH_YEAR_MIN 1949
#define SYNTH_YEAR_MAX 2100
/* The year a rule with no effective years is evaluated in. */
#define SYNTH_YEAR 2020
/* Regions named by code in the rule files that are added, at most. */
#define SYNTH_NAMED_MAX 64

typedef struct synth_region {
    const char *code, *name, *level, *parent, *zone;
    int tier; /* 0: none */
} synth_region;

/* A city of each zone, tiers 1 to 3, a county below each. */
static const synth_region regions[] = {
    {"440000", "示例省(lint)", "province", NULL, NULL, 0},
    {"440100", "示例市甲(lint)", "city", "440000", "core", 3},
    {"440105", "示例县甲(lint)", "county", "440100", "core", 3},
    {"440200", "示例市乙(lint)", "city", "440000", "north", 1},
    {"440203", "示例县乙(lint)", "county", "440200", "north", 1},
    {"440500", "示例市丙(lint)", "city", "440000", "east", 2},
    {"440507", "示例县丙(lint)", "county", "440500", "east", 2},
    {"440800", "示例市丁(lint)", "city", "440000", "west", 2},
    {"440803", "示例县丁(lint)", "county", "440800", "west", 2},
};
#define NREGIONS (sizeof regions / sizeof regions[0])

typedef struct synth {
    sqlite3 *db;
    char uri[128];
    char (*codes)[8]; /* every region: the above, then the rules' own */
    size_t ncodes;
    sqlite3 *catalog; /* the real database, for metric domains; or NULL */
    bool has_min, has_max, has_kind, has_integer; /* metric columns */
    const er_snapshot *snap; /* of the round in progress */
    er_strmap gaps;          /* what was added: "kind\x1fkey\x1f..." */
    size_t added;            /* values added in this round */
    int rc;                  /* first failure while adding */
    const er_trace_hook *next; /* the caller's hook, called after ours */
} synth;

static int exec(synth *s, const char *sql, const char *types, ...)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(s->db, "building the synthetic region");
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 's') {
            const char *v = va_arg(ap, const char *);
            if (v)
                sqlite3_bind_text(st, i + 1, v, -1, SQLITE_TRANSIENT);
            else
                sqlite3_bind_null(st, i + 1);
        } else if (types[i] == 'i') {
            int v = va_arg(ap, int);
            if (v)
                sqlite3_bind_int(st, i + 1, v);
            else
                sqlite3_bind_null(st, i + 1);
        } else {
            sqlite3_bind_double(st, i + 1, va_arg(ap, double));
        }
    }
    va_end(ap);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return er_fail_sqlite(s->db, "building the synthetic region");
    return ER_OK;
}

/* A number from the key, the same on every run. */
static uint32_t key_hash(const char *key)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* Whether the real database's metric table has column `name`. */
static bool has_column(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('metric')",
                           -1, &st, NULL) != SQLITE_OK)
        return false;
    while (!found && sqlite3_step(st) == SQLITE_ROW)
        found = sqlite3_column_text(st, 0) &&
                strcmp((const char *)sqlite3_column_text(st, 0), name) == 0;
    sqlite3_finalize(st);
    return found;
}

/* The declared domain of a metric in the catalog (the columns min, max,
 * kind and integer of the metric table, those it has): *lo and *hi set
 * when known (NAN otherwise), *whole when values are whole numbers. The
 * kinds count, money, ratio and per_unit are >= 0, count whole, unless a
 * column says otherwise. */
static void metric_domain(const synth *s, const char *key, double *lo,
                          double *hi, bool *whole)
{
    *lo = *hi = NAN;
    *whole = false;
    if (!s->catalog ||
        (!s->has_min && !s->has_max && !s->has_kind && !s->has_integer))
        return;
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT %s, %s, %s, %s FROM metric WHERE key = ?",
             s->has_min ? "\"min\"" : "NULL", s->has_max ? "\"max\"" : "NULL",
             s->has_kind ? "kind" : "NULL",
             s->has_integer ? "\"integer\"" : "NULL");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->catalog, sql, -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 2);
        if (kind) {
            *whole = strcmp(kind, "count") == 0;
            if (*whole || strcmp(kind, "money") == 0 ||
                strcmp(kind, "ratio") == 0 || strcmp(kind, "per_unit") == 0)
                *lo = 0;
        }
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            *whole = sqlite3_column_int(st, 3) != 0;
        if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            *lo = sqlite3_column_double(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            *hi = sqlite3_column_double(st, 1);
    }
    sqlite3_finalize(st);
}

/*
 * A plausible value of metric `key` for the synthetic region `i`: inside
 * the declared domain when there is one, else a positive whole number
 * (1000 to 9999 and more). Values differ by key and by region, so that a
 * ratio of two metrics or a gap between two regions is never 0/0.
 */
static double plausible_fact(const synth *s, const char *key, size_t i)
{
    uint32_t h = key_hash(key);
    double base = 1000 + h % 9000 + (double)i * (13 + h % 97);
    double lo, hi, v;
    bool whole;
    metric_domain(s, key, &lo, &hi, &whole);
    double f = 0.3 + 0.1 * (double)((h + i) % 5); /* 0.3 .. 0.7 */
    if (!isnan(lo) && !isnan(hi))
        v = lo + (hi - lo) * f;
    else if (!isnan(lo))
        v = (lo > 0 ? lo : 0) + base;
    else if (!isnan(hi))
        v = hi > 0 ? hi * f : hi - base;
    else
        v = base;
    if (whole) { /* a whole number inside the bounds, when there is one */
        double r = ceil(v);
        if (!isnan(hi) && r > hi)
            r = floor(v);
        v = r;
    }
    return v;
}

/*
 * The region whose plausible value region `i` takes for `metric`: itself,
 * except a synthetic county, the only one of its city, for a metric with
 * no upper bound (an amount or a count, which adds up): its city's, so
 * that the city's figure is the sum of its counties' as in real data (a
 * rule checking that they add up finds them so).
 */
static size_t summed_from(const synth *s, const char *metric, size_t i)
{
    if (i >= NREGIONS || strcmp(regions[i].level, "county") != 0)
        return i;
    double lo, hi;
    bool whole;
    metric_domain(s, metric, &lo, &hi, &whole);
    if (!isnan(hi))
        return i;
    for (size_t j = 0; j < NREGIONS; j++)
        if (strcmp(regions[j].code, regions[i].parent) == 0)
            return j;
    return i;
}

/* Adds `tag` to the gaps filled; false when it was there already. */
static bool new_gap(synth *s, const char *tag)
{
    if (er_strmap_find(&s->gaps, tag) >= 0)
        return false;
    if (er_strmap_intern(&s->gaps, tag) < 0) {
        if (s->rc == ER_OK)
            s->rc = er_fail(ER_ENOMEM, "out of memory");
        return false;
    }
    return true;
}

/* Adds the metric for `year` and the years before it up to FACT_YEARS, so
 * that a rule reading a series does not take a round per year. */
#define FACT_YEARS 10

static void add_fact_year(synth *s, const char *metric, int year)
{
    if (year < SYNTH_YEAR_MIN || year > SYNTH_YEAR_MAX)
        return;
    char tag[512];
    snprintf(tag, sizeof tag, "f\x1f%s\x1f%d", metric, year);
    if (!new_gap(s, tag))
        return;
    int rc = exec(s, "INSERT OR IGNORE INTO metric(key, name) VALUES (?, ?)",
                  "ss", metric, metric);
    for (size_t i = 0; rc == ER_OK && i < s->ncodes; i++)
        rc = exec(s,
                  "INSERT OR IGNORE INTO fact(region, year, metric, value, "
                  "source) VALUES (?, ?, ?, ?, 'lint')",
                  "sisd", s->codes[i], year, metric,
                  plausible_fact(s, metric, summed_from(s, metric, i)));
    if (rc != ER_OK && s->rc == ER_OK)
        s->rc = rc;
    s->added++;
}

static void add_fact(synth *s, const char *metric, int year)
{
    for (int y = year; y > year - FACT_YEARS && y >= SYNTH_YEAR_MIN; y--)
        add_fact_year(s, metric, y);
}

static void add_standard(synth *s, const char *key, int scope,
                         const char *region, int year)
{
    if (year < SYNTH_YEAR_MIN || year > SYNTH_YEAR_MAX)
        return;
    const char *scope_name = scope == ER_SCOPE_PROVINCIAL ? "provincial"
                             : scope == ER_SCOPE_LOCAL    ? "local"
                                                          : "national";
    char tag[512];
    snprintf(tag, sizeof tag, "s\x1f%s\x1f%s\x1f%s\x1f%d", key, scope_name,
             scope == ER_SCOPE_LOCAL ? region : "", year);
    if (!new_gap(s, tag))
        return;
    uint32_t h = key_hash(key);
    int rc = exec(s,
                  "INSERT INTO standard(key, scope, region, year_from, "
                  "year_to, value, basis) VALUES (?, ?, ?, ?, ?, ?, 'lint')",
                  "sssiid", key, scope_name,
                  scope == ER_SCOPE_LOCAL ? region : NULL, year, year,
                  (double)(10 + h % 990));
    if (rc != ER_OK && s->rc == ER_OK)
        s->rc = rc;
    s->added++;
}

static void add_share(synth *s, const char *item, int year)
{
    if (year < SYNTH_YEAR_MIN || year > SYNTH_YEAR_MAX)
        return;
    char tag[512];
    snprintf(tag, sizeof tag, "h\x1f%s\x1f%d", item, year);
    if (!new_gap(s, tag))
        return;
    int rc = exec(s,
                  "INSERT OR IGNORE INTO item(code, category, name, "
                  "department) VALUES (?, 'lint', ?, 'lint')",
                  "ss", item, item);
    for (int tier = 1; rc == ER_OK && tier <= 3; tier++)
        rc = exec(s,
                  "INSERT INTO share(item, tier, year_from, year_to, "
                  "province_share) VALUES (?, ?, ?, ?, ?)",
                  "siiid", item, tier, year, year, 0.2 + 0.2 * tier);
    if (rc != ER_OK && s->rc == ER_OK)
        s->rc = rc;
    s->added++;
}

/* Adds a default split for `city` (a code) in `year`, and the item. */
static void add_split(synth *s, const char *item, const char *city, int year)
{
    if (year < SYNTH_YEAR_MIN || year > SYNTH_YEAR_MAX)
        return;
    char tag[512];
    snprintf(tag, sizeof tag, "p\x1f%s\x1f%d", city, year);
    if (!new_gap(s, tag))
        return;
    int rc = exec(s,
                  "INSERT OR IGNORE INTO item(code, category, name, "
                  "department) VALUES (?, 'lint', ?, 'lint')",
                  "ss", item, item);
    if (rc == ER_OK)
        rc = exec(s,
                  "INSERT INTO split(city, item, year_from, year_to, "
                  "city_share) VALUES (?, NULL, ?, ?, 0.5)",
                  "sii", city, year, year);
    if (rc != ER_OK && s->rc == ER_OK)
        s->rc = rc;
    s->added++;
}

/* Adds item `code` to the item table (a transfer of it reads 0). */
static void add_item(synth *s, const char *code)
{
    char tag[512];
    snprintf(tag, sizeof tag, "i\x1f%s", code);
    if (!new_gap(s, tag))
        return;
    int rc = exec(s,
                  "INSERT OR IGNORE INTO item(code, category, name, "
                  "department) VALUES (?, 'lint', ?, 'lint')",
                  "ss", code, code);
    if (rc != ER_OK && s->rc == ER_OK)
        s->rc = rc;
    s->added++;
}

/* The trace hook: every read that found nothing gets a value. */
static void on_read(void *ctx, const er_eval *ev, const er_trace_event *e)
{
    synth *s = ctx;
    if (s->next)
        s->next->fn(s->next->ctx, ev, e);
    if (e->found || !e->key || s->rc != ER_OK)
        return;
    switch (e->kind) {
    case ER_TRACE_FACT:
    case ER_TRACE_HAS:
        add_fact(s, e->key, (int)e->year);
        break;
    case ER_TRACE_STANDARD:
        add_standard(s, e->key, e->scope, s->snap->regions[e->region].code,
                     (int)e->year);
        break;
    case ER_TRACE_SHARE:
        if (e->tier != INT32_MIN)
            add_share(s, e->key, (int)e->year);
        break;
    case ER_TRACE_SPLIT:
        if (e->city >= 0)
            add_split(s, e->key, s->snap->regions[e->city].code,
                      (int)e->year);
        break;
    case ER_TRACE_TRANSFER: /* an item the table lacks: none paid */
        add_item(s, e->key);
        break;
    default:
        break;
    }
}

/* The year rule `r` is evaluated in: its last effective year, else its
 * first, else SYNTH_YEAR. */
static int rule_year(const er_rule *r)
{
    if (r->info.year_to)
        return r->info.year_to;
    return r->info.year_from ? r->info.year_from : SYNTH_YEAR;
}

/* Adds region `code` (6 digits) unless it is there, with its parents:
 * a code that ends in 0000 is a province, in 00 a city, else a county. */
static int add_region(synth *s, const char *code)
{
    for (size_t i = 0; i < s->ncodes; i++)
        if (strcmp(s->codes[i], code) == 0)
            return ER_OK;
    char parent[8] = "";
    const char *level = "county";
    if (strcmp(code + 2, "0000") == 0) {
        level = "province";
    } else if (strcmp(code + 4, "00") == 0) {
        level = "city";
        snprintf(parent, sizeof parent, "%.2s0000", code);
    } else {
        snprintf(parent, sizeof parent, "%.4s00", code);
    }
    int rc = parent[0] ? add_region(s, parent) : ER_OK;
    if (rc != ER_OK)
        return rc;
    char (*codes)[8] = realloc(s->codes, (s->ncodes + 1) * sizeof *codes);
    if (!codes)
        return er_fail(ER_ENOMEM, "out of memory");
    s->codes = codes;
    snprintf(codes[s->ncodes++], sizeof *codes, "%s", code);
    return exec(s,
                "INSERT INTO region(code, name, level, parent, zone, tier) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                "sssssi", code, code, level, parent[0] ? parent : NULL,
                strcmp(level, "province") ? "core" : NULL,
                strcmp(level, "province") ? 2 : 0);
}

/* Adds the regions a rule file names by code ("441400"), so that
 * r:region(code) finds one; up to SYNTH_NAMED_MAX regions in all. */
static int add_named_regions(synth *s, const er_rule_file *f)
{
    const char *p = f->source, *end = f->source ? f->source + f->len : NULL;
    int rc = ER_OK;
    for (; p && rc == ER_OK && p + 8 <= end &&
           s->ncodes < NREGIONS + SYNTH_NAMED_MAX;
         p++) {
        if ((*p != '"' && *p != '\'') || p[7] != *p)
            continue;
        bool digits = true;
        for (int k = 1; k <= 6; k++)
            digits = digits && p[k] >= '0' && p[k] <= '9';
        if (!digits || (p[1] == '0' && p[2] == '0'))
            continue;
        char code[8];
        memcpy(code, p + 1, 6);
        code[6] = '\0';
        rc = add_region(s, code);
    }
    return rc;
}

static int build_base(synth *s, const er_ruleset *rs)
{
    static int serial;
    snprintf(s->uri, sizeof s->uri,
             "file:equirule_lint_%d_%d?mode=memory&cache=shared", (int)getpid(),
             ++serial);
    if (sqlite3_open_v2(s->uri, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_URI,
                        NULL) != SQLITE_OK ||
        er_db_create_schema(s->db) != ER_OK)
        return er_fail(ER_ERROR, "cannot create an in-memory database: %s",
                       s->db ? sqlite3_errmsg(s->db) : "?");
    int rc = ER_OK;
    if (!(s->codes = calloc(NREGIONS, sizeof *s->codes)))
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; rc == ER_OK && i < NREGIONS; i++) {
        snprintf(s->codes[s->ncodes++], sizeof *s->codes, "%s",
                 regions[i].code);
        rc = exec(s,
                  "INSERT INTO region(code, name, level, parent, zone, tier) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                  "sssssi", regions[i].code, regions[i].name, regions[i].level,
                  regions[i].parent, regions[i].zone, regions[i].tier);
    }
    for (size_t i = 0; rc == ER_OK && i < rs->nfiles; i++)
        if (!rs->files[i].module)
            rc = add_named_regions(s, &rs->files[i]);
    for (size_t i = 0; rc == ER_OK && i < rs->nrules; i++)
        if (rs->rules[i].info.item)
            rc = exec(s,
                      "INSERT OR IGNORE INTO item(code, category, name, "
                      "department) VALUES (?, 'lint', ?, 'lint')",
                      "ss", rs->rules[i].info.item, rs->rules[i].info.item);
    return rc;
}

int er_lint_synthetic(er_ruleset *rs, sqlite3 *catalog, const bool *rules,
                      const er_trace_hook *trace, er_synth_fn fn, void *ctx,
                      int *cut_out)
{
    synth s;
    memset(&s, 0, sizeof s);
    s.catalog = catalog;
    s.next = trace;
    *cut_out = 0;
    if (catalog) {
        s.has_min = has_column(catalog, "min");
        s.has_max = has_column(catalog, "max");
        s.has_kind = has_column(catalog, "kind");
        s.has_integer = has_column(catalog, "integer");
    }
    er_strmap_init(&s.gaps);
    er_snapshot *snap = NULL;
    er_collected got = {0};
    bool *sel = calloc(rs->nrules + 1, sizeof *sel);
    er_trace_hook hook = {on_read, &s};
    er_trace_hook *saved = rs->trace;
    int rc = sel ? build_base(&s, rs) : er_fail(ER_ENOMEM, "out of memory");

    int round = 0;
    for (; rc == ER_OK && round < SYNTH_ROUNDS; round++) {
        er_tools_collected_free(&got);
        er_snapshot_free(snap);
        snap = NULL;
        if ((rc = er_snapshot_load(s.db, &snap)) != ER_OK)
            break;
        s.snap = snap;
        s.added = 0;
        rs->trace = &hook;
        /* one evaluation per distinct year, each with its rules and the
         * rules they need */
        for (size_t i = 0; rc == ER_OK && i < rs->nrules; i++) {
            if (!rules[i])
                continue;
            int year = rule_year(&rs->rules[i]);
            bool first = true;
            for (size_t j = 0; j < i && first; j++)
                first = !(rules[j] && rule_year(&rs->rules[j]) == year);
            if (!first)
                continue;
            for (size_t j = 0; j < rs->nrules; j++)
                sel[j] = rules[j] && rule_year(&rs->rules[j]) == year;
            for (size_t j = rs->nrules; j-- > 0;)
                if (sel[j])
                    for (int32_t k = 0; k < rs->rules[j].nneeds; k++)
                        sel[rs->rules[j].needs[k]] = true;
            er_selection selection = {.year_from = year, .year_to = year,
                                      .rules = sel, .region = -1};
            rc = er_engine_evaluate(rs, snap, s.uri, &selection,
                                    er_tools_collect, &got, NULL);
        }
        rs->trace = saved;
        if (rc == ER_OK)
            rc = s.rc;
        if (rc != ER_OK || s.added == 0)
            break;
    }
    if (round == SYNTH_ROUNDS)
        *cut_out = SYNTH_ROUNDS; /* the last round added values */
    /* error findings first, then the others */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; rc == ER_OK && i < got.n; i++)
            if (rules[got.items[i].rule] &&
                (got.items[i].outcome == ER_ERROR_OUTCOME) == (pass == 0))
                fn(ctx, &got.items[i], &snap->regions[got.items[i].region]);
    rs->trace = saved;
    free(sel);
    er_tools_collected_free(&got);
    er_snapshot_free(snap);
    er_strmap_free(&s.gaps);
    free(s.codes);
    sqlite3_close(s.db);
    return rc;
}
