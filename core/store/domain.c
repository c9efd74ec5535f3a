/*
 * domain.c - the closed vocabularies of the data model, each defined once:
 * region levels, zones, standard scopes, setting keys and finding outcomes (with the
 * outcomes' labels and which of them fail). The schema's CHECK constraints
 * (db.c), the importer's checks and messages (import.c), the snapshot's
 * parsing (snapshot.c), the engine's and the report's names and labels are
 * all built from these tables; nothing else spells the lists out.
 */
#include "store.h"

#include <stdio.h>
#include <string.h>

const char *const er_level_names[ER_LEVEL_COUNT] = {"province", "city",
                                                    "county"};
const char *const er_zone_names[ER_ZONE_COUNT] = {"core", "east", "west",
                                                  "north"};
const char *const er_scope_names[ER_SCOPE_COUNT] = {"national", "provincial",
                                                    "local"};
const char *const er_setting_names[ER_SETTING_COUNT] = {"policy"};

/* In er_outcome order. */
const er_outcome_info er_outcomes[ER_OUTCOME_COUNT] = {
    [ER_PASS] = {"pass", "通过", "✓", false},
    [ER_FAIL] = {"fail", "未达标", "✗", true},
    [ER_WARN] = {"warn", "预警", "!", false},
    [ER_SKIP] = {"skip", "不适用", "–", false},
    [ER_CUT] = {"cut", "核减", "减", false},
    [ER_ALLOCATION] = {"allocation", "分配", "配", false},
    [ER_MISSING] = {"missing", "缺数据", "缺", true},
    [ER_ERROR_OUTCOME] = {"error", "错误", "错", true},
};

const char *er_gap_kind_name(int kind)
{
    static const char *const names[ER_GAP_KIND_COUNT] = {
        [ER_GAP_FACT] = "fact", [ER_GAP_SHARE] = "share",
        [ER_GAP_STANDARD] = "standard"};
    return kind > ER_GAP_NONE && kind < ER_GAP_KIND_COUNT ? names[kind] : NULL;
}

int er_word_find(const char *const *words, int count, const char *s,
                 size_t n)
{
    for (int i = 0; s && i < count; i++)
        if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0)
            return i;
    return -1;
}

int er_level_parse(const char *s)
{
    return er_word_find(er_level_names, ER_LEVEL_COUNT, s, s ? strlen(s) : 0);
}

int er_zone_parse(const char *s)
{
    return er_word_find(er_zone_names, ER_ZONE_COUNT, s, s ? strlen(s) : 0);
}

int er_scope_parse(const char *s)
{
    return er_word_find(er_scope_names, ER_SCOPE_COUNT, s, s ? strlen(s) : 0);
}

const char *er_outcome_name(er_outcome o)
{
    return (unsigned)o < ER_OUTCOME_COUNT ? er_outcomes[o].name : NULL;
}

int er_outcome_parse(const char *s)
{
    for (int i = 0; s && i < ER_OUTCOME_COUNT; i++)
        if (strcmp(s, er_outcomes[i].name) == 0)
            return i;
    return -1;
}

int er_words_sql(er_buf *b, const char *const *words, int count)
{
    int rc = ER_OK;
    for (int i = 0; i < count && rc == ER_OK; i++)
        rc = er_buf_printf(b, "%s'%s'", i ? "," : "", words[i]);
    return rc == ER_OK ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

int er_outcomes_sql(er_buf *b, bool failing_only)
{
    int rc = ER_OK;
    const char *sep = "";
    for (int i = 0; i < ER_OUTCOME_COUNT && rc == ER_OK; i++) {
        if (failing_only && !er_outcomes[i].failing)
            continue;
        rc = er_buf_printf(b, "%s'%s'", sep, er_outcomes[i].name);
        sep = ",";
    }
    return rc == ER_OK ? ER_OK : er_fail(ER_ENOMEM, "out of memory");
}

const char *er_words_text(char *buf, size_t size, const char *const *words,
                          int count, const char *last)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && o < size; i++) {
        int n = snprintf(buf + o, size - o, "%s%s",
                         i == 0 ? "" : i + 1 == count ? last : ", ",
                         words[i]);
        o += n > 0 ? (size_t)n : 0;
    }
    return buf;
}
