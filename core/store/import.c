/*
 * import.c - loading a CSV file into one data table (er_import_csv,
 * er_import_file): header mapping, validation of every field, references
 * and keys, then the writes, all or nothing under one SAVEPOINT. It owns
 * what a valid row of each data table is; the schema itself is db.c's and
 * the splitting of CSV text is csv.c's.
 */
#include "csv.h"

#include <assert.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Errors collected before reading stops. */
#define MAX_ERRORS ER_IMPORT_MAX_ERRORS

/* Bytes of a value shown in a message before it is cut short. */
#define SHOW_BYTES 40

/* Characters (code points) a text field may hold: the public service
 * list's longest text is some 100; Excel holds at most 32,767 in a cell. */
#define TEXT_MAX_CHARS 4000

#define YEAR_MIN 1949
#define YEAR_MAX 2100

/* What a column holds, which decides how its fields are checked. */
enum kind {
    K_TEXT,   /* free text, stored as written but for the blanks around */
    K_KEY,    /* an identifier (metric key, item code), trimmed */
    K_REGION, /* a 6-digit region code */
    K_LEVEL,  /* province | city | county */
    K_ZONE,   /* core | east | west | north */
    K_SCOPE,  /* national | provincial | local */
    K_INT,    /* a 32-bit integer */
    K_YEAR,   /* an integer in YEAR_MIN..YEAR_MAX */
    K_NUMBER, /* a finite number */
    K_SHARE,  /* a number in 0..1 */
    K_COLOUR, /* "#rrggbb" */
    K_SETTING, /* a setting's key: policy */
    K_MKIND,  /* a metric's kind: count | money | ... (domain.c) */
    K_AGG,    /* a metric's aggregate: none | sum (domain.c) */
    K_BOOL    /* 0 or 1 */
};

struct column_spec {
    const char *name;
    enum kind kind;
    bool required; /* beyond what the schema's NOT NULL asks */
};

/* A column whose value must exist as `key` of `table`. */
struct ref_spec {
    const char *column;
    const char *table;
    const char *key;
};

struct table_spec {
    const char *name;
    const struct column_spec *cols;
    size_t ncols;
    /* The natural key; for tables with spans, the group whose year spans
     * must not overlap. */
    const char *key[3];
    size_t nkey;
    bool spans; /* has year_from..year_to, the key repeats across spans */
    const struct ref_spec *refs;
    size_t nrefs;
};

static const struct column_spec region_cols[] = {
    {"code", K_REGION, true},    {"name", K_TEXT, true},
    {"name_en", K_TEXT, false},  {"level", K_LEVEL, true},
    {"parent", K_REGION, false}, {"zone", K_ZONE, false},
    {"tier", K_INT, false}};
static const struct ref_spec region_refs[] = {{"parent", "region", "code"}};

static const struct column_spec metric_cols[] = {
    {"key", K_KEY, true},
    {"name", K_TEXT, true},
    {"unit", K_TEXT, false},
    {"department", K_TEXT, false},
    {"description", K_TEXT, false},
    {"kind", K_MKIND, false},
    {"integer", K_BOOL, false},
    {"min", K_NUMBER, false},
    {"min_open", K_BOOL, false},
    {"max", K_NUMBER, false},
    {"max_open", K_BOOL, false},
    {"aggregate", K_AGG, false}};

static const struct column_spec fact_cols[] = {{"region", K_REGION, true},
                                               {"year", K_YEAR, true},
                                               {"metric", K_KEY, true},
                                               {"value", K_NUMBER, true},
                                               {"source", K_TEXT, false}};
static const struct ref_spec fact_refs[] = {{"region", "region", "code"},
                                            {"metric", "metric", "key"}};

static const struct column_spec item_cols[] = {
    {"code", K_KEY, true},   {"category", K_TEXT, false},
    {"name", K_TEXT, true},  {"department", K_TEXT, false},
    {"unit", K_TEXT, false}, {"beneficiary_metric", K_KEY, false},
    /* the public service list's texts (schema 14) */
    {"served", K_TEXT, false}, {"content", K_TEXT, false},
    {"responsibility", K_TEXT, false}, {"lead", K_TEXT, false}};
static const struct ref_spec item_refs[] = {
    {"beneficiary_metric", "metric", "key"}};

static const struct column_spec standard_cols[] = {
    {"key", K_KEY, true},        {"scope", K_SCOPE, true},
    {"region", K_REGION, false}, {"year_from", K_YEAR, true},
    {"year_to", K_YEAR, false},  {"value", K_NUMBER, true},
    {"unit", K_TEXT, false},     {"basis", K_TEXT, false}};
static const struct ref_spec standard_refs[] = {{"region", "region", "code"}};

static const struct column_spec share_cols[] = {
    {"item", K_KEY, true},
    {"tier", K_INT, true},
    {"year_from", K_YEAR, true},
    {"year_to", K_YEAR, false},
    {"province_share", K_SHARE, true}};
static const struct ref_spec share_refs[] = {{"item", "item", "code"}};

static const struct column_spec transfer_cols[] = {{"region", K_REGION, true},
                                                   {"year", K_YEAR, true},
                                                   {"item", K_KEY, true},
                                                   {"amount", K_NUMBER, true}};
static const struct ref_spec transfer_refs[] = {{"region", "region", "code"},
                                                {"item", "item", "code"}};

static const struct column_spec split_cols[] = {
    {"city", K_REGION, true},
    {"item", K_KEY, false},
    {"year_from", K_YEAR, true},
    {"year_to", K_YEAR, false},
    {"city_share", K_SHARE, true}};
static const struct ref_spec split_refs[] = {{"city", "region", "code"},
                                             {"item", "item", "code"}};

static const struct column_spec zone_cols[] = {{"code", K_ZONE, true},
                                               {"name", K_TEXT, true},
                                               {"short_name", K_TEXT, false},
                                               {"colour", K_COLOUR, false},
                                               {"sort", K_INT, false}};

static const struct column_spec setting_cols[] = {{"key", K_SETTING, true},
                                                  {"value", K_TEXT, true}};

static const struct column_spec national_average_cols[] = {
    {"key", K_KEY, true},    {"year", K_YEAR, true},
    {"value", K_NUMBER, true}, {"unit", K_TEXT, false},
    {"basis", K_TEXT, false}, {"source", K_TEXT, false}};

static const struct table_spec tables[] = {
    {"region",
     region_cols,
     ER_ARRAY_LEN(region_cols),
     {"code"},
     1,
     false,
     region_refs,
     ER_ARRAY_LEN(region_refs)},
    {"metric",
     metric_cols,
     ER_ARRAY_LEN(metric_cols),
     {"key"},
     1,
     false,
     NULL,
     0},
    {"fact",
     fact_cols,
     ER_ARRAY_LEN(fact_cols),
     {"region", "year", "metric"},
     3,
     false,
     fact_refs,
     ER_ARRAY_LEN(fact_refs)},
    {"item",
     item_cols,
     ER_ARRAY_LEN(item_cols),
     {"code"},
     1,
     false,
     item_refs,
     ER_ARRAY_LEN(item_refs)},
    {"standard",
     standard_cols,
     ER_ARRAY_LEN(standard_cols),
     {"key", "scope", "region"},
     3,
     true,
     standard_refs,
     ER_ARRAY_LEN(standard_refs)},
    {"share",
     share_cols,
     ER_ARRAY_LEN(share_cols),
     {"item", "tier"},
     2,
     true,
     share_refs,
     ER_ARRAY_LEN(share_refs)},
    {"transfer",
     transfer_cols,
     ER_ARRAY_LEN(transfer_cols),
     {"region", "year", "item"},
     3,
     false,
     transfer_refs,
     ER_ARRAY_LEN(transfer_refs)},
    {"split",
     split_cols,
     ER_ARRAY_LEN(split_cols),
     {"city", "item"},
     2,
     true,
     split_refs,
     ER_ARRAY_LEN(split_refs)},
    /* what a county received from its city: as a transfer */
    {"city_transfer",
     transfer_cols,
     ER_ARRAY_LEN(transfer_cols),
     {"region", "year", "item"},
     3,
     false,
     transfer_refs,
     ER_ARRAY_LEN(transfer_refs)},
    {"zone", zone_cols, ER_ARRAY_LEN(zone_cols), {"code"}, 1, false, NULL, 0},
    {"setting",
     setting_cols,
     ER_ARRAY_LEN(setting_cols),
     {"key"},
     1,
     false,
     NULL,
     0},
    {"national_average",
     national_average_cols,
     ER_ARRAY_LEN(national_average_cols),
     {"key", "year"},
     2,
     false,
     NULL,
     0},
};

/* A column of the table as the database has it. */
struct column {
    char *name; /* owned */
    enum kind kind;
    bool required;
    char *dflt; /* the schema's DEFAULT expression, owned, or NULL */
    int field;  /* index in the header, -1 when the file leaves it out */
};

/* How a number was written beside its digits (parse_number). */
struct number_look {
    int per;       /* 100 for a trailing '%', 1000 for '‰', else 1 */
    bool exponent; /* written with an exponent ("1.0761E+11") */
};

/* One field of the current row, checked and converted. */
struct value {
    int type;      /* SQLITE_NULL, SQLITE_TEXT, SQLITE_INTEGER, SQLITE_FLOAT */
    bool ok;       /* the field passed its checks */
    const char *s; /* the (trimmed) text, borrowed from the reader */
    size_t n;
    struct number_look look; /* a number's '%', '‰' or exponent */
    sqlite3_int64 i;
    double d;
};

/* A year span seen in the file, chained per key group. */
struct span {
    int32_t from, to; /* to = INT32_MAX when open */
    long line;
    int32_t next; /* index of the group's previous span, -1 at the end */
};

struct import {
    sqlite3 *db;
    const struct table_spec *spec;
    const char *name;
    unsigned flags;

    struct column *cols;
    size_t ncols;
    size_t nfields; /* fields in the header */
    size_t nused;   /* of which the first nused are named: empty names
                       after the last named column are ignored */
    int key_col[3]; /* columns of spec->key */
    int ref_col[2]; /* columns of spec->refs */
    int from_col, to_col;

    sqlite3_stmt *insert;
    sqlite3_stmt *exists;  /* key tables: SELECT by key; spans: overlap */
    sqlite3_stmt *replace; /* key tables: UPDATE by key; spans: DELETE */
    sqlite3_stmt *history; /* the rows replace ends, into T_history */
    sqlite3_stmt *ref[2];
    sqlite3_stmt *up; /* region.parent: a region's parent, for loops */
    sqlite3_stmt *level; /* a region's level (split, city_transfer) */
    sqlite3_stmt *domain; /* fact: the domain of a metric */
    sqlite3_stmt *nat_std; /* national_average: its national standard */

    er_strmap dom_keys;  /* fact: metric key -> index in doms */
    er_domain *doms;
    size_t doms_cap;

    struct value *vals; /* one per column */

    er_strmap keys;  /* key (or key group) text -> id */
    long *key_lines; /* id -> line of its first row (key tables) */
    int32_t *heads;  /* id -> latest span of the group (span tables) */
    size_t ids_cap;
    struct span *spans;
    size_t nspans, spans_cap;
    er_buf keybuf;

    er_buf errors; /* "name:line:column: reason" lines */
    int nerrors;

    long rows, inserted, replaced, blank;
    long emptied;              /* count_emptied */
    char emptied_columns[256]; /* count_emptied */

    /* region with a parent column: the file's regions, written parents
     * first once every row is valid */
    bool reorder;
    er_strmap file_codes;  /* code -> id, the file's first row of it */
    char **file_parents;   /* id -> its parent in the file, owned, or NULL */
    int8_t *file_levels;   /* id -> its level in the file (ER_LEVEL_*), -1 */
    size_t file_cap;
    long db_regions;       /* regions in the database before the file */
    struct pending *pending; /* the file's rows, in file order */
    size_t npending, pending_cap;

    /* a fact file written by `equirule template` (template_column) */
    size_t unit_field;   /* 1 + index of its unit column; 0 = none */
    sqlite3_stmt *unit;  /* a metric's unit */
    size_t region_name_field, metric_name_field; /* 1 + index; 0 = none */
    sqlite3_stmt *region_name, *metric_name;     /* a code's names */
    long skipped;        /* rows without a value */

    /* rows identical to the stored ones: not written, counted */
    long unchanged;
    bool row_unchanged; /* the current row is one (check_key) */
    bool row_found;     /* replacing: a stored row has the current key */

    int64_t version; /* the data version this import writes */
};

/* A row of a region file waiting to be written. */
struct pending {
    er_csv_mark at;
    int32_t id;    /* in file_codes */
    long depth;    /* its ancestors in the file */
    size_t order;  /* its place in the file */
    bool found;    /* replacing: its code is stored (row_found) */
};

/* ---- messages ---------------------------------------------------------- */

/* Writes `s` (n bytes) into buf as a double-quoted, one-line string, cut
 * after SHOW_BYTES bytes; returns buf. */
