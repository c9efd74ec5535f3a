/*
 * lint_globals.c - the static half of "known names only" for `equirule
 * lint`: without a database and without running a rule, it reads each
 * compiled rule file (and each helper module beside the rules folder) for
 * the globals its functions read, and reports a read of a name no rule
 * environment holds, a member of a library that does not exist
 * (string.fromat), a param no rule of the file declares, a write to
 * params and a `require` of a module that does not exist. The names come
 * from the sandbox that builds the environments; the messages are the ones
 * evaluation raises (sandbox.c). It reads the binary dump of the chunk
 * (Lua 5.4's format, ldump.c and lopcodes.h) and refuses any other format
 * with a warning rather than guess. It changes nothing.
 */
#include "tools.h"

#include <stdlib.h>
#include <string.h>

/* Lua 5.4's opcodes read here (lopcodes.h, ORDER OP). */
enum { OP_MOVE = 0, OP_LOADK = 3, OP_LOADKX = 4, OP_LFALSESKIP = 6,
       OP_LOADNIL = 8, OP_GETUPVAL = 9, OP_GETTABUP = 11, OP_GETTABLE = 12,
       OP_GETFIELD = 14, OP_SETTABUP = 15, OP_SETTABLE = 16,
       OP_SETFIELD = 18, OP_SELF = 20, OP_ADDI = 21, OP_CONCAT = 53,
       OP_CALL = 68, OP_TAILCALL = 69, OP_CLOSURE = 79, OP_EXTRAARG = 82 };
#define OPCODE(i) ((unsigned)((i) & 0x7fu))
#define ARG_A(i) ((unsigned)(((i) >> 7) & 0xffu))
#define ARG_B(i) ((unsigned)(((i) >> 16) & 0xffu))
#define ARG_C(i) ((unsigned)(((i) >> 24) & 0xffu))
#define ARG_BX(i) ((unsigned)(((i) >> 15) & 0x1ffffu))
#define ARG_AX(i) ((unsigned)((i) >> 7))
#define ARG_K(i) ((unsigned)(((i) >> 15) & 1u))
#define ABSLINEINFO (-0x80)

/* What the scan found: one use of a global, in a function of the chunk. */
typedef enum { USE_READ, USE_WRITE, USE_FIELD_READ, USE_FIELD_WRITE,
               USE_REQUIRE, USE_PASSED } use_kind;

typedef struct use {
    use_kind kind;
    int line;
    size_t order; /* in the dump: nested functions come first */
    char name[64];  /* the global */
    char field[64]; /* its member, or the module required */
} use;

typedef struct scan {
    const unsigned char *p, *end;
    bool bad;
    size_t int_size, num_size;
    use *uses;
    size_t n, cap;
} scan;

static unsigned rd_byte(scan *s)
{
    if (s->p >= s->end) {
        s->bad = true;
        return 0;
    }
    return *s->p++;
}

/* ldump.c's dumpSize: 7 bits a byte, most significant first, the last byte
 * marked with 0x80. */
static size_t rd_size(scan *s)
{
    size_t x = 0;
    for (int i = 0; i < 10 && !s->bad; i++) {
        unsigned b = rd_byte(s);
        x = (x << 7) | (b & 0x7f);
        if (b & 0x80)
            return x;
    }
    s->bad = true;
    return 0;
}

static const unsigned char *rd_skip(scan *s, size_t n)
{
    const unsigned char *at = s->p;
    if (s->bad || (size_t)(s->end - s->p) < n) {
        s->bad = true;
        s->p = s->end;
        return NULL;
    }
    s->p += n;
    return at;
}

/* A string of the dump: its bytes (not NUL-terminated) and length; NULL
 * for the absent string. */
typedef struct kstr {
    const char *s;
    size_t len;
} kstr;

static kstr rd_string(scan *s)
{
    kstr k = {NULL, 0};
    size_t n = rd_size(s);
    if (n) {
        k.len = n - 1;
        k.s = (const char *)rd_skip(s, n - 1);
    }
    return k;
}

