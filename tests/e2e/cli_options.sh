#!/bin/sh
# cli_options.sh - end to end: a single-valued option given twice is a
# usage error (exit 2) that names the option and both values, for every
# command; the repeatable ones (report --region/--dept/--rule, run --dept,
# --set) still repeat; -o's extension picks the format whatever its case
# (report -o R.XLSX writes a workbook, export -o F.XLSX too).
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Stops with a message and exit status 1 at
# the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "cli_options: FAILED: $*" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_cli_options.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

export EQUIRULE_RULES="$ER_SOURCE_DIR/rules" EQUIRULE_DB="$work/s.db"
B=$EQUIRULE_BIN

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

runs() {
    sqlite3 -batch s.db "SELECT count(*) FROM run"
}

"$B" init --sample --db s.db >/dev/null 2>&1 || fail "init --sample"
before=$(runs)

# ---- run: nothing is evaluated, nothing is stored --------------------------

run 'run --region twice' 2 "$B" run --year 2020 --region Meizhou --region 440300 -j1
expect 'run --region twice: stderr' "$(head -1 err)" \
    'equirule: --region given twice (Meizhou, then 440300): run takes it once'
expect 'run --region twice: stdout' "$(cat out)" ''
run 'run --rule twice' 2 "$B" run --year 2020 --rule finance.subsidy_cut \
    --rule health.public_health_per_capita
expect 'run --rule twice' "$(head -1 err)" \
    'equirule: --rule given twice (finance.subsidy_cut, then health.public_health_per_capita): run takes it once'
run 'run --year twice' 2 "$B" run --year 2020 --year 2019
expect 'run --year twice' "$(head -1 err)" \
    'equirule: --year given twice (2020, then 2019): run takes it once; for several years give --years FROM-TO'
run 'run --year and --years' 2 "$B" run --year 2020 --years 2018-2019
expect 'run --year and --years' "$(head -1 err)" \
    'equirule: --year 2020 and --years 2018-2019 both given: run takes it once; for several years give --years FROM-TO'
run 'run -j and --jobs' 2 "$B" run --year 2020 -j1 --jobs 2
expect 'run -j and --jobs' "$(head -1 err)" \
    'equirule: --jobs given twice (1, then 2): run takes it once'
run 'run --db twice' 2 "$B" run --db s.db --db other.db --year 2020
expect 'run --db twice' "$(head -1 err)" \
    'equirule: --db given twice (s.db, then other.db): run takes it once'
[ ! -e other.db ] || fail 'run --db twice created other.db'
expect 'runs stored by refused runs' "$(runs)" "$before"

# --dept and --set repeat, as documented
run 'run --dept twice (exit 1: findings fail)' 1 "$B" run --year 2020 --dept health --dept finance -j1
expect 'run --dept twice: scope' \
    "$(sqlite3 -batch s.db "SELECT options LIKE '%--dept health --dept finance%' FROM run ORDER BY id DESC LIMIT 1")" 1

# ---- the other commands' single-valued options ------------------------------

run 'report --year twice' 2 "$B" report --year 2018 --year 2019
expect 'report --year twice' "$(head -1 err)" \
    'equirule: --year given twice (2018, then 2019): report takes it once'
run 'report -o twice' 2 "$B" report -o a.html -o b.html
expect 'report -o twice' "$(head -1 err)" \
    'equirule: --output given twice (a.html, then b.html): report takes it once'
[ ! -e a.html ] && [ ! -e b.html ] || fail 'report -o twice wrote a file'
run 'report --format twice' 2 "$B" report --format json --format csv
run 'report --outcome twice (repeatable)' 0 "$B" report --format json --outcome fail --outcome cut -o o.json
run 'template --year twice' 2 "$B" template --year 2020 --year 2019 -o t.csv
expect 'template --year twice' "$(head -1 err)" \
    'equirule: --year given twice (2020, then 2019): template takes it once; for several years give --years FROM-TO'
[ ! -e t.csv ] || fail 'template --year twice wrote t.csv'
run 'template --level twice' 2 "$B" template --year 2020 --level city --level county
run 'explain --year twice' 2 "$B" explain --year 2019 --year 2020 \
    finance.subsidy_cut 440300
expect 'explain --year twice' "$(head -1 err)" \
    'equirule: --year given twice (2019, then 2020): explain takes it once'
run 'check --year twice' 2 "$B" check --year 2019 --year 2020
run 'export -o twice' 2 "$B" export fact -o a.csv -o b.csv
run 'import --encoding twice' 2 "$B" import fact x.csv --encoding gbk --encoding utf-8
run 'runs --format twice' 2 "$B" runs --format json --format text

# report's --region, --dept and --rule repeat, as documented
run 'report --region twice' 0 "$B" report --format json --region 梅州 --region 深圳 -o r.json
grep -q '"region"' r.json || fail 'report --region twice: no filter in the JSON'

# ---- -o: the extension picks the format whatever its case ------------------

run 'report -o R.XLSX' 0 "$B" report -o R.XLSX
expect 'report -o R.XLSX: a workbook' "$(head -c 2 R.XLSX)" 'PK'
run 'report -o R.JSON' 0 "$B" report -o R.JSON
expect 'report -o R.JSON: JSON' "$(head -c 1 R.JSON)" '{'
run 'report -o R.Html' 0 "$B" report -o R.Html
grep -q '<html' R.Html || fail 'report -o R.Html: not HTML'
run 'export -o F.XLSX' 0 "$B" export fact -o F.XLSX
expect 'export -o F.XLSX: a workbook' "$(head -c 2 F.XLSX)" 'PK'
run 'export -o F.CSV' 0 "$B" export fact -o F.CSV
expect 'export -o F.CSV: CSV' "$(head -c 6 F.CSV)" 'region'

echo "cli_options: ok"
