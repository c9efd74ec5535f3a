#!/bin/sh
# verify.sh - `equirule verify RUN` and `explain --run N`: a run replays
# from what the database kept (data, rule sources, options) after a rule
# was edited, facts replaced and the rules folder deleted, and in a copy of
# the database elsewhere; messages quote the run's display paths; a
# tampered finding or source is reported, exactly; the sources are stored
# once per content.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "verify: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_verify.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# SQL on the database file: the sqlite3 shell, or Python's module
sql() {
    if command -v sqlite3 >/dev/null 2>&1; then
        sqlite3 "$1" "$2"
    else
        python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for row in c.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))
c.commit()' "$1" "$2"
    fi
}

E=$EQUIRULE_BIN
cd "$tmp" || fail "cd"
mkdir -p proj/scripts || fail "mkdir"
cp -R "$ER_SOURCE_DIR/rules" proj/rules || fail "copy the rules"
cp -R "$ER_SOURCE_DIR/scripts/lib" proj/scripts/lib || fail "copy the lib"
db=$tmp/proj/e.db
"$E" init --sample --db "$db" >/dev/null || fail "init"

# run 1; then facts replaced, a rule edited (its note) and run 2, narrowed,
# with an override
(cd proj && "$E" run --db e.db --rules rules --jobs 2 >/dev/null)
[ $? -le 1 ] || fail "run 1"
printf 'region,year,metric,value,source\n441400,2020,health.public_health.spend,300000000,revised\n' \
    >"$tmp/f.csv"
"$E" import --db "$db" --replace fact "$tmp/f.csv" >/dev/null ||
    fail "import --replace"
f=proj/rules/health/public_health_per_capita.lua
grep -q 'note = "经费 %.0f 元' "$f" ||
    fail "the rule's note is no longer as this test expects"
sed 's/note = "经费 %.0f 元/note = "人均：经费 %.0f 元/' \
    "$f" >"$f.new" && mv "$f.new" "$f" || fail "edit the rule"
(cd proj && "$E" run --db e.db --rules rules --year 2020 \
    --set finance.subsidy_cut.strong_ratio=1.2 --jobs 0 \
    >/dev/null 2>"$tmp/err")
rc=$?
[ $rc -le 1 ] || { cat "$tmp/err"; fail "run 2 exited $rc"; }

# sources stored once per content: run 2 added one text (the edited rule)
n1=$(sql "$db" "SELECT count(*) FROM run_source WHERE run = 1")
n2=$(sql "$db" "SELECT count(*) FROM run_source WHERE run = 2")
texts=$(sql "$db" "SELECT count(*) FROM rule_source")
[ "$n1" -gt 20 ] || fail "run 1 stored $n1 sources"
[ "$texts" -eq $((n1 + 1)) ] ||
    fail "rule_source holds $texts texts, expected $((n1 + 1)) ($n1 of run 1 and the edited rule)"
[ "$(sql "$db" "SELECT count(*) FROM run_source WHERE run = 2 AND kind = 'builtin'")" -eq 0 ] ||
    fail "run 2 stored built-in modules that scripts/lib replaces"

# the rules folder goes
rm -rf proj/rules proj/scripts

count1=$(sql "$db" "SELECT count(*) FROM finding WHERE run = 1")
count2=$(sql "$db" "SELECT count(*) FROM finding WHERE run = 2")
fmt() { printf "%s" "$1" | sed -e :a -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/;ta'; }
"$E" verify 1 --db "$db" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "verify 1 exited $rc"; }
grep -qx "run 1 reproduced: $(fmt "$count1") findings identical" "$tmp/out" ||
    { cat "$tmp/out"; fail "verify 1 did not say it reproduced $count1 findings"; }
"$E" verify 2 --db "$db" --jobs 0 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "verify 2 exited $rc"; }
grep -qx "run 2 reproduced: $(fmt "$count2") findings identical" "$tmp/out" ||
    { cat "$tmp/out"; fail "verify 2 did not say it reproduced $count2 findings"; }

# --rules and --set are refused with the reason: a replay uses what the
# run stored
"$E" verify 1 --db "$db" --rules "$ER_SOURCE_DIR/rules" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] || { cat "$tmp/out"; fail "verify --rules exited $rc, expected 2"; }
grep -qx "equirule: --rules cannot go with verify: the rules stored with the run are replayed" "$tmp/out" ||
    { cat "$tmp/out"; fail "verify --rules: the reason"; }
"$E" verify 1 --db "$db" --set finance.spending_gap.max_gap=0.2 >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 2 ] || { cat "$tmp/out"; fail "verify --set exited $rc, expected 2"; }
grep -qx "equirule: --set cannot go with verify: the run's own overrides are replayed" "$tmp/out" ||
    { cat "$tmp/out"; fail "verify --set: the reason"; }

