/*
 * coverage.c - line coverage of rule files for `equirule test --coverage`:
 * which lines of each rule file can run (from the compiled chunk, every
 * nested function included), which did run (a line hook in the sandbox,
 * on only while coverage is measured), and the reports: a table, JSON and
 * an LCOV tracefile. It runs no test itself: testrun.c does.
 */
#include "tools.h"

#include <stdlib.h>
#include <string.h>

/* ---- runnable lines: the binary chunk ------------------------------------ */

/*
 * lua_getinfo("L") gives the active lines of one function, but the C API
 * cannot reach the prototypes nested in a chunk. lua_dump can: the dump of
 * a chunk holds every prototype with its line information (Lua 5.4 format,
 * ldump.c), from which the lines are computed as ldebug.c's
 * collectvalidlines computes them.
 */

#define ABSLINEINFO (-0x80)

/* Lua 5.4's opcodes that change the flow (lopcodes.h) and the fields of an
 * instruction they use. */
enum { OP_LOADKX = 4, OP_LFALSESKIP = 6, OP_NEWTABLE = 19, OP_JMP = 56,
       OP_EQ = 57, OP_GEI = 65, OP_TEST = 66, OP_TESTSET = 67,
       OP_TAILCALL = 69, OP_RETURN = 70, OP_RETURN0 = 71, OP_RETURN1 = 72,
       OP_FORLOOP = 73, OP_FORPREP = 74, OP_TFORPREP = 75, OP_TFORLOOP = 77,
       OP_SETLIST = 78, OP_NUM_OPCODES = 83 };
#define OPCODE(i) ((i) & 0x7fu)
#define ARG_K(i) (((i) >> 15) & 1u)
#define ARG_BX(i) ((long)(((i) >> 15) & 0x1ffffu))
#define ARG_SJ(i) ((long)(((i) >> 7) & 0x1ffffffu) - ((1L << 24) - 1))

typedef struct dump_reader {
    const unsigned char *p, *end;
    bool bad;
    size_t int_size, num_size, instr_size;
    bool reachable_only; /* leave out instructions that can never run */
    int *lines; /* found lines, unsorted, with repeats */
    size_t n, cap;
} dump_reader;

static unsigned rd_byte(dump_reader *r)
{
    if (r->p >= r->end) {
        r->bad = true;
        return 0;
    }
    return *r->p++;
}

/* ldump.c's dumpSize: 7 bits a byte, most significant first, the last byte
 * marked with 0x80. */
static size_t rd_size(dump_reader *r)
{
    size_t x = 0;
    for (int i = 0; i < 10 && !r->bad; i++) {
        unsigned b = rd_byte(r);
        x = (x << 7) | (b & 0x7f);
        if (b & 0x80)
            return x;
    }
    r->bad = true;
    return 0;
}

static void rd_skip(dump_reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = true;
        r->p = r->end;
        return;
    }
    r->p += n;
}

static void rd_string(dump_reader *r)
{
    size_t n = rd_size(r);
    if (n)
        rd_skip(r, n - 1);
}

static void add_line(dump_reader *r, int line)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        int *p = realloc(r->lines, cap * sizeof *p);
        if (!p) {
            r->bad = true;
            return;
        }
        r->lines = p;
        r->cap = cap;
    }
    r->lines[r->n++] = line;
}

typedef struct absline {
    size_t pc;
    int line;
} absline;

/* Marks the instructions control can reach from the first: the implicit
 * return at a function's end when every path returned before, or the
 * return after a tail call, carry a line but never run. Unknown opcodes
 * fall through, which can only count more lines as runnable. */
