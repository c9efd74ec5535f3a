#!/bin/sh
# reliability_kill.sh - atomic runs and imports: SIGKILL at any moment leaves
# the database whole. A run or an import is killed while it loads the data,
# while its workers evaluate, inside the transaction that records the run
# (EQUIRULE_FAULT=kill:record, kill:commit; see core/base/fault.c), while SQLite
# writes that transaction's pages to the -wal file (a large synthetic
# dataset, killed when the -wal file grows), inside an import's
# transaction, inside the transaction of `init` that upgrades the schema
# or creates a database, and at a series of moments in between. After each
# kill:
# PRAGMA integrity_check is ok, the run, finding, rule_file and run_rule
# rows are exactly those of the runs that finished, `equirule runs` lists
# only those (status done), no worker process is left, and the next run
# succeeds.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "reliability_kill: FAILED: $*" >&2
    exit 1
}
note() {
    echo "reliability_kill: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_kill.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

RULES=$ER_SOURCE_DIR/rules
SLOW=$ER_SOURCE_DIR/tests/fixtures/reliability/slow
GEN=$(dirname "$EQUIRULE_BIN")/bench/equirule-bench-gen

# q DB SQL: the rows of a query, '|' between columns.
q() {
    sqlite3 -batch -noheader "$1" "$2" 2>&1 || fail "sqlite3 $1: $2"
}

expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# children PID: the process ids of PID's children.
children() {
    if command -v pgrep >/dev/null 2>&1; then
        pgrep -P "$1" 2>/dev/null
    else
        ps -o pid= --ppid "$1" 2>/dev/null
    fi
}

# state DB: what a kill must leave unchanged.
state() {
    q "$1" "SELECT (SELECT count(*) FROM run) || ' runs, ' ||
                   (SELECT count(*) FROM finding) || ' findings, ' ||
                   (SELECT count(*) FROM rule_file) || ' rule files, ' ||
                   (SELECT count(*) FROM run_rule) || ' run rules, ' ||
                   (SELECT count(*) FROM run_count) || ' run counts, ' ||
                   (SELECT count(*) FROM fact) || ' facts'"
}

# whole LABEL DB STATE: the database after a kill is the one before it.
whole() {
    expect "$1: PRAGMA integrity_check" "$(q "$2" 'PRAGMA integrity_check')" ok
    expect "$1: rows" "$(state "$2")" "$3"
    expect "$1: runs not done" \
        "$(q "$2" "SELECT count(*) FROM run WHERE status <> 'done' OR finished_at IS NULL")" 0
    expect "$1: rows of no run" \
        "$(q "$2" "SELECT (SELECT count(*) FROM finding WHERE run NOT IN (SELECT id FROM run)) +
                          (SELECT count(*) FROM rule_file WHERE run NOT IN (SELECT id FROM run)) +
                          (SELECT count(*) FROM run_rule WHERE run NOT IN (SELECT id FROM run)) +
                          (SELECT count(*) FROM run_count WHERE run NOT IN (SELECT id FROM run))")" 0
    "$EQUIRULE_BIN" runs --db "$2" --format csv >runs.csv 2>runs.err ||
        fail "$1: equirule runs failed: $(cat runs.err)"
    expect "$1: runs listed" "$(($(wc -l <runs.csv) - 1))" \
        "$(q "$2" 'SELECT count(*) FROM run')"
    if grep -v '^id,' runs.csv | grep -v ',done,' >/dev/null; then
        fail "$1: equirule runs lists a run that is not done: $(cat runs.csv)"
    fi
}

# settled LABEL DB BEFORE [FINDINGS]: after a kill that may have landed
# just after the commit (the process still exiting), the database is
# either as BEFORE or holds one more run, complete: done, with FINDINGS
# findings (when given) and counts that add up to them. Sets recorded to
# 0 or 1.
settled() {
    runs_then=${3%% runs*}
    runs_now=$(q "$2" 'SELECT count(*) FROM run')
    if [ "$runs_now" -eq "$runs_then" ]; then
        whole "$1" "$2" "$3"
        recorded=0
        return
    fi
    expect "$1: runs (one more: recorded before the kill)" "$runs_now" $((runs_then + 1))
    last=$(q "$2" 'SELECT max(id) FROM run')
    n=$(q "$2" "SELECT count(*) FROM finding WHERE run = $last")
    [ -z "${4:-}" ] || expect "$1: findings of the run recorded before the kill" "$n" "$4"
    expect "$1: the counts of the run recorded before the kill" \
        "$(q "$2" "SELECT coalesce(sum(n), 0) FROM run_count WHERE run = $last")" "$n"
    whole "$1" "$2" "$(state "$2")"
    recorded=1
}

# killed LABEL STATUS: the command died of SIGKILL (exit status 137).
killed() {
    expect "$1: exit status" "$2" 137
}

# alive PID: the process runs (a zombie, dead but not yet reaped by
# whoever adopted it, does not count).
alive() {
    st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    case $st in
    Z*) return 1 ;;
    esac
    return 0
}

