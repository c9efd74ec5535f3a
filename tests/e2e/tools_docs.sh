#!/bin/sh
# tools_docs.sh - the worked examples of docs/rule-authoring.md
# (docs/examples/rules) keep working: their tests pass with every line run,
# they lint clean against the built-in sample, and a run of them on the
# sample gives the findings the guide shows.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "tools_docs: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_tools_docs.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

ex=$ER_SOURCE_DIR/docs/examples/rules
"$EQUIRULE_BIN" test --rules "$ex" --min-coverage 100 >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "the examples' tests (or their coverage)"; }
grep -q '^15 passed, 0 failed$' "$tmp/out" || { cat "$tmp/out"; fail "15 cases"; }

"$EQUIRULE_BIN" init --sample --db "$tmp/s.db" >/dev/null || fail "init --sample"
"$EQUIRULE_BIN" lint --rules "$ex" --db "$tmp/s.db" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "the examples do not lint clean"; }
grep -q '^3 rules in 3 files: 0 errors, 0 warnings$' "$tmp/out" ||
    { cat "$tmp/out"; fail "lint counts"; }

"$EQUIRULE_BIN" run --rules "$ex" --db "$tmp/s.db" --year 2019 >"$tmp/out" 2>&1
[ $? -eq 1 ] || { cat "$tmp/out"; fail "the run should exit 1 (梅州市 fails)"; }
grep -q 'cuts (核减) 9,594,000.00 元 in 1 findings; allocations (分配) 9,594,000.00 元 in 3 findings' \
    "$tmp/out" || { cat "$tmp/out"; fail "the totals the guide shows"; }

echo "tools_docs: the guide's examples work"
exit 0
