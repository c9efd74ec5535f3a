/*
 * engine.h - internal declarations of the evaluation side: the Lua sandbox,
 * the loaded rule set, and the evaluator that runs work units and emits
 * finding records.
 */
#ifndef ER_ENGINE_H
#define ER_ENGINE_H

#include "store.h"

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
    /* helper modules read from disk (scripts/lib beside the rules folder);
     * `require` looks here first, then in the modules built in */
    const struct er_rule_file *modules;
    size_t nmodules;
    /* line coverage (rule tests): called for every line run while set,
     * with the chunk's source ("@rules/x.lua") and the line; NULL = off */
    void (*coverage)(void *ctx, const char *source, int line);
    void *coverage_ctx;
    /* in a supervised child (supervise.c): what runs, shared with the
     * supervisor; NULL elsewhere */
    struct er_watch *watch;
    /* the first rule bug raised while armed (an unknown global, a param
     * the rule does not declare), "file:line: message"; "" = none. Sticky
     * as a missing value is: a pcall in the rule cannot hide it. */
    char bug[512];
} er_sandbox;

int er_sandbox_open(er_sandbox *sb, size_t max_memory, long max_instructions,
                    double timeout);
void er_sandbox_close(er_sandbox *sb);
/* Checks limits given by a user against their ranges (ER_TIMEOUT_MAX and
 * the others in equirule.h; 0 = the default, allowed): ER_EUSAGE naming
 * the limit otherwise. */
int er_limits_check(double timeout, long max_instructions, long max_memory);
/* The supervisor's kill deadline for `timeout` seconds of rule code, in
 * nanoseconds: 1.25 x timeout + 0.25 s, finite and without overflow for
 * any timeout (a bad one counts as the default). */
int64_t er_kill_after_ns(double timeout);
/* Starts the limits for one evaluation (or one file load). */
void er_sandbox_arm(er_sandbox *sb);
/* Stops them; returns the limit broken while armed (ER_TRIP_*). */
int er_sandbox_disarm(er_sandbox *sb);
/* Turns line coverage on (fn set) or off (fn NULL): a line hook beside the
 * count hook, which keeps enforcing the limits. */
void er_sandbox_set_coverage(er_sandbox *sb,
                             void (*fn)(void *ctx, const char *source,
                                        int line),
                             void *ctx);
/* "instruction budget exceeded (...)" etc. into buf. */
const char *er_sandbox_trip_message(const er_sandbox *sb, int trip, char *buf,
                                    size_t size);
/* Pushes a new rule environment (a table): the allow-listed globals, own
 * copies of the libraries, `require` of the embedded helper modules and
 * `load` of text into this environment. Reading a name it does not hold
 * raises "unknown global 'x' (did you mean y?)" at the reader's line, a
 * rule bug kept in the sandbox's `bug` while armed. [-0, +1, m] */
void er_sandbox_push_env(lua_State *L);
double er_monotonic(void);

/* The message a write to a frozen table raises. */
#define ER_FROZEN_MESSAGE                                                  \
    "file-level tables are read-only during evaluation; use a local"
/* Freezes everything the values of the table at `roots` reach (tables,
 * the helper modules, library copies, the upvalues of Lua functions, user
 * values): tables become read-only (writes raise ER_FROZEN_MESSAGE) and the
 * upvalues are recorded in a registry table whose reference is put in
 * *cells_ref_out, for er_sandbox_restore. Idempotent on what is already
 * frozen. ER_ENOMEM if the Lua state runs out of memory. */
int er_sandbox_freeze(er_sandbox *sb, int roots, int *cells_ref_out);
/* Freezes the table at idx alone: writes raise `message`. [-0, +0, m] */
void er_sandbox_freeze_table(lua_State *L, int idx, const char *message);
/* Makes the frozen table at idx (a rule's params) raise on a read of a
 * name it does not hold, naming the rule `rule_id`, the name, the declared
 * names and the close one (a rule bug, recorded in the sandbox's `bug`).
 * [-0, +0, m] */
