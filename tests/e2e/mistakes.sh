#!/bin/sh
# mistakes.sh - every authoring mistake in tests/fixtures/mistakes gets the
# message and exit status its case names, from `lint` and `test`.
#
# A case is a folder tests/fixtures/mistakes/NAME/ with a rules folder
# (rules/<department>/*.lua) and a file `expect` of lines:
#
#   # what the mistake is (comments and blank lines are ignored)
#   run: lint --rules @RULES@       a command line after `equirule`
#   exit: 3                         its exit status
#   says: some text                 a line of its output contains this
#   not: some text                  no line of its output contains this
#
# `exit:`, `says:` and `not:` lines apply to the `run:` above them; a case
# has one or more runs. In a command, @RULES@ is the case's rules folder,
# @CASE@ the case folder and @DB@ a database holding the built-in sample;
# commands run in an empty folder (no default database), with
# EQUIRULE_RULES and EQUIRULE_DB unset.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_mistakes.XXXXXX") || {
    echo "mistakes: FAILED: cannot create a temporary folder" >&2
    exit 1
}
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

unset EQUIRULE_RULES EQUIRULE_DB
mkdir "$tmp/cwd"
"$EQUIRULE_BIN" init --sample --db "$tmp/sample.db" >/dev/null 2>&1 || {
    echo "mistakes: FAILED: init --sample" >&2
    exit 1
}

root=$ER_SOURCE_DIR/tests/fixtures/mistakes
failed=0
cases=0
checks=0

# run_case DIR: runs every command of DIR/expect and checks it.
run_case() {
    dir=$1
    name=$(basename "$dir")
    out=$tmp/out
    have_run=0
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
        '' | '#'*) continue ;;
        'run: '*)
            cmd=${line#run: }
            cmd=$(printf '%s' "$cmd" | sed -e "s|@RULES@|$dir/rules|g" \
                -e "s|@CASE@|$dir|g" -e "s|@DB@|$tmp/sample.db|g")
            # shellcheck disable=SC2086 # the command line is split on purpose
            (cd "$tmp/cwd" && "$EQUIRULE_BIN" $cmd) >"$out" 2>&1
            rc=$?
            have_run=1
            ;;
        'exit: '*)
            checks=$((checks + 1))
            want=${line#exit: }
            if [ "$rc" != "$want" ]; then
                echo "FAIL $name: 'equirule $cmd' exited $rc, expected $want" >&2
                sed 's/^/     | /' "$out" >&2
                failed=$((failed + 1))
            fi
            ;;
        'says: '*)
            checks=$((checks + 1))
            want=${line#says: }
            if ! grep -qF -- "$want" "$out"; then
                echo "FAIL $name: 'equirule $cmd' does not say: $want" >&2
                sed 's/^/     | /' "$out" >&2
                failed=$((failed + 1))
            fi
            ;;
        'not: '*)
            checks=$((checks + 1))
            want=${line#not: }
            if grep -qF -- "$want" "$out"; then
                echo "FAIL $name: 'equirule $cmd' should not say: $want" >&2
                sed 's/^/     | /' "$out" >&2
                failed=$((failed + 1))
            fi
            ;;
        *)
            echo "FAIL $name: expect: cannot read line: $line" >&2
            failed=$((failed + 1))
            ;;
        esac
        if [ $have_run -eq 0 ]; then
            echo "FAIL $name: expect: a check before any 'run:' line" >&2
            failed=$((failed + 1))
            have_run=1
        fi
    done <"$dir/expect"
}

for dir in "$root"/*/; do
    dir=${dir%/}
    [ -f "$dir/expect" ] || continue
    cases=$((cases + 1))
    run_case "$dir"
done

if [ $cases -eq 0 ]; then
    echo "mistakes: FAILED: no cases under $root" >&2
    exit 1
fi
if [ $failed -gt 0 ]; then
    echo "mistakes: FAILED: $failed of $checks checks in $cases cases" >&2
    exit 1
fi
echo "mistakes: $checks checks in $cases cases as expected"
exit 0
