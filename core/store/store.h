/*
 * store.h - the store layer (core/store/): the database file and its
 * schema, CSV reading and import, export of the data tables, the snapshot
 * of a run's data and the finding records. Builds on base.h; knows nothing
 * of Lua, rules or reports. Not part of the public API.
 */
#ifndef ER_STORE_H
#define ER_STORE_H

#include "base.h"

/* ---- database (db.c) --------------------------------------------------- */

struct er_db {
    sqlite3 *db;
    char *path;
    bool readonly; /* opened with ER_DB_READONLY: er_db_resume keeps it */
};

/* Creates every table of the current schema in an empty connection (used by
 * rule tests on in-memory databases). */
int er_db_create_schema(sqlite3 *db);
/* Appends to b a subquery (in parentheses, without alias) that reads the
 * findings as the view `finding` does (run, rule, region, year, outcome,
 * measured, required, amount, unit, note) with the columns of their
 * stored form beside them: rule_no (the rule's number in the run, in the
 * order of the ids), region_key (the code as a number, or the text of a
 * code that is not 6 digits), seq, outcome_no (an er_outcome), unit_key
 * and note_key (a finding_text id, or the text itself). Ordered by
 * year, rule_no, region_key, seq, the findings of one run are read in
 * the order they are stored, without a sort: the order of year, rule id,
 * region code and then the order they were recorded. */
int er_db_finding_sql(er_buf *b);
/* Opens a second, read-only connection on the same file for r:sql, with
 * the defensive settings. */
int er_db_open_reader(const char *path, sqlite3 **out);

/* Closes the handle's connection, and opens it again. A supervised child
 * that opens its own connection on the same file must not inherit an open
 * one (the library's per-process lock state would be copied), so `lint`,
 * `explain`, `template` and `diff` close the connection while such a child
 * runs. Other connections the process holds on the same file must be
 * closed too. A run's workers open no connection on the file and never
 * touch the supervisor's: it stays open, with the run's transaction. */
int er_db_suspend(er_db *db);
int er_db_resume(er_db *db);

/* Tables import and export accept, in load order. */
extern const char *const er_data_tables[];

/* The charts a rule's `report = { chart = NAME }` hint may name (NULL-
 * terminated); the rule loader checks the hint against it, the report finds
 * the rule that feeds each chart by it (run_rule.report). */
#define ER_CHART_PER_CAPITA_GAP "per_capita_gap"
#define ER_CHART_RANKING "ranking"
extern const char *const er_report_charts[];
/* The measures a rule's `report = { index = NAME }` hint may name (NULL-
 * terminated): the equalization index section of the report lists them in
 * this order. */
extern const char *const er_report_indexes[];
/* The years a `report = { goal = YEAR }` hint may name. */
#define ER_GOAL_YEAR_MIN 2000
#define ER_GOAL_YEAR_MAX 2100

/* ---- domain lists (domain.c) ------------------------------------------- */

/* Each list is defined once, in domain.c; the index of a word is its
 * value. The schema's CHECK constraints, the importer's messages, the
 * snapshot and the report are built from them. */
enum { ER_LEVEL_PROVINCE = 0, ER_LEVEL_CITY, ER_LEVEL_COUNTY, ER_LEVEL_COUNT };
enum { ER_ZONE_CORE = 0, ER_ZONE_EAST, ER_ZONE_WEST, ER_ZONE_NORTH,
       ER_ZONE_COUNT };
enum { ER_SCOPE_NATIONAL = 0, ER_SCOPE_PROVINCIAL, ER_SCOPE_LOCAL,
       ER_SCOPE_COUNT };
/* The keys of the setting table (the names a report shows). */
enum { ER_SETTING_POLICY = 0, ER_SETTING_COUNT };

extern const char *const er_level_names[ER_LEVEL_COUNT];
/* "provinces", "cities", "counties": for "the sum of its 8 counties". */
extern const char *const er_level_plurals[ER_LEVEL_COUNT];
extern const char *const er_zone_names[ER_ZONE_COUNT];
extern const char *const er_scope_names[ER_SCOPE_COUNT];
extern const char *const er_setting_names[ER_SETTING_COUNT];

/* An outcome (er_outcome of equirule.h): its name in finding.outcome, its
 * label and symbol in reports, and whether it counts as failing. */
typedef struct er_outcome_info {
    const char *name;
    const char *zh;
    const char *symbol;
    bool failing;
} er_outcome_info;
extern const er_outcome_info er_outcomes[ER_OUTCOME_COUNT];

/* The index of the n bytes at s in words[0..count), or -1 (also for
 * NULL). */
int er_word_find(const char *const *words, int count, const char *s,
                 size_t n);
/* The value of a word, or -1 when it is not one (or NULL). */
int er_level_parse(const char *s);
int er_zone_parse(const char *s);
int er_scope_parse(const char *s);
int er_outcome_parse(const char *s);

