/*
 * util.c - small helpers every part of the core uses: growable buffers,
 * string interning, file reading, number and money formatting, display
 * width of Chinese text on a terminal.
 */
#include "base.h"
#include <assert.h>

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- buffers ---------------------------------------------------------- */

void er_buf_init(er_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = 0;
    b->err = ER_OK;
}

void er_buf_free(er_buf *b)
{
    free(b->data);
    er_buf_init(b);
}

/* Makes room for `extra` more bytes and the NUL; on failure sets the
 * sticky error (with the message, once). */
static int buf_reserve(er_buf *b, size_t extra)
{
    if (b->err)
        return b->err;
    if (extra < b->cap && b->len < b->cap - extra)
        return ER_OK;
    size_t need = b->len + extra + 1;
    void *p = NULL;
    if (need > b->len && (!b->max || need <= b->max)) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need && cap <= SIZE_MAX / 2)
            cap *= 2;
        if (cap < need)
            cap = need;
        if (b->max && cap > b->max)
            cap = b->max;
        p = realloc(b->data, cap);
        if (p) {
            b->data = p;
            b->cap = cap;
            return ER_OK;
        }
    }
    b->err = ER_ENOMEM;
    return er_fail(ER_ENOMEM, "out of memory");
}

int er_buf_add(er_buf *b, const void *data, size_t len)
{
    if (buf_reserve(b, len) != ER_OK)
        return b->err;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return ER_OK;
}

int er_buf_puts(er_buf *b, const char *s)
{
    return er_buf_add(b, s, strlen(s));
}

int er_buf_printf(er_buf *b, const char *fmt, ...)
{
    if (b->err)
        return b->err;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = ER_ENOMEM; /* the only way C99's vsnprintf fails here */
        return er_fail(ER_ENOMEM, "out of memory");
    }
    if (buf_reserve(b, (size_t)n) != ER_OK)
        return b->err;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return ER_OK;
}

int er_buf_sql_ident(er_buf *b, const char *name)
{
    er_buf_puts(b, "\"");
    for (const char *p = name; *p; p++)
        er_buf_add(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    return er_buf_puts(b, "\"");
}

int er_buf_status(const er_buf *b)
{
    if (b->err)
        return er_fail(b->err, "out of memory");
    return ER_OK;
}

char *er_buf_detach(er_buf *b)
{
    if (!b->data && !b->err && buf_reserve(b, 0) == ER_OK)
        b->data[0] = '\0'; /* nothing was appended: the empty text */
    if (b->err) {
        er_buf_status(b);
        er_buf_free(b);
        return NULL;
    }
    char *p = b->data;
    er_buf_init(b);
    return p;
}

int er_buf_write(const er_buf *b, FILE *fp)
{
    if (b->err)
        return er_buf_status(b);
    if (b->len)
        fwrite(b->data, 1, b->len, fp);
    return ER_OK;
}

char *er_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

const char *er_tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

FILE *er_tmpfile(void)
{
    const char *dir = er_tmpdir();
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 && errno != ENOENT && errno != EACCES && errno != ENOSPC &&
        errno != EDQUOT && errno != EROFS) {
        /* a file system without O_TMPFILE */
        char path[4200];
        snprintf(path, sizeof path, "%s/equirule-XXXXXX", dir);
        fd = mkostemp(path, O_CLOEXEC);
        if (fd >= 0)
            unlink(path);
    }
    if (fd < 0)
        return NULL;
    FILE *fp = fdopen(fd, "w+b");
    if (!fp) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return fp;
}

int er_read_file(const char *path, char **out, size_t *len_out)
{
    int rc = ER_ERROR;
    er_buf b;
    er_buf_init(&b);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        rc = er_fail(errno == ENOENT ? ER_ENOTFOUND : ER_ERROR,
                     "%s: %s", path, strerror(errno));
        goto done;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (er_buf_add(&b, chunk, n) != ER_OK) {
            rc = ER_ENOMEM;
            goto done;
        }
    }
    if (ferror(fp)) {
        rc = er_fail(ER_ERROR, "%s: %s", path, strerror(errno));
        goto done;
    }
    if (len_out)
        *len_out = b.len;
    *out = er_buf_detach(&b);
    rc = *out ? ER_OK : ER_ENOMEM;
done:
    if (fp)
        fclose(fp);
    er_buf_free(&b);
    return rc;
}

