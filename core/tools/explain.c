/*
 * explain.c - `equirule explain`: one evaluation of one rule for one region
 * and year, with every read the rule made through its region view (facts
 * with their source, standards with the scope chosen and why, shares,
 * transfers, results of needed rules, r:has, r:sql) and the outcome. It
 * evaluates through the engine, with a trace hook on the view functions
 * (view.c), so what it shows is what a run computes, in a supervised
 * child (supervise.c); it records nothing.
 */
#include "tools.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct trace_row {
    int kind; /* ER_TRACE_* */
    int line; /* line of the rule file that made the read, 0 if unknown */
    int32_t region, year;
    char *key;
    bool found;
    double value;
    int scope;
    const er_standard *national, *provincial, *chosen; /* snapshot-owned */
    int32_t tier, tier_from; /* share */
    int payer;               /* transfer */
    int32_t city;            /* split */
    const er_split *split;   /* split: snapshot-owned, or NULL */
    const er_national_average *average; /* snapshot-owned */
    bool has_result;
    er_finding result; /* copy; unit and note owned */
    int nargs, nrows;
} trace_row;

typedef struct explain_ctx {
    er_ruleset *rs;
    const er_snapshot *snap;
    int32_t rule, region, year;
    char chunk[4200]; /* "@file" of the rule */
    trace_row *rows;
    size_t n, cap;
    bool oom;
    er_collected found; /* findings of the evaluation */
    bool whole_run;     /* the rule ran for every region (it has needs) */
} explain_ctx;

static void on_read(void *ctx, const er_eval *ev, const er_trace_event *e)
{
    explain_ctx *x = ctx;
    if (ev->rule != x->rule || ev->region != x->region || ev->year != x->year ||
        x->oom)
        return;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 32;
        trace_row *p = realloc(x->rows, cap * sizeof *p);
        if (!p) {
            x->oom = true;
            return;
        }
        x->rows = p;
        x->cap = cap;
    }
    trace_row *r = &x->rows[x->n];
    memset(r, 0, sizeof *r);
    r->kind = e->kind;
    r->line = er_tools_call_line(ev->L, x->chunk);
    r->region = e->region;
    r->year = e->year;
    r->key = er_strdup(e->key);
    r->found = e->found;
    r->value = e->value;
    r->scope = e->scope;
    r->national = e->national;
    r->provincial = e->provincial;
    r->chosen = e->chosen;
    r->tier = e->tier;
    r->tier_from = e->tier_from;
    r->payer = e->payer;
    r->city = e->city;
    r->split = e->split;
    r->average = e->average;
    r->nargs = e->nargs;
    r->nrows = e->nrows;
    if (e->result) {
        r->has_result = true;
        r->result = *e->result;
        r->result.unit = er_strdup(e->result->unit);
        r->result.note = er_strdup(e->result->note);
    }
    if (!r->key) {
        er_finding_clear(&r->result);
        x->oom = true;
        return;
    }
    x->n++;
}

static bool descends_from(const er_snapshot *s, int32_t g, int32_t ancestor)
{
    for (; g >= 0; g = s->regions[g].parent)
        if (g == ancestor)
            return true;
    return false;
}

/* Keeps the findings of the explained evaluation: its own, and the
 * allocations a distribute() of it gave to the regions below it. */
static int on_finding(void *ctx, const er_finding *f)
{
    explain_ctx *x = ctx;
    if (f->rule != x->rule || f->year != x->year)
        return ER_OK;
    bool mine = f->region == x->region;
    if (!mine && f->outcome == ER_ALLOCATION)
        mine = !x->whole_run || descends_from(x->snap, f->region, x->region);
    return mine ? er_tools_collect(&x->found, f) : ER_OK;
}

static void ctx_free(explain_ctx *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->rows[i].key);
        er_finding_clear(&x->rows[i].result);
    }
    free(x->rows);
    er_tools_collected_free(&x->found);
}

/* ---- formatting ---------------------------------------------------------- */