void er_sandbox_declared_only(lua_State *L, int idx, const char *rule_id);
/* The message of a read of the param `name` that rule `rule_id` does not
 * declare (`declared`: its n names, sorted), as evaluation raises it and
 * lint reports it; returns buf. */
const char *er_sandbox_param_message(const char *rule_id, const char *name,
                                     const char *const *declared, size_t n,
                                     char *buf, size_t size);
/* The message of a read of the global `name` that an environment holding
 * `names` (n) lacks, with the close name or why it is absent, as the
 * sandbox raises it and lint reports it; returns buf. */
const char *er_sandbox_global_message(const char *name,
                                      const char *const *names, size_t n,
                                      char *buf, size_t size);
/* The end of the message of a read of a metric or item the catalog does
 * not hold (a rule bug, an error finding): "r:fact: metric 'x' is not in
 * the metric catalog (did you mean y?): " ER_UNKNOWN_KEY_TEXT. */
#define ER_UNKNOWN_KEY_TEXT "a misspelt key is a rule bug, not missing data"
/* Pushes `msg` with the place of the nearest Lua function on the stack
 * ("rules/x.lua:12: msg") and, while armed, keeps it as the sandbox's
 * first rule bug (sticky: the evaluation is an error even when a pcall in
 * the rule catches the raise). The caller, an l_* function, raises it
 * with lua_error. [-0, +1, m] */
void er_sandbox_push_bug(lua_State *L, const char *msg);
/* Whether `require(name)` finds a helper module. */
bool er_sandbox_has_module(const er_sandbox *sb, const char *name);
/* The message of a `require` of a module that does not exist, with the
 * close name, as require raises it and lint reports it; returns buf. */
const char *er_sandbox_require_message(const er_sandbox *sb,
                                       const char *name, char *buf,
                                       size_t size);
/* Pushes an array of the names every rule environment holds (its
 * allow-listed globals and `params`, which the engine sets while a rule
 * evaluates), sorted. [-0, +1, m] */
void er_sandbox_push_global_names(lua_State *L);
/* Pushes the table at idx, or the contents of a frozen table (to read
 * raw), or any other value as it is. [-0, +1, -] */
void er_sandbox_push_contents(lua_State *L, int idx);
/* Puts back every upvalue recorded by er_sandbox_freeze that changed;
 * returns true if one did, with the first one's name in `name`. */
bool er_sandbox_restore(lua_State *L, int cells_ref, char *name, size_t size);
/* luaL_checkstring for a string C code reads as text (a name, a key, a
 * code, SQL): raises when it holds a NUL byte, which would cut it short. */
const char *er_lua_checkname(lua_State *L, int arg);
/* Text of the error object at `idx` without calling metamethods; a NUL
 * byte in it shows as "\0" rather than cutting it short. */
const char *er_lua_errtext(lua_State *L, int idx, char *buf, size_t size);

/* Registers the outcome constructors into the table at the top. [-0,+0,m] */
void er_outcome_register(lua_State *L);
/* Reads the value at `idx` (a rule's return value) into a finding.
 * Returns ER_OK or ER_ERULE with the reason in `err`. Allocation entries
 * of distribute() are left on `allocs` (a table) when it returns 1. */
/* The fen of the amount at idx (a number): an integer is whole yuan,
 * converted exactly; a float is rounded as er_yuan_to_fen rounds. False
 * when out of range (see er_outcome_describe_range). */
bool er_outcome_amount_fen(lua_State *L, int idx, int64_t *fen);
/* Writes "<amount> yuan is out of range (...)" for the amount at idx. */
void er_outcome_describe_range(lua_State *L, int idx, char *buf,
                               size_t size);
int er_outcome_read(lua_State *L, int idx, er_finding *f, int *is_distribute,
                    char *err, size_t errsize);
