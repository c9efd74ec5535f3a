/*
 * csv.h - a CSV reader over text held in memory: RFC 4180 plus what
 * spreadsheets write (a UTF-8 byte order mark, LF, CRLF or CR line ends,
 * mixed). It splits records into fields and knows where each one starts; it
 * does not know what the fields mean (import.c does). encoding.c decides
 * whether a file's bytes are UTF-8 or GB18030 (GBK) and gives the reader
 * UTF-8 text whose lines and fields are those of the file.
 */
#ifndef ER_CSV_H
#define ER_CSV_H

#include "store.h"

/* One field of the current record. */
typedef struct er_csv_field {
    const char *data; /* the field's text, unquoted and NUL-terminated;
                         borrowed until the next er_csv_next_record() */
    size_t len;       /* bytes in data, without the NUL */
    long line;        /* 1-based line where the field starts */
    bool quoted;      /* the field was written in double quotes */
} er_csv_field;

typedef struct er_csv {
    const char *name;     /* used in messages; borrowed */
    long line;            /* 1-based line where the current record starts */
    size_t nfields;       /* fields of the current record (at least 1) */
    er_csv_field *fields; /* fields[i] is column i + 1 */
    long empty_lines;     /* entirely empty lines skipped so far (an empty
                             last line included) */

    /* private */
    const char *data;
    size_t len, pos;
    size_t start;  /* offset where the current record starts */
    long pos_line; /* line at pos */
    size_t cap;    /* slots in fields and offs */
    size_t *offs;  /* field start offsets in text */
    er_buf text;   /* the current record's field texts, each NUL-ended */
    int failed;    /* the error returned once, returned again */
    /* set by er_csv_init_text(); er_csv_init() leaves them unset */
    size_t stop;          /* offset of a byte not valid in `encoding`, where
                             reading fails; SIZE_MAX when none */
    const char *encoding; /* named at an invalid byte; NULL = UTF-8 */
    const char *advice;   /* said after "invalid ENC (byte 0xNN)"; NULL =
                             "; save the file as UTF-8" */
} er_csv;

/* Length of the well-formed UTF-8 sequence at s (of at most n > 0 bytes),
 * or 0 when it is not one: overlong forms, surrogates and code points past
 * U+10FFFF are refused. */
size_t er_csv_utf8_len(const unsigned char *s, size_t n);

/* ---- encodings (encoding.c) ---------------------------------------------- */

/* How a file's bytes are to be read (ER_CSV_AUTO: decided by
 * er_csv_decode). */
enum { ER_CSV_AUTO = 0, ER_CSV_UTF8, ER_CSV_GB18030 };

/* A file's text as the reader reads it. */
typedef struct er_csv_text {
    const char *data;     /* UTF-8: the file's own bytes or `owned` */
    size_t len;
    char *owned;          /* the text converted to UTF-8, or NULL */
    const char *encoding; /* "UTF-8" or "GB18030": how the file is read */
    size_t stop;          /* see er_csv.stop */
    char advice[384];     /* see er_csv.advice; "" for the default */
} er_csv_text;

/*
 * Decides how the `len` bytes at `data` (the file `name`) are read and
 * prepares them in *out: a UTF-8 byte order mark means UTF-8; `want`
 * ER_CSV_UTF8 or ER_CSV_GB18030 forces an encoding; otherwise bytes that
 * are not UTF-8 but are GB18030 are read as GB18030 when they read as
 * Chinese text, and bytes that are both are read the way that reads as
 * Chinese text when the other does not (see docs/administrators.md).
 * Bytes that are valid in neither reading are left for the reader to
 * report at their line and column.
 *
 * Fails with ER_EDATA ("name: reason") for a UTF-16 file, a byte order
 * mark that contradicts `want`, and bytes that read plausibly both ways or
 * neither way: that message asks for --encoding. ER_ENOMEM; ER_ERROR when
 * the C library cannot convert GB18030. Release *out with
 * er_csv_text_free() in every case.
 */
int er_csv_decode(er_csv_text *out, const char *name, const char *data,
                  size_t len, int want);
void er_csv_text_free(er_csv_text *t);

/* As er_csv_init(), reading text prepared by er_csv_decode() (which must
 * outlive the reader). */
void er_csv_init_text(er_csv *c, const char *name, const er_csv_text *t);

/*
 * Prepares to read `len` bytes at `data` (which need not be NUL-terminated
 * and must outlive the reader). A leading UTF-8 byte order mark is skipped.
 * `name` prefixes error messages. Never fails; release with er_csv_free().
 */
void er_csv_init(er_csv *c, const char *name, const char *data, size_t len);

/*
 * Reads the next record into c->fields, c->nfields and c->line. Returns 1
 * when a record was read, 0 at the end of the text, or a negative code:
 * ER_EDATA with the message "name:line:column: reason" (column = the field
 * number, 1-based) for an unterminated quoted field (at the line where the
 * field starts), a character after a closing quote, invalid UTF-8 or a NUL
 * byte (at the line where the byte is); ER_ENOMEM. After an error every
 * later call returns the same code.
 *
 * Entirely empty lines are skipped. Inside quotes, "" stands for one quote
 * and a line end LF or CRLF is read as one LF; a lone CR is kept as CR (it
 * still counts as a line end for the line numbers). A quote inside an
 * unquoted field is kept as it is. Nothing limits the size of a field or
 * the number of fields but memory.
 */
int er_csv_next_record(er_csv *c);

/* Where a record starts: er_csv_tell() after er_csv_next_record() gives
 * the current record's; er_csv_seek() to it makes the next
 * er_csv_next_record() read that record again (its lines numbered as
 * before). Seeking is for a reader that has not failed. */
typedef struct er_csv_mark {
    size_t pos;
    long line;
} er_csv_mark;
er_csv_mark er_csv_tell(const er_csv *c);
void er_csv_seek(er_csv *c, er_csv_mark at);

/* Releases what the reader allocated (not `c` itself); accepts NULL. */
void er_csv_free(er_csv *c);

#endif /* ER_CSV_H */
