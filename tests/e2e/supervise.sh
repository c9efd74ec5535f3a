#!/bin/sh
# supervise.sh - rule code under a supervisor, seen from the command line:
# limits outside their ranges are usage errors (exit 2) with a clear
# message; symbolic links in a rules folder are not followed; a rule file
# whose loading hangs in C code is dropped, with an error naming it, by
# `rules`, `lint`, `run`, `test`, `diff` and `explain`, and the other files
# load; a rule whose evaluation hangs in C code is an error naming it in
# `lint`, `test`, `diff` and `explain`. The hangs are real (they never end),
# so the outcomes do not depend on timing: only the small --timeout keeps
# the test quick.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "supervise: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_supervise.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

db=$tmp/t.db
"$EQUIRULE_BIN" init --sample --db "$db" >/dev/null || fail "init --sample"

# ---- limits: parsed strictly, usage errors otherwise ------------------------
usage() { # expected message, then the arguments of run
    want=$1
    shift
    "$EQUIRULE_BIN" run --db "$db" --rules "$ER_SOURCE_DIR/rules" "$@" \
        >"$tmp/out" 2>&1
    rc=$?
    [ $rc -eq 2 ] || { cat "$tmp/out"; fail "run $*: exit $rc, expected 2"; }
    grep -qF "$want" "$tmp/out" || { cat "$tmp/out"; fail "run $*: message"; }
}
for t in inf nan 1e10 0 -1 2x "" 0x10p99 0x10 " 2" "2 "; do
    usage "bad timeout '$t': seconds, more than 0 and at most 86400 (one day)" \
        --timeout "$t"
done
for n in 5 1e6 99999999999999999999 1000.5; do
    usage "bad instruction budget '$n': a whole number from 1000 to 10^12" \
        --max-instructions "$n"
done
for m in 0 -3 99999999999999 1.5 0x10 " 64"; do
    usage "bad memory limit '$m': whole megabytes, from 1 to 1048576" \
        --max-memory "$m"
done
for j in "" " 2" 0x2 -1 257; do
    usage "bad job count '$j'" --jobs "$j"
done
# the other commands that run rule code take --timeout the same way
for cmd in rules lint test diff explain; do
    "$EQUIRULE_BIN" $cmd --timeout inf >"$tmp/out" 2>&1
    rc=$?
    [ $rc -eq 2 ] || { cat "$tmp/out"; fail "$cmd --timeout inf: exit $rc, expected 2"; }
    grep -qF "bad timeout 'inf': seconds, more than 0 and at most 86400 (one day)" "$tmp/out" ||
        { cat "$tmp/out"; fail "$cmd --timeout inf: message"; }
done
# nothing was stored by the refused runs
"$EQUIRULE_BIN" runs --db "$db" --format csv >"$tmp/out" 2>&1 || fail "runs"
[ "$(wc -l <"$tmp/out")" -le 1 ] || { cat "$tmp/out"; fail "a refused run was stored"; }

# ---- symbolic links in a rules folder: not followed, and said so -----------
mkdir -p "$tmp/links/rules/demo" "$tmp/outside"
cp "$ER_SOURCE_DIR/rules/health/public_health_per_capita.lua" "$tmp/outside/x.lua"
ln -s "$tmp/outside/x.lua" "$tmp/links/rules/demo/x.lua"
ln -s "$tmp/outside/x.lua" "$tmp/links/rules/demo/x_test.lua"
ln -s . "$tmp/links/rules/demo/loop"
ln -s "$tmp/outside" "$tmp/links/rules/health"
for cmd in rules lint; do
    "$EQUIRULE_BIN" $cmd --rules "$tmp/links/rules" >"$tmp/out" 2>&1
    for l in demo/x.lua demo/loop health; do
        grep "^[a-z: ]*$tmp/links/rules/$l: " "$tmp/out" |
            grep -qF "a symbolic link, not followed" ||
            { cat "$tmp/out"; fail "$cmd: no diagnostic for the link $l"; }
    done
done
"$EQUIRULE_BIN" test --rules "$tmp/links/rules" "$tmp/links/rules" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] || { cat "$tmp/out"; fail "test over links: exit $rc, expected 3"; }
grep -qF "$tmp/links/rules/demo/loop: a symbolic link, not followed" "$tmp/out" ||
    { cat "$tmp/out"; fail "test: the loop is not named"; }

# ---- a rule file whose loading hangs in C code ------------------------------
shipped=$ER_SOURCE_DIR/rules
h=$tmp/hostile
mkdir -p "$h/scripts"
cp -r "$shipped" "$h/rules"
cp -r "$ER_SOURCE_DIR/scripts/lib" "$h/scripts/lib"
mkdir "$h/rules/hostile"
for f in load_xpcall_handler load_pattern_bomb; do
    cp "$ER_SOURCE_DIR/tests/hostile/load/$f.lua" "$h/rules/hostile/"