static void add_use(scan *s, use_kind kind, int line, kstr name, kstr field)
{
    if (!name.s || name.len >= sizeof s->uses->name ||
        (field.s && field.len >= sizeof s->uses->field))
        return; /* a name that long is nobody's misspelling */
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        use *u = realloc(s->uses, cap * sizeof *u);
        if (!u) {
            s->bad = true;
            return;
        }
        s->uses = u;
        s->cap = cap;
    }
    use *u = &s->uses[s->n];
    u->order = s->n++;
    u->kind = kind;
    u->line = line;
    memcpy(u->name, name.s, name.len);
    u->name[name.len] = '\0';
    u->field[0] = '\0';
    if (field.s) {
        memcpy(u->field, field.s, field.len);
        u->field[field.len] = '\0';
    }
}

/* The string constant k of a function, or the absent string. */
static kstr kst(const kstr *ks, size_t nk, unsigned k)
{
    kstr none = {NULL, 0};
    return k < nk ? ks[k] : none;
}

/* Whether an instruction between reading a global into register r and
 * using it leaves r alone: loads and arithmetic into registers above r. */
static bool keeps_register(uint32_t i, unsigned r)
{
    unsigned op = OPCODE(i);
    bool plain = (op <= OP_GETFIELD && op != OP_LOADKX &&
                  op != OP_LFALSESKIP) ||
                 (op >= OP_ADDI && op < OP_CONCAT) || op == OP_CLOSURE;
    return plain && ARG_A(i) > r;
}

/* The instruction before pc that last set register r, looking back a few
 * instructions (a key or _ENV is loaded right before its use): its pc, or
 * -1. An EXTRAARG is the operand of the LOADKX before it. */
static long setter_of(const uint32_t *code, size_t pc, unsigned r)
{
    for (size_t j = pc; j-- > 0 && j + 6 >= pc;) {
        if (OPCODE(code[j]) == OP_EXTRAARG)
            continue;
        if (ARG_A(code[j]) == r)
            return (long)j;
    }
    return -1;
}

/* The string constant register r holds at pc (LOADK or LOADKX right
 * before), or the absent string. */
static kstr reg_const(const uint32_t *code, size_t ncode, size_t pc,
                      unsigned r, const kstr *ks, size_t nk)
{
    kstr none = {NULL, 0};
    long j = setter_of(code, pc, r);
    if (j < 0)
        return none;
    if (OPCODE(code[j]) == OP_LOADK)
        return kst(ks, nk, ARG_BX(code[j]));
    if (OPCODE(code[j]) == OP_LOADKX && (size_t)j + 1 < ncode &&
        OPCODE(code[j + 1]) == OP_EXTRAARG)
        return kst(ks, nk, ARG_AX(code[j + 1]));
    return none;
}

/* Whether register r holds the chunk's _ENV at pc (GETUPVAL right
 * before): what Lua emits instead of GETTABUP/SETTABUP when the name's
 * constant does not fit an 8-bit operand (a function with more than 255
 * constants). */
static bool reg_env(const uint32_t *code, size_t pc, unsigned r,
                    const bool *env)
{
    long j = setter_of(code, pc, r);
    return j >= 0 && OPCODE(code[j]) == OP_GETUPVAL && env[ARG_B(code[j])];
}

/* The constant key of a field access: C of GETFIELD (and of SELF with
 * its k bit), else a register loaded with a constant (GETTABLE, SELF). */
static kstr field_key(const uint32_t *code, size_t ncode, size_t j,
                      const kstr *ks, size_t nk)
{
    uint32_t n = code[j];
    unsigned op = OPCODE(n);
    if (op == OP_GETFIELD || (op == OP_SELF && ARG_K(n)))
        return kst(ks, nk, ARG_C(n));
    return reg_const(code, ncode, j, ARG_C(n), ks, nk);
}

