/*
 * csv.h - a CSV reader over text held in memory: RFC 4180 plus what
 * spreadsheets write (a UTF-8 byte order mark, LF, CRLF or CR line ends,
 * mixed). It splits records into fields and knows where each one starts; it
 * does not know what the fields mean (import.c does).
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

    /* private */
    const char *data;
    size_t len, pos;
    long pos_line; /* line at pos */
    size_t cap;    /* slots in fields and offs */
    size_t *offs;  /* field start offsets in text */
    er_buf text;   /* the current record's field texts, each NUL-ended */
    int failed;    /* the error returned once, returned again */
} er_csv;

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
 * and a line end (CRLF, CR or LF) is read as one LF. A quote inside an
 * unquoted field is kept as it is. Nothing limits the size of a field or
 * the number of fields but memory.
 */
int er_csv_next_record(er_csv *c);

/* Releases what the reader allocated (not `c` itself); accepts NULL. */
void er_csv_free(er_csv *c);

#endif /* ER_CSV_H */
