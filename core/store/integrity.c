/*
 * integrity.c - what import guarantees about the data, checked again on
 * the rows as they are, whatever wrote them (import, the sqlite3 shell, a
 * script, an older equirule): values within their domain (domain.c),
 * references to known regions, metrics and items, parents that exist, sit
 * at a higher level and never loop, no two standards (key, scope, region)
 * or shares (item, tier) or splits (city, item) in force in the same
 * year, no duplicate transfer; a split is a city's, a city_transfer is
 * paid to a county; money paid (transfers) in whole fen; national
 * averages above 0 and in the unit of a national standard of their key
 * in force. The snapshot runs it inside its read transaction, checking
 * each fact's row as it loads it (er_integrity_fact), so a run checks
 * exactly the rows it evaluates; `equirule check` runs it alone.
 * It reports; it changes nothing. The completeness of the data (what rules
 * need and do not find) is not its business.
 */
#include "store.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* How a check's rows are read. */
enum row_kind {
    ROW_PLAIN,  /* key, why */
    ROW_DOMAIN, /* key, ER_DOMAIN_COLUMNS, value */
};

/* What the domain of a ROW_DOMAIN check is, besides a metric's. */
enum fixed_domain { DOM_METRIC, DOM_TRANSFER, DOM_STANDARD, DOM_AVERAGE };

struct check {
    const char *table;
    bool warning; /* else an error */
    /* a duplicate check, made only when the table has lost its primary
     * key (a table made again by hand): with it, SQLite refuses them */
    bool unless_pk;
    enum row_kind kind;
    enum fixed_domain domain;
    /* ?1 is the year checked (NULL: all); @RANK(col)@ is put in as the
     * rank of the level in col, 0 for the highest, and @RANKKIND(col)@ as
     * the index of the kind in col (domain.c's orders; -1: none), and
     * @LEVELS@ as the WHENs of a CASE naming the level of an index */
    const char *sql;
};

/* A year of a row with one year, and a span that holds the year. */
#define IN_YEAR(col) "(?1 IS NULL OR " col " = ?1)"
#define IN_SPAN(a)                                                         \
    "(?1 IS NULL OR (" a ".year_from <= ?1 AND coalesce(" a                \
    ".year_to, 2147483647) >= ?1))"
/* A number as text without trailing zeros: 80, 0.5 */
#define NUM(x) "rtrim(rtrim(printf('%.15f', " x "), '0'), '.')"
#define SPAN_TEXT(a)                                                       \
    "'years ' || " a ".year_from || '..' || coalesce(" a ".year_to, '')"

/* A column the snapshot reads as an integer (a year, a tier, a flag) and
 * whose rows hold something else: text '2019x', a real 1.5. The engine
 * would read a whole number out of it that no other check sees. Every
 * year, whatever the year checked: the row's own year is what is wrong. */
#define WHOLE(table, key, col)                                             \
    {table, false, false, ROW_PLAIN, DOM_METRIC,                           \
     "SELECT " key ", '" col " ''' || " col " || ''' is not a whole "     \
     "number' FROM " table " WHERE " col " IS NOT NULL AND typeof(" col   \
     ") <> 'integer' AND (?1 IS NULL OR ?1 IS NOT NULL) ORDER BY 1"}
#define STD_KEY                                                            \
    "'key ' || key || ', ' || scope || coalesce(', region ' || region, "  \
    "'') || ', years ' || year_from || '..' || coalesce(year_to, '')"
#define SHARE_KEY                                                          \
    "'item ' || item || ', tier ' || tier || ', years ' || year_from || "  \
    "'..' || coalesce(year_to, '')"
#define NAT_KEY "'key ' || key || ', year ' || year"
#define TRANSFER_KEY                                                       \
    "'region ' || region || ', year ' || year || ', item ' || item"
#define SPLIT_KEY                                                          \
    "'city ' || city || coalesce(', item ' || item, '') || ', years ' || " \
    "year_from || '..' || coalesce(year_to, '')"

