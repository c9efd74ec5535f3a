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

/* Compiled in only when ER_FAULT_INJECTION is defined (CMake option
 * EQUIRULE_FAULT_INJECTION, on for the test build); otherwise these do
 * nothing and EQUIRULE_FAULT is not read. */
#ifdef ER_FAULT_INJECTION
/* Acts on EQUIRULE_FAULT at the named point: kill:POINT raises SIGKILL,
 * stall:POINT[=S] sleeps S seconds (2 by default). No-op without it. */
void er_fault_point(const char *point);
/* Whether EQUIRULE_FAULT lists `kind:ARG`; copies ARG into buf. */
bool er_fault_arg(const char *kind, char *buf, size_t size);
#else
static inline void er_fault_point(const char *point)
{
    (void)point;
}
static inline bool er_fault_arg(const char *kind, char *buf, size_t size)
{
    (void)kind, (void)buf, (void)size;
    return false;
}
#endif

/* ---- growable byte buffer (util.c) ----------------------------------- */

/*
 * A string builder. Its error is sticky, as sqlite3_str's is: once an
 * append fails (out of memory), every later append does nothing and
 * returns the same error, and the text can only be taken through
 * er_buf_detach / er_buf_status / er_buf_write, which report it. So a
 * writer may append without checking each call and check once, at the end;
 * running out of memory never yields silently truncated text.
 */
typedef struct er_buf {
    char *data; /* NUL-terminated while len < cap; do not read it while err */
    size_t len;
    size_t cap;
    size_t max; /* growing past max bytes fails as out of memory; 0: no cap */
    int err;    /* ER_OK, or the first append's error (sticky) */
} er_buf;

