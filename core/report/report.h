/*
 * report.h - internal declarations shared by the files that write stored
 * runs back out: report.c (the model of one stored run), report_html.c (the
 * HTML report, its page skeleton and CSS embedded from core/report/assets/),
 * report_svg.c (its SVG charts), report_text.c (Markdown, CSV and JSON
 * reports), compare.c (the findings that changed between two runs) and
 * compare_html.c (that comparison as a page).
 * Nothing here evaluates, and nothing here knows a rule id, a threshold or
 * a place name: those come from the run and the data.
 */
#ifndef ER_REPORT_H
#define ER_REPORT_H

#include "store.h"

/* ---- which findings are shown (filter.c) --------------------------------- */

/* A filter checked against the run and the data: JSON arrays for the SQL
 * condition (NULL: no condition), the year (0: any), and what it is in
 * words ("region 441400 梅州市 and below; outcome fail") and as a JSON
 * object ({regions: [{code, name}], departments, rules, year, outcomes}).
 * `active` is false (and the rest NULL) for no filter. */
typedef struct er_rep_filter {
    bool active;
    char *regions, *depts, *rules, *outcomes;
    int year;
    char *text, *json;
    int64_t within[2]; /* compare: only what both runs evaluated (0: all) */
} er_rep_filter;

/* (parameters ?101 to ?105: a statement that appends it numbers its own
 * parameters below 100) */
/* The condition on findings aliased `f` (of table finding) that a filter
 * makes (ER_REP_FILTER_RULE_SQL: its rules and departments only, for any
 * table aliased `f` with columns run and rule); appended to a WHERE clause, bound with er_rep_filter_bind. Unbound
 * (no filter), it holds every finding. The regions are those of the region
 * table now, with every region whose parent chain reaches one of them. */
#define ER_REP_FILTER_RULE_SQL                                                \
    " AND (?101 IS NULL OR EXISTS (SELECT 1 FROM json_each(?101) j "  \
    "WHERE f.rule = j.value OR substr(f.rule, 1, length(j.value) + 1) = "     \
    "j.value || '.'))"                                                        \
    " AND (?102 IS NULL OR coalesce((SELECT rr.department FROM run_rule " \
    "rr WHERE rr.run = f.run AND rr.rule = f.rule), substr(f.rule, 1, "       \
    "instr(f.rule, '.') - 1)) IN (SELECT value FROM json_each(?102)))"
#define ER_REP_FILTER_SQL                                                     \
    ER_REP_FILTER_RULE_SQL                                                    \
    " AND (?103 IS NULL OR f.region IN (WITH RECURSIVE sub(c) AS "      \
    "(SELECT value FROM json_each(?103) UNION SELECT g.code FROM "      \
    "region g JOIN sub ON g.parent = sub.c) SELECT c FROM sub))"              \
    " AND (?104 IS NULL OR f.year = ?104)"                              \
    " AND (?105 IS NULL OR f.outcome IN (SELECT value FROM "           \
    "json_each(?105)))"                                                       \
    ER_REP_WITHIN_SQL
/* (?106, ?107: two runs, er_rep_filter.within) Only the findings both runs
 * evaluated: the years of each (run.years, "Y" or "A-B") and, for a run
 * narrowed when it ran (run.scope), its one region, its rule and its
 * departments. */
#define ER_REP_WITHIN_SQL                                                     \
    " AND (?106 IS NULL OR NOT EXISTS (SELECT 1 FROM run sr WHERE sr.id IN " \
    "(?106, ?107) AND (f.year < CAST(sr.years AS INTEGER) OR f.year > "       \
    "CAST(substr(sr.years, instr(sr.years, '-') + 1) AS INTEGER) OR CASE "    \
    "WHEN json_valid(sr.scope) THEN (json_extract(sr.scope, '$.region') IS "  \
    "NOT NULL AND f.region IS NOT json_extract(sr.scope, '$.region')) OR "    \
    "(json_extract(sr.scope, '$.rule') IS NOT NULL AND f.rule IS NOT "        \
    "json_extract(sr.scope, '$.rule')) OR (json_type(sr.scope, '$.depts') = " \
    "'array' AND coalesce((SELECT wr.department FROM run_rule wr WHERE "      \
    "wr.run = f.run AND wr.rule = f.rule), substr(f.rule, 1, instr(f.rule, " \
    "'.') - 1)) NOT IN (SELECT value FROM json_each(sr.scope, '$.depts'))) "  \
    "ELSE 0 END)))"