/* Text kept beside findings in C: NUL-terminated strings back to back. */
typedef struct er_text {
    char *data;
    size_t len, cap;
} er_text;
/* Reads the value at `idx` into `f` when it is a plain outcome (neither an
 * allocation nor one with gaps), as er_outcome_read would, except that its
 * unit and note are appended to `t` rather than allocated: their offsets
 * + 1 (0 = none) go to unit_out and note_out, and f->unit and f->note are
 * left alone. False, with nothing read or kept, for any other value or
 * when t cannot grow: the caller reads it with er_outcome_read. */
bool er_outcome_read_plain(lua_State *L, int idx, er_finding *f, er_text *t,
                           uint32_t *unit_out, uint32_t *note_out);

/* ---- supervised calls (supervise.c) ------------------------------------ */

/* What a supervised child shares with its supervisor without a system
 * call: whether rule code runs under the deadline, since when, and what. */
typedef struct er_watch {
    volatile int32_t busy;       /* the child's sandbox is armed */
    volatile int32_t key;        /* the caller's index of what runs */
    volatile int64_t started_ns; /* monotonic */
    char what[480];              /* "loading rules/x.lua", ... */
} er_watch;

/* The child's end of a supervised call. */
typedef struct er_child {
    int fd;
    er_watch *watch;
} er_child;

typedef int (*er_child_fn)(void *ctx, er_child *child);

/* How a supervised call ended when its child did not finish. */
typedef struct er_stopped {
    bool stopped;   /* killed at the deadline, or died */
    bool timed_out; /* killed at the deadline */
    int signal;     /* died of this signal (0: did not) */
    int32_t key;  /* the key given to er_sandbox_doing then, -1 = none */
    char what[480];
} er_stopped;

/*
 * Runs fn(ctx, child) in a child process forked from this one: it sees
 * everything this process holds, but must not use a SQLite connection
 * opened before the fork (open its own, or suspend the database first).
 * While the child's sandbox `sb` is armed, the rule code it runs has the
 * sandbox's timeout: the child is killed at er_kill_after_ns(timeout).
 * Bytes the child sends (er_child_send) are appended to `out`. Returns
 * fn's code and message when the child finished; when it was killed or
 * died, ER_ERULE with "timeout: WHAT did not finish within S s and was
 * stopped ..." or "crashed with signal N (...) while WHAT", and fills
 * `stopped` (may be NULL).
 */
int er_supervise(er_child_fn fn, void *ctx, er_sandbox *sb, er_buf *out,
                 er_stopped *stopped);
/* Receives what a supervised child sends, one er_child_send at a time,
 * as it comes; a non-OK return stops the child and is returned. */
typedef int (*er_data_fn)(void *ctx, const char *data, size_t len);
/* As er_supervise, handing each piece the child sends to `on_data` while
 * the child goes on: the supervisor can work beside it. */
int er_supervise_each(er_child_fn fn, void *ctx, er_sandbox *sb,
                      er_data_fn on_data, void *on_ctx, er_stopped *stopped);
/* In a supervised child: sends bytes to the supervisor. */
int er_child_send(er_child *c, const void *data, size_t len);
/* Says what the rule code run at the next er_sandbox_arm is, for the
 * supervisor's messages, with a key the caller can map back (a file or
 * rule index). A no-op outside a supervised child. */
