#!/bin/sh
# needs_doc.sh - the "what data do I need" list of docs/administrators.md
# is what scripts/gen-needs generates from the rules now: a rule added or
# changed (a metric, a standard or an item read) without regenerating the
# list fails this test, with the difference.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "needs_doc: FAILED: $*" >&2
    exit 1
}

committed=$ER_SOURCE_DIR/docs/administrators.md
fresh=$(mktemp "${TMPDIR:-/tmp}/er_e2e_needs_doc.XXXXXX") ||
    fail "cannot create a temporary file"
trap 'rm -f "$fresh"' EXIT
trap 'exit 1' INT TERM

sh "$ER_SOURCE_DIR/scripts/gen-needs" "$EQUIRULE_BIN" >"$fresh" ||
    fail "scripts/gen-needs failed (see above)"
grep -q '^| `health.public_health_per_capita` | city,county | ' "$fresh" ||
    fail "the generated list has no row of health.public_health_per_capita"

if ! cmp -s "$committed" "$fresh"; then
    echo "needs_doc: docs/administrators.md differs from a fresh generation" \
        "(- committed, + generated):" >&2
    diff -u "$committed" "$fresh" >&2
    fail "the list of what the rules read is out of date; regenerate it with: scripts/gen-needs -i $EQUIRULE_BIN"
fi

echo "needs_doc: the list of what the rules read is up to date"
exit 0
