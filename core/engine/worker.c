/*
 * worker.c - evaluation in worker processes. The supervisor (the calling
 * process) forks workers that inherit the snapshot, the compiled rules and
 * the results of earlier stages; each runs work units and streams finding
 * records back through a pipe. The supervisor enforces the wall-clock
 * deadline: a worker that hangs or dies is replaced, the evaluation it was
 * running becomes an `error` finding naming the cause, and the rest of its
 * unit runs again. Findings are handed on in unit order, so the output does
 * not depend on the number of workers or on timing. Recording them is the
 * engine's business, not this file's.
 */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How many bytes of findings a worker may send ahead of the supervisor,
 * which records them as they come (the pipe's capacity, where the system
 * allows it). */
#define RESULT_PIPE (1 << 20)

/* Records a worker sends. */
enum { REC_FINDING = 1, REC_DONE = 2, REC_RETIRE = 3 };

typedef struct rec_hdr {
    uint8_t type;
    uint8_t outcome;
    uint8_t flags;
    int32_t rule, region, year;
    int32_t pos; /* REC_RETIRE: first position not evaluated */
    uint32_t unit_len, note_len, gaps_len; /* gaps: er_gaps_pack */
    double measured, required;
    int64_t amount;
} rec_hdr;

/* What a worker shares with the supervisor without a system call: the
 * position it is evaluating (-1 when idle) and since when. */
typedef struct slot {
    volatile int32_t pos;
    volatile int64_t started_ns;
} slot;

enum { CHUNK_PENDING = 0, CHUNK_RUNNING, CHUNK_DONE };

typedef struct chunk {
    er_unit u;
    int state;
    int retries;
    er_buf records; /* serialized findings, in order */
} chunk;

typedef struct worker {
    pid_t pid;
    int cmd_fd; /* supervisor -> worker: units */
    int res_fd; /* worker -> supervisor: records */
    er_buf in;  /* bytes read, not yet parsed */
    long chunk; /* index of the chunk it runs, -1 idle */
    slot *slot;
} worker;

typedef struct supervisor {
    er_eval *ev;
    const er_selection *sel;
    chunk *chunks;
    size_t nchunks, cap;
    size_t next_emit;
    size_t emit_off; /* bytes of chunks[next_emit] already handed on */
    worker *workers;
    int nworkers;
    slot *slots;
    er_emit_fn emit;
    void *ctx;
    char *rbuf; /* RESULT_PIPE bytes: what one read takes from a pipe */
    long *done;
    long total;
    double last_progress;
} supervisor;

/* Appends one finding to a buffer in the wire format. */
static int serialize(er_buf *b, const er_finding *f)
{
    rec_hdr h;
    memset(&h, 0, sizeof h);
    h.type = REC_FINDING;
    h.outcome = f->outcome;
    h.flags = f->flags;
    h.rule = f->rule;
    h.region = f->region;
    h.year = f->year;
    h.unit_len = f->unit ? (uint32_t)strlen(f->unit) : 0;
    h.note_len = f->note ? (uint32_t)strlen(f->note) : 0;
    h.measured = f->measured;
    h.required = f->required;
    h.amount = f->amount;
    size_t at = b->len;
    if (er_buf_add(b, &h, sizeof h) != ER_OK ||
        (h.unit_len && er_buf_add(b, f->unit, h.unit_len) != ER_OK) ||
        (h.note_len && er_buf_add(b, f->note, h.note_len) != ER_OK) ||
        er_gaps_pack(b, f, &h.gaps_len) != ER_OK)
        return ER_ENOMEM;
    memcpy(b->data + at, &h, sizeof h); /* with gaps_len */
    return ER_OK;
}

/* ---- the worker side ----------------------------------------------------- */

typedef struct worker_out {
    int fd;
    er_buf buf;
} worker_out;

static int worker_flush(worker_out *o)
{
    if (o->buf.err) /* a record cut short: send nothing of it */
        return o->buf.err;
    if (o->buf.len && er_write_all(o->fd, o->buf.data, o->buf.len) != 0)
        return ER_ERROR;
    o->buf.len = 0;
    return ER_OK;
}