/* Whether `f` (may be NULL) sets no condition. */
bool er_report_filter_empty(const er_report_filter *f);
/* Checks `in` (may be NULL) against runs `runs` (one or two) and the
 * region table: an unknown region, department or rule is ER_EUSAGE with
 * the nearest name. Release `out` with er_rep_filter_free either way. */
int er_rep_filter_resolve(er_db *db, const int64_t *runs, size_t nruns,
                          const er_report_filter *in, er_rep_filter *out);
void er_rep_filter_bind(const er_rep_filter *f, sqlite3_stmt *st);
/* ER_ENOTFOUND naming the filter when no finding of the runs passes it. */
int er_rep_filter_none_match(er_db *db, const int64_t *runs, size_t nruns,
                             const er_rep_filter *f);
void er_rep_filter_free(er_rep_filter *f);

/* The words for a run's scope column `col` (run.scope, JSON): NULL for a
 * full run, else "region 441400 梅州市; dept health; rule x; set a.b=1" (or
 * the command line of a run stored before scopes were). */
#define ER_RUN_SCOPE_TEXT_SQL(col)                                            \
    "CASE WHEN " col " IS NULL OR NOT json_valid(" col ") OR " col " = '{}' " \
    "THEN NULL ELSE rtrim(coalesce('region ' || json_extract(" col            \
    ", '$.region') || coalesce(' ' || (SELECT name FROM region WHERE code = " \
    "json_extract(" col ", '$.region')), '') || '; ', '') || "                \
    "coalesce('dept ' || (SELECT group_concat(value, ', ') FROM json_each("   \
    col ", '$.depts')) || '; ', '') || coalesce('rule ' || json_extract("     \
    col ", '$.rule') || '; ', '') || coalesce('set ' || (SELECT "             \
    "group_concat(value, ', ') FROM json_each(" col ", '$.sets')) || '; ', " \
    "'') || coalesce('command line: ' || json_extract(" col                   \
    ", '$.command'), ''), '; ') END"

/* ---- the model of a stored run (report.c) ------------------------------- */

/* Whether an outcome counts in the pass rate (pass, warn, fail, missing,
 * error) and whether it counts as failing (fail, missing, error). */
bool er_outcome_in_pass_rate(int outcome);
/* The assessed share of counts (ER_OUTCOMES_ASSESSED ÷ all), NaN when
 * there are none. Not the pass rate: skips and allocations are findings
 * here, and missing and error are not assessed. */
double er_assessed_rate(const long counts[ER_OUTCOME_COUNT]);
bool er_outcome_failing(int outcome);

/* pass ÷ assessed as a fraction, NaN when nothing was assessed. */
double er_pass_rate(const long counts[ER_OUTCOME_COUNT]);

/* The number of findings `counts` counts, and of failing ones. */
long er_count_total(const long counts[ER_OUTCOME_COUNT]);
long er_count_failing(const long counts[ER_OUTCOME_COUNT]);

/* The outcome's Chinese label ("未达标" for fail) and its mark in the
 * regions × rules matrix ("✗"). */
const char *er_outcome_zh(int outcome);
const char *er_outcome_symbol(int outcome);

/* The department's name in Chinese ("教育厅" for "education"), or NULL. */
const char *er_department_name(const char *dept);

typedef struct er_rep_rule {
    const char *id, *department, *title, *basis, *item, *kind, *level;
    const char *path, *params; /* params: JSON text, may be NULL */
    const char *chart; /* its `report` hint's chart, may be NULL */
    const char *index; /* its `report` hint's index, may be NULL */
    int goal;          /* its `report` hint's goal year, 0 for none */
    /* whether some stored run holds a finding of the rule for the goal
     * year (read only for a report filtered by year, region or outcome) */
    bool goal_stored;
    /* the other runs' points of the goal left out of the series: their
     * rule file or helper modules differ from this run's, or the run was
     * narrowed to a region or a rule */
    int goal_left_out;
    bool goal_year_left_out; /* the goal year is among them */
    const char *item_name; /* the item table's name of item, may be NULL */
    long counts[ER_OUTCOME_COUNT];
} er_rep_rule;

