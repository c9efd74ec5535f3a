#!/bin/sh
# catalog.sh - the committed rule catalog, docs/rules-catalog.md, is what
# scripts/gen-catalog generates from the rules now: a rule added or changed
# without regenerating the catalog fails this test, with the difference.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "catalog: FAILED: $*" >&2
    exit 1
}

committed=$ER_SOURCE_DIR/docs/rules-catalog.md
[ -f "$committed" ] || fail "$committed does not exist; create it with: scripts/gen-catalog -i $EQUIRULE_BIN"

fresh=$(mktemp "${TMPDIR:-/tmp}/er_e2e_catalog.XXXXXX") ||
    fail "cannot create a temporary file"
trap 'rm -f "$fresh"' EXIT
trap 'exit 1' INT TERM

sh "$ER_SOURCE_DIR/scripts/gen-catalog" "$EQUIRULE_BIN" >"$fresh" ||
    fail "scripts/gen-catalog failed (see above)"
[ -s "$fresh" ] || fail "scripts/gen-catalog printed nothing"

if ! cmp -s "$committed" "$fresh"; then
    echo "catalog: docs/rules-catalog.md differs from a fresh generation" \
        "(- committed, + generated):" >&2
    diff -u "$committed" "$fresh" >&2
    fail "docs/rules-catalog.md is out of date; regenerate it with: scripts/gen-catalog -i $EQUIRULE_BIN"
fi

echo "catalog: docs/rules-catalog.md is up to date"
exit 0
