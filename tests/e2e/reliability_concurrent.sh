#!/bin/sh
# reliability_concurrent.sh - two people on one database at once. Two runs
# whose recording transactions collide both complete (WAL, busy timeout);
# an import that commits while a run reads its data breaks neither, and the
# run's data_digest is that of the data before the import (the snapshot is
# one read transaction: EQUIRULE_FAULT=stall:snapshot holds the run between
# reading the regions and the facts); a run that starts while an import is
# writing sees the data before it and records after it; `equirule runs`
# and `report` read while a run records and do not see the run until it is
# committed.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "reliability_concurrent: FAILED: $*" >&2
    exit 1
}
note() {
    echo "reliability_concurrent: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_concurrent.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

RULES=$ER_SOURCE_DIR/rules
SLOW=$ER_SOURCE_DIR/tests/fixtures/reliability/slow

q() {
    sqlite3 -batch -noheader c.db "$1" 2>&1 || fail "sqlite3: $1"
}

expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# run_bg NAME ARGS...: starts `equirule run` in the background; its exit
# status goes to NAME.status, its output to NAME.out and NAME.err.
run_bg() {
    name=$1
    shift
    ("$EQUIRULE_BIN" run --db c.db "$@" >"$name.out" 2>"$name.err"
     echo $? >"$name.status") &
}

# status NAME: the exit status of a command started with run_bg.
status() {
    cat "$1.status" 2>/dev/null || echo none
}

# stalled NAME POINT: waits until NAME.err says the command stalls at POINT
# (EQUIRULE_FAULT=stall:POINT prints the line before it sleeps).
stalled() {
    i=0
    until grep -q "fault: stall at $2" "$1.err" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 600 ] || fail "$1 never reached the stall at $2: $(cat "$1.err")"
        [ "$(status "$1")" = none ] ||
            fail "$1 ended before the stall at $2: $(cat "$1.err")"
        sleep 0.05
    done
}

digest_of_last_run() {
    q "SELECT data_digest FROM run ORDER BY id DESC LIMIT 1"
}

"$EQUIRULE_BIN" init --sample --db c.db >/dev/null 2>init.err ||
    fail "init --sample: $(cat init.err)"

# ---- two runs, their recording transactions colliding -----------------------

# the first holds the write lock for 3 s before it commits; the second,
# started then, reaches BEGIN IMMEDIATE meanwhile and waits for it
EQUIRULE_FAULT=stall:commit=3 run_bg a --rules "$RULES" --years 2018-2020
stalled a commit
run_bg b --rules "$RULES" --years 2018-2020
wait
expect "first of two runs at once (the sample fails by design): $(cat a.err)" "$(status a)" 1
expect "second of two runs at once: $(cat b.err)" "$(status b)" 1
expect "runs recorded" "$(q "SELECT count(*) || ' ' || min(status) || ' ' || max(status) FROM run")" \
    "2 done done"
expect "findings of the two runs" \
    "$(q "SELECT group_concat(n, ' ') FROM (SELECT count(*) AS n FROM finding GROUP BY run ORDER BY run)")" \
    "4023 4023"
expect "data digests of the two runs" "$(q "SELECT count(DISTINCT data_digest) FROM run")" 1
note "two runs at once, recordings colliding: both complete"

# two slow runs evaluating side by side, two workers each
run_bg c --rules "$SLOW" --years 2018-2020 --jobs 2
run_bg d --rules "$SLOW" --years 2018-2020 --jobs 2
wait
expect "first slow run: $(cat c.err)" "$(status c)" 0
expect "second slow run: $(cat d.err)" "$(status d)" 0
expect "runs recorded" "$(q "SELECT count(*) FROM run WHERE status = 'done'")" 4
note "two slow runs evaluating at once: both complete"

# ---- readers while a run records ---------------------------------------------------

EQUIRULE_FAULT=stall:commit=5 run_bg e --rules "$RULES" --years 2019
stalled e commit
"$EQUIRULE_BIN" runs --db c.db --format csv >runs.csv 2>runs.err ||
    fail "equirule runs while a run records: $(cat runs.err)"
"$EQUIRULE_BIN" report --db c.db --format json -o report.json \
    >/dev/null 2>report.err ||
    fail "equirule report while a run records: $(cat report.err)"
expect "status of the recording run while runs read" "$(status e)" none
expect "runs listed while a run records (the uncommitted one is not)" \
    "$(($(wc -l <runs.csv) - 1))" 4
wait
expect "the run that recorded meanwhile: $(cat e.err)" "$(status e)" 1
expect "runs after it" "$(q "SELECT count(*) FROM run")" 5
note "runs and report read while a run recorded: not blocked, the run not shown until committed"

# ---- an import that commits while a run reads its data -------------------------

digest_a=$(digest_of_last_run)
q "SELECT 'region,year,metric,value'
   UNION ALL
   SELECT * FROM (SELECT region || ',' || year || ',' || metric || ',' || (value + 1)
                  FROM fact WHERE metric = 'pop.resident' ORDER BY 1)" >plus1.csv
EQUIRULE_FAULT=stall:snapshot=4 run_bg f --rules "$RULES" --years 2019
stalled f snapshot
"$EQUIRULE_BIN" import --db c.db --replace fact plus1.csv >import.out 2>import.err
expect "import while a run reads: $(cat import.err)" "$?" 0
expect "status of the reading run when the import is done" "$(status f)" none
wait
expect "the run that read meanwhile: $(cat f.err)" "$(status f)" 1
digest_f=$(digest_of_last_run)
expect "data digest of the run the import overlapped (the data before it)" \
    "$digest_f" "$digest_a"
"$EQUIRULE_BIN" run --db c.db --rules "$RULES" --years 2019 --jobs 0 \
    >/dev/null 2>run.err
expect "a run after the import" "$?" 1
digest_b=$(digest_of_last_run)
[ "$digest_b" != "$digest_a" ] || fail "the import did not change the data digest"
note "an import committed while a run read: both complete, the run saw one state"

# ---- a run that starts while an import writes -------------------------------------

q "SELECT 'region,year,metric,value'
   UNION ALL
   SELECT * FROM (SELECT region || ',' || year || ',' || metric || ',' || (value + 1)
                  FROM fact WHERE metric = 'pop.resident' ORDER BY 1)" >plus2.csv
(EQUIRULE_FAULT=stall:import=4 "$EQUIRULE_BIN" import --db c.db --replace fact \
    plus2.csv >g.out 2>g.err
 echo $? >g.status) &
stalled g import
"$EQUIRULE_BIN" run --db c.db --rules "$RULES" --years 2019 >h.out 2>h.err
expect "a run while an import writes: $(cat h.err)" "$?" 1
wait
expect "the import the run overlapped: $(cat g.err)" "$(status g)" 0
expect "data digest of a run started during an import (the data before it)" \
    "$(digest_of_last_run)" "$digest_b"
"$EQUIRULE_BIN" run --db c.db --rules "$RULES" --years 2019 --jobs 0 \
    >/dev/null 2>run.err
expect "a run after the second import" "$?" 1
[ "$(digest_of_last_run)" != "$digest_b" ] ||
    fail "the second import did not change the data digest"
note "a run during an import: it read the data before the import and recorded after it"

expect "PRAGMA integrity_check" "$(q 'PRAGMA integrity_check')" ok
expect "runs, all done" "$(q "SELECT count(*) || ' ' || min(status) FROM run")" "9 done"

echo "reliability_concurrent: all checks passed"
exit 0
