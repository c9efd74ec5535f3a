/*
 * cli_output.c - where a command's output goes: standard output, or a file
 * given with -o that appears only once it is complete (written beside it
 * under a temporary name, then renamed), so a failed command never leaves a
 * half-written report or export behind.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool cli_output_open(cli_output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return true;
    }
    if (er_output_path_check(path) != ER_OK) {
        fprintf(stderr, "equirule: %s\n", er_errmsg());
        return false;
    }
    size_t n = strlen(path);
    o->path = path;
    o->tmp = malloc(n + sizeof ".tmp.XXXXXX");
    if (!o->tmp) {
        fprintf(stderr, "equirule: out of memory\n");
        return false;
    }
    memcpy(o->tmp, path, n);
    memcpy(o->tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fprintf(stderr, "equirule: %s: %s\n", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return false;
    }
    /* mkstemp creates the file for its owner only; a report is for
     * circulating, so give it the permissions a new file would get */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    if (!(o->fp = fdopen(fd, "w"))) {
        fprintf(stderr, "equirule: %s: %s\n", path, strerror(errno));
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return false;
    }
    return true;
}

bool cli_output_close(cli_output *o, bool ok)
{
    if (!o->fp)
        return false;
    if (!o->tmp) {
        errno = 0;
        if (fflush(o->fp) != 0 || ferror(o->fp)) {
            fprintf(stderr, "equirule: standard output: cannot write: %s\n",
                    strerror(errno ? errno : EIO));
            ok = false;
        }
        o->fp = NULL;
        return ok;
    }
    if (fclose(o->fp) != 0 && ok) {
        fprintf(stderr, "equirule: %s: %s\n", o->path, strerror(errno));
        ok = false;
    }
    o->fp = NULL;
    if (ok && rename(o->tmp, o->path) != 0) {
        fprintf(stderr, "equirule: %s: %s\n", o->path, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return ok;
}

int cli_output_finish(cli_output *o, int rc)
{
    int status = rc == ER_OK ? EXIT_OK : cli_error_exit(rc);
    if (!cli_output_close(o, rc == ER_OK) && status == EXIT_OK)
        status = EXIT_ERROR;
    return status;
}