static const struct check checks[] = {
    /* columns read as whole numbers */
    WHOLE("region", "code", "tier"),
    WHOLE("metric", "'key ' || key", "integer"),
    WHOLE("metric", "'key ' || key", "min_open"),
    WHOLE("metric", "'key ' || key", "max_open"),
    WHOLE("transfer", TRANSFER_KEY, "year"),
    WHOLE("standard", STD_KEY, "year_from"),
    WHOLE("standard", STD_KEY, "year_to"),
    WHOLE("share", SHARE_KEY, "tier"),
    WHOLE("share", SHARE_KEY, "year_from"),
    WHOLE("share", SHARE_KEY, "year_to"),
    WHOLE("split", SPLIT_KEY, "year_from"),
    WHOLE("split", SPLIT_KEY, "year_to"),
    WHOLE("city_transfer", TRANSFER_KEY, "year"),
    WHOLE("national_average", NAT_KEY, "year"),
    /* a fact's year: the scan below (check_fact) sees every row when no
     * year is checked, only the year's rows otherwise */
    {"fact", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'region ' || region || ', year ' || year || ', metric ' || "
     "metric, 'year ''' || year || ''' is not a whole number' FROM fact "
     "WHERE ?1 IS NOT NULL AND typeof(year) <> 'integer' ORDER BY 1"},
    /* regions */
    {"region", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT r.code, 'parent ' || r.parent || ' is not in the "
     "region table' FROM region r LEFT JOIN region p ON p.code = r.parent "
     "WHERE r.parent IS NOT NULL AND p.code IS NULL ORDER BY r.code"},
    {"region", false, false, ROW_PLAIN, DOM_METRIC,
     "WITH RECURSIVE up(start, code, path, n) AS ("
     "  SELECT r.code, r.parent, r.code || ' -> ' || r.parent, 1 "
     "  FROM region r JOIN region p ON p.code = r.parent "
     "  WHERE @RANK(p.level)@ >= @RANK(r.level)@ "
     "  UNION ALL "
     "  SELECT up.start, r.parent, up.path || ' -> ' || r.parent, up.n + 1 "
     "  FROM up JOIN region r ON r.code = up.code "
     "  WHERE r.parent IS NOT NULL AND up.code <> up.start AND up.n < 64) "
     "SELECT start, 'its parents loop (' || path || ')' "
     "FROM up WHERE code = start ORDER BY start"},
    {"region", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT r.code, 'a ' || r.level || ' under the ' || "
     "p.level || ' ' || p.code || ': a parent is of a higher level "
     "(province, then city, then county)' "
     "FROM region r JOIN region p ON p.code = r.parent "
     "WHERE r.code <> r.parent AND @RANK(p.level)@ >= @RANK(r.level)@ "
     "ORDER BY r.code"},
    /* a region below the top level outside the tree: every aggregate of
     * its parent's children would silently leave it out */
    {"region", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT code, 'a ' || level || ' must have a parent (a ' || CASE "
     "@RANK(level)@ - 1 @LEVELS@ END || ')' FROM region "
     "WHERE parent IS NULL AND @RANK(level)@ > 0 ORDER BY code"},
    {"region", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT r.code, 'a ' || r.level || ' under the ' || p.level || ' ' || "
     "p.code || ': its parent must be a ' || CASE @RANK(r.level)@ - 1 "
     "@LEVELS@ END || ', or every aggregate over the ' || CASE r.level "
     "WHEN 'county' THEN 'counties' WHEN 'city' THEN 'cities' ELSE "
     "r.level || 's' END || ' of a ' || CASE @RANK(r.level)@ - 1 @LEVELS@ END || ' leaves it "
     "out' FROM region r JOIN region p ON p.code = r.parent "
     "WHERE @RANK(p.level)@ >= 0 AND @RANK(p.level)@ < @RANK(r.level)@ - 1 "
     "ORDER BY r.code"},
    /* metrics: what the schema's CHECKs hold, unless they were bypassed */
    {"metric", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'key ' || key, CASE WHEN @RANKKIND(kind)@ < 0 THEN 'kind ' || "
     "quote(kind) || ' is not a kind of metric' ELSE 'min ' || min || ' is "
     "above max ' || max END FROM metric WHERE (kind IS NOT NULL AND "
     "@RANKKIND(kind)@ < 0) OR min > max ORDER BY key"},
    /* facts: their rows are checked as they are scanned (check_fact), once
     * by the snapshot as it loads them; here only a year without any */
    {"fact", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'year ' || ?1, 'no facts at all: a run of this year would "
     "evaluate nothing' WHERE ?1 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
     "fact WHERE year = ?1 AND value IS NOT NULL)"},
    {"fact", false, true, ROW_PLAIN, DOM_METRIC,
     "SELECT 'region ' || region || ', year ' || year || ', metric ' || "
     "metric, count(*) || ' rows for one region, year and metric: which "
     "value holds is ambiguous' FROM fact WHERE " IN_YEAR("year") " "
     "GROUP BY region, year, metric HAVING count(*) > 1 "
     "ORDER BY region, year, metric"},
    /* transfers */
    {"transfer", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'region ' || t.region || ', year ' || t.year || ', item ' || "
     "t.item, CASE WHEN r.code IS NULL THEN 'region ' || t.region || ' is "
     "not in the region table' ELSE 'item ' || t.item || ' is not in the "
     "item table' END FROM transfer t "
     "LEFT JOIN region r ON r.code = t.region "
     "LEFT JOIN item i ON i.code = t.item "
     "WHERE " IN_YEAR("t.year") " AND (r.code IS NULL OR i.code IS NULL) "
     "ORDER BY t.region, t.year, t.item"},
    {"transfer", false, false, ROW_DOMAIN, DOM_TRANSFER,
     "SELECT 'region ' || region || ', year ' || year || ', item ' || item, "
     "NULL, NULL, NULL, NULL, NULL, NULL, NULL, amount FROM transfer "
     "WHERE " IN_YEAR("year") " AND (NOT er_domain_ok('money', NULL, NULL, "
     "NULL, NULL, NULL, amount) OR NOT er_fen_ok(amount)) "
     "ORDER BY region, year, item"},
    {"transfer", false, true, ROW_PLAIN, DOM_METRIC,
     "SELECT 'region ' || region || ', year ' || year || ', item ' || item, "
     "count(*) || ' rows for one region, year and item: which amount was "
     "paid is ambiguous' FROM transfer WHERE " IN_YEAR("year") " "
     "GROUP BY region, year, item HAVING count(*) > 1 "
     "ORDER BY region, year, item"},
    /* standards */
    {"standard", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'key ' || s.key || ', ' || s.scope || ', region ' || s.region "
     "|| ', ' || " SPAN_TEXT("s") ", 'region ' || s.region || ' is not in "
     "the region table' FROM standard s LEFT JOIN region r "
     "ON r.code = s.region WHERE s.region IS NOT NULL AND r.code IS NULL "
     "AND " IN_SPAN("s") " ORDER BY s.key, s.region"},
    {"standard", false, false, ROW_DOMAIN, DOM_STANDARD,
     "SELECT 'key ' || s.key || ', ' || s.scope || coalesce(', region ' || "
     "s.region, '') || ', ' || " SPAN_TEXT("s") ", NULL, NULL, NULL, NULL, "
     "NULL, NULL, s.unit, s.value FROM standard s WHERE " IN_SPAN("s") " "
     "AND NOT er_domain_ok(NULL, NULL, 0, 0, NULL, NULL, s.value) "
     "ORDER BY s.key, s.scope, s.region, s.year_from"},
    {"standard", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'key ' || a.key || ', ' || a.scope || coalesce(', region ' || "
     "a.region, '') || ', ' || " SPAN_TEXT("a") ", 'overlaps ' || "
     SPAN_TEXT("b") " || ' (value ' || " NUM("b.value") " || ' against ' "
     "|| " NUM("a.value") " || '): which standard is in force is "
     "ambiguous' "
     "FROM standard a JOIN standard b ON b.key = a.key AND "
     "b.scope = a.scope AND b.region IS a.region AND b.rowid > a.rowid AND "
     "a.year_from <= coalesce(b.year_to, 2147483647) AND "
     "b.year_from <= coalesce(a.year_to, 2147483647) "
     "WHERE " IN_SPAN("a") " AND " IN_SPAN("b") " "
     "ORDER BY a.key, a.scope, a.region, a.year_from"},
    /* shares */
    {"share", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'item ' || s.item || ', tier ' || s.tier || ', ' || "
     SPAN_TEXT("s") ", 'item ' || s.item || ' is not in the item table' "
     "FROM share s LEFT JOIN item i ON i.code = s.item "
     "WHERE i.code IS NULL AND " IN_SPAN("s") " ORDER BY s.item, s.tier"},
    {"share", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'item ' || item || ', tier ' || tier || ', ' || "
     SPAN_TEXT("share") ", 'province_share ' || quote(province_share) || "
     "' is outside 0..1' FROM share WHERE " IN_SPAN("share") " AND NOT "
     "er_domain_ok(NULL, NULL, 0, 0, 1, 0, province_share) "
     "ORDER BY item, tier"},
    {"share", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'item ' || a.item || ', tier ' || a.tier || ', ' || "
     SPAN_TEXT("a") ", 'overlaps ' || " SPAN_TEXT("b") " || ' (share ' || "
     NUM("b.province_share") " || ' against ' || "
     NUM("a.province_share") " || '): which share is in force is "
     "ambiguous' FROM share a JOIN share b "
     "ON b.item = a.item AND b.tier IS a.tier AND b.rowid > a.rowid AND "
     "a.year_from <= coalesce(b.year_to, 2147483647) AND "
     "b.year_from <= coalesce(a.year_to, 2147483647) "
     "WHERE " IN_SPAN("a") " AND " IN_SPAN("b") " "
     "ORDER BY a.item, a.tier, a.year_from"},
    /* city-county splits: a city's, of a known item or of none (the
     * city's default), in 0..1, one in force per (city, item) */
    {"split", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'city ' || s.city || coalesce(', item ' || s.item, '') || ', ' "
     "|| " SPAN_TEXT("s") ", CASE WHEN r.code IS NULL THEN 'city ' || "
     "s.city || ' is not in the region table' WHEN r.level <> 'city' THEN "
     "'region ' || s.city || ' is a ' || r.level || ': a split is a "
     "city''s' ELSE 'item ' || s.item || ' is not in the item table' END "
     "FROM split s LEFT JOIN region r ON r.code = s.city "
     "LEFT JOIN item i ON i.code = s.item "
     "WHERE " IN_SPAN("s") " AND (r.code IS NULL OR r.level <> 'city' OR "
     "(s.item IS NOT NULL AND i.code IS NULL)) ORDER BY s.city, s.item"},
    {"split", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT " SPLIT_KEY ", 'city_share ' || quote(city_share) || ' is "
     "outside 0..1' FROM split WHERE " IN_SPAN("split") " AND NOT "
     "er_domain_ok(NULL, NULL, 0, 0, 1, 0, city_share) "
     "ORDER BY city, item"},
    {"split", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'city ' || a.city || coalesce(', item ' || a.item, '') || "
     "', ' || " SPAN_TEXT("a") ", 'overlaps ' || " SPAN_TEXT("b") " || ' "
     "(split ' || " NUM("b.city_share") " || ' against ' || "
     NUM("a.city_share") " || '): which split is in force is ambiguous' "
     "FROM split a JOIN split b ON b.city = a.city AND b.item IS a.item AND "
     "b.rowid > a.rowid AND "
     "a.year_from <= coalesce(b.year_to, 2147483647) AND "
     "b.year_from <= coalesce(a.year_to, 2147483647) "
     "WHERE " IN_SPAN("a") " AND " IN_SPAN("b") " "
     "ORDER BY a.city, a.item, a.year_from"},
    /* a city's payments to its counties: as transfers, to a county */
    {"city_transfer", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'region ' || t.region || ', year ' || t.year || ', item ' || "
     "t.item, CASE WHEN r.code IS NULL THEN 'region ' || t.region || ' is "
     "not in the region table' WHEN r.level <> 'county' THEN 'region ' || "
     "t.region || ' is a ' || r.level || ': a city pays its counties' "
     "ELSE 'item ' || t.item || ' is not in the item table' END "
     "FROM city_transfer t LEFT JOIN region r ON r.code = t.region "
     "LEFT JOIN item i ON i.code = t.item "
     "WHERE " IN_YEAR("t.year") " AND (r.code IS NULL OR r.level <> "
     "'county' OR i.code IS NULL) ORDER BY t.region, t.year, t.item"},
    {"city_transfer", false, false, ROW_DOMAIN, DOM_TRANSFER,
     "SELECT " TRANSFER_KEY ", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
     "amount FROM city_transfer WHERE " IN_YEAR("year") " AND (NOT "
     "er_domain_ok('money', NULL, NULL, NULL, NULL, NULL, amount) OR NOT "
     "er_fen_ok(amount)) ORDER BY region, year, item"},
    {"city_transfer", false, true, ROW_PLAIN, DOM_METRIC,
     "SELECT " TRANSFER_KEY ", count(*) || ' rows for one region, year and "
     "item: which amount was paid is ambiguous' FROM city_transfer WHERE "
     IN_YEAR("year") " GROUP BY region, year, item HAVING count(*) > 1 "
     "ORDER BY region, year, item"},
    /* national averages: a value above 0 (an average of 0 makes any
     * spending reach it), in the unit of the national standard of the
     * same key in force that year (the short board compares the two, and
     * the unit says what a beneficiary-period is): an empty unit where
     * the other has one is an error, and so is a key naming an item whose
     * standard is set per part (never read); a key with no standard at
     * all is a warning, below */
    {"national_average", false, false, ROW_DOMAIN, DOM_AVERAGE,
     "SELECT " NAT_KEY ", NULL, NULL, NULL, NULL, NULL, NULL, unit, value "
     "FROM national_average WHERE " IN_YEAR("year") " AND NOT "
     "er_domain_ok(NULL, NULL, 0, 1, NULL, NULL, value) ORDER BY key, year"},
    {"national_average", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'key ' || a.key || ', year ' || a.year, CASE "
     "WHEN s.key IS NULL AND EXISTS (SELECT 1 FROM standard p WHERE "
     "p.scope = 'national' AND substr(p.key, 1, length(a.key) + 1) = "
     "a.key || '.' AND p.year_from <= a.year AND coalesce(p.year_to, "
     "2147483647) >= a.year) THEN 'names an item whose national standard "
     "is set per part (' || (SELECT group_concat(k, ', ') FROM (SELECT "
     "DISTINCT p.key AS k FROM standard p WHERE p.scope = 'national' AND "
     "substr(p.key, 1, length(a.key) + 1) = a.key || '.' AND p.year_from "
     "<= a.year AND coalesce(p.year_to, 2147483647) >= a.year ORDER BY "
     "p.key)) || '): the short board reads an average per part, never "
     "this one; give one for each part' "
     "WHEN coalesce(s.unit, '') = '' THEN 'the national standard (' || "
     SPAN_TEXT("s") " || ') has no unit: the unit of the average (' || "
     "a.unit || ') cannot be checked against it' "
     "WHEN coalesce(a.unit, '') = '' THEN 'has no unit; the national "
     "standard''s is ' || s.unit || ': the short board compares the two, "
     "so the average must say it is in the same unit' "
     "ELSE 'unit ' || a.unit || ' differs from the national standard''s ' "
     "|| s.unit || ': the short board compares the two' END "
     "FROM national_average a LEFT JOIN standard s ON s.key = a.key AND "
     "s.scope = 'national' AND s.year_from <= a.year "
     "AND coalesce(s.year_to, 2147483647) >= a.year "
     "WHERE " IN_YEAR("a.year") " AND ((s.key IS NULL AND EXISTS (SELECT "
     "1 FROM standard p WHERE p.scope = 'national' AND substr(p.key, 1, "
     "length(a.key) + 1) = a.key || '.' AND p.year_from <= a.year AND "
     "coalesce(p.year_to, 2147483647) >= a.year)) OR (s.key IS NOT NULL AND "
     "coalesce(a.unit, '') IS NOT coalesce(s.unit, ''))) "
     "ORDER BY a.key, a.year"},
    /* items */
    {"item", false, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'code ' || i.code, 'beneficiary_metric ' || "
     "i.beneficiary_metric || ' is not in the metric table' FROM item i "
     "LEFT JOIN metric m ON m.key = i.beneficiary_metric "
     "WHERE i.beneficiary_metric IS NOT NULL AND m.key IS NULL "
     "ORDER BY i.code"},

    /* warnings: nothing wrong is computed from them, but something may be
     * unchecked or never read */
    {"metric", true, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'key ' || key, 'no value domain declared (kind, integer, min, "
     "max): its values are checked only for being finite numbers of at "
     "most 1e15' FROM metric WHERE kind IS NULL AND integer IS NULL AND "
     "min IS NULL AND max IS NULL ORDER BY key"},
    {"standard", true, false, ROW_PLAIN, DOM_METRIC,
     "SELECT DISTINCT 'key ' || s.key, 'names no item (an item code, or an "
     "item code and a variant: edu.public_funds.primary); no rule reads "
     "it through an item' FROM standard s WHERE " IN_SPAN("s") " AND NOT "
     "EXISTS (SELECT 1 FROM item i WHERE s.key = i.code OR "
     "substr(s.key, 1, length(i.code) + 1) = i.code || '.') "
     "ORDER BY s.key"},
    {"national_average", true, false, ROW_PLAIN, DOM_METRIC,
     "SELECT DISTINCT 'key ' || a.key, 'names no item (an item code, or an "
     "item code and a variant: edu.public_funds.primary); no rule reads "
     "it through an item' FROM national_average a WHERE " IN_YEAR("a.year")
     " AND NOT EXISTS (SELECT 1 FROM item i WHERE a.key = i.code OR "
     "substr(a.key, 1, length(i.code) + 1) = i.code || '.') "
     "ORDER BY a.key"},
    /* an average with no national standard to check its unit against
     * (import refuses it; rows written otherwise are run, and named) */
    {"national_average", true, false, ROW_PLAIN, DOM_METRIC,
     "SELECT 'key ' || a.key || ', year ' || a.year, 'no national standard "
     "of key ' || a.key || ' is in force in ' || a.year || ': its unit "
     "cannot be checked against one (the short board compares the two)' "
     "FROM national_average a WHERE " IN_YEAR("a.year") " AND NOT EXISTS "
     "(SELECT 1 FROM standard s WHERE s.key = a.key AND s.scope = "
     "'national' AND s.year_from <= a.year AND coalesce(s.year_to, "
     "2147483647) >= a.year) AND NOT EXISTS (SELECT 1 FROM standard p "
     "WHERE p.scope = 'national' AND substr(p.key, 1, length(a.key) + 1) "
     "= a.key || '.' AND p.year_from <= a.year AND coalesce(p.year_to, "
     "2147483647) >= a.year) ORDER BY a.key, a.year"},
};

/* The rows listed per check, at most, as a share of all those listed: one
 * broken check does not hide the others. */
#define PER_CHECK(max_listed) ((max_listed) / 2 > 10 ? (max_listed) / 2 : 10)

/* Puts the lists of domain.c into a check's text: @RANK(col)@ becomes the
 * index of col's level, @RANKKIND(col)@ that of its kind (-1 when none),
 * and @LEVELS@ the WHENs of a CASE giving a level's name from its index. */
static int expand(const char *sql, er_buf *out)
{
    const char *p = sql;
    for (const char *at; (at = strchr(p, '@'));) {
        const char *end = strchr(at + 1, '@');
        if (end && strncmp(at, "@LEVELS@", 8) == 0) {
            er_buf_add(out, p, (size_t)(at - p));
            for (int i = 0; i < ER_LEVEL_COUNT; i++)
                er_buf_printf(out, " WHEN %d THEN '%s'", i,
                              er_level_names[i]);
            p = end + 1;
            continue;
        }
        const char *open = strchr(at, '(');
        if (!end || !open || open > end)
            break;
        bool kind = strncmp(at + 1, "RANKKIND(", 9) == 0;
        const char *const *words = kind ? er_metric_kind_names
                                        : er_level_names;
        int n = kind ? ER_MKIND_N : ER_LEVEL_COUNT;
        er_buf_add(out, p, (size_t)(at - p));
        er_buf_puts(out, "(CASE ");
        er_buf_add(out, open + 1, (size_t)(end - 1 - (open + 1)));
        for (int i = 0; i < n; i++)
            er_buf_printf(out, " WHEN '%s' THEN %d", words[i], i);
        er_buf_puts(out, " ELSE -1 END)");
        p = end + 1;
    }
    er_buf_puts(out, p);
    return er_buf_status(out);
}

static void problems_free(er_problem *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].key);
        free(p[i].why);
    }
    free(p);
}

