/*
 * diff.c - `equirule diff`: the impact of a rule change. It evaluates a
 * base and a head rule set on one snapshot of the data, through the engine
 * like a run (in worker processes), matches their findings on rule, region and year, and reports
 * what changed: findings, transitions and money totals per rule, rules
 * added and removed. A base given as a git revision is read with `git
 * archive` into a temporary folder. It writes nothing to the database.
 */
#include "tools.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a base from git ----------------------------------------------------- */

/* Runs argv (no shell) with its stdout appended to `out` (NULL: dropped)
 * and its stderr in the file `errpath`; returns its exit status, or -1
 * when it could not be run to the end. */
static int run_command(char *const argv[], er_buf *out, const char *errpath)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[1]);
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd >= 0) {
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        int in = open("/dev/null", O_RDONLY);
        if (in >= 0) {
            dup2(in, STDIN_FILENO);
            close(in);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    char buf[4096];
    for (;;) {
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (out)
            er_buf_add(out, buf, (size_t)n);
    }
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (out && out->err)
        return -1; /* its output did not fit in memory: not read */
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The first line of the file at `path` (a command's stderr) into buf. */
static const char *first_line_of(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *fp = fopen(path, "r");
    if (fp) {
        if (fgets(buf, (int)size, fp))
            buf[strcspn(buf, "\r\n")] = '\0';
        fclose(fp);
    }
    return buf;
}

static void chomp(er_buf *b)
{
    while (b->len && (b->data[b->len - 1] == '\n' ||
                      b->data[b->len - 1] == '\r'))
        b->data[--b->len] = '\0';
}

/* Extracts the copy of the folder `head` (inside a git work tree) at
 * revision `rev` into tmp; *dir_out (owned) names it and *label_out
 * (owned) reads "REV (abc1234)". */
static int git_base(const char *head, const char *rev, const char *tmp,
                    char **dir_out, char **label_out)
{
    char err[512], errpath[4200], tar[4200], tree[4200], msg[600];
    er_buf top, prefix, sha;
    er_buf_init(&top);
    er_buf_init(&prefix);
    er_buf_init(&sha);
    int rc = ER_OK, st;
    snprintf(errpath, sizeof errpath, "%s/git.err", tmp);
    snprintf(tar, sizeof tar, "%s/base.tar", tmp);
    snprintf(tree, sizeof tree, "%s/tree", tmp);

    char *a1[] = {"git", "-C", (char *)head, "rev-parse", "--show-toplevel",
                  NULL};
    if ((st = run_command(a1, &top, errpath)) != 0) {
        first_line_of(errpath, err, sizeof err);
        rc = er_fail(ER_EUSAGE,
                     "--base %s: not a folder, and %s is not in a git "
                     "repository to read a revision from (%s)",
                     rev, head,
                     st == 127 ? "git cannot be run" : err);
        goto done;
    }
    char *a2[] = {"git", "-C", (char *)head, "rev-parse", "--show-prefix",
                  NULL};
    if (run_command(a2, &prefix, errpath) != 0) {
        rc = er_fail(ER_ERROR, "git rev-parse --show-prefix failed in %s: %s",
                     head, first_line_of(errpath, err, sizeof err));
        goto done;
    }
    chomp(&top);
    chomp(&prefix);
    char spec[600];
    snprintf(spec, sizeof spec, "%s^{commit}", rev);
    char *a3[] = {"git", "-C", top.data, "rev-parse", "--verify", "--quiet",
                  spec, NULL};
    if (run_command(a3, &sha, errpath) != 0 || !sha.len) {
        rc = er_fail(ER_EUSAGE,
                     "--base %s: neither a folder nor a revision of the git "
                     "repository %s",
                     rev, top.data);
        goto done;
    }
    chomp(&sha);
    char *a4[] = {"git", "-C", top.data, "archive", "--format=tar", "-o", tar,
                  sha.data, prefix.len ? prefix.data : NULL, NULL};
    if (run_command(a4, NULL, errpath) != 0) {
        first_line_of(errpath, err, sizeof err);
        rc = er_fail(ER_EUSAGE, "--base %s: revision %.12s has no %s (git: %s)",
                     rev, sha.data, prefix.len ? prefix.data : "files", err);
        goto done;
    }
    if (mkdir(tree, 0700) != 0) {
        rc = er_fail(ER_ERROR, "%s: %s", tree, strerror(errno));
        goto done;
    }
    char *a5[] = {"tar", "-x", "-f", tar, "-C", tree, NULL};
    if ((st = run_command(a5, NULL, errpath)) != 0) {
        rc = er_fail(ER_ERROR, "cannot unpack revision %s with tar: %s", rev,
                     first_line_of(errpath, msg, sizeof msg));
        goto done;
    }
    er_buf dir, label;
    er_buf_init(&dir);
    er_buf_init(&label);
    er_buf_printf(&dir, "%s/%s", tree, prefix.len ? prefix.data : "");
    while (dir.len > 1 && dir.data[dir.len - 1] == '/')
        dir.data[--dir.len] = '\0';
    er_buf_printf(&label, "%s (%.7s)", rev, sha.data);
    *dir_out = er_buf_detach(&dir);
    *label_out = er_buf_detach(&label);
    if (!*dir_out || !*label_out)
        rc = er_fail(ER_ENOMEM, "out of memory");
done:
    er_buf_free(&top);
    er_buf_free(&prefix);
    er_buf_free(&sha);
    return rc;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* ---- comparing ----------------------------------------------------------- */

typedef struct side {
    er_ruleset *rs;
    er_collected got;
    const er_finding **sorted;
    char *label;
} side;

typedef struct change {
    const char *rule; /* id */
    int32_t region, year;
    const er_finding *a, *b; /* before, after; one may be NULL */
} change;

typedef struct rule_sum {
    const char *id;
    bool in_base, in_head;
    long changes;
    long transitions[ER_OUTCOME_COUNT + 1][ER_OUTCOME_COUNT + 1]; /* +1: none */
    long counts_a[ER_OUTCOME_COUNT], counts_b[ER_OUTCOME_COUNT];
    int64_t cut_a, cut_b, alloc_a, alloc_b;
    long findings_a, findings_b;
} rule_sum;

typedef struct diff_ctx {
    const er_snapshot *snap;
    side base, head;
    change *changes;
    size_t nchanges, cap;
    rule_sum *rules;
    size_t nrules;
    int year_from, year_to;
    bool outcome_only; /* list changes of outcome only */
    long value_only;   /* then: the changes of value, not listed */
    int64_t magnitude[2][2]; /* [head][allocation]: sum of |amount| of
                                one side's cuts or allocations; when it
                                fits, so does every total of that side */
} diff_ctx;

static const er_ruleset *sort_rs; /* qsort has no context argument */

static int cmp_finding(const void *pa, const void *pb)
{
    const er_finding *a = *(const er_finding *const *)pa;
    const er_finding *b = *(const er_finding *const *)pb;
    int c = strcmp(sort_rs->rules[a->rule].info.id,
                   sort_rs->rules[b->rule].info.id);
    if (c)
        return c;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    if (a->year != b->year)
        return a->year < b->year ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int sort_side(side *s)
{
    s->sorted = calloc(s->got.n + 1, sizeof *s->sorted);
    if (!s->sorted)
        return er_fail(ER_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->got.n; i++)
        s->sorted[i] = &s->got.items[i];
    sort_rs = s->rs;
    if (s->got.n)
        qsort(s->sorted, s->got.n, sizeof *s->sorted, cmp_finding);
    return ER_OK;
}

static bool num_differs(double a, double b)
{
    if (a == b || (isnan(a) && isnan(b)))
        return false;
    double scale = fmax(fabs(a), fabs(b));
    return fabs(a - b) > 1e-9 * scale;
}

static bool str_differs(const char *a, const char *b)
{
    return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

static bool finding_changed(const er_finding *a, const er_finding *b)
{
    unsigned fl = ER_F_MEASURED | ER_F_REQUIRED | ER_F_AMOUNT;
    if (a->outcome != b->outcome || (a->flags & fl) != (b->flags & fl) ||
        str_differs(a->unit, b->unit))
        return true;
    if ((a->flags & ER_F_MEASURED) && num_differs(a->measured, b->measured))
        return true;
    if ((a->flags & ER_F_REQUIRED) && num_differs(a->required, b->required))
        return true;
    return (a->flags & ER_F_AMOUNT) && a->amount != b->amount;
}

/* Whether the money of a finding (its cut or allocation in fen) differs:
 * such a change is always listed, never folded as "value only". */
static bool amount_changed(const er_finding *a, const er_finding *b)
{
    if ((a->flags & ER_F_AMOUNT) != (b->flags & ER_F_AMOUNT))
        return true;
    return (a->flags & ER_F_AMOUNT) && a->amount != b->amount;
}

static rule_sum *rule_entry(diff_ctx *d, const char *id)
{
    for (size_t i = 0; i < d->nrules; i++)
        if (strcmp(d->rules[i].id, id) == 0)
            return &d->rules[i];
    return NULL;
}

static int add_rules(diff_ctx *d, const er_ruleset *rs, bool head)
{
    for (size_t i = 0; i < rs->nrules; i++) {
        rule_sum *r = rule_entry(d, rs->rules[i].info.id);
        if (!r) {
            rule_sum *p = realloc(d->rules, (d->nrules + 1) * sizeof *p);
            if (!p)
                return er_fail(ER_ENOMEM, "out of memory");
            d->rules = p;
            r = &d->rules[d->nrules++];
            memset(r, 0, sizeof *r);
            r->id = rs->rules[i].info.id;
        }
        if (head)
            r->in_head = true;
        else
            r->in_base = true;
    }
    return ER_OK;
}

static int cmp_rule_sum(const void *a, const void *b)
{
    return strcmp(((const rule_sum *)a)->id, ((const rule_sum *)b)->id);
}

/* Adds the magnitude of a cut or allocation amount; ER_EDATA when the
 * totals could no longer be summed in 64-bit fen. */
static int check_amount(diff_ctx *d, const char *rule, const er_finding *f,
                        bool head)
{
    if (!f || !(f->flags & ER_F_AMOUNT) ||
        (f->outcome != ER_CUT && f->outcome != ER_ALLOCATION))
        return ER_OK;
    if (f->amount == INT64_MIN ||
        !er_fen_add(&d->magnitude[head][f->outcome == ER_ALLOCATION],
                    f->amount < 0 ? -f->amount : f->amount))
        return er_fail(ER_EDATA,
                       "the %s amounts of the %s rules add up to more than "
                       "92,233,720,368,547,758.07 元 (reached with rule %s), "
                       "the largest total that can be summed",
                       er_outcome_name((er_outcome)f->outcome),
                       head ? "head" : "base", rule);
    return ER_OK;
}

static void tally(rule_sum *r, const er_finding *f, bool head)
{
    if (!f)
        return;
    if (head) {
        r->findings_b++;
        r->counts_b[f->outcome]++;
    } else {
        r->findings_a++;
        r->counts_a[f->outcome]++;
    }
    int64_t *cut = head ? &r->cut_b : &r->cut_a;
    int64_t *alloc = head ? &r->alloc_b : &r->alloc_a;
    if (f->outcome == ER_CUT && (f->flags & ER_F_AMOUNT))
        *cut += f->amount;
    if (f->outcome == ER_ALLOCATION && (f->flags & ER_F_AMOUNT))
        *alloc += f->amount;
}

static int add_change(diff_ctx *d, const char *rule, const er_finding *a,
                      const er_finding *b)
{
    if (d->nchanges == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        change *p = realloc(d->changes, cap * sizeof *p);
        if (!p)
            return er_fail(ER_ENOMEM, "out of memory");
        d->changes = p;
        d->cap = cap;
    }
    const er_finding *f = a ? a : b;
    d->changes[d->nchanges++] = (change){rule, f->region, f->year, a, b};
    rule_sum *r = rule_entry(d, rule);
    r->changes++;
    r->transitions[a ? a->outcome : ER_OUTCOME_COUNT]
                  [b ? b->outcome : ER_OUTCOME_COUNT]++;
    return ER_OK;
}

/* Merges the two sorted lists. */
static int compare_sides(diff_ctx *d)
{
    side *A = &d->base, *B = &d->head;
    size_t i = 0, j = 0;
    int rc = ER_OK;
    while (rc == ER_OK && (i < A->got.n || j < B->got.n)) {
        const er_finding *a = i < A->got.n ? A->sorted[i] : NULL;
        const er_finding *b = j < B->got.n ? B->sorted[j] : NULL;
        const char *ida = a ? A->rs->rules[a->rule].info.id : NULL;
        const char *idb = b ? B->rs->rules[b->rule].info.id : NULL;
        int c;
        if (!a)
            c = 1;
        else if (!b)
            c = -1;
        else if ((c = strcmp(ida, idb)) == 0)
            c = a->region != b->region ? (a->region < b->region ? -1 : 1)
                : a->year != b->year   ? (a->year < b->year ? -1 : 1)
                                       : 0;
        if (c < 0)
            b = NULL;
        else if (c > 0)
            a = NULL;
        const char *id = a ? ida : idb;
        rule_sum *r = rule_entry(d, id);
        if ((rc = check_amount(d, id, a, false)) != ER_OK ||
            (rc = check_amount(d, id, b, true)) != ER_OK)
            break;
        tally(r, a, false);
        tally(r, b, true);
        if (a)
            i++;
        if (b)
            j++;
        if (!(r->in_base && r->in_head))
            continue; /* a rule added or removed: counted, not listed */
        if (a && b && d->outcome_only && a->outcome == b->outcome &&
            !amount_changed(a, b)) {
            d->value_only += finding_changed(a, b); /* counted, not listed */
            continue;
        }
        if (!a || !b || finding_changed(a, b))
            rc = add_change(d, id, a, b);
    }
    return rc;
}

/* ---- output -------------------------------------------------------------- */

static const char *outcome_or_none(const er_finding *f)
{
    return f ? er_outcome_name((er_outcome)f->outcome) : "none";
}

/* "a → b", or "a" when equal; "" when neither has the value. */
static void pair_num(er_buf *b, const er_finding *x, const er_finding *y,
                     unsigned flag)
{
    char n1[64], n2[64];
    bool hx = x && (x->flags & flag), hy = y && (y->flags & flag);
    double vx = !hx ? 0 : flag == ER_F_MEASURED ? x->measured : x->required;
    double vy = !hy ? 0 : flag == ER_F_MEASURED ? y->measured : y->required;
    if (!hx && !hy)
        return;
    if (hx && hy && !num_differs(vx, vy)) {
        er_buf_puts(b, er_fmt_num(n1, sizeof n1, vx));
        return;
    }
    er_buf_printf(b, "%s → %s", hx ? er_fmt_num(n1, sizeof n1, vx) : "—",
                  hy ? er_fmt_num(n2, sizeof n2, vy) : "—");
}

static void pair_amount(er_buf *b, const er_finding *x, const er_finding *y)
{
    char n1[64], n2[64];
    bool hx = x && (x->flags & ER_F_AMOUNT), hy = y && (y->flags & ER_F_AMOUNT);
    if (!hx && !hy)
        return;
    if (hx && hy && x->amount == y->amount) {
        er_buf_puts(b, er_fmt_fen(n1, sizeof n1, x->amount));
        return;
    }
    er_buf_printf(b, "%s → %s", hx ? er_fmt_fen(n1, sizeof n1, x->amount) : "—",
                  hy ? er_fmt_fen(n2, sizeof n2, y->amount) : "—");
}

static void money_change(er_buf *b, const char *what, int64_t a, int64_t c)
{
    char n1[64], n2[64], n3[64];
    int64_t delta;
    er_buf_printf(b, "%s %s → %s", what, er_fmt_fen(n1, sizeof n1, a),
                  er_fmt_fen(n2, sizeof n2, c));
    /* each side's total fits (check_amount); their difference may not
     * when amounts of both signs are summed: it is then left out */
    if (c != a && !__builtin_sub_overflow(c, a, &delta))
        er_buf_printf(b, " (%s%s)", c > a ? "+" : "",
                      er_fmt_fen(n3, sizeof n3, delta));
}

/* The name of outcome `k`, or "none" for ER_OUTCOME_COUNT (no finding). */
static const char *outcome_label(int k)
{
    return k == ER_OUTCOME_COUNT ? "none" : er_outcome_name((er_outcome)k);
}

static void transitions_text(const rule_sum *r, er_buf *b)
{
    bool first = true;
    for (int x = 0; x <= ER_OUTCOME_COUNT; x++)
        for (int y = 0; y <= ER_OUTCOME_COUNT; y++) {
            if (!r->transitions[x][y])
                continue;
            er_buf_printf(b, "%s%s → %s %ld", first ? "" : ", ",
                          outcome_label(x), outcome_label(y),
                          r->transitions[x][y]);
            first = false;
        }
}

static void counts_text(const long *counts, er_buf *b)
{
    bool first = true;
    for (int k = 0; k < ER_OUTCOME_COUNT; k++)
        if (counts[k]) {
            er_buf_printf(b, "%s%s %ld", first ? "" : ", ",
                          er_outcome_name((er_outcome)k), counts[k]);
            first = false;
        }
}

/* The cells of one changed finding: rule, region, year, outcome, measured,
 * required, amount. */
enum { C_RULE, C_REGION, C_YEAR, C_OUTCOME, C_MEASURED, C_REQUIRED,
       C_AMOUNT, C_COUNT };
static const char *const headers[C_COUNT] = {"rule", "region", "year",
                                             "outcome", "measured",
                                             "required", "amount (元)"};

static void change_cells(const diff_ctx *d, const change *c, er_buf cells[])
{
    const er_region *g = &d->snap->regions[c->region];
    for (int k = 0; k < C_COUNT; k++) {
        er_buf_init(&cells[k]);
        er_buf_puts(&cells[k], "");
    }
    er_buf_puts(&cells[C_RULE], c->rule);
    er_buf_printf(&cells[C_REGION], "%s %s", g->code, g->name);
    er_buf_printf(&cells[C_YEAR], "%d", (int)c->year);
    if (c->a && c->b && c->a->outcome == c->b->outcome)
        er_buf_puts(&cells[C_OUTCOME], outcome_or_none(c->a));
    else
        er_buf_printf(&cells[C_OUTCOME], "%s → %s", outcome_or_none(c->a),
                      outcome_or_none(c->b));
    pair_num(&cells[C_MEASURED], c->a, c->b, ER_F_MEASURED);
    const char *unit = c->b && c->b->unit ? c->b->unit
                       : c->a            ? c->a->unit
                                         : NULL;
    if (cells[C_MEASURED].len && unit)
        er_buf_printf(&cells[C_MEASURED], " %s", unit);
    pair_num(&cells[C_REQUIRED], c->a, c->b, ER_F_REQUIRED);
    pair_amount(&cells[C_AMOUNT], c->a, c->b);
}

/* Appends text from rules or data: a Markdown cell, or terminal text. */
static void text_add(er_buf *b, bool md, const char *s)
{
    er_text_add(b, md ? ER_TEXT_MD : ER_TEXT_TERM, s);
}

static void years_label(const diff_ctx *d, char *buf, size_t size)
{
    if (d->year_from == d->year_to)
        snprintf(buf, size, "%d", d->year_from);
    else
        snprintf(buf, size, "%d-%d", d->year_from, d->year_to);
}

static void sets_label(er_buf *b, const char *const *sets)
{
    for (size_t i = 0; sets && sets[i]; i++)
        er_buf_printf(b, "%s%s", i ? ", " : "", sets[i]);
}

static int write_text(const diff_ctx *d, const er_diff_opts *o, bool md,
                      FILE *fp)
{
    char years[32];
    years_label(d, years, sizeof years);
    er_buf b;
    er_buf_init(&b);
    er_buf_printf(&b, "%sdiff ", md ? "# " : "");
    text_add(&b, md, d->base.label);
    er_buf_puts(&b, " → ");
    text_add(&b, md, d->head.label);
    er_buf_printf(&b, " · %s\n", years);
    if (o->base_sets && o->base_sets[0]) {
        er_buf_puts(&b, md ? "\nbase overrides: " : "base overrides: ");
        sets_label(&b, o->base_sets);
        er_buf_puts(&b, "\n");
    }
    if (o->sets && o->sets[0]) {
        er_buf_puts(&b, md ? "\nhead overrides: " : "head overrides: ");
        sets_label(&b, o->sets);
        er_buf_puts(&b, "\n");
    }
    const side *sides[2] = {&d->base, &d->head};
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < sides[s]->rs->ndiags; i++) {
            er_buf_printf(&b, "%s%s rule problem: ", md ? "- " : "",
                          s ? "head" : "base");
            text_add(&b, md, sides[s]->rs->diags[i]);
            er_buf_puts(&b, "\n");
        }

    er_buf_printf(&b, "\n%s%zu finding%s changed%s\n", md ? "## " : "",
                  d->nchanges, d->nchanges == 1 ? "" : "s",
                  d->outcome_only
                      ? " outcome or amount (or appeared or went)"
                      : "");
    if (d->outcome_only)
        er_buf_printf(&b, "%s%ld finding%s changed only measured or "
                          "required; not listed\n",
                      md ? "\n" : "", d->value_only,
                      d->value_only == 1 ? "" : "s");
    if (d->nchanges) {
        int w[C_COUNT];
        for (int k = 0; k < C_COUNT; k++)
            w[k] = er_display_width(headers[k]);
        er_buf *rows = calloc(d->nchanges * C_COUNT + 1, sizeof *rows);
        if (!rows) {
            er_buf_free(&b);
            return er_fail(ER_ENOMEM, "out of memory");
        }
        int rc = ER_OK;
        for (size_t i = 0; i < d->nchanges; i++) {
            er_buf *cells = &rows[i * C_COUNT];
            change_cells(d, &d->changes[i], cells);
            for (int k = 0; k < C_COUNT; k++) {
                er_buf cell;
                er_buf_init(&cell);
                er_buf_puts(&cell, ""); /* data is a string, even empty */
                text_add(&cell, md, cells[k].err ? "" : cells[k].data);
                if (cells[k].err || cell.err)
                    rc = ER_ENOMEM;
                er_buf_free(&cells[k]);
                cells[k] = cell; /* as it is written */
                int x = cell.err ? 0 : er_display_width(cell.data);
                if (x > w[k])
                    w[k] = x;
            }
        }
        if (md) {
            er_buf_puts(&b, "\n|");
            for (int k = 0; k < C_COUNT; k++)
                er_buf_printf(&b, " %s |", headers[k]);
            er_buf_puts(&b, "\n|");
            for (int k = 0; k < C_COUNT; k++)
                er_buf_puts(&b, k >= C_MEASURED ? " ---: |" : " --- |");
            er_buf_puts(&b, "\n");
        }
        if (rc == ER_OK)
            rc = er_buf_write(&b, fp);
        er_buf_free(&b);
        if (rc == ER_OK && !md) {
            fputs("\n", fp);
            for (int k = 0; k < C_COUNT; k++)
                er_fput_padded(fp, headers[k], w[k] + 2, k >= C_MEASURED);
            fputs("\n", fp);
        }
        for (size_t i = 0; i < d->nchanges; i++) {
            er_buf *cells = &rows[i * C_COUNT];
            if (rc == ER_OK && md) {
                fputs("|", fp);
                for (int k = 0; k < C_COUNT; k++)
                    fprintf(fp, " %s |", cells[k].data);
                fputs("\n", fp);
            } else if (rc == ER_OK) {
                for (int k = 0; k < C_COUNT; k++)
                    er_fput_padded(fp, cells[k].data, w[k] + 2,
                                   k >= C_MEASURED);
                fputs("\n", fp);
            }
            for (int k = 0; k < C_COUNT; k++)
                er_buf_free(&cells[k]);
        }
        free(rows);
        if (rc != ER_OK)
            return er_fail(rc, "out of memory");
    }

    er_buf_puts(&b, md ? "\n## by rule\n\n" : "\nby rule\n");
    int64_t cut_a = 0, cut_b = 0, alloc_a = 0, alloc_b = 0;
    bool any = false;
    for (size_t i = 0; i < d->nrules; i++) {
        const rule_sum *r = &d->rules[i];
        if (!(r->in_base && r->in_head))
            continue;
        cut_a += r->cut_a;
        cut_b += r->cut_b;
        alloc_a += r->alloc_a;
        alloc_b += r->alloc_b;
        if (!r->changes && r->cut_a == r->cut_b && r->alloc_a == r->alloc_b)
            continue;
        any = true;
        er_buf_printf(&b, "%s%s%s: %ld changed", md ? "- `" : "  ", r->id,
                      md ? "`" : "", r->changes);
        if (r->changes) {
            er_buf_puts(&b, " (");
            transitions_text(r, &b);
            er_buf_puts(&b, ")");
        }
        if (r->cut_a || r->cut_b) {
            er_buf_puts(&b, "; ");
            money_change(&b, "cut", r->cut_a, r->cut_b);
        }
        if (r->alloc_a || r->alloc_b) {
            er_buf_puts(&b, "; ");
            money_change(&b, "allocation", r->alloc_a, r->alloc_b);
        }
        er_buf_puts(&b, "\n");
    }
    if (!any)
        er_buf_puts(&b, md ? "- no change\n" : "  no change\n");
    if (cut_a || cut_b || alloc_a || alloc_b) {
        er_buf_puts(&b, "\ntotals of the rules in both (元): ");
        money_change(&b, "cut (核减)", cut_a, cut_b);
        er_buf_puts(&b, "; ");
        money_change(&b, "allocation (分配)", alloc_a, alloc_b);
        er_buf_puts(&b, "\n");
    }

    for (int added = 1; added >= 0; added--) {
        size_t n = 0;
        for (size_t i = 0; i < d->nrules; i++)
            n += added ? !d->rules[i].in_base : !d->rules[i].in_head;
        if (n)
            er_buf_printf(&b, "%srules %s (%zu):\n", md ? "\n" : "",
                          added ? "added" : "removed", n);
        else
            er_buf_printf(&b, "%srules %s: none\n", md ? "\n" : "",
                          added ? "added" : "removed");
        for (size_t i = 0; i < d->nrules; i++) {
            const rule_sum *r = &d->rules[i];
            if (added ? r->in_base : r->in_head)
                continue;
            er_buf_printf(&b, "%s%s (%ld finding%s", md ? "- " : "  ", r->id,
                          added ? r->findings_b : r->findings_a,
                          (added ? r->findings_b : r->findings_a) == 1 ? ""
                                                                       : "s");
            if (added ? r->findings_b : r->findings_a) {
                er_buf_puts(&b, ": ");
                counts_text(added ? r->counts_b : r->counts_a, &b);
            }
            er_buf_puts(&b, ")\n");
        }
    }
    int rc = er_buf_write(&b, fp);
    er_buf_free(&b);
    return rc;
}

static void csv_num(er_buf *b, const er_finding *f, unsigned flag)
{
    char n[40];
    if (f && (f->flags & flag))
        er_buf_puts(b, er_fmt_exact(n, sizeof n, flag == ER_F_MEASURED
                                                     ? f->measured
                                                     : f->required));
}

static void csv_amount(er_buf *b, const er_finding *f)
{
    char n[40];
    if (f && (f->flags & ER_F_AMOUNT))
        er_buf_puts(b, er_fmt_fen_plain(n, sizeof n, f->amount));
}

static const char *change_kind(const change *c)
{
    return !c->a ? "new" : !c->b ? "gone" : "changed";
}

static int write_csv(const diff_ctx *d, FILE *fp)
{
    er_buf b;
    er_buf_init(&b);
    er_buf_puts(&b, "rule,region,name,year,change,outcome_before,"
                    "outcome_after,measured_before,measured_after,"
                    "required_before,required_after,amount_before_yuan,"
                    "amount_after_yuan,unit,note_after\n");
    for (size_t i = 0; i < d->nchanges; i++) {
        const change *c = &d->changes[i];
        const er_region *g = &d->snap->regions[c->region];
        const er_finding *u = c->b ? c->b : c->a;
        er_text_add(&b, ER_TEXT_CSV, c->rule);
        er_buf_printf(&b, ",%s,", g->code);
        er_text_add(&b, ER_TEXT_CSV, g->name);
        er_buf_printf(&b, ",%d,%s,%s,%s,", (int)c->year, change_kind(c),
                      c->a ? outcome_or_none(c->a) : "",
                      c->b ? outcome_or_none(c->b) : "");
        csv_num(&b, c->a, ER_F_MEASURED);
        er_buf_puts(&b, ",");
        csv_num(&b, c->b, ER_F_MEASURED);
        er_buf_puts(&b, ",");
        csv_num(&b, c->a, ER_F_REQUIRED);
        er_buf_puts(&b, ",");
        csv_num(&b, c->b, ER_F_REQUIRED);
        er_buf_puts(&b, ",");
        csv_amount(&b, c->a);
        er_buf_puts(&b, ",");
        csv_amount(&b, c->b);
        er_buf_puts(&b, ",");
        er_text_add(&b, ER_TEXT_CSV, u->unit);
        er_buf_puts(&b, ",");
        er_text_add(&b, ER_TEXT_CSV, c->b ? c->b->note : NULL);
        er_buf_puts(&b, "\n");
    }
    int rc = er_buf_write(&b, fp);
    er_buf_free(&b);
    return rc;
}

static void json_finding(er_buf *b, const er_finding *f)
{
    if (!f) {
        er_buf_puts(b, "null");
        return;
    }
    er_buf_puts(b, "{");
    er_tools_finding_json(b, f);
    er_buf_puts(b, "}");
}

static void json_sets(er_buf *b, const char *const *sets)
{
    er_buf_puts(b, "[");
    for (size_t i = 0; sets && sets[i]; i++) {
        er_buf_puts(b, i ? ", " : "");
        er_json_add(b, sets[i]);
    }
    er_buf_puts(b, "]");
}

static void json_counts(er_buf *b, const long *counts)
{
    er_buf_puts(b, "{");
    bool first = true;
    for (int k = 0; k < ER_OUTCOME_COUNT; k++)
        if (counts[k]) {
            er_buf_printf(b, "%s\"%s\": %ld", first ? "" : ", ",
                          er_outcome_name((er_outcome)k), counts[k]);
            first = false;
        }
    er_buf_puts(b, "}");
}

static void json_fen(er_buf *b, int64_t fen)
{
    char n[40];
    er_buf_puts(b, er_fmt_fen_plain(n, sizeof n, fen));
}

static int write_json(const diff_ctx *d, const er_diff_opts *o, FILE *fp)
{
    er_buf b;
    er_buf_init(&b);
    er_buf_puts(&b, "{\"base\": ");
    er_json_add(&b, d->base.label);
    er_buf_puts(&b, ", \"head\": ");
    er_json_add(&b, d->head.label);
    er_buf_printf(&b, ", \"years\": [%d, %d],\n \"base_overrides\": ",
                  d->year_from, d->year_to);
    json_sets(&b, o->base_sets);
    er_buf_puts(&b, ", \"head_overrides\": ");
    json_sets(&b, o->sets);
    er_buf_puts(&b, ",\n \"problems\": [");
    const side *sides[2] = {&d->base, &d->head};
    bool first = true;
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < sides[s]->rs->ndiags; i++) {
            er_buf_printf(&b, "%s{\"side\": \"%s\", \"message\": ",
                          first ? "" : ", ", s ? "head" : "base");
            er_json_add(&b, sides[s]->rs->diags[i]);
            er_buf_puts(&b, "}");
            first = false;
        }
    er_buf_printf(&b, "],\n \"listed\": \"%s\", \"value_only\": ",
                  d->outcome_only ? "outcome" : "any");
    if (d->outcome_only)
        er_buf_printf(&b, "%ld", d->value_only);
    else
        er_buf_puts(&b, "null");
    er_buf_puts(&b, ",\n \"changed\": [");
    for (size_t i = 0; i < d->nchanges; i++) {
        const change *c = &d->changes[i];
        const er_region *g = &d->snap->regions[c->region];
        er_buf_puts(&b, i ? ",\n  {\"rule\": " : "\n  {\"rule\": ");
        er_json_add(&b, c->rule);
        er_buf_printf(&b, ", \"region\": \"%s\", \"name\": ", g->code);
        er_json_add(&b, g->name);
        er_buf_printf(&b,
                      ", \"year\": %d, \"change\": \"%s\",\n   "
                      "\"before\": ",
                      (int)c->year, change_kind(c));
        json_finding(&b, c->a);
        er_buf_puts(&b, ",\n   \"after\": ");
        json_finding(&b, c->b);
        er_buf_puts(&b, "}");
    }
    er_buf_puts(&b, "],\n \"rules\": [");
    first = true;
    for (size_t i = 0; i < d->nrules; i++) {
        const rule_sum *r = &d->rules[i];
        er_buf_puts(&b, first ? "\n  {\"rule\": " : ",\n  {\"rule\": ");
        first = false;
        er_json_add(&b, r->id);
        er_buf_printf(&b, ", \"status\": \"%s\", \"changed\": %ld, "
                          "\"transitions\": {",
                      !r->in_base ? "added" : !r->in_head ? "removed" : "both",
                      r->changes);
        bool tf = true;
        for (int x = 0; x <= ER_OUTCOME_COUNT; x++)
            for (int y = 0; y <= ER_OUTCOME_COUNT; y++)
                if (r->transitions[x][y]) {
                    er_buf_printf(&b, "%s\"%s>%s\": %ld", tf ? "" : ", ",
                                  outcome_label(x), outcome_label(y),
                                  r->transitions[x][y]);
                    tf = false;
                }
        er_buf_puts(&b, "},\n   \"base\": {\"findings\": ");
        er_buf_printf(&b, "%ld, \"counts\": ", r->findings_a);
        json_counts(&b, r->counts_a);
        er_buf_puts(&b, ", \"cut\": ");
        json_fen(&b, r->cut_a);
        er_buf_puts(&b, ", \"allocation\": ");
        json_fen(&b, r->alloc_a);
        er_buf_printf(&b, "},\n   \"head\": {\"findings\": %ld, \"counts\": ",
                      r->findings_b);
        json_counts(&b, r->counts_b);
        er_buf_puts(&b, ", \"cut\": ");
        json_fen(&b, r->cut_b);
        er_buf_puts(&b, ", \"allocation\": ");
        json_fen(&b, r->alloc_b);
        er_buf_puts(&b, "}}");
    }
    er_buf_puts(&b, "]}\n");
    int rc = er_buf_write(&b, fp);
    er_buf_free(&b);
    return rc;
}

/* ---- the public side ----------------------------------------------------- */

static int evaluate_side(side *s, const er_snapshot *snap, const char *dbpath,
                         const diff_ctx *d, const char *const *sets,
                         const char *name)
{
    int rc = er_ruleset_set_params(s->rs, sets);
    if (rc != ER_OK) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", er_errmsg());
        return er_fail(rc, "%s side: %s", name, msg);
    }
    /* in worker processes, as in a run: a proposed rule whose evaluation
     * hangs in C code or crashes gives error findings naming it instead
     * of hanging the diff */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    er_selection sel = {.year_from = d->year_from, .year_to = d->year_to,
                        .rules = NULL, .region = -1,
                        .jobs = cores > 0 ? (int)cores : 1};
    rc = er_engine_evaluate(s->rs, snap, dbpath, &sel, er_tools_collect,
                            &s->got, NULL);
    if (rc == ER_OK)
        rc = sort_side(s);
    return rc;
}

int er_diff_run(er_db *db, const er_diff_opts *opts, FILE *fp,
                er_diff_stats *stats)
{
    const er_diff_opts *o = opts;
    const char *head = o->head ? o->head : "rules";
    diff_ctx d;
    memset(&d, 0, sizeof d);
    d.outcome_only = o->changed == ER_CHANGED_OUTCOME;
    er_snapshot *snap = NULL;
    char tmp[4096] = "";
    char *base_dir = NULL;
    int rc;
    struct stat st;

    if (!o->base || !*o->base) {
        rc = er_fail(ER_EUSAGE, "diff needs --base DIR or --base GIT-REV");
        goto done;
    }
    if (stat(o->base, &st) == 0 && S_ISDIR(st.st_mode)) {
        base_dir = er_strdup(o->base);
        d.base.label = er_strdup(o->base);
    } else if (o->base[0] == '-') {
        rc = er_fail(ER_EUSAGE, "--base %s: not a folder or a revision",
                     o->base);
        goto done;
    } else {
        const char *t = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/equirule-diff-XXXXXX",
                 t && *t ? t : "/tmp");
        if (!mkdtemp(tmp)) {
            rc = er_fail(ER_ERROR, "cannot create a temporary folder: %s",
                         strerror(errno));
            tmp[0] = '\0';
            goto done;
        }
        if ((rc = git_base(head, o->base, tmp, &base_dir, &d.base.label)) !=
            ER_OK)
            goto done;
    }
    d.head.label = er_strdup(head);
    if (!base_dir || !d.base.label || !d.head.label) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = er_snapshot_load(db->db, &snap)) != ER_OK)
        goto done;
    d.snap = snap;
    d.year_from = o->year_from ? o->year_from : snap->data_year_max;
    d.year_to = o->year_to ? o->year_to : d.year_from;
    if (!d.year_from) {
        rc = er_fail(ER_EDATA, "%s holds no facts: import data first",
                     db->path);
        goto done;
    }
    if (d.year_to < d.year_from) {
        rc = er_fail(ER_EUSAGE, "years %d-%d: the end is before the start",
                     d.year_from, d.year_to);
        goto done;
    }
    if ((rc = er_ruleset_load_timeout(&d.base.rs, base_dir, o->timeout)) !=
            ER_OK ||
        (rc = er_ruleset_load_timeout(&d.head.rs, head, o->timeout)) != ER_OK)
        goto done;
    if ((rc = add_rules(&d, d.base.rs, false)) != ER_OK ||
        (rc = add_rules(&d, d.head.rs, true)) != ER_OK)
        goto done;
    if (d.nrules)
        qsort(d.rules, d.nrules, sizeof *d.rules, cmp_rule_sum);
    /* workers must not inherit a connection: closed while they run */
    if ((rc = er_db_suspend(db)) != ER_OK)
        goto done;
    if ((rc = evaluate_side(&d.base, snap, db->path, &d, o->base_sets,
                            "base")) == ER_OK)
        rc = evaluate_side(&d.head, snap, db->path, &d, o->sets, "head");
    int rc2 = er_db_resume(db);
    if (rc == ER_OK)
        rc = rc2;
    if (rc != ER_OK)
        goto done;
    if ((rc = compare_sides(&d)) != ER_OK)
        goto done;

    if (o->format == ER_FORMAT_JSON)
        rc = write_json(&d, o, fp);
    else if (o->format == ER_FORMAT_CSV)
        rc = write_csv(&d, fp);
    else
        rc = write_text(&d, o, o->format == ER_FORMAT_MD, fp);
    if (rc != ER_OK)
        goto done;
    if (stats) {
        memset(stats, 0, sizeof *stats);
        stats->changed = (long)d.nchanges;
        stats->value_only = d.value_only;
        for (size_t i = 0; i < d.nrules; i++) {
            stats->rules_added += !d.rules[i].in_base;
            stats->rules_removed += !d.rules[i].in_head;
        }
        stats->base_findings = (long)d.base.got.n;
        stats->head_findings = (long)d.head.got.n;
    }
done:
    {
        side *sides[2] = {&d.base, &d.head};
        for (int s = 0; s < 2; s++) {
            free(sides[s]->sorted);
            er_tools_collected_free(&sides[s]->got);
            er_ruleset_free(sides[s]->rs);
            free(sides[s]->label);
        }
    }
    free(d.changes);
    free(d.rules);
    free(base_dir);
    er_snapshot_free(snap);
    if (tmp[0])
        nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