static const char *region_label(const er_snapshot *s, int32_t g, char *buf,
                                size_t size)
{
    snprintf(buf, size, "%s %s", s->regions[g].code, s->regions[g].name);
    return buf;
}

static void years_of(const er_standard *d, char *buf, size_t size)
{
    if (d->year_to == INT32_MAX)
        snprintf(buf, size, "%d-", (int)d->year_from);
    else if (d->year_to == d->year_from)
        snprintf(buf, size, "%d", (int)d->year_from);
    else
        snprintf(buf, size, "%d-%d", (int)d->year_from, (int)d->year_to);
}

/* Why the standard read resolved as it did: one phrase. */
static void standard_why(const explain_ctx *x, const trace_row *r, er_buf *b)
{
    char n1[64], n2[64], lab[128];
    if (r->scope < 0) {
        const er_standard *n = r->national, *p = r->provincial;
        if (n && p) {
            if (n->value > p->value)
                er_buf_printf(b, "binding: national %s > provincial %s",
                              er_fmt_exact(n1, sizeof n1, n->value),
                              er_fmt_exact(n2, sizeof n2, p->value));
            else
                er_buf_printf(b, "binding: provincial %s %s national %s",
                              er_fmt_exact(n1, sizeof n1, p->value),
                              p->value > n->value ? ">" : "=",
                              er_fmt_exact(n2, sizeof n2, n->value));
        } else if (n || p) {
            er_buf_printf(b, "binding: %s %s, no %s standard in force",
                          n ? "national" : "provincial",
                          er_fmt_exact(n1, sizeof n1, (n ? n : p)->value),
                          n ? "provincial" : "national");
        } else {
            er_buf_puts(b, "no national or provincial standard in force: nil");
        }
        return;
    }
    if (!r->chosen) {
        er_buf_printf(b, "no %s standard in force: nil",
                      er_scope_names[r->scope]);
        return;
    }
    if (r->scope == ER_SCOPE_LOCAL && r->chosen->region != r->region)
        er_buf_printf(b, "local standard inherited from %s",
                      region_label(x->snap, r->chosen->region, lab,
                                   sizeof lab));
    else if (r->scope == ER_SCOPE_LOCAL)
        er_buf_printf(b, "local standard of %s",
                      region_label(x->snap, r->region, lab, sizeof lab));
    else
        er_buf_printf(b, "%s standard", er_scope_names[r->scope]);
}

/* The fact's source from the fact table, or NULL. */
static char *fact_source(sqlite3_stmt *st, const char *code, int year,
                         const char *metric)
{
    if (!st)
        return NULL;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_text(st, 3, metric, -1, SQLITE_STATIC);
    char *s = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        s = er_strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return s;
}

static void finding_amount(er_buf *b, const er_finding *f)
{
    char n[64];
    er_buf_printf(b, "%s 元", er_fmt_fen(n, sizeof n, f->amount));
}

