/*
 * tools.h - internal declarations shared by the tools for testers and rule
 * authors: rule tests (testrun.c), line coverage (coverage.c), diff
 * (diff.c), explain (explain.c) and lint (lint.c, lint_synth.c). Not
 * part of the public API.
 */
#ifndef ER_TOOLS_H
#define ER_TOOLS_H

#include "engine.h"

/* ---- helpers (tools.c) -------------------------------------------------- */

/* Findings copied as the engine emits them (er_emit_fn). */
typedef struct er_collected {
    er_finding *items; /* unit and note owned */
    size_t n, cap;
} er_collected;

/* An er_emit_fn that appends a copy of `f` to the er_collected `ctx`. */
int er_tools_collect(void *ctx, const er_finding *f);
void er_tools_collected_free(er_collected *c);

/* Appends the members "outcome", "measured", "required", "amount" (yuan,
 * exact to the fen), "unit" and "note" of `f` as JSON, without braces;
 * absent values as null. */
void er_tools_finding_json(er_buf *b, const er_finding *f);
/* Writes the buffer to `path`; ER_ERROR naming the file on failure. */
int er_tools_write_file(const char *path, const er_buf *b);
/* The line of the chunk `chunk` ("@rules/x.lua") a C function called from
 * Lua was called at: the innermost frame of that chunk (the call may come
 * through a helper module), else 0. */
int er_tools_call_line(lua_State *L, const char *chunk);
/* The same, with the file the line is in written to src (n bytes, the
 * chunk name without its '@'): when no frame of `chunk` is on the stack
 * (a helper module reached by a tail call, `return check.x(r, ...)`), the
 * innermost Lua frame's file and line; 0 and "" when there is none. */
int er_tools_call_place(lua_State *L, const char *chunk, char *src,
                        size_t n);

/* ---- replaying a stored run (verify.c) ------------------------------------ */

/* A stored run's inputs rebuilt: its data in a temporary database, its
 * rule set from the stored sources, its recorded options. */
typedef struct er_replay er_replay;
/* Rebuilds the inputs of run `run` of db. ER_ENOTFOUND when the run does
 * not exist or stored no sources; ER_EDATA when its stored sources were
 * altered. The caller frees *out (the temporary files go with it). */
int er_replay_open(er_db *db, int64_t run, er_replay **out);
void er_replay_free(er_replay *r);

/* One finding as a comparison reads it (strings borrowed). */
typedef struct er_verify_row {
    const char *rule, *region;
    int year;
    const char *outcome;
    bool has_measured, has_required, has_amount;
    double measured, required;
    int64_t amount; /* fen */
    const char *unit, *note;
} er_verify_row;

/* Receives one field of a finding that differs: its name ("outcome",
 * "measured", "required", "amount", "unit", "note") and both values as
 * text (numbers with every digit, amounts in yuan to the fen). */
typedef int (*er_verify_diff_fn)(void *ctx, const er_verify_row *stored,
                                 const char *field, const char *was,
                                 const char *now);
/* Compares two findings of one rule, region and year field by field:
 * exactly (numbers bit for bit, NaN equal to NaN; amounts to the fen;
 * unit and note byte for byte; absent equal only to absent). Calls fn
 * (may be NULL) for each field that differs, in the order above; *ndiff
 * receives their number. Returns fn's first non-OK code, else ER_OK. */
int er_verify_compare_row(const er_verify_row *stored,
                          const er_verify_row *now, er_verify_diff_fn fn,
                          void *ctx, int *ndiff);

/* ---- global reads (lint_globals.c) ---------------------------------------- */

/* Receives one problem: file ("" for none), line (0 for none), whether it
 * is an error, its text. */
typedef void (*er_lint_report_fn)(void *ctx, const char *file, int line,
                                  bool error, const char *text);

