#!/bin/sh
# import_cli.sh - end to end: what `equirule import` and `init` say on the
# command line about the files and database names they are given: an empty
# database name (--db "" or EQUIRULE_DB="") is a usage error that creates
# nothing; the encoding a file was read in is named on success, on a dry
# run and with errors; a file that reads both as UTF-8 and as GBK is
# refused until --encoding decides; a GBK file made with iconv imports as
# its UTF-8 twin; the spreadsheet habits (blank rows, empty columns,
# percents, thousands separators, regions in any order) import or fail as
# docs/administrators.md says.
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

# ---- encodings ------------------------------------------------------------

enc=$ER_SOURCE_DIR/tests/fixtures/import/encoding

# 农业原值 saved by Excel as GBK, whose bytes are also valid UTF-8
cp "$enc/metric_gbk_valid_utf8.csv" gbk.csv
run 'import --dry-run of the GBK file' 0 \
    "$EQUIRULE_BIN" import --db t.db --dry-run metric gbk.csv
expect 'dry run message' "$(cat out)" \
    'gbk.csv: read as GB18030, 2 rows checked (dry run, nothing changed): 2 would be added, 0 would be replaced'
run 'import of the GBK file' 0 "$EQUIRULE_BIN" import --db t.db metric gbk.csv
expect 'GBK message' "$(cat out)" 'gbk.csv: read as GB18030, 2 rows: 2 added, 0 replaced'
expect 'GBK names' "$(sqlite3 -batch t.db "SELECT group_concat(name, ' ') FROM (SELECT name FROM metric ORDER BY key)")" \
    '农业 农业原值'

# its UTF-8 twin
cp "$enc/metric_utf8_twin.csv" utf8.csv
run 'import of the UTF-8 twin' 0 \
    "$EQUIRULE_BIN" import --db t.db --replace metric utf8.csv
# the same rows as the GBK file's: replacing them writes nothing
expect 'UTF-8 message' "$(cat out)" 'utf8.csv: read as UTF-8, 2 rows: 0 added, 0 replaced
utf8.csv: 2 rows already in the database, unchanged (not imported)'

# export stays UTF-8
run 'export' 0 "$EQUIRULE_BIN" export --db t.db metric -o out.csv
grep -q '^agri.output,农业原值,元,agriculture' out.csv || fail "export is not UTF-8"

# bytes that read both ways: refused until --encoding decides
cp "$enc/metric_ambiguous.csv" both.csv
run 'import of an ambiguous file' 3 "$EQUIRULE_BIN" import --db t.db metric both.csv
expect 'ambiguous file' "$(head -1 err)" \
    'both.csv: cannot tell whether the file is UTF-8 or GBK: read as UTF-8 it gives "Zürich" (1 of 1 characters common in Chinese text), read as GBK/GB18030 "Z眉rich" (1 of 1); give --encoding utf-8 or --encoding gbk'
run 'import --encoding utf-8' 0 \
    "$EQUIRULE_BIN" import --db t.db --encoding UTF-8 metric both.csv
expect '--encoding utf-8' "$(cat out)" 'both.csv: read as UTF-8, 1 row: 1 added, 0 replaced'
run 'import --encoding gbk' 0 \
    "$EQUIRULE_BIN" import --db t.db --encoding gbk --dry-run --replace metric both.csv
expect '--encoding gbk' "$(cat out)" \
    'both.csv: read as GB18030, 1 row checked (dry run, nothing changed): 0 would be added, 1 would be replaced'
run 'import --encoding latin1' 2 \
    "$EQUIRULE_BIN" import --db t.db --encoding latin1 metric both.csv
expect '--encoding latin1' "$(head -1 err)" \
    "equirule: unknown encoding 'latin1'; --encoding takes utf-8, gbk or gb18030"

# errors in a GBK file: the file's lines and columns, the encoding named
"$EQUIRULE_BIN" init --sample --db s.db >/dev/null || fail "init --sample"
run 'import of a GBK file with errors' 3 \
    "$EQUIRULE_BIN" import --db s.db fact "$enc/fact_gbk_bad_value.csv"
expect 'GBK errors' "$(sed -n 1p err)" \
    "$enc/fact_gbk_bad_value.csv:3:4: value \"1300万\" is not a number"
expect 'GBK errors footer' "$(sed -n 3p err)" \
    "equirule: $enc/fact_gbk_bad_value.csv (read as GB18030): 2 errors; nothing was imported into fact"