static int worker_emit(void *ctx, const er_finding *f)
{
    worker_out *o = ctx;
    if (serialize(&o->buf, f) != ER_OK)
        return ER_ENOMEM;
    return o->buf.len >= 60000 ? worker_flush(o) : ER_OK;
}

static void send_marker(worker_out *o, int type, int32_t pos)
{
    rec_hdr h;
    memset(&h, 0, sizeof h);
    h.type = (uint8_t)type;
    h.pos = pos;
    er_buf_add(&o->buf, &h, sizeof h);
    if (worker_flush(o) != ER_OK)
        _exit(3);
}

static void worker_main(er_eval *ev, const er_selection *sel, int cmd_fd,
                        int res_fd, slot *sl)
{
    worker_out out = {res_fd, {0}};
    er_unit u;
    ev->keep = false;
    ev->retire_on_memory = true;
    /* 128 MB of its own: what it inherits (the run's data copied for
     * r:sql, datacopy.c) is not counted against it */
    sqlite3_hard_heap_limit64(sqlite3_memory_used() + 128LL * 1024 * 1024);
    /* fault injection for the tests: EQUIRULE_FAULT=crash:RULE_ID[@CODE]
     * makes the worker die with SIGSEGV when it starts evaluating that rule
     * (for that region) */
    char crash_rule[256] = "", crash_region[16] = "";
    if (er_fault_arg("crash", crash_rule, sizeof crash_rule)) {
        char *at = strchr(crash_rule, '@');
        if (at) {
            snprintf(crash_region, sizeof crash_region, "%s", at + 1);
            *at = '\0';
        }
    }
    int32_t crash_at = -1; /* any region */
    if (crash_region[0]) {
        crash_at = er_snapshot_region(ev->snap, crash_region);
        if (crash_at < 0)
            crash_at = ER_NO_CRASH; /* a code no region has */
    }
    ev->pos_slot = &sl->pos;
    ev->started_slot = &sl->started_ns;
    while (er_read_all(cmd_fd, &u, sizeof u) == 0) {
        const er_rule *r = &ev->rs->rules[u.rule];
        int32_t one = sel->region;
        size_t n;
        const int32_t *regions = er_engine_regions(ev, r, sel, &one, &n);
        /* the whole unit at once: the evaluator names the evaluation in
         * progress in the slot */
        ev->pos_base = u.lo;
        ev->crash_region = crash_rule[0] && strcmp(crash_rule, r->info.id) == 0
                               ? crash_at
                               : ER_NO_CRASH;
        if (er_eval_unit(ev, u.rule, u.year, &regions[u.lo],
                         (size_t)(u.hi - u.lo), worker_emit, &out) != ER_OK)
            _exit(3);
        __atomic_store_n(&sl->pos, -1, __ATOMIC_SEQ_CST);
        if (ev->last_trip == ER_TRIP_MEMORY) {
            /* a state that hit its memory limit is not reused */
            send_marker(&out, REC_RETIRE, u.lo + (int32_t)ev->unit_done);
            _exit(0);
        }
        send_marker(&out, REC_DONE, 0);
    }
    _exit(0);
}

/* ---- the supervisor side ---------------------------------------------------- */

static void close_worker_fds(worker *w)
{
    if (w->cmd_fd >= 0)
        close(w->cmd_fd);
    if (w->res_fd >= 0)
        close(w->res_fd);
    w->cmd_fd = w->res_fd = -1;
}