void er_integrity_free(er_integrity *g)
{
    if (!g)
        return;
    problems_free(g->errors, g->nerrors);
    problems_free(g->warnings, g->nwarnings);
    free(g);
}

static int add_problem(er_problem **list, size_t *n, const char *table,
                       const char *key, const char *why)
{
    er_problem *p = realloc(*list, (*n + 1) * sizeof *p);
    if (!p)
        return er_fail(ER_ENOMEM, "out of memory");
    *list = p;
    p[*n].table = table;
    p[*n].key = er_strdup(key ? key : "?");
    p[*n].why = er_strdup(why ? why : "?");
    if (!p[*n].key || !p[*n].why) {
        free(p[*n].key);
        free(p[*n].why);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    (*n)++;
    return ER_OK;
}

int er_integrity_warn(er_integrity *g, const char *table, const char *key,
                      const char *why, size_t *listed)
{
    g->total_warnings++;
    if (*listed >= PER_CHECK(g->max_listed) || g->nwarnings >= g->max_listed)
        return ER_OK;
    (*listed)++;
    return add_problem(&g->warnings, &g->nwarnings, table, key, why);
}

/* Whether `table` still has its primary key. */
static int has_primary_key(sqlite3 *db, const char *table, bool *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM pragma_table_info(?1) "
                           "WHERE pk > 0",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "checking the integrity of the data");
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    *out = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return ER_OK;
}