/* The kinds of metric (metric.kind): what a value counts or measures.
 * A kind gives defaults to a metric's domain where they are always safe
 * (er_domain_resolve): a count is a whole number >= 0, money (元), ratios
 * and per-unit amounts are >= 0; rates, indices and other have none. */
enum { ER_MKIND_COUNT = 0, ER_MKIND_MONEY, ER_MKIND_RATIO, ER_MKIND_RATE,
       ER_MKIND_PER_UNIT, ER_MKIND_INDEX, ER_MKIND_OTHER, ER_MKIND_N };
extern const char *const er_metric_kind_names[ER_MKIND_N];
int er_metric_kind_parse(const char *s);

/* How a metric's value of a region aggregates to its parent region
 * (metric.aggregate): `sum` (the parent's value is the sum of all its
 * children's) or `none`. NULL takes the kind's default: count and money
 * sum, every other kind (and no kind) none. `sum` is refused for ratio,
 * rate, per_unit and index, where a sum means nothing. */
enum { ER_AGG_NONE = 0, ER_AGG_SUM, ER_AGG_N };
extern const char *const er_aggregate_names[ER_AGG_N];
int er_aggregate_parse(const char *s);
/* Whether a metric of kind (ER_MKIND_*, -1 for none) may declare sum. */
bool er_aggregate_allowed(int kind);
/* The aggregate of a metric of kind (-1: none) that declares `declared`
 * (ER_AGG_*, -1 when NULL). */
int er_aggregate_resolve(int kind, int declared);

/* The largest magnitude any stored number may have: past it a value is a
 * typing or unit mistake (and products of such values lose whole units).
 * Money has a smaller one: the exact range of fen (er_yuan_fits_fen). */
#define ER_VALUE_ABS_MAX 1e15

/*
 * The domain of a metric's values (the columns kind, integer, min,
 * min_open, max, max_open and unit of the metric table, with the kind's
 * defaults filled in), or of the values of another column (a transfer's
 * amount, a standard's value). Every value is also finite and at most
 * ER_VALUE_ABS_MAX in magnitude, money within the exact range of fen.
 */
typedef struct er_domain {
    int kind;      /* ER_MKIND_*, -1 when none is declared */
    bool integer;  /* a whole number */
    bool has_min, min_open, has_max, max_open;
    double min, max;
    bool declared; /* any of the columns is set: check warns when not */
    bool fen;      /* money paid: a whole number of fen (0.01 元) */
    char unit[32]; /* for messages; may be empty */
} er_domain;

/* The columns of the metric table a domain is read from, in the order
 * er_domain_from_row reads them. */
#define ER_DOMAIN_COLUMNS "kind, integer, min, min_open, max, max_open, unit"
/* Reads a domain from columns col..col+6 of the current row of st (as
 * ER_DOMAIN_COLUMNS lists them), filling in the kind's defaults. An
 * unknown kind reads as none (the schema's CHECK refuses it). */
void er_domain_from_row(sqlite3_stmt *st, int col, er_domain *out);
/* The domains of transfer amounts (money paid: >= 0, in whole fen),
 * standard values (>= 0) and national averages (> 0: an average of 0
 * makes every spending reach it). */
void er_domain_transfer(er_domain *out);
void er_domain_standard(er_domain *out);
void er_domain_average(er_domain *out);
/* Whether yuan is a whole number of fen (3166624.99, not 3166624.996). */
bool er_yuan_whole_fen(double yuan);
/* Whether v is in the domain; when it is not, writes into why the rule
 * it breaks ("money (元) must be ≥ 0"). */
bool er_domain_check(const er_domain *d, double v, char *why, size_t size);
/* Writes the domain as a rule ("count (人): a whole number ≥ 0") into
 * buf; returns buf. */
const char *er_domain_text(const er_domain *d, char *buf, size_t size);
/* Registers on db the SQL function er_domain_ok(kind, integer, min,
 * min_open, max, max_open, value): 1 when value (a number) is in the
 * domain those metric columns give, else 0 (also for text); and
 * er_fen_ok(value): 1 when value is a whole number of fen or NULL. The
 * integrity check and the import of metrics filter rows with it, so that
 * SQL and C agree on what a domain allows. */
int er_domain_register_sql(sqlite3 *db);

/* Appends the words as an SQL list, 'a','b','c'. */
int er_words_sql(er_buf *b, const char *const *words, int count);
/* Appends the outcome names (or only the failing ones) as an SQL list. */
int er_outcomes_sql(er_buf *b, bool failing_only);
/* Writes the words as prose into buf (cut to `size`) and returns it:
 * ", " between them and `last` before the last one (" or " gives "a, b or
 * c"). ER_WORDS_TEXT bytes hold any list of domain.c. */
#define ER_WORDS_TEXT 128
const char *er_words_text(char *buf, size_t size, const char *const *words,
                          int count, const char *last);

