/*
 * record.c - the one writer of a run: the `run` row, its `rule_file` and
 * `run_rule` rows, every finding (a `finding_row`, with the run's rules
 * numbered in `finding_rule` and its units and repeated notes in
 * `finding_text`: docs/architecture.md, "The findings store"), the
 * `run_count` totals (per rule, year and outcome) and the `run_gap` rows
 * (what each finding that assessed nothing lacked), in one
 * transaction, so a run is all there or not there. The engine keeps that
 * transaction open while rules evaluate and hands each finding over as it
 * comes. It takes plain records (store.h) and knows nothing of Lua or
 * rule sets: the engine converts.
 *
 * Money is checked here: a run whose amounts of one outcome have magnitudes
 * that add up to more than 64-bit fen hold is refused, so every total a
 * reader forms from a stored run's amounts (any subset of them) fits.
 */
#include "store.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* How long recording waits for another process's write (ms). */
#define ER_RECORD_BUSY_MS 600000

/* ---- what a finding lacked ------------------------------------------------ */

int er_finding_add_gap(er_finding *f, int kind, const char *key,
                       int32_t region, int32_t year)
{
    size_t kl = key ? strlen(key) : 0;
    if (kind <= ER_GAP_NONE || kind >= ER_GAP_KIND_COUNT || kl == 0 ||
        kl > UINT8_MAX)
        return ER_OK;
    if (f->ngaps >= UINT16_MAX)
        return ER_OK;
    er_gap *p = realloc(f->gaps, (f->ngaps + 1) * sizeof *p);
    if (!p)
        return er_fail(ER_ENOMEM, "out of memory");
    f->gaps = p;
    char *k = er_strdup(key);
    if (!k)
        return er_fail(ER_ENOMEM, "out of memory");
    p[f->ngaps++] = (er_gap){.kind = (uint8_t)kind, .region = region,
                             .year = year, .key = k};
    return ER_OK;
}

static int gap_cmp(const void *a, const void *b)
{
    const er_gap *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    if (x->region != y->region)
        return x->region < y->region ? -1 : 1;
    return 0;
}

void er_finding_sort_gaps(er_finding *f)
{
    if (f->ngaps < 2)
        return;
    qsort(f->gaps, f->ngaps, sizeof *f->gaps, gap_cmp);
    uint32_t n = 1;
    for (uint32_t i = 1; i < f->ngaps; i++) {
        if (gap_cmp(&f->gaps[i], &f->gaps[n - 1]) == 0)
            free(f->gaps[i].key);
        else
            f->gaps[n++] = f->gaps[i];
    }
    f->ngaps = n;
}

void er_finding_free_gaps(er_finding *f)
{
    for (uint32_t i = 0; i < f->ngaps; i++)
        free(f->gaps[i].key);
    free(f->gaps);
    f->gaps = NULL;
    f->ngaps = 0;
}

int er_finding_copy_gaps(er_finding *d, const er_finding *f)
{
    d->gaps = NULL;
    d->ngaps = 0;
    for (uint32_t i = 0; i < f->ngaps; i++) {
        const er_gap *g = &f->gaps[i];
        int rc = er_finding_add_gap(d, g->kind, g->key, g->region, g->year);
        if (rc != ER_OK) {
            er_finding_free_gaps(d);
            return rc;
        }
    }
    return ER_OK;
}

/* Flat form, per gap: kind (1 byte), key length (1), region (4), year (4),
 * the key. */
int er_gaps_pack(er_buf *b, const er_finding *f, uint32_t *len)
{
    size_t start = b->len;
    for (uint32_t i = 0; i < f->ngaps; i++) {
        const er_gap *g = &f->gaps[i];
        size_t kl = strlen(g->key);
        uint8_t head[2] = {g->kind, (uint8_t)kl};
        if (er_buf_add(b, head, 2) != ER_OK ||
            er_buf_add(b, &g->region, 4) != ER_OK ||
            er_buf_add(b, &g->year, 4) != ER_OK ||
            er_buf_add(b, g->key, kl) != ER_OK)
            return er_fail(ER_ENOMEM, "out of memory");
    }
    *len = (uint32_t)(b->len - start);
    return ER_OK;
}