static void mark_reachable(const unsigned char *code, size_t n,
                           unsigned char *reach)
{
    size_t *stack = malloc((n + 1) * 2 * sizeof *stack);
    size_t top = 0;
    if (!stack) {
        memset(reach, 1, n);
        return;
    }
    if (n)
        stack[top++] = 0;
    while (top) {
        size_t pc = stack[--top];
        if (pc >= n || reach[pc])
            continue;
        reach[pc] = 1;
        uint32_t i;
        memcpy(&i, code + pc * 4, 4);
        unsigned op = OPCODE(i);
        long next[2] = {(long)pc + 1, -1};
        if (op == OP_JMP) {
            next[0] = (long)pc + 1 + ARG_SJ(i);
        } else if ((op >= OP_EQ && op <= OP_GEI) || op == OP_TEST ||
                   op == OP_TESTSET || op == OP_LFALSESKIP) {
            next[1] = (long)pc + 2; /* the next (a jump) may be skipped */
            if (op == OP_LFALSESKIP)
                next[0] = -1, next[1] = (long)pc + 2;
        } else if (op == OP_LOADKX || op == OP_NEWTABLE ||
                   (op == OP_SETLIST && ARG_K(i))) {
            next[0] = (long)pc + 2; /* over the EXTRAARG */
        } else if (op == OP_TAILCALL || op == OP_RETURN ||
                   op == OP_RETURN0 || op == OP_RETURN1) {
            next[0] = -1;
        } else if (op == OP_FORPREP) {
            next[1] = (long)pc + 2 + ARG_BX(i);
        } else if (op == OP_FORLOOP || op == OP_TFORLOOP) {
            next[1] = (long)pc + 1 - ARG_BX(i);
        } else if (op == OP_TFORPREP) {
            next[0] = (long)pc + 1 + ARG_BX(i);
        } else if (op >= OP_NUM_OPCODES) {
            next[0] = (long)pc + 1;
        }
        for (int k = 0; k < 2; k++)
            if (next[k] >= 0 && (size_t)next[k] < n && !reach[next[k]] &&
                top < (n + 1) * 2)
                stack[top++] = (size_t)next[k];
    }
    free(stack);
}

static void rd_function(dump_reader *r, int depth)
{
    if (depth > 200) {
        r->bad = true;
        return;
    }
    rd_string(r); /* source */
    int linedefined = (int)rd_size(r);
    rd_size(r); /* lastlinedefined */
    rd_byte(r); /* numparams */
    bool is_vararg = rd_byte(r) != 0;
    rd_byte(r); /* maxstacksize */
    size_t ncode = rd_size(r);
    if (r->instr_size != 4 || ncode > (size_t)(r->end - r->p) / 4)
        r->bad = true;
    const unsigned char *code = r->p;
    rd_skip(r, ncode * 4);
    size_t nk = rd_size(r);
    for (size_t i = 0; i < nk && !r->bad; i++) {
        switch (rd_byte(r)) {
        case 0:  /* nil */
        case 1:  /* false */
        case 17: /* true */
            break;
        case 3: /* integer */
            rd_skip(r, r->int_size);
            break;
        case 19: /* float */
            rd_skip(r, r->num_size);
            break;
        case 4:  /* short string */
        case 20: /* long string */
            rd_string(r);
            break;
        default:
            r->bad = true;
        }
    }
    size_t nup = rd_size(r);
    rd_skip(r, nup * 3);
    size_t np = rd_size(r);
    for (size_t i = 0; i < np && !r->bad; i++)
        rd_function(r, depth + 1);

    /* debug information */
    size_t nli = rd_size(r);
    const signed char *lineinfo = (const signed char *)r->p;
    rd_skip(r, nli);
    size_t nabs = rd_size(r);
    if (r->bad || nabs > (size_t)(r->end - r->p)) {
        r->bad = true;
        return;
    }
    absline *abs = calloc(nabs + 1, sizeof *abs);
    if (!abs) {
        r->bad = true;
        return;
    }
    for (size_t i = 0; i < nabs; i++) {
        abs[i].pc = rd_size(r);
        abs[i].line = (int)rd_size(r);
    }
    size_t nloc = rd_size(r);
    for (size_t i = 0; i < nloc && !r->bad; i++) {
        rd_string(r);
        rd_size(r);
        rd_size(r);
    }
    size_t nupn = rd_size(r);
    for (size_t i = 0; i < nupn && !r->bad; i++)
        rd_string(r);

    unsigned char *reach = NULL;
    if (!r->bad && nli != ncode)
        r->bad = true;
    if (!r->bad && !(reach = calloc(ncode + 1, 1)))
        r->bad = true;
    if (!r->bad) {
        if (r->reachable_only)
            mark_reachable(code, ncode, reach);
        else
            memset(reach, 1, ncode);
        /* collectvalidlines: the line of each instruction, the first one of
         * a vararg function (OP_VARARGPREP) left out */
        int current = linedefined;
        for (size_t pc = 0; pc < nli; pc++) {
            if (lineinfo[pc] != ABSLINEINFO) {
                current += lineinfo[pc];
            } else {
                size_t k = 0;
                while (k < nabs && abs[k].pc < pc)
                    k++;
                if (k < nabs && abs[k].pc == pc)
                    current = abs[k].line;
                else
                    r->bad = true;
            }
            if ((pc > 0 || !is_vararg) && reach[pc])
                add_line(r, current);
        }
    }
    free(reach);
    free(abs);
}

