/*
 * snapshot.c - the data of one evaluation, read once from SQLite into compact
 * arrays: regions in code order with their children, facts in a dense
 * region x year x metric array (NaN = missing), standards grouped by key,
 * shares, transfers in a hash table, and national averages. Rules read the
 * snapshot, never the
 * database. The snapshot is immutable once loaded, so forked workers share
 * it. It also computes the digest of the data it read, and refuses data
 * that breaks the integrity rules (integrity.c), checked in the same read
 * transaction as the rows it loads.
 */
#include "store.h"

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

static uint64_t transfer_key(int32_t region, int32_t year, int32_t item)
{
    return ((uint64_t)(uint32_t)(region + 1) << 32) |
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

    int n = 0;
    if ((rc = query(r, "SELECT count(*) FROM transfer")) != ER_OK ||
        (rc = next_row(r)) < 0)
        return rc;
    n = sqlite3_column_int(r->st, 0);
    s->transfer_slots = 16;
    while (s->transfer_slots < (size_t)n * 2 + 2)
        s->transfer_slots *= 2;
    s->transfers = calloc(s->transfer_slots, sizeof *s->transfers);
    if (!s->transfers)
        return er_fail(ER_ENOMEM, "out of memory");
    if ((rc = query(r, "SELECT region, year, item, amount FROM transfer "
                       "ORDER BY region, year, item")) != ER_OK)
        return rc;
    while ((rc = next_row(r)) == 1) {
        int32_t region = er_snapshot_region(s, col_text(r, 0));
        int32_t item = er_strmap_find(&s->items, col_text(r, 2));
        if (region < 0 || item < 0)
            continue;
        uint64_t key =
            transfer_key(region, sqlite3_column_int(r->st, 1), item);
        er_transfer *t = &s->transfers[transfer_slot(s, key)];
        t->key = key;
        t->amount = sqlite3_column_double(r->st, 3);
    }
    return rc < 0 ? rc : ER_OK;
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
    if ((rc = load_regions(&r, s)) != ER_OK ||
        (rc = check_parents(s)) != ER_OK)
        goto done;
    er_fault_point("snapshot"); /* tests: a write lands mid-read */
    if ((rc = load_facts(&r, s, g)) != ER_OK)
        goto done;
    if (g && g->total_errors) {
        rc = refuse(g);
        goto done;
    }
    if ((rc = load_items(&r, s)) != ER_OK ||
        (rc = load_standards(&r, s)) != ER_OK ||
        (rc = load_transfers(&r, s)) != ER_OK ||
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
    er_strmap_free(&s->metrics);
    er_strmap_free(&s->items);
    free(s->item_beneficiary);
    er_strmap_free(&s->std_keys);
    free(s->standards);
    free(s->std_off);
    free(s->shares);
    free(s->transfers);
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

double er_snapshot_transfer(const er_snapshot *s, int32_t region,
                            int32_t year, int32_t item)
{
    if (!s->transfer_slots || item < 0)
        return 0.0;
    const er_transfer *t =
        &s->transfers[transfer_slot(s, transfer_key(region, year, item))];
    return t->key ? t->amount : 0.0;
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