# no_orphans LABEL PIDS: the workers of a killed run are gone.
no_orphans() {
    for pid in $2; do
        i=0
        while alive "$pid"; do
            i=$((i + 1))
            [ $i -lt 50 ] || fail "$1: worker $pid outlived its supervisor"
            sleep 0.1
        done
    done
}

"$EQUIRULE_BIN" init --sample --db k.db >/dev/null 2>init.err ||
    fail "init --sample: $(cat init.err)"
"$EQUIRULE_BIN" run --db k.db --rules "$RULES" --years 2018-2020 \
    >/dev/null 2>run.err
expect "first run (the sample fails by design)" "$?" 1
before=$(state k.db)
note "start: $before"

# ---- injected at named points ------------------------------------------------

for point in snapshot load record commit; do
    EQUIRULE_FAULT=kill:$point "$EQUIRULE_BIN" run --db k.db --rules "$RULES" \
        --years 2018-2020 >/dev/null 2>&1
    killed "kill:$point" "$?"
    whole "kill:$point" k.db "$before"
    note "killed at $point: database whole"
done

# in process (--jobs 0) too: the same transaction without workers
EQUIRULE_FAULT=kill:commit "$EQUIRULE_BIN" run --db k.db --rules "$RULES" \
    --years 2018-2020 --jobs 0 >/dev/null 2>&1
killed "kill:commit --jobs 0" "$?"
whole "kill:commit --jobs 0" k.db "$before"

# a list of faults: the worker crash of the tests and a kill
EQUIRULE_FAULT=crash:health.public_health_per_capita@441400,kill:commit \
    "$EQUIRULE_BIN" run --db k.db --rules "$RULES" --years 2019 \
    >/dev/null 2>&1
killed "crash and kill:commit" "$?"
whole "crash and kill:commit" k.db "$before"

# ---- while the workers evaluate ----------------------------------------------

"$EQUIRULE_BIN" run --db k.db --rules "$SLOW" --years 2018-2020 --jobs 2 \
    >/dev/null 2>&1 &
pid=$!
workers=""
i=0
while [ -z "$workers" ] && [ $i -lt 100 ]; do
    sleep 0.05
    workers=$(children "$pid")
    i=$((i + 1))
done
[ -n "$workers" ] || fail "the slow run started no worker"
sleep 0.3
kill -9 "$pid"
wait "$pid" 2>/dev/null
killed "evaluating" "$?"
no_orphans "evaluating" "$workers"
whole "evaluating" k.db "$before"
note "killed while $(echo $workers | wc -w) workers evaluated: database whole, workers gone"

# ---- at a series of moments ------------------------------------------------------