/* ---- interning -------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

void er_strmap_init(er_strmap *m)
{
    memset(m, 0, sizeof *m);
}

void er_strmap_free(er_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++)
        free(m->by_id[i]);
    free(m->by_id);
    free(m->ids);
    free(m->keys);
    er_strmap_init(m);
}

static size_t map_slot(const er_strmap *m, const char *key)
{
    size_t mask = m->nslots - 1;
    size_t i = (size_t)hash_str(key) & mask;
    while (m->ids[i] >= 0 && strcmp(m->by_id[m->ids[i]], key) != 0)
        i = (i + 1) & mask;
    return i;
}

int32_t er_strmap_find(const er_strmap *m, const char *key)
{
    if (!m->nslots)
        return -1;
    return m->ids[map_slot(m, key)];
}

static int map_grow(er_strmap *m)
{
    size_t nslots = m->nslots ? m->nslots * 2 : 64;
    int32_t *ids = malloc(nslots * sizeof *ids);
    char **by_id = realloc(m->by_id, nslots * sizeof *by_id);
    if (!ids || !by_id) {
        free(ids);
        if (by_id)
            m->by_id = by_id;
        return ER_ENOMEM;
    }
    m->by_id = by_id;
    for (size_t i = 0; i < nslots; i++)
        ids[i] = -1;
    free(m->ids);
    m->ids = ids;
    m->nslots = nslots;
    for (size_t id = 0; id < m->count; id++)
        m->ids[map_slot(m, m->by_id[id])] = (int32_t)id;
    return ER_OK;
}

int32_t er_strmap_intern(er_strmap *m, const char *key)
{
    if ((m->count + 1) * 2 > m->nslots && map_grow(m) != ER_OK)
        return -1;
    size_t slot = map_slot(m, key);
    if (m->ids[slot] >= 0)
        return m->ids[slot];
    char *copy = er_strdup(key);
    if (!copy)
        return -1;
    m->by_id[m->count] = copy;
    m->ids[slot] = (int32_t)m->count;
    return (int32_t)m->count++;
}

/* ---- formatting ------------------------------------------------------- */

static int codepoint_width(uint32_t c)
{
    if (c == 0)
        return 0;
    if (c >= 0x300 && c < 0x370) /* combining marks */
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

int er_display_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c;
        int n;
        if (*p < 0x80) {
            c = *p;
            n = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            c = *p & 0x1Fu;
            n = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            c = *p & 0x0Fu;
            n = 3;
        } else {
            c = *p & 0x07u;
            n = 4;
        }
        int i = 1;
        for (; i < n && (p[i] & 0xC0) == 0x80; i++)
            c = (c << 6) | (p[i] & 0x3Fu);
        p += i;
        w += codepoint_width(c);
    }
    return w;
}

const char *er_fmt_num(char *buf, size_t size, double v)
{
    if (isnan(v)) {
        snprintf(buf, size, "nan");
    } else if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
    } else if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
    } else if (fabs(v) >= 1e-4 && fabs(v) < 1e15) {
        /* six significant digits, without trailing zeros */
        int digits = 6 - 1 - (int)floor(log10(fabs(v)));
        if (digits < 0)
            digits = 0;
        snprintf(buf, size, "%.*f", digits, v);
        if (strchr(buf, '.')) {
            char *e = buf + strlen(buf) - 1;
            while (*e == '0')
                *e-- = '\0';
            if (*e == '.')
                *e = '\0';
        }
    } else {
        snprintf(buf, size, "%.6g", v);
    }
    return buf;
}

const char *er_fmt_fen(char *buf, size_t size, int64_t fen)
{
    char digits[32];
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)(a / 100));
    size_t nd = strlen(digits);
    char out[64];
    size_t o = 0;
    if (fen < 0)
        out[o++] = '-';
    for (size_t i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    snprintf(out + o, sizeof out - o, ".%02u", (unsigned)(a % 100));
    snprintf(buf, size, "%s", out);
    return buf;
}

/* Rounds |yuan| to fen into *fen; false when not finite or past
 * ER_FEN_FLOAT_MAX. See er_yuan_to_fen for the rule. */
static bool yuan_fen_abs(double yuan, uint64_t *fen)
{
    *fen = 0;
    if (!isfinite(yuan))
        return false;
    double a = fabs(yuan);
    if (a == 0.0)
        return true;
    if (a >= 1e17) /* far past the limit: no need to format it */
        return false;
    /* the shortest decimal that reads back as a, as "%.*e" gives it:
     * d.ddd...e+XX (the decimal point may be the locale's) */
    char buf[64];
    snprintf(buf, sizeof buf, "%.*e", er_shortest_digits(a) - 1, a);
    char mant[24];
    int nd = 0;
    const char *p = buf;
    for (; *p && *p != 'e' && *p != 'E'; p++)
        if (*p >= '0' && *p <= '9' && nd < (int)sizeof mant - 1)
            mant[nd++] = *p;
    mant[nd] = '\0';
    int exp10 = *p ? atoi(p + 1) : 0;
    /* a = 0.mant x 10^(exp10 + 1); in fen the point is after `point`
     * digits of mant */
    int point = exp10 + 3;
    uint64_t v = 0;
    for (int i = 0; i < point; i++) {
        int d = i < nd ? mant[i] - '0' : 0;
        if (v > (uint64_t)ER_FEN_FLOAT_MAX)
            return false;
        v = v * 10 + (uint64_t)d;
    }
    int next = point >= 0 && point < nd ? mant[point] - '0' : 0;
    if (next >= 5)
        v++;
    *fen = v;
    return v <= (uint64_t)ER_FEN_FLOAT_MAX;
}

