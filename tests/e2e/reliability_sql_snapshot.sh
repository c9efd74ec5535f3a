#!/bin/sh
# reliability_sql_snapshot.sh - r:sql reads the run's data, not the live
# file. An `import --replace` that commits while a run evaluates (the run
# held by EQUIRULE_FAULT=stall:load, the data read, no rule evaluated yet)
# is seen by neither r:fact nor r:sql, in process (--jobs 0) and in worker
# processes; one that commits while the data is being copied
# (stall:copy, between the region table and the others) neither. The run
# records the digest of the data before the import, which is what every
# rule read; the next run reads the new data. A copy larger than a
# worker's own SQLite heap limit (128 MB) is still read in workers.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "reliability_sql_snapshot: FAILED: $*" >&2
    exit 1
}
note() {
    echo "reliability_sql_snapshot: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_sql_snapshot.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

RULES=$ER_SOURCE_DIR/tests/fixtures/reliability/sql_snapshot

q() {
    sqlite3 -batch -noheader s.db "$1" 2>&1 || fail "sqlite3: $1"
}

expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# stalled NAME POINT: waits until NAME.err says the run stalls at POINT.
stalled() {
    i=0
    until grep -q "fault: stall at $2" "$1.err" 2>/dev/null; do
        i=$((i + 1))
        [ $i -lt 600 ] || fail "$1 never reached the stall at $2: $(cat "$1.err")"
        [ -f "$1.status" ] &&
            fail "$1 ended before the stall at $2: $(cat "$1.err")"
        sleep 0.05
    done
}

# race NAME POINT JOBS: a run of the fixture rule on 2019, held at POINT
# while every city's 2019 resident population is raised by one; checks
# that the run read the old data throughout and recorded its digest.
race() {
    name=$1
    point=$2
    jobs=$3
    before=$(q "SELECT value FROM fact WHERE region = '441400'
                AND year = 2019 AND metric = 'pop.resident'")
    "$EQUIRULE_BIN" run --db s.db --rules "$RULES" --years 2019 \
        --jobs "$jobs" >/dev/null 2>&1 || true
    digest_before=$(q "SELECT data_digest FROM run ORDER BY id DESC LIMIT 1")
    q "SELECT 'region,year,metric,value'
       UNION ALL
       SELECT * FROM (SELECT region || ',' || year || ',' || metric || ',' ||
                             (value + 1)
                      FROM fact WHERE metric = 'pop.resident' AND year = 2019
                      ORDER BY 1)" >"$name.csv"
    (EQUIRULE_FAULT=stall:$point=3 "$EQUIRULE_BIN" run --db s.db \
        --rules "$RULES" --years 2019 --jobs "$jobs" >"$name.out" 2>"$name.err"
     echo $? >"$name.status") &
    stalled "$name" "$point"
    "$EQUIRULE_BIN" import --db s.db --replace fact "$name.csv" \
        >"$name.import.out" 2>"$name.import.err" ||
        fail "$name: import --replace while the run is held: $(cat "$name.import.err")"
    [ -f "$name.status" ] && fail "$name: the run ended before the import"
    wait
    expect "$name: exit status of the held run ($(cat "$name.err"))" \
        "$(cat "$name.status")" 0
    id=$(q "SELECT max(id) FROM run")
    expect "$name: findings that are not pass" \
        "$(q "SELECT group_concat(region || ' ' || note, '; ') FROM finding
              WHERE run = $id AND outcome <> 'pass'")" ""
    expect "$name: what r:sql read for 441400" \
        "$(q "SELECT note FROM finding WHERE run = $id AND region = '441400'")" \
        "$(printf '%.0f' "$before")"
    expect "$name: the data digest recorded" \
        "$(q "SELECT data_digest FROM run WHERE id = $id")" "$digest_before"
    # the next run reads the new data, and says so in its digest
    "$EQUIRULE_BIN" run --db s.db --rules "$RULES" --years 2019 \
        --jobs "$jobs" >/dev/null 2>"$name.next.err" ||
        fail "$name: the next run: $(cat "$name.next.err")"
    id=$(q "SELECT max(id) FROM run")
    expect "$name: what the next run's r:sql read for 441400" \
        "$(q "SELECT note FROM finding WHERE run = $id AND region = '441400'")" \
        "$(printf '%.0f' "$((${before%.*} + 1))")"
    [ "$(q "SELECT data_digest FROM run WHERE id = $id")" != "$digest_before" ] ||
        fail "$name: the next run records the old digest"
}

"$EQUIRULE_BIN" init --sample --db s.db >/dev/null 2>init.err ||
    fail "init --sample: $(cat init.err)"

race in_process load 0
note "in process: an import during the evaluation is seen by neither r:fact nor r:sql"
race workers load 2
note "in workers: an import during the evaluation is seen by neither r:fact nor r:sql"
race copy copy 2
note "an import while the data is being copied is not seen either"

# a copy larger than a worker's SQLite heap limit: the limit is on what the
# worker allocates, not on the copy it inherits
q "UPDATE fact SET source = substr(hex(zeroblob(30000)), 1, 60000)"
"$EQUIRULE_BIN" run --db s.db --rules "$RULES" --years 2019 --jobs 2 \
    >big.out 2>big.err
expect "a run on a copy of $(du -m s.db | cut -f1) MB in workers ($(cat big.err))" "$?" 0
id=$(q "SELECT max(id) FROM run")
expect "findings of the run on a large copy that are not pass" \
    "$(q "SELECT group_concat(region || ' ' || note, '; ') FROM finding
          WHERE run = $id AND outcome <> 'pass'")" ""
note "a copy larger than a worker's SQLite heap limit is read in workers"