static int spawn(supervisor *s, int i)
{
    worker *w = &s->workers[i];
    int cmd[2], res[2];
    if (pipe2(cmd, O_CLOEXEC) != 0)
        return er_fail(ER_ERROR, "cannot create a pipe: %s", strerror(errno));
    if (pipe2(res, O_CLOEXEC) != 0) {
        close(cmd[0]);
        close(cmd[1]);
        return er_fail(ER_ERROR, "cannot create a pipe: %s", strerror(errno));
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(cmd[0]);
        close(cmd[1]);
        close(res[0]);
        close(res[1]);
        return er_fail(ER_ERROR, "cannot start a worker: %s", strerror(errno));
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        /* crashes must reach the supervisor as signals, whatever handlers
         * the host installed */
        static const int sigs[] = {SIGPIPE, SIGSEGV, SIGBUS, SIGILL, SIGFPE,
                                   SIGABRT, SIGTERM, SIGINT};
        for (size_t k = 0; k < ER_ARRAY_LEN(sigs); k++)
            signal(sigs[k], SIG_DFL);
        for (int k = 0; k < s->nworkers; k++)
            close_worker_fds(&s->workers[k]);
        close(cmd[1]);
        close(res[0]);
        worker_main(s->ev, s->sel, cmd[0], res[1], w->slot);
    }
    close(cmd[0]);
    close(res[1]);
    fcntl(res[0], F_SETPIPE_SZ, RESULT_PIPE); /* else the default 64 KB */
    w->pid = pid;
    w->cmd_fd = cmd[1];
    w->res_fd = res[0];
    w->chunk = -1;
    w->in.len = 0;
    w->slot->pos = -1;
    return ER_OK;
}

/* Inserts `n` chunks at `at`, shifting the rest. */
static int insert_chunks(supervisor *s, size_t at, const chunk *add, size_t n)
{
    if (s->nchunks + n > s->cap) {
        size_t cap = (s->nchunks + n) * 2;
        chunk *c = realloc(s->chunks, cap * sizeof *c);
        if (!c)
            return er_fail(ER_ENOMEM, "out of memory");
        s->chunks = c;
        s->cap = cap;
    }
    memmove(&s->chunks[at + n], &s->chunks[at],
            (s->nchunks - at) * sizeof *s->chunks);
    memcpy(&s->chunks[at], add, n * sizeof *add);
    s->nchunks += n;
    for (int k = 0; k < s->nworkers; k++)
        if (s->workers[k].chunk >= (long)at)
            s->workers[k].chunk += (long)n;
    return ER_OK;
}

static const char *signal_name(int sig)
{
    const char *d = strsignal(sig);
    return d ? d : "unknown signal";
}

/* Replaces the running chunk `ci` after its worker failed at position `p`:
 * [lo, p) runs again, p becomes an error finding, (p, hi) runs again. */
static int fail_chunk(supervisor *s, long ci, int32_t p, const char *cause)
{
    chunk *c = &s->chunks[ci];
    c->records.len = 0;
    if (p < c->u.lo || p >= c->u.hi) {
        /* died between evaluations: run the unit again, a few times */
        if (++c->retries < 3) {
            c->state = CHUNK_PENDING;
            return ER_OK;
        }
        p = c->u.lo;
    }
    const er_rule *r = &s->ev->rs->rules[c->u.rule];
    int32_t one = s->sel->region;
    size_t n;
    const int32_t *regions =
        er_engine_regions(s->ev, r, s->sel, &one, &n);
    const er_region *g = &s->ev->snap->regions[regions[p]];
    char note[512];
    snprintf(note, sizeof note, "%s while evaluating %s for %s %s in %d",
             cause, r->info.id, g->code, g->name, (int)c->u.year);
    er_finding f;
    memset(&f, 0, sizeof f);
    f.rule = c->u.rule;
    f.region = regions[p];
    f.year = c->u.year;
    f.outcome = ER_ERROR_OUTCOME;
    f.note = note;

    chunk parts[3];
    size_t np = 0;
    memset(parts, 0, sizeof parts);
    er_unit whole = c->u;
    if (p > whole.lo) {
        parts[np].u = whole;
        parts[np].u.hi = p;
        parts[np].state = CHUNK_PENDING;
        np++;
    }
    parts[np].u = whole;
    parts[np].u.lo = p;
    parts[np].u.hi = p + 1;
    parts[np].state = CHUNK_DONE;
    if (serialize(&parts[np].records, &f) != ER_OK)
        return er_fail(ER_ENOMEM, "out of memory");
    np++;
    if (p + 1 < whole.hi) {
        parts[np].u = whole;
        parts[np].u.lo = p + 1;
        parts[np].state = CHUNK_PENDING;
        np++;
    }
    er_buf_free(&c->records);
    *c = parts[0];
    return np > 1 ? insert_chunks(s, (size_t)ci + 1, parts + 1, np - 1)
                  : ER_OK;
}

