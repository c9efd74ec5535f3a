/*
 * publish.c - the basic public service list (基本公共服务清单) of a region
 * and a year, as its residents read it (`equirule publish`): one row per
 * item of the item table, in the table's order and grouped by category,
 * with who is served, what is provided, every standard in force that year
 * (national, provincial and, for a city or county, the local one) with its
 * basis and the one that applies marked, the spending responsibility with
 * the provincial share of the region's tier and its city-county split, and
 * the lead department. It reads the data tables (not a run) and writes the
 * list as HTML, Markdown or CSV (the workbook: report_xlsx.c). No code,
 * key or English word of the data reaches the page: only names and words.
 */
#include "report.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- strings the list owns ---------------------------------------------- */

/* Keeps `s` (NULL stays NULL) for the life of the list; NULL with
 * *rc = ER_ENOMEM when it cannot. */
static const char *keep(er_pub_list *l, const char *s, int *rc)
{
    if (!s)
        return NULL;
    if (l->nstrs == l->strs_cap) {
        size_t cap = l->strs_cap ? l->strs_cap * 2 : 64;
        char **p = realloc(l->strs, cap * sizeof *p);
        if (!p) {
            *rc = er_fail(ER_ENOMEM, "out of memory");
            return NULL;
        }
        l->strs = p;
        l->strs_cap = cap;
    }
    char *d = er_strdup(s);
    if (!d) {
        *rc = er_fail(ER_ENOMEM, "out of memory");
        return NULL;
    }
    l->strs[l->nstrs++] = d;
    return d;
}

/* Text of column i, kept; NULL for NULL or only blanks. */
static const char *keep_col(er_pub_list *l, sqlite3_stmt *st, int i, int *rc)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    if (!s || !s[strspn(s, " \t")])
        return NULL;
    return keep(l, s, rc);
}

void er_pub_list_free(er_pub_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->nitems; i++)
        free(l->items[i].standards);
    free(l->items);
    for (size_t i = 0; i < l->nstrs; i++)
        free(l->strs[i]);
    free(l->strs);
    free(l);
}

/* ---- words -------------------------------------------------------------- */

/* A fraction as a percentage of at most two decimals, trailing zeros
 * dropped: 0.7 → "70%", 0.125 → "12.5%". */
static const char *pct(char *buf, size_t size, double f)
{
    double p = round(f * 10000.0) / 100.0;
    snprintf(buf, size, "%.2f", p);
    char *e = buf + strlen(buf);
    while (e > buf && e[-1] == '0')
        *--e = '\0';
    if (e > buf && e[-1] == '.')
        *--e = '\0';
    snprintf(e, size - (size_t)(e - buf), "%%");
    return buf;
}

/* A tier in words: 1 → "第一档"; past ten, "第11档". */
static const char *tier_words(char *buf, size_t size, int tier)
{
    static const char *const digits[] = {"一", "二", "三", "四", "五",
                                         "六", "七", "八", "九", "十"};
    if (tier >= 1 && tier <= 10)
        snprintf(buf, size, "第%s档", digits[tier - 1]);
    else
        snprintf(buf, size, "第%d档", tier);
    return buf;
}

/* The length in bytes of the UTF-8 prefix a and b share, whole characters
 * only. */
static size_t common_prefix(const char *a, const char *b)
{
    size_t n = 0, whole = 0;
    while (a[n] && a[n] == b[n]) {
        n++;
        /* a character ends where the next byte does not continue it */
        if ((a[n] & 0xC0) != 0x80)
            whole = n;
    }
    return whole;
}

/* The words of a standard's variant (the key's part after the item code,
 * "primary" of edu.public_funds.primary), read from the metric catalog:
 * what the names of the metrics whose key ends in that variant have in
 * common at their start (小学在校生数, 小学公用经费支出 → 小学). NULL
 * when fewer than two metrics end in it or their names share nothing. */
static int variant_words(er_pub_list *l, sqlite3 *db, const char *variant,
                         const char **out)
{
    sqlite3_stmt *st = NULL;
    char prefix[256] = "";
    int n = 0, rc = ER_OK, src;
    *out = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT name FROM metric WHERE substr(key, "
                           "-length(?1) - 1) = '.' || ?1 ORDER BY key",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the metric catalog");
    sqlite3_bind_text(st, 1, variant, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        if (!name)
            continue;
        if (n++ == 0) {
            /* at most what fits, whole characters */
            size_t k = strlen(name);
            if (k >= sizeof prefix) {
                k = sizeof prefix - 1;
                while (k > 0 && (name[k] & 0xC0) == 0x80)
                    k--;
            }
            memcpy(prefix, name, k);
            prefix[k] = '\0';
        } else {
            prefix[common_prefix(prefix, name)] = '\0';
        }
    }
    if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the metric catalog");
    else if (n >= 2 && prefix[0])
        *out = keep(l, prefix, &rc);
    sqlite3_finalize(st);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

/* Prepares `sql`; the error names `what` was being read. */
static int prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql,
                   const char *what)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, what);
    return ER_OK;
}