/* Reads the uses of globals in the code of one function: GETTABUP of the
 * chunk's _ENV reads one, SETTABUP writes one (or, past 255 constants,
 * GETUPVAL _ENV then GETTABLE/SETTABLE with a constant key); what the
 * next instructions do with the register read gives the member used or
 * the module required. */
static void scan_code(scan *s, const uint32_t *code, size_t ncode,
                      const int *lines, const kstr *ks, size_t nk,
                      const bool *knil, const bool *env)
{
    kstr none = {NULL, 0};
    for (size_t pc = 0; pc < ncode && !s->bad; pc++) {
        uint32_t i = code[pc];
        unsigned op = OPCODE(i);
        if (op == OP_SETTABUP && env[ARG_A(i)]) {
            /* NAME = nil: marked, since it defines nothing */
            long set = ARG_K(i) ? -1 : setter_of(code, pc, ARG_C(i));
            bool nil = ARG_K(i) ? ARG_C(i) < nk && knil[ARG_C(i)]
                                : set >= 0 && OPCODE(code[set]) == OP_LOADNIL;
            kstr mark = {"nil", 3};
            add_use(s, USE_WRITE, lines[pc], kst(ks, nk, ARG_B(i)),
                    nil ? mark : none);
            continue;
        }
        if (op == OP_SETTABLE && reg_env(code, pc, ARG_A(i), env)) {
            kstr name = reg_const(code, ncode, pc, ARG_B(i), ks, nk);
            if (name.s)
                add_use(s, USE_WRITE, lines[pc], name, none);
            continue;
        }
        kstr name;
        if (op == OP_GETTABUP && env[ARG_B(i)])
            name = kst(ks, nk, ARG_C(i));
        else if (op == OP_GETTABLE && reg_env(code, pc, ARG_B(i), env))
            name = reg_const(code, ncode, pc, ARG_C(i), ks, nk);
        else
            continue;
        if (!name.s)
            continue; /* _ENV[computed]: not a name */
        unsigned r = ARG_A(i);
        use_kind kind = USE_READ;
        kstr field = none;
        int line = lines[pc];
        for (size_t j = pc + 1; j < ncode && j <= pc + 8; j++) {
            uint32_t n = code[j];
            unsigned nop = OPCODE(n);
            if ((nop == OP_GETFIELD || nop == OP_SELF ||
                 nop == OP_GETTABLE) &&
                ARG_B(n) == r) {
                field = field_key(code, ncode, j, ks, nk);
                if (field.s) {
                    kind = USE_FIELD_READ;
                    line = lines[j];
                }
                break;
            }
            if ((nop == OP_SETFIELD || nop == OP_SETTABLE) && ARG_A(n) == r) {
                field = nop == OP_SETFIELD
                            ? kst(ks, nk, ARG_B(n))
                            : reg_const(code, ncode, j, ARG_B(n), ks, nk);
                if (field.s) {
                    kind = USE_FIELD_WRITE;
                    line = lines[j];
                }
                break;
            }
            if ((nop == OP_CALL || nop == OP_TAILCALL) && ARG_A(n) < r &&
                (ARG_B(n) == 0 || ARG_A(n) + ARG_B(n) - 1 >= r)) {
                kind = USE_PASSED; /* f(lib): f may add members to it */
                break;
            }
            if (nop == OP_LOADK && ARG_A(n) == r + 1 && j + 1 < ncode &&
                (OPCODE(code[j + 1]) == OP_CALL ||
                 OPCODE(code[j + 1]) == OP_TAILCALL) &&
                ARG_A(code[j + 1]) == r &&
                ARG_B(code[j + 1]) == 2) {
                kind = USE_REQUIRE; /* f "name": kept if f is require */
                field = kst(ks, nk, ARG_BX(n));
                break;
            }
            if (!keeps_register(n, r))
                break;
        }
        if (kind == USE_REQUIRE &&
            (name.len != 7 || memcmp(name.s, "require", 7) != 0))
            kind = USE_READ;
        add_use(s, USE_READ, lines[pc], name, none);
        if (kind == USE_PASSED)
            add_use(s, kind, line, name, none);
        else if (kind != USE_READ && field.s)
            add_use(s, kind, line, name, field);
    }
}

