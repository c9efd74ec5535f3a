/*
 * domain.c - the closed vocabularies of the data model, each defined once:
 * region levels, zones, standard scopes, setting keys, metric kinds and
 * finding outcomes (with the outcomes' labels and which of them fail); and
 * the value domains of metrics built on the kinds (er_domain_*), the one
 * definition of what a stored number may be that import and the integrity
 * check share. The schema's CHECK constraints
 * (db.c), the importer's checks and messages (import.c), the snapshot's
 * parsing (snapshot.c), the engine's and the report's names and labels are
 * all built from these tables; nothing else spells the lists out.
 */
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const er_level_names[ER_LEVEL_COUNT] = {"province", "city",
                                                    "county"};
const char *const er_level_plurals[ER_LEVEL_COUNT] = {"provinces", "cities",
                                                     "counties"};
const char *const er_zone_names[ER_ZONE_COUNT] = {"core", "east", "west",
                                                  "north"};
const char *const er_scope_names[ER_SCOPE_COUNT] = {"national", "provincial",
                                                    "local"};
const char *const er_setting_names[ER_SETTING_COUNT] = {"policy"};
const char *const er_metric_kind_names[ER_MKIND_N] = {
    "count", "money", "ratio", "rate", "per_unit", "index", "other"};
const char *const er_aggregate_names[ER_AGG_N] = {"none", "sum"};

/* In er_outcome order. */
const er_outcome_info er_outcomes[ER_OUTCOME_COUNT] = {
    [ER_PASS] = {"pass", "通过", "✓", false},
    [ER_FAIL] = {"fail", "未达标", "✗", true},
    [ER_WARN] = {"warn", "预警", "!", false},
    [ER_SKIP] = {"skip", "不适用", "–", false},
    [ER_CUT] = {"cut", "核减", "减", false},
    [ER_ALLOCATION] = {"allocation", "分配", "配", false},
    [ER_MISSING] = {"missing", "缺数据", "缺", true},
    [ER_ERROR_OUTCOME] = {"error", "错误", "错", true},
};

const char *er_gap_kind_name(int kind)
{
    static const char *const names[ER_GAP_KIND_COUNT] = {
        [ER_GAP_FACT] = "fact", [ER_GAP_SHARE] = "share",
        [ER_GAP_STANDARD] = "standard", [ER_GAP_TRANSFER] = "transfer",
        [ER_GAP_SPLIT] = "split"};
    return kind > ER_GAP_NONE && kind < ER_GAP_KIND_COUNT ? names[kind] : NULL;
}