typedef struct er_rep_region {
    const char *code;
    const char *name;  /* "" when the region is no longer in the table */
    const char *level; /* may be NULL */
    const char *zone;  /* may be NULL */
    const char *parent; /* the code of the region above it, may be NULL */
} er_rep_region;

/* The region's name, or its code when it has none. */
const char *er_rep_region_label(const er_rep_region *g);

typedef struct er_rep_finding {
    int32_t rule;   /* index in rules */
    int32_t region; /* index in regions */
    int32_t year;
    int8_t outcome;
    bool has_measured, has_required, has_amount;
    double measured, required;
    int64_t amount;          /* fen */
    const char *unit, *note; /* may be NULL */
} er_rep_finding;

typedef struct er_rep_dept {
    const char *id;
    int nrules;
    long counts[ER_OUTCOME_COUNT];
} er_rep_dept;

/* Cuts and allocations of one region in one year, in fen. */
typedef struct er_rep_money {
    int32_t region;
    int32_t year;
    int64_t cut, allocation;
    long ncut, nallocation;
} er_rep_money;

/* Per-resident basic public service spending of one city in one year,
 * from the values a run reads: the stored facts, or where a city has none
 * the sum of its counties' (a roll-up, derived). */
typedef struct er_rep_percap {
    int32_t region;
    int32_t year;
    double spend, pop, value; /* value = spend / pop */
    bool derived; /* spend or pop is the sum of the city's counties */
} er_rep_percap;

/* A point of a goal's series (a rule with a `goal` hint): its finding of
 * one year, from this run or, for a year outside the run's years, from
 * the latest other stored run that holds a finding of the same rule for
 * that year (run != the report's id). */
typedef struct er_rep_goalpt {
    int32_t rule; /* index in rules */
    int32_t year;
    int64_t run;
    int8_t outcome;
    bool has_measured, has_required;
    double measured, required;
} er_rep_goalpt;

/* A zone of the data's zone table. */
typedef struct er_rep_zone {
    const char *code, *name;
    const char *short_name; /* may be NULL */
    const char *colour;     /* "#rrggbb", may be NULL */
} er_rep_zone;

typedef struct er_report {
    /* the run */
    int64_t id;
    const char *started_at, *finished_at, *status, *years, *engine_version;
    const char *rules_digest, *data_digest, *options, *user, *rules_dir;
    int64_t evaluations; /* -1 when not recorded */
    int year_from, year_to;
    const char **file_paths, **file_sha256;
    size_t nfiles;

    er_rep_rule *rules; /* by id */
    size_t nrules;
    er_rep_dept *depts; /* by id */
    size_t ndepts;
    er_rep_region *regions; /* by code: those findings and charts name */
    size_t nregions;
    er_rep_finding *findings; /* by year, rule, region */
    size_t nfindings;

    long counts[ER_OUTCOME_COUNT];
    long (*year_counts)[ER_OUTCOME_COUNT]; /* [year - year_from] */
    int64_t cut_fen, allocation_fen;

    er_rep_money *money; /* by year, region */
    size_t nmoney;

    er_rep_percap *percap; /* by year, region code */
    size_t npercap;
    /* the cities of the run's years without both values (nor a roll-up):
     * region and year only; by year, region code */
    er_rep_percap *percap_absent;
    size_t npercap_absent;

    /* from the data: the province's name (the region of level province),
     * the policy's name (setting `policy`), the zones by their sort; each
     * NULL or empty when the data does not hold it */
    const char *province, *policy;
    er_rep_zone *zones;
    size_t nzones;

    /* the rule whose `report` hint names the per-capita chart
     * (ER_CHART_PER_CAPITA_GAP), -1 when the run has none */
    int32_t gap_rule;
    /* the first rule, by id, whose hint names the ranking
     * (ER_CHART_RANKING), -1 when the run has none */
    int32_t rank_rule;
    /* the scores of rank_rule's findings of every region the run ranked,
     * whatever the report's filter: by year, each rounded to 0.01 as the
     * rule ranks them (score * 100, rounded half up); and the number of
     * cities in the region table (0 when it holds none) */
    struct er_rep_score {
        int32_t year;
        bool has; /* a finite score */
        double shown;
    } *rank_scores;
    size_t nrank_scores;
    long rank_cities;
    /* the goal rules' points of years outside the run's, from other
     * stored runs: by rule, year (none when the report is filtered by
     * year, region or outcome) */
    er_rep_goalpt *goal_points;
    size_t ngoal_points;

    /* the digest of the data tables now, and whether it differs from the
     * run's (charts read the tables as they are now) */
    char data_digest_now[65];
    bool data_changed;

    /* what the run could not check: counts per rule and year, data gaps
     * (run_gap); names are read from `names_db` when written */
    er_gapset gaps;
    sqlite3 *names_db; /* borrowed: the database the report was read from */

    /* what was filtered, in words and as JSON; NULL when nothing was (the
     * counts, totals, money and gaps above are of the filtered findings) */
    const char *filter, *filter_json;
    /* the filter's year (0: none), and whether it narrows the findings by
     * year, region or outcome */
    int filter_year;
    bool filter_rows;
    /* the hints the run's rules declare, whatever the filter: a set of
     * ER_HINT_* (a section whose rules the filter left out says so) */
    unsigned run_hints;
    /* what narrowed the run itself (ER_RUN_SCOPE_TEXT_SQL), NULL for a
     * full run */
    const char *scope;
    /* the region the run itself was narrowed to (run.scope $.region), NULL
     * for a run of the whole province; a run known only by its command
     * line counts as narrowed ("?") */
    const char *run_region;

    /* private */
    char **strs;
    size_t nstrs, strs_cap;
} er_report;