# the slow rule with a shorter spin: timed once, then killed at moments
# spread over that time, so that loading, evaluating and recording all fall
# somewhere in the series
now_ms() {
    echo $(($(date +%s%N) / 1000000))
}
t0=$(now_ms)
"$EQUIRULE_BIN" run --db k.db --rules "$SLOW" --years 2018-2020 \
    --set slow.spin.spin=300000 --jobs 2 >/dev/null 2>run.err ||
    fail "the timed run: $(cat run.err)"
took=$(($(now_ms) - t0))
before=$(state k.db)
slow_findings=$(q k.db "SELECT count(*) FROM finding WHERE run = (SELECT max(id) FROM run)")
note "a run of the slow rule takes $took ms"
for percent in 2 10 20 35 50 65 80 90 97; do
    ms=$((took * percent / 100))
    delay=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
    "$EQUIRULE_BIN" run --db k.db --rules "$SLOW" --years 2018-2020 \
        --set slow.spin.spin=300000 --jobs 2 >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    workers=$(children "$pid")
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    no_orphans "kill after $delay s" "$workers"
    if [ "$status" -eq 0 ]; then
        # finished first: the run is whole and counts from now on
        before=$(state k.db)
        whole "finished before the kill at $delay s" k.db "$before"
        note "run finished before the kill at $delay s: recorded whole"
    else
        killed "kill after $delay s" "$status"
        settled "kill after $delay s" k.db "$before" "$slow_findings"
        if [ "$recorded" -eq 1 ]; then
            before=$(state k.db)
            note "killed at $delay s just after the commit: the run recorded whole"
        fi
    fi
done
note "killed at 9 moments: database whole"

# ---- imports ------------------------------------------------------------------------

# 300 metrics over the 56 regions and 3 years: 50,400 facts
awk 'BEGIN {
    print "key,name" > "metrics.csv"
    for (m = 0; m < 300; m++) printf "reliability.m%d,m%d\n", m, m > "metrics.csv"
}'
"$EQUIRULE_BIN" import --db k.db metric metrics.csv >/dev/null 2>imp.err ||
    fail "import of metrics.csv: $(cat imp.err)"
q k.db "SELECT code FROM region" >regions.txt
awk 'BEGIN { print "region,year,metric,value" }
     { for (y = 2018; y <= 2020; y++)
         for (m = 0; m < 300; m++)
           printf "%s,%d,reliability.m%d,%d\n", $1, y, m, m * 7 + y }' \
    regions.txt >facts.csv
before=$(state k.db)

EQUIRULE_FAULT=kill:import "$EQUIRULE_BIN" import --db k.db fact facts.csv \
    >/dev/null 2>&1
killed "kill:import" "$?"
whole "kill:import" k.db "$before"
for delay in 0.05 0.15; do
    "$EQUIRULE_BIN" import --db k.db fact facts.csv >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    status=$?
    if [ "$status" -eq 0 ]; then
        expect "import finished before the kill at $delay s" \
            "$(q k.db "SELECT count(*) FROM fact WHERE metric LIKE 'reliability.%'")" 19800
        note "import finished before the kill at $delay s: all 19800 rows"
        break
    fi
    killed "import killed after $delay s" "$status"
    imported=$(q k.db "SELECT count(*) FROM fact WHERE metric LIKE 'reliability.%'")
    if [ "$imported" -ne 0 ]; then
        # killed just after its commit, while the process was exiting
        expect "import killed just after its commit: rows" "$imported" 19800
        expect "import killed just after its commit: PRAGMA integrity_check" \
            "$(q k.db 'PRAGMA integrity_check')" ok
        note "import killed just after its commit at $delay s: all 19800 rows"
        break
    fi
    whole "import killed after $delay s" k.db "$before"
done
note "imports killed: database whole"

# ---- after all that, a run succeeds ---------------------------------------------------

runs=$(q k.db 'SELECT count(*) FROM run')
"$EQUIRULE_BIN" run --db k.db --rules "$RULES" --years 2018-2020 \
    >/dev/null 2>run.err