/* One read as text, without the line number: "fact pop.resident = ...". */
static void row_text(const explain_ctx *x, const trace_row *r,
                     sqlite3_stmt *src, er_buf *b)
{
    char n1[64], lab[128];
    const char *code = x->snap->regions[r->region].code;
    er_buf where;
    er_buf_init(&where);
    if (r->region != x->region)
        er_buf_printf(&where, " of %s",
                      region_label(x->snap, r->region, lab, sizeof lab));
    if (r->year != x->year)
        er_buf_printf(&where, " in %d", (int)r->year);
    const char *at = where.len ? where.data : "";
    switch (r->kind) {
    case ER_TRACE_FACT: {
        int32_t m = er_strmap_find(&x->snap->metrics, r->key);
        if (!r->found) {
            er_buf_printf(b, "fact      %s%s = missing: the evaluation "
                             "stops with outcome missing",
                          r->key, at);
            er_buf lack;
            er_buf_init(&lack);
            if (er_snapshot_lacking_text(x->snap, r->region, r->year, m,
                                         &lack) == ER_OK &&
                lack.len)
                er_buf_printf(b, " (%s)", lack.data);
            er_buf_free(&lack);
            break;
        }
        er_buf_printf(b, "fact      %s%s = %s", r->key, at,
                      er_fmt_exact(n1, sizeof n1, r->value));
        if (er_snapshot_derived(x->snap, r->region, r->year, m)) {
            /* a roll-up: in no row of the fact table */
            er_buf_printf(b, "  (derived: sum of %d %s)",
                          (int)x->snap->regions[r->region].child_count,
                          er_snapshot_children_noun(x->snap, r->region));
            break;
        }
        char *s = fact_source(src, code, r->year, r->key);
        if (s)
            er_buf_printf(b, "  (source: %s)", s);
        free(s);
        break;
    }
    case ER_TRACE_HAS:
        er_buf_printf(b, "has       %s%s = %s", r->key, at,
                      r->found ? "true" : "false");
        break;
    case ER_TRACE_STANDARD: {
        char yrs[32];
        er_buf_printf(b, "standard  %s", r->key);
        if (r->scope >= 0)
            er_buf_printf(b, " [%s]", er_scope_names[r->scope]);
        er_buf_printf(b, "%s = ", at);
        if (r->found) {
            er_buf_puts(b, er_fmt_exact(n1, sizeof n1, r->value));
            if (r->chosen->unit)
                er_buf_printf(b, " %s", r->chosen->unit);
        } else {
            er_buf_puts(b, "nil");
        }
        er_buf_puts(b, "  (");
        standard_why(x, r, b);
        if (r->found) {
            years_of(r->chosen, yrs, sizeof yrs);
            er_buf_printf(b, "; in force %s", yrs);
            if (r->chosen->basis)
                er_buf_printf(b, "; basis: %s", r->chosen->basis);
        }
        er_buf_puts(b, ")");
        break;
    }
    case ER_TRACE_SHARE:
        if (r->tier == INT32_MIN)
            er_buf_printf(b, "share     %s%s = missing: the region has no "
                             "tier",
                          r->key, at);
        else if (!r->found)
            er_buf_printf(b, "share     %s%s tier %d = missing: no share "
                             "set for the tier",
                          r->key, at, (int)r->tier);
        else
            er_buf_printf(b, "share     %s%s tier %d = %s", r->key, at,
                          (int)r->tier, er_fmt_exact(n1, sizeof n1, r->value));
        /* a tier taken from an ancestor (a county's city) says so */
        if (r->tier != INT32_MIN && r->tier_from >= 0 &&
            r->tier_from != r->region)
            er_buf_printf(b, "  (tier of %s: the region has none)",
                          region_label(x->snap, r->tier_from, lab,
                                       sizeof lab));
        break;
    case ER_TRACE_SPLIT:
        if (r->city < 0) {
            er_buf_printf(b, "split     %s%s: the region is in no city",
                          r->key, at);
            break;
        }
        if (!r->split) {
            er_buf_printf(b, "split     %s%s = missing: %s has no split in "
                             "force",
                          r->key, at,
                          region_label(x->snap, r->city, lab, sizeof lab));
            break;
        }
        er_buf_printf(b, "split     %s%s = %s  (city's part, of %s; %s, "
                         "years %d..",
                      r->key, at, er_fmt_exact(n1, sizeof n1, r->value),
                      region_label(x->snap, r->city, lab, sizeof lab),
                      r->split->item >= 0 ? "its row for the item"
                                          : "its default row",
                      (int)r->split->year_from);
        if (r->split->year_to != INT32_MAX)
            er_buf_printf(b, "%d", (int)r->split->year_to);
        er_buf_puts(b, ")");
        break;
    case ER_TRACE_TRANSFER: {
        int32_t item = er_strmap_find(&x->snap->items, r->key);
        const er_transfer *t = er_snapshot_transfer_row(
            x->snap, r->region, r->year, item, r->payer);
        const er_region *g = &x->snap->regions[r->region];
        er_buf_printf(b, "transfer  %s%s%s = %s 元", r->key, at,
                      r->payer == ER_PAYER_CITY ? " from its city" : "",
                      er_fmt_exact(n1, sizeof n1, r->value));
        if (t && t->derived) /* a roll-up: in no row of the transfer table */
            er_buf_printf(b, "  (derived: sum of %d %s' rows)",
                          (int)g->child_count,
                          er_snapshot_children_noun(x->snap, r->region));
        else if (!t && r->payer == ER_PAYER_PROVINCE && g->child_count &&
                 er_snapshot_transfer_children(x->snap, r->region, r->year,
                                               item) > 0)
            er_buf_printf(b, " (none paid: no row; only %d of its %d %s "
                             "have one, so it is not their sum)",
                          (int)er_snapshot_transfer_children(
                              x->snap, r->region, r->year, item),
                          (int)g->child_count,
                          er_snapshot_children_noun(x->snap, r->region));
        else if (r->value == 0)
            er_buf_puts(b, " (none paid)");
        break;
    }
    case ER_TRACE_RESULT:
        er_buf_printf(b, "result    %s%s = ", r->key, at);
        if (!r->has_result) {
            er_buf_puts(b, "nil (no finding)");
            break;
        }
        er_buf_puts(b, er_outcome_name((er_outcome)r->result.outcome));
        if (r->result.flags & ER_F_MEASURED)
            er_buf_printf(b, ", measured %s",
                          er_fmt_exact(n1, sizeof n1, r->result.measured));
        if (r->result.flags & ER_F_REQUIRED)
            er_buf_printf(b, ", required %s",
                          er_fmt_exact(n1, sizeof n1, r->result.required));
        if (r->result.flags & ER_F_AMOUNT) {
            er_buf_puts(b, ", amount ");
            finding_amount(b, &r->result);
        }
        break;
    case ER_TRACE_AVERAGE:
        er_buf_printf(b, "average   %s%s = ", r->key, at);
        if (!r->found) {
            er_buf_printf(b, "nil  (no national average for %d)",
                          (int)r->year);
            break;
        }
        er_buf_puts(b, er_fmt_exact(n1, sizeof n1, r->value));
        if (r->average->unit)
            er_buf_printf(b, " %s", r->average->unit);
        er_buf_printf(b, "  (national average %d", (int)r->average->year);
        if (r->average->source)
            er_buf_printf(b, "; source: %s", r->average->source);
        if (r->average->basis)
            er_buf_printf(b, "; basis: %s", r->average->basis);
        er_buf_puts(b, ")");
        break;
    case ER_TRACE_SQL:
        er_buf_printf(b, "sql       %s%s  (%d parameter%s) = %d row%s", r->key,
                      at, r->nargs, r->nargs == 1 ? "" : "s", r->nrows,
                      r->nrows == 1 ? "" : "s");
        break;
    }
    er_buf_free(&where);
}

