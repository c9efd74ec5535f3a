/*
 * fuzz_util.c - the scratch folder and helpers the harnesses share
 * (fuzz.h).
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch[4096];

/* Removes a folder and what it holds (two levels are all the harnesses
 * make). */
static void remove_tree(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[8192];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            struct stat st;
            if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode) && depth < 4)
                remove_tree(sub, depth + 1);
            else
                unlink(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

static void remove_scratch(void)
{
    if (scratch[0])
        remove_tree(scratch, 0);
}

const char *fuzz_scratch(void)
{
    if (scratch[0])
        return scratch;
    /* $FUZZ_SCRATCH (run.sh's, removed when it ends: libFuzzer leaves
     * through _exit after a crash, without atexit), else memory-backed
     * when there is one: the harnesses write a file per input */
    const char *base = getenv("FUZZ_SCRATCH");
    if (!base || !*base)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : er_tmpdir();
    snprintf(scratch, sizeof scratch, "%s/equirule-fuzz-XXXXXX", base);
    if (!mkdtemp(scratch)) {
        scratch[0] = '\0';
        return NULL;
    }
    atexit(remove_scratch);
    return scratch;
}

void fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
        fprintf(stderr, "fuzz: cannot write %s\n", path);
        abort();
    }
}

FILE *fuzz_null(void)
{
    static FILE *fp;
    if (!fp && !(fp = fopen("/dev/null", "w"))) {
        fprintf(stderr, "fuzz: cannot open /dev/null\n");
        abort();
    }
    return fp;
}