expect "the run after the kills (the sample fails by design)" "$?" 1
expect "runs after the last run" "$(q k.db 'SELECT count(*) FROM run')" $((runs + 1))
expect "the last run's findings equal the first's" \
    "$(q k.db "SELECT count(*) FROM finding WHERE run = (SELECT max(id) FROM run)")" \
    "$(q k.db "SELECT count(*) FROM finding WHERE run = 1")"
expect "PRAGMA integrity_check at the end" "$(q k.db 'PRAGMA integrity_check')" ok

# ---- an upgrade of the schema ------------------------------------------------------

# the database as schema version 2 had it: no run_count, no finding_failing
# index, no zone and setting tables, no run_rule.report (versions 3 and 4),
# no value domains of metrics (version 5), no run_gap (version 6), no split
# and city_transfer (version 8), no data versions (version 12), no rule
# sources (version 13), no item texts of the service list (version 14)
cp k.db old.db
q old.db "ALTER TABLE item DROP COLUMN served; ALTER TABLE item DROP COLUMN content; ALTER TABLE item DROP COLUMN responsibility; ALTER TABLE item DROP COLUMN lead; ALTER TABLE item_history DROP COLUMN served; ALTER TABLE item_history DROP COLUMN content; ALTER TABLE item_history DROP COLUMN responsibility; ALTER TABLE item_history DROP COLUMN lead; DROP TABLE run_source; DROP TABLE rule_source; ALTER TABLE run DROP COLUMN replay; DROP INDEX run_data_version; ALTER TABLE run DROP COLUMN data_version; DROP TABLE data_version; DROP TABLE region_history; ALTER TABLE region DROP COLUMN version; DROP TABLE metric_history; ALTER TABLE metric DROP COLUMN version; DROP TABLE item_history; ALTER TABLE item DROP COLUMN version; DROP TABLE standard_history; ALTER TABLE standard DROP COLUMN version; DROP TABLE share_history; ALTER TABLE share DROP COLUMN version; DROP TABLE transfer_history; ALTER TABLE transfer DROP COLUMN version; DROP TABLE split_history; ALTER TABLE split DROP COLUMN version; DROP TABLE city_transfer_history; ALTER TABLE city_transfer DROP COLUMN version; DROP TABLE fact_history; ALTER TABLE fact DROP COLUMN version; DROP TABLE zone_history; ALTER TABLE zone DROP COLUMN version; DROP TABLE setting_history; ALTER TABLE setting DROP COLUMN version; DROP TABLE national_average_history; ALTER TABLE national_average DROP COLUMN version;" >/dev/null
# (and no findings store of version 11: the finding table of version 10)
sqlite3 -batch old.db <"$ER_SOURCE_DIR/tests/fixtures/schema10/downgrade.sql" >/dev/null ||
    fail "tests/fixtures/schema10/downgrade.sql"
q old.db "DROP INDEX finding_failing; DROP TABLE run_count; DROP TABLE run_gap; DROP TABLE split; DROP TABLE city_transfer; DROP TABLE national_average; DROP TABLE zone; DROP TABLE setting; ALTER TABLE run_rule DROP COLUMN report; ALTER TABLE metric DROP COLUMN aggregate; ALTER TABLE metric DROP COLUMN max_open; ALTER TABLE metric DROP COLUMN max; ALTER TABLE metric DROP COLUMN min_open; ALTER TABLE metric DROP COLUMN min; ALTER TABLE metric DROP COLUMN integer; ALTER TABLE metric DROP COLUMN kind; ALTER TABLE run DROP COLUMN scope; PRAGMA user_version = 2" >/dev/null
old_before=$(q old.db "SELECT (SELECT count(*) FROM run) || ' runs, ' || (SELECT count(*) FROM finding) || ' findings'")
EQUIRULE_FAULT=kill:upgrade "$EQUIRULE_BIN" init --db old.db >/dev/null 2>&1
killed "kill:upgrade" "$?"
expect "kill:upgrade: PRAGMA integrity_check" "$(q old.db 'PRAGMA integrity_check')" ok
expect "kill:upgrade: schema version" "$(q old.db 'PRAGMA user_version')" 2
expect "kill:upgrade: tables of the new version" \
    "$(q old.db "SELECT count(*) FROM sqlite_schema WHERE name IN ('run_count', 'finding_failing', 'zone', 'setting', 'run_gap')")" 0