/* Runs one check, adding what it finds to g. */
static int run_check(sqlite3 *db, const struct check *c, int year,
                     size_t max_listed, er_integrity *g)
{
    er_buf sql;
    sqlite3_stmt *st = NULL;
    char why[320], val[40];
    int rc, src;
    size_t listed = 0;

    er_buf_init(&sql);
    if (c->unless_pk) {
        bool has_pk = false;
        if ((rc = has_primary_key(db, c->table, &has_pk)) != ER_OK ||
            has_pk)
            goto done;
    }
    if ((rc = expand(c->sql, &sql)) != ER_OK)
        goto done;
    if (sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db, "checking the integrity of the data");
        goto done;
    }
    if (year)
        sqlite3_bind_int(st, 1, year);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        long *total = c->warning ? &g->total_warnings : &g->total_errors;
        (*total)++;
        size_t shown = c->warning ? g->nwarnings : g->nerrors;
        if (listed >= PER_CHECK(max_listed) || shown >= max_listed)
            continue;
        const char *text = (const char *)sqlite3_column_text(st, 1);
        if (c->kind == ROW_DOMAIN) {
            er_domain d;
            if (c->domain == DOM_TRANSFER)
                er_domain_transfer(&d);
            else if (c->domain == DOM_STANDARD)
                er_domain_standard(&d);
            else if (c->domain == DOM_AVERAGE)
                er_domain_average(&d);
            else
                er_domain_from_row(st, 1, &d);
            if (c->domain != DOM_METRIC && sqlite3_column_text(st, 7))
                er_text_copy(d.unit, sizeof d.unit, ER_TEXT_TERM,
                             (const char *)sqlite3_column_text(st, 7));
            int type = sqlite3_column_type(st, 8);
            double v = sqlite3_column_double(st, 8);
            char reason[256];
            if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
                snprintf(reason, sizeof reason, "%s",
                         type == SQLITE_NULL ? "it is empty"
                                             : "it is not a number");
            else
                er_domain_check(&d, v, reason, sizeof reason);
            snprintf(why, sizeof why, "%s %s is out of its domain: %s",
                     c->domain == DOM_TRANSFER ? "amount" : "value",
                     type == SQLITE_TEXT
                         ? "(text)"
                         : er_fmt_exact(val, sizeof val, v),
                     reason);
            text = why;
        }
        if ((rc = c->warning
                      ? add_problem(&g->warnings, &g->nwarnings, c->table,
                                    (const char *)sqlite3_column_text(st, 0),
                                    text)
                      : add_problem(&g->errors, &g->nerrors, c->table,
                                    (const char *)sqlite3_column_text(st, 0),
                                    text)) != ER_OK)
            goto done;
        listed++;
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db, "checking the integrity of the data");
        goto done;
    }
    rc = ER_OK;