int er_gaps_unpack(er_finding *f, const char *p, size_t len)
{
    f->gaps = NULL;
    f->ngaps = 0;
    size_t off = 0;
    while (off + 10 <= len) {
        uint8_t kind = (uint8_t)p[off], kl = (uint8_t)p[off + 1];
        int32_t region, year;
        memcpy(&region, p + off + 2, 4);
        memcpy(&year, p + off + 6, 4);
        off += 10;
        if (off + kl > len)
            break;
        char key[256];
        memcpy(key, p + off, kl);
        key[kl] = '\0';
        off += kl;
        int rc = er_finding_add_gap(f, kind, key, region, year);
        if (rc != ER_OK) {
            er_finding_free_gaps(f);
            return rc;
        }
    }
    return ER_OK;
}

/* ---- the recorder --------------------------------------------------------- */

#define RECORD_BATCH 64
/* Distinct units and notes a recorder remembers; a note first said after
 * that many is stored in its row each time. */
#define TEXT_MAX 65536
/* unit or note of a row: none, or the text itself in the row */
#define TEXT_NONE (-1)
#define TEXT_INLINE (-2)

/* A unit or note the run has met: a text of the run (finding_text) from
 * its first use for a unit and from its second for a note. */
typedef struct text_slot {
    char *text; /* owned; NULL = an empty slot */
    uint32_t hash;
    int32_t id; /* its finding_text id, or -1: a note met once */
} text_slot;

/* A finding as finding_row stores it. */
typedef struct row {
    int32_t year, rule, seq; /* rule: its number in finding_rule */
    int32_t unit, note;      /* a finding_text id, TEXT_NONE or TEXT_INLINE */
    int64_t region;          /* the code as a number, or -1: region_text */
    const char *region_text; /* borrowed from the snapshot */
    const char *unit_text, *note_text; /* TEXT_INLINE: in text[i] */
    uint8_t outcome, flags;
    double measured, required;
    int64_t amount;
} row;

/* A (year, rule, region) met more than once: how many times. */
typedef struct repeat_slot {
    uint64_t key; /* 0 = an empty slot, else the triple's number + 1 */
    int32_t count;
} repeat_slot;

struct er_recorder {
    sqlite3 *db;
    const er_snapshot *snap;
    bool in_tx;
    int64_t run;
    sqlite3_stmt *insert;       /* one finding */
    sqlite3_stmt *insert_batch; /* RECORD_BATCH findings */
    sqlite3_stmt *insert_gap;   /* one run_gap row */
    sqlite3_stmt *insert_text;  /* one finding_text row */
    size_t nrules;
    const char **rule_ids; /* rule index -> id (borrowed), NULL = not
                              recorded */
    int32_t *rule_numbers; /* rule index -> number in finding_rule (the
                              order of the ids), set by the first finding */
    bool numbered;
    long count;
    row batch[RECORD_BATCH];
    er_buf text[RECORD_BATCH]; /* inline unit and note of each batched row */
    int nbatch;
    /* the run's units and notes (open addressing, a power of 2 slots) */
    text_slot *texts;
    size_t ntexts, texts_cap;
    int32_t ntext_ids;
    /* one bit per rule and region of each year block: a finding met */
    uint8_t **seen;
    repeat_slot *repeats; /* those met more than once (open addressing) */
    size_t nrepeats, repeats_cap;
    /* counts and amounts per year, rule and outcome: block y (of
     * nrules * ER_OUTCOME_COUNT) belongs to years[y] */
    int32_t *years;
    size_t nyears;
    long *counts;     /* [(y * nrules + rule) * ER_OUTCOME_COUNT + outcome] */
    int64_t *amounts; /* same shape, fen */
    int64_t magnitude[ER_OUTCOME_COUNT]; /* sum of |amount|, per outcome */
};

/* How the recorder waits for another process's write lock: pauses as
 * sqlite3_busy_timeout would, up to ER_RECORD_BUSY_MS in all, telling the
 * run's `waiting` callback after each. */
typedef struct busy_wait {
    er_wait_fn fn;
    void *ctx;
    long waited_ms;
} busy_wait;