/* Reads stored run `run_id` and the data its charts need. ER_ENOTFOUND when
 * there is no such run. Release with er_report_free(). */
int er_report_load(er_db *db, int64_t run_id, er_report **out);
/* er_report_load of the findings that pass `f` (may be NULL) only. */
int er_report_load_filtered(er_db *db, int64_t run_id, const er_rep_filter *f,
                            er_report **out);

/* Adds the counts (per rule, year and outcome) and data gaps of stored run
 * `run_id` to gs (results.c). */
int er_run_gapset(er_db *db, int64_t run_id, er_gapset *gs);
/* er_run_gapset of the findings that pass `f` (may be NULL) only: the
 * counts are of those findings, the gaps those of their findings. */
int er_run_gapset_filtered(er_db *db, int64_t run_id, const er_rep_filter *f,
                           er_gapset *gs);
/* er_run_summarize of the findings that pass `f` (may be NULL). */
int er_run_summarize_filtered(er_db *db, int64_t run_id,
                              const er_rep_filter *f, er_run_summary *out);
/* er_run_print_summary of the findings that pass `f` (may be NULL), with
 * a line saying what was filtered. */
int er_run_print_summary_filtered(er_db *db, int64_t run_id,
                                  const er_rep_filter *f, FILE *fp,
                                  int color);
void er_report_free(er_report *r);

/* The index of rule `id`, or -1. */
int32_t er_report_rule(const er_report *r, const char *id);

/* Core-zone mean of per-capita spending in `year` (total spending of the
 * core cities ÷ their total resident population); NaN when none or when it
 * is not a finite number. */
double er_report_core_mean(const er_report *r, int year);

/* Formats a pass rate as "97.5%" ("—" for NaN or infinity) into buf;
 * returns buf. */
const char *er_fmt_rate(char *buf, size_t size, double rate);

/* Formats a number as er_fmt_num does, but a NaN or an infinity as "—":
 * no report shows "inf" or "nan". Returns buf. */
const char *er_rep_num(char *buf, size_t size, double v);

/* The zone `code` as the data's zone table names it, or NULL when the table
 * does not hold it. */
const er_rep_zone *er_report_zone(const er_report *r, const char *code);
/* The zone's name from the zone table; its code when the table lacks it;
 * "—" for no zone. */
const char *er_report_zone_name(const er_report *r, const char *code);

/* The largest gap the per-capita chart's rule allowed in `year`: the target
 * (`required`) of its indicator finding that year, as a fraction (0.25
 * for a gap of 25%); NaN when the run has no such rule or finding. */
double er_report_max_gap(const er_report *r, int year);

/* The floor of the per-capita band in `year`: the core-zone mean × (1 −
 * er_report_max_gap); NaN when either is missing or the target is not
 * within 0..1. */
double er_report_band_floor(const er_report *r, int year);

/* ---- equalization index, goals, ranking (report.c) ---------------------- */

/* The first finding (by region code) of rule `rule` in `year`, or NULL;
 * *count (may be NULL) gets how many findings it has that year. */