/* ---- integrity of the data (integrity.c) -------------------------------- */

/* One row that breaks an integrity rule: its table, its key as a text
 * ("region 445300, year 2019, metric pop.resident") and why. */
typedef struct er_problem {
    const char *table; /* static */
    char *key;         /* owned */
    char *why;         /* owned */
} er_problem;

/* What er_integrity_check found: the errors (data no run may evaluate)
 * and warnings (data something may leave unchecked), the first ones
 * listed and all of them counted. */
typedef struct er_integrity {
    er_problem *errors;
    size_t nerrors; /* listed */
    long total_errors;
    er_problem *warnings;
    size_t nwarnings;
    long total_warnings;
    size_t max_listed;   /* of each list */
    size_t facts_listed; /* errors of facts listed */
} er_integrity;

/*
 * Checks on db what import guarantees (integrity.c lists the checks), on
 * the rows of `year` (0: of every year; a standard or share counts when its
 * span holds the year). Lists at most max_listed errors and as many
 * warnings, at most 10 of each check, and counts every one. Registers
 * er_domain_ok on db (er_domain_register_sql). The caller frees *out.
 */
int er_integrity_check(sqlite3 *db, int year, size_t max_listed,
                       er_integrity **out);
/* er_integrity_check in two parts, for the snapshot, which checks the
 * facts as it reads them rather than reading them twice: the checks of
 * every table but the facts' rows (er_integrity_sql); each fact's row
 * (er_integrity_fact: columns region, year, metric, value of the current
 * row of st; d NULL when the metric is not in the catalog); and the facts
 * scanned for them (er_integrity_facts). */
int er_integrity_sql(sqlite3 *db, int year, size_t max_listed,
                     er_integrity **out);
int er_integrity_fact(er_integrity *g, sqlite3_stmt *st, bool region_known,
                      const er_domain *d);
int er_integrity_facts(sqlite3 *db, int year, er_integrity *g);
void er_integrity_free(er_integrity *g);
/* Counts one more warning about `table`, listing it (key, why) while
 * fewer than g->max_listed are; `*listed` counts those of one check,
 * which lists at most half of max_listed (10 at least). */
int er_integrity_warn(er_integrity *g, const char *table, const char *key,
                      const char *why, size_t *listed);
/* Appends the listed errors (or warnings) as lines "  table key: why",
 * then "  and N more" when some are not listed. */
int er_integrity_text(const er_integrity *g, bool warnings, er_buf *b);

/* ---- export (export.c) ---------------------------------------------------- */

/* Prepares into *out the query of data table `table`'s rows in the order
 * and with the columns er_export_csv writes (SELECT * in key order, regions
 * parents first). ER_EUSAGE for an unknown table. The caller finalizes
 * *out. */
int er_export_statement(er_db *db, const char *table, sqlite3_stmt **out);

/* ---- data versions (version.c) ------------------------------------------- */

/* Every successful import is a data version (a row of data_version); each
 * data row names the version that wrote it (`version`, NULL for rows
 * stored before versioning: version 0) and the rows a version replaced or
 * deleted are kept in the table's history (T_history, `ended` = the
 * version that ended them). */

/* The latest data version of db, 0 when none was recorded. */
int er_data_version_latest(sqlite3 *db, int64_t *out);
/* Copies every data table (er_data_tables of db.c) as it was at data version
 * `version` from `src` into `dest`, a database whose schema was created
 * (er_db_create_schema) with empty data tables. ER_EUSAGE with a message
 * naming the version when it does not exist or the history it needs was
 * pruned. Version 0 = the rows stored before versioning began. */
int er_data_materialize(sqlite3 *src, int64_t version, sqlite3 *dest);
/* One data row that differs between two versions. Strings are borrowed for
 * the call. */
typedef struct er_data_change {
    const char *table;  /* "fact", "standard", ... */
    const char *key;    /* the row's key as text, e.g. "440400 2019 pop.resident" */
    const char *before; /* the row's other columns as text at the older
                           version ("value=123.4 source=统计年鉴"), NULL = absent */
    const char *after;  /* at the newer version, NULL = absent */
    int64_t version;    /* the latest version in (from, to] that changed it */
} er_data_change;
typedef int (*er_data_change_fn)(void *ctx, const er_data_change *c);
/* Calls fn for each row that differs between versions `from` and `to`
 * (from < to), in table order (er_data_tables) then key order. A key's
 * NULL parts read "-"; text holding a space, '=' or a quote is quoted as
 * in JSON; numbers are written exactly (er_fmt_exact). Stops at the first
 * non-ER_OK return of fn and returns it. ER_EUSAGE when from >= to or a
 * version does not exist or was pruned. */
int er_data_changes(sqlite3 *db, int64_t from, int64_t to,
                    er_data_change_fn fn, void *ctx);