done
loaddiag() { # the diagnostic of a hostile load case
    echo "$h/rules/hostile/$1.lua: timeout: loading did not finish within 1 s and was stopped (a hang the instruction limit cannot stop); the file's rules are left out"
}
ids() { awk 'NR > 1 { print $1 }'; }

# rules: both files named, every shipped rule listed
"$EQUIRULE_BIN" rules --rules "$shipped" | ids >"$tmp/ids.want" || fail "rules (shipped)"
"$EQUIRULE_BIN" rules --rules "$h/rules" --timeout 1 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/err"; fail "rules: exit $rc"; }
for f in load_xpcall_handler load_pattern_bomb; do
    grep -qxF "equirule: $(loaddiag $f)" "$tmp/err" ||
        { cat "$tmp/err"; fail "rules: no error naming $f.lua"; }
done
ids <"$tmp/out" >"$tmp/ids.got"
cmp -s "$tmp/ids.want" "$tmp/ids.got" || { diff "$tmp/ids.want" "$tmp/ids.got"; fail "rules: the other files did not all load"; }

# lint: an error per file, nothing else
"$EQUIRULE_BIN" lint --rules "$h/rules" --db "$db" --timeout 1 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] || { cat "$tmp/out"; fail "lint: exit $rc, expected 3"; }
for f in load_xpcall_handler load_pattern_bomb; do
    grep -qF "$h/rules/hostile/$f.lua: error: timeout: loading did not finish within 1 s" "$tmp/out" ||
        { cat "$tmp/out"; fail "lint: no error naming $f.lua"; }
done
grep -q ': 2 errors, ' "$tmp/out" || { cat "$tmp/out"; fail "lint: other errors"; }

# run: the other files' rules all run and the run is stored
"$EQUIRULE_BIN" run --db "$db" --rules "$shipped" --timeout 1 >/dev/null 2>&1
[ $? -le 1 ] || fail "run (shipped)"
"$EQUIRULE_BIN" run --db "$db" --rules "$h/rules" --timeout 1 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/err"; fail "run: exit $rc, expected 1"; }
grep -qxF "equirule: 2 rule file problems (above); the other rules ran" "$tmp/err" ||
    { cat "$tmp/err"; fail "run: the closing line"; }
for f in load_xpcall_handler load_pattern_bomb; do
    grep -qxF "equirule: $(loaddiag $f)" "$tmp/err" ||
        { cat "$tmp/err"; fail "run: no error naming $f.lua"; }
done
"$EQUIRULE_BIN" runs --db "$db" --format csv | awk -F, 'NR > 1 { print $6, $7 }' >"$tmp/out"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || { cat "$tmp/out"; fail "run: not stored"; }
[ "$(sed -n 1p "$tmp/out")" = "$(sed -n 2p "$tmp/out")" ] ||
    { cat "$tmp/out"; fail "run: the rules and findings differ from the shipped rules' run"; }

# explain: the other rules explain; the load error is named
"$EQUIRULE_BIN" explain --db "$db" --rules "$h/rules" --timeout 1 \
    health.public_health_per_capita 441400 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/err"; fail "explain: exit $rc"; }
grep -qxF "equirule: $(loaddiag load_pattern_bomb)" "$tmp/err" ||
    { cat "$tmp/err"; fail "explain: no error naming the file"; }
grep -q "health.public_health_per_capita" "$tmp/out" || fail "explain: no trace"

# diff: the head side's load error is in the report
"$EQUIRULE_BIN" diff --db "$db" --base "$shipped" --head "$h/rules" --timeout 1 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "diff: exit $rc, expected 0 (no rule changed)"; }
grep -qF "$(loaddiag load_xpcall_handler)" "$tmp/out" ||
    { cat "$tmp/out"; fail "diff: no error naming the file"; }

# test: the file's rules are left out, the shipped tests still pass
"$EQUIRULE_BIN" test --rules "$h/rules" --timeout 1 "$h/rules" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "test: exit $rc"; }
grep -qxF "rule problem: $(loaddiag load_pattern_bomb)" "$tmp/out" ||
    { cat "$tmp/out"; fail "test: no error naming the file"; }

# ---- a rule whose evaluation hangs in C code ---------------------------------
e=$tmp/eval
mkdir -p "$e/rules/hostile"
cp -r "$shipped"/health "$e/rules/"
cp "$ER_SOURCE_DIR/tests/hostile/hostile/pattern_bomb.lua" \
    "$ER_SOURCE_DIR/tests/hostile/hostile/endless_loop_xpcall_handler.lua" \
    "$ER_SOURCE_DIR/tests/hostile/tests/"*_test.lua "$e/rules/hostile/"
