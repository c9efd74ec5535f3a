/*
 * error.c - the thread's last error message. Functions that fail set it once,
 * where the error happens, as terminal-safe text; er_errmsg() reads it
 * back.
 */
#include "base.h"

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
    /* formatted aside first: an argument may be er_errmsg() itself */
    char msg[sizeof last_error];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* messages quote data and rules, and are printed to terminals: valid
     * UTF-8, control characters escaped (line ends kept) */
    er_text_copy(last_error, sizeof last_error, ER_TEXT_LINES, msg);
    return code;
}

/* What an administrator can do about an error of the database file
 * itself (damaged, full, read-only, locked, I/O), naming the file; "" for
 * the errors of a statement. */
static void file_hint(sqlite3 *db, int rc, char *buf, size_t size)
{
    const char *file = sqlite3_db_filename(db, "main");
    int sys = sqlite3_system_errno(db);
    char why[160] = "";
    if (!file || !*file)
        file = "the database";
    if (sys > 0)
        snprintf(why, sizeof why, ": %s", strerror(sys));
    buf[0] = '\0';
    switch (rc & 0xFF) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        snprintf(buf, size,
                 " (%s is damaged; nothing was written. Check it with "
                 "`sqlite3 %s 'PRAGMA integrity_check'` and restore it from "
                 "a backup)",
                 file, file);
        break;
    case SQLITE_FULL:
        snprintf(buf, size,
                 " (no room to write %s%s; the disk is full or a file size "
                 "limit was reached. Nothing was written: free space and "
                 "try again)",
                 file, sys > 0 ? why : "");
        break;
    case SQLITE_READONLY:
        if (rc == SQLITE_READONLY_DIRECTORY)
            snprintf(buf, size,
                     " (the folder holding %s is read-only, and SQLite needs "
                     "to create %s-wal and %s-shm beside it; make the folder "
                     "writable, or copy the database to a writable folder)",
                     file, file, file);
        else
            snprintf(buf, size,
                     " (%s is read-only; make it writable, or use a command "
                     "that only reads)",
                     file);
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        snprintf(buf, size,
                 " (another process, such as another equirule run or "
                 "import, is writing %s; try again when it is done)",
                 file);
        break;
    case SQLITE_IOERR:
        if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC ||
            rc == SQLITE_IOERR_TRUNCATE)
            snprintf(buf, size,
                     " (writing %s failed%s; the disk may be full, a file "
                     "size limit reached or the device failing. The "
                     "transaction was rolled back)",
                     file, why);
        else
            snprintf(buf, size, " (%s%s)", file, why);
        break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
        snprintf(buf, size, " (%s%s)", file, why);
        break;
    }
}

int er_fail_sqlite(sqlite3 *db, const char *what)
{
    int rc = sqlite3_extended_errcode(db);
    int code = ER_ERROR;
    if ((rc & 0xFF) == SQLITE_NOTADB || (rc & 0xFF) == SQLITE_CORRUPT)
        code = ER_ENOTDB;
    else if ((rc & 0xFF) == SQLITE_NOMEM)
        code = ER_ENOMEM;
    char hint[1024];
    file_hint(db, rc, hint, sizeof hint);
    return er_fail(code, "%s: %s%s", what, sqlite3_errmsg(db), hint);
}