/* A region: its name, level, parent (empty: none) and tier (has_tier
 * false: none). */
typedef struct region_row {
    char code[ER_REGION_CODE_SIZE];
    char name[128];
    char parent[ER_REGION_CODE_SIZE];
    int level;
    int tier;
    bool has_tier;
} region_row;

static int read_region(sqlite3 *db, const char *code, region_row *g)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(db, &st,
                     "SELECT code, name, level, parent, tier FROM region "
                     "WHERE code = ?1",
                     "reading the regions");
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    memset(g, 0, sizeof *g);
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *s;
        snprintf(g->code, sizeof g->code, "%s",
                 (const char *)sqlite3_column_text(st, 0));
        snprintf(g->name, sizeof g->name, "%s",
                 (const char *)sqlite3_column_text(st, 1));
        g->level = er_level_parse((const char *)sqlite3_column_text(st, 2));
        if ((s = (const char *)sqlite3_column_text(st, 3)))
            snprintf(g->parent, sizeof g->parent, "%s", s);
        g->has_tier = sqlite3_column_type(st, 4) != SQLITE_NULL;
        g->tier = sqlite3_column_int(st, 4);
    } else if (src == SQLITE_DONE) {
        rc = er_fail(ER_ENOTFOUND, "region %s: not in the region table", code);
    } else {
        rc = er_fail_sqlite(db, "reading the regions");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The year: `year` when the fact table holds it (0: the latest year it
 * holds in which a standard is in force, else its latest). ER_EUSAGE
 * naming the years it holds otherwise. */
static int resolve_year(sqlite3 *db, int year, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(
        db, &st,
        "SELECT min(year), max(year), "
        "  (SELECT max(f.year) FROM (SELECT DISTINCT year FROM fact) f "
        "   WHERE EXISTS (SELECT 1 FROM standard s WHERE s.year_from <= "
        "   f.year AND (s.year_to IS NULL OR s.year_to >= f.year))), "
        "  (SELECT count(*) FROM fact WHERE year = ?1) FROM fact",
        "reading the years of the data");
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_int(st, 1, year);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = er_fail_sqlite(db, "reading the years of the data");
        goto done;
    }
    if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
        rc = er_fail(ER_EUSAGE, "the database holds no data (no facts of "
                                "any year): import the data first");
        goto done;
    }
    int lo = sqlite3_column_int(st, 0), hi = sqlite3_column_int(st, 1);
    if (year == 0) {
        *out = sqlite3_column_type(st, 2) == SQLITE_NULL
                   ? hi
                   : sqlite3_column_int(st, 2);
    } else if (sqlite3_column_int(st, 3) == 0) {
        rc = lo == hi
                 ? er_fail(ER_EUSAGE, "no data for %d: the data holds %d only",
                           year, lo)
                 : er_fail(ER_EUSAGE,
                           "no data for %d: the data holds the years "
                           "%d to %d",
                           year, lo, hi);
    } else {
        *out = year;
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* The title, the policy's basis and the data version's date. */
static int read_heading(er_pub_list *l, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(db, &st,
                     "SELECT (SELECT value FROM setting WHERE key = "
                     "'policy'), id, created_at FROM data_version "
                     "ORDER BY id DESC LIMIT 1",
                     "reading the data version");
    if (rc != ER_OK)
        return rc;
    int src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        const char *policy = (const char *)sqlite3_column_text(st, 0);
        const char *at = (const char *)sqlite3_column_text(st, 2);
        char buf[256];
        if (policy) {
            snprintf(buf, sizeof buf, "%s 二(一)2", policy);
            l->basis = keep(l, buf, &rc);
        }
        l->data_version = sqlite3_column_int64(st, 1);
        int y, m, d;
        if (at && sscanf(at, "%d-%d-%d", &y, &m, &d) == 3) {
            snprintf(buf, sizeof buf, "%d年%d月%d日", y, m, d);
            l->data_date = keep(l, buf, &rc);
        }
    } else if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db, "reading the data version");
    }
    sqlite3_finalize(st);
    return rc;
}

static int add_standard(er_pub_item *it, const er_pub_standard *s)
{
    er_pub_standard *p =
        realloc(it->standards, (it->nstandards + 1) * sizeof *p);
    if (!p)
        return er_fail(ER_ENOMEM, "out of memory");
    it->standards = p;
    p[it->nstandards++] = *s;
    return ER_OK;
}

/* The standards in force for the item in the year: per key (the item's
 * code or a variant of it, in the order the standard table first names
 * them) the national and the provincial
 * one and, for a city or county, the local one of the region or of its
 * nearest ancestor that has one; of each scope the one that starts
 * latest, as a rule's r:standard reads it. The highest of a key's is
 * marked as the one that applies (of equal ones, the narrowest scope). */