/* Import's side: er_data_version_begin adds the version row (who: $USER,
 * when: now) inside the import's transaction and gives its id; the rows
 * the import writes carry it; er_data_version_end records the counts. */
int er_data_version_begin(sqlite3 *db, const char *table, const char *file,
                          const char *sha256, int64_t *out);
int er_data_version_end(sqlite3 *db, int64_t version, long added,
                        long replaced, long unchanged);
/* Records on run `run` (run.data_version) the data version its snapshot
 * read (er_snapshot.data_version), inside the run's write transaction. */
int er_data_version_of_run(sqlite3 *db, int64_t run, int64_t version);

/* ---- snapshot (snapshot.c) ------------------------------------------------ */

struct er_finding;

typedef struct er_region {
    char code[8];
    const char *name;    /* snapshot-owned */
    const char *name_en; /* may be NULL */
    int8_t level;
    int8_t zone;  /* -1 when NULL */
    int32_t tier; /* INT32_MIN when NULL */
    int32_t parent;     /* index, -1 when none */
    int32_t child_off;  /* into snapshot.children */
    int32_t child_count;
} er_region;

typedef struct er_standard {
    int32_t key;    /* id in std_keys */
    int8_t scope;   /* ER_SCOPE_* */
    int32_t region; /* index, -1 unless local */
    int32_t year_from;
    int32_t year_to; /* INT32_MAX when open */
    double value;
    const char *unit;  /* may be NULL */
    const char *basis; /* may be NULL */
} er_standard;

typedef struct er_share {
    int32_t item; /* id in items */
    int32_t tier;
    int32_t year_from, year_to;
    double share;
} er_share;

/* The national average of a standard key in one year (全国平均水平). */
typedef struct er_national_average {
    const char *key; /* a standard key, snapshot-owned */
    int32_t year;
    double value;
    const char *unit, *basis, *source; /* may be NULL */
} er_national_average;

typedef struct er_transfer {
    uint64_t key; /* payer, region, year, item packed; 0 = empty slot */
    double amount;
    bool derived; /* a roll-up: the sum of ALL the region's children's */
} er_transfer;

/* Who paid a transfer: the province (table transfer) or, to a county,
 * its city (table city_transfer). */
enum { ER_PAYER_PROVINCE = 0, ER_PAYER_CITY = 1 };

/* A city's part of an item's funding that the province does not pay
 * (table split); the rest is its counties'. */
typedef struct er_split {
    int32_t city; /* region index */
    int32_t item; /* id in items; -1: the city's default for every item */
    int32_t year_from, year_to; /* year_to INT32_MAX when open */
    double city_share;
} er_split;

typedef struct er_snapshot {
    er_region *regions; /* sorted by code */
    int32_t nregions;
    int32_t *children; /* region indices grouped by parent, code order */

    int32_t year_min, nyears; /* the span of years facts are held for */
    er_strmap metrics;        /* metric key -> id (catalog and facts) */
    double *facts;            /* [(region * nyears + y) * nmetrics + m] */
    int32_t nmetrics;

    er_strmap items;           /* item code -> id */
    int32_t *item_beneficiary; /* item id -> metric id or -1 */

    er_strmap std_keys;      /* standard key -> id */
    er_standard *standards;  /* sorted by key id */
    int32_t nstandards;
    int32_t *std_off;        /* key id -> first standard; size nkeys + 1 */

    er_share *shares;
    int32_t nshares;

    er_transfer *transfers; /* open addressing, both payers */
    size_t transfer_slots;

    er_split *splits; /* by city, item, year_from */
    int32_t nsplits;
    er_national_average *averages; /* sorted by key, year */
    int32_t naverages;

    struct er_chunk *chunks; /* arena for names, units, bases */

    int32_t *by_level[ER_LEVEL_COUNT]; /* region indices per level, code order */
    int32_t level_count[ER_LEVEL_COUNT];

    int32_t data_year_max; /* latest year with facts, 0 when none */
    int32_t *year_facts;   /* facts per year: [year - year_min], nyears */
    char digest[65];       /* SHA-256 of the data read */
    int64_t data_version;  /* the data version read (er_data_version_latest
                              in the same read transaction) */

    /* roll-ups (er_snapshot_derive): per metric id, ER_AGG_* (NULL when
     * no metric sums); and a bit per cell of `facts` set where the value
     * was derived from the children's rather than stored (NULL when none
     * was) */
    uint8_t *metric_agg;
    uint8_t *derived;
    long nderived;
} er_snapshot;

/* Reads the data tables into memory (all years of facts), after checking
 * in the same read transaction that they keep the integrity rules
 * (er_integrity_check): data that breaks them is ER_EDATA, the message
 * listing the first rows that do. */
int er_snapshot_load(sqlite3 *db, er_snapshot **out);
/* As er_snapshot_load; with ER_SNAPSHOT_UNVERIFIED the integrity is not
 * checked: only for what evaluates nothing (the digest of the data a
 * report compares with its run's). */
