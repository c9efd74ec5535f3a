/*
 * internal.h - declarations shared between the files of core/. Not part of
 * the public API: nothing in include/ includes this file.
 */
#ifndef ER_INTERNAL_H
#define ER_INTERNAL_H

#include "equirule.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>

#define ER_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors (error.c) ------------------------------------------------ */

/* Sets the thread's error message; returns `code` for `return er_fail(...)`. */
int er_fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Sets the message from SQLite's current error on `db`, prefixed. */
int er_fail_sqlite(sqlite3 *db, const char *what);
void er_error_clear(void);

/* ---- fault injection for the tests (fault.c) ------------------------- */

/* Acts on EQUIRULE_FAULT at the named point: kill:POINT raises SIGKILL,
 * stall:POINT[=S] sleeps S seconds (2 by default). No-op without it. */
void er_fault_point(const char *point);
/* Whether EQUIRULE_FAULT lists `kind:ARG`; copies ARG into buf. */
bool er_fault_arg(const char *kind, char *buf, size_t size);

/* ---- growable byte buffer (util.c) ----------------------------------- */

typedef struct er_buf {
    char *data; /* NUL-terminated while len < cap */
    size_t len;
    size_t cap;
} er_buf;

void er_buf_init(er_buf *b);
void er_buf_free(er_buf *b);
int er_buf_add(er_buf *b, const void *data, size_t len);
int er_buf_puts(er_buf *b, const char *s);
int er_buf_printf(er_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the buffer's memory to the caller (NUL-terminated, never NULL on
 * success) and resets the buffer. */
char *er_buf_detach(er_buf *b);

char *er_strdup(const char *s);
/* Reads a whole file; the result is NUL-terminated. */
int er_read_file(const char *path, char **out, size_t *len_out);
/* The folder for temporary files: $TMPDIR, else /tmp. */
const char *er_tmpdir(void);
/* An anonymous temporary file in er_tmpdir(), gone when closed or when
 * the process dies; NULL with errno set when it cannot be created. */
FILE *er_tmpfile(void);

/* Display width of a UTF-8 string on a terminal (CJK counts 2). */
int er_display_width(const char *s);
/* Writes `s` padded with spaces to `width` display columns. */
void er_fput_padded(FILE *fp, const char *s, int width, bool right);
/* Formats a number compactly (up to 6 significant digits, no exponent for
 * ordinary magnitudes) into buf. */
const char *er_fmt_num(char *buf, size_t size, double v);
/* Formats fen as yuan with two decimals and thousands separators. */
const char *er_fmt_fen(char *buf, size_t size, int64_t fen);
/* Rounds yuan to fen, half away from zero. */
int64_t er_yuan_to_fen(double yuan);

/* ---- string interning map (util.c) ----------------------------------- */

typedef struct er_strmap {
    char **keys;   /* owned */
    int32_t *ids;  /* open-addressing slots: -1 empty */
    size_t nslots; /* power of two */
    size_t count;
    char **by_id;  /* id -> key (borrowed from keys) */
} er_strmap;

void er_strmap_init(er_strmap *m);
void er_strmap_free(er_strmap *m);
/* The id of `key`, interning it when new; -1 on allocation failure. */
int32_t er_strmap_intern(er_strmap *m, const char *key);
/* The id of `key`, or -1. */
int32_t er_strmap_find(const er_strmap *m, const char *key);
static inline const char *er_strmap_key(const er_strmap *m, int32_t id)
{
    return m->by_id[id];
}

/* ---- digests (digest.c) ------------------------------------------------ */

typedef struct er_sha256 {
    _Alignas(16) unsigned char state[128]; /* opaque; large enough for nettle's ctx */
} er_sha256;

void er_sha256_init(er_sha256 *h);
void er_sha256_update(er_sha256 *h, const void *data, size_t len);
/* Writes 64 hex digits and a NUL into hex. */
void er_sha256_hex(er_sha256 *h, char hex[65]);
void er_sha256_of(const void *data, size_t len, char hex[65]);

/* ---- database (db.c) --------------------------------------------------- */

struct er_db {
    sqlite3 *db;
    char *path;
};

/* Creates every table of the current schema in an empty connection (used by
 * rule tests on in-memory databases). */
int er_db_create_schema(sqlite3 *db);
/* Opens a second, read-only connection on the same file for r:sql, with
 * the defensive settings. */
int er_db_open_reader(const char *path, sqlite3 **out);

/* Closes the handle's connection, and opens it again. Worker processes must
 * not inherit an open SQLite connection (not even an unused one: the
 * library's per-process lock state would be copied), so the engine closes
 * the connection while workers run. Other connections the process holds on
 * the same file must be closed too. */
int er_db_suspend(er_db *db);
int er_db_resume(er_db *db);

/* Tables import and export accept, in load order. */
extern const char *const er_data_tables[];

/* ---- embedded files (generated: embedded.c) ----------------------------- */

typedef struct er_embedded {
    const char *name; /* "sample/region.csv", "lib/stats.lua" */
    const char *data;
    size_t len;
} er_embedded;

extern const er_embedded er_embedded_files[];
extern const size_t er_embedded_count;
const er_embedded *er_embedded_find(const char *name);

/* ---- snapshot (snapshot.c) ------------------------------------------------ */

enum { ER_LEVEL_PROVINCE = 0, ER_LEVEL_CITY, ER_LEVEL_COUNTY, ER_LEVEL_COUNT };
enum { ER_SCOPE_NATIONAL = 0, ER_SCOPE_PROVINCIAL, ER_SCOPE_LOCAL };

extern const char *const er_level_names[ER_LEVEL_COUNT];
extern const char *const er_zone_names[4];
int er_level_parse(const char *s);

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

typedef struct er_transfer {
    uint64_t key; /* region, year, item packed; 0 = empty slot */
    double amount;
} er_transfer;

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

    er_transfer *transfers; /* open addressing */
    size_t transfer_slots;

    struct er_chunk *chunks; /* arena for names, units, bases */

    int32_t *by_level[ER_LEVEL_COUNT]; /* region indices per level, code order */
    int32_t level_count[ER_LEVEL_COUNT];

    int32_t data_year_max; /* latest year with facts, 0 when none */
    char digest[65];       /* SHA-256 of the data read */
} er_snapshot;

/* Reads the data tables into memory (all years of facts). */
int er_snapshot_load(sqlite3 *db, er_snapshot **out);
void er_snapshot_free(er_snapshot *s);

int32_t er_snapshot_region(const er_snapshot *s, const char *code);
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
/* The standard of `scope` in force for `region` in `year` (local: the
 * region's own, else its nearest ancestor's), or NULL. */
const er_standard *er_snapshot_standard(const er_snapshot *s, int32_t key,
                                        int scope, int32_t region,
                                        int32_t year);
/* Provincial share for `tier`; false when none is set. */
bool er_snapshot_share(const er_snapshot *s, int32_t item, int32_t tier,
                       int32_t year, double *out);
double er_snapshot_transfer(const er_snapshot *s, int32_t region,
                            int32_t year, int32_t item);

/* ---- findings ------------------------------------------------------------ */

#define ER_F_MEASURED 0x1u
#define ER_F_REQUIRED 0x2u
#define ER_F_AMOUNT 0x4u

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
} er_finding;

void er_finding_clear(er_finding *f);
int er_outcome_parse(const char *s);

#endif /* ER_INTERNAL_H */
