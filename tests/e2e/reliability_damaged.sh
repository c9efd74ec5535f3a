#!/bin/sh
# reliability_damaged.sh - damaged and hostile environments. A truncated
# database, one with pages overwritten, one with a damaged header, a file
# that is not SQLite, an empty file, a folder, a read-only file, a
# read-only folder, a full disk (a file size limit swept from small to
# large, and a full tmpfs when mount works), a newer schema version,
# regions whose parents loop, a rules folder that is missing, empty, a
# file or unreadable, a CSV that is missing, a folder, unreadable or
# binary: each command gives a clear
# error naming the file and exit status 3, and nothing is half-written
# (the database file byte for byte the same, or PRAGMA integrity_check ok
# and the row counts unchanged).
#
# The tests run as root in CI, where permissions do not bite: the
# permission cases run the command without CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH (setpriv), and are skipped, saying so, when that is
# not possible.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "reliability_damaged: FAILED: $*" >&2
    exit 1
}
note() {
    echo "reliability_damaged: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_damaged.XXXXXX") ||
    fail "cannot create a temporary folder"
mounted=""
cleanup() {
    [ -z "$mounted" ] || umount "$mounted" 2>/dev/null
    chmod -R u+rwx "$work" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

RULES=$ER_SOURCE_DIR/rules
FIX=$ER_SOURCE_DIR/tests/fixtures/reliability

q() {
    sqlite3 -batch -noheader "$1" "$2" 2>&1 || fail "sqlite3 $1: $2"
}

expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

digest() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum <"$1" | cut -d' ' -f1
    else
        cksum <"$1"
    fi
}

# state DB: the row counts a failed command must leave unchanged.
state() {
    q "$1" "SELECT (SELECT count(*) FROM run) || ' runs, ' ||
                   (SELECT count(*) FROM finding) || ' findings, ' ||
                   (SELECT count(*) FROM fact) || ' facts, ' ||
                   (SELECT count(*) FROM region) || ' regions'"
}

# errs LABEL STATUS MENTION CMD...: runs `equirule CMD...`; its exit status
# must be STATUS and its stderr an "equirule: " line that contains MENTION
# (a file name) and, when WHY is set, matches the pattern WHY.
WHY=""
errs() {
    label=$1
    want=$2
    mention=$3
    shift 3
    $AS "$EQUIRULE_BIN" "$@" >cmd.out 2>cmd.err
    got=$?
    [ "$got" -eq "$want" ] ||
        fail "$label: exit status $got, expected $want: $(cat cmd.err)"
    grep -q '^equirule: ' cmd.err || fail "$label: no 'equirule: ' message: $(cat cmd.err)"
    grep -F -q -- "$mention" cmd.err || fail "$label: the message does not name $mention: $(cat cmd.err)"
    if [ -n "$WHY" ] && ! grep -E -q -- "$WHY" cmd.err; then
        fail "$label: the message does not say /$WHY/: $(cat cmd.err)"
    fi
    if grep -q 'Sanitizer' cmd.err; then
        fail "$label: a sanitizer complained: $(cat cmd.err)"
    fi
}

# ok LABEL CMD...: `equirule CMD...` succeeds (exit status 0).
ok() {
    label=$1
    shift
    $AS "$EQUIRULE_BIN" "$@" >cmd.out 2>cmd.err ||
        fail "$label: exit status $?: $(cat cmd.err)"
}

# unchanged LABEL FILE DIGEST: the file is byte for byte what it was.
unchanged() {
    expect "$1: $2 unchanged" "$(digest "$2")" "$3"
}

# Runs commands without the capabilities that let root ignore permissions.
AS=""
UNPRIV=""
if [ "$(id -u)" -ne 0 ]; then
    UNPRIV=" "
elif command -v setpriv >/dev/null 2>&1 &&
    setpriv --bounding-set=-dac_override,-dac_read_search true 2>/dev/null; then
    UNPRIV="setpriv --bounding-set=-dac_override,-dac_read_search"
fi

"$EQUIRULE_BIN" init --sample --db good.db >/dev/null 2>init.err ||
    fail "init --sample: $(cat init.err)"
"$EQUIRULE_BIN" run --db good.db --rules "$RULES" --years 2018-2020 \
    >/dev/null 2>run.err
expect "the first run (the sample fails by design)" "$?" 1
good_state=$(state good.db)
printf 'region,year,metric,value\n440100,2021,pop.resident,14000000\n' >one.csv