bool er_yuan_fits_fen(double yuan)
{
    uint64_t fen;
    return yuan_fen_abs(yuan, &fen);
}

int64_t er_yuan_to_fen(double yuan)
{
    uint64_t fen;
    bool ok = yuan_fen_abs(yuan, &fen);
    assert(ok);
    (void)ok;
    return yuan < 0 ? -(int64_t)fen : (int64_t)fen;
}

bool er_int_yuan_to_fen(int64_t yuan, int64_t *fen)
{
    return !__builtin_mul_overflow(yuan, (int64_t)100, fen);
}

int er_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int er_read_all(int fd, void *data, size_t len)
{
    char *p = data;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int64_t er_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Whether the file at `path` starts as an SQLite database does. */
static bool is_database(const char *path)
{
    char head[16];
    int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return false;
    bool db = read(fd, head, sizeof head) == (ssize_t)sizeof head &&
              memcmp(head, "SQLite format 3", sizeof head) == 0;
    close(fd);
    return db;
}

int er_output_path_check(const char *path)
{
    static const char *const journals[] = {"-wal", "-shm", "-journal"};
    if (is_database(path))
        return er_fail(ER_EUSAGE,
                       "%s is a database: writing the output there would "
                       "destroy it; choose another file",
                       path);
    size_t n = strlen(path);
    for (size_t i = 0; i < ER_ARRAY_LEN(journals); i++) {
        size_t k = strlen(journals[i]);
        if (n <= k || strcmp(path + n - k, journals[i]) != 0)
            continue;
        char *base = er_strdup(path);
        if (!base)
            return er_fail(ER_ENOMEM, "out of memory");
        base[n - k] = '\0';
        bool db = is_database(base);
        free(base);
        if (db)
            return er_fail(ER_EUSAGE,
                           "%s belongs to the database beside it: writing "
                           "the output there would damage it; choose another "
                           "file",
                           path);
    }
    return ER_OK;
}

/* The file a symbolic link `path` finally points to (*out, owned), followed
 * link by link, so a dangling link's missing target is named too; `path`
 * itself when it is no link. NULL (ER_OK) for a link into /proc, such as
 * /dev/stdout -> /proc/self/fd/1: an open file of this process, written
 * through, never a name to replace. */
static int follow_links(const char *path, char **out)
{
    char *cur = er_strdup(path);
    *out = NULL;
    for (int hops = 0; cur && hops < 40; hops++) {
        struct stat st;
        if (hops > 0 && strncmp(cur, "/proc/", 6) == 0) {
            free(cur);
            return ER_OK;
        }
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            *out = cur;
            return ER_OK;
        }
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0) {
            int rc = er_fail(ER_ERROR, "%s: %s", cur, strerror(errno));
            free(cur);
            return rc;
        }
        link[n] = '\0';
        char *next;
        const char *slash = strrchr(cur, '/');
        if (link[0] == '/' || !slash) {
            next = er_strdup(link);
        } else {
            size_t dir = (size_t)(slash - cur) + 1;
            next = malloc(dir + (size_t)n + 1);
            if (next) {
                memcpy(next, cur, dir);
                memcpy(next + dir, link, (size_t)n + 1);
            }
        }
        free(cur);
        cur = next;
    }
    if (!cur)
        return er_fail(ER_ENOMEM, "out of memory");
    free(cur);
    return er_fail(ER_EUSAGE, "%s: too many levels of symbolic links", path);
}

int er_output_target(const char *path, char **target_out)
{
    struct stat st;
    int rc;
    *target_out = NULL;
    if ((rc = er_output_path_check(path)) != ER_OK)
        return rc;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return er_fail(ER_EUSAGE,
                           "%s is a folder: name the file to write", path);
        return ER_OK; /* a device or a fifo: written through */
    }
    char *target;
    if ((rc = follow_links(path, &target)) != ER_OK || !target)
        return rc;
    if (strcmp(target, path) != 0 &&
        (rc = er_output_path_check(target)) != ER_OK) {
        free(target);
        return rc;
    }
    *target_out = target;
    return ER_OK;
}

int er_output_copy(FILE *from, const char *path)
{
    char chunk[65536];
    int rc = ER_OK;
    if (fflush(from) != 0 || ferror(from) || fseek(from, 0, SEEK_SET) != 0)
        return er_fail(ER_ERROR, "%s: cannot read the output back: %s", path,
                       strerror(errno));
    /* appending: through /dev/stdout, after what the process wrote */
    int fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return er_fail(ER_ERROR, "%s: %s", path, strerror(errno));
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, from)) > 0) {
        if (er_write_all(fd, chunk, n) != 0) {
            rc = er_fail(ER_ERROR, "%s: cannot write: %s", path,
                         strerror(errno));
            break;
        }
    }
    if (rc == ER_OK && ferror(from))
        rc = er_fail(ER_ERROR, "%s: cannot read the output back", path);
    if (close(fd) != 0 && rc == ER_OK)
        rc = er_fail(ER_ERROR, "%s: cannot write: %s", path, strerror(errno));
    return rc;
}