/*
 * Reads every rule file of `rs` and every helper module beside its rules
 * folder, compiled, for the globals its functions use, without a database
 * and without running them, and reports as errors, with file and line: a
 * read of a name no rule environment holds nor the file defines, a member
 * of a library that does not exist, a param no rule of the file declares,
 * a write to params and a `require` of a module that does not exist; the
 * messages are those evaluation raises. A Lua whose compiled chunks are
 * not in the format it reads gets one warning and no check. ER_ENOMEM
 * only.
 */
int er_lint_globals(er_ruleset *rs, er_lint_report_fn report, void *ctx);

/* ---- line coverage (coverage.c) ------------------------------------------ */

typedef struct er_coverage er_coverage;

/*
 * Finds the runnable lines of every file of `rs`, turns the sandbox's line
 * hook on and runs each file's main chunk once more under it (rules load
 * before coverage can start, and their top-level lines ran then). From now
 * until er_coverage_free, every line a rule file runs is counted.
 */
int er_coverage_start(er_coverage **out, er_ruleset *rs);
/* Turns the line hook off and frees. */
void er_coverage_free(er_coverage *cov);
/* For a supervised child that runs cases: sets every count to zero, so
 * that what it packs afterwards (er_coverage_pack_hits) is what it ran;
 * the supervisor adds that to its own counts (er_coverage_add_hits). */
void er_coverage_clear_hits(er_coverage *cov);
int er_coverage_pack_hits(const er_coverage *cov, er_buf *b);
void er_coverage_add_hits(er_coverage *cov, const char *data, size_t len);

/* Per-file scope of the reports: files with scope[i] false are left out;
 * scope NULL = every file. */
void er_coverage_totals(const er_coverage *cov, const bool *scope,
                        long *run_out, long *runnable_out);
/* Whether any line of file `i` ran since er_coverage_start returned. */
bool er_coverage_touched(const er_coverage *cov, size_t i);
void er_coverage_print(const er_coverage *cov, const bool *scope, FILE *fp);
void er_coverage_json(const er_coverage *cov, const bool *scope, er_buf *b);
void er_coverage_lcov(const er_coverage *cov, const bool *scope, er_buf *b);

/*
 * The lines the compiler gave code in a chunk and every function nested in
 * it, as activelines of lua_getinfo("L") gives them for one function: a
 * sorted array of distinct line numbers the caller frees. With
 * reachable_only, lines whose only instructions no path reaches (the
 * implicit return at the `end` of a function that always returned, the
 * return after a tail call) are left out: those are the runnable lines
 * coverage counts. Reads the chunk's binary dump, since nested prototypes
 * are out of reach of the C API. ER_ERULE when the source does not compile.
 */
int er_coverage_lines(lua_State *L, const char *src, size_t len,
                      const char *chunkname, bool reachable_only,
                      int **lines_out, size_t *n_out);

/* ---- lint's synthetic evaluation (lint_synth.c) -------------------------- */

/* Receives each finding of the synthetic evaluation, with the synthetic
 * region it is about; borrows both. */
typedef void (*er_synth_fn)(void *ctx, const er_finding *f,
                            const er_region *region);

/*
 * Evaluates the rules with rules[i] true (and the rules they need) on a
 * synthetic province, four cities (one per zone) and a county below each
 * (and the regions rule files name by code) in an in-memory database,
 * each rule in its last effective year (else its first, else 2020),
 * adding a plausible value for every fact, standard or share a rule reads
 * and does not find, and evaluating again, until nothing is missing or a
 * bound of rounds is reached (*cut_out is then that bound, else 0). Makes
 * up nothing for a year outside 1949..2100 (what data can hold), so that
 * the synthetic data always keeps the integrity rules. Hands the findings
 * of the selected rules from the last round to fn, the `error` ones
 * first. `catalog` (may be NULL) is a database whose metric table declares
 * the domains values are taken from; `trace` (may be NULL) sees every read
 * of every round. Changes nothing but rs->trace, which it puts back.
 */
int er_lint_synthetic(er_ruleset *rs, sqlite3 *catalog, const bool *rules,
                      const er_trace_hook *trace, er_synth_fn fn, void *ctx,
                      int *cut_out);

#endif /* ER_TOOLS_H */
