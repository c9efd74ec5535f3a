#!/bin/sh
# store_upgrade.sh - the upgrade of schema version 10 to 11 (the narrow
# findings store). A database of version 10 (the built-in sample, taken
# back to version 10 by tests/fixtures/schema10/downgrade.sql) holding two
# runs as equirule of version 10 stored them (runs.sql, with two findings of
# a rule, region and year that already had one) is refused by `report`
# with a pointer to `init`; `init` killed inside its transaction
# (EQUIRULE_FAULT=kill:upgrade) leaves it at version 10 with the same rows;
# `init` then upgrades it, and its reports (json and csv) and its list of
# runs read exactly as equirule of version 10 printed them (report*.json,
# report*.csv, runs.txt), the findings of one rule, region and year in the
# order they were recorded. A new run on the upgraded database is counted
# as its findings are.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "store_upgrade: FAILED: $*" >&2
    exit 1
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

FIX=$ER_SOURCE_DIR/tests/fixtures/schema10
work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_store.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

q() {
    sqlite3 -batch -noheader t.db "$1" 2>&1 || fail "sqlite3: $1"
}

expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# every stored finding of version 10, in the order it was recorded
rows10() {
    q "SELECT run, rule, region, year, outcome, quote(measured),
              quote(required), quote(amount), quote(unit), quote(note)
       FROM finding ORDER BY rowid"
}

# ---- a database of version 10 ----------------------------------------------

"$EQUIRULE_BIN" init --sample --db t.db >/dev/null 2>init.err ||
    fail "init --sample: $(cat init.err)"
sqlite3 -batch t.db <"$FIX/undo_12_13.sql" >/dev/null 2>&1 ||
    fail "undo_12_13.sql"
sqlite3 -batch t.db <"$FIX/downgrade.sql" >/dev/null 2>&1 ||
    fail "downgrade.sql"
sqlite3 -batch t.db <"$FIX/runs.sql" >/dev/null 2>load.err ||
    fail "runs.sql: $(cat load.err)"
expect "schema version of the fixture" "$(q 'PRAGMA user_version')" 10
expect "findings of the fixture" "$(q 'SELECT count(*) FROM finding')" 81
before=$(rows10)

"$EQUIRULE_BIN" report --db t.db --format json >/dev/null 2>old.err
expect "report on version 10: exit status" "$?" 3
grep -q "equirule init --db t.db" old.err ||
    fail "report on version 10 does not point to init: $(cat old.err)"

# ---- init killed inside its transaction -------------------------------------

EQUIRULE_FAULT=kill:upgrade "$EQUIRULE_BIN" init --db t.db >/dev/null 2>&1
status=$?
[ "$status" -ge 128 ] || fail "kill:upgrade: init was not killed (exit $status)"
expect "kill:upgrade: integrity" "$(q 'PRAGMA integrity_check')" ok
expect "kill:upgrade: schema version" "$(q 'PRAGMA user_version')" 10
expect "kill:upgrade: tables of version 11" \
    "$(q "SELECT count(*) FROM sqlite_schema WHERE name IN ('finding_row',
          'finding_rule', 'finding_text') OR type = 'view'")" 0
[ "$(rows10)" = "$before" ] || fail "kill:upgrade: the findings changed"

# ---- the upgrade ---------------------------------------------------------------

"$EQUIRULE_BIN" init --db t.db >init.out 2>init.err ||
    fail "init (upgrade): $(cat init.err)"
grep -q "from schema version 10 to 13" init.out ||
    fail "init does not say it upgraded: $(cat init.out)"
expect "integrity after the upgrade" "$(q 'PRAGMA integrity_check')" ok
expect "findings after the upgrade" "$(q 'SELECT count(*) FROM finding_row')" 81
expect "the old table is gone" \
    "$(q "SELECT type FROM sqlite_schema WHERE name = 'finding'")" view
expect "finding_failing is gone" \
    "$(q "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'finding\_%' ESCAPE '\\' AND type = 'index'")" 0
# the view reads every row as it was
after=$(q "SELECT run, rule, region, year, outcome, quote(measured),
                  quote(required), quote(amount), quote(unit), quote(note)
           FROM finding")
[ "$(echo "$after" | LC_ALL=C sort)" = "$(echo "$before" | LC_ALL=C sort)" ] ||
    fail "the view finding does not read the rows of version 10"

for r in 1 2; do
    "$EQUIRULE_BIN" report "$r" --db t.db --format csv >"report$r.csv" \
        2>report.err || fail "report $r --format csv: $(cat report.err)"
    cmp -s "report$r.csv" "$FIX/report$r.csv" ||
        fail "report $r --format csv differs from version 10's: $(diff "$FIX/report$r.csv" "report$r.csv" | head -5)"
done
"$EQUIRULE_BIN" report 2 --db t.db --format json >report2.json 2>report.err ||
    fail "report 2 --format json: $(cat report.err)"
# data_digest_now and data_changed are of the data now: the same sample
cmp -s report2.json "$FIX/report2.json" ||
    fail "report 2 --format json differs from version 10's: $(diff "$FIX/report2.json" report2.json | head -5)"
"$EQUIRULE_BIN" runs --db t.db >runs.txt 2>runs.err ||
    fail "runs: $(cat runs.err)"
cmp -s runs.txt "$FIX/runs.txt" ||
    fail "runs differs from version 10's: $(diff "$FIX/runs.txt" runs.txt)"

# the second allocations of 440500 and 440900 come after the first ones
expect "findings of one rule, region and year, in the order recorded" \
    "$(q "SELECT region || ':' || seq || ':' || amount FROM finding_row
          WHERE run = 2 AND outcome = 5 ORDER BY year, rule, region, seq")" \
    "440500:0:696845807
440500:1:100
440900:0:787792173
440900:1:-5
445200:0:749693020"
# the repeated note is a text of the run, the notes said once stay in rows
expect "a repeated note is kept once" \
    "$(q "SELECT count(*) FROM finding_text WHERE run = 2 AND text LIKE '核减资金%'")" 1

# ---- a run on the upgraded database ----------------------------------------------

"$EQUIRULE_BIN" run --db t.db --rules "$ER_SOURCE_DIR/rules" --years 2019 \
    >run.out 2>run.err
[ "$?" -le 1 ] || fail "run on the upgraded database: $(cat run.err)"
expect "counts of the new run" \
    "$(q 'SELECT sum(n) FROM run_count WHERE run = 3')" \
    "$(q 'SELECT count(*) FROM finding WHERE run = 3')"
expect "the new run's findings are stored narrow" \
    "$(q 'SELECT count(*) FROM finding_row WHERE run = 3')" \
    "$(q 'SELECT count(*) FROM finding WHERE run = 3')"
echo "store_upgrade: ok"
