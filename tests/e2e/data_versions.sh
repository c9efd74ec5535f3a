#!/bin/sh
# data_versions.sh - end to end: every import is a data version that
# `equirule log` lists (newest first, who, file and SHA-256, counts, the
# runs that read it); `log --fact` shows every value a fact had, with the
# version and file that set it and the runs that read it; each run records
# the data version it read (`runs`); `runs --delete` removes a run with
# every row of every run table; `log --prune` drops only the history no
# kept run read, never the current data, and marks what cannot be
# rebuilt; a kill inside `runs --delete`, `log --prune` or a replacing
# import (EQUIRULE_FAULT, core/base/fault.c) leaves the database as it was.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "data_versions: FAILED: $*" >&2
    exit 1
}
note() {
    echo "data_versions: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_dataver.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

RULES=$ER_SOURCE_DIR/rules
E=$EQUIRULE_BIN

q() {
    sqlite3 -batch -noheader "$1" "$2" 2>&1 || fail "sqlite3 $1: $2"
}
expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}
contains() {
    case "$2" in
    *"$3"*) ;;
    *) fail "$1: '$3' not in: $2" ;;
    esac
}

# the whole database as SQL text, to compare before and after
dump() {
    sqlite3 -batch "$1" .dump 2>&1 || fail "dump $1"
}

"$E" init --db s.db --sample >/dev/null || fail "init --sample"
"$E" run --db s.db --rules "$RULES" --year 2019 >/dev/null 2>&1
[ $? -le 1 ] || fail "run 1"
v1=$(q s.db "SELECT max(id) FROM data_version")
expect 'run 1 records the version it read' \
    "$(q s.db "SELECT data_version FROM run WHERE id = 1")" "$v1"

printf 'region,year,metric,value,source\n440100,2019,pop.resident,15305901,corrected\n' >fix.csv
"$E" import --db s.db --replace fact fix.csv >out 2>&1 || fail "import fix: $(cat out)"
v2=$((v1 + 1))
"$E" run --db s.db --rules "$RULES" --year 2019 >/dev/null 2>&1
[ $? -le 1 ] || fail "run 2"
expect 'run 2 read the new version' \
    "$(q s.db "SELECT data_version FROM run WHERE id = 2")" "$v2"

# ---- log ----------------------------------------------------------------
"$E" log --db s.db >log.txt 2>&1 || fail "log: $(cat log.txt)"
sha=$(sha256sum fix.csv | cut -d' ' -f1)
expect 'log starts with the newest version' "$(head -n 1 log.txt | cut -d' ' -f1-2)" "version $v2"
contains 'log names the file' "$(cat log.txt)" "    file     fix.csv"
contains 'log gives its SHA-256' "$(cat log.txt)" "    sha256   $sha"
contains 'log counts its rows' "$(cat log.txt)" "0 added, 1 replaced, 0 unchanged"
contains 'log names the run that read it' "$(sed -n 1,6p log.txt)" "read by  run 2"
contains 'log lists the sample' "$(cat log.txt)" "sample/fact.csv"
"$E" log --db s.db --format json >log.json || fail "log json"
expect 'json: one object per version' \
    "$(grep -c '"id": ' log.json)" "$(q s.db "SELECT count(*) FROM data_version")"
contains 'json: the file sha' "$(cat log.json)" "\"sha256\": \"$sha\""
"$E" runs --db s.db --format csv >runs.csv || fail "runs csv"
contains 'runs lists the data version' "$(head -n 1 runs.csv)" ",data_version"

# ---- one fact's history ----------------------------------------------------
"$E" log --db s.db --fact 广州市 pop.resident 2019 >fact.txt 2>&1 || fail "log --fact: $(cat fact.txt)"
expect 'fact history: newest first' "$(sed -n 3p fact.txt)" "  15305901  (source corrected)  current"
contains 'fact history: the value before' "$(cat fact.txt)" "  15305900  (source 广东统计年鉴2020)  until version $v2"
contains 'fact history: the file that set it' "$(cat fact.txt)" "file     fix.csv (sha256 ${sha%"${sha#????????????}"})"
contains 'fact history: run 1 read the old value' "$(sed -n '/until version/,$p' fact.txt)" "read by  run 1"
"$E" log --db s.db --fact 440100 no.such.metric 2019 >out 2>&1
expect 'unknown metric exit status' "$?" 2
contains 'unknown metric message' "$(cat out)" "no metric 'no.such.metric'"
"$E" log --db s.db --fact 无此市 pop.resident 2019 >out 2>&1
expect 'unknown region exit status' "$?" 2

# ---- kills leave the database as it was ------------------------------------
before=$(dump s.db)
for point in runs_delete prune; do
    case $point in
    runs_delete) set -- runs --db s.db --delete 1 ;;
    prune) set -- log --db s.db --prune ;;
    esac
    EQUIRULE_FAULT=kill:$point "$E" "$@" >/dev/null 2>&1
    expect "killed at $point: exit by SIGKILL" "$?" 137
    expect "killed at $point: integrity" "$(q s.db 'PRAGMA integrity_check')" ok
    [ "$(dump s.db)" = "$before" ] || fail "killed at $point: the database changed"