void er_sandbox_doing(er_sandbox *sb, int32_t key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Starts (armed) or stops the deadline clock; called by arm and disarm. */
void er_watch_armed(er_sandbox *sb, bool armed);

/* ---- rule set (rules.c) ----------------------------------------------------- */

/* A set of levels (1 << ER_LEVEL_* each) as text, from the province down,
 * comma-separated: "city,county". */
const char *er_levels_text(unsigned levels);

enum { ER_KIND_COMPLIANCE = 0, ER_KIND_CUT, ER_KIND_ALLOCATION,
       ER_KIND_INDICATOR };

typedef struct er_rule {
    er_rule_info info; /* strings owned */
    int32_t file;      /* index into files */
    unsigned levels;   /* the levels it evaluates: 1 << ER_LEVEL_* each */
    int kind;          /* ER_KIND_* */
    int eval_ref;      /* registry: evaluate */
    int env_ref;       /* registry: the file's environment */
    int params_ref;    /* registry: params as written (LUA_NOREF if none) */
    int run_params_ref;/* registry: read-only params with overrides */
    int state_ref;     /* registry: upvalues it reaches (er_sandbox_freeze) */
    int32_t *needs;    /* rule indices */
    int32_t nneeds;
    bool needed;       /* another rule reads its results */
    const char *chart; /* report.chart (an er_report_charts entry) or NULL */
    const char *index; /* report.index (an er_report_indexes entry) or NULL */
    int goal;          /* report.goal (a year) or 0 */
    int report_line;   /* the line of its report field (else of evaluate),
                          for messages; 0 when unknown */
} er_rule;

typedef struct er_rule_file {
    char *path;    /* relative to the rules folder; helper modules:
                      "scripts/lib/NAME.lua" */
    char *display; /* as shown in messages: dir/path */
    char sha256[65];
    char *source;
    size_t len;
    bool module;   /* a helper module, not a rule file */
    bool builtin;  /* a helper module built into the binary, stored with a
                      run and loaded from it (er_ruleset_load_sources);
                      not part of the set's digest nor of rule_file */
    bool dropped;  /* its loading hung or crashed: never run again */
} er_rule_file;

struct er_ruleset {
    er_sandbox sb;
    char *dir;
    er_rule_file *files;
    size_t nfiles;
    er_rule_file *mods; /* helper modules read beside the rules folder */
    size_t nmods;
    er_rule *rules; /* in stage order, then id */
    size_t nrules;
    char **diags;
    size_t ndiags;
    int nstages;
    char digest[65];
    struct er_trace_hook *trace; /* handed to each evaluator; NULL = none */
};

/*
 * As er_ruleset_load_timeout, from texts held in memory rather than a
 * folder: the rule files, helper modules and built-in helper modules a
 * run stored (ER_SOURCE_* kinds of store.h), each named in messages by its
 * `display` as the run named it, with `dir` (the run's rules folder, which
 * need not exist) as the set's folder. The rule files load in path order,
 * as a folder's do; `require` finds the modules given (built-in ones
 * included) before those built into this binary. The digest is formed as
 * er_ruleset_load forms it (rule files and the modules of scripts/lib),
 * so it equals the run's rules_digest when the texts are the run's.
 */
int er_ruleset_load_sources(er_ruleset **out, const char *dir,
                            const er_source_record *files, size_t n,
                            double timeout);

/* Stores in db (in the recorder's transaction) the sources of run `run`:
 * the texts of the set's rule files and helper modules, and of the helper
 * modules built into the binary its rules can require
 * (er_sources_record), with the limits on rule code a replay must apply
 * (run.replay). */
int er_ruleset_record_sources(er_ruleset *rs, sqlite3 *db, int64_t run);

/* Index of the rule with `id`, or -1. */
int32_t er_ruleset_find(const er_ruleset *rs, const char *id);
/* Applies "rule.param=value" overrides (NULL-terminated) to the params each
 * evaluation sees; resets earlier overrides. ER_EUSAGE for unknown rules or
 * params. */
int er_ruleset_set_params(er_ruleset *rs, const char *const *sets);
/* Writes a rule's effective params as JSON into b (numbers with every
 * digit); ER_ENOMEM when b could not hold them. */
int er_ruleset_params_json(er_ruleset *rs, int32_t rule, er_buf *b);

/* ---- evaluator (eval.c) ----------------------------------------------------- */

/* Receives each finding; takes ownership of nothing (copy what you keep). */
typedef int (*er_emit_fn)(void *ctx, const er_finding *f);

typedef struct er_results er_results;

/* A read a rule made through its region view (explain, lint). */
enum { ER_TRACE_FACT = 0, ER_TRACE_HAS, ER_TRACE_STANDARD, ER_TRACE_SHARE,
       ER_TRACE_TRANSFER, ER_TRACE_RESULT, ER_TRACE_SQL, ER_TRACE_SPLIT,
       ER_TRACE_AVERAGE };

typedef struct er_trace_event {
    int kind;          /* ER_TRACE_* */
    int32_t region;    /* the view's region (index) */
    int32_t year;      /* the year read */
    const char *key;   /* metric, standard key, item, rule id or SQL text */
    bool found;        /* a value exists */
    double value;      /* fact, standard, share, transfer or average */
    int scope;         /* standard: the scope asked, -1 = binding minimum */
    const er_standard *national, *provincial; /* standard: candidates */
    const er_standard *chosen;                /* standard: the one used */
    int32_t tier;      /* share: the tier used (INT32_MIN: none) */
    int32_t tier_from; /* share: the region whose tier it is (the view's
                        * own, or its nearest ancestor with one), or -1 */
    int payer;         /* transfer: ER_PAYER_* */
    int32_t city;      /* split: the city whose split it is, or -1 */
    const er_split *split; /* split: the row in force, or NULL */
    const er_national_average *average; /* national average read, or NULL */
    const er_finding *result; /* result: the finding read, or NULL */
    int nargs, nrows;  /* sql */
} er_trace_event;

struct er_eval;
/* Called by the view functions for each read, while the evaluation is in
 * progress (ev->rule, ev->region, ev->year name it); borrows everything. */
typedef struct er_trace_hook {
    void (*fn)(void *ctx, const struct er_eval *ev, const er_trace_event *e);
    void *ctx;
} er_trace_hook;

#define ER_SQL_CACHE 16
typedef struct er_sql_cached {
    char *sql;
    sqlite3_stmt *st;
} er_sql_cached;

/* The read cache of the region view (view.c): the id of a key a rule
 * read, by the address of its Lua string. */
#define ER_KEY_CACHE 64 /* a power of two */
enum { ER_KEY_METRIC = 0, ER_KEY_STANDARD, ER_KEY_ITEM, ER_KEY_KINDS };
typedef struct er_key_slot {
    const char *s;
    int32_t id;
} er_key_slot;

typedef struct er_batch er_batch;
#define ER_NO_CRASH INT32_MIN

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
    char missing_note[384];
    /* what the evaluation lacked (er_finding.gap_*): set by a missing
     * read, or by a binding standard read that found none */
    int gap_kind;
    char gap_key[96];
    int32_t gap_region, gap_year;
    char std_absent[96]; /* the first binding standard that read nil */
    int last_trip;       /* the limit the last evaluation broke, ER_TRIP_* */
    /* in a worker: the position of the evaluation in progress and when it
     * started, shared with the supervisor (its deadline), or NULL; the
     * position is pos_base + the index in the unit's region list */
    volatile int32_t *pos_slot;
    volatile int64_t *started_slot;
    int32_t pos_base;
    /* in a worker: a unit stops after an evaluation that hit the memory
     * limit (the state is retired); unit_done says how many ran */
    bool retire_on_memory;
    size_t unit_done;
    /* in a worker under EQUIRULE_FAULT=crash (tests): the region whose
     * evaluation dies with SIGSEGV as it starts, -1 = any, or ER_NO_CRASH */
    int32_t crash_region;
    er_batch *batch;        /* the unit in progress (eval.c) */
    int view_ref;           /* registry: the region view evaluations get */
    void *view;             /* that view's block (view.c) */
    er_key_slot key_cache[ER_KEY_KINDS][ER_KEY_CACHE];
    int key_anchors_ref;    /* registry: the strings key_cache names */
    bool keep;            /* keep needed rules' findings (not in workers) */
    int metric_ids_ref;   /* registry: metric name -> id */
    int view_mt_ref;      /* registry: region view metatable */
    const er_trace_hook *trace; /* reads are reported here; NULL = off */
    /* the regions of each set of levels a rule names (index: its
     * er_rule.levels), code order; NULL for sets no rule names */
    int32_t *by_levels[1 << ER_LEVEL_COUNT];
    size_t nby_levels[1 << ER_LEVEL_COUNT];
} er_eval;