#define ER_SNAPSHOT_UNVERIFIED 0x1u
int er_snapshot_load_opts(sqlite3 *db, unsigned flags, er_snapshot **out);
/* The number of facts held for `year` (0 outside the span). */
static inline int32_t er_snapshot_year_facts(const er_snapshot *s,
                                             int32_t year)
{
    int32_t y = year - s->year_min;
    return s->year_facts && y >= 0 && y < s->nyears ? s->year_facts[y] : 0;
}

/* ---- the data copied for r:sql (datacopy.c) ------------------------------- */

/*
 * A copy of every table of the database at `path` but the run tables, read
 * in one transaction into an in-memory database of this process. Load the
 * snapshot from er_datacopy_db and give er_datacopy_uri to the r:sql
 * readers (er_db_open_reader): both then read the same rows, whatever
 * happens to the file. The copy lives until er_datacopy_free; worker
 * processes forked meanwhile inherit it.
 */
typedef struct er_datacopy er_datacopy;
int er_datacopy_open(const char *path, er_datacopy **out);
sqlite3 *er_datacopy_db(const er_datacopy *c);
const char *er_datacopy_uri(const er_datacopy *c);
void er_datacopy_free(er_datacopy *c);
void er_snapshot_free(er_snapshot *s);

int32_t er_snapshot_region(const er_snapshot *s, const char *code);

/* ---- the region a user names (region.c) ----------------------------------- */

#define ER_REGION_CODE_SIZE 16
/*
 * Resolves `spec` to a region code of the region table: its code; else its
 * name (梅州市); else its English name, case ignored (Meizhou); else its name
 * without the last 市, 区 or 县 (梅州). The first of these that matches
 * decides. More than one region matching there is ER_EUSAGE listing them
 * (code, name, level); none is ER_EUSAGE with the nearest code or name
 * ("did you mean"). `path` names the database in messages.
 */
int er_region_resolve(sqlite3 *db, const char *path, const char *spec,
                      char code_out[ER_REGION_CODE_SIZE]);
/* The fact or NaN when missing. */
static inline double er_snapshot_fact(const er_snapshot *s, int32_t region,
                                      int32_t year, int32_t metric)
{
    int32_t y = year - s->year_min;
    if (metric < 0 || metric >= s->nmetrics || y < 0 || y >= s->nyears)
        return __builtin_nan("");
    return s->facts[((size_t)region * (size_t)s->nyears + (size_t)y) *
                        (size_t)s->nmetrics + (size_t)metric];
}
/* Whether the fact of region, year and metric was derived from the
 * region's children (a roll-up) rather than stored. */
static inline bool er_snapshot_derived(const er_snapshot *s, int32_t region,
                                       int32_t year, int32_t metric)
{
    int32_t y = year - s->year_min;
    if (!s->derived || metric < 0 || metric >= s->nmetrics || y < 0 ||
        y >= s->nyears)
        return false;
    size_t i = ((size_t)region * (size_t)s->nyears + (size_t)y) *
                   (size_t)s->nmetrics + (size_t)metric;
    return (s->derived[i / 8] >> (i % 8)) & 1u;
}
/* Whether the metric aggregates to the parent by a sum. */
static inline bool er_snapshot_sums(const er_snapshot *s, int32_t metric)
{
    return s->metric_agg && metric >= 0 && metric < s->nmetrics &&
           s->metric_agg[metric] == ER_AGG_SUM;
}
/*
 * The roll-ups (done by the load; exposed for tests that build a
 * snapshot by hand): for each metric that sums (s->metric_agg) and each
 * year, an absent value of a region with children becomes the sum of ALL
 * its children's values, deepest regions first, so that a child's own
 * derived value counts. When any child lacks a finite value, or the sum
 * is past ER_VALUE_ABS_MAX, the value stays absent: never a partial sum.
 * A stored value is never replaced. Money is summed in whole fen when
 * every child's value is a whole number of fen (the sum is then the
 * value its decimal would be). `money` (may be NULL) marks the metrics
 * of kind money. Sets s->derived and s->nderived.
 */
int er_snapshot_derive(er_snapshot *s, const bool *money);
/* Calls fn(ctx, region) for each region whose lack of a value of
 * `metric` in `year` makes the value of `region` absent: the region
 * itself when it has no children, the metric does not sum, or its
 * children all have one (the sum was out of range); otherwise, for each
 * child lacking one, the regions that make it lack one (recursively), in
 * code order. Nothing when the value is present. Stops at the first fn
 * that does not return ER_OK and returns its code. */
int er_snapshot_lacking(const er_snapshot *s, int32_t region, int32_t year,
                        int32_t metric,
                        int (*fn)(void *ctx, int32_t region), void *ctx);
/* The number of regions er_snapshot_lacking names (at most `max`; the
 * first of them in *first, -1 when none). */
