/*
 * error.c - the thread's last error message. Functions that fail set it once,
 * where the error happens; er_errmsg() reads it back.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[8192];

const char *er_errmsg(void)
{
    return last_error;
}

void er_error_clear(void)
{
    last_error[0] = '\0';
}

int er_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

int er_fail_sqlite(sqlite3 *db, const char *what)
{
    int rc = sqlite3_errcode(db);
    int code = ER_ERROR;
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
        code = ER_ENOTDB;
    else if (rc == SQLITE_NOMEM)
        code = ER_ENOMEM;
    return er_fail(code, "%s: %s", what, sqlite3_errmsg(db));
}
