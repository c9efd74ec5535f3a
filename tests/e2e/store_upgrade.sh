#!/bin/sh
# store_upgrade.sh - the upgrade of schema version 10 to 11 (the narrow
# findings store) and on to the current version, and of version 13 to 14
# (the public service list's texts of an item: served, content,
# responsibility, lead). A database of version 10 (the built-in sample,
# taken back by tests/fixtures/schema10/undo_14.sql, undo_12_13.sql and
# downgrade.sql) holding two runs as equirule of version 10 stored them
# (runs.sql, with two findings of a rule, region and year that already
# had one) is refused by `report`
# with a pointer to `init`; `init` killed inside its transaction
# (EQUIRULE_FAULT=kill:upgrade) leaves it at version 10 with the same rows;
# `init` then upgrades it, and its reports (json and csv) and its list of
# runs read exactly as equirule of version 10 printed them (report*.json,
# report*.csv, runs.txt), the findings of one rule, region and year in the
# order they were recorded. A new run on the upgraded database is counted
# as its findings are, and its items have no list texts.
#
# A database of version 13 (the sample with one item replaced by a file
# without the new columns, so that item_history holds a row, and a run,
# taken back by undo_14.sql) is refused by `export` with a pointer to
# `init`, and upgraded by `init` to 14: its items keep every value and
# read the four new columns as empty, its history and run stay, `export
# item` writes the new header; importing
# the sample's item.csv then fills them, the rows it replaced going to
# item_history with the new columns NULL, and `report --compare` of a run
# before and a run after names the item rows that differ.
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
sqlite3 -batch t.db <"$FIX/undo_14.sql" >/dev/null 2>&1 ||
    fail "undo_14.sql"
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
grep -q "from schema version 10 to 14" init.out ||
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
expect "the items of version 10 have no list texts" \
    "$(q "SELECT count(*) FROM item WHERE served IS NULL AND content IS NULL
          AND responsibility IS NULL AND lead IS NULL")" 18

# ---- a database of version 13 ----------------------------------------------------

q13() {
    sqlite3 -batch -noheader t13.db "$1" 2>&1 || fail "sqlite3: $1"
}

"$EQUIRULE_BIN" init --sample --db t13.db >/dev/null 2>init.err ||
    fail "init --sample: $(cat init.err)"
# an item file without the list columns, one item renamed: the row it
# replaces goes to item_history; and a run
printf '%s\n' 'code,category,name,department,unit,beneficiary_metric' \
    'assist.disability,基本生活救助,残疾人两项补贴,civil_affairs,元,assist.disability.recipients' \
    >old-item.csv
"$EQUIRULE_BIN" import item old-item.csv --replace --db t13.db >/dev/null \
    2>import.err || fail "import old-item.csv: $(cat import.err)"
"$EQUIRULE_BIN" run --db t13.db --rules "$ER_SOURCE_DIR/rules" --years 2019 \
    --rule housing.affordable_coverage >/dev/null 2>run.err
[ "$?" -le 1 ] || fail "run on the version-13 fixture: $(cat run.err)"
sqlite3 -batch t13.db <"$FIX/undo_14.sql" >/dev/null 2>&1 ||
    fail "undo_14.sql"
expect "schema version of the version-13 fixture" \
    "$(q13 'PRAGMA user_version')" 13
items13=$(q13 "SELECT code, category, name, department, unit,
                      beneficiary_metric, quote(version) FROM item ORDER BY code")
history13=$(q13 "SELECT code, name, version, ended FROM item_history")
expect "the version-13 history row" "$history13" \
    "assist.disability|残疾人服务|3|13"
"$EQUIRULE_BIN" export item --db t13.db >/dev/null 2>old.err
expect "export on version 13: exit status" "$?" 3
grep -q "equirule init --db t13.db" old.err ||
    fail "export on version 13 does not point to init: $(cat old.err)"

"$EQUIRULE_BIN" init --db t13.db >init.out 2>init.err ||
    fail "init (upgrade from 13): $(cat init.err)"
grep -q "from schema version 13 to 14" init.out ||
    fail "init does not say it upgraded from 13: $(cat init.out)"
expect "integrity after the upgrade from 13" "$(q13 'PRAGMA integrity_check')" ok
expect "schema version after the upgrade from 13" \
    "$(q13 'PRAGMA user_version')" 14
expect "items keep their values" \
    "$(q13 "SELECT code, category, name, department, unit,
                   beneficiary_metric, quote(version) FROM item ORDER BY code")" \
    "$items13"
expect "the list texts of upgraded items are NULL" \
    "$(q13 "SELECT count(*) FROM item WHERE served IS NULL AND content IS NULL
            AND responsibility IS NULL AND lead IS NULL")" 18
expect "item_history keeps its row" \
    "$(q13 "SELECT code, name, version, ended FROM item_history")" "$history13"
expect "item_history has item's columns, then ended" \
    "$(q13 "SELECT group_concat(name) FROM (SELECT name FROM
            pragma_table_info('item_history') ORDER BY cid)")" \
    "$(q13 "SELECT group_concat(name) FROM (SELECT name FROM
            pragma_table_info('item') ORDER BY cid)"),ended"
"$EQUIRULE_BIN" export item --db t13.db >item13.csv 2>export.err ||
    fail "export item after the upgrade: $(cat export.err)"
expect "export item: the header of version 14" "$(head -n 1 item13.csv)" \
    "code,category,name,department,unit,beneficiary_metric,served,content,responsibility,lead"
expect "export item: the upgraded row, the new fields empty" \
    "$(grep '^assist.disability,' item13.csv)" \
    "assist.disability,基本生活救助,残疾人两项补贴,civil_affairs,元,assist.disability.recipients,,,,"

# the run before the texts and one after: the compare names what changed
"$EQUIRULE_BIN" import item "$ER_SOURCE_DIR/data/sample/item.csv" --replace \
    --db t13.db >import.out 2>import.err ||
    fail "import of the sample's item.csv: $(cat import.err)"
grep -q "0 added, 18 replaced" import.out ||
    fail "import item.csv: $(cat import.out)"
expect "the texts imported" \
    "$(q13 "SELECT served || '|' || lead FROM item
            WHERE code = 'assist.disability'")" "困难残疾人和重度残疾人|省民政厅、省残联"
expect "the replaced rows are history, without texts" \
    "$(q13 "SELECT count(*) FROM item_history WHERE ended = (SELECT max(id)
            FROM data_version) AND served IS NULL AND lead IS NULL")" 18
"$EQUIRULE_BIN" run --db t13.db --rules "$ER_SOURCE_DIR/rules" --years 2019 \
    --rule housing.affordable_coverage >/dev/null 2>run.err
[ "$?" -le 1 ] || fail "second run on the database upgraded from 13: $(cat run.err)"
"$EQUIRULE_BIN" report --db t13.db --compare 1 2 >compare.txt 2>compare.err
[ "$?" -le 1 ] || fail "report --compare 1 2: $(cat compare.err)"
grep -q "18 rows differ" compare.txt ||
    fail "report --compare does not count the item rows: $(cat compare.txt)"
grep -q "item assist.disability .*lead=省民政厅、省残联" compare.txt ||
    fail "report --compare does not show the new text: $(grep item compare.txt | head -3)"
echo "store_upgrade: ok"