int er_eval_init(er_eval *ev, er_ruleset *rs, const er_snapshot *snap,
                 const char *reader_uri);
void er_eval_free(er_eval *ev);
/* Evaluates one rule for regions[0..n) in `year`, emitting findings in
 * order. Errors of rules are findings; a non-OK return means emit failed.
 * The evaluations run in few protected calls, their findings kept in C
 * until each call returns (one evaluation at a time while a trace hook or
 * line coverage is on, so that a read and its finding stay together);
 * each evaluation still has its own limits, its own isolation checks and
 * its own finding, exactly as if it ran alone. ev->unit_done says how
 * many evaluations ran. */
int er_eval_unit(er_eval *ev, int32_t rule, int32_t year,
                 const int32_t *regions, size_t n, er_emit_fn emit,
                 void *ctx);
/* Stores a finding of a needed rule for r:result of later stages. */
int er_eval_keep(er_eval *ev, const er_finding *f);

/* Pushes a region view (userdata) for region/year. [-0, +1, m] */
void er_view_push(lua_State *L, int32_t region, int32_t year);
/* Pushes the view an evaluation receives (one per evaluator, created by
 * er_view_init), pointed at region/year first. A rule cannot keep it past
 * its evaluation: file-level state is frozen and restored, and an outcome
 * holds no view. [-0, +1, -] */