/* Reads one function of the dump and, first, every function nested in it;
 * `parent_env` says which of the enclosing function's upvalues are the
 * chunk's _ENV (NULL for the main function, whose only upvalue is). */
static void rd_function(scan *s, const bool *parent_env, size_t parent_nup,
                        int depth)
{
    if (depth > 200) {
        s->bad = true;
        return;
    }
    rd_string(s); /* source */
    int linedefined = (int)rd_size(s);
    rd_size(s); /* lastlinedefined */
    rd_byte(s); /* numparams */
    rd_byte(s); /* is_vararg */
    rd_byte(s); /* maxstacksize */
    size_t ncode = rd_size(s);
    if (ncode > (size_t)(s->end - s->p) / 4) {
        s->bad = true;
        return;
    }
    const unsigned char *code_at = rd_skip(s, ncode * 4);
    size_t nk = rd_size(s);
    if (nk > (size_t)(s->end - s->p)) {
        s->bad = true;
        return;
    }
    kstr *ks = calloc(nk + 1, sizeof *ks);
    uint32_t *code = calloc(ncode + 1, sizeof *code);
    int *lines = calloc(ncode + 1, sizeof *lines);
    bool *knil = calloc(nk + 1, sizeof *knil);
    bool *env = NULL;
    size_t *abs = NULL, nup = 0;
    if (!ks || !code || !lines || !knil) {
        s->bad = true;
        goto done;
    }
    if (code_at)
        memcpy(code, code_at, ncode * 4);
    for (size_t k = 0; k < nk && !s->bad; k++) {
        switch (rd_byte(s)) {
        case 0: /* nil */
            knil[k] = true;
            break;
        case 1:  /* false */
        case 17: /* true */
            break;
        case 3: /* integer */
            rd_skip(s, s->int_size);
            break;
        case 19: /* float */
            rd_skip(s, s->num_size);
            break;
        case 4:  /* short string */
        case 20: /* long string */
            ks[k] = rd_string(s);
            break;
        default:
            s->bad = true;
        }
    }
    nup = rd_size(s);
    if (nup > 255) {
        s->bad = true;
        goto done;
    }
    env = calloc(256, sizeof *env); /* indexed by an 8-bit operand */
    if (!env) {
        s->bad = true;
        goto done;
    }
    for (size_t u = 0; u < nup && !s->bad; u++) {
        unsigned instack = rd_byte(s), idx = rd_byte(s);
        rd_byte(s); /* kind */
        if (!parent_env)
            env[u] = u == 0; /* the main function's _ENV */
        else
            env[u] = !instack && idx < parent_nup && parent_env[idx];
    }
    size_t np = rd_size(s);
    for (size_t k = 0; k < np && !s->bad; k++)
        rd_function(s, env, nup, depth + 1);

    /* debug information: the line of each instruction (ldebug.c's
     * luaG_getfuncline) */
    size_t nli = rd_size(s);
    const signed char *lineinfo = (const signed char *)rd_skip(s, nli);
    size_t nabs = rd_size(s);
    if (s->bad || nli != ncode || nabs > (size_t)(s->end - s->p)) {
        s->bad = true;
        goto done;
    }
    abs = calloc(2 * nabs + 1, sizeof *abs); /* pc, line pairs */
    if (!abs) {
        s->bad = true;
        goto done;
    }
    for (size_t k = 0; k < 2 * nabs; k++)
        abs[k] = rd_size(s);
    int current = linedefined;
    size_t a = 0;
    for (size_t pc = 0; pc < nli && !s->bad; pc++) {
        if (lineinfo[pc] != ABSLINEINFO) {
            current += lineinfo[pc];
        } else {
            while (a < nabs && abs[2 * a] < pc)
                a++;
            if (a < nabs && abs[2 * a] == pc)
                current = (int)abs[2 * a + 1];
            else
                s->bad = true;
        }
        lines[pc] = current;
    }
    size_t nloc = rd_size(s);
    for (size_t k = 0; k < nloc && !s->bad; k++) {
        rd_string(s);
        rd_size(s);
        rd_size(s);
    }
    size_t nupn = rd_size(s);
    for (size_t k = 0; k < nupn && !s->bad; k++)
        rd_string(s);
    if (!s->bad)
        scan_code(s, code, ncode, lines, ks, nk, knil, env);
done:
    free(abs);
    free(env);
    free(knil);
    free(ks);
    free(code);
    free(lines);
}