static const char *const kind_names[] = {"fact",     "has",    "standard",
                                         "share",    "transfer", "result",
                                         "sql",      "split",
                                         "national_average"};

static void json_num(er_buf *b, bool has, double v)
{
    char n[64];
    if (has && isfinite(v))
        er_buf_puts(b, er_fmt_exact(n, sizeof n, v));
    else
        er_buf_puts(b, "null");
}

static void row_json(const explain_ctx *x, const trace_row *r,
                     sqlite3_stmt *src, er_buf *b)
{
    const er_region *g = &x->snap->regions[r->region];
    er_buf_printf(b, "{\"line\": %d, \"read\": \"%s\", \"key\": ", r->line,
                  kind_names[r->kind]);
    er_json_add(b, r->key);
    er_buf_printf(b, ", \"region\": \"%s\", \"year\": %d", g->code,
                  (int)r->year);
    bool has_value = r->found && r->kind != ER_TRACE_HAS &&
                     r->kind != ER_TRACE_RESULT && r->kind != ER_TRACE_SQL;
    if (r->kind == ER_TRACE_HAS)
        er_buf_printf(b, ", \"value\": %s", r->found ? "true" : "false");
    else if (r->kind != ER_TRACE_RESULT && r->kind != ER_TRACE_SQL) {
        er_buf_puts(b, ", \"value\": ");
        json_num(b, has_value, r->value);
    }
    if (r->kind == ER_TRACE_FACT && r->found &&
        er_snapshot_derived(x->snap, r->region, r->year,
                            er_strmap_find(&x->snap->metrics, r->key))) {
        er_buf_printf(b, ", \"source\": null, \"derived\": {\"from\": "
                         "\"children\", \"count\": %d, \"of\": \"%s\"}",
                      (int)g->child_count,
                      er_snapshot_children_noun(x->snap, r->region));
    } else if (r->kind == ER_TRACE_FACT && r->found) {
        char *s = fact_source(src, g->code, r->year, r->key);
        er_buf_puts(b, ", \"source\": ");
        er_json_add(b, s);
        free(s);
    }
    if (r->kind == ER_TRACE_STANDARD) {
        er_buf_puts(b, ", \"scope\": ");
        er_json_add(b, r->scope >= 0 ? er_scope_names[r->scope] : NULL);
        er_buf_puts(b, ", \"chosen\": ");
        er_json_add(b, r->chosen ? er_scope_names[r->chosen->scope] : NULL);
        if (r->scope < 0) {
            er_buf_puts(b, ", \"national\": ");
            json_num(b, r->national != NULL,
                     r->national ? r->national->value : 0);
            er_buf_puts(b, ", \"provincial\": ");
            json_num(b, r->provincial != NULL,
                     r->provincial ? r->provincial->value : 0);
        }
        er_buf why;
        er_buf_init(&why);
        standard_why(x, r, &why);
        er_buf_puts(b, ", \"why\": ");
        er_json_add(b, why.data ? why.data : "");
        er_buf_free(&why);
        er_buf_puts(b, ", \"unit\": ");
        er_json_add(b, r->chosen ? r->chosen->unit : NULL);
        er_buf_puts(b, ", \"basis\": ");
        er_json_add(b, r->chosen ? r->chosen->basis : NULL);
    }
    if (r->kind == ER_TRACE_SHARE && r->tier == INT32_MIN)
        er_buf_puts(b, ", \"tier\": null");
    else if (r->kind == ER_TRACE_SHARE)
        er_buf_printf(b, ", \"tier\": %d, \"tier_of\": \"%s\"",
                      (int)r->tier,
                      x->snap->regions[r->tier_from >= 0 ? r->tier_from
                                                         : r->region]
                          .code);
    if (r->kind == ER_TRACE_TRANSFER) {
        const er_transfer *t = er_snapshot_transfer_row(
            x->snap, r->region, r->year,
            er_strmap_find(&x->snap->items, r->key), r->payer);
        er_buf_printf(b, ", \"payer\": \"%s\"",
                      r->payer == ER_PAYER_CITY ? "city" : "province");
        if (t && t->derived)
            er_buf_printf(b, ", \"derived\": {\"from\": \"children\", "
                             "\"count\": %d, \"of\": \"%s\"}",
                          (int)g->child_count,
                          er_snapshot_children_noun(x->snap, r->region));
    }
    if (r->kind == ER_TRACE_SPLIT) {
        er_buf_puts(b, ", \"city\": ");
        er_json_add(b, r->city >= 0 ? x->snap->regions[r->city].code : NULL);
        er_buf_printf(b, ", \"default\": %s",
                      r->split && r->split->item < 0 ? "true" : "false");
    }
    if (r->kind == ER_TRACE_RESULT) {
        er_buf_puts(b, ", \"outcome\": ");
        er_json_add(b, r->has_result ? er_outcome_name(
                                             (er_outcome)r->result.outcome)
                                       : NULL);
        if (r->has_result && (r->result.flags & ER_F_AMOUNT))
            er_buf_printf(b, ", \"amount\": %.2f",
                          (double)r->result.amount / 100.0);
    }
    if (r->kind == ER_TRACE_SQL)
        er_buf_printf(b, ", \"parameters\": %d, \"rows\": %d", r->nargs,
                      r->nrows);
    if (r->kind == ER_TRACE_AVERAGE) {
        er_buf_puts(b, ", \"unit\": ");
        er_json_add(b, r->average ? r->average->unit : NULL);
        er_buf_puts(b, ", \"source\": ");
        er_json_add(b, r->average ? r->average->source : NULL);
        er_buf_puts(b, ", \"basis\": ");
        er_json_add(b, r->average ? r->average->basis : NULL);
    }
    er_buf_puts(b, "}");
}