int er_word_find(const char *const *words, int count, const char *s,
                 size_t n)
{
    for (int i = 0; s && i < count; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
            return i;
    return -1;
}

int er_level_parse(const char *s)
{
    return er_word_find(er_level_names, ER_LEVEL_COUNT, s, s ? strlen(s) : 0);
}

int er_zone_parse(const char *s)
{
    return er_word_find(er_zone_names, ER_ZONE_COUNT, s, s ? strlen(s) : 0);
}

int er_scope_parse(const char *s)
{
    return er_word_find(er_scope_names, ER_SCOPE_COUNT, s, s ? strlen(s) : 0);
}

int er_metric_kind_parse(const char *s)
{
    return er_word_find(er_metric_kind_names, ER_MKIND_N, s,
                        s ? strlen(s) : 0);
}

int er_aggregate_parse(const char *s)
{
    return er_word_find(er_aggregate_names, ER_AGG_N, s, s ? strlen(s) : 0);
}

bool er_aggregate_allowed(int kind)
{
    return kind != ER_MKIND_RATIO && kind != ER_MKIND_RATE &&
           kind != ER_MKIND_PER_UNIT && kind != ER_MKIND_INDEX;
}

int er_aggregate_resolve(int kind, int declared)
{
    if (declared == ER_AGG_SUM)
        return er_aggregate_allowed(kind) ? ER_AGG_SUM : ER_AGG_NONE;
    if (declared == ER_AGG_NONE)
        return ER_AGG_NONE;
    return kind == ER_MKIND_COUNT || kind == ER_MKIND_MONEY ? ER_AGG_SUM
                                                            : ER_AGG_NONE;
}

const char *er_outcome_name(er_outcome o)
{
    return (unsigned)o < ER_OUTCOME_COUNT ? er_outcomes[o].name : NULL;
}

int er_outcome_parse(const char *s)
{
    for (int i = 0; s && i < ER_OUTCOME_COUNT; i++)
        if (strcmp(s, er_outcomes[i].name) == 0)
            return i;
    return -1;
}

int er_words_sql(er_buf *b, const char *const *words, int count)
{
    int rc = ER_OK;
    for (int i = 0; i < count && rc == ER_OK; i++)
        rc = er_buf_printf(b, "%s'%s'", i ? "," : "", words[i]);
    return rc == ER_OK ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

int er_outcomes_sql(er_buf *b, bool failing_only)
{
    int rc = ER_OK;
    const char *sep = "";
    for (int i = 0; i < ER_OUTCOME_COUNT && rc == ER_OK; i++) {
        if (failing_only && !er_outcomes[i].failing)
            continue;
        rc = er_buf_printf(b, "%s'%s'", sep, er_outcomes[i].name);
        sep = ",";
    }
    return rc == ER_OK ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

const char *er_words_text(char *buf, size_t size, const char *const *words,
                          int count, const char *last)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && o < size; i++) {
        int n = snprintf(buf + o, size - o, "%s%s",
                         i == 0 ? "" : i + 1 == count ? last : ", ",
                         words[i]);
        o += n > 0 ? (size_t)n : 0;
    }
    return buf;
}

/* ---- value domains ------------------------------------------------------ */

/* Fills d from the columns of a metric row; has_* false for NULL. The
 * kind's defaults apply where a column is NULL. */
static void resolve(er_domain *d, const char *kind, int integer,
                    bool has_min, double min, int min_open, bool has_max,
                    double max, int max_open, const char *unit)
{
    memset(d, 0, sizeof *d);
    d->kind = er_metric_kind_parse(kind);
    d->declared = kind || integer >= 0 || has_min || has_max;
    switch (d->kind) {
    case ER_MKIND_COUNT:
        d->integer = true;
        /* fall through */
    case ER_MKIND_MONEY:
    case ER_MKIND_RATIO:
    case ER_MKIND_PER_UNIT:
        d->has_min = true;
        d->min = 0;
        break;
    default:
        break;
    }
    if (integer >= 0)
        d->integer = integer != 0;
    if (has_min) {
        d->has_min = true;
        d->min = min;
        d->min_open = min_open > 0;
    }
    if (has_max) {
        d->has_max = true;
        d->max = max;
        d->max_open = max_open > 0;
    }
    /* cut short, never in the middle of a character */
    er_text_copy(d->unit, sizeof d->unit, ER_TEXT_TERM, unit ? unit : "");
}

void er_domain_from_row(sqlite3_stmt *st, int col, er_domain *out)
{
    bool has_min = sqlite3_column_type(st, col + 2) != SQLITE_NULL;
    bool has_max = sqlite3_column_type(st, col + 4) != SQLITE_NULL;
    resolve(out, (const char *)sqlite3_column_text(st, col),
            sqlite3_column_type(st, col + 1) == SQLITE_NULL
                ? -1
                : sqlite3_column_int(st, col + 1) != 0,
            has_min, sqlite3_column_double(st, col + 2),
            sqlite3_column_int(st, col + 3), has_max,
            sqlite3_column_double(st, col + 4),
            sqlite3_column_int(st, col + 5),
            (const char *)sqlite3_column_text(st, col + 6));
}

void er_domain_transfer(er_domain *out)
{
    resolve(out, "money", -1, false, 0, 0, false, 0, 0, "元");
    out->fen = true;
}

void er_domain_average(er_domain *out)
{
    resolve(out, NULL, -1, true, 0, 1, false, 0, 0, NULL);
}

bool er_yuan_whole_fen(double yuan)
{
    if (!er_yuan_fits_fen(yuan))
        return false;
    /* the fen read back as yuan: exactly the double a decimal with two
     * places parses to (one correctly rounded division) */
    return (double)er_yuan_to_fen(yuan) / 100.0 == yuan;
}

void er_domain_standard(er_domain *out)
{
    resolve(out, NULL, -1, true, 0, 0, false, 0, 0, NULL);
}

/* "money (元)", "ratio", "the value (元/人)" or "the value": what a
 * domain's rule speaks of. */
static const char *subject(const er_domain *d, char *buf, size_t size)
{
    const char *what = d->kind >= 0 ? er_metric_kind_names[d->kind]
                                    : "the value";
    if (d->unit[0])
        snprintf(buf, size, "%s (%s)", what, d->unit);
    else
        snprintf(buf, size, "%s", what);
    return buf;
}

/* " ≥ 0", " > 0 and ≤ 1": the bounds of d. */
static void bounds(const er_domain *d, char *buf, size_t size)
{
    char a[32], b[32];
    size_t o = 0;
    buf[0] = '\0';
    if (d->has_min)
        o += (size_t)snprintf(buf, size, " %s %s", d->min_open ? ">" : "≥",
                              er_fmt_exact(a, sizeof a, d->min));
    if (d->has_max && o < size)
        snprintf(buf + o, size - o, "%s %s %s", d->has_min ? " and" : "",
                 d->max_open ? "<" : "≤", er_fmt_exact(b, sizeof b, d->max));
}

bool er_domain_check(const er_domain *d, double v, char *why, size_t size)
{
    enum {
        OK,
        NOT_FINITE,
        NOT_FEN,
        TOO_LARGE,
        NOT_WHOLE,
        PART_FEN,
        OUT
    } broken = OK;
    /* below 9e13 yuan every amount fits in 2^53 fen: the exact test, which
     * formats the number, is needed only near the limit */
    if (!isfinite(v))
        broken = NOT_FINITE;
    else if (d->kind == ER_MKIND_MONEY && fabs(v) >= 9e13 &&
             !er_yuan_fits_fen(v))
        broken = NOT_FEN;
    else if (fabs(v) > ER_VALUE_ABS_MAX)
        broken = TOO_LARGE;
    else if (d->integer && v != floor(v))
        broken = NOT_WHOLE;
    else if (d->fen && !er_yuan_whole_fen(v))
        broken = PART_FEN;
    else if ((d->has_min && (v < d->min || (d->min_open && v == d->min))) ||
             (d->has_max && (v > d->max || (d->max_open && v == d->max))))
        broken = OUT;
    if (broken == OK)
        return true;

    char who[64], lim[80];
    subject(d, who, sizeof who);
    switch (broken) {
    case NOT_FINITE:
        snprintf(why, size, "%s must be a finite number", who);
        break;
    case NOT_FEN:
        snprintf(why, size,
                 "%s must be at most 90071992547409.92 in magnitude (2^53 "
                 "fen, beyond which amounts are not exact to the fen)",
                 who);
        break;
    case TOO_LARGE:
        snprintf(why, size, "%s must be at most 1e15 in magnitude", who);
        break;
    case NOT_WHOLE:
        snprintf(why, size, "%s must be a whole number", who);
        break;
    case PART_FEN:
        snprintf(why, size,
                 "%s must be a whole number of fen (at most two "
                 "decimals): it is money paid",
                 who);
        break;
    default:
        bounds(d, lim, sizeof lim);
        snprintf(why, size, "%s must be%s", who, lim);
        break;
    }
    return false;
}

const char *er_domain_text(const er_domain *d, char *buf, size_t size)
{
    char who[64], lim[80];
    bounds(d, lim, sizeof lim);
    snprintf(buf, size, "%s%s%s%s", subject(d, who, sizeof who),
             d->integer || lim[0] ? ":" : "",
             d->integer ? " a whole number" : "", lim);
    return buf;
}

/* er_domain_ok(kind, integer, min, min_open, max, max_open, value) */
static void sql_domain_ok(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    (void)argc;
    int type = sqlite3_value_type(v[6]);
    if (type == SQLITE_NULL) {
        sqlite3_result_int(ctx, 1); /* a missing value is not a bad one */
        return;
    }
    if (type != SQLITE_INTEGER && type != SQLITE_FLOAT) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    er_domain d;
    char why[8];
    resolve(&d, (const char *)sqlite3_value_text(v[0]),
            sqlite3_value_type(v[1]) == SQLITE_NULL
                ? -1
                : sqlite3_value_int(v[1]) != 0,
            sqlite3_value_type(v[2]) != SQLITE_NULL,
            sqlite3_value_double(v[2]), sqlite3_value_int(v[3]),
            sqlite3_value_type(v[4]) != SQLITE_NULL,
            sqlite3_value_double(v[4]), sqlite3_value_int(v[5]), NULL);
    sqlite3_result_int(ctx,
                       er_domain_check(&d, sqlite3_value_double(v[6]), why,
                                       sizeof why));
}

/* er_fen_ok(value): a whole number of fen; NULL and text pass (the
 * domain check says what is wrong with them) */
static void sql_fen_ok(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    (void)argc;
    int type = sqlite3_value_type(v[0]);
    sqlite3_result_int(ctx, type != SQLITE_FLOAT ||
                                er_yuan_whole_fen(sqlite3_value_double(v[0])));
}

int er_domain_register_sql(sqlite3 *db)
{
    if (sqlite3_create_function(db, "er_domain_ok", 7,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                sql_domain_ok, NULL, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "registering er_domain_ok");
    if (sqlite3_create_function(db, "er_fen_ok", 1,
                                SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                sql_fen_ok, NULL, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "registering er_fen_ok");
    return ER_OK;
}