static int record_busy(void *arg, int count)
{
    static const int pauses[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50};
    busy_wait *w = arg;
    long ms = count < (int)ER_ARRAY_LEN(pauses) ? pauses[count] : 100;
    if (w->waited_ms >= ER_RECORD_BUSY_MS)
        return 0; /* give up: SQLITE_BUSY */
    if (ms > ER_RECORD_BUSY_MS - w->waited_ms)
        ms = ER_RECORD_BUSY_MS - w->waited_ms;
    struct timespec ts = {0, ms * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
    w->waited_ms += ms;
    if (w->fn)
        w->fn(w->ctx, w->waited_ms);
    return 1;
}

static int exec_sql(sqlite3 *db, const char *sql, const char *what)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, what);
    return ER_OK;
}

int er_record_begin(er_recorder **out, er_db *db, const er_snapshot *snap,
                    size_t nrules, const er_run_record *run)
{
    er_recorder *rec = calloc(1, sizeof *rec);
    sqlite3_stmt *st = NULL;
    int rc;
    *out = NULL;
    if (!rec)
        return er_fail(ER_ENOMEM, "out of memory");
    rec->db = db->db;
    rec->snap = snap;
    rec->nrules = nrules;
    rec->rule_ids = calloc(nrules + 1, sizeof *rec->rule_ids);
    rec->rule_numbers = calloc(nrules + 1, sizeof *rec->rule_numbers);
    if (!rec->rule_ids || !rec->rule_numbers) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }

    /* The rows are valid by construction, so foreign keys are not checked
     * row by row, and a large page cache keeps the finding index in
     * memory. Another run may be recording: wait for it rather than lose
     * this run's evaluation. */
    exec_sql(rec->db, "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -131072",
             "recording the run");
    busy_wait wait = {run->waiting, run->waiting_ctx, 0};
    sqlite3_busy_handler(rec->db, record_busy, &wait);
    rc = exec_sql(rec->db, "BEGIN IMMEDIATE", "recording the run");
    sqlite3_busy_timeout(rec->db, 30000);
    if (rc != ER_OK)
        goto done;
    rec->in_tx = true;

    if (sqlite3_prepare_v2(rec->db,
                           /* a run id is never given twice, not even
                            * after `runs --delete` (run_deleted) */
                           "INSERT INTO run(id, started_at, status, years, "
                           "engine_version, rules_digest, data_digest, "
                           "options, user, rules_dir, scope) "
                           "VALUES (1 + max(coalesce((SELECT max(id) FROM "
                           "run), 0), coalesce((SELECT max(id) FROM "
                           "run_deleted), 0)), "
                           "?, 'running', ?, ?, ?, ?, ?, ?, ?, "
                           "coalesce(?9, '{}'))",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(rec->db, "recording the run");
        goto done;
    }
    sqlite3_bind_text(st, 1, run->started_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, run->years, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ER_VERSION, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, run->rules_digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, run->data_digest, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, run->options, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, run->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, run->rules_dir, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, run->scope, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = er_fail_sqlite(rec->db, "recording the run");
        goto done;
    }
    rec->run = sqlite3_last_insert_rowid(rec->db);
    rc = ER_OK;
done:
    sqlite3_finalize(st);
    if (rc != ER_OK)
        er_recorder_free(rec);
    else
        *out = rec;
    return rc;
}

int64_t er_record_run_id(const er_recorder *rec)
{
    return rec->run;
}