static int read_standards(er_pub_list *l, sqlite3 *db, er_pub_item *it,
                          const char *code, const char *item_unit,
                          const region_row *g)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(
        db, &st,
        /* every region from the list's up to the province, nearest first */
        "WITH RECURSIVE up(code, depth) AS (SELECT ?3, 0 UNION ALL "
        "  SELECT r.parent, up.depth + 1 FROM region r JOIN up "
        "  ON r.code = up.code WHERE r.parent IS NOT NULL), "
        "inforce AS (SELECT s.*, s.rowid AS rid, CASE s.scope WHEN "
        "  'national' THEN 0 WHEN 'provincial' THEN 1 ELSE 2 END AS sc, "
        "  (SELECT depth FROM up WHERE up.code = s.region) AS depth "
        "  FROM standard s WHERE (s.key = ?1 OR substr(s.key, 1, "
        "  length(?1) + 1) = ?1 || '.') AND s.year_from <= ?2 AND "
        "  (s.year_to IS NULL OR s.year_to >= ?2) AND (s.scope <> 'local' "
        "  OR (?4 AND s.region IN (SELECT code FROM up)))), "
        "best AS (SELECT * FROM inforce i WHERE NOT EXISTS (SELECT 1 FROM "
        "  inforce j WHERE j.key = i.key AND j.sc = i.sc AND "
        "  (coalesce(j.depth, 0) < coalesce(i.depth, 0) OR "
        "  (coalesce(j.depth, 0) = coalesce(i.depth, 0) AND "
        "  (j.year_from > i.year_from OR (j.year_from = i.year_from AND "
        "  j.rid > i.rid)))))) "
        "SELECT b.key, b.sc, b.value, b.unit, b.basis, g.name, g.level, "
        "  b.depth FROM best b LEFT JOIN region g ON g.code = b.region "
        "  ORDER BY (SELECT min(rowid) FROM standard t WHERE t.key = b.key), "
        "  b.key, b.sc",
        "reading the standards");
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, l->year);
    sqlite3_bind_text(st, 3, g->code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, g->level != ER_LEVEL_PROVINCE);
    char key[256] = "";
    int group = -1;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        int sc = sqlite3_column_int(st, 1);
        er_pub_standard s = {0};
        s.value = sqlite3_column_double(st, 2);
        s.unit = keep_col(l, st, 3, &rc);
        if (!s.unit)
            s.unit = item_unit;
        s.basis = keep_col(l, st, 4, &rc);
        if (group < 0 || strcmp(k, key) != 0) {
            snprintf(key, sizeof key, "%s", k);
            group++;
        }
        s.group = group;
        if (k[strlen(code)] == '.' &&
            (rc = variant_words(l, db, k + strlen(code) + 1, &s.variant)) !=
                ER_OK)
            break;
        if (sc == 0) {
            s.scope = "国家标准";
        } else if (sc == 1) {
            s.scope = "省标准";
        } else {
            int level =
                er_level_parse((const char *)sqlite3_column_text(st, 6));
            s.scope = level == ER_LEVEL_COUNTY ? "县标准"
                      : level == ER_LEVEL_CITY ? "市标准"
                                               : "本地标准";
            /* a standard of an ancestor: whose it is */
            if (sqlite3_column_int(st, 7) > 0)
                s.owner = keep_col(l, st, 5, &rc);
        }
        if (rc != ER_OK || (rc = add_standard(it, &s)) != ER_OK)
            break;
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the standards");
    sqlite3_finalize(st);
    if (rc != ER_OK)
        return rc;
    /* the one that applies, per key: the highest, the narrowest scope of
     * equal ones (the rows are by key, then scope) */
    for (size_t i = 0; i < it->nstandards;) {
        size_t j = i, best = i;
        while (j < it->nstandards &&
               it->standards[j].group == it->standards[i].group) {
            if (it->standards[j].value >= it->standards[best].value)
                best = j;
            j++;
        }
        it->standards[best].applies = true;
        i = j;
    }
    return ER_OK;
}

/* The provincial share of the item in the year for `tier`, as a rule's
 * r:share reads it (the span in force that starts latest); false when
 * none. */
static int read_share(sqlite3 *db, const char *item, int tier, int year,
                      double *out, bool *found)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(db, &st,
                     "SELECT province_share FROM share WHERE item = ?1 AND "
                     "tier = ?2 AND year_from <= ?3 AND (year_to IS NULL OR "
                     "year_to >= ?3) ORDER BY year_from DESC, rowid DESC "
                     "LIMIT 1",
                     "reading the shares");
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_text(st, 1, item, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, tier);
    sqlite3_bind_int(st, 3, year);
    int src = sqlite3_step(st);
    *found = src == SQLITE_ROW;
    if (*found)
        *out = sqlite3_column_double(st, 0);
    else if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the shares");
    sqlite3_finalize(st);
    return rc;
}