static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    return er_buf_add(ud, p, sz) == ER_OK ? 0 : 1;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int er_coverage_lines(lua_State *L, const char *src, size_t len,
                      const char *chunkname, bool reachable_only,
                      int **lines_out, size_t *n_out)
{
    int base = lua_gettop(L);
    er_buf dump;
    er_buf_init(&dump);
    dump_reader r = {.reachable_only = reachable_only};
    int rc = ER_OK;
    *lines_out = NULL;
    *n_out = 0;
    if (luaL_loadbufferx(L, src, len, chunkname, "t") != LUA_OK) {
        char err[512];
        rc = er_fail(ER_ERULE, "%s", er_lua_errtext(L, -1, err, sizeof err));
        goto done;
    }
    if (lua_dump(L, dump_writer, &dump, 0) != 0 || dump.len < 32) {
        rc = er_fail(ER_ENOMEM, "%s: cannot dump the compiled chunk",
                     chunkname);
        goto done;
    }
    r.p = (const unsigned char *)dump.data;
    r.end = r.p + dump.len;
    /* header: signature, version, format, LUAC_DATA, sizes, LUAC_INT,
     * LUAC_NUM; then the main closure's upvalue count */
    if (memcmp(r.p, "\x1bLua\x54\x00", 6) != 0) {
        rc = er_fail(ER_ERROR, "%s: not a Lua 5.4 binary chunk", chunkname);
        goto done;
    }
    rd_skip(&r, 6 + 6);
    r.instr_size = rd_byte(&r);
    r.int_size = rd_byte(&r);
    r.num_size = rd_byte(&r);
    rd_skip(&r, r.int_size + r.num_size);
    rd_byte(&r);
    rd_function(&r, 0);
    if (r.bad) {
        rc = er_fail(ER_ERROR, "%s: cannot read the compiled chunk's lines",
                     chunkname);
        goto done;
    }
    if (r.n)
        qsort(r.lines, r.n, sizeof *r.lines, cmp_int);
    size_t m = 0;
    for (size_t i = 0; i < r.n; i++)
        if (m == 0 || r.lines[m - 1] != r.lines[i])
            r.lines[m++] = r.lines[i];
    *lines_out = r.lines;
    *n_out = m;
    r.lines = NULL;
done:
    free(r.lines);
    er_buf_free(&dump);
    lua_settop(L, base);
    return rc;
}

/* ---- hits ---------------------------------------------------------------- */

typedef struct cov_file {
    const char *display; /* borrowed from the rule set */
    int nlines;          /* lines of the source */
    unsigned char *runnable; /* [nlines + 1], 1-based */
    unsigned long *hits;     /* [nlines + 1] */
    bool touched;            /* a line ran after the main chunks' replay */
} cov_file;

struct er_coverage {
    er_ruleset *rs;
    cov_file *files;
    size_t nfiles;
    er_strmap sources; /* "@display" -> file index */
    const char *last_source;
    int32_t last_file;
    bool replayed; /* the main chunks ran: from now on, lines of cases */
};

static void on_line(void *ctx, const char *source, int line)
{
    er_coverage *cov = ctx;
    int32_t f;
    if (source == cov->last_source) {
        f = cov->last_file;
    } else {
        f = er_strmap_find(&cov->sources, source);
        cov->last_source = source;
        cov->last_file = f;
    }
    if (f >= 0 && line > 0 && line <= cov->files[f].nlines) {
        cov->files[f].hits[line]++;
        cov->files[f].touched = cov->files[f].touched || cov->replayed;
    }
}