int32_t er_snapshot_lacking_count(const er_snapshot *s, int32_t region,
                                  int32_t year, int32_t metric, int32_t max,
                                  int32_t *first);
/* Warns in g (er_integrity_warn) for each stored value of a metric that
 * sums, of a region whose children all have a value, in `year` (0: every
 * year), that differs from their sum by more than the tolerance: none
 * for whole numbers, half a fen for money, 1e-9 of the larger magnitude
 * otherwise. db is the database s was loaded from (for the domains). */
int er_snapshot_check_rollups(sqlite3 *db, const er_snapshot *s, int year,
                              er_integrity *g);
/* What the children of `region` are, for a text: the plural of their
 * level when they share one ("counties"), else "regions". */
const char *er_snapshot_children_noun(const er_snapshot *s, int32_t region);
/* Appends to b what makes the value of `metric` in `year` of `region`, a
 * roll-up, absent: "the sum of its 21 cities lacks 441500 汕尾市" (at
 * most three named, then "and N more"); nothing when the value would
 * not be a roll-up or is present. */
int er_snapshot_lacking_text(const er_snapshot *s, int32_t region,
                             int32_t year, int32_t metric, er_buf *b);
/* Adds to f the gap of a fact of `metric` (key) that `region` lacks in
 * `year`: where the value would be a roll-up of its children, the gaps of
 * the regions that lack it (er_snapshot_lacking), which are the rows to
 * fill in, rather than of the region itself. Other kinds of gap are added
 * as they are (er_finding_add_gap). */
int er_snapshot_add_gap(const er_snapshot *s, struct er_finding *f, int kind,
                        const char *key, int32_t region, int32_t year);
/* The standard of `scope` in force for `region` in `year` (local: the
 * region's own, else its nearest ancestor's), or NULL. */
const er_standard *er_snapshot_standard(const er_snapshot *s, int32_t key,
                                        int scope, int32_t region,
                                        int32_t year);
/* Provincial share for `tier`; false when none is set. */
bool er_snapshot_share(const er_snapshot *s, int32_t item, int32_t tier,
                       int32_t year, double *out);
/* What `payer` (ER_PAYER_*) paid `region` for the item in `year`; 0 when
 * nothing is recorded. */
double er_snapshot_transfer(const er_snapshot *s, int32_t region,
                            int32_t year, int32_t item, int payer);
/* The transfer row of region, year, item and payer (stored, or derived:
 * t->derived), or NULL when there is none. The province's transfers roll
 * up like facts that sum: a region with children and no row of its own
 * for an item and year has, when EVERY child has a row (stored or
 * derived), a derived row of their sum, in whole fen when every child's
 * amount is a whole number of fen; when any child lacks one it has no
 * row (reads as 0 paid, as before), never a partial sum. */
const er_transfer *er_snapshot_transfer_row(const er_snapshot *s,
                                            int32_t region, int32_t year,
                                            int32_t item, int payer);
/* How many of region's children have a transfer row (stored or derived)
 * of the item in the year, from the province. */
int32_t er_snapshot_transfer_children(const er_snapshot *s, int32_t region,
                                      int32_t year, int32_t item);
/* The split of `city` for the item in force in `year`: the city's row for
 * the item, else its row without an item (its default); NULL when neither
 * is in force. */
const er_split *er_snapshot_split(const er_snapshot *s, int32_t city,
                                  int32_t item, int32_t year);
/* The national average of standard key `key` in `year`, or NULL. */
const er_national_average *
er_snapshot_national_average(const er_snapshot *s, const char *key,
                             int32_t year);

/* ---- findings ------------------------------------------------------------ */

#define ER_F_MEASURED 0x1u
#define ER_F_REQUIRED 0x2u
#define ER_F_AMOUNT 0x4u

/* What a finding that assessed nothing lacked (er_finding.gap_kind): the
 * engine sets it where it knows, so that data gaps can be counted by what
 * is missing rather than read from notes (run_gap). */
typedef enum er_gap_kind {
    ER_GAP_NONE = 0,
    ER_GAP_FACT,     /* missing: no value of metric `key` */
    ER_GAP_SHARE,    /* missing: no provincial share of item `key` */
    ER_GAP_STANDARD, /* skip after the binding standard `key` read nil */
    ER_GAP_TRANSFER, /* missing: no transfer of item `key` (a rule's own) */
    ER_GAP_SPLIT,    /* missing: no city-county split of item `key` */
    ER_GAP_KIND_COUNT
} er_gap_kind;
/* "fact", "share", "standard", "transfer", "split" (run_gap.kind); NULL for
 * ER_GAP_NONE. */
const char *er_gap_kind_name(int kind);

/* One thing a finding lacked (a run_gap row). */
typedef struct er_gap {
    uint8_t kind;   /* er_gap_kind */
    int32_t region; /* the region whose data was lacking (index) */
    int32_t year;   /* the year read */
    char *key;      /* owned: the metric, item or standard (<= 255 bytes) */
} er_gap;