done:
    sqlite3_finalize(st);
    er_buf_free(&sql);
    return rc;
}

int er_integrity_sql(sqlite3 *db, int year, size_t max_listed,
                     er_integrity **out)
{
    er_integrity *g = calloc(1, sizeof *g);
    int rc;
    *out = NULL;
    if (!g)
        return er_fail(ER_ENOMEM, "out of memory");
    g->max_listed = max_listed;
    if ((rc = er_domain_register_sql(db)) != ER_OK)
        goto done;
    for (size_t i = 0; i < ER_ARRAY_LEN(checks); i++)
        if ((rc = run_check(db, &checks[i], year, max_listed, g)) != ER_OK)
            goto done;
    *out = g;
    g = NULL;
done:
    er_integrity_free(g);
    return rc;
}

int er_integrity_fact(er_integrity *g, sqlite3_stmt *st, bool region_known,
                      const er_domain *d)
{
    char why[320], val[40], reason[256];
    int year_type = sqlite3_column_type(st, 1);
    sqlite3_int64 year = sqlite3_column_int64(st, 1);
    int type = sqlite3_column_type(st, 3);
    double v = sqlite3_column_double(st, 3);
    bool year_ok = year_type == SQLITE_INTEGER && year >= 1949 && year <= 2100;
    bool number = type == SQLITE_INTEGER || type == SQLITE_FLOAT;

    /* the common case first, reading no text */
    if (region_known && d && year_ok && number &&
        er_domain_check(d, v, reason, sizeof reason))
        return ER_OK;
    const char *region = (const char *)sqlite3_column_text(st, 0);
    const char *metric = (const char *)sqlite3_column_text(st, 2);
    if (!region_known)
        snprintf(why, sizeof why, "region %s is not in the region table",
                 region ? region : "NULL");
    else if (!d)
        snprintf(why, sizeof why, "metric %s is not in the metric table",
                 metric ? metric : "NULL");
    else if (year_type != SQLITE_INTEGER)
        snprintf(why, sizeof why, "year '%s' is not a whole number",
                 (const char *)sqlite3_column_text(st, 1));
    else if (!year_ok)
        snprintf(why, sizeof why, "year %s is outside 1949..2100",
                 (const char *)sqlite3_column_text(st, 1));
    else if (!number)
        snprintf(why, sizeof why,
                 "value (text) is out of its domain: it is not a number");
    else
        snprintf(why, sizeof why, "value %s is out of its domain: %s",
                 er_fmt_exact(val, sizeof val, v), reason);
    g->total_errors++;
    if (g->facts_listed >= PER_CHECK(g->max_listed) ||
        g->nerrors >= g->max_listed)
        return ER_OK;
    g->facts_listed++;
    char key[200];
    snprintf(key, sizeof key, "region %s, year %s, metric %s",
             region ? region : "NULL",
             (const char *)sqlite3_column_text(st, 1),
             metric ? metric : "NULL");
    return add_problem(&g->errors, &g->nerrors, "fact", key, why);
}

