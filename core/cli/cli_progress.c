/*
 * cli_progress.c - the progress line `equirule run` shows on a terminal's
 * stderr: done, rate and time left for each phase the library reports
 * (er_run_opts.progress), and the line that says a run waits for another
 * writer of the database. The library computes nothing for display and
 * writes nothing to the terminal; this file does.
 */
#include "cli.h"

#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress(void *ctx, const char *phase, long done, long total)
{
    cli_progress_line *p = ctx;
    if (strcmp(phase, "waiting") == 0) {
        /* once, before anything else is shown: a run that waits must not
         * look hung */
        fprintf(p->fp,
                "equirule: waiting for another run or import to finish "
                "writing %s\n",
                p->db ? p->db : "the database");
        fflush(p->fp);
        return;
    }
    if (!p->tty)
        return;
    double now = now_s();
    if (!p->phase || strcmp(p->phase, phase) != 0) {
        /* a new phase: its clock starts at its first report */
        p->phase = phase;
        p->started = now;
        p->shown = false;
    }
    double elapsed = now - p->started;
    if (!p->shown && elapsed < 1.0)
        return; /* short phases show nothing */
    p->shown = true;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(p->fp, "\r\033[K%s: %ld/%ld (%.0f%%) · %.0f/s · %.0f s left",
            phase, done, total,
            total ? 100.0 * (double)done / (double)total : 100.0, rate, left);
    if (done >= total)
        fputc('\n', p->fp);
    fflush(p->fp);
}
