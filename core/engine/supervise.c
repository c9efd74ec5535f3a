/*
 * supervise.c - a supervised call: runs a function in a child process
 * forked from this one, and gives it a wall-clock deadline per piece of
 * rule code it runs. The child says what it is running through its
 * sandbox (er_sandbox_doing, then er_sandbox_arm); the supervisor (the
 * calling process) kills a child whose armed sandbox has run past the
 * deadline, or sees that it died, and turns either into an error naming
 * what it was running. What the child sends comes back in a buffer. This
 * is how a hang in C code (a message handler that loops while an error is
 * raised, a pattern that backtracks for ever) becomes an error instead of
 * a hung command, wherever rule code runs outside the run's workers
 * (worker.c): loading, lint, test, explain. It knows nothing of what the
 * child does.
 */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Frames on the pipe: a type byte, a length, the bytes. */
enum { FRAME_DATA = 1, FRAME_RESULT = 2 };

typedef struct frame_hdr {
    uint8_t type;
    uint8_t pad[3];
    int32_t rc;   /* FRAME_RESULT: the function's return code */
    uint32_t len; /* bytes that follow */
} frame_hdr;

/* ---- the child's side ----------------------------------------------------- */

void er_sandbox_doing(er_sandbox *sb, int32_t key, const char *fmt, ...)
{
    er_watch *w = sb->watch;
    if (!w)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->what, sizeof w->what, fmt, ap);
    va_end(ap);
    __atomic_store_n(&w->key, key, __ATOMIC_SEQ_CST);
}

void er_watch_armed(er_sandbox *sb, bool armed)
{
    er_watch *w = sb->watch;
    if (!w)
        return;
    if (armed)
        __atomic_store_n(&w->started_ns, er_now_ns(), __ATOMIC_SEQ_CST);
    __atomic_store_n(&w->busy, armed ? 1 : 0, __ATOMIC_SEQ_CST);
}

int er_child_send(er_child *c, const void *data, size_t len)
{
    frame_hdr h;
    memset(&h, 0, sizeof h);
    h.type = FRAME_DATA;
    h.len = (uint32_t)len;
    if (len > UINT32_MAX || er_write_all(c->fd, &h, sizeof h) != 0 ||
        er_write_all(c->fd, data, len) != 0)
        return er_fail(ER_ERROR, "the supervisor is gone");
    return ER_OK;
}

static void child_main(er_child_fn fn, void *ctx, er_sandbox *sb, int fd,
                       er_watch *w)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    /* crashes must reach the supervisor as signals, whatever handlers the
     * host installed */
    static const int sigs[] = {SIGPIPE, SIGSEGV, SIGBUS, SIGILL,
                               SIGFPE,  SIGABRT, SIGTERM, SIGINT};
    for (size_t k = 0; k < ER_ARRAY_LEN(sigs); k++)
        signal(sigs[k], SIG_DFL);
    sb->watch = w;
    er_child c = {fd, w};
    int rc = fn(ctx, &c);
    const char *msg = rc == ER_OK ? "" : er_errmsg();
    frame_hdr h;
    memset(&h, 0, sizeof h);
    h.type = FRAME_RESULT;
    h.rc = rc;
    h.len = (uint32_t)strlen(msg);
    if (er_write_all(fd, &h, sizeof h) != 0 || er_write_all(fd, msg, h.len) != 0)
        _exit(3);
    _exit(0);
}

/* ---- the supervisor's side ------------------------------------------------- */

/* Where the data the child sends goes: appended to a buffer, or handed
 * to a callback as it comes. */
typedef struct sink {
    er_buf *out;
    er_data_fn on_data;
    void *on_ctx;
} sink;

/* Takes the complete frames out of `in`: data to the sink, the result to
 * *rc_out and the message buffer. */
static int parse_frames(er_buf *in, const sink *out, bool *have_result,
                        int *rc_out, er_buf *msg)
{
    size_t off = 0;
    while (off + sizeof(frame_hdr) <= in->len) {
        frame_hdr h;
        memcpy(&h, in->data + off, sizeof h);
        if (off + sizeof h + h.len > in->len)
            break;
        const char *body = in->data + off + sizeof h;
        int rc = ER_OK;
        if (h.type == FRAME_DATA && out->on_data) {
            if ((rc = out->on_data(out->on_ctx, body, h.len)) != ER_OK)
                return rc;
        } else if (h.type == FRAME_DATA && out->out) {
            if (er_buf_add(out->out, body, h.len) != ER_OK)
                return er_fail(ER_ENOMEM, "out of memory");
        } else if (h.type == FRAME_RESULT) {
            *have_result = true;
            *rc_out = h.rc;
            msg->len = 0;
            if (er_buf_add(msg, body, h.len) != ER_OK ||
                er_buf_add(msg, "", 1) != ER_OK)
                return er_fail(ER_ENOMEM, "out of memory");
        }
        off += sizeof h + h.len;
    }
    memmove(in->data, in->data + off, in->len - off);
    in->len -= off;
    return ER_OK;
}