evaldiag() { # rule, line, year
    echo "timeout: evaluating hostile.$1 ($e/rules/hostile/$1.lua:$2) for 440000 广东省 in $3 did not finish within 1 s and was stopped (a hang the instruction limit cannot stop)"
}
year=$("$EQUIRULE_BIN" explain --db "$db" --rules "$shipped" health.public_health_per_capita 441400 --format json |
    sed -n 's/.*"year": *\([0-9]*\).*/\1/p' | head -n 1)
[ -n "$year" ] || fail "the latest year"

# explain: an error naming the rule, its file and the region (exit 3)
for r in pattern_bomb:9 endless_loop_xpcall_handler:12; do
    "$EQUIRULE_BIN" explain --db "$db" --rules "$e/rules" --timeout 1 \
        "hostile.${r%%:*}" 440000 >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ $rc -eq 3 ] || { cat "$tmp/out" "$tmp/err"; fail "explain ${r%%:*}: exit $rc, expected 3"; }
    grep -qxF "equirule: $(evaldiag "${r%%:*}" "${r#*:}" "$year")" "$tmp/err" ||
        { cat "$tmp/err"; fail "explain ${r%%:*}: message"; }
done

# lint: an error per hanging rule; the other rules are still traced
"$EQUIRULE_BIN" lint --rules "$e/rules" --db "$db" --timeout 1 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] || { cat "$tmp/out"; fail "lint (evaluation): exit $rc, expected 3"; }
grep -qF "pattern_bomb.lua:9: error: rule 'hostile.pattern_bomb': $(evaldiag pattern_bomb 9 "$year")" "$tmp/out" ||
    { cat "$tmp/out"; fail "lint: pattern_bomb not named"; }
grep -qF "endless_loop_xpcall_handler.lua:12: error: rule 'hostile.endless_loop_xpcall_handler': $(evaldiag endless_loop_xpcall_handler 12 "$year")" "$tmp/out" ||
    { cat "$tmp/out"; fail "lint: endless_loop_xpcall_handler not named"; }
grep -q ': 2 errors, ' "$tmp/out" || { cat "$tmp/out"; fail "lint (evaluation): other errors"; }

# diff: against harmless versions of the same rules, the proposed ones
# change to an error finding naming the rule and region
mkdir -p "$e/base/hostile"
cp -r "$shipped"/health "$e/base/"
for r in pattern_bomb endless_loop_xpcall_handler; do
    cat >"$e/base/hostile/$r.lua" <<EOF
return { id = "hostile.$r", title = "t", basis = "b", kind = "compliance",
         level = "province", evaluate = function(r) return pass() end }
EOF
done
"$EQUIRULE_BIN" diff --db "$db" --base "$e/base" --head "$e/rules" --timeout 1 \
    --format csv >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/out"; fail "diff (evaluation): exit $rc, expected 1"; }
for r in pattern_bomb endless_loop_xpcall_handler; do
    grep "^hostile.$r,440000,.*,changed,pass,error," "$tmp/out" |
        grep -qF "timeout: no result within 1 s, the worker was stopped while evaluating hostile.$r for 440000 广东省 in $year" ||
        { cat "$tmp/out"; fail "diff: no error finding for $r"; }
done

# test: the files with a hang fail, each naming it; the others pass
"$EQUIRULE_BIN" test --rules "$e/rules" --timeout 1 "$e/rules" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/out"; fail "test: exit $rc, expected 1"; }
for t in load_hang case_hang; do
    want=$(sed -n 's/^-- expect-test: //p' "$ER_SOURCE_DIR/tests/hostile/tests/${t}_test.lua" |
        sed "s|FILE|$e/rules/hostile/${t}_test.lua|; s|RULES|$e/rules|")
    grep -A1 -xF "FAIL $e/rules/hostile/${t}_test.lua" "$tmp/out" | grep -qxF "     $want" ||
        { cat "$tmp/out"; fail "test: $t not failed with its message"; }
done
grep -q "^ok   $e/rules/health/public_health_per_capita_test.lua" "$tmp/out" ||
    { cat "$tmp/out"; fail "test: the other files did not run"; }

# the last resort: should a file that loaded in the supervised child hang
# when this process loads it (made to happen with a stall at that point),
# the watchdog stops the command at the deadline, naming the file
EQUIRULE_FAULT=stall:load-here=60 "$EQUIRULE_BIN" rules --rules "$ER_SOURCE_DIR/rules" \
    --timeout 1 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] || { cat "$tmp/out"; fail "watchdog: exit $rc, expected 3"; }
grep -q "^equirule: .*\.lua: loading hung in this process after it loaded in the supervised child" "$tmp/out" ||
    { cat "$tmp/out"; fail "watchdog: no message naming the file"; }

echo "supervise: every case as expected"
exit 0