/* Hands finished chunks on, in order; with `budget` > 0, returns once it
 * has spent about that many seconds (the emit callback records), to be
 * called again where it stopped, so that the workers' pipes are read and
 * idle workers given work meanwhile. */
static int emit_ready(supervisor *s, double budget)
{
    double until = budget > 0 ? er_monotonic() + budget : 0;
    unsigned n = 0;
    while (s->next_emit < s->nchunks &&
           s->chunks[s->next_emit].state == CHUNK_DONE) {
        chunk *c = &s->chunks[s->next_emit];
        size_t off = s->emit_off;
        while (off + sizeof(rec_hdr) <= c->records.len) {
            if (until && (++n & 63) == 0 && er_monotonic() > until) {
                s->emit_off = off;
                return ER_OK;
            }
            rec_hdr h;
            memcpy(&h, c->records.data + off, sizeof h);
            off += sizeof h;
            char *unit = NULL, *note = NULL;
            if (h.unit_len) {
                unit = malloc(h.unit_len + 1);
                if (unit) {
                    memcpy(unit, c->records.data + off, h.unit_len);
                    unit[h.unit_len] = '\0';
                }
                off += h.unit_len;
            }
            if (h.note_len) {
                note = malloc(h.note_len + 1);
                if (note) {
                    memcpy(note, c->records.data + off, h.note_len);
                    note[h.note_len] = '\0';
                }
                off += h.note_len;
            }
            er_finding gf = {0};
            if (h.gaps_len) {
                if (er_gaps_unpack(&gf, c->records.data + off,
                                   h.gaps_len) != ER_OK) {
                    free(unit);
                    free(note);
                    return ER_ENOMEM;
                }
                off += h.gaps_len;
            }
            er_finding f = {.rule = h.rule,
                            .region = h.region,
                            .year = h.year,
                            .outcome = h.outcome,
                            .flags = h.flags,
                            .measured = h.measured,
                            .required = h.required,
                            .amount = h.amount,
                            .unit = unit,
                            .note = note,
                            .gaps = gf.gaps,
                            .ngaps = gf.ngaps};
            int rc = s->emit(s->ctx, &f);
            if (rc == ER_OK && s->ev->rs->rules[f.rule].needed)
                rc = er_eval_keep(s->ev, &f);
            free(unit);
            free(note);
            er_finding_free_gaps(&gf);
            if (rc != ER_OK)
                return rc;
        }
        er_buf_free(&c->records);
        s->next_emit++;
        s->emit_off = 0;
    }
    return ER_OK;
}

/* How many chunks past the first not yet handed on a worker may be given,
 * per worker: what waits to be recorded stays bounded in memory. */
#define RUN_AHEAD 8

/* Gives an idle worker the next pending chunk; false when none is left
 * (or none within RUN_AHEAD chunks per worker of the next to hand on). */
static bool assign(supervisor *s, worker *w)
{
    size_t end = s->next_emit + (size_t)s->nworkers * RUN_AHEAD;
    for (size_t i = s->next_emit; i < s->nchunks && i < end; i++) {
        if (s->chunks[i].state != CHUNK_PENDING)
            continue;
        s->chunks[i].state = CHUNK_RUNNING;
        s->chunks[i].records.len = 0;
        w->chunk = (long)i;
        if (er_write_all(w->cmd_fd, &s->chunks[i].u, sizeof s->chunks[i].u) != 0)
            return true; /* the worker is gone: reaped by the main loop */
        return true;
    }
    return false;
}

