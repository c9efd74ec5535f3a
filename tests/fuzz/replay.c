/*
 * replay.c - runs a fuzzing harness without libFuzzer: each file named on
 * the command line, or found in a folder named there, is one input. The
 * normal test build links it with each harness (tests/CMakeLists.txt), so
 * that the seed corpus and every regression case in it run under the
 * sanitizers of that build.
 *
 * usage: fuzz_replay_<harness> FILE|FOLDER...
 */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static long replay_file(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    if (er_read_file(path, &data, &len) != ER_OK) {
        fprintf(stderr, "replay: %s\n", er_errmsg());
        exit(2);
    }
    LLVMFuzzerTestOneInput((const uint8_t *)data, len);
    free(data);
    return 1;
}

static long replay(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: no such file or folder\n", path);
        exit(2);
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        exit(2);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **more = realloc(names, cap * sizeof *names);
            if (!more)
                abort();
            names = more;
        }
        if (!(names[n++] = er_strdup(e->d_name)))
            abort();
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    long count = 0;
    for (size_t i = 0; i < n; i++) {
        char sub[8192];
        snprintf(sub, sizeof sub, "%s/%s", path, names[i]);
        count += replay(sub);
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    long count = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|FOLDER...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++)
        count += replay(argv[i]);
    printf("%s: %ld inputs replayed\n", argv[0], count);
    return 0;
}