/* The city-county split of `city` for the item in the year, as r:split
 * reads it: the city's row for the item, else its row without an item. */
static int read_split(sqlite3 *db, const char *city, const char *item, int year,
                      double *out, bool *found)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(db, &st,
                     "SELECT city_share FROM split WHERE city = ?1 AND "
                     "(item = ?2 OR item IS NULL) AND year_from <= ?3 AND "
                     "(year_to IS NULL OR year_to >= ?3) ORDER BY item IS "
                     "NULL, year_from DESC, rowid DESC LIMIT 1",
                     "reading the city-county splits");
    if (rc != ER_OK)
        return rc;
    sqlite3_bind_text(st, 1, city, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, year);
    int src = sqlite3_step(st);
    *found = src == SQLITE_ROW;
    if (*found)
        *out = sqlite3_column_double(st, 0);
    else if (src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the city-county splits");
    sqlite3_finalize(st);
    return rc;
}

/* The shares in words: for the province, the provincial share of each
 * tier; for a city or county, its tier's, then the split of what the
 * city and its counties pay. */
static int read_shares(er_pub_list *l, sqlite3 *db, er_pub_item *it,
                       const char *code, const region_row *g,
                       const region_row *tier_of, const region_row *city)
{
    er_buf b;
    char p1[32], p2[32], tw[32];
    int rc = ER_OK;
    er_buf_init(&b);
    if (g->level == ER_LEVEL_PROVINCE) {
        sqlite3_stmt *st = NULL;
        if ((rc = prepare(db, &st,
                          "SELECT tier, province_share FROM share s WHERE "
                          "item = ?1 AND year_from <= ?2 AND (year_to IS "
                          "NULL OR year_to >= ?2) AND NOT EXISTS (SELECT 1 "
                          "FROM share t WHERE t.item = s.item AND t.tier = "
                          "s.tier AND t.year_from <= ?2 AND (t.year_to IS "
                          "NULL OR t.year_to >= ?2) AND (t.year_from > "
                          "s.year_from OR (t.year_from = s.year_from AND "
                          "t.rowid > s.rowid))) ORDER BY tier",
                          "reading the shares")) != ER_OK)
            goto done;
        sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, l->year);
        int src, n = 0;
        while ((src = sqlite3_step(st)) == SQLITE_ROW)
            er_buf_printf(&b, "%s%s省级承担 %s",
                          n++ ? "，" : "省级按分档比例分担：",
                          tier_words(tw, sizeof tw, sqlite3_column_int(st, 0)),
                          pct(p1, sizeof p1, sqlite3_column_double(st, 1)));
        if (src != SQLITE_DONE)
            rc = er_fail_sqlite(db, "reading the shares");
        sqlite3_finalize(st);
        if (rc != ER_OK)
            goto done;
        if (n == 0)
            er_buf_printf(&b, "%d年未设省级分担比例", l->year);
    } else {
        double share = 0, split = 0;
        bool found = false, has_split = false;
        if (!tier_of) {
            er_buf_puts(&b, "未定分档，无省级分担比例");
        } else {
            if ((rc = read_share(db, code, tier_of->tier, l->year, &share,
                                 &found)) != ER_OK)
                goto done;
            /* a county that takes its city's tier says so */
            er_buf_printf(&b, "%s（%s%s）：", g->name,
                          tier_of == g ? "" : tier_of->name,
                          tier_words(tw, sizeof tw, tier_of->tier));
            if (found)
                er_buf_printf(&b, "省级承担 %s，市县承担 %s",
                              pct(p1, sizeof p1, share),
                              pct(p2, sizeof p2, 1.0 - share));
            else
                er_buf_printf(&b, "%d年未设省级分担比例", l->year);
        }
        if (city && (rc = read_split(db, city->code, code, l->year, &split,
                                     &has_split)) != ER_OK)
            goto done;
        if (has_split)
            er_buf_printf(&b,
                          "；市县承担部分中，%s承担 %s，所辖县（市、区）承担 "
                          "%s",
                          city->name, pct(p1, sizeof p1, split),
                          pct(p2, sizeof p2, 1.0 - split));
    }
    if ((rc = er_buf_status(&b)) != ER_OK)
        goto done;
    it->shares = keep(l, b.data, &rc);
done:
    er_buf_free(&b);
    return rc;
}

/* The items, in the item table's order (the order of its file), the
 * categories in the order they first appear. */