static void finding_text(const explain_ctx *x, const er_finding *f, er_buf *b)
{
    char n1[64], lab[128];
    const char *unit = f->unit ? f->unit : "";
    er_buf_printf(b, "outcome   %s", er_outcome_name((er_outcome)f->outcome));
    if (f->region != x->region)
        er_buf_printf(b, "  to %s",
                      region_label(x->snap, f->region, lab, sizeof lab));
    er_buf_puts(b, "\n");
    if (f->flags & ER_F_MEASURED)
        er_buf_printf(b, "measured  %s%s%s\n",
                      er_fmt_num(n1, sizeof n1, f->measured),
                      *unit ? " " : "", unit);
    if (f->flags & ER_F_REQUIRED)
        er_buf_printf(b, "required  %s%s%s\n",
                      er_fmt_num(n1, sizeof n1, f->required),
                      *unit ? " " : "", unit);
    if (f->flags & ER_F_AMOUNT) {
        er_buf_puts(b, "amount    ");
        finding_amount(b, f);
        er_buf_puts(b, "\n");
    }
    if (f->note)
        er_buf_printf(b, "note      %s\n", f->note);
}

static void finding_json(const explain_ctx *x, const er_finding *f, er_buf *b)
{
    const er_region *g = &x->snap->regions[f->region];
    er_buf_printf(b, "{\"region\": \"%s\", \"name\": ", g->code);
    er_json_add(b, g->name);
    er_buf_puts(b, ", ");
    er_tools_finding_json(b, f);
    er_buf_puts(b, "}");
}

