#!/bin/sh
# tools_test.sh - `equirule test` for testers: line coverage of a fixture
# rule with one line its cases never run (table, JSON, LCOV,
# --min-coverage), JUnit XML that is well-formed with the right counts, and
# the exit status of a failing case.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "tools_test: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_tools_test.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

fx=$ER_SOURCE_DIR/tests/fixtures/tools/coverage

# coverage: branchy.lua has 17 runnable lines; the cases never run line 14;
# one case fails on purpose (exit status 1)
"$EQUIRULE_BIN" test --rules "$fx" --coverage \
    --coverage-json "$tmp/cov.json" --coverage-lcov "$tmp/cov.info" \
    --junit "$tmp/junit.xml" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/out"; fail "exit status $rc, expected 1 (a case fails)"; }
grep -q '^2 passed, 1 failed$' "$tmp/out" || { cat "$tmp/out"; fail "counts"; }
grep -Eq 'branchy\.lua +16/17 +94\.1   14$' "$tmp/out" ||
    { cat "$tmp/out"; fail "the coverage row of branchy.lua"; }
grep -Eq '^total +16/17 +94\.1' "$tmp/out" || fail "the total row"
grep -q '"never_run": \[14\]' "$tmp/cov.json" || fail "never_run in the JSON"
grep -q '"total": {"lines_runnable": 17, "lines_run": 16, "percent": 94.1}' \
    "$tmp/cov.json" || fail "the JSON total"
grep -q '^DA:14,0$' "$tmp/cov.info" || fail "line 14 in the LCOV tracefile"
grep -q '^LH:16$' "$tmp/cov.info" || fail "LH in the LCOV tracefile"

# JUnit: well-formed, 3 tests, 1 failure with the console's message
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$tmp/junit.xml" || fail "junit.xml is not well-formed"
elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \
        "$tmp/junit.xml" || fail "junit.xml is not well-formed"
fi
grep -q '<testsuites name="equirule" tests="3" failures="1" errors="0"' \
    "$tmp/junit.xml" || fail "testsuites counts"
[ "$(grep -c '<testcase ' "$tmp/junit.xml")" -eq 3 ] || fail "3 testcases"
grep -q '<failure message="441500 demo.branchy 2019: expected fail, got pass (measured 67, required 60)">' \
    "$tmp/junit.xml" || fail "the failure message"

# --min-coverage: below the measure fails, at or under it does not add a
# failure (only the failing case does: --filter leaves it out)
"$EQUIRULE_BIN" test --rules "$fx" --filter floor --min-coverage 95 \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "--min-coverage 95: exit status $rc, expected 1"
grep -q 'line coverage 94.1% is below --min-coverage 95%' "$tmp/err" ||
    { cat "$tmp/err"; fail "the --min-coverage message"; }
"$EQUIRULE_BIN" test --rules "$fx" --filter floor --min-coverage 90 \
    >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "--min-coverage 90 should pass"; }
grep -q '^2 passed, 0 failed$' "$tmp/out" || fail "--filter counts"

# a usage error
"$EQUIRULE_BIN" test --rules "$fx" --min-coverage 101 >/dev/null 2>&1
[ $? -eq 2 ] || fail "--min-coverage 101 should be a usage error"

echo "tools_test: coverage, JUnit and --min-coverage as expected"
exit 0