static int read_items(er_pub_list *l, sqlite3 *db, const region_row *g,
                      const region_row *tier_of, const region_row *city)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare(
        db, &st,
        "SELECT code, category, name, served, content, responsibility, lead, "
        "  unit FROM item i ORDER BY (SELECT min(rowid) FROM item j WHERE "
        "  j.category = i.category), rowid",
        "reading the items");
    if (rc != ER_OK)
        return rc;
    int src;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        er_pub_item *p = realloc(l->items, (l->nitems + 1) * sizeof *l->items);
        if (!p) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            break;
        }
        l->items = p;
        er_pub_item *it = &l->items[l->nitems++];
        memset(it, 0, sizeof *it);
        const char *code = (const char *)sqlite3_column_text(st, 0);
        it->category = keep_col(l, st, 1, &rc);
        it->name = keep_col(l, st, 2, &rc);
        it->served = keep_col(l, st, 3, &rc);
        it->content = keep_col(l, st, 4, &rc);
        it->responsibility = keep_col(l, st, 5, &rc);
        it->lead = keep_col(l, st, 6, &rc);
        const char *unit = keep_col(l, st, 7, &rc);
        if (rc != ER_OK ||
            (rc = read_standards(l, db, it, code, unit, g)) != ER_OK ||
            (rc = read_shares(l, db, it, code, g, tier_of, city)) != ER_OK)
            break;
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the items");
    sqlite3_finalize(st);
    if (rc == ER_OK && l->nitems == 0)
        rc = er_fail(ER_EUSAGE, "the database holds no items: import the "
                                "item table first");
    return rc;
}

int er_pub_list_load(er_db *db, const er_publish_opts *o, er_pub_list **out)
{
    assert(db && out);
    er_pub_list *l = calloc(1, sizeof *l);
    region_row g, parent, city;
    const region_row *tier_of = NULL, *cityp = NULL;
    char code[ER_REGION_CODE_SIZE];
    int rc;
    *out = NULL;
    if (!l)
        return er_fail(ER_ENOMEM, "out of memory");
    sqlite3 *s = db->db;
    /* the region: the one named, else the province */
    if (o && o->region) {
        if ((rc = er_region_resolve(s, db->path, o->region, code)) != ER_OK)
            goto done;
    } else {
        sqlite3_stmt *st = NULL;
        if ((rc = prepare(s, &st,
                          "SELECT code FROM region WHERE level = 'province' "
                          "ORDER BY code LIMIT 1",
                          "reading the regions")) != ER_OK)
            goto done;
        int src = sqlite3_step(st);
        if (src == SQLITE_ROW)
            snprintf(code, sizeof code, "%s",
                     (const char *)sqlite3_column_text(st, 0));
        else if (src == SQLITE_DONE)
            rc = er_fail(ER_EUSAGE, "the region table holds no province: "
                                    "import the regions first, or name one "
                                    "with --region");
        else
            rc = er_fail_sqlite(s, "reading the regions");
        sqlite3_finalize(st);
        if (rc != ER_OK)
            goto done;
    }
    if ((rc = read_region(s, code, &g)) != ER_OK ||
        (rc = resolve_year(s, o ? o->year : 0, &l->year)) != ER_OK)
        goto done;
    /* the tier that decides the share (r:share): the region's own, else a
     * county's city's; the split's city: the region or its nearest city */
    if (g.level != ER_LEVEL_PROVINCE) {
        if (g.has_tier)
            tier_of = &g;
        if (g.parent[0] && (rc = read_region(s, g.parent, &parent)) != ER_OK)
            goto done;
        if (!tier_of && g.level == ER_LEVEL_COUNTY && g.parent[0] &&
            parent.level == ER_LEVEL_CITY && parent.has_tier)
            tier_of = &parent;
        if (g.level == ER_LEVEL_CITY) {
            cityp = &g;
        } else {
            region_row r = g;
            while (r.parent[0] && r.level != ER_LEVEL_CITY) {
                char up[ER_REGION_CODE_SIZE];
                memcpy(up, r.parent, sizeof up);
                if ((rc = read_region(s, up, &r)) != ER_OK)
                    goto done;
            }
            if (r.level == ER_LEVEL_CITY) {
                city = r;
                cityp = &city;
            }
        }
    }
    l->region = keep(l, g.name, &rc);
    l->level = g.level;
    char title[256];
    snprintf(title, sizeof title, "%s基本公共服务清单（%d年）", g.name,
             l->year);
    l->title = keep(l, title, &rc);
    if (rc != ER_OK || (rc = read_heading(l, s)) != ER_OK ||
        (rc = read_items(l, s, &g, tier_of, cityp)) != ER_OK)
        goto done;
    *out = l;
    l = NULL;
done:
    er_pub_list_free(l);
    return rc;
}

/* ---- one standard in words ---------------------------------------------- */

void er_pub_standard_text(er_buf *b, const er_pub_standard *s)
{
    char num[64];
    er_buf_printf(b, "%s", s->scope);
    if (s->owner)
        er_buf_printf(b, "（%s）", s->owner);
    er_buf_puts(b, "：");
    if (s->variant)
        er_buf_printf(b, "%s ", s->variant);
    er_buf_printf(b, "%s", er_fmt_exact(num, sizeof num, s->value));
    if (s->unit)
        er_buf_printf(b, " %s", s->unit);
    if (s->basis)
        er_buf_printf(b, "（依据：%s）", s->basis);
    if (s->applies)
        er_buf_puts(b, "【适用】");
}

