/*
 * fuzz.h - what the libFuzzer harnesses of tests/fuzz share: the entry
 * point libFuzzer calls, and a scratch folder for the harnesses that need
 * files (a rules folder). replay.c calls the same entry point on the files
 * of a corpus, so that the normal test build replays every seed and every
 * regression case without libFuzzer.
 */
#ifndef ER_FUZZ_H
#define ER_FUZZ_H

#include "store.h"

#include <stddef.h>
#include <stdint.h>

/* Runs one input; always returns 0 (libFuzzer's contract). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fresh folder for this process, removed (with what the harness left in
 * it) when the process exits; NULL when none can be made. */
const char *fuzz_scratch(void);

/* Writes `size` bytes to `path`; aborts when it cannot (the harness would
 * test nothing). */
void fuzz_write(const char *path, const void *data, size_t size);

/* A stream that discards what is written to it. */
FILE *fuzz_null(void);

#endif /* ER_FUZZ_H */