done
printf 'region,year,metric,value\n440100,2019,pop.resident,1\n' >kill.csv
EQUIRULE_FAULT=kill:import "$E" import --db s.db --replace fact kill.csv >/dev/null 2>&1
expect 'killed import: exit by SIGKILL' "$?" 137
[ "$(dump s.db)" = "$before" ] || fail "killed import: the database changed"
note "a kill in runs --delete, log --prune or an import changes nothing"

# ---- retention -------------------------------------------------------------
"$E" log --db s.db --prune --dry-run >out 2>&1 || fail "prune dry run: $(cat out)"
contains 'dry run: nothing to drop while run 1 is kept' "$(cat out)" "0 replaced or deleted rows no kept run read dropped, 1 kept"
[ "$(dump s.db)" = "$before" ] || fail "a dry run changed the database"

"$E" runs --db s.db --delete 1 >out 2>&1 || fail "runs --delete 1: $(cat out)"
expect 'runs --delete message' "$(cat out)" "deleted 1 run (1) with all their rows"
# nothing of run 1 in any table that holds rows of runs
for t in $(q s.db "SELECT m.name FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.\"table\" = 'run'"); do
    col=$(q s.db "SELECT f.\"from\" FROM pragma_foreign_key_list('$t') f WHERE f.\"table\" = 'run'")
    expect "run 1 left nothing in $t" "$(q s.db "SELECT count(*) FROM $t WHERE $col = 1")" 0
done
expect 'run 1 is gone' "$(q s.db "SELECT count(*) FROM run WHERE id = 1")" 0
[ "$(q s.db "SELECT count(*) FROM finding WHERE run = 2")" -gt 0 ] || fail "run 2 lost its findings"
"$E" runs --db s.db --delete 1 >out 2>&1
expect 'deleting a run that is gone' "$?" 3
"$E" runs --db s.db --delete 2-x >out 2>&1
expect 'a bad list is a usage error' "$?" 2

current=$(q s.db "SELECT region, year, metric, value, source FROM fact ORDER BY 1, 2, 3")
"$E" log --db s.db --prune >out 2>&1 || fail "prune: $(cat out)"
contains 'prune drops the value no kept run read' "$(cat out)" "1 replaced or deleted row no kept run read dropped, 0 kept"
expect 'prune keeps the current data' \
    "$(q s.db "SELECT region, year, metric, value, source FROM fact ORDER BY 1, 2, 3")" "$current"
expect 'the log keeps every line' \
    "$(q s.db "SELECT count(*) FROM data_version")" "$(grep -c '"id": ' log.json)"
"$E" log --db s.db >log.txt || fail "log after prune"
contains 'the log marks the pruned versions' "$(cat log.txt)" "pruned   rows of its data were dropped"
expect 'the latest version is not pruned' \
    "$(q s.db "SELECT pruned FROM data_version WHERE id = $v2")" 0
note "runs --delete removes every row of a run; prune drops only what no kept run read"

# a kept run's history is kept: replace again, run 2 read the value now replaced
printf 'region,year,metric,value,source\n440100,2019,pop.resident,15305902,again\n' >again.csv
"$E" import --db s.db --replace fact again.csv >/dev/null || fail "import again"
"$E" log --db s.db --prune >out 2>&1 || fail "prune 2"
contains 'prune keeps what run 2 read' "$(cat out)" "0 replaced or deleted rows no kept run read dropped, 1 kept"
expect 'the value run 2 read is still there' \
    "$(q s.db "SELECT value FROM fact_history WHERE region = '440100' AND year = 2019 AND metric = 'pop.resident'")" 15305901.0
# a deleted run's id is never given again: the next run gets a new one, and
# the deletion is on record
last=$(q s.db "SELECT max(id) FROM run")
"$E" runs --db s.db --delete "$last" >/dev/null 2>&1 || fail "runs --delete $last"
"$E" run --db s.db --rules "$ER_SOURCE_DIR/rules" --years 2019 >/dev/null 2>&1
[ $? -le 1 ] || fail "run after runs --delete"
expect 'a new run does not take a deleted id' \
    "$(q s.db "SELECT max(id) FROM run")" "$((last + 1))"
expect 'the deletion is on record' \
    "$(q s.db "SELECT count(*) FROM run_deleted WHERE id = $last")" 1

# the view finding: a delete or update matches the whole finding (a copy that
# differs in its note alone is another finding), and an insert names a run
r=$(q s.db "SELECT max(id) FROM run")
one="run = $r AND rule = 'health.public_health_per_capita' AND region = '440100' AND year = 2019"
q s.db "INSERT INTO finding SELECT run, rule, region, year, outcome, measured, required, amount, unit, 'forged' FROM finding WHERE $one" >/dev/null
expect 'the copy is stored' "$(q s.db "SELECT count(*) FROM finding WHERE $one")" 2
q s.db "DELETE FROM finding WHERE $one AND note = 'forged'" >/dev/null
expect 'deleting the copy leaves the finding' "$(q s.db "SELECT count(*) FROM finding WHERE $one")" 1
sqlite3 -batch s.db "INSERT INTO finding VALUES ($((r + 100)), 'x', '440100', 2019, 'pass', NULL, NULL, NULL, NULL, NULL)" >out 2>&1 &&
    fail "a finding of a run not stored was taken"
contains 'a finding of a run not stored is refused' "$(cat out)" "finding.run must name a stored run"
note "run ids are never given twice; the view matches whole findings"

note "ok"