const er_rep_finding *er_report_finding_of(const er_report *r, int32_t rule,
                                           int year, int *count);

/* The Chinese name of measure `index` ("泰尔指数" for "theil"); the
 * name itself for one the list lacks. */
const char *er_index_zh(const char *index);

/* The rule that feeds measure `index` (an er_report_indexes entry) of the
 * main index (no item): the first by id, or -1. */
int32_t er_report_index_rule(const er_report *r, const char *index);
/* Whether any rule of the run has an `index` hint with (`item`) or
 * without an item. */
bool er_report_has_index(const er_report *r, bool item);

/* The hints of er_report.run_hints. */
enum {
    ER_HINT_INDEX = 1,      /* index, item nil: the main index */
    ER_HINT_ITEM_INDEX = 2, /* index with an item */
    ER_HINT_GOAL = 4,
    ER_HINT_RANKING = 8,
};

/* Why the report has no rule with the hint `hint` (ER_HINT_*): the line a
 * section (or its part) shows instead, in Chinese, without markup: the
 * filter left out the rules of the run that declare it, or the run has no
 * such rule. */
const char *er_report_absent_why(const er_report *r, unsigned hint);
/* The line under sections 8 and 9 of a run narrowed to a region
 * (r->run_region): the run did not evaluate the province, so its
 * province-level measures and goals hold no value of its own; NULL for a
 * run of the whole province. */
const char *er_report_region_why(const er_report *r);
/* The line under a goal's chart when other runs' points were left out
 * (rules[rule].goal_left_out): how many and why; appended to `out`.
 * Nothing when none was. */
int er_report_goal_left_out(const er_report *r, int32_t rule, er_buf *out);

/* Whether any rule of the run has a `goal` hint. */
bool er_report_has_goal(const er_report *r);

/* The series of goal rule `rule`: its findings of each year of the run
 * (the first by region code) and the other runs' points, by year, into
 * *out (malloc'd; free it). ER_OK or ER_ENOMEM. */
int er_report_goal_series(const er_report *r, int32_t rule,
                          er_rep_goalpt **out, size_t *n);

/* The sentence that says where goal rule `rule` stands (its series `pts`):
 * "2020年：0.2616 ≤ 0.30，已达到目标（2020年）", "…，未达到目标（2020
 * 年）", or "2022年目标：尚无2022年数据；最近 2020年：0.0123 ≤ 0.0150";
 * *met gets 1 (met), 0 (not met) or -1 (not known). Appends to `out`. */
int er_report_goal_sentence(const er_report *r, int32_t rule,
                            const er_rep_goalpt *pts, size_t n, er_buf *out,
                            int *met);

/* A number of a goal or a measure as the report shows it: an integer
 * without decimals, else rounded to four decimals without trailing zeros
 * past the second ("0.2616", "0.30", "0.015"); "—" when not finite. */
const char *er_goal_num(char *buf, size_t size, double v);

/* The ranking of one year: the findings of r->rank_rule that year (those
 * the report's filter keeps), by measured score rounded to 0.01 as the
 * rule ranks (highest first; those without a score last), ties by region
 * code; ranks[i] is the rank among all the run's scores of the year, not
 * only the rows listed (1 + those scored higher once rounded; equal
 * rounded scores share one; 0: no score).
 * Both malloc'd (free them; NULL when n is 0). ER_OK or ER_ENOMEM. */
/* A run narrowed to a region (r->run_region) stored only that region's
 * scores, though the rule scored every city: its ranks are all 0 (no
 * rank; the rule's note may name the province-wide one). */
int er_report_ranking(const er_report *r, int year,
                      const er_rep_finding ***out, int **ranks, size_t *n);

/* How many cities the run ranked in `year` (scores of rank_rule, not
 * narrowed by the report's filter). The ranking is partial when it is
 * below r->rank_cities. */
long er_report_ranked(const er_report *r, int year);

/* The regions × rules matrix of one year of findings, as the reports show
 * it: the outcome of each cell (the most severe when a cell has more than
 * one finding, -1 when it has none) and the rules and regions that have a
 * finding that year. */
typedef struct er_rep_matrix {
    int year;
    int8_t *cells;     /* [region * nrules + rule] */
    bool *used_rule;   /* [rule] */
    bool *used_region; /* [region] */
} er_rep_matrix;