static int supervise(er_child_fn fn, void *ctx, er_sandbox *sb,
                     const sink *out, er_stopped *stopped)
{
    int fds[2] = {-1, -1};
    pid_t pid = -1;
    er_buf in, msg;
    er_buf_init(&in);
    er_buf_init(&msg);
    bool have_result = false, killed = false;
    int child_rc = ER_OK, rc = ER_OK, status = 0;
    int64_t kill_after = er_kill_after_ns(sb->timeout);
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN);
    er_watch *w = mmap(NULL, sizeof *w, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (stopped)
        memset(stopped, 0, sizeof *stopped);
    if (w == MAP_FAILED) {
        w = NULL;
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    memset(w, 0, sizeof *w);
    w->key = -1;
    if (pipe2(fds, O_CLOEXEC) != 0) {
        rc = er_fail(ER_ERROR, "cannot create a pipe: %s", strerror(errno));
        goto done;
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        rc = er_fail(ER_ERROR, "cannot start a process: %s", strerror(errno));
        goto done;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(fn, ctx, sb, fds[1], w);
    }
    close(fds[1]);
    fds[1] = -1;

    for (;;) {
        struct pollfd p = {fds[0], POLLIN, 0};
        int n = poll(&p, 1, 50);
        if (n < 0 && errno != EINTR) {
            rc = er_fail(ER_ERROR, "poll: %s", strerror(errno));
            break;
        }
        if (n > 0) {
            char buf[65536];
            ssize_t got = read(fds[0], buf, sizeof buf);
            if (got > 0) {
                if ((rc = er_buf_add(&in, buf, (size_t)got)) != ER_OK ||
                    (rc = parse_frames(&in, out, &have_result, &child_rc,
                                       &msg)) != ER_OK)
                    break;
                continue;
            }
            if (got == 0 || (errno != EINTR && errno != EAGAIN))
                break; /* the child is gone */
        }
        if (__atomic_load_n(&w->busy, __ATOMIC_SEQ_CST) &&
            er_now_ns() - __atomic_load_n(&w->started_ns, __ATOMIC_SEQ_CST) >
                kill_after) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
    }
    if (rc != ER_OK)
        kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    pid = -1;
    if (rc != ER_OK)
        goto done;
    {
        /* what the child wrote before it exited or was killed */
        char buf[65536];
        ssize_t got;
        while ((got = read(fds[0], buf, sizeof buf)) > 0)
            if ((rc = er_buf_add(&in, buf, (size_t)got)) != ER_OK ||
                (rc = parse_frames(&in, out, &have_result, &child_rc,
                                   &msg)) != ER_OK)
                goto done;
    }
    if (!killed && have_result && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0) {
        rc = child_rc;
        if (rc != ER_OK)
            er_fail(rc, "%s", msg.data ? msg.data : "error");
        goto done;
    }
    /* stopped at the deadline, or died */
    bool busy = __atomic_load_n(&w->busy, __ATOMIC_SEQ_CST);
    char what[sizeof w->what];
    snprintf(what, sizeof what, "%s",
             w->what[0] ? w->what : "running rule code");
    if (stopped) {
        stopped->stopped = true;
        stopped->timed_out = killed;
        stopped->signal = !killed && WIFSIGNALED(status) ? WTERMSIG(status)
                                                         : 0;
        stopped->key = busy || killed ? w->key : -1;
        snprintf(stopped->what, sizeof stopped->what, "%s", what);
    }
    if (killed)
        rc = er_fail(ER_ERULE,
                     "timeout: %s did not finish within %g s and was "
                     "stopped (a hang the instruction limit cannot stop)",
                     what, sb->timeout);
    else if (WIFSIGNALED(status))
        rc = er_fail(ER_ERULE, "crashed with signal %d (%s) while %s",
                     WTERMSIG(status),
                     strsignal(WTERMSIG(status)) ? strsignal(WTERMSIG(status))
                                                 : "unknown signal",
                     what);
    else
        rc = er_fail(ER_ERULE, "exited with status %d while %s",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, what);
done:
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    if (fds[0] >= 0)
        close(fds[0]);
    if (fds[1] >= 0)
        close(fds[1]);
    if (w)
        munmap(w, sizeof *w);
    er_buf_free(&in);
    er_buf_free(&msg);
    signal(SIGPIPE, old_pipe);
    return rc;
}

int er_supervise(er_child_fn fn, void *ctx, er_sandbox *sb, er_buf *out,
                 er_stopped *stopped)
{
    sink k = {out, NULL, NULL};
    return supervise(fn, ctx, sb, &k, stopped);
}

int er_supervise_each(er_child_fn fn, void *ctx, er_sandbox *sb,
                      er_data_fn on_data, void *on_ctx, er_stopped *stopped)
{
    sink k = {NULL, on_data, on_ctx};
    return supervise(fn, ctx, sb, &k, stopped);
}
