#!/bin/sh
# tools_explain.sh - `equirule explain`: the trace lists the facts read with
# their source and the standard with the scope chosen and why, then the
# outcome; JSON is one document; user errors exit 2.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "tools_explain: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_tools_explain.XXXXXX") ||
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

"$EQUIRULE_BIN" explain demo.same 441500 --year 2019 --db "$db" \
    --rules "$fx/diff/base" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "explain exited $?"; }
for want in \
    'explain demo.same · 441500 汕尾市 · 2019' \
    '  line 10   standard  health.public_health = 69 元/人  (binding: national 69 > provincial 60; in force 2019; basis: test: national 2019)' \
    '  line 11   fact      health.public_health.spend = 201000000  (source: test: 汕尾)' \
    '  line 11   fact      pop.resident = 3000000  (source: test: 汕尾)' \
    'outcome   fail' \
    'measured  67 元/人' \
    'required  69 元/人'; do
    grep -qxF "$want" "$tmp/out" || { cat "$tmp/out"; fail "missing: $want"; }
done

"$EQUIRULE_BIN" explain demo.same 汕尾市 --db "$db" --rules "$fx/diff/base" \
    --format json >"$tmp/out.json" || fail "json"
grep -q '"read": "standard", "key": "health.public_health", "region": "441500", "year": 2019, "value": 69, "scope": null, "chosen": "national", "national": 69, "provincial": 60' \
    "$tmp/out.json" || { cat "$tmp/out.json"; fail "json: the standard"; }
if command -v python3 >/dev/null 2>&1; then
    python3 -m json.tool "$tmp/out.json" >/dev/null || fail "json: not valid"
fi

"$EQUIRULE_BIN" explain demo.same 440000 --db "$db" --rules "$fx/diff/base" \
    >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "a province for a city rule should exit 2"
grep -q 'demo.same evaluates city regions; 440000 广东省 is a province' \
    "$tmp/err" || fail "level message"
"$EQUIRULE_BIN" explain demo.same >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing region should exit 2"

echo "tools_explain: trace as expected"
exit 0