/* The standards of an item as lines ("本年度无服务标准" when none);
 * the caller frees. NULL when out of memory. */
static char *standards_text(const er_pub_item *it, const char *sep)
{
    er_buf b;
    er_buf_init(&b);
    if (!it->nstandards)
        er_buf_puts(&b, ER_PUB_NO_STANDARD);
    for (size_t i = 0; i < it->nstandards; i++) {
        if (i)
            er_buf_puts(&b, sep);
        er_pub_standard_text(&b, &it->standards[i]);
    }
    if (er_buf_status(&b) != ER_OK) {
        er_buf_free(&b);
        return NULL;
    }
    return er_buf_detach(&b);
}

char *er_pub_standards_text(const er_pub_item *it, const char *sep)
{
    return standards_text(it, sep);
}

char *er_pub_responsibility_text(const er_pub_item *it, const char *sep)
{
    er_buf b;
    er_buf_init(&b);
    if (it->responsibility)
        er_buf_puts(&b, it->responsibility);
    if (it->shares) {
        if (it->responsibility)
            er_buf_puts(&b, sep);
        er_buf_puts(&b, it->shares);
    }
    if (er_buf_status(&b) != ER_OK) {
        er_buf_free(&b);
        return NULL;
    }
    return er_buf_detach(&b);
}

/* The notes under the title: the basis, the data's date. */
static void heading_lines(const er_pub_list *l, er_buf *b, const char *sep)
{
    if (l->basis)
        er_buf_printf(b, "依据：%s（向社会公开基本公共服务清单）%s", l->basis,
                      sep);
    if (l->data_date)
        er_buf_printf(b, "数据版本：第 %lld 版（%s）",
                      (long long)l->data_version, l->data_date);
    else
        er_buf_printf(b, "数据版本：第 %lld 版", (long long)l->data_version);
}

const char *const er_pub_heads[ER_PUB_COLUMNS] = {
    "序号",     "服务类别", "服务项目", "服务对象",
    "服务内容", "服务标准", "支出责任", "牵头负责单位"};

/* ---- CSV ---------------------------------------------------------------- */

static int write_csv(const er_pub_list *l, FILE *fp, unsigned flags)
{
    er_text_kind k = flags & ER_CSV_EXCEL ? ER_TEXT_CSV_SHEET : ER_TEXT_CSV;
    if (flags & ER_CSV_EXCEL)
        fputs("\xEF\xBB\xBF", fp);
    for (int c = 0; c < ER_PUB_COLUMNS; c++)
        fprintf(fp, "%s%s", c ? "," : "", er_pub_heads[c]);
    fputc('\n', fp);
    for (size_t i = 0; i < l->nitems; i++) {
        const er_pub_item *it = &l->items[i];
        char *std = standards_text(it, "\n");
        char *resp = er_pub_responsibility_text(it, "\n");
        if (!std || !resp) {
            free(std);
            free(resp);
            return er_fail(ER_ENOMEM, "out of memory");
        }
        const char *cells[] = {it->category, it->name, it->served, it->content,
                               std,          resp,     it->lead};
        fprintf(fp, "%zu", i + 1);
        for (size_t c = 0; c < ER_ARRAY_LEN(cells); c++) {
            fputc(',', fp);
            er_text_put(fp, k, cells[c] ? cells[c] : "");
        }
        fputc('\n', fp);
        free(std);
        free(resp);
    }
    return ER_OK;
}

/* ---- Markdown ----------------------------------------------------------- */

static void md(FILE *fp, const char *s)
{
    if (!s || !*s)
        fputs("—", fp);
    else
        er_text_put(fp, ER_TEXT_MD, s);
}

/* Lines within one cell, joined by <br>. */
static void md_lines(FILE *fp, char *s)
{
    char *line = s;
    for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        md(fp, line);
        fputs("<br>", fp);
    }
    md(fp, line);
}

