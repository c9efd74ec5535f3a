#!/bin/sh
# supervise.sh - rule code under a supervisor, seen from the command line:
# limits outside their ranges are usage errors (exit 2) with a clear
# message.
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
for t in inf nan 1e10 0 -1 2x "" 0x10p99; do
    usage "bad timeout '$t': seconds, more than 0 and at most 86400 (one day)" \
        --timeout "$t"
done
for n in 5 1e6 99999999999999999999 1000.5; do
    usage "bad instruction budget '$n': a whole number from 1000 to 10^12" \
        --max-instructions "$n"
done
for m in 0 -3 99999999999999 1.5; do
    usage "bad memory limit '$m': whole megabytes, from 1 to 1048576" \
        --max-memory "$m"
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

echo "supervise: every case as expected"
exit 0
