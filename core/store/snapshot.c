/*
 * snapshot.c - the data of one evaluation, read once from SQLite into compact
 * arrays: regions in code order with their children, facts in a dense
 * region x year x metric array (NaN = missing), standards grouped by key,
 * shares, city-county splits, the transfers of the province and of cities
 * to their counties in a hash table, and national averages. Rules read the
 * snapshot, never the database. Where a region's value of a metric that
 * sums (metric.aggregate) is absent, the load derives it from all its
 * children's (roll-ups, below), marking it derived; the digest is of the
 * stored rows only. The snapshot is immutable once loaded, so forked
 * workers share it. It also computes the digest of the data it read, and refuses data
 * that breaks the integrity rules (integrity.c), checked in the same read
 * transaction as the rows it loads.
 */
#include "store.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- string arena ------------------------------------------------------ */

struct er_chunk {
    struct er_chunk *next;
    size_t used, cap;
    char data[];
};

static const char *arena_dup(er_snapshot *s, const char *str)
{
    if (!str)
        return NULL;
    size_t n = strlen(str) + 1;
    struct er_chunk *c = s->chunks;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = s->chunks;
        c->used = 0;
        c->cap = cap;
        s->chunks = c;
    }
    char *p = c->data + c->used;
    memcpy(p, str, n);
    c->used += n;
    return p;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct reader {
    sqlite3 *db;
    sqlite3_stmt *st;
    er_sha256 *digest;
} reader;

static int query(reader *r, const char *sql)
{
    sqlite3_finalize(r->st);
    r->st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &r->st, NULL) != SQLITE_OK)
        return er_fail_sqlite(r->db, "reading the data");
    er_sha256_update(r->digest, sql, strlen(sql));
    return ER_OK;
}

/* Steps to the next row and folds it into the digest: 1 row, 0 end, <0. */
static int next_row(reader *r)
{
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return er_fail_sqlite(r->db, "reading the data");
    /* the digest hashes values as stored: numbers in binary (converting
     * millions of doubles to text would dominate the load), text as bytes */
    unsigned char row[512];
    size_t len = 0;
    int n = sqlite3_column_count(r->st);
    for (int i = 0; i < n; i++) {
        int type = sqlite3_column_type(r->st, i);
        if (len + 1 + sizeof(double) > sizeof row) {
            er_sha256_update(r->digest, row, len);
            len = 0;
        }
        row[len++] = (unsigned char)type;
        if (type == SQLITE_INTEGER) {
            sqlite3_int64 v = sqlite3_column_int64(r->st, i);
            memcpy(row + len, &v, sizeof v);
            len += sizeof v;
        } else if (type == SQLITE_FLOAT) {
            double v = sqlite3_column_double(r->st, i);
            memcpy(row + len, &v, sizeof v);
            len += sizeof v;
        } else if (type != SQLITE_NULL) {
            const unsigned char *t = sqlite3_column_text(r->st, i);
            size_t tl = (size_t)sqlite3_column_bytes(r->st, i);
            if (len + tl + 1 > sizeof row) {
                er_sha256_update(r->digest, row, len);
                er_sha256_update(r->digest, t, tl);
                len = 0;
            } else {
                memcpy(row + len, t, tl);
                len += tl;
            }
            row[len++] = 0;
        }
    }
    er_sha256_update(r->digest, row, len);
    return 1;
}

static const char *col_text(reader *r, int i)
{
    return (const char *)sqlite3_column_text(r->st, i);
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const er_region *)a)->code, ((const er_region *)b)->code);
}

int32_t er_snapshot_region(const er_snapshot *s, const char *code)
{
    if (!code || strlen(code) >= sizeof s->regions[0].code)
        return -1;
    er_region key;
    memset(&key, 0, sizeof key);
    strcpy(key.code, code);
    const er_region *r =
        bsearch(&key, s->regions, (size_t)s->nregions, sizeof key, cmp_code);
    return r ? (int32_t)(r - s->regions) : -1;
}

