#!/bin/sh
# run_overlap.sh - a run records each finding as it comes, in its one
# transaction, while rules evaluate. Checked here: the findings and their
# order are the same with --jobs 0, 1, 2 and 8, also under --region (a
# needed rule is evaluated everywhere, only its finding for that region is
# recorded); `check` stores nothing; a run that waits for another writer says so,
# once, on stderr, and one that does not wait says nothing; a run is not
# seen until it commits, and an import made while a run evaluates waits for
# it and loses nothing; a run killed while it evaluates leaves nothing and
# releases the database; a run needs no temporary folder (no spool).
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "run_overlap: FAILED: $*" >&2
    exit 1
}
note() {
    echo "run_overlap: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_overlap.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

RULES=$ER_SOURCE_DIR/rules
SLOW=$ER_SOURCE_DIR/tests/fixtures/reliability/slow
WAITING="equirule: waiting for another run or import to finish writing o.db"

q() {
    sqlite3 -batch -noheader o.db "$1" 2>&1 || fail "sqlite3: $1"
}

expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# run_bg NAME ARGS...: `equirule run` in the background; its exit status
# goes to NAME.status, its output to NAME.out and NAME.err.
run_bg() {
    name=$1
    shift
    ("$EQUIRULE_BIN" run --db o.db "$@" >"$name.out" 2>"$name.err"
     echo $? >"$name.status") &
}

status() {
    cat "$1.status" 2>/dev/null || echo none
}

# stalled NAME POINT: waits until NAME.err says the command stalls at POINT.
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

# findings RUN: every finding of a run, in the order it was recorded.
findings() {
    q "SELECT rule, region, year, outcome, quote(measured), quote(required),
              quote(amount), quote(unit), quote(note)
       FROM finding WHERE run = $1 ORDER BY rowid"
}

last_run() {
    q "SELECT max(id) FROM run"
}

"$EQUIRULE_BIN" init --sample --db o.db >/dev/null 2>init.err ||
    fail "init --sample: $(cat init.err)"

# ---- the same findings, in the same order, whatever the workers ----------------

for scope in "" "--region 梅州市"; do
    first=""
    for jobs in 0 1 2 8; do
        # a deadline no loaded machine reaches: the findings must not
        # depend on the clock
        # shellcheck disable=SC2086
        "$EQUIRULE_BIN" run --db o.db --rules "$RULES" --years 2018-2020 \
            --jobs $jobs --timeout 60 $scope >run.out 2>run.err
        expect "run --jobs $jobs $scope: $(cat run.err)" "$?" 1
        [ -s run.err ] && fail "run --jobs $jobs $scope said: $(cat run.err)"
        findings "$(last_run)" >"jobs$jobs.txt"
        [ -s "jobs$jobs.txt" ] || fail "run --jobs $jobs $scope: no findings"
        if [ -z "$first" ]; then
            first=jobs$jobs.txt
        else
            cmp -s "$first" "jobs$jobs.txt" ||
                fail "run --jobs $jobs $scope: findings differ from --jobs 0: $(diff "$first" "jobs$jobs.txt" | head -5)"
        fi
    done
    if [ -n "$scope" ]; then
        # only the region's findings, its needed rules' included
        expect "regions of the run under $scope" \
            "$(q "SELECT group_concat(DISTINCT region) FROM finding WHERE run = $(last_run)")" \
            441400
    fi
done
expect "runs recorded, all done" "$(q "SELECT count(*) || ' ' || min(status) FROM run")" "8 done"
note "findings and their order are the same with --jobs 0, 1, 2, 8, also under --region"

# ---- no temporary file -------------------------------------------------------------

TMPDIR=$work/no/such/folder "$EQUIRULE_BIN" run --db o.db --rules "$RULES" \
    --years 2018-2020 --timeout 60 --region 梅州市 >/dev/null 2>run.err
expect "a run without a temporary folder: $(cat run.err)" "$?" 1
findings "$(last_run)" >tmp.txt
cmp -s jobs0.txt tmp.txt || fail "the run without a temporary folder recorded other findings"
note "a run writes no temporary file"

# `check` evaluates and stores nothing
before=$(q "SELECT count(*) FROM run")
"$EQUIRULE_BIN" check --db o.db --rules "$RULES" --year 2019 >check.out 2>check.err
check_status=$?
[ "$check_status" -eq 0 ] || [ "$check_status" -eq 1 ] ||
    fail "check: exit status $check_status: $(cat check.err)"
[ -s check.out ] || fail "check printed nothing"
expect "runs after check" "$(q "SELECT count(*) FROM run")" "$before"
note "check stores nothing"

# ---- a run that waits for another says so ------------------------------------

# the first holds the write lock for 15 s before it commits (long enough
# for the second to load its rules on a loaded machine); the second waits
# for it, saying so once, and is seen saying it before the first is done
EQUIRULE_FAULT=stall:commit=15 run_bg a --rules "$RULES" --years 2019
stalled a commit
run_bg b --rules "$RULES" --years 2019
i=0
until grep -q "^$WAITING\$" b.err 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 600 ] || fail "the second run never said it waits: $(cat b.err)"
    [ "$(status b)" = none ] || fail "the second run ended without saying it waits: $(cat b.err)"
    sleep 0.05