void er_view_push_own(er_eval *ev, int32_t region, int32_t year);
/* Points that view at region/year. */
void er_view_point(er_eval *ev, int32_t region, int32_t year);
/* Builds the view metatable; called by er_eval_init. */
void er_view_init(er_eval *ev);
/* Closes the reader and frees the kept results. */
void er_view_release(er_eval *ev);

/* ---- engine (engine.c) ------------------------------------------------------ */

/* Progress of a long evaluation: evaluations done out of total. */
typedef void (*er_tick_fn)(void *ctx, long done, long total);

typedef struct er_selection {
    int year_from, year_to;
    const bool *rules; /* per rule index; NULL = all */
    int32_t region;    /* only this region, -1 = all */
    int jobs;          /* worker processes; 0 = evaluate in this process */
    er_tick_fn progress;     /* may be NULL */
    void *progress_ctx;
} er_selection;

/* One work unit: a rule over positions [lo, hi) of its region list in one
 * year. */
typedef struct er_unit {
    int32_t rule;
    int32_t year;
    int32_t lo, hi;
} er_unit;

/* The region list a rule is evaluated over under `sel`: the regions of
 * every level it names, in code order (ev->by_levels). */
const int32_t *er_engine_regions(const er_eval *ev, const er_rule *r,
                                 const er_selection *sel, int32_t *one,
                                 size_t *n_out);

/* Evaluates the units of one stage in worker processes (worker.c), emitting
 * findings in unit order; `done` is advanced for progress. */
int er_workers_run_stage(er_eval *ev, const er_selection *sel,
                         const er_unit *units, size_t nunits, er_emit_fn emit,
                         void *ctx, long *done, long total);

/* Evaluates the selected rules stage by stage over the snapshot, sending
 * every finding to emit in a deterministic order. */
int er_engine_evaluate(er_ruleset *rs, const er_snapshot *snap,
                       const char *reader_uri, const er_selection *sel,
                       er_emit_fn emit, void *ctx, long *evaluations_out);

#endif /* ER_ENGINE_H */