typedef struct er_finding {
    int32_t rule;   /* index in the rule set */
    int32_t region; /* index in the snapshot */
    int32_t year;
    uint8_t outcome; /* er_outcome */
    uint8_t flags;   /* ER_F_* */
    double measured;
    double required;
    int64_t amount; /* fen */
    char *unit;     /* owned, may be NULL */
    char *note;     /* owned, may be NULL */
    er_gap *gaps;   /* owned, may be NULL: what it lacked, sorted */
    uint32_t ngaps;
} er_finding;

void er_finding_clear(er_finding *f);

/* ---- what a finding lacked (record.c) ------------------------------------ */

/* Adds a copy of one gap to f (ignored when kind is ER_GAP_NONE or the key
 * is empty or longer than 255 bytes: the note still names it). */
int er_finding_add_gap(er_finding *f, int kind, const char *key,
                       int32_t region, int32_t year);
/* Sorts f's gaps (kind, key, year, region) and drops repeats. */
void er_finding_sort_gaps(er_finding *f);
/* Frees f's gaps. */
void er_finding_free_gaps(er_finding *f);
/* Gives d its own copy of f's gaps (d->gaps is overwritten). */
int er_finding_copy_gaps(er_finding *d, const er_finding *f);
/* Appends f's gaps to b in a flat form; *len receives the bytes added. */
int er_gaps_pack(er_buf *b, const er_finding *f, uint32_t *len);
/* Reads `len` bytes written by er_gaps_pack into f->gaps (allocated). */
int er_gaps_unpack(er_finding *f, const char *p, size_t len);

/* ---- recording a run (record.c) ------------------------------------------ */

/* Called while er_record_begin waits for another process's write lock,
 * after each pause, with the time waited so far (ms). */
typedef void (*er_wait_fn)(void *ctx, long waited_ms);

/* What the `run` row records (all borrowed; options may be NULL). */
typedef struct er_run_record {
    const char *started_at; /* ISO 8601, UTC */
    const char *years;      /* "2019" or "2018-2020" */
    const char *rules_digest;
    const char *data_digest;
    const char *options;    /* the command line */
    const char *user;
    const char *rules_dir;
    const char *scope;      /* JSON: what narrowed the run, {} for none */
    er_wait_fn waiting;     /* NULL: wait without a word */
    void *waiting_ctx;
} er_run_record;

/* One rule file (or helper module) the run read. */
typedef struct er_file_record {
    const char *path;
    const char *sha256;
} er_file_record;

/* One rule of the run, with its effective params as JSON. */
typedef struct er_rule_record {
    const char *id, *department, *path, *title, *basis;
    const char *item; /* may be NULL */
    const char *kind, *level;
    const char *params_json;
    const char *chart; /* the chart its `report` hint feeds, or NULL */
    const char *index; /* the measure its `report` hint names, or NULL */
    int goal;          /* the goal year of its `report` hint, or 0 */
} er_rule_record;

/*
 * The one writer of a run's rows (run, rule_file, run_rule, the findings
 * store: finding_row, finding_rule, finding_text; run_count, run_gap).
 * er_record_begin opens the write transaction (waiting up to 10 minutes
 * for another writer's, telling run->waiting) and writes the run as
 * 'running'; er_record_finish writes
 * the counts, marks the run done and commits. Until then nothing is
 * visible, and er_recorder_free of an unfinished recorder rolls back.
 * Findings name rules by index (0 <= rule < nrules, registered with
 * er_record_rule, whose strings must outlive the recorder) and regions by
 * index in `snap`. Totals of amounts that do not fit in 64-bit fen make
 * er_record_finding or er_record_finish fail with ER_EDATA, naming the
 * rule and outcome: such a run is not recorded.
 */
typedef struct er_recorder er_recorder;
int er_record_begin(er_recorder **out, er_db *db, const er_snapshot *snap,
                    size_t nrules, const er_run_record *run);
int64_t er_record_run_id(const er_recorder *rec);
int er_record_files(er_recorder *rec, const er_file_record *files, size_t n);
int er_record_rule(er_recorder *rec, int32_t index, const er_rule_record *r);
/* Writes a finding (batched; its strings are copied). Every rule is
 * registered with er_record_rule before the first finding: the rules are
 * numbered then, in the order of their ids. No allocation per finding
 * (one per distinct unit or note, up to a bound, and per new year). */
int er_record_finding(er_recorder *rec, const er_finding *f);
/* Findings written so far. */
long er_record_count(const er_recorder *rec);
int er_record_finish(er_recorder *rec, const char *finished_at,
                     long evaluations);
void er_recorder_free(er_recorder *rec);

/* ---- the rule sources of a run (sources.c) ------------------------------- */

/* What a run loaded: a rule file, a helper module of scripts/lib, or a
 * helper module built into the binary (run_source.kind). */