static int file_setup(er_coverage *cov, size_t fi)
{
    const er_rule_file *rf = &cov->rs->files[fi];
    cov_file *cf = &cov->files[fi];
    cf->display = rf->display;
    char chunk[4200];
    snprintf(chunk, sizeof chunk, "@%s", rf->display);
    if (er_strmap_intern(&cov->sources, chunk) != (int32_t)fi)
        return er_fail(ER_ENOMEM, "out of memory");
    if (!rf->source)
        return ER_OK; /* unreadable: reported by the loader */
    int nlines = 1;
    for (size_t i = 0; i < rf->len; i++)
        nlines += rf->source[i] == '\n';
    cf->nlines = nlines;
    cf->runnable = calloc((size_t)nlines + 1, 1);
    cf->hits = calloc((size_t)nlines + 1, sizeof *cf->hits);
    if (!cf->runnable || !cf->hits)
        return er_fail(ER_ENOMEM, "out of memory");
    int *lines = NULL;
    size_t n = 0;
    if (er_coverage_lines(cov->rs->sb.L, rf->source, rf->len, chunk, true,
                          &lines, &n) != ER_OK)
        return ER_OK; /* does not compile: the loader reported it */
    for (size_t k = 0; k < n; k++)
        if (lines[k] >= 1 && lines[k] <= nlines)
            cf->runnable[lines[k]] = 1;
    free(lines);
    return ER_OK;
}

/* Runs each file's main chunk once under the hook: its top-level lines ran
 * when the rule set loaded, before coverage could start. */
static void replay_main_chunks(er_coverage *cov)
{
    er_ruleset *rs = cov->rs;
    lua_State *L = rs->sb.L;
    for (size_t fi = 0; fi < rs->nfiles; fi++) {
        const er_rule_file *rf = &rs->files[fi];
        if (!rf->source || rf->dropped) /* dropped: its loading hung */
            continue;
        int base = lua_gettop(L);
        char chunk[4200];
        snprintf(chunk, sizeof chunk, "@%s", rf->display);
        er_sandbox_arm(&rs->sb);
        if (luaL_loadbufferx(L, rf->source, rf->len, chunk, "t") == LUA_OK) {
            er_sandbox_push_env(L);
            lua_setupvalue(L, -2, 1);
            lua_pcall(L, 0, 0, 0); /* its result and errors: the loader's */
        }
        er_sandbox_disarm(&rs->sb);
        lua_settop(L, base);
    }
}

void er_coverage_clear_hits(er_coverage *cov)
{
    for (size_t i = 0; i < cov->nfiles; i++) {
        cov_file *f = &cov->files[i];
        if (f->hits)
            memset(f->hits, 0, ((size_t)f->nlines + 1) * sizeof *f->hits);
        f->touched = false;
    }
}