# every command that opens a database, on DB; each must exit 3 naming it
each_command() {
    errs "$1: run" 3 "$2" run --db "$2" --rules "$RULES"
    errs "$1: runs" 3 "$2" runs --db "$2"
    errs "$1: report" 3 "$2" report --db "$2" --format json
    errs "$1: import" 3 "$2" import --db "$2" fact one.csv
    errs "$1: export" 3 "$2" export --db "$2" fact
}

# ---- damaged files ----------------------------------------------------------------

size=$(wc -c <good.db)
page=$(q good.db 'PRAGMA page_size')

cp good.db truncated.db
dd if=good.db of=truncated.db bs="$page" count=$((size / page / 2)) 2>/dev/null
sum=$(digest truncated.db)
WHY="damaged"
each_command truncated truncated.db
errs "truncated: init" 3 truncated.db init --db truncated.db
unchanged truncated truncated.db "$sum"
note "a truncated database: exit 3, 'damaged', unchanged"

# pages in the middle of the data overwritten with a pattern
cp good.db overwritten.db
head -c $((page * 8)) /dev/zero | tr '\000' '\245' |
    dd of=overwritten.db bs="$page" seek=6 conv=notrunc 2>/dev/null
[ "$(sqlite3 overwritten.db 'PRAGMA integrity_check' 2>&1 | head -1)" != ok ] ||
    fail "overwriting pages 7-14 did not damage the database"
sum=$(digest overwritten.db)
errs "overwritten pages: run" 3 overwritten.db run --db overwritten.db --rules "$RULES"
unchanged "overwritten pages" overwritten.db "$sum"
note "a database with pages overwritten: run exits 3, 'damaged', unchanged"

cp good.db header.db
printf 'equirule was here, but a disk error wrote this' |
    dd of=header.db conv=notrunc 2>/dev/null
sum=$(digest header.db)
WHY="not an SQLite database|header is damaged"
each_command "damaged header" header.db
errs "damaged header: init" 3 header.db init --db header.db
unchanged "damaged header" header.db "$sum"
note "a database with a damaged header: exit 3, unchanged"

cp "$FIX/not_a_database.txt" text.db
sum=$(digest text.db)
WHY="not an equirule database"
each_command "not SQLite" text.db
errs "not SQLite: init" 3 text.db init --db text.db
unchanged "not SQLite" text.db "$sum"
note "a text file as database: exit 3, unchanged"

: >empty.db
WHY="empty file"
each_command "empty file" empty.db
expect "empty file: size" "$(wc -c <empty.db | tr -d ' ')" 0
note "an empty file as database: exit 3, still empty"

mkdir folder.db
WHY="a folder"
each_command "a folder" folder.db
errs "a folder: init" 3 folder.db init --db folder.db
note "a folder as database: exit 3"

cp good.db newer.db
q newer.db "PRAGMA user_version = 99" >/dev/null
sum=$(digest newer.db)
WHY="newer than this equirule"
each_command "newer schema" newer.db
errs "newer schema: init" 3 newer.db init --db newer.db
unchanged "newer schema" newer.db "$sum"
note "a database of a newer schema version: exit 3, unchanged"

# ---- permissions ---------------------------------------------------------------------

if [ -z "$UNPRIV" ]; then
    note "skipped the read-only file and folder and the unreadable rules and CSV: running as root, and setpriv cannot drop CAP_DAC_OVERRIDE here"