# a GBK file made with iconv from a UTF-8 file with Chinese names imports
# exactly as its UTF-8 twin: the exports of the two databases are equal
command -v iconv >/dev/null || fail "iconv is needed"
printf 'code,name,name_en,level,parent,zone,tier\n441400,梅州市,Meizhou,city,440000,north,3\n441402,梅江区,Meijiang,county,441400,,\n441481,兴宁市,Xingning,county,441400,,\n' >twin_utf8.csv
iconv -f UTF-8 -t GBK twin_utf8.csv >twin_gbk.csv || fail "iconv"
cmp -s twin_utf8.csv twin_gbk.csv && fail "iconv left the file as it was"
for e in utf8 gbk; do
    "$EQUIRULE_BIN" init --db twin_$e.db >/dev/null || fail "init twin_$e.db"
    printf 'code,name,level\n440000,广东省,province\n' >prov.csv
    "$EQUIRULE_BIN" import --db twin_$e.db region prov.csv >/dev/null ||
        fail "import prov.csv"
    run "import of twin_$e.csv" 0 \
        "$EQUIRULE_BIN" import --db twin_$e.db region twin_$e.csv
    cp out twin_$e.msg
    "$EQUIRULE_BIN" export --db twin_$e.db region -o twin_$e.out ||
        fail "export twin_$e.db"
done
expect 'UTF-8 twin message' "$(cat twin_utf8.msg)" 'twin_utf8.csv: read as UTF-8, 3 rows: 3 added, 0 replaced'
expect 'GBK twin message' "$(cat twin_gbk.msg)" 'twin_gbk.csv: read as GB18030, 3 rows: 3 added, 0 replaced'
cmp -s twin_utf8.out twin_gbk.out ||
    fail "the GBK twin exports differently: $(diff twin_utf8.out twin_gbk.out)"
grep -q '^441402,梅江区,Meijiang,county,441400' twin_gbk.out ||
    fail "the GBK twin's names: $(cat twin_gbk.out)"

# ---- spreadsheet habits ---------------------------------------------------

fx=$ER_SOURCE_DIR/tests/fixtures/import
"$EQUIRULE_BIN" init --db h.db >/dev/null || fail "init h.db"
"$EQUIRULE_BIN" import --db h.db region prov.csv >/dev/null || fail "prov.csv"
cp "$fx/region_blank_rows.csv" blank.csv
run 'import with blank rows' 0 "$EQUIRULE_BIN" import --db h.db region blank.csv
expect 'blank rows message' "$(cat out)" \
    'blank.csv: read as UTF-8, 2 rows: 2 added, 0 replaced; 4 blank rows skipped'
cp "$fx/region_any_order.csv" order.csv
run 'regions children first' 0 "$EQUIRULE_BIN" import --db h.db --replace region order.csv
expect 'regions in any order' "$(cat out)" \
    'order.csv: read as UTF-8, 3 rows: 1 added, 1 replaced
order.csv: the file has no column zone, tier: 1 replaced row that held a value there is now empty (the value before is kept: `equirule log`)
order.csv: 1 row already in the database, unchanged (not imported)'
cp "$fx/region_value_under_empty_column.csv" under.csv
run 'a value under an empty column' 3 "$EQUIRULE_BIN" import --db h.db --replace region under.csv
expect 'value under an empty column' "$(head -1 err)" \
    'under.csv:3:6: "note" under a column with no name; name the column in the header or empty the cell'
printf 'key,name,kind\nedu.enrol_rate,入学率,ratio\nedu.spend,教育支出,money\n' >m.csv
"$EQUIRULE_BIN" import --db h.db metric m.csv >/dev/null || fail "m.csv"
printf 'region,year,metric,value\n440500,2019,edu.enrol_rate,70%%\n440500,2019,edu.spend,"1,234,567.50"\n' >pct.csv
run 'percent and thousands' 0 "$EQUIRULE_BIN" import --db h.db fact pct.csv
expect 'percent and thousands values' \
    "$(sqlite3 -batch h.db "SELECT group_concat(value, ' ') FROM (SELECT value FROM fact ORDER BY metric)")" \
    '0.7 1234567.5'
printf 'region,year,metric,value\n440500,2020,edu.spend,70%%\n' >pct_money.csv
run 'percent for money' 3 "$EQUIRULE_BIN" import --db h.db fact pct_money.csv
expect 'percent for money' "$(head -1 err)" \
    'pct_money.csv:2:4: 70% for metric edu.spend (kind money): a percent is accepted only for ratio and rate metrics'

echo "import_cli: every message as expected"
exit 0
