/*
 * suggest.c - "did you mean X?": the known name closest to a misspelt one
 * (test-case keys, outcome names, rule globals), by edit distance. It only
 * measures; the callers say what the names are and word the message.
 */
#include "base.h"

#include <stdlib.h>
#include <string.h>

/* Longest word measured: past it, no suggestion (names are short). */
#define SUGGEST_MAX 64

/* Edit distance of a and b with swaps of neighbours (optimal string
 * alignment), or SIZE_MAX when either is longer than SUGGEST_MAX. */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > SUGGEST_MAX || m > SUGGEST_MAX)
        return (size_t)-1;
    size_t d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

const char *er_suggest(const char *word, const char *const *candidates,
                       size_t n)
{
    if (!word || !candidates)
        return NULL;
    size_t len = strlen(word);
    /* one edit on words of up to 4 letters (sum is not a misspelt cut),
     * none on a letter alone */
    size_t limit = len <= 1 ? 0 : len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    bool tie = false;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i])
            continue;
        size_t d = distance(word, candidates[i]);
        if (d > limit)
            continue;
        if (d < best_d) {
            best = candidates[i];
            best_d = d;
            tie = false;
        } else if (d == best_d && strcmp(best, candidates[i]) != 0) {
            tie = true;
        }
    }
    return tie ? NULL : best;
}