else
    AS=$UNPRIV

    cp good.db readonly.db
    chmod 444 readonly.db
    sum=$(digest readonly.db)
    WHY="read-only"
    errs "read-only file: run" 3 readonly.db run --db readonly.db --rules "$RULES"
    errs "read-only file: import" 3 readonly.db import --db readonly.db fact one.csv
    WHY=""
    ok "read-only file: runs" runs --db readonly.db
    ok "read-only file: report" report --db readonly.db --format md
    unchanged "read-only file" readonly.db "$sum"
    note "a read-only file: run and import exit 3, runs and report read it"

    mkdir rofolder
    cp good.db rofolder/g.db
    chmod 555 rofolder
    sum=$(digest rofolder/g.db)
    WHY="folder .*read-only"
    errs "read-only folder: run" 3 rofolder/g.db run --db rofolder/g.db --rules "$RULES"
    errs "read-only folder: import" 3 rofolder/g.db import --db rofolder/g.db fact one.csv
    WHY=""
    ok "read-only folder: runs" runs --db rofolder/g.db
    ok "read-only folder: report" report --db rofolder/g.db --format json
    ok "read-only folder: export" export --db rofolder/g.db fact
    unchanged "read-only folder" rofolder/g.db "$sum"
    [ ! -e rofolder/g.db-wal ] && [ ! -e rofolder/g.db-shm ] ||
        fail "read-only folder: a -wal or -shm file appeared"
    # a -wal file left beside it, without its -shm: reading it needs one
    chmod 755 rofolder
    "$EQUIRULE_BIN" runs --db rofolder/g.db >/dev/null 2>&1
    rm -f rofolder/g.db-shm
    [ -e rofolder/g.db-wal ] || cp /dev/null rofolder/g.db-wal
    chmod 555 rofolder
    WHY="-shm"
    errs "read-only folder with a -wal file: runs" 3 rofolder/g.db runs --db rofolder/g.db
    note "a read-only folder: run and import exit 3 naming the -wal and -shm files; runs, report and export read it"

    mkdir -p unreadable/health
    cp "$RULES/health/public_health_per_capita.lua" unreadable/health/
    chmod 000 unreadable
    WHY="Permission denied"
    errs "unreadable rules folder: run" 3 unreadable run --db good.db --rules unreadable
    chmod 755 unreadable
    cp -R "$RULES/finance" unreadable/
    chmod 000 unreadable/health/public_health_per_capita.lua
    # one rule file unreadable among others: the others run, the file is
    # named and the exit status says something failed
    WHY="public_health_per_capita.lua: Permission denied"
    errs "an unreadable rule file" 1 public_health_per_capita.lua \
        run --db good.db --rules unreadable --years 2019
    grep -q 'rule file problem' cmd.err || fail "an unreadable rule file: no closing count: $(cat cmd.err)"
    # (finance.performance needs the rules of every department, which
    # this folder does not hold: it is left out, and said so, whatever
    # the unreadable file)
    expect "an unreadable rule file: the other rules ran" \
        "$(q good.db "SELECT count(*) FROM finding WHERE run = (SELECT max(id) FROM run) AND rule LIKE 'finance.%'")" \
        "$(q good.db "SELECT count(*) FROM finding WHERE run = 1 AND year = 2019 AND rule LIKE 'finance.%' AND rule <> 'finance.performance'")"
    good_state=$(state good.db)

    cp one.csv unreadable.csv
    chmod 000 unreadable.csv
    WHY="Permission denied"
    errs "an unreadable CSV" 3 unreadable.csv import --db good.db fact unreadable.csv
    expect "an unreadable CSV: rows" "$(state good.db)" "$good_state"
    note "unreadable rules folder, rule file and CSV: named, exit 3 (1 for one rule file among others)"
    AS=""
fi

# ---- rules folders and CSV files that are not there ---------------------------------

WHY="no such rules folder"
errs "a missing rules folder" 3 nowhere run --db good.db --rules nowhere
mkdir norules
WHY="no rule"
errs "an empty rules folder" 3 norules run --db good.db --rules norules
WHY="not a folder"
errs "a rules folder that is a file" 3 one.csv run --db good.db --rules one.csv
expect "rules folders: rows" "$(state good.db)" "$good_state"

WHY="No such file"
errs "a missing CSV" 3 missing.csv import --db good.db fact missing.csv
WHY="directory"
errs "a folder as CSV" 3 norules import --db good.db fact norules
cp "$FIX/workbook_saved_as.csv" workbook.csv
WHY="workbook.csv:1:[0-9]+: (NUL byte|invalid UTF-8)"
errs "a binary file as CSV" 3 workbook.csv import --db good.db fact workbook.csv
expect "CSV files: rows" "$(state good.db)" "$good_state"
WHY=""
note "missing, empty or wrong rules folders and CSV files: named, exit 3, nothing written"

# ---- regions whose parents loop ------------------------------------------------------

# the import refuses a row that would close a loop, naming line and column
printf 'code,name,name_en,level,parent\n440000,广东省,Guangdong,province,441400\n' >loop.csv
WHY='loop.csv:2:5: parent "441400" leads back to 440000 \(441400 -> 440000\)'
errs "an import that closes a loop of parents" 3 loop.csv \
    import --db good.db --replace region loop.csv
expect "an import that closes a loop: rows" "$(state good.db)" "$good_state"
# a database written by another tool with such a loop: a run says so and
# stops before evaluating (rules walking the tree would never end)
cp good.db loop.db
q loop.db "UPDATE region SET parent = '441400' WHERE code = '440000'" >/dev/null
before=$(state loop.db)
WHY="region 440000: its parents loop \(440000 -> 441400 -> 440000\)"
errs "a run on parents that loop" 3 "parents loop" run --db loop.db --rules "$RULES"
errs "explain on parents that loop" 3 "parents loop" \
    explain health.public_health_per_capita 441400 --db loop.db --rules "$RULES" --year 2019
expect "a run on parents that loop: rows" "$(state loop.db)" "$before"
WHY=""
note "regions whose parents loop: import refuses them (line and column), run and explain stop (exit 3)"