static int write_md(const er_pub_list *l, FILE *fp)
{
    er_buf b;
    er_buf_init(&b);
    heading_lines(l, &b, "\n\n");
    if (er_buf_status(&b) != ER_OK) {
        er_buf_free(&b);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    fprintf(fp, "# %s\n\n%s\n\n", l->title, b.data);
    er_buf_free(&b);
    fputc('|', fp);
    for (int c = 0; c < ER_PUB_COLUMNS; c++)
        fprintf(fp, " %s |", er_pub_heads[c]);
    fputs("\n|---:|", fp);
    for (int c = 1; c < ER_PUB_COLUMNS; c++)
        fputs("---|", fp);
    fputc('\n', fp);
    for (size_t i = 0; i < l->nitems; i++) {
        const er_pub_item *it = &l->items[i];
        char *std = standards_text(it, "\n");
        char *resp = er_pub_responsibility_text(it, "\n");
        if (!std || !resp) {
            free(std);
            free(resp);
            return er_fail(ER_ENOMEM, "out of memory");
        }
        fprintf(fp, "| %zu | ", i + 1);
        md(fp, it->category);
        fputs(" | ", fp);
        md(fp, it->name);
        fputs(" | ", fp);
        md(fp, it->served);
        fputs(" | ", fp);
        md(fp, it->content);
        fputs(" | ", fp);
        md_lines(fp, std);
        fputs(" | ", fp);
        md_lines(fp, resp);
        fputs(" | ", fp);
        md(fp, it->lead);
        fputs(" |\n", fp);
        free(std);
        free(resp);
    }
    fputs("\n【适用】：该项目本级执行的标准（同一项目的国家标准、省标准与本地"
          "标准中最高者）。\n",
          fp);
    return ER_OK;
}

/* ---- HTML --------------------------------------------------------------- */

static const char page_css[] =
    "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
    "\"Microsoft YaHei\",sans-serif;margin:2em auto;max-width:80em;"
    "color:#222;line-height:1.5;padding:0 1em}"
    "h1{font-size:1.6em;text-align:center;margin-bottom:.2em}"
    "p.note{text-align:center;color:#555;margin:.2em 0}"
    "table{border-collapse:collapse;width:100%;margin-top:1.5em;"
    "font-size:.92em}"
    "th,td{border:1px solid #999;padding:.4em .5em;vertical-align:top;"
    "text-align:left}"
    "th{background:#eef2f7;white-space:nowrap}"
    "td.no{text-align:right}td.category{font-weight:bold;background:#f7f9fb}"
    "td.standard{min-width:15em}td.responsibility{min-width:14em}"
    "ul.standards{margin:0;padding-left:1.1em}"
    "li.applies{font-weight:bold}"
    "span.mark{color:#b03030;font-weight:bold}"
    "span.basis{display:block;color:#555;font-size:.9em}"
    "p.none{color:#777;margin:0}"
    "p.legend{color:#555;font-size:.9em}"
    "@media print{body{margin:0;max-width:none}"
    "tr{page-break-inside:avoid}}"
    "@page{size:A4 landscape;margin:12mm}";

static void html_cell(FILE *fp, const char *cls, const char *s)
{
    fprintf(fp, "<td class=\"%s\">", cls);
    er_html_put(fp, s && *s ? s : "—");
    fputs("</td>", fp);
}

static void html_standards(FILE *fp, const er_pub_item *it)
{
    char num[64];
    fputs("<td class=\"standard\">", fp);
    if (!it->nstandards) {
        fputs("<p class=\"none\">" ER_PUB_NO_STANDARD "</p></td>", fp);
        return;
    }
    fputs("<ul class=\"standards\">", fp);
    for (size_t i = 0; i < it->nstandards; i++) {
        const er_pub_standard *s = &it->standards[i];
        fprintf(fp, "<li%s>", s->applies ? " class=\"applies\"" : "");
        er_html_put(fp, s->scope);
        if (s->owner) {
            fputs("（", fp);
            er_html_put(fp, s->owner);
            fputs("）", fp);
        }
        fputs("：", fp);
        if (s->variant) {
            er_html_put(fp, s->variant);
            fputc(' ', fp);
        }
        er_html_put(fp, er_fmt_exact(num, sizeof num, s->value));
        if (s->unit) {
            fputc(' ', fp);
            er_html_put(fp, s->unit);
        }
        if (s->applies)
            fputs(" <span class=\"mark\">【适用】</span>", fp);
        if (s->basis) {
            fputs("<span class=\"basis\">依据：", fp);
            er_html_put(fp, s->basis);
            fputs("</span>", fp);
        }
        fputs("</li>", fp);
    }
    fputs("</ul></td>", fp);
}

static int write_html(const er_pub_list *l, FILE *fp)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
          "<meta charset=\"utf-8\">\n<title>",
          fp);
    er_html_put(fp, l->title);
    fprintf(fp, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", page_css);
    er_html_put(fp, l->title);
    fputs("</h1>\n", fp);
    if (l->basis) {
        fputs("<p class=\"note\" id=\"basis\">依据：", fp);
        er_html_put(fp, l->basis);
        fputs("（向社会公开基本公共服务清单）</p>\n", fp);
    }
    fprintf(fp, "<p class=\"note\" id=\"version\">数据版本：第 %lld 版",
            (long long)l->data_version);
    if (l->data_date) {
        fputs("（", fp);
        er_html_put(fp, l->data_date);
        fputs("）", fp);
    }
    fputs("</p>\n<table id=\"list\">\n<thead><tr>", fp);
    for (int c = 0; c < ER_PUB_COLUMNS; c++)
        fprintf(fp, "<th>%s</th>", er_pub_heads[c]);
    fputs("</tr></thead>\n<tbody>\n", fp);
    for (size_t i = 0; i < l->nitems; i++) {
        const er_pub_item *it = &l->items[i];
        /* the category once, over its items */
        size_t span = 1;
        bool first = i == 0 || !l->items[i - 1].category || !it->category ||
                     strcmp(l->items[i - 1].category, it->category) != 0;
        while (first && it->category && i + span < l->nitems &&
               l->items[i + span].category &&
               strcmp(l->items[i + span].category, it->category) == 0)
            span++;
        char *resp = er_pub_responsibility_text(it, "\n");
        if (!resp)
            return er_fail(ER_ENOMEM, "out of memory");
        fprintf(fp, "<tr class=\"item\"><td class=\"no\">%zu</td>", i + 1);
        if (first) {
            fprintf(fp, "<td class=\"category\" rowspan=\"%zu\">", span);
            er_html_put(fp, it->category ? it->category : "—");
            fputs("</td>", fp);
        }
        html_cell(fp, "name", it->name);
        html_cell(fp, "served", it->served);
        html_cell(fp, "content", it->content);
        html_standards(fp, it);
        fputs("<td class=\"responsibility\">", fp);
        /* its lines as lines */
        char *line = resp;
        for (char *nl; (nl = strchr(line, '\n')); line = nl + 1) {
            *nl = '\0';
            er_html_put(fp, line);
            fputs("<br>", fp);
        }
        er_html_put(fp, *resp ? line : "—");
        fputs("</td>", fp);
        html_cell(fp, "lead", it->lead);
        fputs("</tr>\n", fp);
        free(resp);
    }
    fputs("</tbody>\n</table>\n<p class=\"legend\">【适用】：该项目本级执行的"
          "标准（同一项目的国家标准、省标准与本地标准中最高者）。</p>\n"
          "</body>\n</html>\n",
          fp);
    return ER_OK;
}