void er_buf_init(er_buf *b);
void er_buf_free(er_buf *b);
/* Each returns ER_OK, or the buffer's error (ER_ENOMEM), set once. */
int er_buf_add(er_buf *b, const void *data, size_t len);
int er_buf_puts(er_buf *b, const char *s);
int er_buf_printf(er_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends `name` as a double-quoted SQL identifier (quotes doubled), as
 * SQLite's "%w" does inside quotes. */
int er_buf_sql_ident(er_buf *b, const char *name);
/* The buffer's error: ER_OK, or ER_ENOMEM with the message set. */
int er_buf_status(const er_buf *b);
/* Hands the buffer's memory to the caller (NUL-terminated, never NULL on
 * success) and resets the buffer. NULL, with the message set and the
 * memory freed, when any append failed: never a truncated text. */
char *er_buf_detach(er_buf *b);
/* Writes the text to `fp`; the buffer's error (nothing written) when an
 * append failed. Write errors are the caller's to check
 * (er_check_written). */
int er_buf_write(const er_buf *b, FILE *fp);

char *er_strdup(const char *s);
/* Reads a whole file; the result is NUL-terminated. */
int er_read_file(const char *path, char **out, size_t *len_out);
/* Writes or reads all `len` bytes of a pipe or file, retrying after
 * EINTR; 0, or -1 (errno set; for a read, also at end of file). */
int er_write_all(int fd, const void *data, size_t len);
int er_read_all(int fd, void *data, size_t len);
/* The monotonic clock in nanoseconds. */
int64_t er_now_ns(void);
/* The folder for temporary files: $TMPDIR, else /tmp. */
const char *er_tmpdir(void);
/* An anonymous temporary file in er_tmpdir(), gone when closed or when
 * the process dies; NULL with errno set when it cannot be created. */
FILE *er_tmpfile(void);

/* Display width of a UTF-8 string on a terminal (CJK counts 2). */
int er_display_width(const char *s);
/* Writes `s` as terminal text (er_text_put ER_TEXT_TERM) padded with
 * spaces to `width` display columns. */
void er_fput_padded(FILE *fp, const char *s, int width, bool right);
/* Formats a number compactly (up to 6 significant digits, no exponent for
 * ordinary magnitudes) into buf. */
const char *er_fmt_num(char *buf, size_t size, double v);
/* Formats fen as yuan with two decimals and thousands separators. */
const char *er_fmt_fen(char *buf, size_t size, int64_t fen);
/* Rounds yuan to fen: the shortest decimal that reads back as `yuan`
 * (%.15g, %.16g or %.17g, as er_fmt_exact finds it), rounded half away
 * from zero at the second decimal in decimal arithmetic (1.005 -> 101,
 * 2.675 -> 268). `yuan` must pass er_yuan_fits_fen. */
int64_t er_yuan_to_fen(double yuan);
/* The largest magnitude of fen a float amount may have: past 2^53 a double
 * cannot hold every fen, so the rule's arithmetic has already lost money. */
#define ER_FEN_FLOAT_MAX 9007199254740992LL /* 2^53 */
/* Whole yuan to fen (x 100), exactly; false when it does not fit in 64
 * bits. Integer amounts from rules go through here. */
bool er_int_yuan_to_fen(int64_t yuan, int64_t *fen);
/* Adds `fen` to *sum; false (and *sum unusable) when the total does not
 * fit in 64 bits. Every sum of money goes through here. */
static inline bool er_fen_add(int64_t *sum, int64_t fen)
{
    return !__builtin_add_overflow(*sum, fen, sum);
}
/* Whether `yuan` is finite and its fen, rounded as er_yuan_to_fen rounds,
 * are at most ER_FEN_FLOAT_MAX in magnitude. */
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

/* ---- "did you mean" (suggest.c) --------------------------------------- */

/*
 * The one candidate closest to `word` by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbouring bytes), when it
 * is close enough to be the word meant: none for a single byte, at most 1
 * edit for words of up to 4 bytes, 2 up to 8, 3 beyond. NULL when none is that close, or when two
 * are equally close. Returns one of `candidates` (borrowed); NULL entries
 * are skipped.
 */
const char *er_suggest(const char *word, const char *const *candidates,
                       size_t n);

/* ---- digests (digest.c) ------------------------------------------------ */

typedef struct er_sha256 {
    _Alignas(16) unsigned char state[128]; /* opaque; large enough for nettle's ctx */
} er_sha256;

void er_sha256_init(er_sha256 *h);
void er_sha256_update(er_sha256 *h, const void *data, size_t len);
/* Writes 64 hex digits and a NUL into hex. */
void er_sha256_hex(er_sha256 *h, char hex[65]);
void er_sha256_of(const void *data, size_t len, char hex[65]);

/* ---- text writers (text.c) ------------------------------------------- */

/*
 * Every piece of text that leaves equirule from data or rules (names,
 * notes, units, titles, paths, messages) is written through er_text_put
 * (to a FILE) or er_text_add (to an er_buf), the same escaper behind both.
 * Whatever the kind, the output is valid UTF-8: each byte that does not
 * begin a valid UTF-8 sequence is written as U+FFFD. It holds no raw
 * control character but those the kind keeps: JSON escapes the others
 * (\u001b), terminal text shows them as \xNN (ESC as \x1b), the other
 * kinds as U+FFFD. NULL is written as nothing (JSON: null).
 */
typedef enum er_text_kind {
    /* One CSV field: quoted, with quotes doubled, when it is empty or holds
     * a comma, a quote, a line end, or leading or trailing blanks; line
     * ends and tabs are kept. */
    ER_TEXT_CSV,
    /* One CSV field bound for a spreadsheet (--excel): as ER_TEXT_CSV, and
     * a field that begins with =, +, -, @, tab or CR and is not a number
     * is prefixed with ' so that no spreadsheet reads it as a formula. */
    ER_TEXT_CSV_SHEET,
    /* A JSON string with its quotes: ", \ and control characters escaped
     * (\n, \u001b). */
    ER_TEXT_JSON,
    /* HTML or XML text or attribute value: &, <, >, " and ' as entities,
     * line end, return and tab as character references. */
    ER_TEXT_HTML,
    /* A Markdown table cell: | \ * ` [ ] # escaped with a backslash, <, >
     * and & as entities, line ends and tabs as spaces. */
    ER_TEXT_MD,
    /* A terminal: line end, return and tab shown as \n, \r and \t, C1
     * controls as \u0080..\u009f. */
    ER_TEXT_TERM,
    /* Whole lines for a terminal (a text built with its line ends): as
     * ER_TEXT_TERM, but line ends are kept. */
    ER_TEXT_LINES,
} er_text_kind;

void er_text_put(FILE *fp, er_text_kind kind, const char *s);
void er_text_add(er_buf *b, er_text_kind kind, const char *s);
/* Writes into dst[size] (always NUL-terminated), leaving out what does not
 * fit, never half a character. Allocates nothing. */
void er_text_copy(char *dst, size_t size, er_text_kind kind, const char *s);

static inline void er_csv_put(FILE *fp, const char *s)
{
    er_text_put(fp, ER_TEXT_CSV, s);
}
static inline void er_json_put(FILE *fp, const char *s)
{
    er_text_put(fp, ER_TEXT_JSON, s);
}
static inline void er_html_put(FILE *fp, const char *s)
{
    er_text_put(fp, ER_TEXT_HTML, s);
}
static inline void er_term_put(FILE *fp, const char *s)
{
    er_text_put(fp, ER_TEXT_TERM, s);
}
static inline void er_json_add(er_buf *b, const char *s)
{
    er_text_add(b, ER_TEXT_JSON, s);
}

/* The code point of the control character the UTF-8 text at s (len bytes)
 * begins with, or 0: C0 and DEL, C1 (U+0080-U+009F), and the invisible
 * characters that change how text around them shows (the direction marks
 * and overrides U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, the line and
 * paragraph separators U+2028, U+2029). No output writes them raw; import
 * refuses them. */
unsigned er_utf8_control(const char *s, size_t len);
/* The offset of the first byte of s[0..len) that does not begin a valid
 * UTF-8 sequence, or -1 when it is all valid UTF-8. */
long er_utf8_invalid_at(const char *s, size_t len);

/* The fewest significant digits (15, 16 or 17) with which `v`, a finite
 * number, is written so that it reads back as the same double: the one
 * definition of "the number as written" that exact output and the rounding
 * of money to fen share. */
int er_shortest_digits(double v);

/* Formats `v` with the fewest significant digits (15 to 17) that read back
 * as the same double, '.' as the decimal point whatever the locale; returns
 * buf. NaN and infinities are written as "nan", "inf" and "-inf". */
const char *er_fmt_exact(char *buf, size_t size, double v);

/* Formats fen as yuan with two decimals and no thousands separators
 * ("-1234.50"), as CSV and JSON write amounts; returns buf. */
const char *er_fmt_fen_plain(char *buf, size_t size, int64_t fen);

/* ER_ERROR with the message "<what>: cannot write: <reason>" when `fp` has
 * an error or cannot be flushed, else ER_OK. */
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