int er_coverage_pack_hits(const er_coverage *cov, er_buf *b)
{
    for (size_t i = 0; i < cov->nfiles; i++) {
        const cov_file *f = &cov->files[i];
        bool any = f->touched;
        for (int l = 1; f->hits && l <= f->nlines && !any; l++)
            any = f->hits[l] > 0;
        if (!any)
            continue;
        uint32_t hdr[2] = {(uint32_t)i, f->touched};
        er_buf_add(b, hdr, sizeof hdr);
        for (int l = 1; f->hits && l <= f->nlines; l++) {
            if (!f->hits[l])
                continue;
            uint32_t line = (uint32_t)l;
            uint64_t n = f->hits[l];
            er_buf_add(b, &line, sizeof line);
            er_buf_add(b, &n, sizeof n);
        }
        uint32_t end = 0;
        er_buf_add(b, &end, sizeof end);
    }
    return b->len == 0 || b->data ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

void er_coverage_add_hits(er_coverage *cov, const char *data, size_t len)
{
    size_t off = 0;
    uint32_t hdr[2], line;
    uint64_t n;
    while (off + sizeof hdr <= len) {
        memcpy(hdr, data + off, sizeof hdr);
        off += sizeof hdr;
        cov_file *f = hdr[0] < cov->nfiles ? &cov->files[hdr[0]] : NULL;
        if (f && hdr[1])
            f->touched = true;
        while (off + sizeof line <= len) {
            memcpy(&line, data + off, sizeof line);
            off += sizeof line;
            if (line == 0 || off + sizeof n > len)
                break;
            memcpy(&n, data + off, sizeof n);
            off += sizeof n;
            if (f && f->hits && (int)line <= f->nlines)
                f->hits[line] += (unsigned long)n;
        }
    }
}

int er_coverage_start(er_coverage **out, er_ruleset *rs)
{
    int rc = ER_OK;
    er_coverage *cov = calloc(1, sizeof *cov);
    if (!cov)
        return er_fail(ER_ENOMEM, "out of memory");
    cov->rs = rs;
    cov->last_file = -1;
    er_strmap_init(&cov->sources);
    cov->files = calloc(rs->nfiles + 1, sizeof *cov->files);
    if (!cov->files) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    cov->nfiles = rs->nfiles;
    for (size_t i = 0; i < rs->nfiles && rc == ER_OK; i++)
        rc = file_setup(cov, i);
    if (rc != ER_OK)
        goto done;
    er_sandbox_set_coverage(&rs->sb, on_line, cov);
    replay_main_chunks(cov);
    cov->replayed = true;
    *out = cov;
    cov = NULL;
done:
    er_coverage_free(cov);
    return rc;
}

void er_coverage_free(er_coverage *cov)
{
    if (!cov)
        return;
    if (cov->rs->sb.coverage_ctx == cov)
        er_sandbox_set_coverage(&cov->rs->sb, NULL, NULL);
    for (size_t i = 0; i < cov->nfiles; i++) {
        free(cov->files[i].runnable);
        free(cov->files[i].hits);
    }
    free(cov->files);
    er_strmap_free(&cov->sources);
    free(cov);
}

/* ---- reports ------------------------------------------------------------- */

static void file_counts(const cov_file *f, long *run, long *runnable)
{
    *run = *runnable = 0;
    for (int l = 1; l <= f->nlines; l++) {
        if (f->runnable && f->runnable[l]) {
            (*runnable)++;
            *run += f->hits[l] > 0;
        }
    }
}

static double percent(long run, long runnable)
{
    return runnable ? 100.0 * (double)run / (double)runnable : 100.0;
}

bool er_coverage_touched(const er_coverage *cov, size_t i)
{
    return cov->files[i].touched;
}

void er_coverage_totals(const er_coverage *cov, const bool *scope,
                        long *run_out, long *runnable_out)
{
    long run = 0, runnable = 0;
    for (size_t i = 0; i < cov->nfiles; i++) {
        if (scope && !scope[i])
            continue;
        long r, n;
        file_counts(&cov->files[i], &r, &n);
        run += r;
        runnable += n;
    }
    *run_out = run;
    *runnable_out = runnable;
}

/* "12, 15-17, 30" for the runnable lines that never ran. */
static void never_run(const cov_file *f, er_buf *b)
{
    int l = 1;
    while (l <= f->nlines) {
        if (!(f->runnable[l] && !f->hits[l])) {
            l++;
            continue;
        }
        int first = l, last = l;
        /* a range goes on over lines that are not runnable */
        for (int k = l + 1; k <= f->nlines; k++) {
            if (f->runnable[k] && f->hits[k])
                break;
            if (f->runnable[k])
                last = k;
        }
        er_buf_printf(b, "%s%d", b->len ? ", " : "", first);
        if (last > first)
            er_buf_printf(b, "-%d", last);
        l = last + 1;
    }
}

/* The columns of one row of the coverage table: the file (or "total"),
 * "run/runnable" and the percentage. */
static void print_counts(FILE *fp, const char *label, int width, long run,
                         long runnable)
{
    char lines[48], pct[16];
    snprintf(lines, sizeof lines, "%ld/%ld", run, runnable);
    snprintf(pct, sizeof pct, "%.1f", percent(run, runnable));
    er_fput_padded(fp, label, width, false);
    er_fput_padded(fp, lines, 11, true);
    er_fput_padded(fp, pct, 8, true);
}

void er_coverage_print(const er_coverage *cov, const bool *scope, FILE *fp)
{
    int wfile = 4;
    for (size_t i = 0; i < cov->nfiles; i++)
        if ((!scope || scope[i]) && cov->files[i].runnable) {
            int w = er_display_width(cov->files[i].display);
            if (w > wfile)
                wfile = w;
        }
    fputs("\ncoverage of rule files (lines run / runnable lines)\n", fp);
    er_fput_padded(fp, "file", wfile + 2, false);
    er_fput_padded(fp, "lines", 11, true);
    er_fput_padded(fp, "%", 8, true);
    fputs("   never run\n", fp);
    for (size_t i = 0; i < cov->nfiles; i++) {
        const cov_file *f = &cov->files[i];
        if ((scope && !scope[i]) || !f->runnable)
            continue;
        long run, n;
        file_counts(f, &run, &n);
        er_buf nr;
        er_buf_init(&nr);
        never_run(f, &nr);
        print_counts(fp, f->display, wfile + 2, run, n);
        fprintf(fp, "   %s\n", nr.err   ? "(not listed: out of memory)"
                                : nr.len ? nr.data
                                         : "");
        er_buf_free(&nr);
    }
    long run, n;
    er_coverage_totals(cov, scope, &run, &n);
    print_counts(fp, "total", wfile + 2, run, n);
    fputs("\n", fp);
}

void er_coverage_json(const er_coverage *cov, const bool *scope, er_buf *b)
{
    er_buf_puts(b, "{\n  \"files\": [");
    bool first = true;
    for (size_t i = 0; i < cov->nfiles; i++) {
        const cov_file *f = &cov->files[i];
        if ((scope && !scope[i]) || !f->runnable)
            continue;
        long run, n;
        file_counts(f, &run, &n);
        er_buf_puts(b, first ? "\n    {\"file\": " : ",\n    {\"file\": ");
        first = false;
        er_json_add(b, f->display);
        er_buf_printf(b, ", \"lines_runnable\": %ld, \"lines_run\": %ld, "
                         "\"percent\": %.1f,\n     \"never_run\": [",
                      n, run, percent(run, n));
        bool first_line = true;
        for (int l = 1; l <= f->nlines; l++)
            if (f->runnable[l] && !f->hits[l]) {
                er_buf_printf(b, "%s%d", first_line ? "" : ", ", l);
                first_line = false;
            }
        er_buf_puts(b, "],\n     \"hits\": {");
        first_line = true;
        for (int l = 1; l <= f->nlines; l++)
            if (f->runnable[l]) {
                er_buf_printf(b, "%s\"%d\": %lu", first_line ? "" : ", ", l,
                              f->hits[l]);
                first_line = false;
            }
        er_buf_puts(b, "}}");
    }
    long run, n;
    er_coverage_totals(cov, scope, &run, &n);
    er_buf_printf(b, "\n  ],\n  \"total\": {\"lines_runnable\": %ld, "
                     "\"lines_run\": %ld, \"percent\": %.1f}\n}\n",
                  n, run, percent(run, n));
}

void er_coverage_lcov(const er_coverage *cov, const bool *scope, er_buf *b)
{
    for (size_t i = 0; i < cov->nfiles; i++) {
        const cov_file *f = &cov->files[i];
        if ((scope && !scope[i]) || !f->runnable)
            continue;
        long run, n;
        file_counts(f, &run, &n);
        /* one record a line: a path with a line end or another control
         * character is written escaped rather than break the records */
        er_buf_puts(b, "TN:\nSF:");
        er_text_add(b, ER_TEXT_TERM, f->display);
        er_buf_puts(b, "\n");
        for (int l = 1; l <= f->nlines; l++)
            if (f->runnable[l])
                er_buf_printf(b, "DA:%d,%lu\n", l, f->hits[l]);
        er_buf_printf(b, "LF:%ld\nLH:%ld\nend_of_record\n", n, run);
    }
}