expect "kill:upgrade: rows" \
    "$(q old.db "SELECT (SELECT count(*) FROM run) || ' runs, ' || (SELECT count(*) FROM finding) || ' findings'")" \
    "$old_before"
"$EQUIRULE_BIN" run --db old.db --rules "$RULES" >/dev/null 2>old.err
expect "run on the database whose upgrade was killed" "$?" 3
grep -q 'equirule init' old.err || fail "run on an old schema does not point to init: $(cat old.err)"
"$EQUIRULE_BIN" init --db old.db >/dev/null 2>init.err ||
    fail "init after the killed upgrade: $(cat init.err)"
expect "the upgrade after the kill: run counts of the old runs" \
    "$(q old.db "SELECT sum(n) FROM run_count")" "$(q old.db "SELECT count(*) FROM finding")"
"$EQUIRULE_BIN" run --db old.db --rules "$RULES" --years 2018-2020 >/dev/null 2>old.err
expect "run on the upgraded database" "$?" 1
note "killed while upgrading the schema: the old version whole, the next init upgrades"

# a new database killed while init creates it
EQUIRULE_FAULT=kill:upgrade "$EQUIRULE_BIN" init --db new.db >/dev/null 2>&1
killed "kill:upgrade of a new database" "$?"
"$EQUIRULE_BIN" runs --db new.db >/dev/null 2>new.err
expect "runs on a database whose creation was killed" "$?" 3
"$EQUIRULE_BIN" init --sample --db new.db >/dev/null 2>new.err ||
    fail "init after the killed creation: $(cat new.err)"
expect "new database after the killed creation" "$(q new.db 'SELECT count(*) FROM region')" 56
note "killed while creating a database: init creates it again"

# ---- inside SQLite's commit: a large run killed while the -wal file grows ------

if [ ! -x "$GEN" ]; then
    note "skipped the kill inside COMMIT: $GEN is not built"
else
    "$GEN" big.db 10000 >/dev/null 2>gen.err || fail "$GEN: $(cat gen.err)"
    big_before=$(state big.db)
    "$EQUIRULE_BIN" run --db big.db --rules "$ER_SOURCE_DIR/bench/rules" \
        --jobs 2 >/dev/null 2>&1 &
    pid=$!
    # the findings stay in SQLite's page cache until COMMIT writes them to
    # the -wal file: kill as soon as it passes 256 KB
    while kill -0 "$pid" 2>/dev/null; do
        size=$(stat -c %s big.db-wal 2>/dev/null || echo 0)
        if [ "$size" -gt 262144 ]; then
            kill -9 "$pid"
            break
        fi
    done
    wait "$pid" 2>/dev/null
    status=$?
    if [ "$status" -eq 137 ]; then
        settled "killed inside COMMIT (-wal at $size bytes)" big.db "$big_before"
        if [ "$recorded" -eq 0 ]; then
            note "killed inside COMMIT with the -wal file at $size bytes: database whole"
        else
            note "killed just after COMMIT (-wal at $size bytes): the run recorded whole"
        fi
    else
        # the commit won the race: the run must then be whole
        expect "run that won the race" "$status" 1
        expect "integrity after the race" "$(q big.db 'PRAGMA integrity_check')" ok
        expect "runs after the race" "$(q big.db "SELECT count(*) || ' ' || min(status) FROM run")" "1 done"
        note "the commit finished before the kill (status $status): run recorded whole"
    fi
fi

echo "reliability_kill: all checks passed"
exit 0
