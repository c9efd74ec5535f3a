/*
 * verify.c - replaying a stored run: `equirule verify RUN` rebuilds the
 * run's inputs (its data in a temporary database, its rule sources as the
 * database stored them, its recorded options), evaluates them through the
 * same path as `equirule run`, and compares every finding with the stored
 * one; `explain --run N` explains one finding with the run's inputs. The
 * rules folder is not read: a replay works after it changed or went, and
 * in a copy of the database elsewhere.
 *
 * What a replay rebuilds from (er_replay_open): run.years, run.scope
 * (region, depts, rule, --set overrides), run.replay (the limits on rule
 * code), run_source and rule_source (the texts, with the names the run's
 * messages quoted), run.rules_dir (the set's folder name in messages) and
 * the data: as of the run's data version (run.data_version, rebuilt by
 * er_data_materialize) or, for a run stored before data versions, the
 * data tables held now; either is accepted only when its digest is the
 * run's (run.data_digest): other data is refused, never compared.
 */
#include "tools.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the replay's inputs ------------------------------------------------- */

struct er_replay {
    int64_t run;
    er_db *db;       /* the temporary database holding the run's data */
    er_ruleset *rs;  /* from the stored sources */
    char dir[4096];  /* the temporary folder */
    char path[4200]; /* the temporary database */
    char *rules_dir, *engine_version, *data_digest, *rules_digest, *years;
    char *region, *rule; /* NULL = not narrowed */
    char **depts, **sets; /* NULL-terminated, or NULL */
    double timeout;
    long max_instructions, max_memory;
    bool versioned;       /* the run recorded the data version it read */
    int64_t data_version;
};

static void strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static void remove_files(er_replay *r)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    if (!r->dir[0])
        return;
    for (size_t i = 0; i < ER_ARRAY_LEN(suffix); i++) {
        char p[4300];
        snprintf(p, sizeof p, "%s%s", r->path, suffix[i]);
        unlink(p);
    }
    rmdir(r->dir);
}

void er_replay_free(er_replay *r)
{
    if (!r)
        return;
    er_ruleset_free(r->rs);
    er_db_free(r->db);
    remove_files(r);
    free(r->rules_dir);
    free(r->engine_version);
    free(r->data_digest);
    free(r->rules_digest);
    free(r->years);
    free(r->region);
    free(r->rule);
    strv_free(r->depts);
    strv_free(r->sets);
    free(r);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? er_strdup(t) : NULL;
}

/* A copy of column i, or of `dflt` when it is NULL. */
static char *col_or(sqlite3_stmt *st, int i, const char *dflt)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return er_strdup(t ? t : dflt);
}

/* The strings of the JSON array at `path` of run.scope, NULL-terminated,
 * into *out (NULL when the scope has none). */