done
expect "the first run while the second waits" "$(status a)" none
wait
expect "the first of two runs: $(cat a.err)" "$(status a)" 1
expect "the second of two runs: $(cat b.err)" "$(status b)" 1
expect "what the second said" "$(grep -c "^$WAITING\$" b.err)" 1
grep -q waiting a.err && fail "the first run, which did not wait, said: $(cat a.err)"
expect "the two runs' findings" \
    "$(q "SELECT count(DISTINCT n) || ' ' || count(*) FROM (SELECT count(*) AS n FROM finding GROUP BY run ORDER BY run DESC LIMIT 2)")" \
    "1 2"
note "a run that waits for another says so on stderr, once; both complete"

# ---- a run holds the write lock while it evaluates ----------------------------

# the run stalls with its transaction open, before any finding; `runs`
# does not see it; an import waits for it, then commits
runs_before=$(q "SELECT count(*) FROM run")
digest_before=$(q "SELECT data_digest FROM run ORDER BY id DESC LIMIT 1")
q "SELECT 'region,year,metric,value'
   UNION ALL
   SELECT * FROM (SELECT region || ',' || year || ',' || metric || ',' || (value + 1)
                  FROM fact WHERE metric = 'pop.resident' AND year = 2019 ORDER BY 1)" >plus1.csv
EQUIRULE_FAULT=stall:record=3 run_bg c --rules "$RULES" --years 2019 --jobs 2
stalled c record
"$EQUIRULE_BIN" runs --db o.db --format csv >runs.csv 2>runs.err ||
    fail "runs while a run evaluates: $(cat runs.err)"
expect "runs listed while a run evaluates (not the one in progress)" \
    "$(($(wc -l <runs.csv) - 1))" "$runs_before"
"$EQUIRULE_BIN" import --db o.db --replace fact plus1.csv >import.out 2>import.err
expect "an import while a run evaluates: $(cat import.err)" "$?" 0
wait
expect "the run the import waited for: $(cat c.err)" "$(status c)" 1
expect "the run's data digest (the data before the import)" \
    "$(q "SELECT data_digest FROM run ORDER BY id DESC LIMIT 1")" "$digest_before"
expect "the imported rows" \
    "$(q "SELECT count(*) FROM fact WHERE metric = 'pop.resident' AND year = 2019")" \
    "$(($(wc -l <plus1.csv) - 1))"
"$EQUIRULE_BIN" run --db o.db --rules "$RULES" --years 2019 >/dev/null 2>run.err
expect "a run after the import: $(cat run.err)" "$?" 1
[ "$(q "SELECT data_digest FROM run ORDER BY id DESC LIMIT 1")" != "$digest_before" ] ||
    fail "the run after the import did not read it"
note "a run is not seen until it commits; an import waits for it and loses nothing"

# ---- a run killed while it evaluates -----------------------------------------------

runs_before=$(q "SELECT count(*) FROM run")
findings_before=$(q "SELECT count(*) FROM finding")
EQUIRULE_FAULT=stall:record=0.1 "$EQUIRULE_BIN" run --db o.db --rules "$SLOW" \
    --years 2018-2020 --jobs 2 >d.out 2>d.err &
pid=$!
i=0
until grep -q "fault: stall at record" d.err 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 600 ] || fail "the slow run never reached its transaction: $(cat d.err)"
    sleep 0.05
done
sleep 1
kill -9 $pid 2>/dev/null || fail "the slow run ended before it was killed: $(cat d.err)"
wait $pid 2>/dev/null
expect "runs after a run killed while evaluating" "$(q "SELECT count(*) FROM run")" "$runs_before"
expect "findings after it" "$(q "SELECT count(*) FROM finding")" "$findings_before"
expect "PRAGMA integrity_check" "$(q 'PRAGMA integrity_check')" ok
"$EQUIRULE_BIN" run --db o.db --rules "$RULES" --years 2019 >/dev/null 2>run.err
expect "a run after the kill: $(cat run.err)" "$?" 1
grep -q waiting run.err && fail "a run after the kill waited: $(cat run.err)"
note "a run killed while it evaluates leaves nothing and holds no lock"

echo "run_overlap: all checks passed"
exit 0