static const char *show(char *buf, size_t size, const char *s, size_t n)
{
    size_t o = 0, i = 0;
    assert(size >= SHOW_BYTES * 4 + 8);
    buf[o++] = '"';
    for (; i < n && i < SHOW_BYTES; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)ch;
        } else if (ch == '\n') {
            buf[o++] = '\\';
            buf[o++] = 'n';
        } else if (ch == '\r') {
            buf[o++] = '\\';
            buf[o++] = 'r';
        } else if (ch < 0x20 || ch == 0x7F) {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02X", ch);
        } else if (ch == 0xC2 && i + 1 < n &&
                   (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F) {
            /* a C1 control character: shown, not sent to the terminal */
            o += (size_t)snprintf(buf + o, size - o, "\\u%04X",
                                  (unsigned char)s[++i]);
        } else {
            buf[o++] = (char)ch;
        }
    }
    if (i < n) {
        /* do not leave half a UTF-8 sequence behind */
        while (o > 1 && ((unsigned char)buf[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 1 && (unsigned char)buf[o - 1] >= 0xC0)
            o--;
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

#define SHOW_SIZE (SHOW_BYTES * 4 + 8)

/* Adds one line to the errors unless MAX_ERRORS are already there.
 * Returns ER_OK or ER_ENOMEM. */
static int add_line(struct import *imp, const char *line)
{
    if (imp->nerrors >= MAX_ERRORS)
        return ER_OK;
    if (er_buf_printf(&imp->errors, "%s%s", imp->nerrors ? "\n" : "", line) !=
        ER_OK)
        return ER_ENOMEM;
    imp->nerrors++;
    return ER_OK;
}

/* Adds the error "name:line:column: reason". */
static int add_error(struct import *imp, long line, size_t column,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int add_error(struct import *imp, long line, size_t column,
                     const char *fmt, ...)
{
    char msg[1536];
    int n;
    va_list ap;

    n = snprintf(msg, sizeof msg, "%s:%ld:%zu: ", imp->name, line, column);
    if (n < 0 || (size_t)n >= sizeof msg)
        n = 0;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    return add_line(imp, msg);
}

/* ---- schema and statements --------------------------------------------- */

static const struct table_spec *find_table(const char *name)
{
    for (size_t i = 0; i < ER_ARRAY_LEN(tables); i++)
        if (strcmp(tables[i].name, name) == 0)
            return &tables[i];
    return NULL;
}

/* Whether the n bytes at s spell `word`, ignoring ASCII case. */
static bool same_name(const char *word, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char a = word[i], b = s[i];
        if (a == '\0')
            return false;
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return false;
    }
    return word[n] == '\0';
}

/* The column named `name` (n bytes, any case), or -1. */
static int find_column(const struct import *imp, const char *name, size_t n)
{
    for (size_t j = 0; j < imp->ncols; j++)
        if (same_name(imp->cols[j].name, name, n))
            return (int)j;
    return -1;
}

/* Finds the column `name` that the checks need in *out. */
static int need_column(const struct import *imp, const char *name, int *out)
{
    *out = find_column(imp, name, strlen(name));
    if (*out < 0)
        return er_fail(ER_ERROR,
                       "the %s table of the database has no %s "
                       "column; is it an older equirule database?",
                       imp->spec->name, name);
    return ER_OK;
}

/* Reads the table's columns from the schema; the spec gives their kinds. */
static int load_columns(struct import *imp)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    int rc = ER_OK, src;

    if (sqlite3_prepare_v2(imp->db,
                           "SELECT name, \"notnull\", dflt_value "
                           "FROM pragma_table_info(?1) "
                           /* the data version that wrote the row (version.c):
                            * set by the import, never read from a file */
                           "WHERE name <> 'version'",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = er_fail_sqlite(imp->db, "cannot read the schema");
        goto done;
    }
    sqlite3_bind_text(st, 1, imp->spec->name, -1, SQLITE_STATIC);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *dflt = (const char *)sqlite3_column_text(st, 2);
        if (imp->ncols == cap) {
            cap = cap ? cap * 2 : 8;
            struct column *cols = realloc(imp->cols, cap * sizeof *cols);
            if (!cols) {
                rc = er_fail(ER_ENOMEM, "out of memory");
                goto done;
            }
            imp->cols = cols;
        }
        struct column *c = &imp->cols[imp->ncols];
        memset(c, 0, sizeof *c);
        c->field = -1;
        imp->ncols++;
        if (!(c->name = er_strdup(name)) ||
            (dflt && !(c->dflt = er_strdup(dflt)))) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            goto done;
        }
        c->kind = K_TEXT;
        c->required = sqlite3_column_int(st, 1) && !dflt;
        for (size_t k = 0; k < imp->spec->ncols; k++) {
            if (strcmp(imp->spec->cols[k].name, name) == 0) {
                c->kind = imp->spec->cols[k].kind;
                c->required = c->required || imp->spec->cols[k].required;
            }
        }
    }
    if (src != SQLITE_DONE) {
        rc = er_fail_sqlite(imp->db, "cannot read the schema");
        goto done;
    }
    if (imp->ncols == 0) {
        rc = er_fail(ER_ERROR, "the database has no %s table", imp->spec->name);
        goto done;
    }
    /* the columns this file's checks rely on */
    assert(imp->spec->nrefs <= ER_ARRAY_LEN(imp->ref_col));
    for (size_t k = 0; k < imp->spec->nkey && rc == ER_OK; k++)
        rc = need_column(imp, imp->spec->key[k], &imp->key_col[k]);
    for (size_t k = 0; k < imp->spec->nrefs && rc == ER_OK; k++)
        rc = need_column(imp, imp->spec->refs[k].column, &imp->ref_col[k]);
    imp->from_col = imp->to_col = -1;
    if (imp->spec->spans && rc == ER_OK &&
        (rc = need_column(imp, "year_from", &imp->from_col)) == ER_OK)
        rc = need_column(imp, "year_to", &imp->to_col);
done:
    sqlite3_finalize(st);
    return rc;
}

/* Prepares the text built in `sql` (which it frees) into *out. */
static int prepare(struct import *imp, er_buf *sql, sqlite3_stmt **out)
{
    int rc = er_buf_status(sql);
    if (rc == ER_OK &&
        sqlite3_prepare_v2(imp->db, sql->data, -1, out, NULL) != SQLITE_OK)
        rc = er_fail_sqlite(imp->db, "cannot prepare the import");
    er_buf_free(sql);
    return rc;
}

/* Appends `sep`, the quoted column `name` and `then`. */
static void add_column(er_buf *sql, const char *sep, const char *name,
                       const char *then)
{
    er_buf_puts(sql, sep);
    er_buf_sql_ident(sql, name);
    er_buf_puts(sql, then);
}

/* Appends "k1 IS ?n AND k2 IS ?m ..." for the key columns. */
static void add_key_match(const struct import *imp, er_buf *sql)
{
    for (size_t k = 0; k < imp->spec->nkey; k++) {
        add_column(sql, k ? " AND " : "", imp->cols[imp->key_col[k]].name,
                   " IS ");
        er_buf_printf(sql, "?%d", imp->key_col[k] + 1);
    }
}

/* Appends the condition "the row's span overlaps the span being read". */
static void add_overlap(const struct import *imp, er_buf *sql)
{
    er_buf_printf(sql,
                  " AND year_from <= coalesce(?%d, 2147483647)"
                  " AND coalesce(year_to, 2147483647) >= ?%d",
                  imp->to_col + 1, imp->from_col + 1);
}

static bool is_key_column(const struct import *imp, size_t j)
{
    for (size_t k = 0; k < imp->spec->nkey; k++)
        if (imp->key_col[k] == (int)j)
            return true;
    return false;
}

/* Prepares the statements; in each, parameter ?N is column N - 1. */
static int prepare_statements(struct import *imp)
{
    const char *t = imp->spec->name;
    er_buf sql;
    const char *sep;
    int rc;

    /* INSERT of the columns the file gives */
    er_buf_init(&sql);
    add_column(&sql, "INSERT INTO ", t, "(");
    sep = "";
    for (size_t j = 0; j < imp->ncols; j++) {
        if (imp->cols[j].field >= 0) {
            add_column(&sql, sep, imp->cols[j].name, "");
            sep = ", ";
        }
    }
    er_buf_puts(&sql, ", version) VALUES (");
    for (size_t j = 0; j < imp->ncols; j++)
        if (imp->cols[j].field >= 0)
            er_buf_printf(&sql, "?%d, ", (int)j + 1);
    er_buf_printf(&sql, "?%d)", (int)imp->ncols + 1);
    if ((rc = prepare(imp, &sql, &imp->insert)) != ER_OK)
        return rc;

    /* a row already in the database with the same key, or an overlapping
     * span of the same key group (the earliest) */
    er_buf_printf(&sql, "SELECT %s",
                  imp->spec->spans ? "year_from, year_to" : "1");
    /* a key table's row: the columns the file gives, to tell a row
     * identical to the stored one (same_as_stored) */
    for (size_t j = 0; !imp->spec->spans && j < imp->ncols; j++)
        if (imp->cols[j].field >= 0 && !is_key_column(imp, j))
            add_column(&sql, ", ", imp->cols[j].name, "");
    /* then the columns it leaves out, which a replace would reset */
    for (size_t j = 0; !imp->spec->spans && j < imp->ncols; j++)
        if (imp->cols[j].field < 0 && !is_key_column(imp, j))
            add_column(&sql, ", ", imp->cols[j].name, "");
    add_column(&sql, " FROM ", t, " WHERE ");
    add_key_match(imp, &sql);
    if (imp->spec->spans) {
        add_overlap(imp, &sql);
        er_buf_puts(&sql, " ORDER BY year_from");
    }
    er_buf_puts(&sql, " LIMIT 1");
    if ((rc = prepare(imp, &sql, &imp->exists)) != ER_OK)
        return rc;

    /* replacing: the rows it ends are kept in the table's history, ended
     * by this version (version.c) */
    er_buf_printf(&sql, "INSERT INTO \"%s_history\"(", t);
    for (size_t j = 0; j < imp->ncols; j++)
        add_column(&sql, "", imp->cols[j].name, ", ");
    er_buf_puts(&sql, "version, ended) SELECT ");
    for (size_t j = 0; j < imp->ncols; j++)
        add_column(&sql, "", imp->cols[j].name, ", ");
    er_buf_printf(&sql, "version, ?%d", (int)imp->ncols + 1);
    add_column(&sql, " FROM ", t, " WHERE ");
    add_key_match(imp, &sql);
    if (imp->spec->spans)
        add_overlap(imp, &sql);
    if ((rc = prepare(imp, &sql, &imp->history)) != ER_OK)
        return rc;

    /* replacing: UPDATE by key, a column the file leaves out being set as
     * an INSERT would set it; or DELETE of the overlapping spans */
    if (imp->spec->spans) {
        add_column(&sql, "DELETE FROM ", t, " WHERE ");
        add_key_match(imp, &sql);
        add_overlap(imp, &sql);
    } else {
        add_column(&sql, "UPDATE ", t, " SET ");
        sep = "";
        for (size_t j = 0; j < imp->ncols; j++) {
            const struct column *col = &imp->cols[j];
            if (is_key_column(imp, j))
                continue;
            add_column(&sql, sep, col->name, " = ");
            if (col->field >= 0)
                er_buf_printf(&sql, "?%d", (int)j + 1);
            else
                er_buf_puts(&sql, col->dflt ? col->dflt : "NULL");
            sep = ", ";
        }
        er_buf_printf(&sql, "%sversion = ?%d WHERE ", sep,
                      (int)imp->ncols + 1);
        add_key_match(imp, &sql);
    }
    if ((rc = prepare(imp, &sql, &imp->replace)) != ER_OK)
        return rc;

    for (size_t k = 0; k < imp->spec->nrefs; k++) {
        add_column(&sql, "SELECT 1 FROM ", imp->spec->refs[k].table,
                   " WHERE ");
        add_column(&sql, "", imp->spec->refs[k].key, " = ?1");
        if ((rc = prepare(imp, &sql, &imp->ref[k])) != ER_OK)
            return rc;
    }
    return ER_OK;
}

/* Binds the current row's values to every parameter the statement has. */
static void bind_row(struct import *imp, sqlite3_stmt *st)
{
    int n = sqlite3_bind_parameter_count(st);
    sqlite3_reset(st);
    for (int p = 1; p <= n && (size_t)p <= imp->ncols; p++) {
        const struct value *v = &imp->vals[p - 1];
        switch (v->type) {
        case SQLITE_TEXT:
            sqlite3_bind_text(st, p, v->s, (int)v->n, SQLITE_STATIC);
            break;
        case SQLITE_INTEGER:
            sqlite3_bind_int64(st, p, v->i);
            break;
        case SQLITE_FLOAT:
            sqlite3_bind_double(st, p, v->d);
            break;
        default:
            sqlite3_bind_null(st, p);
        }
    }
}

/* ---- header -------------------------------------------------------------- */

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* Whether a field is empty but for spaces and tabs. */
static bool is_empty(const er_csv_field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->data[i] != ' ' && f->data[i] != '\t')
            return false;
    return true;
}