static void write_report(explain_ctx *x, sqlite3_stmt *src, er_format fmt,
                         er_buf *b)
{
    er_ruleset *rs = x->rs;
    const er_rule *rule = &rs->rules[x->rule];
    const er_rule_info *ri = &rule->info;
    const er_region *g = &x->snap->regions[x->region];
    er_buf params;
    er_buf_init(&params);
    if (er_ruleset_params_json(rs, x->rule, &params) != ER_OK)
        b->err = params.err; /* the report fails as its params did */
    if (fmt == ER_FORMAT_JSON) {
        er_buf_puts(b, "{\"rule\": ");
        er_json_add(b, ri->id);
        er_buf_puts(b, ", \"title\": ");
        er_json_add(b, ri->title);
        er_buf_puts(b, ", \"file\": ");
        er_json_add(b, rs->files[rule->file].display);
        er_buf_printf(b, ", \"line\": %d, \"kind\": \"%s\", \"level\": "
                         "\"%s\", \"item\": ",
                      ri->line, ri->kind, ri->level);
        er_json_add(b, ri->item);
        er_buf_printf(b, ",\n \"region\": {\"code\": \"%s\", \"name\": ",
                      g->code);
        er_json_add(b, g->name);
        er_buf_printf(b, "}, \"year\": %d, \"params\": %s, \"needs\": [",
                      (int)x->year, params.data ? params.data : "{}");
        for (int32_t k = 0; k < rule->nneeds; k++) {
            er_buf_puts(b, k ? ", " : "");
            er_json_add(b, rs->rules[rule->needs[k]].info.id);
        }
        er_buf_puts(b, "],\n \"reads\": [");
        for (size_t i = 0; i < x->n; i++) {
            er_buf_puts(b, i ? ",\n  " : "\n  ");
            row_json(x, &x->rows[i], src, b);
        }
        er_buf_puts(b, "],\n \"findings\": [");
        for (size_t i = 0; i < x->found.n; i++) {
            er_buf_puts(b, i ? ",\n  " : "\n  ");
            finding_json(x, &x->found.items[i], b);
        }
        er_buf_puts(b, "]}\n");
        er_buf_free(&params);
        return;
    }
    er_buf_printf(b, "explain %s · %s %s · %d\n", ri->id, g->code, g->name,
                  (int)x->year);
    er_buf_printf(b, "  %s\n  %s:%d · %s · %s", ri->title,
                  rs->files[rule->file].display, ri->line, ri->kind,
                  ri->level);
    if (ri->item)
        er_buf_printf(b, " · item %s", ri->item);
    er_buf_printf(b, "\n  basis  %s\n  params %s\n", ri->basis,
                  params.data ? params.data : "{}");
    if (rule->nneeds) {
        er_buf_puts(b, "  needs  ");
        for (int32_t k = 0; k < rule->nneeds; k++)
            er_buf_printf(b, "%s%s", k ? ", " : "",
                          rs->rules[rule->needs[k]].info.id);
        er_buf_puts(b, " (evaluated first, as in a run)\n");
    }
    er_buf_printf(b, "\nreads, in order (%zu)\n", x->n);
    if (!x->n)
        er_buf_puts(b, "  (none)\n");
    for (size_t i = 0; i < x->n; i++) {
        if (x->rows[i].line > 0)
            er_buf_printf(b, "  line %-4d ", x->rows[i].line);
        else
            er_buf_puts(b, "  line ?    ");
        row_text(x, &x->rows[i], src, b);
        er_buf_puts(b, "\n");
    }
    er_buf_puts(b, "\n");
    if (!x->found.n)
        er_buf_puts(b, "outcome   (no finding)\n");
    for (size_t i = 0; i < x->found.n; i++) {
        if (i)
            er_buf_puts(b, "\n");
        finding_text(x, &x->found.items[i], b);
    }
    er_buf_free(&params);
}

