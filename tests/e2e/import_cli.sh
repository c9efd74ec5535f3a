#!/bin/sh
# import_cli.sh - end to end: what `equirule import` and `init` say on the
# command line about the files and database names they are given: an empty
# database name (--db "" or EQUIRULE_DB="") is a usage error that creates
# nothing.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Stops with a message and exit status 1 at
# the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "import_cli: FAILED: $*" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_import.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

# expect WHAT GOT WANT
expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# run WHAT STATUS COMMAND...: runs the command (output in out, err) and
# checks its exit status
run() {
    what=$1 want=$2
    shift 2
    "$@" >out 2>err
    got=$?
    [ "$got" -eq "$want" ] ||
        fail "$what: exit status $got, expected $want: $(cat out err)"
}

# ---- an empty database name -----------------------------------------------

empty_msg='equirule: the database file name is empty (--db "" or an empty EQUIRULE_DB); name the file, e.g. --db equirule.db'
run 'init --db ""' 2 "$EQUIRULE_BIN" init --db ""
expect 'init --db "": stderr' "$(cat err)" "$empty_msg"
expect 'init --db "": stdout' "$(cat out)" ""
expect 'init --db "": files created' "$(ls -A)" "$(printf 'err\nout')"

run 'init with EQUIRULE_DB=""' 2 env EQUIRULE_DB= "$EQUIRULE_BIN" init
expect 'EQUIRULE_DB="": stderr' "$(cat err)" "$empty_msg"
[ ! -e equirule.db ] || fail 'EQUIRULE_DB="" created equirule.db'

"$EQUIRULE_BIN" init --db t.db >/dev/null || fail "init --db t.db"
printf 'code,name,level\n440000,广东省,province\n' >region.csv
run 'import --db ""' 2 "$EQUIRULE_BIN" import --db "" region region.csv
expect 'import --db "": stderr' "$(cat err)" "$empty_msg"
run 'runs with EQUIRULE_DB=""' 2 env EQUIRULE_DB= "$EQUIRULE_BIN" runs
expect 'runs with EQUIRULE_DB="": stderr' "$(cat err)" "$empty_msg"

echo "import_cli: every message as expected"
exit 0