int er_record_files(er_recorder *rec, const er_file_record *files, size_t n)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    if (sqlite3_prepare_v2(rec->db,
                           "INSERT INTO rule_file(run, path, sha256) "
                           "VALUES (?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(rec->db, "recording the rule files");
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, rec->run);
        sqlite3_bind_text(st, 2, files[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, files[i].sha256, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = er_fail_sqlite(rec->db, "recording the rule files");
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int er_record_rule(er_recorder *rec, int32_t index, const er_rule_record *r)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    assert(index >= 0 && (size_t)index < rec->nrules);
    /* the rules are numbered, in the order of their ids, at the first
     * finding */
    assert(!rec->numbered);
    if (rec->numbered)
        return er_fail(ER_ERROR, "rule %s recorded after the findings",
                       r->id);
    if (sqlite3_prepare_v2(rec->db,
                           "INSERT INTO run_rule(run, rule, department, path, "
                           "title, basis, item, kind, level, params, report) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "CASE WHEN ?11 IS NOT NULL OR ?12 IS NOT NULL "
                           "OR ?13 IS NOT NULL THEN json_patch(json_patch("
                           "CASE WHEN ?11 IS NULL THEN '{}' ELSE "
                           "json_object('chart', ?11) END, "
                           "CASE WHEN ?12 IS NULL THEN '{}' ELSE "
                           "json_object('index', ?12) END), "
                           "CASE WHEN ?13 IS NULL THEN '{}' ELSE "
                           "json_object('goal', ?13) END) END)",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(rec->db, "recording the rules");
    sqlite3_bind_int64(st, 1, rec->run);
    sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->department, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->basis, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->item, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, r->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->level, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r->params_json, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, r->chart, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, r->index, -1, SQLITE_STATIC);
    if (r->goal)
        sqlite3_bind_int(st, 13, r->goal);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = er_fail_sqlite(rec->db, "recording the rules");
    else
        rec->rule_ids[index] = r->id;
    sqlite3_finalize(st);
    return rc;
}

/* The columns of finding_row, in the order bind_row binds them. */
#define ROW_COLUMNS                                                           \
    "run, year, rule, region, seq, outcome, measured, required, amount, "   \
    "unit, note"
#define ROW_NCOLS 11

static int prepare_inserts(er_recorder *rec)
{
    er_buf sql;
    er_buf_init(&sql);
    er_buf_puts(&sql, "INSERT INTO finding_row(" ROW_COLUMNS ") VALUES ");
    for (int i = 0; i < RECORD_BATCH; i++)
        er_buf_puts(&sql, i ? ",(?,?,?,?,?,?,?,?,?,?,?)"
                            : "(?,?,?,?,?,?,?,?,?,?,?)");
    int prc = sql.data ? sqlite3_prepare_v3(rec->db, sql.data, -1,
                                            SQLITE_PREPARE_PERSISTENT,
                                            &rec->insert_batch, NULL)
                       : SQLITE_NOMEM;
    er_buf_free(&sql);
    if (prc != SQLITE_OK ||
        sqlite3_prepare_v3(rec->db,
                           "INSERT INTO finding_row(" ROW_COLUMNS ") "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &rec->insert,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(rec->db,
                           "INSERT INTO finding_text(run, id, text) "
                           "VALUES (?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &rec->insert_text,
                           NULL) != SQLITE_OK)
        return er_fail_sqlite(rec->db, "recording the findings");
    return ER_OK;
}

static int rule_cmp(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}

/* Numbers the recorded rules in the order of their ids (finding_rule),
 * so that the order of finding_row is the order of the ids. */
static int number_rules(er_recorder *rec)
{
    const char **ids = malloc((rec->nrules + 1) * sizeof *ids);
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    int rc = ER_OK;
    if (!ids)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < rec->nrules; i++)
        if (rec->rule_ids[i])
            ids[n++] = rec->rule_ids[i];
    if (n > 1)
        qsort(ids, n, sizeof *ids, rule_cmp);
    for (size_t i = 0; i < rec->nrules; i++) {
        if (!rec->rule_ids[i])
            continue;
        const char **at = bsearch(&rec->rule_ids[i], ids, n, sizeof *ids,
                                  rule_cmp);
        rec->rule_numbers[i] = (int32_t)(at - ids);
    }
    if (sqlite3_prepare_v2(rec->db,
                           "INSERT INTO finding_rule(run, id, rule) "
                           "VALUES (?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(rec->db, "recording the rules");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, rec->run);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        sqlite3_bind_text(st, 3, ids[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = er_fail_sqlite(rec->db, "recording the rules");
            goto done;
        }
    }
    rec->numbered = true;
done:
    sqlite3_finalize(st);
    free(ids);
    return rc;
}

static uint32_t text_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static int text_grow(er_recorder *rec)
{
    size_t cap = rec->texts_cap ? rec->texts_cap * 2 : 64;
    text_slot *t = calloc(cap, sizeof *t);
    if (!t)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < rec->texts_cap; i++) {
        if (!rec->texts[i].text)
            continue;
        size_t k = rec->texts[i].hash & (cap - 1);
        while (t[k].text)
            k = (k + 1) & (cap - 1);
        t[k] = rec->texts[i];
    }
    free(rec->texts);
    rec->texts = t;
    rec->texts_cap = cap;
    return ER_OK;
}

/* Makes `slot` a text of the run (a finding_text row). */
static int text_keep(er_recorder *rec, text_slot *slot)
{
    sqlite3_stmt *st = rec->insert_text;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, rec->run);
    sqlite3_bind_int(st, 2, rec->ntext_ids);
    sqlite3_bind_text(st, 3, slot->text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        return er_fail_sqlite(rec->db, "recording the findings");
    slot->id = rec->ntext_ids++;
    return ER_OK;
}

/* How a row holds text `s` (a unit when `unit`, else a note): the id of a
 * text of the run, or TEXT_INLINE (the text itself, in the row). */
static int text_ref(er_recorder *rec, const char *s, bool unit, int32_t *out)
{
    int rc;
    uint32_t h = text_hash(s);
    *out = TEXT_INLINE;
    if (rec->texts_cap) {
        for (size_t k = h & (rec->texts_cap - 1); rec->texts[k].text;
             k = (k + 1) & (rec->texts_cap - 1)) {
            text_slot *t = &rec->texts[k];
            if (t->hash != h || strcmp(t->text, s) != 0)
                continue;
            if (t->id < 0 && (rc = text_keep(rec, t)) != ER_OK)
                return rc; /* a note met again */
            *out = t->id;
            return ER_OK;
        }
    }
    if (rec->ntexts >= TEXT_MAX)
        return ER_OK;
    if ((rec->ntexts + 1) * 2 > rec->texts_cap &&
        (rc = text_grow(rec)) != ER_OK)
        return rc;
    size_t k = h & (rec->texts_cap - 1);
    while (rec->texts[k].text)
        k = (k + 1) & (rec->texts_cap - 1);
    text_slot *t = &rec->texts[k];
    if (!(t->text = er_strdup(s)))
        return er_fail(ER_ENOMEM, "out of memory");
    t->hash = h;
    t->id = -1;
    rec->ntexts++;
    if (unit) {
        if ((rc = text_keep(rec, t)) != ER_OK)
            return rc;
        *out = t->id;
    }
    return ER_OK;
}

/* The code as a number when it is 6 ASCII digits, else -1. */
static int64_t region_number(const char *code)
{
    int64_t n = 0;
    for (int i = 0; i < 6; i++) {
        if (code[i] < '0' || code[i] > '9')
            return -1;
        n = n * 10 + (code[i] - '0');
    }
    return code[6] == '\0' ? n : -1;
}

/* The seq of a finding of (year block y, rule, region): how many findings
 * of the same rule, year and region were recorded before it. */
static int finding_seq(er_recorder *rec, long y, int32_t rule,
                       int32_t region, int32_t *out)
{
    size_t nregions = (size_t)rec->snap->nregions;
    size_t bit = (size_t)rule * nregions + (size_t)region;
    uint8_t *seen = rec->seen[y];
    *out = 0;
    if (!(seen[bit / 8] & (1u << (bit % 8)))) {
        seen[bit / 8] |= (uint8_t)(1u << (bit % 8));
        return ER_OK;
    }
    /* met before: rare (a rule that distributes to a region it also
     * evaluates) */
    if ((rec->nrepeats + 1) * 2 > rec->repeats_cap) {
        size_t cap = rec->repeats_cap ? rec->repeats_cap * 2 : 64;
        repeat_slot *t = calloc(cap, sizeof *t);
        if (!t)
            return er_fail(ER_ENOMEM, "out of memory");
        for (size_t i = 0; i < rec->repeats_cap; i++) {
            if (!rec->repeats[i].key)
                continue;
            size_t k = (rec->repeats[i].key * 0x9E3779B97F4A7C15u) >> 40 &
                       (cap - 1);
            while (t[k].key)
                k = (k + 1) & (cap - 1);
            t[k] = rec->repeats[i];
        }
        free(rec->repeats);
        rec->repeats = t;
        rec->repeats_cap = cap;
    }
    uint64_t key = ((uint64_t)y * rec->nrules * nregions + bit) + 1;
    size_t k = (key * 0x9E3779B97F4A7C15u) >> 40 & (rec->repeats_cap - 1);
    while (rec->repeats[k].key && rec->repeats[k].key != key)
        k = (k + 1) & (rec->repeats_cap - 1);
    if (!rec->repeats[k].key) {
        rec->repeats[k].key = key;
        rec->nrepeats++;
    }
    *out = ++rec->repeats[k].count;
    return ER_OK;
}

static void bind_text_ref(sqlite3_stmt *st, int col, int32_t ref,
                          const char *text)
{
    if (ref >= 0)
        sqlite3_bind_int(st, col, ref);
    else if (ref == TEXT_INLINE)
        sqlite3_bind_text(st, col, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

static void bind_row(er_recorder *rec, sqlite3_stmt *st, int base,
                     const row *f)
{
    sqlite3_bind_int64(st, base + 1, rec->run);
    sqlite3_bind_int(st, base + 2, f->year);
    sqlite3_bind_int(st, base + 3, f->rule);
    if (f->region >= 0)
        sqlite3_bind_int64(st, base + 4, f->region);
    else
        sqlite3_bind_text(st, base + 4, f->region_text, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, base + 5, f->seq);
    sqlite3_bind_int(st, base + 6, f->outcome);
    if (f->flags & ER_F_MEASURED)
        sqlite3_bind_double(st, base + 7, f->measured);
    else
        sqlite3_bind_null(st, base + 7);
    if (f->flags & ER_F_REQUIRED)
        sqlite3_bind_double(st, base + 8, f->required);
    else
        sqlite3_bind_null(st, base + 8);
    if (f->flags & ER_F_AMOUNT)
        sqlite3_bind_int64(st, base + 9, f->amount);
    else
        sqlite3_bind_null(st, base + 9);
    bind_text_ref(st, base + 10, f->unit, f->unit_text);
    bind_text_ref(st, base + 11, f->note, f->note_text);
}

static int record_flush(er_recorder *rec)
{
    sqlite3_stmt *st = rec->insert;
    int per = 1;
    if (rec->nbatch == RECORD_BATCH) {
        st = rec->insert_batch;
        per = RECORD_BATCH;
    }
    for (int i = 0; i < rec->nbatch; i += per) {
        sqlite3_reset(st);
        for (int k = 0; k < per; k++)
            bind_row(rec, st, k * ROW_NCOLS, &rec->batch[i + k]);
        if (sqlite3_step(st) != SQLITE_DONE)
            return er_fail_sqlite(rec->db, "recording the findings");
    }
    rec->count += rec->nbatch;
    rec->nbatch = 0;
    return ER_OK;
}

/* The message of a total that does not fit in 64-bit fen. */
static int total_overflow(const char *rule, int o)
{
    return er_fail(ER_EDATA,
                   "the %s amounts of the run add up to more than "
                   "92,233,720,368,547,758.07 元 (reached with rule %s), the "
                   "largest total that can be stored; the run is not "
                   "recorded",
                   er_outcome_name((er_outcome)o), rule);
}

/* The block of counts of `year` (added when the year is new), or -1 when
 * out of memory. */
static long year_block(er_recorder *rec, int32_t year)
{
    for (size_t y = 0; y < rec->nyears; y++)
        if (rec->years[y] == year)
            return (long)y;
    size_t block = rec->nrules * ER_OUTCOME_COUNT, n = rec->nyears + 1;
    int32_t *years = realloc(rec->years, n * sizeof *years);
    if (!years)
        return -1;
    rec->years = years;
    long *counts = realloc(rec->counts, n * block * sizeof *counts);
    if (!counts)
        return -1;
    rec->counts = counts;
    int64_t *amounts = realloc(rec->amounts, n * block * sizeof *amounts);
    if (!amounts)
        return -1;
    rec->amounts = amounts;
    uint8_t **seen = realloc(rec->seen, n * sizeof *seen);
    if (!seen)
        return -1;
    rec->seen = seen;
    seen[rec->nyears] =
        calloc((rec->nrules * (size_t)rec->snap->nregions + 7) / 8 + 1, 1);
    if (!seen[rec->nyears])
        return -1;
    memset(counts + rec->nyears * block, 0, block * sizeof *counts);
    memset(amounts + rec->nyears * block, 0, block * sizeof *amounts);
    years[rec->nyears] = year;
    return (long)rec->nyears++;
}

/* Writes a run_gap row of a finding that says what it lacked. */
static int record_gap(er_recorder *rec, const er_finding *f,
                      const er_gap *gap)
{
    const char *kind = er_gap_kind_name(gap->kind);
    if (!kind || !gap->key)
        return ER_OK;
    if (!rec->insert_gap &&
        sqlite3_prepare_v3(rec->db,
                           "INSERT INTO run_gap(run, rule, region, year, "
                           "kind, key, data_region, data_year) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &rec->insert_gap,
                           NULL) != SQLITE_OK)
        return er_fail_sqlite(rec->db, "recording the data gaps");
    int32_t g = gap->region >= 0 && gap->region < rec->snap->nregions
                    ? gap->region
                    : f->region;
    sqlite3_stmt *st = rec->insert_gap;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, rec->run);
    sqlite3_bind_text(st, 2, rec->rule_ids[f->rule], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, rec->snap->regions[f->region].code, -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 4, f->year);
    sqlite3_bind_text(st, 5, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, gap->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, rec->snap->regions[g].code, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, gap->year ? gap->year : f->year);
    if (sqlite3_step(st) != SQLITE_DONE)
        return er_fail_sqlite(rec->db, "recording the data gaps");
    return ER_OK;
}

int er_record_finding(er_recorder *rec, const er_finding *f)
{
    int rc;
    assert(f->rule >= 0 && (size_t)f->rule < rec->nrules &&
           rec->rule_ids[f->rule] && f->outcome < ER_OUTCOME_COUNT);
    if (!rec->insert && (rc = prepare_inserts(rec)) != ER_OK)
        return rc;
    if (!rec->numbered && (rc = number_rules(rec)) != ER_OK)
        return rc;
    long y = year_block(rec, f->year);
    if (y < 0)
        return er_fail(ER_ENOMEM, "out of memory");
    size_t slot = ((size_t)y * rec->nrules + (size_t)f->rule) *
                      ER_OUTCOME_COUNT +
                  f->outcome;
    rec->counts[slot]++;
    for (uint32_t i = 0; i < f->ngaps; i++)
        if ((rc = record_gap(rec, f, &f->gaps[i])) != ER_OK)
            return rc;
    /* every total a reader may form (by rule, year, region, department)
     * is a sum of some of these amounts: when the sum of their magnitudes
     * fits, so does each of those */
    if ((f->flags & ER_F_AMOUNT) &&
        (f->amount == INT64_MIN ||
         !er_fen_add(&rec->magnitude[f->outcome],
                     f->amount < 0 ? -f->amount : f->amount)))
        return total_overflow(rec->rule_ids[f->rule], f->outcome);
    if (f->flags & ER_F_AMOUNT)
        rec->amounts[slot] += f->amount; /* bounded by the magnitude */
    row *d = &rec->batch[rec->nbatch];
    er_buf *t = &rec->text[rec->nbatch];
    const char *code = rec->snap->regions[f->region].code;
    memset(d, 0, sizeof *d);
    d->year = f->year;
    d->rule = rec->rule_numbers[f->rule];
    d->region = region_number(code);
    d->region_text = code;
    d->outcome = f->outcome;
    d->flags = f->flags;
    d->measured = f->measured;
    d->required = f->required;
    d->amount = f->amount;
    d->unit = d->note = TEXT_NONE;
    if ((rc = finding_seq(rec, y, f->rule, f->region, &d->seq)) != ER_OK ||
        (f->unit && (rc = text_ref(rec, f->unit, true, &d->unit)) != ER_OK) ||
        (f->note && (rc = text_ref(rec, f->note, false, &d->note)) != ER_OK))
        return rc;
    t->len = 0;
    size_t ul = d->unit == TEXT_INLINE ? strlen(f->unit) + 1 : 0;
    if ((ul && er_buf_add(t, f->unit, ul) != ER_OK) ||
        (d->note == TEXT_INLINE &&
         er_buf_add(t, f->note, strlen(f->note) + 1) != ER_OK))
        return er_fail(ER_ENOMEM, "out of memory");
    d->unit_text = ul ? t->data : NULL;
    d->note_text = d->note == TEXT_INLINE ? t->data + ul : NULL;
    if (++rec->nbatch == RECORD_BATCH)
        return record_flush(rec);
    return ER_OK;
}

/* Writes the counts and totals per rule, year and outcome (run_count). */
static int record_counts(er_recorder *rec)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(rec->db,
                           "INSERT INTO run_count(run, rule, year, outcome, "
                           "n, amount) VALUES (?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(rec->db, "recording the counts");
    int rc = ER_OK;
    for (size_t y = 0; y < rec->nyears && rc == ER_OK; y++) {
        for (size_t r = 0; r < rec->nrules && rc == ER_OK; r++) {
            for (int o = 0; o < ER_OUTCOME_COUNT; o++) {
                size_t slot = (y * rec->nrules + r) * ER_OUTCOME_COUNT +
                              (size_t)o;
                if (!rec->counts[slot])
                    continue;
                sqlite3_reset(st);
                sqlite3_bind_int64(st, 1, rec->run);
                sqlite3_bind_text(st, 2, rec->rule_ids[r], -1,
                                  SQLITE_STATIC);
                sqlite3_bind_int(st, 3, rec->years[y]);
                sqlite3_bind_text(st, 4, er_outcome_name((er_outcome)o), -1,
                                  SQLITE_STATIC);
                sqlite3_bind_int64(st, 5, rec->counts[slot]);
                if (o == ER_CUT || o == ER_ALLOCATION || rec->amounts[slot])
                    sqlite3_bind_int64(st, 6, rec->amounts[slot]);
                else
                    sqlite3_bind_null(st, 6);
                if (sqlite3_step(st) != SQLITE_DONE) {
                    rc = er_fail_sqlite(rec->db, "recording the counts");
                    break;
                }
            }
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int er_record_finish(er_recorder *rec, const char *finished_at,
                     long evaluations)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if ((rc = record_flush(rec)) != ER_OK ||
        (rc = record_counts(rec)) != ER_OK)
        return rc;
    if (sqlite3_prepare_v2(rec->db,
                           "UPDATE run SET status = 'done', finished_at = ?, "
                           "evaluations = ? WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(rec->db, "recording the run");
    sqlite3_bind_text(st, 1, finished_at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, evaluations);
    sqlite3_bind_int64(st, 3, rec->run);
    rc = sqlite3_step(st) == SQLITE_DONE
             ? ER_OK
             : er_fail_sqlite(rec->db, "recording the run");
    sqlite3_finalize(st);
    if (rc != ER_OK)
        return rc;
    er_fault_point("commit");
    if ((rc = exec_sql(rec->db, "COMMIT", "recording the run")) != ER_OK)
        return rc;
    rec->in_tx = false;
    return ER_OK;
}

long er_record_count(const er_recorder *rec)
{
    return rec->count;
}

void er_recorder_free(er_recorder *rec)
{
    if (!rec)
        return;
    sqlite3_finalize(rec->insert);
    sqlite3_finalize(rec->insert_batch);
    sqlite3_finalize(rec->insert_gap);
    sqlite3_finalize(rec->insert_text);
    if (rec->in_tx)
        sqlite3_exec(rec->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(rec->db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -2000",
                 NULL, NULL, NULL);
    for (int i = 0; i < RECORD_BATCH; i++)
        er_buf_free(&rec->text[i]);
    free(rec->rule_ids);
    free(rec->rule_numbers);
    for (size_t i = 0; i < rec->texts_cap; i++)
        free(rec->texts[i].text);
    free(rec->texts);
    for (size_t y = 0; y < rec->nyears; y++)
        free(rec->seen[y]);
    free(rec->seen);
    free(rec->repeats);
    free(rec->years);
    free(rec->counts);
    free(rec->amounts);
    free(rec);
}