/* Parses the complete records in w->in. */
static int absorb(supervisor *s, worker *w, bool *retired)
{
    size_t off = 0;
    while (off + sizeof(rec_hdr) <= w->in.len) {
        rec_hdr h;
        memcpy(&h, w->in.data + off, sizeof h);
        size_t len = sizeof h;
        if (h.type == REC_FINDING)
            len += h.unit_len + h.note_len + h.gaps_len;
        if (off + len > w->in.len)
            break;
        chunk *c = w->chunk >= 0 ? &s->chunks[w->chunk] : NULL;
        if (h.type == REC_FINDING && c) {
            if (er_buf_add(&c->records, w->in.data + off, len) != ER_OK)
                return er_fail(ER_ENOMEM, "out of memory");
        } else if (h.type == REC_DONE && c) {
            c->state = CHUNK_DONE;
            *s->done += c->u.hi - c->u.lo;
            w->chunk = -1;
        } else if (h.type == REC_RETIRE && c) {
            /* done up to h.pos; the rest runs on a fresh worker */
            chunk rest;
            memset(&rest, 0, sizeof rest);
            rest.u = c->u;
            rest.u.lo = h.pos;
            rest.state = CHUNK_PENDING;
            c->u.hi = h.pos;
            c->state = CHUNK_DONE;
            *s->done += c->u.hi - c->u.lo;
            long ci = w->chunk;
            w->chunk = -1;
            *retired = true;
            if (rest.u.lo < rest.u.hi &&
                insert_chunks(s, (size_t)ci + 1, &rest, 1) != ER_OK)
                return ER_ENOMEM;
        }
        off += len;
    }
    memmove(w->in.data, w->in.data + off, w->in.len - off);
    w->in.len -= off;
    return ER_OK;
}

/* Reaps a worker that exited or was killed; fails its chunk with `cause`
 * (NULL: take it from the exit status). */