/* Allocates a matrix for the rules and regions of `r`: ER_OK or
 * ER_ENOMEM. Release with er_rep_matrix_free() either way. */
int er_rep_matrix_init(er_rep_matrix *m, const er_report *r);
/* Fills `m` with the year of findings that starts at index *next (the
 * findings are in year order) and moves *next past that year. */
void er_rep_matrix_fill(er_rep_matrix *m, const er_report *r, size_t *next);
void er_rep_matrix_free(er_rep_matrix *m);

/* ---- the HTML report's charts (report_svg.c) ----------------------------- */

/* Writes a number rounded to an integer with thousands separators ("—" for
 * NaN or infinity) into buf; returns buf. */
const char *er_html_int(char *buf, size_t size, double v);

/* A horizontal bar chart of pass rates: one bar (class `cls`) per row. */
void er_svg_rates(FILE *fp, const char *cls, const char *title, size_t n,
                  const char *const *labels, const char *const *sublabels,
                  const long *const *counts);

/* Horizontal bars of the cuts and allocations r->money[from..to) (one
 * year). */
void er_svg_money(const er_report *r, FILE *fp, size_t from, size_t to);

/* The per-capita bars of one year: `bars` sorted by value, all finite,
 * coloured by zone; the reference mean `mean` (NaN: not drawn) and the band
 * down to `band_floor` (NaN: no band), whose label says the allowed gap
 * `max_gap`. */
void er_svg_percap(const er_report *r, FILE *fp, int year,
                   const er_rep_percap *const *bars, size_t n, double mean,
                   double band_floor, double max_gap);

/* A small line chart of one series over the years; `threshold` (may be
 * NULL, entries may be NaN) is drawn dashed. Values are fractions shown as
 * percentages; NaN and infinite values are left out. */
void er_svg_line(FILE *fp, const char *cls, const char *label,
                 const int *years, const double *values,
                 const double *threshold, size_t n);

/* ---- the public service list (publish.c) ---------------------------------- */

/* What a list says of an item without any standard in force. */
#define ER_PUB_NO_STANDARD "本年度暂无服务标准"
/* The columns of the list, and their heads. */
#define ER_PUB_COLUMNS 8
extern const char *const er_pub_heads[ER_PUB_COLUMNS];

/* One standard in force: its scope in words, whose it is when it is an
 * ancestor's local one, the words of its variant, its value, unit and
 * basis; whether it is the one that applies (the highest of its key's). */
typedef struct er_pub_standard {
    const char *scope;   /* 国家标准, 省标准, 市标准, 县标准, 本地标准 */
    const char *owner;   /* the region whose local standard it is, when not
                            the list's own; else NULL */
    const char *variant; /* 小学, or NULL */
    double value;
    const char *unit, *basis; /* may be NULL */
    bool applies;
    int group; /* the key's number within the item */
} er_pub_standard;

/* One item of the list; texts may be NULL (not filled in). */
typedef struct er_pub_item {
    const char *category, *name, *served, *content, *responsibility, *lead;
    const char *shares; /* the provincial share (and split) in words */
    er_pub_standard *standards;
    size_t nstandards;
} er_pub_item;

typedef struct er_pub_list {
    int year;
    const char *region; /* its name */
    int level;          /* ER_LEVEL_* */
    const char *title;  /* 梅州市基本公共服务清单（2020年） */
    const char *basis;  /* the policy's paragraph, NULL when no policy */
    int64_t data_version;
    const char *data_date; /* 2026年12月2日, or NULL */
    er_pub_item *items;
    size_t nitems;
    /* private */
    char **strs;
    size_t nstrs, strs_cap;
} er_pub_list;

/* Reads the list of opts->region (default: the province) for opts->year
 * (default: the latest year of the data in which a standard is in force).
 * ER_EUSAGE for a region or a year the data does not hold. Release with
 * er_pub_list_free. */
int er_pub_list_load(er_db *db, const er_publish_opts *opts,
                     er_pub_list **out);
void er_pub_list_free(er_pub_list *l);
/* Appends one standard in words (scope, value, unit, basis, the mark). */
void er_pub_standard_text(er_buf *b, const er_pub_standard *s);
/* An item's standards (ER_PUB_NO_STANDARD when none) and its spending
 * responsibility (its text, then the shares), lines joined by `sep`; the
 * caller frees; NULL when out of memory. */