static int load_regions(reader *r, er_snapshot *s)
{
    int rc, cap = 0;
    char **parents = NULL;
    if ((rc = query(r, "SELECT code, name, name_en, level, parent, zone, tier "
                       "FROM region ORDER BY code")) != ER_OK)
        return rc;
    while ((rc = next_row(r)) == 1) {
        if (s->nregions == cap) {
            cap = cap ? cap * 2 : 256;
            er_region *g = realloc(s->regions, (size_t)cap * sizeof *g);
            char **p = realloc(parents, (size_t)cap * sizeof *p);
            if (p)
                parents = p;
            if (!g || !p) {
                if (g)
                    s->regions = g;
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            s->regions = g;
        }
        er_region *g = &s->regions[s->nregions];
        memset(g, 0, sizeof *g);
        snprintf(g->code, sizeof g->code, "%s", col_text(r, 0));
        g->name = arena_dup(s, col_text(r, 1));
        g->name_en = arena_dup(s, col_text(r, 2));
        g->level = (int8_t)er_level_parse(col_text(r, 3));
        g->zone = (int8_t)er_zone_parse(col_text(r, 5));
        g->tier = sqlite3_column_type(r->st, 6) == SQLITE_NULL
                      ? INT32_MIN
                      : sqlite3_column_int(r->st, 6);
        parents[s->nregions] = er_strdup(col_text(r, 4));
        if (!g->name) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        s->nregions++;
    }
    if (rc < 0)
        goto done;

    /* parents, children grouped by parent in code order, levels */
    int32_t *count = calloc((size_t)s->nregions + 1, sizeof *count);
    s->children = malloc(((size_t)s->nregions + 1) * sizeof *s->children);
    for (int l = 0; l < ER_LEVEL_COUNT; l++)
        s->by_level[l] = malloc(((size_t)s->nregions + 1) * sizeof(int32_t));
    if (!count || !s->children || !s->by_level[0] || !s->by_level[1] ||
        !s->by_level[2]) {
        free(count);
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (int32_t i = 0; i < s->nregions; i++) {
        er_region *g = &s->regions[i];
        g->parent = parents[i] ? er_snapshot_region(s, parents[i]) : -1;
        if (g->parent >= 0)
            count[g->parent]++;
        if (g->level >= 0)
            s->by_level[g->level][s->level_count[g->level]++] = i;
    }
    int32_t off = 0;
    for (int32_t i = 0; i < s->nregions; i++) {
        s->regions[i].child_off = off;
        off += count[i];
        count[i] = 0;
    }
    for (int32_t i = 0; i < s->nregions; i++) {
        int32_t p = s->regions[i].parent;
        if (p >= 0)
            s->children[s->regions[p].child_off + count[p]++] = i;
    }
    for (int32_t i = 0; i < s->nregions; i++)
        s->regions[i].child_count = count[i];
    free(count);
    rc = ER_OK;
done:
    for (int32_t i = 0; parents && i < s->nregions; i++)
        free(parents[i]);
    free(parents);
    return rc;
}

/* One fact as read, before the dense array's shape is known. */
typedef struct raw_fact {
    int32_t region;
    int16_t metric;
    int16_t year;
    double value;
} raw_fact;

/* The domains of the metrics of the catalog, by id in s->metrics (read
 * aside: the digest is of the data rules read). */
static int load_domains(sqlite3 *db, const er_snapshot *s, er_domain **out)
{
    sqlite3_stmt *st = NULL;
    int src;
    *out = calloc(s->metrics.count + 1, sizeof **out);
    if (!*out)
        return er_fail(ER_ENOMEM, "out of memory");
    if (sqlite3_prepare_v2(db, "SELECT key, " ER_DOMAIN_COLUMNS " FROM metric",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the data");
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t id =
            er_strmap_find(&s->metrics, (const char *)sqlite3_column_text(st, 0));
        if (id >= 0)
            er_domain_from_row(st, 1, &(*out)[id]);
    }
    sqlite3_finalize(st);
    return src == SQLITE_DONE ? ER_OK : er_fail_sqlite(db, "reading the data");
}

/* Reads the facts; with g, checks each row (er_integrity_fact) on the
 * way. */
static int load_facts(reader *r, er_snapshot *s, er_integrity *g)
{
    int rc;
    raw_fact *raw = NULL;
    er_domain *domains = NULL;
    size_t nraw = 0, cap = 0;
    if ((rc = query(r, "SELECT key FROM metric ORDER BY key")) != ER_OK)
        return rc;
    while ((rc = next_row(r)) == 1)
        if (er_strmap_intern(&s->metrics, col_text(r, 0)) < 0)
            return er_fail(ER_ENOMEM, "out of memory");
    if (rc < 0)
        return rc;
    int32_t catalog = (int32_t)s->metrics.count;
    if (g && (rc = load_domains(r->db, s, &domains)) != ER_OK)
        goto done;

    /* one pass in key order; the metric of a row is most often the one
     * after the previous row's, so that is tried before the hash */
    if ((rc = query(r, "SELECT region, year, metric, value FROM fact "
                       "WHERE value IS NOT NULL "
                       "ORDER BY region, year, metric")) != ER_OK)
        return rc;
    int32_t region = -1, m = -1, ymin = INT32_MAX, ymax = INT32_MIN;
    char last[16] = "";
    while ((rc = next_row(r)) == 1) {
        const char *code = col_text(r, 0);
        if (!code)
            code = "";
        if (strcmp(code, last) != 0) {
            snprintf(last, sizeof last, "%s", code);
            region = er_snapshot_region(s, code);
        }
        if (region < 0) {
            if (g && (rc = er_integrity_fact(g, r->st, false, NULL)) != ER_OK)
                goto done;
            continue;
        }
        const char *key = col_text(r, 2);
        int32_t next = m + 1 < (int32_t)s->metrics.count ? m + 1 : 0;
        if (s->metrics.count && strcmp(er_strmap_key(&s->metrics, next), key) == 0)
            m = next;
        else if ((m = er_strmap_intern(&s->metrics, key)) < 0) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        if (m > INT16_MAX) {
            rc = er_fail(ER_EDATA, "more than %d metrics", INT16_MAX);
            goto done;
        }
        if (g && (rc = er_integrity_fact(g, r->st, true,
                                         m < catalog ? &domains[m] : NULL)) !=
                     ER_OK)
            goto done;
        if (nraw == cap) {
            cap = cap ? cap * 2 : 65536;
            raw_fact *p = realloc(raw, cap * sizeof *p);
            if (!p) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            raw = p;
        }
        int year = sqlite3_column_int(r->st, 1);
        if (year < 0 || year > INT16_MAX) {
            rc = er_fail(ER_EDATA, "fact of %s: year %d out of range", code,
                         year);
            goto done;
        }
        raw[nraw++] = (raw_fact){region, (int16_t)m, (int16_t)year,
                                 sqlite3_column_double(r->st, 3)};
        if (year < ymin)
            ymin = year;
        if (year > ymax)
            ymax = year;
    }
    if (rc < 0)
        goto done;
    s->nmetrics = (int32_t)s->metrics.count;
    if (nraw == 0) {
        s->nyears = 0;
        rc = ER_OK;
        goto done;
    }
    s->year_min = ymin;
    s->data_year_max = ymax;
    s->nyears = ymax - ymin + 1;
    if (!(s->year_facts = calloc((size_t)s->nyears, sizeof *s->year_facts))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nraw; i++)
        s->year_facts[raw[i].year - ymin]++;

    size_t n = (size_t)s->nregions * (size_t)s->nyears * (size_t)s->nmetrics;
    s->facts = malloc((n ? n : 1) * sizeof *s->facts);
    if (!s->facts) {
        rc = er_fail(ER_ENOMEM, "out of memory (facts of %d regions x %d "
                                "years x %d metrics)",
                     s->nregions, s->nyears, s->nmetrics);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        s->facts[i] = NAN;
    for (size_t i = 0; i < nraw; i++) {
        const raw_fact *f = &raw[i];
        s->facts[((size_t)f->region * (size_t)s->nyears +
                  (size_t)(f->year - ymin)) *
                     (size_t)s->nmetrics +
                 (size_t)f->metric] = f->value;
    }
    rc = ER_OK;
done:
    free(raw);
    free(domains);
    return rc;
}

static int load_items(reader *r, er_snapshot *s)
{
    int rc;
    if ((rc = query(r, "SELECT code, beneficiary_metric FROM item "
                       "ORDER BY code")) != ER_OK)
        return rc;
    size_t cap = 0;
    while ((rc = next_row(r)) == 1) {
        int32_t id = er_strmap_intern(&s->items, col_text(r, 0));
        if (id < 0)
            return er_fail(ER_ENOMEM, "out of memory");
        if ((size_t)id >= cap) {
            cap = cap ? cap * 2 : 64;
            int32_t *p = realloc(s->item_beneficiary, cap * sizeof *p);
            if (!p)
                return er_fail(ER_ENOMEM, "out of memory");
            s->item_beneficiary = p;
        }
        const char *m = col_text(r, 1);
        s->item_beneficiary[id] = m ? er_strmap_find(&s->metrics, m) : -1;
    }
    return rc < 0 ? rc : ER_OK;
}

static int load_standards(reader *r, er_snapshot *s)
{
    int rc;
    if ((rc = query(r, "SELECT key, scope, region, year_from, year_to, value, "
                       "unit, basis FROM standard "
                       "ORDER BY key, scope, region, year_from")) != ER_OK)
        return rc;
    int32_t cap = 0;
    while ((rc = next_row(r)) == 1) {
        if (s->nstandards == cap) {
            cap = cap ? cap * 2 : 64;
            er_standard *p = realloc(s->standards, (size_t)cap * sizeof *p);
            if (!p)
                return er_fail(ER_ENOMEM, "out of memory");
            s->standards = p;
        }
        er_standard *d = &s->standards[s->nstandards];
        int scope = er_scope_parse(col_text(r, 1)); /* the schema checks it */
        d->key = er_strmap_intern(&s->std_keys, col_text(r, 0));
        d->scope = (int8_t)(scope < 0 ? ER_SCOPE_LOCAL : scope);
        d->region = sqlite3_column_type(r->st, 2) == SQLITE_NULL
                        ? -1
                        : er_snapshot_region(s, col_text(r, 2));
        d->year_from = sqlite3_column_int(r->st, 3);
        d->year_to = sqlite3_column_type(r->st, 4) == SQLITE_NULL
                         ? INT32_MAX
                         : sqlite3_column_int(r->st, 4);
        d->value = sqlite3_column_double(r->st, 5);
        d->unit = arena_dup(s, col_text(r, 6));
        d->basis = arena_dup(s, col_text(r, 7));
        if (d->key < 0)
            return er_fail(ER_ENOMEM, "out of memory");
        s->nstandards++;
    }
    if (rc < 0)
        return rc;
    size_t nkeys = s->std_keys.count;
    s->std_off = calloc(nkeys + 1, sizeof *s->std_off);
    if (!s->std_off)
        return er_fail(ER_ENOMEM, "out of memory");
    /* rows come sorted by key, and ids were given in that order */
    int32_t i = 0;
    for (size_t k = 0; k <= nkeys; k++) {
        while (i < s->nstandards && s->standards[i].key < (int32_t)k)
            i++;
        s->std_off[k] = i;
    }
    return ER_OK;
}

static uint64_t transfer_key(int32_t region, int32_t year, int32_t item,
                             int payer)
{
    return ((uint64_t)(payer == ER_PAYER_CITY) << 63) |
           ((uint64_t)(uint32_t)(region + 1) << 32) |
           ((uint64_t)(uint16_t)year << 16) | (uint64_t)(uint16_t)item;
}

static size_t transfer_slot(const er_snapshot *s, uint64_t key)
{
    size_t mask = s->transfer_slots - 1;
    size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & mask;
    while (s->transfers[i].key && s->transfers[i].key != key)
        i = (i + 1) & mask;
    return i;
}

static int load_national_averages(reader *r, er_snapshot *s)
{
    int rc;
    if ((rc = query(r, "SELECT key, year, value, unit, basis, source "
                       "FROM national_average ORDER BY key, year")) != ER_OK)
        return rc;
    int32_t cap = 0;
    while ((rc = next_row(r)) == 1) {
        if (s->naverages == cap) {
            cap = cap ? cap * 2 : 32;
            er_national_average *p =
                realloc(s->averages, (size_t)cap * sizeof *p);
            if (!p)
                return er_fail(ER_ENOMEM, "out of memory");
            s->averages = p;
        }
        er_national_average *d = &s->averages[s->naverages];
        d->key = arena_dup(s, col_text(r, 0));
        d->year = sqlite3_column_int(r->st, 1);
        d->value = sqlite3_column_double(r->st, 2);
        d->unit = arena_dup(s, col_text(r, 3));
        d->basis = arena_dup(s, col_text(r, 4));
        d->source = arena_dup(s, col_text(r, 5));
        if (!d->key)
            return er_fail(ER_ENOMEM, "out of memory");
        s->naverages++;
    }
    return rc < 0 ? rc : ER_OK;
}

static int load_transfers(reader *r, er_snapshot *s)
{
    int rc;
    if ((rc = query(r, "SELECT item, tier, year_from, year_to, province_share "
                       "FROM share ORDER BY item, tier, year_from")) != ER_OK)
        return rc;
    int32_t cap = 0;
    while ((rc = next_row(r)) == 1) {
        if (s->nshares == cap) {
            cap = cap ? cap * 2 : 64;
            er_share *p = realloc(s->shares, (size_t)cap * sizeof *p);
            if (!p)
                return er_fail(ER_ENOMEM, "out of memory");
            s->shares = p;
        }
        er_share *d = &s->shares[s->nshares++];
        d->item = er_strmap_intern(&s->items, col_text(r, 0));
        d->tier = sqlite3_column_int(r->st, 1);
        d->year_from = sqlite3_column_int(r->st, 2);
        d->year_to = sqlite3_column_type(r->st, 3) == SQLITE_NULL
                         ? INT32_MAX
                         : sqlite3_column_int(r->st, 3);
        d->share = sqlite3_column_double(r->st, 4);
    }
    if (rc < 0)
        return rc;

    cap = 0;
    if ((rc = query(r, "SELECT city, item, year_from, year_to, city_share "
                       "FROM split ORDER BY city, item, year_from")) !=
        ER_OK)
        return rc;
    while ((rc = next_row(r)) == 1) {
        int32_t city = er_snapshot_region(s, col_text(r, 0));
        if (city < 0)
            continue; /* integrity refuses it before */
        if (s->nsplits == cap) {
            cap = cap ? cap * 2 : 64;
            er_split *p = realloc(s->splits, (size_t)cap * sizeof *p);
            if (!p)
                return er_fail(ER_ENOMEM, "out of memory");
            s->splits = p;
        }
        er_split *d = &s->splits[s->nsplits++];
        d->city = city;
        d->item = sqlite3_column_type(r->st, 1) == SQLITE_NULL
                      ? -1
                      : er_strmap_intern(&s->items, col_text(r, 1));
        d->year_from = sqlite3_column_int(r->st, 2);
        d->year_to = sqlite3_column_type(r->st, 3) == SQLITE_NULL
                         ? INT32_MAX
                         : sqlite3_column_int(r->st, 3);
        d->city_share = sqlite3_column_double(r->st, 4);
    }
    if (rc < 0)
        return rc;

    int n = 0;
    if ((rc = query(r, "SELECT (SELECT count(*) FROM transfer) + "
                       "(SELECT count(*) FROM city_transfer)")) != ER_OK ||
        (rc = next_row(r)) < 0)
        return rc;
    n = sqlite3_column_int(r->st, 0);
    s->transfer_slots = 16;
    while (s->transfer_slots < (size_t)n * 2 + 2)
        s->transfer_slots *= 2;
    s->transfers = calloc(s->transfer_slots, sizeof *s->transfers);
    if (!s->transfers)
        return er_fail(ER_ENOMEM, "out of memory");
    if ((rc = query(r, "SELECT region, year, item, amount, 0 FROM transfer "
                       "UNION ALL SELECT region, year, item, amount, 1 "
                       "FROM city_transfer ORDER BY 5, 1, 2, 3")) != ER_OK)
        return rc;
    while ((rc = next_row(r)) == 1) {
        int32_t region = er_snapshot_region(s, col_text(r, 0));
        int32_t item = er_strmap_find(&s->items, col_text(r, 2));
        if (region < 0 || item < 0)
            continue;
        uint64_t key = transfer_key(region, sqlite3_column_int(r->st, 1),
                                    item, sqlite3_column_int(r->st, 4));
        er_transfer *t = &s->transfers[transfer_slot(s, key)];
        t->key = key;
        t->amount = sqlite3_column_double(r->st, 3);
    }
    return rc < 0 ? rc : ER_OK;
}

static int parents_deepest_first(const er_snapshot *s, int32_t **order,
                                 int32_t *n);
static void add_money(double v, bool *fen, int64_t *fens, double *sum,
                      double *comp);

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Grows the transfer table to hold `need` rows at most half full. */
static int transfers_reserve(er_snapshot *s, size_t need)
{
    size_t slots = s->transfer_slots;
    while (slots < need * 2 + 2)
        slots *= 2;
    if (slots == s->transfer_slots)
        return ER_OK;
    er_transfer *old = s->transfers;
    size_t nold = s->transfer_slots;
    if (!(s->transfers = calloc(slots, sizeof *s->transfers))) {
        s->transfers = old;
        return er_fail(ER_ENOMEM, "out of memory");
    }
    s->transfer_slots = slots;
    for (size_t i = 0; i < nold; i++)
        if (old[i].key)
            s->transfers[transfer_slot(s, old[i].key)] = old[i];
    free(old);
    return ER_OK;
}

/* The roll-up of the province's transfers (er_snapshot_transfer_row):
 * for each region with children, deepest first, and each year and item
 * some province transfer names, an absent row becomes the sum of ALL
 * its children's rows; any child without one leaves it absent. */
static int derive_transfers(er_snapshot *s)
{
    int rc = ER_OK;
    uint32_t *pairs = NULL;
    int32_t *order = NULL, nparents = 0;
    size_t used = 0, npairs = 0;
    for (size_t i = 0; i < s->transfer_slots; i++)
        used += s->transfers[i].key != 0;
    if (!used || s->nregions <= 0)
        return ER_OK;
    if (!(pairs = malloc(used * sizeof *pairs))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < s->transfer_slots; i++) {
        uint64_t k = s->transfers[i].key;
        if (k && !(k >> 63)) /* (year, item) of a province transfer */
            pairs[npairs++] = (uint32_t)(k & 0xffffffffu);
    }
    if (!npairs)
        goto done;
    qsort(pairs, npairs, sizeof *pairs, cmp_u32);
    size_t u = 1;
    for (size_t i = 1; i < npairs; i++)
        if (pairs[i] != pairs[u - 1])
            pairs[u++] = pairs[i];
    npairs = u;
    if ((rc = parents_deepest_first(s, &order, &nparents)) != ER_OK ||
        (rc = transfers_reserve(s, used + (size_t)nparents * npairs)) !=
            ER_OK)
        goto done;
    for (int32_t k = 0; k < nparents; k++) {
        const er_region *g = &s->regions[order[k]];
        const int32_t *kids = s->children + g->child_off;
        for (size_t p = 0; p < npairs; p++) {
            int32_t year = (int32_t)(pairs[p] >> 16),
                    item = (int32_t)(pairs[p] & 0xffffu);
            uint64_t key =
                transfer_key(order[k], year, item, ER_PAYER_PROVINCE);
            if (s->transfers[transfer_slot(s, key)].key)
                continue; /* stored (or derived already) */
            bool fen = true, all = true;
            int64_t fens = 0;
            double sum = 0, comp = 0;
            for (int32_t c = 0; c < g->child_count && all; c++) {
                const er_transfer *t = er_snapshot_transfer_row(
                    s, kids[c], year, item, ER_PAYER_PROVINCE);
                if (!t || !isfinite(t->amount))
                    all = false;
                else
                    add_money(t->amount, &fen, &fens, &sum, &comp);
            }
            double total = fen ? (double)fens / 100.0 : sum + comp;
            if (!all || !g->child_count || !isfinite(total) ||
                fabs(total) > ER_VALUE_ABS_MAX)
                continue;
            er_transfer *t = &s->transfers[transfer_slot(s, key)];
            t->key = key;
            t->amount = total;
            t->derived = true;
        }
    }
done:
    free(pairs);
    free(order);
    return rc;
}

/* ---- roll-ups ------------------------------------------------------------ */

/* How each metric aggregates (s->metric_agg) and which are money, read
 * aside from the digest like the domains: the digest is of the rows. */
static int load_aggregates(sqlite3 *db, er_snapshot *s, bool **money_out)
{
    sqlite3_stmt *st = NULL;
    int src;
    size_t n = (size_t)s->nmetrics + 1;
    *money_out = NULL;
    s->metric_agg = calloc(n, 1);
    bool *money = calloc(n, sizeof *money);
    if (!s->metric_agg || !money) {
        free(money);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    if (sqlite3_prepare_v2(db, "SELECT key, kind, aggregate FROM metric", -1,
                           &st, NULL) != SQLITE_OK) {
        free(money);
        return er_fail_sqlite(db, "reading the data");
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t id = er_strmap_find(&s->metrics,
                                    (const char *)sqlite3_column_text(st, 0));
        if (id < 0 || id >= s->nmetrics)
            continue;
        int kind = er_metric_kind_parse((const char *)sqlite3_column_text(st, 1));
        const char *agg = (const char *)sqlite3_column_text(st, 2);
        s->metric_agg[id] = (uint8_t)er_aggregate_resolve(
            kind, agg ? er_aggregate_parse(agg) : -1);
        money[id] = kind == ER_MKIND_MONEY;
    }
    sqlite3_finalize(st);
    if (src != SQLITE_DONE) {
        free(money);
        return er_fail_sqlite(db, "reading the data");
    }
    *money_out = money;
    return ER_OK;
}

/* The regions with children into *order (malloc'd, *n of them), deepest
 * first: a child's derived value is there before its parent's sum reads
 * it (parents never loop: check_parents). */
static int parents_deepest_first(const er_snapshot *s, int32_t **order,
                                 int32_t *n)
{
    int32_t *depth = malloc((size_t)s->nregions * sizeof *depth + 1);
    int32_t *o = malloc((size_t)s->nregions * sizeof *o + 1);
    *order = NULL;
    *n = 0;
    if (!depth || !o) {
        free(depth);
        free(o);
        return er_fail(ER_ENOMEM, "out of memory");
    }
    int32_t maxdepth = 0;
    for (int32_t i = 0; i < s->nregions; i++) {
        int32_t d = 0;
        for (int32_t g = s->regions[i].parent; g >= 0 && d <= s->nregions;
             g = s->regions[g].parent)
            d++;
        depth[i] = d;
        if (s->regions[i].child_count && d > maxdepth)
            maxdepth = d;
    }
    for (int32_t d = maxdepth; d >= 0; d--)
        for (int32_t i = 0; i < s->nregions; i++)
            if (s->regions[i].child_count && depth[i] == d)
                o[(*n)++] = i;
    free(depth);
    *order = o;
    return ER_OK;
}

/* Adds v to a sum kept in whole fen while every value is a whole number
 * of fen (*fen), and by Neumaier's compensated sum besides. */
static void add_money(double v, bool *fen, int64_t *fens, double *sum,
                      double *comp)
{
    if (*fen) {
        /* a whole number of fen, to the precision a double holds */
        double c = v * 100.0, r = nearbyint(c);
        if (fabs(c - r) <= fmax(fabs(c), 1.0) * 64 * DBL_EPSILON &&
            fabs(r) < 9e15 && llabs(*fens) < INT64_C(4000000000000000000))
            *fens += (int64_t)r;
        else
            *fen = false;
    }
    double t = *sum + v;
    *comp += fabs(*sum) >= fabs(v) ? (*sum - t) + v : (v - t) + *sum;
    *sum = t;
}

/* The sum of the children's values of metric m in year index y into *out:
 * false when a child lacks a finite value or the sum is out of range. */
static bool sum_children(const er_snapshot *s, const er_region *g, size_t y,
                         int32_t m, bool fen, double *out)
{
    const size_t ny = (size_t)s->nyears, nm = (size_t)s->nmetrics;
    const int32_t *kids = s->children + g->child_off;
    double sum = 0, comp = 0;
    int64_t fens = 0;
    for (int32_t k = 0; k < g->child_count; k++) {
        double v = s->facts[((size_t)kids[k] * ny + y) * nm + (size_t)m];
        if (!isfinite(v))
            return false;
        add_money(v, &fen, &fens, &sum, &comp);
    }
    double total = fen ? (double)fens / 100.0 : sum + comp;
    if (!isfinite(total) || fabs(total) > ER_VALUE_ABS_MAX)
        return false;
    *out = total;
    return true;
}

int er_snapshot_derive(er_snapshot *s, const bool *money)
{
    int rc = ER_OK;
    int32_t *order = NULL, *sums = NULL, nsums = 0;
    s->nderived = 0;
    if (!s->metric_agg || !s->facts || s->nyears <= 0 || s->nregions <= 0)
        return ER_OK;
    if (!(sums = malloc((size_t)s->nmetrics * sizeof *sums + 1)))
        return er_fail(ER_ENOMEM, "out of memory");
    for (int32_t m = 0; m < s->nmetrics; m++)
        if (s->metric_agg[m] == ER_AGG_SUM)
            sums[nsums++] = m;
    if (!nsums)
        goto done;

    int32_t nparents = 0;
    if ((rc = parents_deepest_first(s, &order, &nparents)) != ER_OK)
        goto done;

    size_t ny = (size_t)s->nyears, nm = (size_t)s->nmetrics;
    size_t ncells = (size_t)s->nregions * ny * nm;
    if (!s->derived && !(s->derived = calloc(ncells / 8 + 1, 1))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (int32_t k = 0; k < nparents; k++) {
        const er_region *g = &s->regions[order[k]];
        for (size_t y = 0; y < ny; y++) {
            size_t row = ((size_t)order[k] * ny + y) * nm;
            for (int32_t j = 0; j < nsums; j++) {
                size_t cell = row + (size_t)sums[j];
                double v;
                if (!isnan(s->facts[cell]) ||
                    !sum_children(s, g, y, sums[j],
                                  money && money[sums[j]], &v))
                    continue;
                s->facts[cell] = v;
                s->derived[cell / 8] |= (uint8_t)(1u << (cell % 8));
                s->nderived++;
            }
        }
    }
    if (!s->nderived) {
        free(s->derived);
        s->derived = NULL;
    }
done:
    free(sums);
    free(order);
    return rc;
}

int er_snapshot_lacking(const er_snapshot *s, int32_t region, int32_t year,
                        int32_t metric,
                        int (*fn)(void *ctx, int32_t region), void *ctx)
{
    double v = er_snapshot_fact(s, region, year, metric);
    if (isfinite(v))
        return ER_OK;
    const er_region *g = &s->regions[region];
    if (!isnan(v) || !g->child_count || !er_snapshot_sums(s, metric))
        return fn(ctx, region);
    bool any = false;
    for (int32_t k = 0; k < g->child_count; k++) {
        int32_t c = s->children[g->child_off + k];
        if (isfinite(er_snapshot_fact(s, c, year, metric)))
            continue;
        any = true;
        int rc = er_snapshot_lacking(s, c, year, metric, fn, ctx);
        if (rc != ER_OK)
            return rc;
    }
    return any ? ER_OK : fn(ctx, region);
}

typedef struct lacking_count {
    int32_t n, max, first;
} lacking_count;

static int count_one(void *ctx, int32_t region)
{
    lacking_count *c = ctx;
    if (c->n == 0)
        c->first = region;
    return ++c->n > c->max ? 1 : ER_OK; /* 1: enough counted */
}

int32_t er_snapshot_lacking_count(const er_snapshot *s, int32_t region,
                                  int32_t year, int32_t metric, int32_t max,
                                  int32_t *first)
{
    lacking_count c = {0, max, -1};
    er_snapshot_lacking(s, region, year, metric, count_one, &c);
    if (first)
        *first = c.first;
    return c.n;
}

const char *er_snapshot_children_noun(const er_snapshot *s, int32_t region)
{
    const er_region *g = &s->regions[region];
    int level = -2;
    for (int32_t k = 0; k < g->child_count; k++) {
        int l = s->regions[s->children[g->child_off + k]].level;
        if (level == -2)
            level = l;
        else if (l != level)
            level = -1;
    }
    return level >= 0 && level < ER_LEVEL_COUNT ? er_level_plurals[level]
                                                : "regions";
}

typedef struct lacking_list {
    const er_snapshot *s;
    er_buf *b;
    int32_t n;
} lacking_list;

static int list_one(void *ctx, int32_t region)
{
    lacking_list *l = ctx;
    if (l->n < 3) {
        const er_region *g = &l->s->regions[region];
        er_buf_printf(l->b, "%s%s", l->n ? ", " : "", g->code);
        if (g->name && strcmp(g->name, g->code) != 0)
            er_buf_printf(l->b, " %s", g->name);
    }
    l->n++;
    return ER_OK;
}

int er_snapshot_lacking_text(const er_snapshot *s, int32_t region,
                             int32_t year, int32_t metric, er_buf *b)
{
    if (region < 0 || region >= s->nregions ||
        !s->regions[region].child_count || !er_snapshot_sums(s, metric) ||
        !isnan(er_snapshot_fact(s, region, year, metric)))
        return er_buf_status(b);
    int32_t first = -1;
    int32_t n = er_snapshot_lacking_count(s, region, year, metric, 1000,
                                          &first);
    er_buf_printf(b, "the sum of its %d %s ",
                  (int)s->regions[region].child_count,
                  er_snapshot_children_noun(s, region));
    lacking_list l = {s, b, 0};
    if (first == region) /* every child has one: the sum is past range */
        er_buf_puts(b, "is out of range");
    else if (n > 1000) /* a year without data: do not walk every leaf */
        er_buf_puts(b, "lacks more than 1000 regions' values");
    else {
        er_buf_puts(b, "lacks ");
        er_snapshot_lacking(s, region, year, metric, list_one, &l);
        if (l.n > 3)
            er_buf_printf(b, " and %d more", (int)(l.n - 3));
    }
    return er_buf_status(b);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The transfer half of er_snapshot_check_rollups: a stored province
 * transfer of a region whose children all have a row, off their sum by
 * more than half a fen; in region, year, item order. */
static int check_transfer_rollups(const er_snapshot *s, int year,
                                  er_integrity *g)
{
    int rc = ER_OK;
    size_t n = 0, listed = 0;
    uint64_t *keys = malloc(s->transfer_slots * sizeof *keys + 1);
    if (!keys)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->transfer_slots; i++) {
        const er_transfer *t = &s->transfers[i];
        int32_t region = (int32_t)((t->key >> 32) & 0x7fffffffu) - 1;
        if (t->key && !(t->key >> 63) && !t->derived && region >= 0 &&
            region < s->nregions && s->regions[region].child_count &&
            (!year || (int)((t->key >> 16) & 0xffffu) == year))
            keys[n++] = t->key;
    }
    qsort(keys, n, sizeof *keys, cmp_u64);
    for (size_t i = 0; i < n && rc == ER_OK; i++) {
        int32_t region = (int32_t)((keys[i] >> 32) & 0x7fffffffu) - 1;
        int32_t yr = (int32_t)((keys[i] >> 16) & 0xffffu);
        int32_t item = (int32_t)(keys[i] & 0xffffu);
        const er_region *r = &s->regions[region];
        const int32_t *kids = s->children + r->child_off;
        bool fen = true, all = true;
        int64_t fens = 0;
        double sum = 0, comp = 0;
        for (int32_t c = 0; c < r->child_count && all; c++) {
            const er_transfer *t = er_snapshot_transfer_row(
                s, kids[c], yr, item, ER_PAYER_PROVINCE);
            if (!t || !isfinite(t->amount))
                all = false;
            else
                add_money(t->amount, &fen, &fens, &sum, &comp);
        }
        if (!all)
            continue;
        double total = fen ? (double)fens / 100.0 : sum + comp;
        double stored = s->transfers[transfer_slot(s, keys[i])].amount;
        double diff = stored - total;
        if (!(fabs(diff) > 0.005))
            continue;
        char key[320], why[400], a[64], b[64], c[64];
        snprintf(key, sizeof key, "region %s, year %d, item %s", r->code,
                 (int)yr, er_strmap_key(&s->items, item));
        snprintf(why, sizeof why,
                 "stored %s differs from the sum of its %d %s' rows, %s, "
                 "by %s (tolerance: half a fen)",
                 er_fmt_exact(a, sizeof a, stored), (int)r->child_count,
                 er_snapshot_children_noun(s, region),
                 er_fmt_exact(b, sizeof b, total),
                 er_fmt_exact(c, sizeof c, diff));
        rc = er_integrity_warn(g, "transfer", key, why, &listed);
    }
    free(keys);
    return rc;
}

int er_snapshot_check_rollups(sqlite3 *db, const er_snapshot *s, int year,
                              er_integrity *g)
{
    int rc = ER_OK, src;
    sqlite3_stmt *st = NULL;
    er_domain *doms = NULL;
    size_t listed = 0;
    if (!s->metric_agg || !s->facts || s->nyears <= 0)
        goto done;
    if (!(doms = calloc((size_t)s->nmetrics + 1, sizeof *doms)))
        return er_fail(ER_ENOMEM, "out of memory");
    for (int32_t m = 0; m < s->nmetrics; m++)
        doms[m].kind = -1;
    if (sqlite3_prepare_v2(db, "SELECT key, " ER_DOMAIN_COLUMNS " FROM metric",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db, "reading the metrics");
        goto done;
    }
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t id = er_strmap_find(&s->metrics,
                                    (const char *)sqlite3_column_text(st, 0));
        if (id >= 0 && id < s->nmetrics)
            er_domain_from_row(st, 1, &doms[id]);
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db, "reading the metrics");
        goto done;
    }
    size_t ny = (size_t)s->nyears, nm = (size_t)s->nmetrics;
    for (int32_t i = 0; i < s->nregions && rc == ER_OK; i++) {
        const er_region *r = &s->regions[i];
        if (!r->child_count)
            continue;
        for (size_t y = 0; y < ny && rc == ER_OK; y++) {
            if (year && (int)(s->year_min + (int32_t)y) != year)
                continue;
            for (int32_t m = 0; m < s->nmetrics && rc == ER_OK; m++) {
                int32_t yr = s->year_min + (int32_t)y;
                double stored = s->facts[((size_t)i * ny + y) * nm + (size_t)m];
                const er_domain *d = &doms[m];
                double sum, tol;
                if (s->metric_agg[m] != ER_AGG_SUM || !isfinite(stored) ||
                    er_snapshot_derived(s, i, yr, m) ||
                    !sum_children(s, r, y, m, d->kind == ER_MKIND_MONEY,
                                  &sum))
                    continue;
                const char *how;
                if (d->integer) {
                    tol = 0;
                    how = "exact for whole numbers";
                } else if (d->kind == ER_MKIND_MONEY) {
                    tol = 0.005;
                    how = "half a fen";
                } else {
                    tol = 1e-9 * fmax(fabs(stored), fabs(sum));
                    how = "1e-9 of the value";
                }
                double diff = stored - sum;
                if (!(fabs(diff) > tol))
                    continue;
                char key[320], why[400], a[64], b[64], c[64];
                snprintf(key, sizeof key, "region %s, year %d, metric %s",
                         r->code, (int)yr, er_strmap_key(&s->metrics, m));
                snprintf(why, sizeof why,
                         "stored %s differs from the sum of its %d %s, %s, "
                         "by %s (tolerance: %s)",
                         er_fmt_exact(a, sizeof a, stored),
                         (int)r->child_count,
                         er_snapshot_children_noun(s, i),
                         er_fmt_exact(b, sizeof b, sum),
                         er_fmt_exact(c, sizeof c, diff), how);
                rc = er_integrity_warn(g, "fact", key, why, &listed);
            }
        }
    }
done:
    sqlite3_finalize(st);
    free(doms);
    if (rc == ER_OK && s->transfer_slots)
        rc = check_transfer_rollups(s, year, g);
    return rc;
}

/* The most regions a gap of a roll-up is spread over: past it, the gap
 * stays the parent's (the note still counts them). */
#define GAP_SPREAD_MAX 50

typedef struct gap_ctx {
    er_finding *f;
    const char *key;
    int32_t year;
} gap_ctx;

static int add_one(void *ctx, int32_t region)
{
    gap_ctx *g = ctx;
    return er_finding_add_gap(g->f, ER_GAP_FACT, g->key, region, g->year);
}

int er_snapshot_add_gap(const er_snapshot *s, er_finding *f, int kind,
                        const char *key, int32_t region, int32_t year)
{
    int32_t m = s && kind == ER_GAP_FACT && key
                    ? er_strmap_find(&s->metrics, key)
                    : -1;
    if (m < 0 || region < 0 || region >= s->nregions ||
        !s->regions[region].child_count || !er_snapshot_sums(s, m))
        return er_finding_add_gap(f, kind, key, region, year);
    int32_t n = er_snapshot_lacking_count(s, region, year, m, GAP_SPREAD_MAX,
                                          NULL);
    if (n == 0 || n > GAP_SPREAD_MAX)
        return er_finding_add_gap(f, kind, key, region, year);
    gap_ctx g = {f, key, year};
    int rc = er_snapshot_lacking(s, region, year, m, add_one, &g);
    er_finding_sort_gaps(f);
    return rc;
}

/* Refuses parents that loop (a region its own ancestor): every walk up
 * the tree (local standards, explain) and down it (r:children) relies on
 * there being none. The import checks only that a parent exists. */
static int check_parents(const er_snapshot *s)
{
    /* 0 unseen, 1 on the walk being made, 2 known to reach a root */
    uint8_t *state = calloc((size_t)s->nregions + 1, 1);
    if (!state)
        return er_fail(ER_ENOMEM, "out of memory");
    int rc = ER_OK;
    for (int32_t i = 0; i < s->nregions && rc == ER_OK; i++) {
        int32_t g = i;
        while (g >= 0 && state[g] == 0) {
            state[g] = 1;
            g = s->regions[g].parent;
        }
        if (g >= 0 && state[g] == 1) {
            er_buf loop;
            er_buf_init(&loop);
            int32_t k = g;
            do {
                er_buf_printf(&loop, "%s -> ", s->regions[k].code);
                k = s->regions[k].parent;
            } while (k != g && loop.len < 200);
            er_buf_puts(&loop, s->regions[g].code);
            rc = er_fail(ER_EDATA,
                         "region %s: its parents loop (%s); correct the "
                         "parent column of the region table",
                         s->regions[g].code, loop.data ? loop.data : "?");
            er_buf_free(&loop);
        }
        for (g = i; g >= 0 && state[g] == 1; g = s->regions[g].parent)
            state[g] = 2;
    }
    free(state);
    return rc;
}

/* Refuses data that breaks the integrity rules: ER_EDATA listing the
 * first rows that do. */
static int refuse(const er_integrity *g)
{
    er_buf msg;
    er_buf_init(&msg);
    er_buf_printf(&msg,
                  "the data breaks its integrity rules in %ld place%s; "
                  "nothing was evaluated (`equirule check` lists them "
                  "all, with warnings):\n",
                  g->total_errors, g->total_errors == 1 ? "" : "s");
    er_integrity_text(g, false, &msg);
    if (msg.len && msg.data[msg.len - 1] == '\n')
        msg.data[--msg.len] = '\0';
    int rc = er_buf_status(&msg) != ER_OK ? ER_ENOMEM
                                          : er_fail(ER_EDATA, "%s", msg.data);
    er_buf_free(&msg);
    return rc;
}

int er_snapshot_load(sqlite3 *db, er_snapshot **out)
{
    return er_snapshot_load_opts(db, 0, out);
}

int er_snapshot_load_opts(sqlite3 *db, unsigned flags, er_snapshot **out)
{
    int rc;
    er_sha256 digest;
    er_sha256_init(&digest);
    reader r = {db, NULL, &digest};
    er_integrity *g = NULL;
    er_snapshot *s = calloc(1, sizeof *s);
    if (!s)
        return er_fail(ER_ENOMEM, "out of memory");
    er_strmap_init(&s->metrics);
    er_strmap_init(&s->items);
    er_strmap_init(&s->std_keys);

    /* one read transaction: the snapshot is consistent, and the
     * integrity checked on the rows it reads; the facts' rows are checked
     * as they are loaded */
    sqlite3_exec(db, "SAVEPOINT snapshot", NULL, NULL, NULL);
    if (!(flags & ER_SNAPSHOT_UNVERIFIED)) {
        if ((rc = er_integrity_sql(db, 0, 20, &g)) != ER_OK)
            goto done;
        if (g->total_errors) {
            /* the regions may not even load: the facts on their own */
            if ((rc = er_integrity_facts(db, 0, g)) == ER_OK)
                rc = refuse(g);
            goto done;
        }
    }
    if ((rc = er_data_version_latest(db, &s->data_version)) != ER_OK ||
        (rc = load_regions(&r, s)) != ER_OK ||
        (rc = check_parents(s)) != ER_OK)
        goto done;
    er_fault_point("snapshot"); /* tests: a write lands mid-read */
    if ((rc = load_facts(&r, s, g)) != ER_OK)
        goto done;
    if (g && g->total_errors) {
        rc = refuse(g);
        goto done;
    }
    {
        bool *money = NULL;
        if ((rc = load_aggregates(db, s, &money)) == ER_OK)
            rc = er_snapshot_derive(s, money);
        free(money);
        if (rc != ER_OK)
            goto done;
    }
    if ((rc = load_items(&r, s)) != ER_OK ||
        (rc = load_standards(&r, s)) != ER_OK ||
        (rc = load_transfers(&r, s)) != ER_OK ||
        (rc = derive_transfers(s)) != ER_OK ||
        (rc = load_national_averages(&r, s)) != ER_OK)
        goto done;
    er_sha256_hex(&digest, s->digest);
    *out = s;
    s = NULL;
done:
    sqlite3_finalize(r.st);
    sqlite3_exec(db, "RELEASE snapshot", NULL, NULL, NULL);
    er_integrity_free(g);
    er_snapshot_free(s);
    return rc;
}

void er_snapshot_free(er_snapshot *s)
{
    if (!s)
        return;
    free(s->regions);
    free(s->children);
    for (int l = 0; l < ER_LEVEL_COUNT; l++)
        free(s->by_level[l]);
    free(s->facts);
    free(s->year_facts);
    free(s->metric_agg);
    free(s->derived);
    er_strmap_free(&s->metrics);
    er_strmap_free(&s->items);
    free(s->item_beneficiary);
    er_strmap_free(&s->std_keys);
    free(s->standards);
    free(s->std_off);
    free(s->shares);
    free(s->transfers);
    free(s->splits);
    free(s->averages);
    while (s->chunks) {
        struct er_chunk *next = s->chunks->next;
        free(s->chunks);
        s->chunks = next;
    }
    free(s);
}

/* ---- lookups ---------------------------------------------------------- */

static const er_standard *find_standard(const er_snapshot *s, int32_t key,
                                        int scope, int32_t region,
                                        int32_t year)
{
    const er_standard *best = NULL;
    for (int32_t i = s->std_off[key]; i < s->std_off[key + 1]; i++) {
        const er_standard *d = &s->standards[i];
        if (d->scope != scope || d->year_from > year || d->year_to < year)
            continue;
        if (scope == ER_SCOPE_LOCAL && d->region != region)
            continue;
        if (!best || d->year_from > best->year_from)
            best = d;
    }
    return best;
}

const er_standard *er_snapshot_standard(const er_snapshot *s, int32_t key,
                                        int scope, int32_t region,
                                        int32_t year)
{
    if (key < 0 || (size_t)key >= s->std_keys.count)
        return NULL;
    if (scope != ER_SCOPE_LOCAL)
        return find_standard(s, key, scope, -1, year);
    for (int32_t g = region; g >= 0; g = s->regions[g].parent) {
        const er_standard *d = find_standard(s, key, scope, g, year);
        if (d)
            return d;
    }
    return NULL;
}

bool er_snapshot_share(const er_snapshot *s, int32_t item, int32_t tier,
                       int32_t year, double *out)
{
    const er_share *best = NULL;
    for (int32_t i = 0; i < s->nshares; i++) {
        const er_share *d = &s->shares[i];
        if (d->item == item && d->tier == tier && d->year_from <= year &&
            d->year_to >= year && (!best || d->year_from > best->year_from))
            best = d;
    }
    if (best)
        *out = best->share;
    return best != NULL;
}

const er_transfer *er_snapshot_transfer_row(const er_snapshot *s,
                                            int32_t region, int32_t year,
                                            int32_t item, int payer)
{
    if (!s->transfer_slots || item < 0 || region < 0)
        return NULL;
    const er_transfer *t = &s->transfers[transfer_slot(
        s, transfer_key(region, year, item, payer))];
    return t->key ? t : NULL;
}

double er_snapshot_transfer(const er_snapshot *s, int32_t region,
                            int32_t year, int32_t item, int payer)
{
    const er_transfer *t =
        er_snapshot_transfer_row(s, region, year, item, payer);
    return t ? t->amount : 0.0;
}

int32_t er_snapshot_transfer_children(const er_snapshot *s, int32_t region,
                                      int32_t year, int32_t item)
{
    int32_t n = 0;
    if (region < 0 || region >= s->nregions)
        return 0;
    const er_region *g = &s->regions[region];
    for (int32_t k = 0; k < g->child_count; k++)
        n += er_snapshot_transfer_row(s, s->children[g->child_off + k], year,
                                      item, ER_PAYER_PROVINCE) != NULL;
    return n;
}

const er_split *er_snapshot_split(const er_snapshot *s, int32_t city,
                                  int32_t item, int32_t year)
{
    const er_split *own = NULL, *dflt = NULL;
    for (int32_t i = 0; i < s->nsplits; i++) {
        const er_split *d = &s->splits[i];
        if (d->city != city || d->year_from > year || d->year_to < year)
            continue;
        if (item >= 0 && d->item == item &&
            (!own || d->year_from > own->year_from))
            own = d;
        else if (d->item < 0 && (!dflt || d->year_from > dflt->year_from))
            dflt = d;
    }
    return own ? own : dflt;
}

const er_national_average *
er_snapshot_national_average(const er_snapshot *s, const char *key,
                             int32_t year)
{
    for (int32_t i = 0; i < s->naverages; i++) {
        const er_national_average *d = &s->averages[i];
        if (d->year == year && strcmp(d->key, key) == 0)
            return d;
    }
    return NULL;
}