int er_integrity_facts(sqlite3 *db, int year, er_integrity *g)
{
    sqlite3_stmt *st = NULL;
    er_strmap regions, metrics;
    er_domain *domains = NULL;
    size_t cap = 0;
    int rc = ER_OK, src;

    er_strmap_init(&regions);
    er_strmap_init(&metrics);
    if (sqlite3_prepare_v2(db, "SELECT code FROM region", -1, &st, NULL) !=
        SQLITE_OK)
        goto sql_error;
    while ((src = sqlite3_step(st)) == SQLITE_ROW)
        if (er_strmap_intern(&regions,
                             (const char *)sqlite3_column_text(st, 0)) < 0)
            goto no_memory;
    if (src != SQLITE_DONE)
        goto sql_error;
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db, "SELECT key, " ER_DOMAIN_COLUMNS " FROM metric",
                           -1, &st, NULL) != SQLITE_OK)
        goto sql_error;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t id = er_strmap_intern(
            &metrics, (const char *)sqlite3_column_text(st, 0));
        if (id < 0)
            goto no_memory;
        if ((size_t)id >= cap) {
            size_t n = cap ? cap * 2 : 64;
            er_domain *p = realloc(domains, n * sizeof *p);
            if (!p)
                goto no_memory;
            domains = p;
            cap = n;
        }
        er_domain_from_row(st, 1, &domains[id]);
    }
    if (src != SQLITE_DONE)
        goto sql_error;
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(db,
                           "SELECT region, year, metric, value FROM fact "
                           "WHERE (?1 IS NULL OR year = ?1) AND value IS "
                           "NOT NULL ORDER BY region, year, metric",
                           -1, &st, NULL) != SQLITE_OK)
        goto sql_error;
    if (year)
        sqlite3_bind_int(st, 1, year);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        const char *m = (const char *)sqlite3_column_text(st, 2);
        int32_t id = m ? er_strmap_find(&metrics, m) : -1;
        if ((rc = er_integrity_fact(g, st,
                                    r && er_strmap_find(&regions, r) >= 0,
                                    id >= 0 ? &domains[id] : NULL)) != ER_OK)
            goto done;
    }
    if (src != SQLITE_DONE)
        goto sql_error;
    goto done;
