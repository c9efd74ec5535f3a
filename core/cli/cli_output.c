/*
 * cli_output.c - where a command's output goes: standard output, or a file
 * given with -o that appears only once it is complete (written beside it
 * under a temporary name, then renamed), so a failed command never leaves a
 * half-written report or export behind. A symbolic link is kept and the
 * file it points to replaced; a path that is no regular file (a device such
 * as /dev/stdout, a fifo) is never replaced: the complete output, held in an
 * anonymous temporary file meanwhile, is written through it.
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
    if (er_output_target(path, &o->target) != ER_OK) {
        fprintf(stderr, "equirule: %s\n", er_errmsg());
        return false;
    }
    o->path = path;
    if (!o->target) {
        if (!(o->fp = tmpfile())) {
            fprintf(stderr, "equirule: %s: a temporary file: %s\n", path,
                    strerror(errno));
            return false;
        }
        return true;
    }
    size_t n = strlen(o->target);
    o->tmp = malloc(n + sizeof ".tmp.XXXXXX");
    if (!o->tmp) {
        fprintf(stderr, "equirule: out of memory\n");
        free(o->target);
        o->target = NULL;
        return false;
    }
    memcpy(o->tmp, o->target, n);
    memcpy(o->tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        fprintf(stderr, "equirule: %s: %s\n", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        free(o->target);
        o->target = NULL;
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
        free(o->target);
        o->target = NULL;
        return false;
    }
    return true;
}

bool cli_output_close(cli_output *o, bool ok)
{
    if (!o->fp)
        return false;
    if (o->path && !o->tmp) {
        /* a device or a fifo: the complete output only, written through */
        if (ok && er_output_copy(o->fp, o->path) != ER_OK) {
            fprintf(stderr, "equirule: %s\n", er_errmsg());
            ok = false;
        }
        fclose(o->fp);
        o->fp = NULL;
        return ok;
    }
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
    if (ok && rename(o->tmp, o->target) != 0) {
        fprintf(stderr, "equirule: %s: %s\n", o->path, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    free(o->target);
    o->target = NULL;
    return ok;
}

int cli_output_finish(cli_output *o, int rc)
{
    int status = rc == ER_OK ? EXIT_OK : cli_error_exit(rc);
    if (!cli_output_close(o, rc == ER_OK) && status == EXIT_OK)
        status = EXIT_ERROR;
    return status;
}

bool cli_output_is_file(const char *path)
{
    char *target = NULL;
    if (!path || strcmp(path, "-") == 0 ||
        er_output_target(path, &target) != ER_OK)
        return false;
    bool file = target != NULL;
    free(target);
    return file;
}