/* Whether every field of the record is empty (a spreadsheet's ",,,,"). */
static bool is_blank(const er_csv *c)
{
    for (size_t i = 0; i < c->nfields; i++)
        if (!is_empty(&c->fields[i]))
            return false;
    return true;
}

/* ---- the fact template (equirule template) ------------------------------- */

/* Whether header field `field` (s, n bytes) is one of the columns
 * `equirule template` writes beside a fact's: region_name and
 * metric_name (ignored), unit (checked by template_row). */
static bool template_column(struct import *imp, const char *s, size_t n,
                            size_t field)
{
    if (strcmp(imp->spec->name, "fact") != 0)
        return false;
    if (same_name("unit", s, n)) {
        imp->unit_field = field + 1;
        return true;
    }
    if (same_name("region_name", s, n)) {
        imp->region_name_field = field + 1;
        return true;
    }
    if (same_name("metric_name", s, n)) {
        imp->metric_name_field = field + 1;
        return true;
    }
    return false;
}

/* A filled template row's region_name or metric_name, when not empty, must
 * be the name of its row's code: codes and names out of step (a block
 * pasted one row off, a sort of some columns only) would put the value on
 * another region or metric. `name_field` is 1 + the name's field, `code`
 * the column of the code, `sql` reads the code's names. */
static int check_name(struct import *imp, const er_csv *c, size_t name_field,
                      const char *code_col, const char *sql,
                      sqlite3_stmt **st)
{
    char q[SHOW_SIZE], u[SHOW_SIZE];
    int code, rc;
    if (!name_field)
        return ER_OK;
    if ((rc = need_column(imp, code_col, &code)) != ER_OK)
        return rc;
    const er_csv_field *nf = &c->fields[name_field - 1];
    const er_csv_field *cf = &c->fields[imp->cols[code].field];
    const char *name = nf->data, *key = cf->data;
    size_t nn = nf->len, kn = cf->len;
    trim(&name, &nn);
    trim(&key, &kn);
    if (nn == 0)
        return ER_OK;
    if (!*st && sqlite3_prepare_v2(imp->db, sql, -1, st, NULL) != SQLITE_OK)
        return er_fail_sqlite(imp->db, imp->name);
    sqlite3_reset(*st);
    sqlite3_bind_text(*st, 1, key, (int)kn, SQLITE_TRANSIENT);
    if (sqlite3_step(*st) != SQLITE_ROW)
        return ER_OK; /* an unknown code: check_refs says so */
    for (int i = 0; i < sqlite3_column_count(*st); i++) {
        const char *want = (const char *)sqlite3_column_text(*st, i);
        if (want && strlen(want) == nn && memcmp(want, name, nn) == 0)
            return ER_OK;
    }
    const char *want = (const char *)sqlite3_column_text(*st, 0);
    return add_error(imp, nf->line, name_field,
                     "%s %s is not the name of %s %s (%s): the codes and "
                     "names are out of step; correct the row or empty the "
                     "name",
                     strcmp(code_col, "region") == 0 ? "region_name"
                                                     : "metric_name",
                     show(q, sizeof q, name, nn), code_col,
                     show(u, sizeof u, key, kn), want ? want : "");
}

/* A row of a fact file whose value is empty (a template row not filled
 * in) is skipped and counted: *skip. A filled row whose unit column is
 * not empty must name its metric's unit: a value in another unit would
 * be a silent unit mix. */
static int template_row(struct import *imp, const er_csv *c, bool *skip)
{
    char q[SHOW_SIZE], u[SHOW_SIZE];
    int value, metric, rc;
    *skip = false;
    if (strcmp(imp->spec->name, "fact") != 0)
        return ER_OK;
    if ((rc = need_column(imp, "value", &value)) != ER_OK ||
        (rc = need_column(imp, "metric", &metric)) != ER_OK)
        return rc;
    const er_csv_field *v = &c->fields[imp->cols[value].field];
    const char *s = v->data;
    size_t n = v->len;
    trim(&s, &n);
    if (n == 0) {
        imp->skipped++;
        *skip = true;
        return ER_OK;
    }
    if ((rc = check_name(imp, c, imp->region_name_field, "region",
                         "SELECT name, name_en FROM region WHERE code = ?",
                         &imp->region_name)) != ER_OK ||
        (rc = check_name(imp, c, imp->metric_name_field, "metric",
                         "SELECT name FROM metric WHERE key = ?",
                         &imp->metric_name)) != ER_OK)
        return rc;
    if (!imp->unit_field)
        return ER_OK;
    const er_csv_field *uf = &c->fields[imp->unit_field - 1];
    const char *unit = uf->data, *key = c->fields[imp->cols[metric].field].data;
    size_t un = uf->len, kn = c->fields[imp->cols[metric].field].len;
    trim(&unit, &un);
    trim(&key, &kn);
    if (un == 0)
        return ER_OK;
    if (!imp->unit &&
        sqlite3_prepare_v2(imp->db, "SELECT unit FROM metric WHERE key = ?",
                           -1, &imp->unit, NULL) != SQLITE_OK)
        return er_fail_sqlite(imp->db, imp->name);
    sqlite3_reset(imp->unit);
    sqlite3_bind_text(imp->unit, 1, key, (int)kn, SQLITE_TRANSIENT);
    if (sqlite3_step(imp->unit) != SQLITE_ROW)
        return ER_OK; /* an unknown metric: check_refs says so */
    const char *want = (const char *)sqlite3_column_text(imp->unit, 0);
    if (want && strlen(want) == un && memcmp(want, unit, un) == 0)
        return ER_OK;
    if (!want)
        return add_error(imp, uf->line, imp->unit_field,
                         "unit %s, but metric %s declares no unit: leave "
                         "the unit column empty or declare the unit "
                         "(import metric)",
                         show(q, sizeof q, unit, un),
                         show(u, sizeof u, key, kn));
    return add_error(imp, uf->line, imp->unit_field,
                     "unit %s is not the unit of %s (%s): convert the value "
                     "to %s",
                     show(q, sizeof q, unit, un), show(u, sizeof u, key, kn),
                     want, want);
}

/* Maps the header's fields to columns; errors for unknown, repeated and
 * missing required columns. Empty names after the last named column (a
 * spreadsheet's empty columns) are ignored. */
static int read_header(struct import *imp, const er_csv *c)
{
    char q[SHOW_SIZE];
    int rc;

    imp->nfields = imp->nused = c->nfields;
    while (imp->nused > 1 && is_empty(&c->fields[imp->nused - 1]))
        imp->nused--;
    for (size_t i = 0; i < imp->nused; i++) {
        const char *s = c->fields[i].data;
        size_t n = c->fields[i].len;
        trim(&s, &n);
        int j = find_column(imp, s, n);
        if (j < 0 && template_column(imp, s, n, i)) {
            rc = ER_OK;
        } else if (j < 0) {
            er_buf known;
            er_buf_init(&known);
            for (size_t k = 0; k < imp->ncols; k++)
                er_buf_printf(&known, "%s%s", k ? ", " : "", imp->cols[k].name);
            rc = add_error(imp, c->fields[i].line, i + 1,
                           "unknown column %s; %s has %s",
                           show(q, sizeof q, s, n), imp->spec->name,
                           known.data ? known.data : "");
            er_buf_free(&known);
        } else if (imp->cols[j].field >= 0) {
            rc = add_error(imp, c->fields[i].line, i + 1,
                           "duplicate column %s (also column %d)",
                           show(q, sizeof q, s, n), imp->cols[j].field + 1);
        } else {
            imp->cols[j].field = (int)i;
            rc = ER_OK;
        }
        if (rc != ER_OK)
            return rc;
    }
    for (size_t j = 0; j < imp->ncols; j++) {
        if (imp->cols[j].required && imp->cols[j].field < 0 &&
            (rc = add_error(imp, c->line, 1, "missing required column \"%s\"",
                            imp->cols[j].name)) != ER_OK)
            return rc;
    }
    return ER_OK;
}

/* ---- fields -------------------------------------------------------------- */

static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* How a number field reads (parse_number). */
enum number_form {
    NUMBER_OK,
    NUMBER_BAD,      /* not a decimal number */
    NUMBER_GROUPING, /* thousands separators not in groups of three */
    NUMBER_COMMA,    /* "0,123": a decimal comma, not a thousands separator */
};

/* Parses a whole decimal number (no hex, inf or nan) regardless of the
 * locale. Thousands separators are accepted when they split the digits
 * before the point into groups of three ("1,234,567.50") and the first
 * group is not a lone or leading 0 ("0,123" is a decimal comma); never
 * with an exponent. A trailing '%' or '‰' (without an exponent) divides
 * by 100 or 1000 exactly, the decimal's exponent lowered before it is
 * converted, and sets look->per; the caller decides whether the value's
 * unit wants that (fraction_value). */
static enum number_form parse_number(const char *s, size_t n, double *out,
                                     struct number_look *look)
{
    static const char permille[] = "\xe2\x80\xb0"; /* ‰ in UTF-8 */
    size_t i = 0, digits = 0, o = 0;
    char small[64];
    char *buf = small;
    enum number_form form = NUMBER_BAD;

    look->per = 1;
    look->exponent = false;
    if (n > 0 && s[n - 1] == '%') {
        look->per = 100;
        n--;
    } else if (n >= 3 && memcmp(s + n - 3, permille, 3) == 0) {
        look->per = 1000;
        n -= 3;
    }
    for (size_t k = 0; k < n; k++)
        if (!strchr("0123456789+-.,eE", s[k]) || s[k] == '\0')
            return NUMBER_BAD;
    if (n + 4 > sizeof small && !(buf = malloc(n + 4)))
        return NUMBER_BAD;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        buf[o++] = s[i++];
    /* the integer part, perhaps grouped: 1-3 digits not starting with 0,
     * then ",ddd" groups */
    size_t group = 0, start = i;
    bool grouped = false;
    for (; i < n && (is_digit(s[i]) || s[i] == ','); i++) {
        if (s[i] == ',') {
            if (!grouped && group > 0 && s[start] == '0') {
                form = NUMBER_COMMA;
                goto done;
            }
            if (group == 0 || group > 3 || (grouped && group != 3)) {
                form = NUMBER_GROUPING;
                goto done;
            }
            grouped = true;
            group = 0;
            continue;
        }
        buf[o++] = s[i];
        digits++;
        group++;
    }
    if (grouped && group != 3) {
        form = NUMBER_GROUPING;
        goto done;
    }
    if (i < n && s[i] == '.')
        for (buf[o++] = s[i++]; i < n && is_digit(s[i]); i++, digits++)
            buf[o++] = s[i];
    if (digits == 0)
        goto done;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp_digits = 0;
        if (grouped) {
            form = NUMBER_GROUPING;
            goto done;
        }
        look->exponent = true;
        buf[o++] = s[i++];
        if (i < n && (s[i] == '+' || s[i] == '-'))
            buf[o++] = s[i++];
        for (; i < n && is_digit(s[i]); i++, exp_digits++)
            buf[o++] = s[i];
        if (exp_digits == 0)
            goto done;
    }
    if (i != n || (look->per > 1 && look->exponent))
        goto done;
    if (look->per > 1) {
        memcpy(buf + o, look->per == 100 ? "e-2" : "e-3", 3);
        o += 3;
    }
    buf[o] = '\0';

    const char *point = localeconv()->decimal_point;
    if (point && point[0] && point[0] != '.' && !point[1]) {
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = point[0];
    }
    *out = strtod(buf, NULL);
    form = NUMBER_OK;
done:
    if (buf != small)
        free(buf);
    return form;
}

/* Parses a whole decimal integer. */
static bool parse_int(const char *s, size_t n, sqlite3_int64 *out)
{
    size_t i = 0;
    char buf[32];

    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i == n || n >= sizeof buf)
        return false;
    for (; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    long long v = strtoll(buf, NULL, 10);
    if (errno == ERANGE)
        return false;
    *out = v;
    return true;
}

/* Finds the first control character in the n bytes of UTF-8 at s (C0, DEL,
 * C1, a direction mark or override, a line separator: er_utf8_control).
 * Returns its offset, or n when there is none; *cp_out receives its code
 * point. */
static size_t find_control(const char *s, size_t n, unsigned *cp_out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned cp = er_utf8_control(s + i, n - i);
        if (cp) {
            *cp_out = cp;
            return i;
        }
    }
    return n;
}

/* Trims the blanks around a text: spaces (U+0020) and ideographic spaces
 * (U+3000, 全角空格). A tab is not a blank here: check_control refuses it. */
