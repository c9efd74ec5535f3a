/*
 * suggest.c - "did you mean": the one candidate close to a misspelt name,
 * for the messages that name an unknown key, param or global. It decides
 * closeness only; the messages are their callers'.
 */
#include "base.h"

#include <string.h>

/* Longest name compared; longer ones are never close to anything. */
#define SUGGEST_MAX 64

/* The optimal string alignment distance of a and b (insertions,
 * deletions, substitutions and swaps of two neighbours, each 1), bytewise;
 * names are ASCII. */
static size_t edit_distance(const char *a, size_t la, const char *b,
                            size_t lb)
{
    size_t d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    }
    return d[la][lb];
}

const char *er_suggest(const char *word, const char *const *candidates,
                       size_t n)
{
    size_t lw = word ? strlen(word) : 0;
    if (lw == 0 || lw > SUGGEST_MAX)
        return NULL;
    /* close: at most 2 edits, or a third of the word on long words; one
     * on words of up to 4 letters (sum is not a misspelt cut), none on a
     * letter alone */
    size_t limit = lw / 3 > 2 ? lw / 3 : 2;
    if (lw <= 4)
        limit = lw > 1 ? 1 : 0;
    const char *best = NULL;
    size_t best_d = limit + 1;
    bool tie = false;
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        size_t lc = c ? strlen(c) : 0;
        if (lc == 0 || lc > SUGGEST_MAX ||
            (lc > lw ? lc - lw : lw - lc) > limit)
            continue;
        size_t d = edit_distance(word, lw, c, lc);
        if (d < best_d) {
            best = c;
            best_d = d;
            tie = false;
        } else if (d == best_d && best && strcmp(best, c) != 0) {
            tie = true;
        }
    }
    return tie ? NULL : best;
}