# ---- a full disk: a file size limit swept from small to large ------------------------

# each limit either lets the command finish or makes it exit 3 with a clear
# message and the database whole (the limit stops the database's -wal
# file: a run writes no other file)
sweep() {
    label=$1
    shift
    limit=16
    database=0
    while [ $limit -le 65536 ]; do
        cp good.db full.db
        before=$(state full.db)
        (ulimit -f $limit && exec "$EQUIRULE_BIN" "$@") >cmd.out 2>cmd.err
        got=$?
        if [ $got -eq 0 ] || [ $got -eq 1 ]; then
            break
        fi
        expect "$label, file size limit $limit: exit status ($(cat cmd.err))" $got 3
        grep -E -q 'full|File too large|size limit' cmd.err ||
            fail "$label, file size limit $limit: the message does not say the disk is full: $(cat cmd.err)"
        grep -q 'full.db' cmd.err && database=$((database + 1))
        expect "$label, file size limit $limit: PRAGMA integrity_check" \
            "$(q full.db 'PRAGMA integrity_check')" ok
        expect "$label, file size limit $limit: rows" "$(state full.db)" "$before"
        limit=$((limit * 2))
    done
    [ $limit -le 65536 ] || fail "$label: no limit up to 65536 blocks let it finish"
    note "$label: $database limits stopped the database; whole each time; it finishes at $limit blocks"
}
sweep "run under a file size limit" run --db full.db --rules "$RULES" --years 2018-2020

awk 'BEGIN {
    print "key,name" > "metrics.csv"
    for (m = 0; m < 100; m++) printf "reliability.m%d,m%d\n", m, m > "metrics.csv"
}'
"$EQUIRULE_BIN" import --db good.db metric metrics.csv >/dev/null 2>imp.err ||
    fail "import of metrics.csv: $(cat imp.err)"
q good.db "SELECT code FROM region" |
    awk 'BEGIN { print "region,year,metric,value" }
         { for (y = 2018; y <= 2020; y++)
             for (m = 0; m < 100; m++)
               printf "%s,%d,reliability.m%d,%d\n", $1, y, m, m * 7 + y }' >facts.csv
good_state=$(state good.db)
sweep "import under a file size limit" import --db full.db fact facts.csv

# a full tmpfs, where this machine lets us mount one: 8 MB, room for the
# database and the write-ahead log of one more run once the filler is gone
mkdir small
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=8m tmpfs small 2>/dev/null; then
    mounted=$work/small
    cp good.db small/g.db
    # fill what is left, leaving 64 KB
    avail=$(df -k small | awk 'NR == 2 { print $4 }')
    [ "$avail" -gt 64 ] && head -c $(((avail - 64) * 1024)) /dev/zero >small/filler 2>/dev/null
    before=$(state small/g.db)
    WHY="full"
    errs "a full disk: run" 3 g.db run --db small/g.db --rules "$RULES" --years 2018-2020
    expect "a full disk: PRAGMA integrity_check" "$(q small/g.db 'PRAGMA integrity_check')" ok
    expect "a full disk: rows" "$(state small/g.db)" "$before"
    errs "a full disk: import" 3 g.db import --db small/g.db fact facts.csv
    expect "a full disk: rows after the import" "$(state small/g.db)" "$before"
    # a run writes no temporary file (findings go straight into its
    # transaction, SQLite's scratch stays in memory): a full temporary
    # folder does not stop it
    runs=$(q good.db 'SELECT count(*) FROM run')
    TMPDIR=$work/small "$EQUIRULE_BIN" run --db good.db --rules "$RULES" \
        --years 2018-2020 >cmd.out 2>cmd.err
    expect "a full temporary folder: run ($(cat cmd.err))" "$?" 1
    expect "a full temporary folder: the run and its findings" \
        "$(q good.db "SELECT count(*) FROM run") $(q good.db "SELECT count(*) FROM finding WHERE run = (SELECT max(id) FROM run)")" \
        "$((runs + 1)) 4023"
    rm -f small/filler
    "$EQUIRULE_BIN" run --db small/g.db --rules "$RULES" --years 2018-2020 \
        >/dev/null 2>run.err
    expect "a run once there is room again" "$?" 1
    umount small && mounted=""
    note "a full tmpfs: run and import exit 3 saying the disk is full; whole; a run succeeds once there is room, and with a full temporary folder"
else
    note "skipped the full tmpfs: cannot mount one here (the file size limit sweep above covers a full disk)"
fi

expect "PRAGMA integrity_check at the end" "$(q good.db 'PRAGMA integrity_check')" ok

echo "reliability_damaged: all checks passed"
exit 0