/* ---- the public entry --------------------------------------------------- */

int er_publish_write(er_db *db, const er_publish_opts *opts, er_format fmt,
                     unsigned flags, FILE *fp, char **title_out)
{
    assert(db && fp);
    er_pub_list *l = NULL;
    int rc;
    if (title_out)
        *title_out = NULL;
    if (fmt != ER_FORMAT_HTML && fmt != ER_FORMAT_MD && fmt != ER_FORMAT_CSV)
        return er_fail(ER_EUSAGE, "the service list is written as html, md, "
                                  "csv or xlsx");
    if ((rc = er_pub_list_load(db, opts, &l)) != ER_OK)
        return rc;
    switch (fmt) {
    case ER_FORMAT_HTML:
        rc = write_html(l, fp);
        break;
    case ER_FORMAT_MD:
        rc = write_md(l, fp);
        break;
    default:
        rc = write_csv(l, fp, flags);
        break;
    }
    if (rc == ER_OK && title_out && !(*title_out = er_strdup(l->title)))
        rc = er_fail(ER_ENOMEM, "out of memory");
    er_pub_list_free(l);
    return rc;
}

/* ---- texts not filled in ------------------------------------------------- */

char *er_publish_missing_texts(er_db *db, const char *db_name)
{
    static const struct {
        const char *column, *head;
    } texts[] = {{"served", "服务对象"},
                 {"content", "服务内容"},
                 {"responsibility", "支出责任"},
                 {"lead", "牵头负责单位"}};
    /* a text the list shows as —: NULL, or blanks only (keep_col) */
#define NONE(c) "trim(coalesce(" c ", ''), ' ' || char(9)) = ''"
    static const char sql[] =
        "SELECT count(*), sum(" NONE("served") " OR " NONE("content") " OR "
        NONE("responsibility") " OR " NONE("lead") "), sum(" NONE("served")
        "), sum(" NONE("content") "), sum(" NONE("responsibility") "), sum("
        NONE("lead") ") FROM item";
#undef NONE
    assert(db);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return NULL;
    }
    long items = (long)sqlite3_column_int64(st, 0);
    long lacking = (long)sqlite3_column_int64(st, 1);
    long missing[ER_ARRAY_LEN(texts)];
    for (size_t i = 0; i < ER_ARRAY_LEN(texts); i++)
        missing[i] = (long)sqlite3_column_int64(st, (int)i + 2);
    sqlite3_finalize(st);
    if (lacking == 0)
        return NULL;
    er_buf b;
    er_buf_init(&b);
    er_buf_printf(&b, "%ld of the %ld items lack texts of the list:", lacking,
                  items);
    const char *sep = " ";
    for (size_t i = 0; i < ER_ARRAY_LEN(texts); i++) {
        if (!missing[i])
            continue;
        er_buf_printf(&b, "%s%s (%s) %ld", sep, texts[i].column,
                      texts[i].head, missing[i]);
        sep = ", ";
    }
    const char *name = db_name ? db_name : db->path;
    er_buf_printf(&b,
                  "; the list shows — for them. Fill them in: equirule "
                  "export --db %s item -o item.csv, fill in those columns, "
                  "then equirule import --db %s --replace item item.csv",
                  name, name);
    return er_buf_detach(&b);
}