static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    (void)L;
    return er_buf_add(ud, p, sz) == ER_OK ? 0 : 1;
}

/* The uses of globals in the compiled chunk of `src`. ER_ERULE when it
 * does not compile (the loader reports that), ER_ERROR when the dump is
 * not in the one format this file reads. */
static int scan_chunk(lua_State *L, const char *src, size_t len,
                      const char *chunkname, scan *s)
{
    int base = lua_gettop(L);
    er_buf dump;
    er_buf_init(&dump);
    int rc = ER_OK;
    memset(s, 0, sizeof *s);
    if (luaL_loadbufferx(L, src, len, chunkname, "t") != LUA_OK) {
        rc = ER_ERULE;
        goto done;
    }
    if (lua_dump(L, dump_writer, &dump, 0) != 0) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    /* the header of Lua 5.4 (ldump.c's dumpHeader): signature, version
     * 0x54, format 0, LUAC_DATA, the sizes of an instruction, an integer
     * and a number, then LUAC_INT and LUAC_NUM in this machine's form */
    static const unsigned char head[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n";
    const lua_Integer luac_int = 0x5678;
    const lua_Number luac_num = 370.5;
    size_t hlen = sizeof head - 1;
    if (lua_version(L) != 504 || dump.len < hlen + 3 + 16 ||
        memcmp(dump.data, head, hlen) != 0 ||
        (unsigned char)dump.data[hlen] != 4 ||
        (unsigned char)dump.data[hlen + 1] != sizeof(lua_Integer) ||
        (unsigned char)dump.data[hlen + 2] != sizeof(lua_Number) ||
        memcmp(dump.data + hlen + 3, &luac_int, sizeof luac_int) != 0 ||
        memcmp(dump.data + hlen + 3 + sizeof luac_int, &luac_num,
               sizeof luac_num) != 0) {
        rc = ER_ERROR;
        goto done;
    }
    s->p = (const unsigned char *)dump.data + hlen + 3 +
           sizeof(lua_Integer) + sizeof(lua_Number);
    s->end = (const unsigned char *)dump.data + dump.len;
    s->int_size = sizeof(lua_Integer);
    s->num_size = sizeof(lua_Number);
    rd_byte(s); /* the main closure's upvalue count */
    rd_function(s, NULL, 0, 0);
    if (s->bad)
        rc = ER_ERROR;
done:
    er_buf_free(&dump);
    lua_settop(L, base);
    return rc;
}

/* Whether the scan reads what it should of a chunk it knows: the opcodes
 * and operands this file assumes are those of the Lua it runs on. */
static bool format_known(lua_State *L)
{
    static const char probe[] = "local a = zz_read.zz_field\n"
                                "zz_write = a\n"
                                "return require \"zz_mod\"\n";
    scan s;
    bool ok = scan_chunk(L, probe, sizeof probe - 1, "=probe", &s) ==
                  ER_OK &&
              s.n == 5 && s.uses[0].kind == USE_READ &&
              strcmp(s.uses[0].name, "zz_read") == 0 &&
              s.uses[1].kind == USE_FIELD_READ &&
              strcmp(s.uses[1].field, "zz_field") == 0 &&
              s.uses[2].kind == USE_WRITE && s.uses[2].line == 2 &&
              strcmp(s.uses[2].name, "zz_write") == 0 &&
              s.uses[4].kind == USE_REQUIRE && s.uses[4].line == 3 &&
              strcmp(s.uses[4].field, "zz_mod") == 0;
    free(s.uses);
    return ok;
}

/* ---- the checks ------------------------------------------------------------ */

typedef struct names {
    const char **items; /* borrowed from a Lua table on the stack */
    size_t n;
} names;

static bool has_name(const names *ns, const char *name)
{
    for (size_t i = 0; i < ns->n; i++)
        if (strcmp(ns->items[i], name) == 0)
            return true;
    return false;
}

/* The string keys (or, with values, the string values) of the table at
 * idx, borrowed from it; false when out of memory. */
static bool names_of(lua_State *L, int idx, bool values, names *out)
{
    idx = lua_absindex(L, idx);
    size_t cap = 16;
    out->n = 0;
    out->items = malloc(cap * sizeof *out->items);
    if (!out->items)
        return false;
    er_sandbox_push_contents(L, idx);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        int at = values ? -1 : -2;
        if (lua_type(L, at) == LUA_TSTRING) {
            if (out->n == cap) {
                const char **p = realloc(out->items, 2 * cap * sizeof *p);
                if (!p) {
                    lua_pop(L, 3);
                    return false;
                }
                out->items = p;
                cap *= 2;
            }
            out->items[out->n++] = lua_tostring(L, at);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1); /* the contents: the table at idx holds the strings */
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct globals_ctx {
    er_ruleset *rs;
    lua_State *L;
    er_lint_report_fn report;
    void *ctx;
    names known; /* every environment's globals */
    int known_idx, env_idx; /* stack: the names, a globals table */
    bool oom;
} globals_ctx;

/* Whether the loader already reported this message at this line (a
 * file-level read that stopped the file from loading). */
static bool already_reported(const er_ruleset *rs, int line, const char *text)
{
    char needle[800];
    snprintf(needle, sizeof needle, ":%d: %s", line, text);
    for (size_t i = 0; i < rs->ndiags; i++)
        if (strstr(rs->diags[i], needle))
            return true;
    return false;
}

static void report(globals_ctx *g, const char *file, int line,
                   const char *text)
{
    if (!already_reported(g->rs, line, text))
        g->report(g->ctx, file, line, true, text);
}

/* Whether the library global `lib` has the member `field`, in every
 * environment or as the file defines it. */
static bool member_known(globals_ctx *g, const scan *s, const char *lib,
                         const char *field)
{
    lua_State *L = g->L;
    lua_getfield(L, g->env_idx, lib); /* raw globals: known names only */
    bool known = true, library = lua_type(L, -1) == LUA_TTABLE;
    if (library && lua_getmetatable(L, -1)) { /* an environment (_G) */
        lua_pop(L, 1);
        library = false;
    }
    if (library) {
        lua_pushstring(L, field);
        known = lua_rawget(L, -2) != LUA_TNIL;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    /* a member the file writes is known; so is any member of a library
     * the file hands to a function (extend(string)), which may add it */
    for (size_t k = 0; k < s->n && !known; k++)
        known = strcmp(s->uses[k].name, lib) == 0 &&
                (s->uses[k].kind == USE_PASSED ||
                 (s->uses[k].kind == USE_FIELD_WRITE &&
                  strcmp(s->uses[k].field, field) == 0));
    return known;
}

/* The declared params of the rules of file fi, sorted; the rule's id when
 * the file has one rule, else NULL. */
static const char *declared_params(globals_ctx *g, size_t fi, names *out,
                                   int *count)
{
    lua_State *L = g->L;
    const char *id = NULL;
    *count = 0;
    lua_newtable(L); /* the union of the rules' names */
    int t = lua_gettop(L);
    for (size_t i = 0; i < g->rs->nrules; i++) {
        const er_rule *r = &g->rs->rules[i];
        if ((size_t)r->file != fi)
            continue;
        id = (*count)++ ? NULL : r->info.id;
        if (r->params_ref == LUA_NOREF)
            continue;
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->params_ref);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_pushboolean(L, 1);
            lua_rawset(L, t);
        }
        lua_pop(L, 1);
    }
    if (!names_of(L, t, false, out))
        g->oom = true;
    else if (out->n > 1)
        qsort(out->items, out->n, sizeof *out->items, cmp_str);
    return id; /* the table stays on the stack: it holds the names */
}

static int cmp_use(const void *pa, const void *pb)
{
    const use *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return (a->order > b->order) - (a->order < b->order);
}

/* Reports the uses of file fi that no environment allows, in line order. */
static void check_uses(globals_ctx *g, const er_rule_file *f, size_t fi,
                       scan *s)
{
    if (s->n > 1)
        qsort(s->uses, s->n, sizeof *s->uses, cmp_use);
    lua_State *L = g->L;
    int base = lua_gettop(L);
    char msg[700];
    names params = {NULL, 0};
    int nrules = 0;
    const char *rule_id = f->module ? NULL
                                    : declared_params(g, fi, &params,
                                                      &nrules);
    for (size_t k = 0; k < s->n; k++) {
        use g_read; /* _G.name reads the global name */
        const use *u = &s->uses[k];
        bool twice = false; /* the same use on the same line: once */
        for (size_t j = 0; j < k && !twice; j++)
            twice = s->uses[j].kind == u->kind && s->uses[j].line == u->line &&
                    strcmp(s->uses[j].name, u->name) == 0 &&
                    strcmp(s->uses[j].field, u->field) == 0;
        if (twice)
            continue;
        if (u->kind == USE_FIELD_READ && strcmp(u->name, "_G") == 0 &&
            has_name(&g->known, "_G")) {
            g_read = *u;
            g_read.kind = USE_READ;
            memcpy(g_read.name, u->field, sizeof g_read.name);
            u = &g_read;
        }
        /* a name the file itself defines is known to it */
        bool defined = false, nil_only = false;
        for (size_t w = 0; w < s->n && !defined; w++)
            if (s->uses[w].kind == USE_WRITE &&
                strcmp(s->uses[w].name, u->name) == 0) {
                defined = s->uses[w].field[0] == '\0';
                nil_only = !defined;
            }
        bool is_params = strcmp(u->name, "params") == 0;
        bool known = !(f->module && is_params) && has_name(&g->known, u->name);
        if (u->kind == USE_READ && !known && nil_only) {
            /* NAME = nil holds nothing: at evaluation the read raises
             * "unknown global" */
            snprintf(msg, sizeof msg,
                     "global '%s' is only ever assigned nil in this file "
                     "(%s = nil leaves no global): reading it raises "
                     "\"unknown global\"; declare it local",
                     u->name, u->name);
            report(g, f->display, u->line, msg);
        } else if (u->kind == USE_READ && !known && !defined) {
            /* the names the environment holds then: every environment's
             * and the file's own globals */
            const char *cands[512];
            size_t nc = 0;
            for (size_t i = 0; i < g->known.n && nc < 256; i++)
                cands[nc++] = g->known.items[i];
            for (size_t w = 0; w < s->n && nc < ER_ARRAY_LEN(cands); w++)
                if (s->uses[w].kind == USE_WRITE)
                    cands[nc++] = s->uses[w].name;
            er_sandbox_global_message(u->name, cands, nc, msg, sizeof msg);
            report(g, f->display, u->line, msg);
        } else if (u->kind == USE_FIELD_READ && known && !defined &&
                   is_params && nrules > 0 &&
                   !has_name(&params, u->field)) {
            if (rule_id) {
                er_sandbox_param_message(rule_id, u->field, params.items,
                                         params.n, msg, sizeof msg);
            } else {
                const char *close = er_suggest(u->field, params.items,
                                               params.n);
                snprintf(msg, sizeof msg,
                         "no rule of the file declares a param '%s'%s%s%s",
                         u->field, close ? " (did you mean " : "",
                         close ? close : "", close ? "?)" : "");
            }
            report(g, f->display, u->line, msg);
        } else if (u->kind == USE_FIELD_WRITE && known && !defined &&
                   is_params) {
            report(g, f->display, u->line,
                   "params are read-only (override them with --set)");
        } else if (u->kind == USE_FIELD_READ && known && !defined &&
                   !is_params && !member_known(g, s, u->name, u->field)) {
            /* string.fromat: a nil call at evaluation */
            names members = {NULL, 0};
            lua_getfield(L, g->env_idx, u->name);
            if (names_of(L, -1, false, &members)) {
                const char *close = er_suggest(u->field, members.items,
                                               members.n);
                snprintf(msg, sizeof msg,
                         "unknown field '%s.%s'%s%s%s", u->name, u->field,
                         close ? " (did you mean " : "",
                         close ? close : "", close ? "?)" : "");
                report(g, f->display, u->line, msg);
            } else {
                g->oom = true;
            }
            free(members.items);
            lua_pop(L, 1);
        } else if (u->kind == USE_REQUIRE && known && !defined &&
                   !er_sandbox_has_module(&g->rs->sb, u->field)) {
            report(g, f->display, u->line,
                   er_sandbox_require_message(&g->rs->sb, u->field, msg,
                                              sizeof msg));
        }
    }
    free(params.items);
    lua_settop(L, base);
}

int er_lint_globals(er_ruleset *rs, er_lint_report_fn report_fn, void *ctx)
{
    lua_State *L = rs->sb.L;
    int base = lua_gettop(L);
    globals_ctx g = {.rs = rs, .L = L, .report = report_fn, .ctx = ctx};
    int rc = ER_OK;
    if (!format_known(L)) {
        char text[200];
        snprintf(text, sizeof text,
                 "global reads are not checked: the compiled chunks of this "
                 "Lua (%.0f) are not in the format lint reads (Lua 5.4's)",
                 (double)lua_version(L));
        report_fn(ctx, "", 0, false, text);
        goto done;
    }
    er_sandbox_push_global_names(L);
    g.known_idx = lua_gettop(L);
    er_sandbox_push_env(L);
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index"); /* the globals, read raw below */
    g.env_idx = lua_gettop(L);
    if (!names_of(L, g.known_idx, true, &g.known)) {
        rc = er_fail(ER_ENOMEM, "out of memory");
        goto done;
    }
    /* raw reads of the globals: no unknown-name error from C */
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, g.env_idx)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_replace(L, g.env_idx);
    for (size_t i = 0; i < rs->nfiles + rs->nmods && !g.oom; i++) {
        const er_rule_file *f = i < rs->nfiles ? &rs->files[i]
                                               : &rs->mods[i - rs->nfiles];
        if (!f->source)
            continue;
        char chunk[4200];
        snprintf(chunk, sizeof chunk, "@%s", f->display);
        scan s;
        int src = scan_chunk(L, f->source, f->len, chunk, &s);
        if (src == ER_OK)
            check_uses(&g, f, i, &s);
        else if (src == ER_ERROR)
            report_fn(ctx, f->display, 0, false,
                      "its global reads could not be read from the "
                      "compiled chunk: they are not checked");
        free(s.uses);
    }
    if (g.oom)
        rc = er_fail(ER_ENOMEM, "out of memory");
done:
    free(g.known.items);
    lua_settop(L, base);
    return rc;
}