# a copy of the file in another folder verifies
mkdir -p else/where && cp "$db" else/where/copy.db || fail "copy"
(cd else/where && "$E" verify latest --db copy.db >"$tmp/out" 2>&1)
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "verify of the copy exited $rc"; }
grep -q "^run 2 reproduced: " "$tmp/out" || { cat "$tmp/out"; fail "copy"; }

# explain --run: the run's rule (as the run quoted it), its values, the
# stored finding and the same on re-evaluation
"$E" explain health.public_health_per_capita 441400 --run 1 --db "$db" \
    >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "explain --run 1 exited $rc"; }
for want in \
    'with the data and rules of run 1 (rules)' \
    'explain health.public_health_per_capita · 441400 梅州市 · 2020' \
    'fact      health.public_health.spend = 327055000  (source: estimate)' \
    'required  74 元/人' \
    'stored in run 1' \
    '  outcome pass · measured 74.5 · required 74 · amount (none) · unit 元/人' \
    '  the same as stored'; do
    grep -qF "$want" "$tmp/out" ||
        { cat "$tmp/out"; fail "explain --run 1 lacks: $want"; }
done
grep -qF 'rules/health/public_health_per_capita.lua:' "$tmp/out" ||
    { cat "$tmp/out"; fail "explain --run 1 does not quote the run's path"; }
# run 2's rule is the edited one, its data the replaced fact
"$E" explain health.public_health_per_capita 441400 --run 2 --db "$db" \
    >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "explain --run 2"; }
grep -qF 'note      人均：经费 300000000 元' "$tmp/out" ||
    { cat "$tmp/out"; fail "explain --run 2 did not use the edited rule"; }

# tampering: two stored findings altered, exactly those reported, exit 1
sql "$db" "UPDATE finding SET outcome = 'fail' WHERE run = 1 AND
    rule = 'health.public_health_per_capita' AND region = '441400' AND
    year = 2020; UPDATE finding SET note = 'changed' WHERE run = 1 AND
    rule = 'finance.spending_gap' AND region = '440000' AND year = 2020" ||
    fail "tamper"
"$E" verify 1 --db "$db" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/out"; fail "verify of a tampered run exited $rc, not 1"; }
grep -qx '  health.public_health_per_capita 441400 2020 outcome: stored fail, now pass' \
    "$tmp/out" || { cat "$tmp/out"; fail "the tampered outcome not reported"; }
grep -q '^  finance.spending_gap 440000 2020 note: stored changed, now ' \
    "$tmp/out" || { cat "$tmp/out"; fail "the tampered note not reported"; }
[ "$(grep -c '^  ' "$tmp/out")" -eq 2 ] ||
    { cat "$tmp/out"; fail "more than the two tampered findings reported"; }
grep -q "^run 1 not reproduced: 2 findings differ (2 fields), 0 stored findings missing, 0 extra; " \
    "$tmp/out" || { cat "$tmp/out"; fail "the closing line"; }

# a deleted finding is missing; a tampered source text is refused
sql "$db" "DELETE FROM finding WHERE run = 2 AND
    rule = 'health.public_health_per_capita' AND region = '441400'" ||
    fail "delete"
"$E" verify 2 --db "$db" >"$tmp/out" 2>&1
[ $? -eq 1 ] || { cat "$tmp/out"; fail "verify of a run missing a finding"; }
grep -qx '  health.public_health_per_capita 441400 2020: reproduced, not stored (fail)' \
    "$tmp/out" || { cat "$tmp/out"; fail "the extra finding not reported"; }
sql "$db" "UPDATE rule_source SET text = CAST(text || ' ' AS BLOB) WHERE sha256 =
    (SELECT sha256 FROM run_source WHERE run = 1 AND
     path = 'health/public_health_per_capita.lua')" || fail "tamper source"
"$E" verify 1 --db "$db" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] || { cat "$tmp/out"; fail "verify of altered sources exited $rc"; }
grep -q "equirule: run 1: the stored text of health/public_health_per_capita.lua does not hash to its sha256" \
    "$tmp/out" || { cat "$tmp/out"; fail "altered sources message"; }

# usage and missing runs
"$E" verify --db "$db" >/dev/null 2>&1
[ $? -eq 2 ] || fail "verify without RUN is not a usage error"
"$E" verify 99 --db "$db" >"$tmp/out" 2>&1
[ $? -eq 3 ] || { cat "$tmp/out"; fail "verify 99"; }

"$E" explain health.public_health_per_capita 441400 --run 1 --db "$db" \
    --rules proj/rules >"$tmp/out" 2>&1
[ $? -eq 2 ] || fail "explain --run with --rules is not a usage error"
grep -qx 'equirule: --rules cannot go with --run: the rules stored with the run are used' \
    "$tmp/out" || { cat "$tmp/out"; fail "explain --run --rules message"; }
"$E" explain health.public_health_per_capita 441400 --run 1 --db "$db" \
    --set a.b=1 >/dev/null 2>&1
[ $? -eq 2 ] || fail "explain --run with --set is not a usage error"

echo "verify: ok"