/* ---- the evaluation ------------------------------------------------------ */

/* What the supervised child of er_explain needs. */
typedef struct explain_job {
    explain_ctx *x;
    const char *dbpath;
    const er_selection *selection;
    er_format format;
} explain_job;

/* In a supervised child: evaluates with the trace hook and sends the
 * report back. Fact sources are read on a connection of its own. */
static int explain_child(void *ctx, er_child *child)
{
    explain_job *j = ctx;
    explain_ctx *x = j->x;
    er_ruleset *rs = x->rs;
    er_trace_hook hook = {on_read, x};
    sqlite3 *reader = NULL;
    sqlite3_stmt *src = NULL;
    er_buf out;
    er_buf_init(&out);
    rs->trace = &hook;
    int rc = er_engine_evaluate(rs, x->snap, j->dbpath, j->selection,
                                on_finding, x, NULL);
    rs->trace = NULL;
    if (rc != ER_OK)
        goto done;
    if (x->oom) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if (er_db_open_reader(j->dbpath, &reader) != ER_OK ||
        sqlite3_prepare_v2(reader,
                           "SELECT source FROM fact WHERE region = ? AND "
                           "year = ? AND metric = ?",
                           -1, &src, NULL) != SQLITE_OK)
        src = NULL; /* sources are shown when the table can be read */
    write_report(x, src, j->format, &out);
    if ((rc = er_buf_status(&out)) == ER_OK)
        rc = er_child_send(child, out.data, out.len);
done:
    sqlite3_finalize(src);
    sqlite3_close(reader);
    er_buf_free(&out);
    return rc;
}

