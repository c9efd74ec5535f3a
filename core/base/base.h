/*
 * base.h - the base layer (core/base/): errors, fault injection, buffers,
 * strings, digests, the text writers and the files embedded at build time.
 * Every other layer builds on it; it depends on nothing but the public
 * header and the C library. Not part of the public API.
 */
#ifndef ER_BASE_H
#define ER_BASE_H

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
/* Rounds yuan to fen, half away from zero; `yuan` must pass
 * er_yuan_fits_fen. */
int64_t er_yuan_to_fen(double yuan);
/* Whether `yuan` is finite and its fen, rounded as er_yuan_to_fen rounds,
 * fit in 64 bits. */
bool er_yuan_fits_fen(double yuan);

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

/* ---- text writers (text.c) ------------------------------------------------ */

/* Formats `v` with the fewest significant digits (15 to 17) that read back
 * as the same double, '.' as the decimal point whatever the locale; returns
 * buf. NaN and infinities are written as "nan", "inf" and "-inf". */
const char *er_fmt_exact(char *buf, size_t size, double v);

/* Formats fen as yuan with two decimals and no thousands separators
 * ("-1234.50"), as CSV and JSON write amounts; returns buf. */
const char *er_fmt_fen_plain(char *buf, size_t size, int64_t fen);

/* Writes `s` as one CSV field: quoted (with quotes doubled) when it holds a
 * comma, a quote, a line end or leading or trailing blanks; NULL as an
 * empty field. */
void er_csv_put(FILE *fp, const char *s);

/* Writes `s` as a JSON string with its quotes; NULL as null. Control
 * characters are escaped; UTF-8 passes through. */
void er_json_put(FILE *fp, const char *s);

/* Writes `s` with &, <, >, " and ' escaped for HTML text and attributes. */
void er_html_put(FILE *fp, const char *s);

/* ER_ERROR with the message "<what>: cannot write: <reason>" when `fp` has
 * an error, else ER_OK. */
int er_check_written(FILE *fp, const char *what);

/* ---- embedded files (generated: embedded.c) ----------------------------- */

typedef struct er_embedded {
    const char *name; /* "sample/region.csv", "lib/stats.lua" */
    const char *data;
    size_t len;
} er_embedded;

extern const er_embedded er_embedded_files[];
extern const size_t er_embedded_count;
const er_embedded *er_embedded_find(const char *name);

#endif /* ER_BASE_H */