sql_error:
    rc = er_fail_sqlite(db, "checking the integrity of the data");
    goto done;
no_memory:
    rc = er_fail(ER_ENOMEM, "out of memory");
done:
    sqlite3_finalize(st);
    er_strmap_free(&regions);
    er_strmap_free(&metrics);
    free(domains);
    return rc;
}

int er_integrity_check(sqlite3 *db, int year, size_t max_listed,
                       er_integrity **out)
{
    er_integrity *g = NULL;
    int rc = er_integrity_sql(db, year, max_listed, &g);
    if (rc == ER_OK && (rc = er_integrity_facts(db, year, g)) != ER_OK) {
        er_integrity_free(g);
        g = NULL;
    }
    *out = g;
    return rc;
}

int er_integrity_text(const er_integrity *g, bool warnings, er_buf *b)
{
    const er_problem *p = warnings ? g->warnings : g->errors;
    size_t n = warnings ? g->nwarnings : g->nerrors;
    long total = warnings ? g->total_warnings : g->total_errors;
    for (size_t i = 0; i < n; i++) {
        er_buf_printf(b, "  %s ", p[i].table);
        er_text_add(b, ER_TEXT_TERM, p[i].key);
        er_buf_puts(b, ": ");
        er_text_add(b, ER_TEXT_TERM, p[i].why);
        er_buf_puts(b, "\n");
    }
    if (total > (long)n)
        er_buf_printf(b, "  and %ld more\n", total - (long)n);
    return er_buf_status(b);
}