static int reap(supervisor *s, worker *w, const char *cause)
{
    int status = 0;
    int32_t pos = __atomic_load_n(&w->slot->pos, __ATOMIC_SEQ_CST);
    close_worker_fds(w);
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    int rc = ER_OK;
    if (w->chunk >= 0) {
        char why[256];
        if (cause)
            snprintf(why, sizeof why, "%s", cause);
        else if (WIFSIGNALED(status))
            snprintf(why, sizeof why, "crashed with signal %d (%s)",
                     WTERMSIG(status), signal_name(WTERMSIG(status)));
        else
            snprintf(why, sizeof why, "the worker exited with status %d",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        rc = fail_chunk(s, w->chunk, pos, why);
        w->chunk = -1;
    }
    w->slot->pos = -1;
    return rc;
}

static bool pending_left(const supervisor *s)
{
    for (size_t i = s->next_emit; i < s->nchunks; i++)
        if (s->chunks[i].state != CHUNK_DONE)
            return true;
    return false;
}

int er_workers_run_stage(er_eval *ev, const er_selection *sel,
                         const er_unit *units, size_t nunits, er_emit_fn emit,
                         void *ctx, long *done, long total)
{
    supervisor s;
    memset(&s, 0, sizeof s);
    s.ev = ev;
    s.sel = sel;
    s.emit = emit;
    s.ctx = ctx;
    s.done = done;
    s.total = total;
    int rc = ER_OK;
    int jobs = sel->jobs > 0 ? sel->jobs : 1;
    if ((size_t)jobs > nunits)
        jobs = (int)(nunits ? nunits : 1);
    double timeout = ev->rs->sb.timeout;
    int64_t kill_after = er_kill_after_ns(timeout);
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);

    s.cap = nunits + 16;
    s.chunks = calloc(s.cap, sizeof *s.chunks);
    s.workers = calloc((size_t)jobs, sizeof *s.workers);
    s.rbuf = malloc(RESULT_PIPE);
    s.slots = mmap(NULL, (size_t)jobs * sizeof *s.slots,
                   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!s.chunks || !s.workers || !s.rbuf || s.slots == MAP_FAILED) {
        if (s.slots == MAP_FAILED)
            s.slots = NULL;
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nunits; i++)
        s.chunks[i].u = units[i];
    s.nchunks = nunits;
    s.nworkers = jobs;
    for (int i = 0; i < jobs; i++) {
        s.workers[i].cmd_fd = s.workers[i].res_fd = -1;
        s.workers[i].chunk = -1;
        s.workers[i].slot = &s.slots[i];
        s.slots[i].pos = -1;
    }
    for (int i = 0; i < jobs && rc == ER_OK; i++)
        rc = spawn(&s, i);

    struct pollfd *fds = calloc((size_t)jobs, sizeof *fds);
    if (!fds && rc == ER_OK)
        rc = er_fail(ER_ENOMEM, "out of memory");
    while (rc == ER_OK && pending_left(&s)) {
        for (int i = 0; i < jobs; i++) {
            worker *w = &s.workers[i];
            if (!w->pid && (rc = spawn(&s, i)) != ER_OK)
                break;
            if (w->chunk < 0)
                assign(&s, w);
            fds[i].fd = w->res_fd;
            fds[i].events = POLLIN;
            fds[i].revents = 0;
        }
        if (rc != ER_OK)
            break;
        /* findings left to hand on: look at the pipes without waiting */
        bool more = s.next_emit < s.nchunks &&
                    s.chunks[s.next_emit].state == CHUNK_DONE;
        int n = poll(fds, (nfds_t)jobs, more ? 0 : 50);
        if (n < 0 && errno != EINTR) {
            rc = er_fail(ER_ERROR, "poll: %s", strerror(errno));
            break;
        }
        for (int i = 0; i < jobs && rc == ER_OK; i++) {
            worker *w = &s.workers[i];
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t got = read(w->res_fd, s.rbuf, RESULT_PIPE);
                bool retired = false;
                if (got > 0) {
                    if ((rc = er_buf_add(&w->in, s.rbuf, (size_t)got)) ==
                        ER_OK)
                        rc = absorb(&s, w, &retired);
                    if (retired && rc == ER_OK)
                        rc = reap(&s, w, NULL);
                } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                    rc = reap(&s, w, NULL);
                }
            }
            /* the deadline of the evaluation in progress; not of a
             * worker whose findings were waiting to be read: it may have
             * been blocked writing them while this process recorded */
            int32_t pos = __atomic_load_n(&w->slot->pos, __ATOMIC_SEQ_CST);
            if (rc == ER_OK && w->pid && w->chunk >= 0 && pos >= 0 &&
                !(fds[i].revents & POLLIN) &&
                er_now_ns() - w->slot->started_ns > kill_after) {
                kill(w->pid, SIGKILL);
                char why[128];
                snprintf(why, sizeof why,
                         "timeout: no result within %g s, the worker was "
                         "stopped",
                         timeout);
                rc = reap(&s, w, why);
            }
        }
        /* a slice of the recording, then the pipes again */
        if (rc == ER_OK)
            rc = emit_ready(&s, 0.01);
        if (sel->progress) {
            double t = er_monotonic();
            if (t - s.last_progress > 0.1) {
                s.last_progress = t;
                sel->progress(sel->progress_ctx, *done, total);
            }
        }
    }
    if (rc == ER_OK)
        rc = emit_ready(&s, 0);
    free(fds);
done:
    for (int i = 0; s.workers && i < s.nworkers; i++) {
        worker *w = &s.workers[i];
        if (w->pid) {
            close_worker_fds(w); /* EOF on its command pipe: it exits */
            if (rc != ER_OK)
                kill(w->pid, SIGKILL);
            while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
                ;
        }
        er_buf_free(&w->in);
    }
    for (size_t i = 0; i < s.nchunks; i++)
        er_buf_free(&s.chunks[i].records);
    free(s.chunks);
    free(s.workers);
    free(s.rbuf);
    if (s.slots)
        munmap(s.slots, (size_t)jobs * sizeof *s.slots);
    signal(SIGPIPE, old_pipe);
    return rc;
}