int er_explain(er_db *db, er_ruleset *rs, const er_explain_opts *opts,
               FILE *fp)
{
    er_snapshot *snap = NULL;
    bool *sel = NULL;
    explain_ctx x;
    memset(&x, 0, sizeof x);
    er_buf out;
    er_buf_init(&out);
    int rc;

    if ((x.rule = er_ruleset_find(rs, opts->rule)) < 0) {
        rc = er_fail(ER_EUSAGE, "no rule '%s' in %s", opts->rule, rs->dir);
        goto done;
    }
    const er_rule *rule = &rs->rules[x.rule];
    if ((rc = er_snapshot_load(db->db, &snap)) != ER_OK)
        goto done;
    x.rs = rs;
    x.snap = snap;
    char code[ER_REGION_CODE_SIZE];
    if ((rc = er_region_resolve(db->db, db->path, opts->region, code)) !=
        ER_OK)
        goto done;
    if ((x.region = er_snapshot_region(snap, code)) < 0) {
        rc = er_fail(ER_EUSAGE, "no region '%s' in %s", opts->region,
                     db->path);
        goto done;
    }
    const er_region *g = &snap->regions[x.region];
    if (g->level < 0 || !(rule->levels & (1u << g->level))) {
        rc = er_fail(ER_EUSAGE, "%s evaluates %s regions; %s %s is a %s",
                     rule->info.id, rule->info.level, g->code, g->name,
                     g->level >= 0 ? er_level_names[g->level] : "region");
        goto done;
    }
    x.year = opts->year ? opts->year : snap->data_year_max;
    if (!x.year) {
        rc = er_fail(ER_EDATA, "%s holds no facts: import data first",
                     db->path);
        goto done;
    }
    if ((rule->info.year_from && x.year < rule->info.year_from) ||
        (rule->info.year_to && x.year > rule->info.year_to)) {
        rc = er_fail(ER_EUSAGE, "%s is not in force in %d (effective %d-%s)",
                     rule->info.id, (int)x.year, rule->info.year_from,
                     rule->info.year_to ? "" : "open");
        goto done;
    }
    if ((rc = er_ruleset_set_params(rs, opts->sets)) != ER_OK)
        goto done;

    /* the rule and, transitively, the rules it needs (earlier stages) */
    if (!(sel = calloc(rs->nrules + 1, sizeof *sel))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    sel[x.rule] = true;
    for (size_t i = rs->nrules; i-- > 0;)
        if (sel[i])
            for (int32_t k = 0; k < rs->rules[i].nneeds; k++)
                sel[rs->rules[i].needs[k]] = true;
    /* needed rules run for every region, as in a run; a rule that needs
     * none runs for the one region */
    x.whole_run = rule->nneeds > 0;
    er_selection selection = {.year_from = x.year, .year_to = x.year,
                              .rules = sel,
                              .region = x.whole_run ? -1 : x.region};
    snprintf(x.chunk, sizeof x.chunk, "@%s", rs->files[rule->file].display);

    /* the evaluation runs in a supervised child, which must not inherit
     * a connection: a hang in C code or a crash becomes an error naming
     * the rule, its file and the region */
    explain_job job = {&x, db->path, &selection, opts->format};
    if ((rc = er_db_suspend(db)) != ER_OK)
        goto done;
    rc = er_supervise(explain_child, &job, &rs->sb, &out, NULL);
    int rc2 = er_db_resume(db);
    if (rc == ER_OK)
        rc = rc2;
    if (rc != ER_OK)
        goto done;
    if ((rc = er_buf_status(&out)) != ER_OK || !out.data)
        goto done;
    if (opts->format == ER_FORMAT_JSON)
        fputs(out.data, fp);
    else /* names, notes and values from data and rules, for a terminal */
        er_text_put(fp, ER_TEXT_LINES, out.data);
done:
    rs->trace = NULL;
    er_ruleset_set_params(rs, NULL);
    er_buf_free(&out);
    ctx_free(&x);
    free(sel);
    er_snapshot_free(snap);
    return rc;
}
