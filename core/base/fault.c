/*
 * fault.c - fault injection for the reliability tests. EQUIRULE_FAULT holds
 * a comma-separated list of faults:
 *
 *   kill:POINT           the process kills itself with SIGKILL at POINT
 *   stall:POINT[=S]      the process sleeps S seconds (default 2) at POINT,
 *                        saying so on stderr first
 *   crash:RULE[@CODE]    a worker dies with SIGSEGV evaluating RULE (for
 *                        region CODE): read by worker.c through er_fault_arg
 *   crash-load:PATH      the supervised child that loads the rule files
 *                        first dies with SIGSEGV when it starts the file
 *                        whose path (in the rules folder) ends with PATH:
 *                        read by rules.c
 *
 * The points are named where er_fault_point() is called: `snapshot`
 * (snapshot.c, inside the read transaction of a run's data, between the
 * regions and the facts), `copy` (datacopy.c, inside the read
 * transaction that copies a run's data for r:sql, the region table
 * copied, the others not yet), `load` (engine.c, the data read, nothing
 * written yet), `record` (inside the transaction
 * that records a run: the run row and its rule files written, no finding
 * yet), `commit` (the same transaction with every finding written, just
 * before COMMIT), `import` (inside an import's transaction, every row
 * written, just before it is committed), `xlsx` (report_xlsx.c, a
 * workbook written under its temporary name, not yet renamed to the name
 * asked for) and `upgrade` (db.c, inside the
 * transaction of `equirule init` that creates or upgrades the schema,
 * just before it is committed). Without the variable, nothing
 * happens; the cost is one getenv per point.
 *
 * Only the test build compiles this in (ER_FAULT_INJECTION, the CMake
 * option EQUIRULE_FAULT_INJECTION); a release build has no hooks at all.
 */
#include "base.h"

#ifdef ER_FAULT_INJECTION

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool er_fault_arg(const char *kind, char *buf, size_t size)
{
    const char *list = getenv("EQUIRULE_FAULT");
    size_t k = strlen(kind);
    if (!list || !*list)
        return false;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n > k && strncmp(p, kind, k) == 0 && p[k] == ':') {
            size_t a = n - k - 1;
            if (size) {
                if (a >= size)
                    a = size - 1;
                memcpy(buf, p + k + 1, a);
                buf[a] = '\0';
            }
            return true;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

/* Whether the fault list holds `kind:point` (or `kind:point=VALUE`, whose
 * value goes into *value). */
static bool has_fault(const char *kind, const char *point, double *value)
{
    const char *list = getenv("EQUIRULE_FAULT");
    size_t k = strlen(kind), m = strlen(point);
    if (!list || !*list)
        return false;
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n >= k + 1 + m && strncmp(p, kind, k) == 0 && p[k] == ':' &&
            strncmp(p + k + 1, point, m) == 0 &&
            (n == k + 1 + m || p[k + 1 + m] == '=')) {
            if (value && n > k + 1 + m)
                *value = strtod(p + k + 2 + m, NULL);
            return true;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return false;
}

void er_fault_point(const char *point)
{
    double seconds = 2.0;
    if (has_fault("stall", point, &seconds) && seconds > 0) {
        /* the tests wait for this line before they act */
        fprintf(stderr, "equirule: fault: stall at %s for %g s\n", point,
                seconds);
        fflush(stderr);
        struct timespec ts;
        ts.tv_sec = (time_t)seconds;
        ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
        while (nanosleep(&ts, &ts) != 0)
            ;
    }
    if (has_fault("kill", point, NULL))
        raise(SIGKILL);
}

#endif /* ER_FAULT_INJECTION */
