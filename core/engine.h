/*
 * engine.h - internal declarations of the evaluation side: the Lua sandbox,
 * the loaded rule set, and the evaluator that runs work units and emits
 * finding records.
 */
#ifndef ER_ENGINE_H
#define ER_ENGINE_H

#include "internal.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

/* ---- sandbox (sandbox.c) ------------------------------------------------ */

/* Which limit an evaluation broke. */
enum { ER_TRIP_NONE = 0, ER_TRIP_MEMORY, ER_TRIP_BUDGET, ER_TRIP_DEADLINE };

#define ER_DEFAULT_MAX_MEMORY (256L * 1024 * 1024)
#define ER_DEFAULT_MAX_INSTRUCTIONS 50000000L
#define ER_DEFAULT_TIMEOUT 2.0
/* Caps on the pattern functions (find, match, gmatch, gsub). */
#define ER_PATTERN_MAX_SUBJECT 65536
#define ER_PATTERN_MAX_PATTERN 256

typedef struct er_sandbox {
    lua_State *L;
    size_t mem_used;
    size_t mem_limit;
    long budget;      /* instructions per armed period */
    long budget_left;
    double timeout;   /* seconds per armed period, 0 = none */
    double deadline;  /* monotonic time */
    int tripped;      /* ER_TRIP_* */
    bool armed;       /* limits apply */
    bool frozen;      /* rule globals may not be assigned */
    int template_ref; /* registry: the safe globals */
} er_sandbox;

int er_sandbox_open(er_sandbox *sb, size_t max_memory, long max_instructions,
                    double timeout);
void er_sandbox_close(er_sandbox *sb);
/* Starts the limits for one evaluation (or one file load). */
void er_sandbox_arm(er_sandbox *sb);
/* Stops them; returns the limit broken while armed (ER_TRIP_*). */
int er_sandbox_disarm(er_sandbox *sb);
/* "instruction budget exceeded (...)" etc. into buf. */
const char *er_sandbox_trip_message(const er_sandbox *sb, int trip, char *buf,
                                    size_t size);
/* Pushes a new rule environment (a table): the allow-listed globals, own
 * copies of the libraries, `require` of the embedded helper modules and
 * `load` of text into this environment. [-0, +1, m] */
void er_sandbox_push_env(lua_State *L);
double er_monotonic(void);
/* Text of the error object at `idx` without calling metamethods. */
const char *er_lua_errtext(lua_State *L, int idx, char *buf, size_t size);

/* Registers the outcome constructors into the table at the top. [-0,+0,m] */
void er_outcome_register(lua_State *L);
/* Reads the value at `idx` (a rule's return value) into a finding.
 * Returns ER_OK or ER_ERULE with the reason in `err`. Allocation entries
 * of distribute() are left on `allocs` (a table) when it returns 1. */
int er_outcome_read(lua_State *L, int idx, er_finding *f, int *is_distribute,
                    char *err, size_t errsize);

/* ---- rule set (rules.c) ----------------------------------------------------- */

enum { ER_KIND_COMPLIANCE = 0, ER_KIND_CUT, ER_KIND_ALLOCATION,
       ER_KIND_INDICATOR };

typedef struct er_rule {
    er_rule_info info; /* strings owned */
    int32_t file;      /* index into files */
    int level;         /* ER_LEVEL_* */
    int kind;          /* ER_KIND_* */
    int eval_ref;      /* registry: evaluate */
    int env_ref;       /* registry: the file's environment */
    int params_ref;    /* registry: params as written (LUA_NOREF if none) */
    int run_params_ref;/* registry: read-only params with overrides */
    int32_t *needs;    /* rule indices */
    int32_t nneeds;
    bool needed;       /* another rule reads its results */
} er_rule;

typedef struct er_rule_file {
    char *path;    /* relative to the rules folder */
    char *display; /* as shown in messages: dir/path */
    char sha256[65];
    char *source;
    size_t len;
} er_rule_file;

struct er_ruleset {
    er_sandbox sb;
    char *dir;
    er_rule_file *files;
    size_t nfiles;
    er_rule *rules; /* in stage order, then id */
    size_t nrules;
    char **diags;
    size_t ndiags;
    int nstages;
    char digest[65];
};

/* Index of the rule with `id`, or -1. */
int32_t er_ruleset_find(const er_ruleset *rs, const char *id);
/* Applies "rule.param=value" overrides (NULL-terminated) to the params each
 * evaluation sees; resets earlier overrides. ER_EUSAGE for unknown rules or
 * params. */
int er_ruleset_set_params(er_ruleset *rs, const char *const *sets);
/* Writes a rule's effective params as JSON into b. */
int er_ruleset_params_json(er_ruleset *rs, int32_t rule, er_buf *b);

/* ---- evaluator (eval.c) ----------------------------------------------------- */

/* Receives each finding; takes ownership of nothing (copy what you keep). */
typedef int (*er_emit_fn)(void *ctx, const er_finding *f);

typedef struct er_results er_results;

#define ER_SQL_CACHE 16
typedef struct er_sql_cached {
    char *sql;
    sqlite3_stmt *st;
} er_sql_cached;

typedef struct er_eval {
    er_ruleset *rs;
    const er_snapshot *snap;
    lua_State *L;
    er_results *results;    /* findings of rules others need */
    const char *reader_uri; /* database for r:sql, NULL = none */
    sqlite3 *reader;
    er_sql_cached sql_cache[ER_SQL_CACHE];
    int sql_cache_next;
    /* the evaluation in progress */
    int32_t rule, region, year;
    bool missing;
    char missing_note[256];
    int metric_ids_ref;   /* registry: metric name -> id */
    int view_mt_ref;      /* registry: region view metatable */
} er_eval;

int er_eval_init(er_eval *ev, er_ruleset *rs, const er_snapshot *snap,
                 const char *reader_uri);
void er_eval_free(er_eval *ev);
/* Evaluates one rule for regions[0..n) in `year`, emitting findings in
 * order. Errors of rules are findings; a non-OK return means emit failed. */
int er_eval_unit(er_eval *ev, int32_t rule, int32_t year,
                 const int32_t *regions, size_t n, er_emit_fn emit,
                 void *ctx);
/* Stores a finding of a needed rule for r:result of later stages. */
int er_eval_keep(er_eval *ev, const er_finding *f);

/* Pushes a region view (userdata) for region/year. [-0, +1, m] */
void er_view_push(lua_State *L, int32_t region, int32_t year);
/* Builds the view metatable; called by er_eval_init. */
void er_view_init(er_eval *ev);
/* Closes the reader and frees the kept results. */
void er_view_release(er_eval *ev);

/* ---- engine (engine.c) ------------------------------------------------------ */

typedef struct er_selection {
    int year_from, year_to;
    const bool *rules; /* per rule index; NULL = all */
    int32_t region;    /* only this region, -1 = all */
} er_selection;

/* Evaluates the selected rules stage by stage over the snapshot, sending
 * every finding to emit in a deterministic order. */
int er_engine_evaluate(er_ruleset *rs, const er_snapshot *snap,
                       const char *reader_uri, const er_selection *sel,
                       er_emit_fn emit, void *ctx, long *evaluations_out);

#endif /* ER_ENGINE_H */