int er_check_integrity(er_db *db, int year, FILE *fp, er_check_result *out)
{
    er_integrity *g = NULL;
    er_buf text;
    int rc;

    assert(db && fp && out);
    memset(out, 0, sizeof *out);
    er_buf_init(&text);
    /* one read transaction: every check sees the same rows */
    sqlite3_exec(db->db, "SAVEPOINT er_check", NULL, NULL, NULL);
    rc = er_integrity_check(db->db, year, 200, &g);
    /* roll-ups: a stored parent value against its children's sum, on the
     * values a run reads (needs data a snapshot can load) */
    if (rc == ER_OK && !g->total_errors) {
        er_snapshot *snap = NULL;
        if ((rc = er_snapshot_load_opts(db->db, ER_SNAPSHOT_UNVERIFIED,
                                        &snap)) == ER_OK)
            rc = er_snapshot_check_rollups(db->db, snap, year, g);
        er_snapshot_free(snap);
    }
    sqlite3_exec(db->db, "RELEASE er_check", NULL, NULL, NULL);
    if (rc != ER_OK)
        goto done;
    out->errors = g->total_errors;
    out->warnings = g->total_warnings;
    er_buf_puts(&text, "integrity of ");
    er_text_add(&text, ER_TEXT_TERM, db->path);
    if (year)
        er_buf_printf(&text, ", year %d", year);
    else
        er_buf_puts(&text, ", every year");
    if (g->total_errors)
        er_buf_printf(&text, ": %ld error%s (a run stops on them)\n",
                      g->total_errors, g->total_errors == 1 ? "" : "s");
    else
        er_buf_puts(&text, ": no errors\n");
    er_integrity_text(g, false, &text);
    if (g->total_warnings)
        er_buf_printf(&text, "%ld warning%s\n", g->total_warnings,
                      g->total_warnings == 1 ? "" : "s");
    er_integrity_text(g, true, &text);
    if ((rc = er_buf_status(&text)) != ER_OK)
        goto done;
    fwrite(text.data, 1, text.len, fp);
done:
    er_buf_free(&text);
    er_integrity_free(g);
    return rc;
}
