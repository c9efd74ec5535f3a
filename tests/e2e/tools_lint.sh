#!/bin/sh
# tools_lint.sh - `equirule lint`: against a catalog, the fixture's unknown
# metric is an error (exit 3, a bad rule), its unread param and missing test
# file are warnings, which --strict makes errors (exit 3); without a
# database there is a warning and no error; the shipped rules lint clean
# against the built-in sample and without a database.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "tools_lint: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_tools_lint.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

fx=$ER_SOURCE_DIR/tests/fixtures/tools
db=$tmp/t.db
"$EQUIRULE_BIN" init --db "$db" >/dev/null || fail "init"
for t in region metric item standard fact; do
    "$EQUIRULE_BIN" import --db "$db" "$t" "$fx/data/$t.csv" >/dev/null ||
        fail "import $t"
done

"$EQUIRULE_BIN" lint --rules "$fx/lint" --db "$db" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] || { cat "$tmp/out"; fail "exit status $rc, expected 3"; }
grep -q "bad.lua:14: error: r:fact reads metric 'no.such.metric', which is not in the metric table" \
    "$tmp/out" || { cat "$tmp/out"; fail "the unknown metric"; }
grep -q "bad.lua:12: warning: rule 'demo.bad': param 'unused' is never read" \
    "$tmp/out" || fail "the unread param"
grep -q "bad.lua: warning: no test file beside it (bad_test.lua)" "$tmp/out" ||
    fail "the missing test file"
grep -q '^2 rules in 2 files: 1 error, 2 warnings$' "$tmp/out" || fail "counts"

# --strict: the warnings are errors
"$EQUIRULE_BIN" lint --strict --rules "$fx/lint" --db "$db" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] || { cat "$tmp/out"; fail "--strict: exit status $rc, expected 3"; }
grep -q "bad.lua:12: error: rule 'demo.bad': param 'unused' is never read" \
    "$tmp/out" || { cat "$tmp/out"; fail "--strict: the unread param"; }
grep -q '^2 rules in 2 files: 3 errors, 0 warnings$' "$tmp/out" ||
    fail "--strict: counts"

# no database at hand (none in the current folder): warnings only
(cd "$tmp" && env -u EQUIRULE_DB "$EQUIRULE_BIN" lint --rules "$fx/lint") \
    >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "without a database lint should exit 0"; }
grep -q '^warning: no database at hand' "$tmp/out" || fail "the no-database warning"

# a database given that does not exist is an error
"$EQUIRULE_BIN" lint --rules "$fx/lint" --db "$tmp/none.db" >/dev/null 2>&1
[ $? -eq 3 ] || fail "a missing --db should exit 3"

# the shipped rules against the built-in sample
"$EQUIRULE_BIN" init --sample --db "$tmp/sample.db" >/dev/null || fail "init --sample"
"$EQUIRULE_BIN" lint --rules "$ER_SOURCE_DIR/rules" --db "$tmp/sample.db" \
    >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "the shipped rules do not lint clean"; }
grep -q ': 0 errors, ' "$tmp/out" || fail "shipped rules: errors"

# the shipped rules without a database: evaluated on the synthetic region
(cd "$tmp" && env -u EQUIRULE_DB "$EQUIRULE_BIN" lint \
    --rules "$ER_SOURCE_DIR/rules") >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "the shipped rules do not lint clean without a database"; }
grep -q ': 0 errors, 1 warning$' "$tmp/out" ||
    { cat "$tmp/out"; fail "shipped rules without a database: counts"; }

echo "tools_lint: problems found as expected"
exit 0