char *er_pub_standards_text(const er_pub_item *it, const char *sep);
char *er_pub_responsibility_text(const er_pub_item *it, const char *sep);
/* 100%-stacked horizontal bars, one per year: part `a` (name_a, colour
 * --between) and part `b` (name_b, --within) as shares of a + b, each
 * labelled with its share and value; a year whose parts are not finite
 * and non-negative with a positive sum says it cannot be split. */
void er_svg_shares(FILE *fp, const char *cls, const char *label, size_t n,
                   const int *years, const double *a, const double *b,
                   const char *name_a, const char *name_b);

/* A goal's line chart: the measured values of `pts` (by year; a point of
 * another run than `run` hollow and labelled "取自运行 #N"), the required
 * values as a dashed target line, and a marker at year `goal`; the years
 * run from the first to the last of the points and the goal year. */
void er_svg_goal(FILE *fp, const char *label, const er_rep_goalpt *pts,
                 size_t n, int goal, int64_t run);

/* ---- renderers ---------------------------------------------------------- */

/* Write the report of `r` to `fp` (report_html.c, report_text.c): ER_OK,
 * or ER_ENOMEM. Write errors are the caller's to check (er_check_written).
 * ER_CSV_EXCEL in `flags` puts a UTF-8 byte order mark first. */
int er_report_html(const er_report *r, FILE *fp);
int er_report_md(const er_report *r, FILE *fp);
int er_report_csv(const er_report *r, FILE *fp, unsigned flags);
int er_report_json(const er_report *r, FILE *fp);

/* ---- why findings changed between two runs (compare_why.c) -------------- */

/* A rule file whose digest differs between two runs: sha_a or sha_b NULL
 * when that run did not read it (added, removed). */
typedef struct er_why_file {
    char *path, *sha_a, *sha_b;
} er_why_file;

/* A data row that differs between the data versions two runs read: as
 * er_data_change, with `before` the row as run A read it and `after` as run
 * B read it (NULL: absent). */
typedef struct er_why_row {
    char *table, *key, *before, *after;
    int64_t version; /* the latest version between the two that changed it */
} er_why_row;

/* A data version a row names (its data_version row): when, who, and the
 * table and file imported; version 0 (the rows stored before versioning)
 * has no user, table or file. */
typedef struct er_why_version {
    int64_t id;
    char *at, *user, *table, *file; /* may be NULL */
    long added, replaced;
} er_why_version;

/* What may explain the findings that changed from run A to run B. */
typedef struct er_why {
    er_why_file *files; /* by path */
    size_t nfiles;
    size_t files_same; /* rule files both runs read with the same digest */

    bool has_version[2];  /* whether run A, run B recorded a data version */
    int64_t version[2];   /* their data versions when they did */
    /* the data rows: listed only when both runs recorded a data version
     * and its history is kept; else `unlisted` says why in words */
    char *unlisted;
    er_why_row *rows; /* in table order, then key order */
    size_t nrows;
    size_t rows_filtered; /* rows left out by the comparison's filter */
    er_why_version *versions; /* those the rows name, by id */
    size_t nversions;
} er_why;

/* How many data rows text, Markdown and HTML list (json lists all). */
#define ER_WHY_ROWS_SHOWN 20

/* Reads what differs between the inputs of runs a and b: their rule files,
 * and the data rows between their data versions that pass `flt` (may be
 * NULL; its regions keep the rows of those regions and below, its year the
 * rows of that year; rows of no region or year are kept). Release `out`
 * with er_why_free either way. */
int er_why_load(er_db *db, int64_t run_a, int64_t run_b,
                const er_rep_filter *flt, er_why *out);
void er_why_free(er_why *w);
/* The version `id` of w->versions, or NULL. */
const er_why_version *er_why_version_of(const er_why *w, int64_t id);

/* Writes the comparison of stored runs run_a and run_b as one HTML page
 * (compare_html.c): the runs' data and rule file digests, the findings
 * that changed grouped by region and rule, the money that moved per
 * region. `stats` (may be NULL) receives the counts, as er_run_compare
 * counts them. ER_ENOTFOUND when a run does not exist. */
int er_compare_html(er_db *db, int64_t run_a, int64_t run_b,
                    const er_rep_filter *filter, FILE *fp,
                    er_compare_stats *stats);

#endif /* ER_REPORT_H */