enum { ER_SOURCE_RULE = 0, ER_SOURCE_MODULE, ER_SOURCE_BUILTIN,
       ER_SOURCE_KIND_COUNT };
extern const char *const er_source_kind_names[ER_SOURCE_KIND_COUNT];

/* One file of a run's rules, with its text. */
typedef struct er_source_record {
    const char *path;    /* as rule_file.path: relative to the rules folder,
                            helper modules "scripts/lib/NAME.lua" (built-in
                            ones too) */
    const char *display; /* as the run's messages quoted it */
    const char *sha256;  /* hex SHA-256 of the text */
    const char *text;
    size_t len;
    int kind;            /* ER_SOURCE_* */
} er_source_record;

/*
 * Stores the sources of run `run` on db, in the caller's transaction (the
 * recorder's): each text once per content in rule_source (a text already
 * stored by an earlier run is not written again), the run's list in
 * run_source, and `replay` (JSON, may be NULL) in run.replay.
 */
int er_sources_record(sqlite3 *db, int64_t run, const er_source_record *files,
                      size_t n, const char *replay);

/* The sources of a stored run, read back: texts owned, NUL-terminated. */
typedef struct er_sources {
    er_source_record *files; /* rule files, then modules, by path */
    size_t n;
    char *replay; /* run.replay, or NULL */
} er_sources;

/*
 * Reads the sources of run `run`. ER_ENOTFOUND, saying so, when the run
 * stored none (recorded before schema 13); ER_EDATA naming the file when a
 * stored text is missing or does not hash to its SHA-256 (the store was
 * altered). The caller frees *out with er_sources_free.
 */
int er_sources_read(sqlite3 *db, int64_t run, er_sources **out);
void er_sources_free(er_sources *s);

/* Deletes the texts of rule_source that no run refers to any more (after
 * runs were deleted); *deleted_out (may be NULL) receives their number. */
int er_sources_prune(sqlite3 *db, long *deleted_out);

/* ---- what a run could not check (gaps.c) ---------------------------------- */

/* Whether an outcome assessed something (ER_OUTCOMES_ASSESSED). */
bool er_outcome_is_assessed(int outcome);
/* The assessed findings among counts. */
long er_counts_assessed(const long counts[ER_OUTCOME_COUNT]);

/* Findings of one rule in one year, by outcome. */
typedef struct er_gap_tally {
    int32_t rule; /* name id */
    int32_t year;
    long n[ER_OUTCOME_COUNT];
} er_gap_tally;

/* What one finding lacked (run_gap); strings are name ids. */
typedef struct er_gap_row {
    int32_t rule, region, key, data_region;
    int32_t year, data_year;
    uint8_t kind; /* ER_GAP_* */
} er_gap_row;

/* The counts and gaps of a run, or of an evaluation that is not stored:
 * filled with er_gapset_count and er_gapset_add, written with
 * er_gapset_write. Strings are copied. */
typedef struct er_gapset {
    er_strmap names;
    er_gap_tally *tallies;
    size_t ntallies, tcap;
    er_gap_row *rows;
    size_t nrows, rcap;
} er_gapset;

void er_gapset_init(er_gapset *gs);
void er_gapset_free(er_gapset *gs);
/* Adds n findings of `outcome` to rule's count in `year`. */
int er_gapset_count(er_gapset *gs, const char *rule, int year, int outcome,
                    long n);
/* Adds what one finding (rule, region, year) lacked: kind ER_GAP_*, key,
 * and the region and year whose data was read (NULL/0: the finding's). */
int er_gapset_add(er_gapset *gs, const char *rule, const char *region,
                  int year, int kind, const char *key,
                  const char *data_region, int data_year);
const char *er_gapset_name(const er_gapset *gs, int32_t id);
/* The counts of all rules and years. */
void er_gapset_totals(const er_gapset *gs, long counts[ER_OUTCOME_COUNT]);

/* Sections er_gapset_write writes (text, md, html; json writes one object
 * with all of them). */
#define ER_GAPS_COVERAGE 0x1u   /* assessed share, overall */
#define ER_GAPS_UNASSESSED 0x2u /* rule-years that assessed nothing, why */
#define ER_GAPS_DATA 0x4u       /* data gaps grouped by what was lacking */
#define ER_GAPS_ALL 0x7u
#define ER_GAPS_COLOR 0x8u      /* text: loud lines in red (a terminal) */
/*
 * Writes the sections `what` of `gs` to fp as text (terminal), md, html
 * (sections of the report page) or json ({findings, assessed,
 * assessed_share, rules, not_assessed, gaps}). Region and metric names
 * are read from `db` (may be NULL: codes only).
 */
int er_gapset_write(const er_gapset *gs, sqlite3 *db, FILE *fp,
                    er_format fmt, unsigned what);

#endif /* ER_STORE_H */