static int scope_list(sqlite3 *db, int64_t run, const char *path,
                      char ***out)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t n = 0;
    int rc = ER_OK, src;
    *out = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT j.value FROM run, json_each(run.scope, ?) "
                           "AS j WHERE run.id = ? ORDER BY j.key",
                           -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the run's scope");
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, run);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        char **p = realloc(v, (n + 2) * sizeof *p);
        if (!p) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            break;
        }
        v = p;
        v[n + 1] = NULL;
        if (!(v[n] = col_dup(st, 0))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    if (rc == ER_OK && src != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the run's scope");
    sqlite3_finalize(st);
    if (rc != ER_OK)
        strv_free(v);
    else
        *out = v;
    return rc;
}

/* Reads the run row: what the replay must set alike. */
static int read_run(er_db *db, er_replay *r)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, src;
    if (sqlite3_prepare_v2(
            db->db,
            "SELECT status, years, rules_dir, engine_version, data_digest, "
            "rules_digest, json_extract(scope, '$.region'), "
            "json_extract(scope, '$.rule'), "
            "json_extract(replay, '$.timeout'), "
            "json_extract(replay, '$.max_instructions'), "
            "json_extract(replay, '$.max_memory'), "
            "json_type(scope, '$.command') IS NOT NULL, data_version "
            "FROM run WHERE id = ?",
            -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db->db, "reading the run");
    sqlite3_bind_int64(st, 1, r->run);
    if ((src = sqlite3_step(st)) != SQLITE_ROW) {
        rc = src == SQLITE_DONE
                 ? er_fail(ER_ENOTFOUND, "no run %lld in %s",
                           (long long)r->run, db->path)
                 : er_fail_sqlite(db->db, "reading the run");
        goto done;
    }
    const char *status = (const char *)sqlite3_column_text(st, 0);
    if (!status || strcmp(status, "done") != 0) {
        rc = er_fail(ER_EUSAGE, "run %lld is %s, not done: only a finished "
                                "run can be replayed",
                     (long long)r->run, status ? status : "of no status");
        goto done;
    }
    if (sqlite3_column_int(st, 11)) {
        rc = er_fail(ER_ENOTFOUND,
                     "run %lld knows only its command line, not its scope: "
                     "it cannot be replayed",
                     (long long)r->run);
        goto done;
    }
    if (!(r->years = col_or(st, 1, "")) ||
        !(r->rules_dir = col_or(st, 2, "rules")) ||
        !(r->engine_version = col_or(st, 3, "")) ||
        !(r->data_digest = col_or(st, 4, "")) ||
        !(r->rules_digest = col_or(st, 5, ""))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    r->region = col_dup(st, 6);
    r->rule = col_dup(st, 7);
    r->timeout = sqlite3_column_double(st, 8);
    r->max_instructions = (long)sqlite3_column_int64(st, 9);
    r->max_memory = (long)sqlite3_column_int64(st, 10);
    r->versioned = sqlite3_column_type(st, 12) != SQLITE_NULL;
    r->data_version = sqlite3_column_int64(st, 12);
    if ((rc = scope_list(db->db, r->run, "$.depts", &r->depts)) != ER_OK ||
        (rc = scope_list(db->db, r->run, "$.sets", &r->sets)) != ER_OK)
        goto done;
done:
    sqlite3_finalize(st);
    return rc;
}

/* Copies the data tables of `src` (the run's database) into the replay's
 * empty ones, in one transaction. */
static int copy_data(er_db *src, er_replay *r)
{
    sqlite3 *db = r->db->db;
    sqlite3_stmt *st = NULL;
    er_buf sql;
    er_buf_init(&sql);
    int rc = ER_OK;
    bool attached = false, in_tx = false;
    if (sqlite3_prepare_v2(db, "ATTACH DATABASE ? AS src", -1, &st, NULL) !=
        SQLITE_OK) {
        rc = er_fail_sqlite(db, "copying the run's data");
        goto done;
    }
    sqlite3_bind_text(st, 1, src->path, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        rc = er_fail_sqlite(db, "copying the run's data");
        goto done;
    }
    attached = true;
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_exec(db, "PRAGMA foreign_keys = OFF; BEGIN", NULL, NULL,
                     NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(db, "copying the run's data");
        goto done;
    }
    in_tx = true;
    for (size_t t = 0; er_data_tables[t] && rc == ER_OK; t++) {
        /* the columns of the replay's table, by name: an upgraded file
         * may hold them in another order */
        sql.len = 0;
        er_buf_printf(&sql, "INSERT INTO main.\"%s\" SELECT ",
                      er_data_tables[t]);
        if (sqlite3_prepare_v2(db,
                               "SELECT name FROM pragma_table_info(?, "
                               "'main') ORDER BY cid",
                               -1, &st, NULL) != SQLITE_OK) {
            rc = er_fail_sqlite(db, "copying the run's data");
            break;
        }
        sqlite3_bind_text(st, 1, er_data_tables[t], -1, SQLITE_STATIC);
        er_buf cols;
        er_buf_init(&cols);
        while (sqlite3_step(st) == SQLITE_ROW)
            er_buf_printf(&cols, "%s\"%s\"", cols.len ? ", " : "",
                          (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        st = NULL;
        er_buf_printf(&sql, "%s FROM src.\"%s\"", cols.data ? cols.data : "",
                      er_data_tables[t]);
        er_buf_free(&cols);
        if ((rc = er_buf_status(&sql)) != ER_OK)
            break;
        if (sqlite3_exec(db, sql.data, NULL, NULL, NULL) != SQLITE_OK)
            rc = er_fail(ER_ERROR, "copying the run's data (table %s): %s",
                         er_data_tables[t], sqlite3_errmsg(db));
    }
    if (rc == ER_OK &&
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = er_fail_sqlite(db, "copying the run's data");
    else if (rc == ER_OK)
        in_tx = false;
done:
    sqlite3_finalize(st);
    er_buf_free(&sql);
    if (in_tx)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    if (attached)
        sqlite3_exec(db, "DETACH DATABASE src", NULL, NULL, NULL);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    return rc;
}

int er_replay_open(er_db *db, int64_t run, er_replay **out)
{
    er_replay *r = calloc(1, sizeof *r);
    er_sources *src = NULL;
    int rc;
    *out = NULL;
    if (!r)
        return er_fail(ER_ENOMEM, "out of memory");
    r->run = run;
    if ((rc = read_run(db, r)) != ER_OK ||
        (rc = er_sources_read(db->db, run, &src)) != ER_OK)
        goto done;
    snprintf(r->dir, sizeof r->dir, "%s/equirule-replay-XXXXXX", er_tmpdir());
    if (!mkdtemp(r->dir)) {
        rc = er_fail(ER_ERROR,
                     "cannot create a temporary folder in %s: %s; set "
                     "TMPDIR to a writable folder with room",
                     er_tmpdir(), strerror(errno));
        r->dir[0] = '\0';
        goto done;
    }
    snprintf(r->path, sizeof r->path, "%s/replay.db", r->dir);
    if ((rc = er_db_init(&r->db, r->path, NULL)) != ER_OK)
        goto done;
    /* the data as of the run's version; a run stored before versioning,
     * the data held now (accepted only if it is the run's: check_data) */
    if (r->versioned) {
        if ((rc = er_data_materialize(db->db, r->data_version, r->db->db)) !=
            ER_OK) {
            char why[512];
            snprintf(why, sizeof why, "%s", er_errmsg());
            rc = er_fail(rc == ER_ENOMEM ? rc : ER_EDATA,
                         "run %lld cannot be replayed: %s", (long long)run,
                         why);
            goto done;
        }
    } else if ((rc = copy_data(db, r)) != ER_OK) {
        goto done;
    }
    if ((rc = er_ruleset_load_sources(&r->rs, r->rules_dir, src->files,
                                      src->n, r->timeout)) != ER_OK)
        goto done;
done:
    er_sources_free(src);
    if (rc != ER_OK)
        er_replay_free(r);
    else
        *out = r;
    return rc;
}

/* Evaluates the replay as `equirule run` would, narrowed further to
 * `rule`, `region` and `year` when they are set (explain), and stores it
 * in the replay's database: its id in *run_out. The run's database is
 * closed meanwhile (workers must not inherit a connection). */
static int replay_run(er_db *db, er_replay *r, const char *rule,
                      const char *region, int year, int jobs,
                      int64_t *run_out)
{
    er_run_opts o = {0};
    int from = 0, to = 0;
    if (sscanf(r->years, "%d-%d", &from, &to) < 1)
        return er_fail(ER_EDATA, "run %lld: years '%s' cannot be read",
                       (long long)r->run, r->years);
    o.year_from = year ? year : from;
    o.year_to = year ? year : (to ? to : from);
    o.depts = rule ? NULL : (const char *const *)r->depts;
    o.rule = rule ? rule : r->rule;
    o.region = region ? region : r->region;
    o.sets = (const char *const *)r->sets;
    o.jobs = jobs;
    o.timeout = r->timeout;
    o.max_instructions = r->max_instructions;
    o.max_memory = r->max_memory;
    o.user = "verify";
    o.options = "verify";
    int rc = er_db_suspend(db);
    if (rc != ER_OK)
        return rc;
    rc = er_run(r->db, r->rs, &o, run_out);
    int rc2 = er_db_resume(db);
    return rc != ER_OK ? rc : rc2;
}

/* The replay's data must be the run's: the digests of what was read. */
static int check_data(er_replay *r, int64_t replayed)
{
    sqlite3_stmt *st = NULL;
    int rc = ER_OK;
    if (sqlite3_prepare_v2(r->db->db,
                           "SELECT data_digest FROM run WHERE id = ?", -1,
                           &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(r->db->db, "reading the replay");
    sqlite3_bind_int64(st, 1, replayed);
    const char *now = sqlite3_step(st) == SQLITE_ROW
                          ? (const char *)sqlite3_column_text(st, 0)
                          : NULL;
    if (!now || strcmp(now, r->data_digest) != 0)
        rc = er_fail(ER_EDATA,
                     r->versioned
                         ? "run %lld cannot be replayed: the data rebuilt as "
                           "of its data version differs from what it read "
                           "(digest %.12s... then, %.12s... now)"
                         : "run %lld cannot be replayed: its data is not the "
                           "data held now (digest %.12s... then, %.12s... "
                           "now), and it was recorded before data versions, "
                           "so its data cannot be rebuilt",
                     (long long)r->run, r->data_digest, now ? now : "?");
    sqlite3_finalize(st);
    return rc;
}

/* ---- comparing findings -------------------------------------------------- */

typedef er_verify_row vrow;

static void read_row(sqlite3_stmt *st, vrow *v)
{
    v->rule = (const char *)sqlite3_column_text(st, 0);
    v->region = (const char *)sqlite3_column_text(st, 1);
    v->year = sqlite3_column_int(st, 2);
    v->outcome = (const char *)sqlite3_column_text(st, 3);
    v->has_measured = sqlite3_column_type(st, 4) != SQLITE_NULL;
    v->measured = sqlite3_column_double(st, 4);
    v->has_required = sqlite3_column_type(st, 5) != SQLITE_NULL;
    v->required = sqlite3_column_double(st, 5);
    v->has_amount = sqlite3_column_type(st, 6) != SQLITE_NULL;
    v->amount = sqlite3_column_int64(st, 6);
    v->unit = (const char *)sqlite3_column_text(st, 7);
    v->note = (const char *)sqlite3_column_text(st, 8);
}

static int key_cmp(const vrow *a, const vrow *b)
{
    int c = strcmp(a->rule ? a->rule : "", b->rule ? b->rule : "");
    if (!c)
        c = strcmp(a->region ? a->region : "", b->region ? b->region : "");
    if (!c && a->year != b->year)
        c = a->year < b->year ? -1 : 1;
    return c;
}

static bool str_same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void num_text(char *buf, size_t size, bool has, double v)
{
    if (has)
        snprintf(buf, size, "%.17g", v);
    else
        snprintf(buf, size, "(none)");
}

static void fen_text(char *buf, size_t size, bool has, int64_t fen)
{
    if (has)
        er_fmt_fen(buf, size, fen);
    else
        snprintf(buf, size, "(none)");
}

int er_verify_compare_row(const er_verify_row *stored,
                          const er_verify_row *now, er_verify_diff_fn fn,
                          void *ctx, int *ndiff)
{
    char a[64], b[64];
    int rc = ER_OK;
    *ndiff = 0;
#define DIFF(field, x, y)                                                  \
    do {                                                                   \
        (*ndiff)++;                                                        \
        if (fn && rc == ER_OK)                                             \
            rc = fn(ctx, stored, field, x, y);                             \
    } while (0)
    if (!str_same(stored->outcome, now->outcome))
        DIFF("outcome", stored->outcome ? stored->outcome : "(none)",
             now->outcome ? now->outcome : "(none)");
    if (stored->has_measured != now->has_measured ||
        (stored->has_measured && stored->measured != now->measured &&
         !(stored->measured != stored->measured &&
           now->measured != now->measured))) {
        num_text(a, sizeof a, stored->has_measured, stored->measured);
        num_text(b, sizeof b, now->has_measured, now->measured);
        DIFF("measured", a, b);
    }
    if (stored->has_required != now->has_required ||
        (stored->has_required && stored->required != now->required &&
         !(stored->required != stored->required &&
           now->required != now->required))) {
        num_text(a, sizeof a, stored->has_required, stored->required);
        num_text(b, sizeof b, now->has_required, now->required);
        DIFF("required", a, b);
    }
    if (stored->has_amount != now->has_amount ||
        (stored->has_amount && stored->amount != now->amount)) {
        fen_text(a, sizeof a, stored->has_amount, stored->amount);
        fen_text(b, sizeof b, now->has_amount, now->amount);
        DIFF("amount", a, b);
    }
    if (!str_same(stored->unit, now->unit))
        DIFF("unit", stored->unit ? stored->unit : "(none)",
             now->unit ? now->unit : "(none)");
    if (!str_same(stored->note, now->note))
        DIFF("note", stored->note ? stored->note : "(none)",
             now->note ? now->note : "(none)");
#undef DIFF
    return rc;
}

/* The findings of a run in the order a comparison walks them (every
 * column, so that findings of one key come in one order on both sides). */
#define FINDINGS_SQL                                                       \
    "SELECT rule, region, year, outcome, measured, required, amount, "     \
    "unit, note FROM finding WHERE run = ?1 AND (?2 IS NULL OR rule = ?2) " \
    "AND (?3 IS NULL OR region = ?3) AND (?4 IS NULL OR year = ?4) "        \
    "ORDER BY rule, region, year, outcome, measured, required, amount, "   \
    "unit, note"

static int prepare_findings(sqlite3 *db, int64_t run, const char *rule,
                            const char *region, int year, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, FINDINGS_SQL, -1, st, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, "reading the findings");
    sqlite3_bind_int64(*st, 1, run);
    sqlite3_bind_text(*st, 2, rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(*st, 3, region, -1, SQLITE_STATIC);
    if (year)
        sqlite3_bind_int(*st, 4, year);
    return ER_OK;
}

/* What a comparison writes: each difference and each finding missing or
 * extra, up to `limit` lines. */
typedef struct compare_out {
    FILE *fp;
    long lines, limit;
    er_verify_stats *stats;
} compare_out;

static int out_diff(void *ctx, const er_verify_row *f, const char *field,
                    const char *stored, const char *now)
{
    compare_out *o = ctx;
    if (o->fp && o->lines++ < o->limit)
        fprintf(o->fp, "  %s %s %d %s: stored %s, now %s\n", f->rule,
                f->region, f->year, field, stored, now);
    return ER_OK;
}

static void out_one(compare_out *o, const char *what, const vrow *v)
{
    if (o->fp && o->lines++ < o->limit)
        fprintf(o->fp, "  %s %s %d: %s (%s)\n", v->rule, v->region, v->year,
                what, v->outcome ? v->outcome : "?");
}

/* Compares the findings of `run` in `db` (those of rule, region and year
 * when set) with those of `replayed` in `rdb`, writing the differences. */
static int compare_runs(sqlite3 *db, int64_t run, sqlite3 *rdb,
                        int64_t replayed, const char *rule,
                        const char *region, int year, compare_out *o)
{
    sqlite3_stmt *a = NULL, *b = NULL;
    er_verify_stats *s = o->stats;
    int rc, ra, rb;
    if ((rc = prepare_findings(db, run, rule, region, year, &a)) != ER_OK ||
        (rc = prepare_findings(rdb, replayed, rule, region, year, &b)) !=
            ER_OK)
        goto done;
    vrow x, y;
    ra = sqlite3_step(a);
    rb = sqlite3_step(b);
    while (ra == SQLITE_ROW || rb == SQLITE_ROW) {
        int c;
        if (ra == SQLITE_ROW)
            read_row(a, &x);
        if (rb == SQLITE_ROW)
            read_row(b, &y);
        c = ra != SQLITE_ROW ? 1 : rb != SQLITE_ROW ? -1 : key_cmp(&x, &y);
        if (c < 0) {
            s->stored++;
            s->missing++;
            out_one(o, "stored, not reproduced", &x);
            ra = sqlite3_step(a);
        } else if (c > 0) {
            s->replayed++;
            s->extra++;
            out_one(o, "reproduced, not stored", &y);
            rb = sqlite3_step(b);
        } else {
            int n = 0;
            s->stored++;
            s->replayed++;
            if ((rc = er_verify_compare_row(&x, &y, out_diff, o, &n)) !=
                ER_OK)
                goto done;
            if (n) {
                s->differing++;
                s->fields += n;
            } else {
                s->identical++;
            }
            ra = sqlite3_step(a);
            rb = sqlite3_step(b);
        }
    }
    if (ra != SQLITE_DONE)
        rc = er_fail_sqlite(db, "reading the stored findings");
    else if (rb != SQLITE_DONE)
        rc = er_fail_sqlite(rdb, "reading the replayed findings");
done:
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    return rc;
}

/* "2,013" */
static const char *count_text(char *buf, size_t size, long n)
{
    char raw[32];
    snprintf(raw, sizeof raw, "%ld", n);
    size_t len = strlen(raw), j = 0;
    for (size_t i = 0; i < len && j + 2 < size; i++) {
        if (i && (len - i) % 3 == 0 && raw[0] != '-')
            buf[j++] = ',';
        buf[j++] = raw[i];
    }
    buf[j] = '\0';
    return buf;
}

/* Says when the run was recorded by another version of equirule. */
static void engine_note(FILE *fp, const er_replay *r, int *differs)
{
    *differs = r->engine_version && strcmp(r->engine_version, ER_VERSION);
    if (*differs && fp)
        fprintf(fp,
                "note: run %lld was recorded by equirule %s; replayed with "
                "equirule %s\n",
                (long long)r->run, r->engine_version, ER_VERSION);
}

int er_verify(er_db *db, int64_t run, const er_verify_opts *opts, FILE *fp,
              er_verify_stats *stats)
{
    static const er_verify_opts defaults = {ER_JOBS_AUTO, 20};
    const er_verify_opts *o = opts ? opts : &defaults;
    er_verify_stats s;
    memset(&s, 0, sizeof s);
    er_replay *r = NULL;
    int64_t replayed = 0;
    char n1[32], n2[32], n3[32], n4[32];
    int rc;
    if ((rc = er_replay_open(db, run, &r)) != ER_OK ||
        (rc = replay_run(db, r, NULL, NULL, 0, o->jobs, &replayed)) !=
            ER_OK ||
        (rc = check_data(r, replayed)) != ER_OK)
        goto done;
    engine_note(fp, r, &s.engine_differs);
    if (strcmp(er_ruleset_digest(r->rs), r->rules_digest) != 0 && fp)
        fprintf(fp,
                "note: the stored sources of run %lld digest to %.12s..., "
                "the run's rules to %.12s... (a rule file the run could "
                "not read is not stored)\n",
                (long long)run, er_ruleset_digest(r->rs), r->rules_digest);
    compare_out out = {fp, 0, o->max_listed > 0 ? o->max_listed : 20, &s};
    if ((rc = compare_runs(db->db, run, r->db->db, replayed, NULL, NULL, 0,
                           &out)) != ER_OK)
        goto done;
    if (fp && out.lines > out.limit)
        fprintf(fp, "  and %ld more\n", out.lines - out.limit);
    if (fp) {
        if (!s.differing && !s.missing && !s.extra)
            fprintf(fp, "run %lld reproduced: %s finding%s identical\n",
                    (long long)run, count_text(n1, sizeof n1, s.identical),
                    s.identical == 1 ? "" : "s");
        else
            fprintf(fp,
                    "run %lld not reproduced: %s findings differ (%ld "
                    "fields), %s stored findings missing, %s extra; %s "
                    "identical\n",
                    (long long)run, count_text(n1, sizeof n1, s.differing),
                    s.fields, count_text(n2, sizeof n2, s.missing),
                    count_text(n3, sizeof n3, s.extra),
                    count_text(n4, sizeof n4, s.identical));
    }
done:
    er_replay_free(r);
    if (stats)
        *stats = s;
    return rc;
}

int er_explain_run(er_db *db, int64_t run, const er_explain_opts *opts,
                   FILE *fp)
{
    er_replay *r = NULL;
    sqlite3_stmt *st = NULL;
    int64_t replayed = 0;
    er_verify_stats s;
    memset(&s, 0, sizeof s);
    char code[ER_REGION_CODE_SIZE];
    int rc, year = opts->year;
    if ((rc = er_replay_open(db, run, &r)) != ER_OK)
        goto done;
    if (!year) { /* the run's last year */
        int from = 0, to = 0;
        sscanf(r->years, "%d-%d", &from, &to);
        year = to ? to : from;
    }
    if ((rc = er_region_resolve(r->db->db, r->db->path, opts->region,
                                code)) != ER_OK)
        goto done;
    er_explain_opts eo = *opts;
    eo.year = year;
    eo.region = code;
    eo.sets = (const char *const *)r->sets;
    int differs;
    engine_note(fp, r, &differs);
    fprintf(fp, "with the data and rules of run %lld (%s)\n\n",
            (long long)run, r->rules_dir);
    fflush(fp);
    rc = er_db_suspend(db);
    if (rc == ER_OK) {
        rc = er_explain(r->db, r->rs, &eo, fp);
        int rc2 = er_db_resume(db);
        if (rc == ER_OK)
            rc = rc2;
    }
    if (rc != ER_OK)
        goto done;

    /* the stored finding, and the evaluation's against it */
    if ((rc = prepare_findings(db->db, run, opts->rule, code, year, &st)) !=
        ER_OK)
        goto done;
    fprintf(fp, "\nstored in run %lld\n", (long long)run);
    int src, nstored = 0;
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        vrow v;
        read_row(st, &v);
        char m[64], q[64], a[64];
        num_text(m, sizeof m, v.has_measured, v.measured);
        num_text(q, sizeof q, v.has_required, v.required);
        fen_text(a, sizeof a, v.has_amount, v.amount);
        fprintf(fp, "  outcome %s · measured %s · required %s · amount %s",
                v.outcome ? v.outcome : "?", m, q, a);
        if (v.unit)
            fprintf(fp, " · unit %s", v.unit);
        fputs("\n", fp);
        if (v.note) {
            fputs("  note ", fp);
            er_text_put(fp, ER_TEXT_LINES, v.note);
            fputs("\n", fp);
        }
        nstored++;
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(db->db, "reading the stored findings");
        goto done;
    }
    if (!nstored)
        fprintf(fp, "  (no finding of %s for %s in %d)\n", opts->rule, code,
                year);
    sqlite3_finalize(st);
    st = NULL;
    if ((rc = replay_run(db, r, opts->rule, code, year, ER_JOBS_AUTO,
                         &replayed)) != ER_OK ||
        (rc = check_data(r, replayed)) != ER_OK)
        goto done;
    compare_out out = {fp, 0, 20, &s};
    fprintf(fp, "\nre-evaluated with run %lld's data and rules now\n",
            (long long)run);
    if ((rc = compare_runs(db->db, run, r->db->db, replayed, opts->rule,
                           code, year, &out)) != ER_OK)
        goto done;
    if (!s.differing && !s.missing && !s.extra)
        fprintf(fp, "  the same as stored\n");
done:
    sqlite3_finalize(st);
    er_replay_free(r);
    return rc;
}