static void trim_text(const char **s, size_t *n)
{
    for (;;) {
        if (*n && **s == ' ') {
            (*s)++;
            (*n)--;
        } else if (*n >= 3 && memcmp(*s, "\xE3\x80\x80", 3) == 0) {
            *s += 3;
            *n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (*n && (*s)[*n - 1] == ' ')
            (*n)--;
        else if (*n >= 3 && memcmp(*s + *n - 3, "\xE3\x80\x80", 3) == 0)
            *n -= 3;
        else
            break;
    }
}

/* Refuses a text longer than TEXT_MAX_CHARS characters: no report
 * shows it whole, and Excel refuses a cell of more than 32,767. */
static int check_length(struct import *imp, const struct column *col,
                        const er_csv_field *f, struct value *v)
{
    char q[SHOW_SIZE];
    size_t chars = 0;
    for (size_t i = 0; i < v->n; i++)
        chars += ((unsigned char)v->s[i] & 0xC0) != 0x80;
    if (chars <= TEXT_MAX_CHARS)
        return ER_OK;
    v->ok = false;
    return add_error(imp, f->line, (size_t)col->field + 1,
                     "%s %s is %zu characters long; a text may hold at most "
                     "%d characters",
                     col->name, show(q, sizeof q, v->s, v->n), chars,
                     TEXT_MAX_CHARS);
}

/* Refuses a text field holding a control character (a tab, a line break
 * inside quotes, ...): it would be stored and shown in every report. */
static int check_control(struct import *imp, const struct column *col,
                         const er_csv_field *f, struct value *v)
{
    char q[SHOW_SIZE];
    unsigned cp = 0;
    size_t at = find_control(v->s, v->n, &cp);
    if (at == v->n)
        return ER_OK;
    long line = f->line;
    for (const char *p = f->data; p < v->s + at; p++)
        line += *p == '\n' || *p == '\r'; /* a lone CR ends a line too */
    v->ok = false;
    return add_error(imp, line, (size_t)col->field + 1,
                     "%s %s holds the control character U+%04X; text may "
                     "not hold control characters (tabs, line breaks)",
                     col->name, show(q, sizeof q, v->s, v->n), cp);
}

/* Checks a field that must be one of `words` (domain.c): "level "town"
 * must be province, city or county", the list as the domain has it; a
 * column that may be empty says so ("core, east, west, north or empty"). */
static int check_word(struct import *imp, const struct column *col,
                      const er_csv_field *f, struct value *v,
                      const char *const *words, int count)
{
    char q[SHOW_SIZE], list[ER_WORDS_TEXT];

    if ((v->ok = er_word_find(words, count, v->s, v->n) >= 0))
        return ER_OK;
    return add_error(
        imp, f->line, (size_t)col->field + 1, "%s %s must be %s%s", col->name,
        show(q, sizeof q, v->s, v->n),
        er_words_text(list, sizeof list, words, count,
                      col->required ? " or " : ", "),
        col->required ? "" : " or empty");
}

/* Checks and converts field `f` for column `col` into `v`. */
static int read_field(struct import *imp, const struct column *col,
                      const er_csv_field *f, struct value *v)
{
    char q[SHOW_SIZE];
    size_t column = (size_t)col->field + 1;
    const char *s = f->data;
    size_t n = f->len;

    memset(v, 0, sizeof *v);
    v->type = SQLITE_NULL;
    v->ok = true;
    if (col->kind != K_TEXT)
        trim(&s, &n);
    else
        trim_text(&s, &n);
    v->s = s;
    v->n = n;
    if (n == 0) {
        if (!col->required)
            return ER_OK;
        v->ok = false;
        return add_error(imp, f->line, column, "%s must not be empty",
                         col->name);
    }

    v->type = SQLITE_TEXT;
    switch (col->kind) {
    case K_TEXT:
    case K_KEY: {
        int rc = check_length(imp, col, f, v);
        if (rc != ER_OK || !v->ok)
            return rc;
        return check_control(imp, col, f, v);
    }
    case K_REGION:
        v->ok = n == 6;
        for (size_t i = 0; i < n && v->ok; i++)
            v->ok = is_digit(s[i]);
        if (v->ok)
            return ER_OK;
        return add_error(imp, f->line, column, "%s code %s must be 6 digits",
                         strcmp(col->name, "code") == 0 ? "region" : col->name,
                         show(q, sizeof q, s, n));
    case K_LEVEL:
        return check_word(imp, col, f, v, er_level_names, ER_LEVEL_COUNT);
    case K_ZONE:
        return check_word(imp, col, f, v, er_zone_names, ER_ZONE_COUNT);
    case K_COLOUR:
        v->ok = n == 7 && s[0] == '#';
        for (size_t i = 1; i < n && v->ok; i++)
            v->ok = strchr("0123456789abcdefABCDEF", s[i]) != NULL;
        if (v->ok)
            return ER_OK;
        return add_error(imp, f->line, column,
                         "colour %s must be #rrggbb (six hex digits)",
                         show(q, sizeof q, s, n));
    case K_SETTING:
        return check_word(imp, col, f, v, er_setting_names, ER_SETTING_COUNT);
    case K_SCOPE:
        return check_word(imp, col, f, v, er_scope_names, ER_SCOPE_COUNT);
    case K_MKIND:
        return check_word(imp, col, f, v, er_metric_kind_names, ER_MKIND_N);
    case K_AGG:
        return check_word(imp, col, f, v, er_aggregate_names, ER_AGG_N);
    case K_BOOL:
        v->type = SQLITE_INTEGER;
        if (parse_int(s, n, &v->i) && (v->i == 0 || v->i == 1))
            return ER_OK;
        v->ok = false;
        return add_error(imp, f->line, column, "%s %s must be 0 or 1%s",
                         col->name, show(q, sizeof q, s, n),
                         col->required ? "" : " or empty");
    case K_INT:
    case K_YEAR:
        v->type = SQLITE_INTEGER;
        if (!parse_int(s, n, &v->i)) {
            v->ok = false;
            return add_error(imp, f->line, column, "%s %s is not an integer",
                             col->name, show(q, sizeof q, s, n));
        }
        if (col->kind == K_YEAR && (v->i < YEAR_MIN || v->i > YEAR_MAX)) {
            v->ok = false;
            return add_error(imp, f->line, column, "%s %lld is outside %d..%d",
                             col->name, (long long)v->i, YEAR_MIN, YEAR_MAX);
        }
        if (v->i < INT32_MIN || v->i > INT32_MAX) {
            v->ok = false;
            return add_error(imp, f->line, column, "%s %s is out of range",
                             col->name, show(q, sizeof q, s, n));
        }
        return ER_OK;
    case K_NUMBER:
    case K_SHARE:
        v->type = SQLITE_FLOAT;
        switch (parse_number(s, n, &v->d, &v->look)) {
        case NUMBER_OK:
            break;
        case NUMBER_COMMA:
            v->ok = false;
            return add_error(imp, f->line, column,
                             "%s %s is not a number: a thousands-grouped "
                             "number does not start with 0; if it is a "
                             "decimal comma, write a decimal point (0.123)",
                             col->name, show(q, sizeof q, s, n));
        case NUMBER_GROUPING:
            v->ok = false;
            return add_error(imp, f->line, column,
                             "%s %s is not a number: thousands separators "
                             "must split the digits before the decimal "
                             "point into groups of three (1,234,567.50)",
                             col->name, show(q, sizeof q, s, n));
        default:
            v->ok = false;
            return add_error(imp, f->line, column, "%s %s is not a number",
                             col->name, show(q, sizeof q, s, n));
        }
        if (v->look.per > 1 && col->kind != K_SHARE &&
            !(strcmp(imp->spec->name, "fact") == 0 &&
              strcmp(col->name, "value") == 0)) {
            v->ok = false;
            return add_error(imp, f->line, column,
                             "%s %s: a percent is accepted only for the "
                             "values of ratio and rate metrics (fact) and "
                             "for shares",
                             col->name, show(q, sizeof q, s, n));
        }
        if (!isfinite(v->d)) {
            v->ok = false;
            return add_error(imp, f->line, column,
                             "%s %s is not a finite number", col->name,
                             show(q, sizeof q, s, n));
        }
        if (col->kind == K_SHARE && !(v->d >= 0.0 && v->d <= 1.0)) {
            v->ok = false;
            return add_error(imp, f->line, column, "%s %s is outside 0..1",
                             col->name, show(q, sizeof q, s, n));
        }
        return ER_OK;
    }
    return ER_OK;
}

/* ---- rows ---------------------------------------------------------------- */

static size_t column_of(const struct import *imp, int col)
{
    return (size_t)imp->cols[col].field + 1;
}

static long line_of(const struct import *imp, const er_csv *c, int col)
{
    return c->fields[imp->cols[col].field].line;
}

/* Writes the row's key into msg as `code "440100"` or `region "440100",
 * year 2019, metric "pop.resident"` (NULL parts left out). */
static void describe_key(const struct import *imp, char *msg, size_t size)
{
    char q[SHOW_SIZE];
    size_t o = 0;
    msg[0] = '\0';
    for (size_t k = 0; k < imp->spec->nkey && o < size; k++) {
        const struct value *v = &imp->vals[imp->key_col[k]];
        const char *name = imp->cols[imp->key_col[k]].name;
        int w;
        if (v->type == SQLITE_NULL)
            continue;
        if (v->type == SQLITE_INTEGER)
            w = snprintf(msg + o, size - o, "%s%s %lld", o ? ", " : "", name,
                         (long long)v->i);
        else
            w = snprintf(msg + o, size - o, "%s%s %s", o ? ", " : "", name,
                         show(q, sizeof q, v->s, v->n));
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

static void describe_span(char *buf, size_t size, int32_t from, int32_t to)
{
    if (to == INT32_MAX)
        snprintf(buf, size, "%d..", (int)from);
    else
        snprintf(buf, size, "%d..%d", (int)from, (int)to);
}

/* Whether every key column of the row is valid. */
static bool key_ok(const struct import *imp)
{
    for (size_t k = 0; k < imp->spec->nkey; k++)
        if (!imp->vals[imp->key_col[k]].ok)
            return false;
    return true;
}

/* Appends one part of a key's text to b: the parts of two keys are equal
 * when their values are. */
static int add_key_part(er_buf *b, const struct value *v)
{
    if (v->type == SQLITE_NULL)
        return er_buf_puts(b, "-;");
    if (v->type == SQLITE_INTEGER)
        return er_buf_printf(b, "%lld;", (long long)v->i);
    if (er_buf_printf(b, "%zu:", v->n) != ER_OK ||
        er_buf_add(b, v->s, v->n) != ER_OK)
        return ER_ENOMEM;
    return er_buf_puts(b, ";");
}

/* Interns the row's key; *id_out is its id, *is_new whether it is new. */
static int intern_key(struct import *imp, int32_t *id_out, bool *is_new)
{
    imp->keybuf.len = 0;
    for (size_t k = 0; k < imp->spec->nkey; k++) {
        int rc = add_key_part(&imp->keybuf, &imp->vals[imp->key_col[k]]);
        if (rc != ER_OK)
            return rc;
    }
    size_t before = imp->keys.count;
    int32_t id = er_strmap_intern(&imp->keys, imp->keybuf.data);
    if (id < 0)
        return er_fail(ER_ENOMEM, "out of memory");
    if ((size_t)id >= imp->ids_cap) {
        size_t cap = imp->ids_cap ? imp->ids_cap * 2 : 256;
        while (cap <= (size_t)id)
            cap *= 2;
        long *lines = realloc(imp->key_lines, cap * sizeof *lines);
        if (lines)
            imp->key_lines = lines;
        int32_t *heads =
            lines ? realloc(imp->heads, cap * sizeof *heads) : NULL;
        if (!heads)
            return er_fail(ER_ENOMEM, "out of memory");
        imp->heads = heads;
        imp->ids_cap = cap;
    }
    *is_new = imp->keys.count > before;
    *id_out = id;
    return ER_OK;
}

/* Runs a one-row SELECT; *found receives whether it gave a row. The
 * statement is left on that row for the caller to read. */
static int step_exists(struct import *imp, sqlite3_stmt *st, bool *found)
{
    int src = sqlite3_step(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE)
        return er_fail_sqlite(imp->db, imp->name);
    *found = src == SQLITE_ROW;
    return ER_OK;
}

static int write_row(struct import *imp, const er_csv *c);

/* The parent of region `code` as the import will leave it: the file's
 * row when the file has one, else the database's. *out is NULL when it has
 * none (or is not a region); a database parent is copied into buf. */
static int parent_of(struct import *imp, const char *code, char *buf,
                     size_t size, const char **out)
{
    *out = NULL;
    int32_t id = er_strmap_find(&imp->file_codes, code);
    if (id >= 0) {
        *out = imp->file_parents[id];
        return ER_OK;
    }
    if (!imp->up &&
        sqlite3_prepare_v2(imp->db, "SELECT parent FROM region WHERE code = ?1",
                           -1, &imp->up, NULL) != SQLITE_OK)
        return er_fail_sqlite(imp->db, imp->name);
    sqlite3_reset(imp->up);
    sqlite3_bind_text(imp->up, 1, code, -1, SQLITE_STATIC);
    int src = sqlite3_step(imp->up);
    if (src != SQLITE_ROW && src != SQLITE_DONE) {
        int rc = er_fail_sqlite(imp->db, imp->name);
        sqlite3_reset(imp->up);
        return rc;
    }
    const char *p =
        src == SQLITE_ROW ? (const char *)sqlite3_column_text(imp->up, 0) : NULL;
    if (p && strlen(p) < size) {
        snprintf(buf, size, "%s", p);
        *out = buf;
    }
    sqlite3_reset(imp->up);
    return ER_OK;
}

/* A parent whose chain leads back to the row (through the file's rows and
 * the database's): the regions would loop, and no run could evaluate them.
 * The walk stops after as many steps as there are regions. */
static int check_loop(struct import *imp, const er_csv *c,
                      const struct ref_spec *ref, int col,
                      const struct value *v)
{
    const struct value *key = &imp->vals[imp->key_col[0]];
    char cur[64], up[64], path[256], q[SHOW_SIZE];
    int rc = ER_OK;
    long limit = imp->db_regions + (long)imp->file_codes.count + 1;

    if (!key->ok || key->type != SQLITE_TEXT || v->n >= sizeof cur)
        return ER_OK;
    memcpy(cur, v->s, v->n);
    cur[v->n] = '\0';
    snprintf(path, sizeof path, "%s", cur);
    for (long step = 0; step < limit; step++) {
        const char *p = NULL;
        if ((rc = parent_of(imp, cur, up, sizeof up, &p)) != ER_OK || !p ||
            strlen(p) >= sizeof cur)
            break;
        size_t len = strlen(path);
        if (len + 1 < sizeof path)
            snprintf(path + len, sizeof path - len, " -> %s", p);
        if (strlen(p) == key->n && memcmp(p, key->s, key->n) == 0) {
            rc = add_error(imp, line_of(imp, c, col), column_of(imp, col),
                           "%s %s leads back to %.*s (%s): the %ss would "
                           "loop",
                           ref->column, show(q, sizeof q, v->s, v->n),
                           (int)key->n, key->s, path, ref->column);
            break;
        }
        memmove(cur, p, strlen(p) + 1);
    }
    return rc;
}

/* Region files may list regions in any order: before the rows are checked,
 * the file's codes and parents are read (scan_regions); a parent is then
 * looked for in the whole file, and the rows are written parents first
 * (defer_row, write_deferred). */
static int scan_regions(struct import *imp, er_csv *c)
{
    int code_f = imp->cols[imp->key_col[0]].field;
    int parent_f = imp->cols[imp->ref_col[0]].field;
    int level_c = find_column(imp, "level", 5);
    int level_f = level_c >= 0 ? imp->cols[level_c].field : -1;
    sqlite3_stmt *st = NULL;
    int more;

    if (sqlite3_prepare_v2(imp->db, "SELECT count(*) FROM region", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return er_fail_sqlite(imp->db, imp->name);
    }
    imp->db_regions = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    imp->reorder = true;
    /* a reading error is left for the checking pass to report */
    while ((more = er_csv_next_record(c)) == 1) {
        if (is_blank(c) || code_f < 0 || (size_t)code_f >= c->nfields)
            continue;
        const char *code = c->fields[code_f].data;
        size_t n = c->fields[code_f].len;
        trim(&code, &n);
        char key[64];
        if (n == 0 || n >= sizeof key)
            continue;
        memcpy(key, code, n);
        key[n] = '\0';
        size_t before = imp->file_codes.count;
        int32_t id = er_strmap_intern(&imp->file_codes, key);
        if (id < 0)
            return er_fail(ER_ENOMEM, "out of memory");
        if (imp->file_codes.count == before)
            continue; /* a repeated code: the checks say so */
        if ((size_t)id >= imp->file_cap) {
            size_t cap = imp->file_cap ? imp->file_cap * 2 : 64;
            while (cap <= (size_t)id)
                cap *= 2;
            char **p = realloc(imp->file_parents, cap * sizeof *p);
            if (!p)
                return er_fail(ER_ENOMEM, "out of memory");
            memset(p + imp->file_cap, 0, (cap - imp->file_cap) * sizeof *p);
            imp->file_parents = p;
            int8_t *l = realloc(imp->file_levels, cap * sizeof *l);
            if (!l)
                return er_fail(ER_ENOMEM, "out of memory");
            memset(l + imp->file_cap, -1, (cap - imp->file_cap) * sizeof *l);
            imp->file_levels = l;
            imp->file_cap = cap;
        }
        if (level_f >= 0 && (size_t)level_f < c->nfields) {
            const char *l = c->fields[level_f].data;
            size_t ln = c->fields[level_f].len;
            trim(&l, &ln);
            imp->file_levels[id] =
                (int8_t)er_word_find(er_level_names, ER_LEVEL_COUNT, l, ln);
        }
        if (parent_f >= 0 && (size_t)parent_f < c->nfields) {
            const char *p = c->fields[parent_f].data;
            size_t pn = c->fields[parent_f].len;
            trim(&p, &pn);
            if (pn) {
                if (!(imp->file_parents[id] = malloc(pn + 1)))
                    return er_fail(ER_ENOMEM, "out of memory");
                memcpy(imp->file_parents[id], p, pn);
                imp->file_parents[id][pn] = '\0';
            }
        }
    }
    return more == ER_ENOMEM ? more : ER_OK;
}

/* Keeps a valid region row for write_deferred. */
static int defer_row(struct import *imp, const er_csv *c)
{
    const struct value *key = &imp->vals[imp->key_col[0]];
    char code[64];
    if (imp->npending == imp->pending_cap) {
        size_t cap = imp->pending_cap ? imp->pending_cap * 2 : 64;
        struct pending *p = realloc(imp->pending, cap * sizeof *p);
        if (!p)
            return er_fail(ER_ENOMEM, "out of memory");
        imp->pending = p;
        imp->pending_cap = cap;
    }
    snprintf(code, sizeof code, "%.*s", (int)key->n, key->s);
    imp->pending[imp->npending] =
        (struct pending){er_csv_tell(c),
                         er_strmap_find(&imp->file_codes, code), 0,
                         imp->npending, imp->row_found};
    imp->npending++;
    return ER_OK;
}

static int by_depth(const void *a, const void *b)
{
    const struct pending *x = a, *y = b;
    if (x->depth != y->depth)
        return x->depth < y->depth ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Writes the deferred rows, each region after its parent (by the number of
 * its ancestors in the file, then in file order); the checks have refused
 * loops. */
static int write_deferred(struct import *imp, er_csv *c)
{
    int rc = ER_OK;
    for (size_t k = 0; k < imp->npending; k++) {
        struct pending *p = &imp->pending[k];
        const char *parent = p->id >= 0 ? imp->file_parents[p->id] : NULL;
        long depth = 0;
        while (parent && depth <= (long)imp->file_codes.count) {
            int32_t id = er_strmap_find(&imp->file_codes, parent);
            if (id < 0)
                break;
            depth++;
            parent = imp->file_parents[id];
        }
        p->depth = depth;
    }
    if (imp->npending > 1) /* qsort of no rows: no array at all */
        qsort(imp->pending, imp->npending, sizeof *imp->pending, by_depth);
    for (size_t k = 0; k < imp->npending && !imp->nerrors; k++) {
        er_csv_seek(c, imp->pending[k].at);
        if ((rc = er_csv_next_record(c)) != 1)
            return rc < 0 ? rc : er_fail(ER_ERROR, "%s: cannot read again",
                                         imp->name);
        for (size_t j = 0; j < imp->ncols; j++) {
            struct value *v = &imp->vals[j];
            if (imp->cols[j].field < 0) {
                memset(v, 0, sizeof *v);
                v->type = SQLITE_NULL;
                v->ok = true;
                continue;
            }
            rc = read_field(imp, &imp->cols[j],
                            &c->fields[imp->cols[j].field], v);
            if (rc != ER_OK)
                return rc;
        }
        imp->row_found = imp->pending[k].found;
        if ((rc = write_row(imp, c)) != ER_OK)
            return rc;
    }
    return ER_OK;
}

/* The level (ER_LEVEL_*) of region code s (n bytes) in the database, in
 * *level; -1 when the database has no such region. */
static int db_region_level(struct import *imp, const char *s, size_t n,
                           int *level)
{
    int rc;
    *level = -1;
    if (!imp->level) {
        er_buf sql;
        er_buf_init(&sql);
        er_buf_puts(&sql, "SELECT level FROM region WHERE code = ?1");
        if ((rc = prepare(imp, &sql, &imp->level)) != ER_OK)
            return rc;
    }
    sqlite3_reset(imp->level);
    sqlite3_bind_text(imp->level, 1, s, (int)n, SQLITE_STATIC);
    bool found = false;
    if ((rc = step_exists(imp, imp->level, &found)) != ER_OK)
        return rc;
    if (found)
        *level = er_level_parse((const char *)sqlite3_column_text(imp->level, 0));
    sqlite3_reset(imp->level);
    return ER_OK;
}

/* The region a row names must be of one level: a split is a city's, a
 * city_transfer is paid to a county (by its city). Runs after check_refs,
 * so the region is known to exist when it is valid. */
static int check_level(struct import *imp, const er_csv *c)
{
    const char *column, *want;
    if (strcmp(imp->spec->name, "split") == 0)
        column = "city", want = "city";
    else if (strcmp(imp->spec->name, "city_transfer") == 0)
        column = "region", want = "county";
    else
        return ER_OK;
    int col = find_column(imp, column, strlen(column));
    if (col < 0)
        return ER_OK;
    const struct value *v = &imp->vals[col];
    if (!v->ok || v->type != SQLITE_TEXT)
        return ER_OK;
    int level, rc;
    if ((rc = db_region_level(imp, v->s, v->n, &level)) != ER_OK)
        return rc;
    if (level < 0 || strcmp(er_level_names[level], want) == 0)
        return ER_OK;
    char q[SHOW_SIZE];
    return add_error(imp, line_of(imp, c, col), column_of(imp, col),
                     "%s %s is a %s; a %s row names a %s", column,
                     show(q, sizeof q, v->s, v->n), er_level_names[level],
                     imp->spec->name, want);
}

/* A region's parent is of the level just above its own: a city's the
 * province, a county's a city (a county the province governs directly is
 * modelled under a city), as integrity refuses at run time: a county under
 * the province would be left out of every aggregate over a city's
 * counties. The parent's level is the file's row when it has one, else
 * the database's. */
static int check_parent_level(struct import *imp, const er_csv *c, int col,
                              const struct value *v)
{
    int lc = find_column(imp, "level", 5);
    if (lc < 0 || !imp->vals[lc].ok || imp->vals[lc].type != SQLITE_TEXT ||
        v->n >= 64)
        return ER_OK;
    int level = er_word_find(er_level_names, ER_LEVEL_COUNT, imp->vals[lc].s,
                             imp->vals[lc].n);
    char code[64];
    memcpy(code, v->s, v->n);
    code[v->n] = '\0';
    int up = -1, rc;
    int32_t id = er_strmap_find(&imp->file_codes, code);
    if (id >= 0 && imp->file_levels) {
        up = imp->file_levels[id];
    } else if ((rc = db_region_level(imp, code, v->n, &up)) != ER_OK) {
        return rc;
    }
    if (level <= 0 || up < 0 || up == level - 1)
        return ER_OK;
    char q[SHOW_SIZE];
    return add_error(imp, line_of(imp, c, col), column_of(imp, col),
                     "parent %s is a %s: a %s's parent must be a %s, or "
                     "every aggregate over the %s of a %s leaves it out",
                     show(q, sizeof q, v->s, v->n), er_level_names[up],
                     er_level_names[level], er_level_names[level - 1],
                     er_level_plurals[level], er_level_names[level - 1]);
}

/* References to other rows: in the database, or (for region.parent)
 * earlier in the file. */
static int check_refs(struct import *imp, const er_csv *c)
{
    char q[SHOW_SIZE];
    int rc;

    for (size_t k = 0; k < imp->spec->nrefs; k++) {
        const struct ref_spec *ref = &imp->spec->refs[k];
        int col = imp->ref_col[k];
        const struct value *v = &imp->vals[col];
        bool self = strcmp(ref->table, imp->spec->name) == 0;
        bool found = false;

        if (!v->ok || v->type == SQLITE_NULL)
            continue;
        if (self) {
            const struct value *key = &imp->vals[imp->key_col[0]];
            if (key->ok && key->n == v->n && memcmp(key->s, v->s, v->n) == 0) {
                if ((rc = add_error(
                         imp, line_of(imp, c, col), column_of(imp, col),
                         "%s %s is the %s itself", ref->column,
                         show(q, sizeof q, v->s, v->n), ref->table)) != ER_OK)
                    return rc;
                continue;
            }
            /* the table's key is this one column: look in the file */
            char code[64];
            if (v->n < sizeof code) {
                memcpy(code, v->s, v->n);
                code[v->n] = '\0';
                found = er_strmap_find(&imp->file_codes, code) >= 0;
            }
        }
        if (!found) {
            sqlite3_stmt *st = imp->ref[k];
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, v->s, (int)v->n, SQLITE_STATIC);
            if ((rc = step_exists(imp, st, &found)) != ER_OK)
                return rc;
            sqlite3_reset(st);
        }
        if (found && self) {
            int before = imp->nerrors; /* a loop is said once, alone */
            if ((rc = check_loop(imp, c, ref, col, v)) != ER_OK ||
                (imp->nerrors == before &&
                 (rc = check_parent_level(imp, c, col, v)) != ER_OK))
                return rc;
        }
        if (found)
            continue;
        if (self)
            rc = add_error(imp, line_of(imp, c, col), column_of(imp, col),
                           "%s %s %s is not in the database or in the file",
                           ref->column, ref->table,
                           show(q, sizeof q, v->s, v->n));
        else
            rc = add_error(imp, line_of(imp, c, col), column_of(imp, col),
                           "%s %s is not in the database", ref->table,
                           show(q, sizeof q, v->s, v->n));
        if (rc != ER_OK)
            return rc;
    }
    return ER_OK;
}

/* The domain of metric `key` (n bytes) as the database has it, or NULL
 * when the metric is not there (check_refs says so). */
static int find_domain(struct import *imp, const char *key, size_t n,
                       const er_domain **out)
{
    char k[256];
    *out = NULL;
    if (n >= sizeof k)
        return ER_OK;
    memcpy(k, key, n);
    k[n] = '\0';
    int32_t id = er_strmap_find(&imp->dom_keys, k);
    if (id >= 0) {
        *out = &imp->doms[id];
        return ER_OK;
    }
    if (!imp->domain &&
        sqlite3_prepare_v2(imp->db,
                           "SELECT " ER_DOMAIN_COLUMNS
                           " FROM metric WHERE key = ?1",
                           -1, &imp->domain, NULL) != SQLITE_OK)
        return er_fail_sqlite(imp->db, "cannot read the metric domains");
    sqlite3_reset(imp->domain);
    sqlite3_bind_text(imp->domain, 1, k, -1, SQLITE_STATIC);
    int src = sqlite3_step(imp->domain);
    if (src == SQLITE_DONE) {
        sqlite3_reset(imp->domain);
        return ER_OK;
    }
    if (src != SQLITE_ROW)
        return er_fail_sqlite(imp->db, imp->name);
    if ((id = er_strmap_intern(&imp->dom_keys, k)) < 0)
        return er_fail(ER_ENOMEM, "out of memory");
    if ((size_t)id >= imp->doms_cap) {
        size_t cap = imp->doms_cap ? imp->doms_cap * 2 : 64;
        er_domain *d = realloc(imp->doms, cap * sizeof *d);
        if (!d)
            return er_fail(ER_ENOMEM, "out of memory");
        imp->doms = d;
        imp->doms_cap = cap;
    }
    er_domain_from_row(imp->domain, 0, &imp->doms[id]);
    sqlite3_reset(imp->domain);
    *out = &imp->doms[id];
    return ER_OK;
}

/* A value written with '%' or '‰' (parse_number divided it by 100 or
 * 1000), for a ratio or rate metric: a metric kept as a fraction (no unit,
 * or unit 1) stores the fraction, 5% -> 0.05; a metric kept in % (or ‰)
 * stores the number in that unit, 5% -> 5, and refuses the other sign;
 * any other unit, or another kind, refuses both signs. */
static int per_value(struct import *imp, const er_csv *c, int vcol,
                     const er_domain *d, int kn, const char *ks)
{
    struct value *v = &imp->vals[vcol];
    const char *sign = v->look.per == 100 ? "%" : "\xe2\x80\xb0";
    const char *unit = d->unit;
    long line = line_of(imp, c, vcol);
    size_t column = column_of(imp, vcol);

    if (d->kind != ER_MKIND_RATIO && d->kind != ER_MKIND_RATE) {
        v->ok = false;
        return add_error(imp, line, column,
                         "%.*s for metric %.*s (%s%s): a percent is "
                         "accepted only for ratio and rate metrics",
                         (int)v->n, v->s, kn, ks,
                         d->kind >= 0 ? "kind " : "no kind declared",
                         d->kind >= 0 ? er_metric_kind_names[d->kind] : "");
    }
    if (unit[0] == '\0' || strcmp(unit, "1") == 0)
        return ER_OK; /* a fraction: 5% is 0.05 */
    if (strcmp(unit, sign) == 0) {
        /* kept in that unit: the number as written, without its sign */
        size_t n = v->n - strlen(sign);
        struct number_look look;
        if (parse_number(v->s, n, &v->d, &look) != NUMBER_OK) {
            v->ok = false;
            return add_error(imp, line, column, "%.*s is not a number",
                             (int)v->n, v->s);
        }
        return ER_OK;
    }
    v->ok = false;
    return add_error(imp, line, column,
                     "%.*s for metric %.*s, which is kept in %s: write the "
                     "value in %s without the %s sign",
                     (int)v->n, v->s, kn, ks, unit, unit, sign);
}

/* The value of a fact, the amount of a transfer, the value of a standard:
 * within the domain of its metric, money or standards (er_domain). */
static int check_domain(struct import *imp, const er_csv *c)
{
    char why[256];
    const char *t = imp->spec->name;
    bool transfer =
        strcmp(t, "transfer") == 0 || strcmp(t, "city_transfer") == 0;
    const char *value_name = transfer ? "amount" : "value";
    int vcol = find_column(imp, value_name, strlen(value_name));
    er_domain fixed;
    const er_domain *d = NULL;
    const struct value *key = NULL;
    int rc;

    if (vcol < 0 || !imp->vals[vcol].ok ||
        imp->vals[vcol].type != SQLITE_FLOAT)
        return ER_OK;
    const struct value *v = &imp->vals[vcol];
    if (strcmp(t, "fact") == 0) {
        key = &imp->vals[find_column(imp, "metric", 6)];
        if (!key->ok || key->type != SQLITE_TEXT)
            return ER_OK;
        if ((rc = find_domain(imp, key->s, key->n, &d)) != ER_OK || !d)
            return rc;
    } else if (transfer) {
        key = &imp->vals[find_column(imp, "item", 4)];
        er_domain_transfer(&fixed);
        d = &fixed;
    } else if (strcmp(t, "standard") == 0) {
        key = &imp->vals[find_column(imp, "key", 3)];
        er_domain_standard(&fixed);
        d = &fixed;
    } else if (strcmp(t, "national_average") == 0) {
        key = &imp->vals[find_column(imp, "key", 3)];
        er_domain_average(&fixed);
        d = &fixed;
    } else {
        return ER_OK;
    }
    /* a key (control characters refused) is shown as it is */
    bool named = key && key->ok && key->type == SQLITE_TEXT && key->n < 80;
    int kn = named ? (int)key->n : 1;
    const char *ks = named ? key->s : "?";
    if (v->look.per > 1) {
        if ((rc = per_value(imp, c, vcol, d, kn, ks)) != ER_OK ||
            !imp->vals[vcol].ok)
            return rc;
    }
    if (!er_domain_check(d, v->d, why, sizeof why)) {
        imp->vals[vcol].ok = false;
        /* a number as written (parse_number passed it) is shown as is */
        return add_error(imp, line_of(imp, c, vcol), column_of(imp, vcol),
                         "%s %.*s for %.*s is out of its domain: %s",
                         value_name, (int)v->n, v->s, kn, ks, why);
    }
    /* a spreadsheet shows a number of 12 or more digits as 1.0761E+11
     * and saves it so: money and counts are whole, never rounded */
    if (v->look.exponent &&
        (d->kind == ER_MKIND_MONEY || d->kind == ER_MKIND_COUNT)) {
        imp->vals[vcol].ok = false;
        return add_error(imp, line_of(imp, c, vcol), column_of(imp, vcol),
                         "%s for %.*s (kind %s) looks like a spreadsheet's "
                         "rounded display (%.*s): format the column as a "
                         "number with all its digits and save again",
                         value_name, kn, ks,
                         er_metric_kind_names[d->kind], (int)v->n, v->s);
    }
    return ER_OK;
}

/* A national average is compared by the short board with the national
 * standard of its key in force that year: that standard must exist (an
 * item whose standard is set per part takes an average per part) and the
 * average must be in its unit, which both must state. The standards are
 * imported first. */
static int check_average(struct import *imp, const er_csv *c)
{
    if (strcmp(imp->spec->name, "national_average") != 0)
        return ER_OK;
    int kc = find_column(imp, "key", 3), yc = find_column(imp, "year", 4);
    int uc = find_column(imp, "unit", 4);
    const struct value *key = &imp->vals[kc], *year = &imp->vals[yc];
    const struct value *unit = &imp->vals[uc];
    if (!key->ok || key->type != SQLITE_TEXT || !year->ok ||
        year->type != SQLITE_INTEGER || !unit->ok)
        return ER_OK;
    if (!imp->nat_std &&
        sqlite3_prepare_v2(
            imp->db,
            "SELECT (SELECT coalesce(unit, '') FROM standard WHERE key = ?1 "
            "AND scope = 'national' AND year_from <= ?2 AND "
            "coalesce(year_to, 2147483647) >= ?2 LIMIT 1), "
            "(SELECT group_concat(k, ', ') FROM (SELECT DISTINCT key AS k "
            "FROM standard WHERE scope = 'national' AND substr(key, 1, "
            "length(?1) + 1) = ?1 || '.' AND year_from <= ?2 AND "
            "coalesce(year_to, 2147483647) >= ?2 ORDER BY key))",
            -1, &imp->nat_std, NULL) != SQLITE_OK)
        return er_fail_sqlite(imp->db, "cannot read the national standards");
    sqlite3_reset(imp->nat_std);
    sqlite3_bind_text(imp->nat_std, 1, key->s, (int)key->n, SQLITE_STATIC);
    sqlite3_bind_int64(imp->nat_std, 2, year->i);
    if (sqlite3_step(imp->nat_std) != SQLITE_ROW) {
        sqlite3_reset(imp->nat_std);
        return er_fail_sqlite(imp->db, imp->name);
    }
    char q[SHOW_SIZE], want[64], parts[512];
    bool has_std = sqlite3_column_type(imp->nat_std, 0) != SQLITE_NULL;
    er_text_copy(want, sizeof want, ER_TEXT_TERM,
                 has_std ? (const char *)sqlite3_column_text(imp->nat_std, 0)
                         : "");
    er_text_copy(parts, sizeof parts, ER_TEXT_TERM,
                 sqlite3_column_type(imp->nat_std, 1) != SQLITE_NULL
                     ? (const char *)sqlite3_column_text(imp->nat_std, 1)
                     : "");
    sqlite3_reset(imp->nat_std);
    show(q, sizeof q, key->s, key->n);
    if (!has_std && parts[0])
        return add_error(imp, line_of(imp, c, kc), column_of(imp, kc),
                         "key %s names an item whose national standard is "
                         "set per part (%s): the short board reads an "
                         "average per part, never this one; give one for "
                         "each part",
                         q, parts);
    if (!has_std)
        return add_error(imp, line_of(imp, c, kc), column_of(imp, kc),
                         "no national standard of key %s is in force in "
                         "%lld: the short board compares an average with "
                         "the national standard, whose unit says what the "
                         "average is per (import the standard first)",
                         q, (long long)year->i);
    /* the unit column may be absent from the file: the key's place */
    int at = imp->cols[uc].field >= 0 ? uc : kc;
    bool empty = unit->type == SQLITE_NULL || unit->n == 0;
    if (!want[0] && empty)
        return ER_OK; /* neither states one: the same, unknown, unit */
    if (!want[0])
        return add_error(imp, line_of(imp, c, at), column_of(imp, at),
                         "the national standard of key %s in force in %lld "
                         "has no unit: the unit of the average cannot be "
                         "checked against it",
                         q, (long long)year->i);
    if (empty)
        return add_error(imp, line_of(imp, c, at), column_of(imp, at),
                         "unit is empty; the national standard of key %s "
                         "is in %s: the short board compares the two, so "
                         "the average must state the same unit",
                         q, want);
    if (unit->n != strlen(want) || memcmp(unit->s, want, unit->n) != 0) {
        char u[SHOW_SIZE];
        return add_error(imp, line_of(imp, c, at), column_of(imp, at),
                         "unit %s differs from the national standard's %s "
                         "(key %s): the short board compares the two",
                         show(u, sizeof u, unit->s, unit->n), want, q);
    }
    return ER_OK;
}

/* Checks between fields: the span of years, the region of a standard,
 * the bounds of a metric's domain, values within their domain. */
static int check_row(struct import *imp, const er_csv *c)
{
    int rc = ER_OK;

    if ((rc = check_domain(imp, c)) != ER_OK)
        return rc;
    if ((rc = check_average(imp, c)) != ER_OK)
        return rc;
    if (strcmp(imp->spec->name, "metric") == 0) {
        int lo = find_column(imp, "min", 3), hi = find_column(imp, "max", 3);
        if (lo >= 0 && hi >= 0 && imp->vals[lo].ok && imp->vals[hi].ok &&
            imp->vals[lo].type == SQLITE_FLOAT &&
            imp->vals[hi].type == SQLITE_FLOAT &&
            imp->vals[lo].d > imp->vals[hi].d) {
            imp->vals[hi].ok = false;
            return add_error(imp, line_of(imp, c, hi), column_of(imp, hi),
                             "max %.*s is below min %.*s",
                             (int)imp->vals[hi].n, imp->vals[hi].s,
                             (int)imp->vals[lo].n, imp->vals[lo].s);
        }
        /* a sum of ratios, rates, per-unit amounts or indices means
         * nothing: the parent's value is not its children's sum */
        int kc = find_column(imp, "kind", 4);
        int ac = find_column(imp, "aggregate", 9);
        if (kc >= 0 && ac >= 0 && imp->vals[kc].ok && imp->vals[ac].ok &&
            imp->vals[kc].type == SQLITE_TEXT &&
            imp->vals[ac].type == SQLITE_TEXT &&
            er_word_find(er_aggregate_names, ER_AGG_N, imp->vals[ac].s,
                         imp->vals[ac].n) == ER_AGG_SUM) {
            int kind = er_word_find(er_metric_kind_names, ER_MKIND_N,
                                    imp->vals[kc].s, imp->vals[kc].n);
            if (kind >= 0 && !er_aggregate_allowed(kind)) {
                imp->vals[ac].ok = false;
                return add_error(
                    imp, line_of(imp, c, ac), column_of(imp, ac),
                    "aggregate sum is meaningless for a metric of kind %s "
                    "(a parent's %s is not the sum of its children's); "
                    "leave aggregate empty or write none",
                    er_metric_kind_names[kind], er_metric_kind_names[kind]);
            }
        }
    }

    if (imp->from_col >= 0 && imp->to_col >= 0) {
        struct value *from = &imp->vals[imp->from_col];
        struct value *to = &imp->vals[imp->to_col];
        if (from->ok && to->ok && from->type == SQLITE_INTEGER &&
            to->type == SQLITE_INTEGER && to->i < from->i) {
            to->ok = false;
            rc = add_error(imp, line_of(imp, c, imp->to_col),
                           column_of(imp, imp->to_col),
                           "year_to %lld is before year_from %lld",
                           (long long)to->i, (long long)from->i);
            if (rc != ER_OK)
                return rc;
        }
    }
    if (strcmp(imp->spec->name, "standard") == 0) {
        int scope_col = find_column(imp, "scope", 5);
        int region_col = find_column(imp, "region", 6);
        struct value *scope = &imp->vals[scope_col];
        struct value *region = &imp->vals[region_col];
        if (!scope->ok || scope->type == SQLITE_NULL)
            return ER_OK;
        bool local = er_word_find(er_scope_names, ER_SCOPE_COUNT, scope->s,
                                  scope->n) == ER_SCOPE_LOCAL;
        int at = imp->cols[region_col].field >= 0 ? region_col : scope_col;
        if (local && region->type == SQLITE_NULL) {
            scope->ok = false;
            rc = add_error(imp, line_of(imp, c, at), column_of(imp, at),
                           "a local standard needs a region");
        } else if (!local && region->type != SQLITE_NULL) {
            region->ok = false;
            rc = add_error(imp, line_of(imp, c, at), column_of(imp, at),
                           "a %.*s standard has no region; leave region "
                           "empty",
                           (int)scope->n, scope->s);
        }
    }
    return rc;
}

/* Whether the stored row the exists statement stands on (a key table's)
 * holds, in every column the file gives, what the current row holds: a
 * row imported again as it is, e.g. a template's pre-filled value. */
static bool same_as_stored(const struct import *imp)
{
    int k = 1;
    for (size_t j = 0; j < imp->ncols; j++) {
        if (imp->cols[j].field < 0 || is_key_column(imp, j))
            continue;
        const struct value *v = &imp->vals[j];
        sqlite3_stmt *st = imp->exists;
        int type = sqlite3_column_type(st, k);
        bool same;
        switch (v->type) {
        case SQLITE_NULL:
            same = type == SQLITE_NULL;
            break;
        case SQLITE_TEXT:
            same = type == SQLITE_TEXT &&
                   (size_t)sqlite3_column_bytes(st, k) == v->n &&
                   memcmp(sqlite3_column_text(st, k), v->s, v->n) == 0;
            break;
        case SQLITE_INTEGER:
            same = type == SQLITE_INTEGER &&
                   sqlite3_column_int64(st, k) == v->i;
            break;
        default:
            same = (type == SQLITE_FLOAT || type == SQLITE_INTEGER) &&
                   sqlite3_column_double(st, k) == v->d;
        }
        if (!same)
            return false;
        k++;
    }
    /* replacing: the columns the file leaves out are reset, so the row
     * stays as it is only where they hold what the reset writes */
    if (imp->flags & ER_IMPORT_REPLACE) {
        for (size_t j = 0; j < imp->ncols; j++) {
            if (imp->cols[j].field >= 0 || is_key_column(imp, j))
                continue;
            if (imp->cols[j].dflt ||
                sqlite3_column_type(imp->exists, k) != SQLITE_NULL)
                return false;
            k++;
        }
    }
    return true;
}

/* Keys: a key repeated in the file, or (without REPLACE) already in the
 * database; for tables with spans, overlapping spans of one key group. */
static int check_key(struct import *imp, const er_csv *c)
{
    char key[512], span[32], other[32];
    int32_t id = -1;
    bool is_new = false, found = false;
    int rc;
    int first = imp->key_col[0];
    long line = line_of(imp, c, first);
    size_t column = column_of(imp, first);

    if (!key_ok(imp))
        return ER_OK;
    if ((rc = intern_key(imp, &id, &is_new)) != ER_OK)
        return rc;
    describe_key(imp, key, sizeof key);

    if (!imp->spec->spans) {
        if (!is_new)
            return add_error(imp, line, column, "%s is also on line %ld", key,
                             imp->key_lines[id]);
        imp->key_lines[id] = c->line;
        bind_row(imp, imp->exists);
        if ((rc = step_exists(imp, imp->exists, &found)) != ER_OK)
            return rc;
        bool same = found && same_as_stored(imp);
        sqlite3_reset(imp->exists);
        imp->row_found = found;
        if (!found)
            return ER_OK;
        if (same) {
            /* not written again: no new version of the row */
            imp->row_unchanged = true;
            return ER_OK;
        }
        if (imp->flags & ER_IMPORT_REPLACE)
            return ER_OK;
        return add_error(imp, line, column,
                         "%s is already in the database; use --replace", key);
    }

    const struct value *from = &imp->vals[imp->from_col];
    const struct value *to = &imp->vals[imp->to_col];
    if (!from->ok || !to->ok)
        return ER_OK;
    int32_t f = (int32_t)from->i;
    int32_t t = to->type == SQLITE_NULL ? INT32_MAX : (int32_t)to->i;
    line = line_of(imp, c, imp->from_col);
    column = column_of(imp, imp->from_col);
    describe_span(span, sizeof span, f, t);
    if (is_new)
        imp->heads[id] = -1;
    for (int32_t s = imp->heads[id]; s >= 0; s = imp->spans[s].next) {
        if (imp->spans[s].from <= t && f <= imp->spans[s].to) {
            describe_span(other, sizeof other, imp->spans[s].from,
                          imp->spans[s].to);
            return add_error(imp, line, column,
                             "%s: years %s overlap line %ld (%s)", key, span,
                             imp->spans[s].line, other);
        }
    }
    if (imp->nspans == imp->spans_cap) {
        size_t cap = imp->spans_cap ? imp->spans_cap * 2 : 64;
        struct span *spans = realloc(imp->spans, cap * sizeof *spans);
        if (!spans)
            return er_fail(ER_ENOMEM, "out of memory");
        imp->spans = spans;
        imp->spans_cap = cap;
    }
    imp->spans[imp->nspans] = (struct span){f, t, c->line, imp->heads[id]};
    imp->heads[id] = (int32_t)imp->nspans++;

    if (imp->flags & ER_IMPORT_REPLACE)
        return ER_OK;
    bind_row(imp, imp->exists);
    if ((rc = step_exists(imp, imp->exists, &found)) != ER_OK)
        return rc;
    if (found) {
        int32_t of = (int32_t)sqlite3_column_int(imp->exists, 0);
        int32_t ot = sqlite3_column_type(imp->exists, 1) == SQLITE_NULL
                         ? INT32_MAX
                         : (int32_t)sqlite3_column_int(imp->exists, 1);
        describe_span(other, sizeof other, of, ot);
        rc = add_error(imp, line, column,
                       "%s: years %s overlap a row already in the database "
                       "(%s); use --replace",
                       key, span, other);
    }
    sqlite3_reset(imp->exists);
    return rc;
}

/* Steps a writing statement; a constraint the checks above did not foresee
 * becomes an error of the row. */
static int step_write(struct import *imp, sqlite3_stmt *st, const er_csv *c)
{
    int src = sqlite3_step(st);
    if (src == SQLITE_DONE) {
        sqlite3_reset(st);
        return ER_OK;
    }
    if ((src & 0xFF) == SQLITE_CONSTRAINT) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(imp->db));
        sqlite3_reset(st);
        return add_error(imp, c->line, 1, "rejected by the database: %s", msg);
    }
    char what[512];
    snprintf(what, sizeof what, "%s:%ld", imp->name, c->line);
    int rc = er_fail_sqlite(imp->db, what);
    sqlite3_reset(st);
    return rc;
}

static int write_row(struct import *imp, const er_csv *c)
{
    int rc;
    bool replaced = false;

    /* a key table's row checked absent (check_key) is only inserted */
    if ((imp->flags & ER_IMPORT_REPLACE) &&
        (imp->spec->spans || imp->row_found)) {
        bind_row(imp, imp->history);
        if ((rc = step_write(imp, imp->history, c)) != ER_OK || imp->nerrors)
            return rc;
        bind_row(imp, imp->replace);
        if ((rc = step_write(imp, imp->replace, c)) != ER_OK || imp->nerrors)
            return rc;
        replaced = sqlite3_changes(imp->db) > 0;
    }
    if (!replaced || imp->spec->spans) {
        bind_row(imp, imp->insert);
        if ((rc = step_write(imp, imp->insert, c)) != ER_OK || imp->nerrors)
            return rc;
    }
    if (replaced)
        imp->replaced++;
    else
        imp->inserted++;
    return ER_OK;
}

static int read_row(struct import *imp, const er_csv *c)
{
    int rc;

    if (c->nfields > imp->nfields || c->nfields < imp->nused) {
        size_t at = c->nfields < imp->nused ? c->nfields : imp->nfields;
        if (imp->nused == imp->nfields)
            return add_error(imp, c->line, at + 1,
                             "%zu field%s where the header has %zu",
                             c->nfields, c->nfields == 1 ? "" : "s",
                             imp->nfields);
        return add_error(imp, c->line, at + 1,
                         "%zu field%s where the header has %zu (%zu named)",
                         c->nfields, c->nfields == 1 ? "" : "s", imp->nfields,
                         imp->nused);
    }
    for (size_t i = imp->nused; i < c->nfields; i++) {
        char q[SHOW_SIZE];
        if (is_empty(&c->fields[i]))
            continue;
        if ((rc = add_error(imp, c->fields[i].line, i + 1,
                            "%s under a column with no name; name the "
                            "column in the header or empty the cell",
                            show(q, sizeof q, c->fields[i].data,
                                 c->fields[i].len))) != ER_OK)
            return rc;
    }
    bool skip;
    if ((rc = template_row(imp, c, &skip)) != ER_OK || skip)
        return rc;
    for (size_t j = 0; j < imp->ncols; j++) {
        struct value *v = &imp->vals[j];
        if (imp->cols[j].field < 0) {
            memset(v, 0, sizeof *v);
            v->type = SQLITE_NULL;
            v->ok = true;
            continue;
        }
        rc = read_field(imp, &imp->cols[j], &c->fields[imp->cols[j].field], v);
        if (rc != ER_OK)
            return rc;
    }
    imp->row_unchanged = false;
    if ((rc = check_row(imp, c)) != ER_OK ||
        (rc = check_refs(imp, c)) != ER_OK ||
        (rc = check_level(imp, c)) != ER_OK || (rc = check_key(imp, c)) != ER_OK)
        return rc;
    if (imp->nerrors)
        return ER_OK; /* nothing is written once anything is wrong */
    if (imp->row_unchanged) {
        imp->row_unchanged = false;
        imp->unchanged++;
        return ER_OK;
    }
    if (imp->reorder)
        return defer_row(imp, c);
    return write_row(imp, c);
}

/* Replacing rows of a key table: how many of the rows this import
 * replaced held a value in a column the file leaves out (now empty, as
 * an INSERT would leave it), and which columns those were; read from the
 * rows it moved to the history. A file of an older layout (an item file
 * without the service list's texts) replaced with --replace says so. */
static int count_emptied(struct import *imp)
{
    er_buf sql;
    sqlite3_stmt *st = NULL;
    int rc = ER_OK, n = 0;

    imp->emptied = 0;
    imp->emptied_columns[0] = '\0';
    if (!(imp->flags & ER_IMPORT_REPLACE) || imp->spec->spans ||
        imp->replaced == 0)
        return ER_OK;
    er_buf_init(&sql);
    er_buf_puts(&sql, "SELECT count(*)");
    for (size_t j = 0; j < imp->ncols; j++) {
        const struct column *col = &imp->cols[j];
        if (col->field >= 0 || col->dflt || is_key_column(imp, j))
            continue;
        add_column(&sql, ", count(", col->name, ")");
        n++;
    }
    if (n == 0) {
        er_buf_free(&sql);
        return ER_OK;
    }
    er_buf_printf(&sql, " FROM \"%s_history\" WHERE ended = ?1 AND (",
                  imp->spec->name);
    const char *sep = "";
    for (size_t j = 0; j < imp->ncols; j++) {
        const struct column *col = &imp->cols[j];
        if (col->field >= 0 || col->dflt || is_key_column(imp, j))
            continue;
        add_column(&sql, sep, col->name, " IS NOT NULL");
        sep = " OR ";
    }
    er_buf_puts(&sql, ")");
    if ((rc = prepare(imp, &sql, &st)) != ER_OK)
        return rc;
    sqlite3_bind_int64(st, 1, imp->version);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = er_fail_sqlite(imp->db, imp->name);
        goto done;
    }
    imp->emptied = (long)sqlite3_column_int64(st, 0);
    size_t at = 0, cap = sizeof imp->emptied_columns;
    for (size_t j = 0, k = 1; j < imp->ncols; j++) {
        const struct column *col = &imp->cols[j];
        if (col->field >= 0 || col->dflt || is_key_column(imp, j))
            continue;
        if (sqlite3_column_int64(st, (int)k++) > 0 && at < cap) {
            int w = snprintf(imp->emptied_columns + at, cap - at, "%s%s",
                             at ? ", " : "", col->name);
            at = w < 0 ? cap : at + (size_t)w;
        }
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* A metric row that declares (or tightens) a domain which facts already
 * in the database break would leave data no run accepts: after the rows
 * are written (inside the savepoint), each imported metric whose stored
 * facts fall outside its new domain is an error of its line, naming one
 * such fact and how many there are. */
static int check_stored_facts(struct import *imp)
{
    sqlite3_stmt *st = NULL;
    char why[256], val[40], dom[160];
    int rc, src;

    if ((rc = er_domain_register_sql(imp->db)) != ER_OK)
        return rc;
    if (sqlite3_prepare_v2(
            imp->db,
            "SELECT m.key, " ER_DOMAIN_COLUMNS ", f.region, f.year, "
            "  f.value, n FROM ("
            "  SELECT metric, region, year, value, "
            "    count(*) OVER (PARTITION BY metric) AS n, "
            "    row_number() OVER (PARTITION BY metric "
            "      ORDER BY region, year) AS k "
            "  FROM fact JOIN metric m ON m.key = fact.metric "
            "  WHERE NOT er_domain_ok(m.kind, m.integer, m.min, m.min_open, "
            "    m.max, m.max_open, fact.value)) f "
            "JOIN metric m ON m.key = f.metric WHERE f.k = 1 ORDER BY m.key",
            -1, &st, NULL) != SQLITE_OK)
        return er_fail_sqlite(imp->db, "cannot check the stored facts");
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        imp->keybuf.len = 0;
        if (er_buf_printf(&imp->keybuf, "%zu:%s;", strlen(key), key) !=
            ER_OK) {
            rc = er_fail(ER_ENOMEM, "out of memory");
            break;
        }
        int32_t id = er_strmap_find(&imp->keys, imp->keybuf.data);
        if (id < 0)
            continue; /* a metric this file does not touch */
        er_domain d;
        er_domain_from_row(st, 1, &d);
        double v = sqlite3_column_double(st, 10);
        if (sqlite3_column_type(st, 10) == SQLITE_TEXT)
            snprintf(why, sizeof why, "not a number");
        else
            er_domain_check(&d, v, why, sizeof why);
        long n = (long)sqlite3_column_int64(st, 11);
        rc = add_error(
            imp, imp->key_lines[id], column_of(imp, imp->key_col[0]),
            "the domain of %s (%s) is broken by %ld fact%s already in the "
            "database, e.g. region %s, year %d, value %s: %s; correct "
            "those facts first (import fact --replace)",
            key, er_domain_text(&d, dom, sizeof dom), n, n == 1 ? "" : "s",
            (const char *)sqlite3_column_text(st, 8),
            sqlite3_column_int(st, 9),
            sqlite3_column_type(st, 10) == SQLITE_TEXT
                ? "(text)"
                : er_fmt_exact(val, sizeof val, v),
            why);
        if (rc != ER_OK)
            break;
    }
    if (rc == ER_OK && src != SQLITE_DONE && src != SQLITE_ROW)
        rc = er_fail_sqlite(imp->db, "cannot check the stored facts");
    sqlite3_finalize(st);
    return rc;
}

/* ---- entry points -------------------------------------------------------- */

static void import_free(struct import *imp)
{
    for (size_t j = 0; j < imp->ncols; j++) {
        free(imp->cols[j].name);
        free(imp->cols[j].dflt);
    }
    free(imp->cols);
    sqlite3_finalize(imp->insert);
    sqlite3_finalize(imp->exists);
    sqlite3_finalize(imp->replace);
    sqlite3_finalize(imp->history);
    for (size_t k = 0; k < ER_ARRAY_LEN(imp->ref); k++)
        sqlite3_finalize(imp->ref[k]);
    sqlite3_finalize(imp->up);
    sqlite3_finalize(imp->level);
    sqlite3_finalize(imp->domain);
    sqlite3_finalize(imp->nat_std);
    sqlite3_finalize(imp->unit);
    sqlite3_finalize(imp->region_name);
    sqlite3_finalize(imp->metric_name);
    er_strmap_free(&imp->dom_keys);
    free(imp->doms);
    free(imp->vals);
    er_strmap_free(&imp->keys);
    free(imp->key_lines);
    free(imp->heads);
    free(imp->spans);
    er_buf_free(&imp->keybuf);
    er_buf_free(&imp->errors);
    for (size_t i = 0; i < imp->file_cap; i++)
        free(imp->file_parents[i]);
    free(imp->file_parents);
    free(imp->file_levels);
    er_strmap_free(&imp->file_codes);
    free(imp->pending);
}

static int exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return er_fail_sqlite(db, sql);
    return ER_OK;
}

int er_import_csv(er_db *db, const char *table, const char *name,
                  const char *data, size_t len, unsigned flags,
                  er_import_stats *stats)
{
    struct import imp;
    er_csv csv;
    er_csv_text text;
    bool in_savepoint = false, own_tx = false;
    int rc, more;

    assert(db && table && name && (data || len == 0));
    assert(!((flags & ER_IMPORT_UTF8) && (flags & ER_IMPORT_GB18030)));
    memset(&imp, 0, sizeof imp);
    memset(&text, 0, sizeof text);
    er_csv_init(&csv, name, "", 0);
    er_strmap_init(&imp.keys);
    er_strmap_init(&imp.dom_keys);
    er_strmap_init(&imp.file_codes);
    er_buf_init(&imp.keybuf);
    er_buf_init(&imp.errors);
    imp.db = db->db;
    imp.name = name;
    imp.flags = flags;
    if (stats)
        memset(stats, 0, sizeof *stats);

    if (!(imp.spec = find_table(table))) {
        rc = er_fail(ER_EUSAGE,
                     "unknown table \"%s\"; import goes into region, "
                     "metric, fact, item, standard, share, transfer, split, "
                     "city_transfer, zone, setting or national_average",
                     table);
        goto done;
    }
    if ((rc = er_csv_decode(&text, name, data ? data : "", len,
                            (flags & ER_IMPORT_UTF8)      ? ER_CSV_UTF8
                            : (flags & ER_IMPORT_GB18030) ? ER_CSV_GB18030
                                                          : ER_CSV_AUTO)) !=
        ER_OK)
        goto done;
    if (stats)
        stats->encoding = text.encoding;
    er_csv_free(&csv);
    er_csv_init_text(&csv, name, &text);
    if ((rc = load_columns(&imp)) != ER_OK)
        goto done;
    if (!(imp.vals = calloc(imp.ncols, sizeof *imp.vals))) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }

    while ((more = er_csv_next_record(&csv)) == 1 && is_blank(&csv))
        imp.blank++;
    if (more == 0) {
        rc = er_fail(ER_EDATA, "%s:1:1: no header line naming the columns",
                     name);
        goto done;
    }
    if (more < 0) {
        rc = more;
        goto done;
    }
    if ((rc = read_header(&imp, &csv)) != ER_OK)
        goto done;
    if (imp.nerrors)
        goto finish;

    if ((rc = prepare_statements(&imp)) != ER_OK)
        goto done;
    if (imp.spec->nrefs && strcmp(imp.spec->refs[0].table, imp.spec->name) == 0 &&
        imp.cols[imp.ref_col[0]].field >= 0) {
        /* read the file's regions, then read it again from its header */
        if ((rc = scan_regions(&imp, &csv)) != ER_OK)
            goto done;
        er_csv_free(&csv);
        er_csv_init_text(&csv, name, &text);
        imp.blank = 0;
        while ((more = er_csv_next_record(&csv)) == 1 && is_blank(&csv))
            imp.blank++;
        assert(more == 1);
    }
    /* outside a transaction, take the write lock first: a deferred one
     * that reads and then writes fails at once, without waiting, when
     * another process (a run recording) holds the lock meanwhile */
    if (sqlite3_get_autocommit(imp.db)) {
        if (sqlite3_exec(imp.db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
            SQLITE_OK) {
            rc = er_fail_sqlite(imp.db, name);
            goto done;
        }
        own_tx = true;
    }
    if ((rc = exec(imp.db, "SAVEPOINT er_import")) != ER_OK)
        goto done;
    in_savepoint = true;
    {
        /* the data version the rows are written with (version.c) */
        char sha[65];
        er_sha256_of(data ? data : "", len, sha);
        if ((rc = er_data_version_begin(imp.db, imp.spec->name, name, sha,
                                        &imp.version)) != ER_OK)
            goto done;
        int v = (int)imp.ncols + 1;
        sqlite3_bind_int64(imp.insert, v, imp.version);
        sqlite3_bind_int64(imp.history, v, imp.version);
        if (!imp.spec->spans)
            sqlite3_bind_int64(imp.replace, v, imp.version);
    }

    while (imp.nerrors < MAX_ERRORS && (more = er_csv_next_record(&csv)) == 1) {
        if (is_blank(&csv)) {
            imp.blank++;
            continue;
        }
        imp.rows++;
        if ((rc = read_row(&imp, &csv)) != ER_OK)
            goto done;
    }
    if (more < 0) {
        if (more != ER_EDATA) {
            rc = more;
            goto done;
        }
        /* the reader's message is complete: "name:line:column: reason" */
        if ((rc = add_line(&imp, er_errmsg())) != ER_OK)
            goto done;
    }
    imp.blank += csv.empty_lines;
    if (!imp.nerrors && imp.reorder &&
        (rc = write_deferred(&imp, &csv)) != ER_OK)
        goto done;
    if (!imp.nerrors && strcmp(imp.spec->name, "metric") == 0 &&
        (rc = check_stored_facts(&imp)) != ER_OK)
        goto done;
    if (!imp.nerrors && (rc = count_emptied(&imp)) != ER_OK)
        goto done;

finish:
    if (imp.nerrors) {
        rc = er_fail(ER_EDATA, "%s", imp.errors.data);
        goto done;
    }
    if (flags & ER_IMPORT_DRY_RUN) {
        rc = ER_OK;
        goto done; /* rolled back below */
    }
    if ((rc = er_data_version_end(imp.db, imp.version, imp.inserted,
                                  imp.replaced, imp.unchanged)) != ER_OK)
        goto done;
    if ((rc = exec(imp.db, "RELEASE er_import")) != ER_OK)
        goto done;
    in_savepoint = false;
    er_fault_point("import");
    if (own_tx && sqlite3_exec(imp.db, "COMMIT", NULL, NULL, NULL) !=
                      SQLITE_OK) {
        rc = er_fail_sqlite(imp.db, name);
        goto done;
    }
    own_tx = false;

done:
    if (in_savepoint) {
        sqlite3_exec(imp.db, "ROLLBACK TO er_import", NULL, NULL, NULL);
        sqlite3_exec(imp.db, "RELEASE er_import", NULL, NULL, NULL);
    }
    if (own_tx)
        sqlite3_exec(imp.db, "ROLLBACK", NULL, NULL, NULL);
    er_csv_text_free(&text);
    if (stats) {
        stats->rows = imp.rows;
        stats->blank = imp.blank;
        if (rc == ER_OK) {
            stats->inserted = imp.inserted;
            stats->replaced = imp.replaced;
            stats->skipped = imp.skipped;
            stats->unchanged = imp.unchanged;
            stats->emptied = imp.emptied;
            memcpy(stats->emptied_columns, imp.emptied_columns,
                   sizeof stats->emptied_columns);
            if (!(flags & ER_IMPORT_DRY_RUN))
                stats->version = imp.version;
        }
    }
    import_free(&imp);
    er_csv_free(&csv);
    return rc;
}

int er_import_file(er_db *db, const char *table, const char *path,
                   unsigned flags, er_import_stats *stats)
{
    char *data = NULL;
    size_t len = 0;
    int rc;

    assert(db && table && path);
    if (stats)
        memset(stats, 0, sizeof *stats);
    if ((rc = er_read_file(path, &data, &len)) != ER_OK)
        goto done;
    rc = er_import_csv(db, table, path, data, len, flags, stats);
done:
    free(data);
    return rc;
}
