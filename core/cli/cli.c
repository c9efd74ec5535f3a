/*
 * cli.c - helpers the command files share: defaults, error and usage
 * reporting, option parsing of years, formats and repeated options.
 */
#include "cli.h"

#include <ctype.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_error_exit(int rc)
{
    fprintf(stderr, "equirule: %s\n", er_errmsg());
    return rc == ER_EUSAGE ? EXIT_USAGE : EXIT_ERROR;
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "equirule: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nsee `equirule help %s`\n", cmd);
    return EXIT_USAGE;
}

int cli_help_or_bad_option(const char *cmd, int c)
{
    if (c == OPT_HELP)
        return cli_print_help(cmd);
    return cli_usage_error(cmd, "%s", "bad option");
}

/* The option getopt_long just gave (c, long index li): its long entry, or
 * NULL for a short option without one. */
static const struct option *long_entry(const struct option *opts, int c,
                                       int li)
{
    if (li >= 0)
        return &opts[li];
    for (const struct option *o = opts; o->name; o++)
        if (o->val == c)
            return o;
    return NULL;
}

int cli_getopt(cli_getopt_state *g, int argc, char **argv,
               const char *shortopts, const struct option *opts)
{
    int li = -1;
    int c = getopt_long(argc, argv, shortopts, opts, &li);
    if (c < 0 || c == '?' || c == ':' || !optarg)
        return c;
    const struct option *o = long_entry(opts, c, li);
    const char *name = o ? o->name : NULL;
    int key = c;
    if (name && g->repeatable)
        for (const char *const *r = g->repeatable; *r; r++)
            if (strcmp(*r, name) == 0)
                return c;
    if (name && strcmp(name, "years") == 0) /* one option with --year */
        for (const struct option *y = opts; y->name; y++)
            if (strcmp(y->name, "year") == 0)
                key = y->val;
    bool has_years = false;
    for (const struct option *y = opts; y->name; y++)
        has_years |= strcmp(y->name, "years") == 0;
    for (size_t i = 0; i < g->nseen; i++) {
        if (g->seen[i].key != key)
            continue;
        const char *first = g->seen[i].name;
        fprintf(stderr, "equirule: ");
        if (first && name && strcmp(first, name) != 0)
            fprintf(stderr, "--%s %s and --%s %s both given", first,
                    g->seen[i].value, name, optarg);
        else if (name)
            fprintf(stderr, "--%s given twice (%s, then %s)", name,
                    g->seen[i].value, optarg);
        else
            fprintf(stderr, "-%c given twice (%s, then %s)", c,
                    g->seen[i].value, optarg);
        fprintf(stderr, ": %s takes it once%s\nsee `equirule help %s`\n",
                g->cmd,
                has_years && name && strncmp(name, "year", 4) == 0
                    ? "; for several years give --years FROM-TO"
                    : "",
                g->cmd);
        return CLI_OPT_TWICE;
    }
    if (g->nseen < sizeof g->seen / sizeof g->seen[0])
    {
        g->seen[g->nseen].key = key;
        g->seen[g->nseen].name = name;
        g->seen[g->nseen++].value = optarg;
    }
    return c;
}

const char *cli_default_db(void)
{
    const char *e = getenv("EQUIRULE_DB");
    return e ? e : "equirule.db"; /* an empty one is refused when opened */
}

const char *cli_default_rules(void)
{
    const char *e = getenv("EQUIRULE_RULES");
    return e && *e ? e : "rules";
}

bool cli_use_color(FILE *fp)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(fp)) && !(nc && *nc);
}

/* Whether s is written as a plain decimal number: digits, with a point and
 * an exponent where `real` allows, nothing else (no blanks, no sign, no
 * hexadecimal, no "inf" or "nan" — what strtod and strtol would also
 * take). */
static bool plain_decimal(const char *s, bool real)
{
    if (!s[0] || !(isdigit((unsigned char)s[0]) || (real && s[0] == '.')))
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) &&
            !(real && strchr(".eE", *p)) &&
            !(real && (*p == '+' || *p == '-') && (p[-1] == 'e' || p[-1] == 'E')))
            return false;
    return true;
}

bool cli_parse_fraction(const char *s, double *out)
{
    int digits = 0, dots = 0;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (*p == '.' && !dots++)
            continue;
        else
            return false;
    }
    if (!digits)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !(v >= 0 && v <= 1))
        return false;
    *out = v;
    return true;
}

bool cli_parse_years(const char *s, int *from, int *to)
{
    if (!isdigit((unsigned char)s[0]))
        return false;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && *p != '-')
            return false;
    char *end;
    long a = strtol(s, &end, 10), b = a;
    if (end == s)
        return false;
    if (*end == '-') {
        const char *rest = end + 1;
        b = strtol(rest, &end, 10);
        if (end == rest)
            return false;
    }
    if (*end || a < 1900 || a > 2200 || b < a || b > 2200)
        return false;
    *from = (int)a;
    *to = (int)b;
    return true;
}

bool cli_parse_timeout(const char *s, double *out)
{
    char *end;
    errno = 0;
    if (!plain_decimal(s, true))
        return false;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || !(v > 0) ||
        v > ER_TIMEOUT_MAX)
        return false;
    *out = v;
    return true;
}

static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    if (!plain_decimal(s, false))
        return false;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < min || v > max)
        return false;
    *out = v;
    return true;
}

bool cli_parse_instructions(const char *s, long *out)
{
    return parse_long(s, ER_MAX_INSTRUCTIONS_MIN, ER_MAX_INSTRUCTIONS_MAX,
                      out);
}

bool cli_parse_jobs(const char *s, int *out)
{
    long v;
    if (!parse_long(s, 0, 256, &v))
        return false;
    *out = (int)v;
    return true;
}

bool cli_parse_memory_mb(const char *s, long *bytes_out)
{
    long mb;
    if (!parse_long(s, 1, ER_MAX_MEMORY_MAX / (1024 * 1024), &mb))
        return false;
    *bytes_out = mb * 1024 * 1024;
    return true;
}

bool cli_parse_format(const char *s, const char *allowed, er_format *out)
{
    static const struct {
        const char *name;
        er_format fmt;
    } formats[] = {{"text", ER_FORMAT_TEXT}, {"md", ER_FORMAT_MD},
                   {"csv", ER_FORMAT_CSV},   {"json", ER_FORMAT_JSON},
                   {"html", ER_FORMAT_HTML}, {"xlsx", ER_FORMAT_XLSX}};
    size_t n = strlen(s);
    const char *p = strstr(allowed, s);
    bool listed = false;
    while (p) {
        if ((p == allowed || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            listed = true;
        p = strstr(p + 1, s);
    }
    if (!listed || n == 0)
        return false;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(formats[i].name, s) == 0) {
            *out = formats[i].fmt;
            return true;
        }
    }
    return false;
}

bool cli_list_add(const char **list, size_t cap, size_t *n, const char *arg)
{
    if (*n + 1 >= cap)
        return false;
    list[(*n)++] = arg;
    return true;
}

char *cli_join_args(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) + 1;
    char *s = calloc(1, n);
    for (int i = 0; s && i < argc; i++) {
        if (i)
            strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

size_t cli_print_diags(const er_ruleset *rs)
{
    size_t n = er_ruleset_diag_count(rs);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "equirule: %s\n", er_ruleset_diag(rs, i));
    return n;
}
