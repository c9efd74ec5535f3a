#!/bin/sh
# item_list.sh - end to end: the public service list's texts of an item
# (schema 14: served 服务对象, content 服务内容, responsibility 支出责任,
# lead 牵头负责单位) go in and out of the item table like its other
# columns. The sample holds them for all 18 items; `export item` writes
# them and its file imports back unchanged, into the same database and
# into a new one (the same export twice); an item file without them (the
# columns before schema 14) still imports, and with --replace empties
# them, saying so, kept in the history; the sample's file saved as GBK reads as its
# UTF-8 self; a text with a line break, a tab or a lone CR, or longer
# than 4,000 characters, is refused at its file:line:column and nothing is
# imported; blanks around a text are trimmed.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell and
# iconv and python3. Stops with a message and exit status 1 at the first
# failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "item_list: FAILED: $*" >&2
    exit 1
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"
command -v iconv >/dev/null 2>&1 || fail "iconv is not installed"
command -v python3 >/dev/null 2>&1 || fail "python3 is not installed"

E=$EQUIRULE_BIN
SAMPLE=$ER_SOURCE_DIR/data/sample/item.csv
work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_item_list.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

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

q() {
    sqlite3 -batch -noheader s.db "$1" 2>&1 || fail "sqlite3: $1"
}

HEADER=code,category,name,department,unit,beneficiary_metric,served,content,responsibility,lead

# ---- the sample --------------------------------------------------------------

run 'init --sample' 0 "$E" init --sample --db s.db
expect "the sample's items with all four texts" \
    "$(q "SELECT count(*) FROM item WHERE served <> '' AND content <> ''
          AND responsibility <> '' AND lead <> ''")" 18
expect "the lead departments" \
    "$(q "SELECT lead, count(*) FROM item GROUP BY lead ORDER BY lead")" \
    "$(printf '%s\n' '省人力资源社会保障厅|2' '省住房城乡建设厅|1' \
        '省医疗保障局|2' '省卫生健康委|2' '省教育厅|8' '省民政厅|2' \
        '省民政厅、省残联|1' | LC_ALL=C sort)"
expect "no English or codes in the texts" \
    "$(q "SELECT count(*) FROM item WHERE served GLOB '*[A-Za-z]*' OR
          content GLOB '*[A-Za-z]*' OR responsibility GLOB '*[A-Za-z]*' OR
          lead GLOB '*[A-Za-z]*'")" 0

# ---- export and import back ---------------------------------------------------

run 'export item' 0 "$E" export item --db s.db -o item.csv
expect "export item: header" "$(head -n 1 item.csv)" "$HEADER"
expect "export item: rows" "$(wc -l <item.csv | tr -d ' ')" 19
expect "export item: the rows of the sample's file, in code order" \
    "$(tail -n +2 item.csv)" "$(tail -n +2 "$SAMPLE" | LC_ALL=C sort)"
expect "export item: 残疾人服务" "$(grep '^assist.disability,' item.csv)" \
    "assist.disability,基本生活救助,残疾人服务,civil_affairs,元,assist.disability.recipients,困难残疾人和重度残疾人,发放困难残疾人生活补贴和重度残疾人护理补贴,省与市县共同财政事权，省级按因素法安排补助资金，其余由市县承担,省民政厅、省残联"

run 'import the export --replace' 0 "$E" import item item.csv --replace --db s.db
grep -q "18 rows already in the database, unchanged" out ||
    fail "the export does not import back unchanged: $(cat out)"

# into a new database: the same export
run 'init n.db' 0 "$E" init --db n.db
run 'export metric' 0 "$E" export metric --db s.db -o metric.csv
run 'import metric into n.db' 0 "$E" import metric metric.csv --db n.db
run 'import item into n.db' 0 "$E" import item item.csv --db n.db
grep -q "18 rows: 18 added" out || fail "import into n.db: $(cat out)"
run 'export item of n.db' 0 "$E" export item --db n.db -o item-n.csv
cmp -s item.csv item-n.csv ||
    fail "the export of the new database differs: $(diff item.csv item-n.csv | head -5)"

# ---- an item file without the texts -----------------------------------------------

cut -d, -f1-6 "$SAMPLE" >old.csv
expect "old.csv: the columns before schema 14" "$(head -n 1 old.csv)" \
    code,category,name,department,unit,beneficiary_metric
run 'init o.db' 0 "$E" init --db o.db
run 'import metric into o.db' 0 "$E" import metric metric.csv --db o.db
run 'import the old item file into o.db' 0 "$E" import item old.csv --db o.db
run 'export item of o.db' 0 "$E" export item --db o.db -o item-o.csv
expect "old file: header of the export" "$(head -n 1 item-o.csv)" "$HEADER"
expect "old file: texts empty" "$(grep -c ',,,,$' item-o.csv)" 18

# over the sample: unchanged without --replace, texts emptied with it
run 'import the old item file' 0 "$E" import item old.csv --db s.db
grep -q "18 rows already in the database, unchanged" out ||
    fail "the old file over the sample: $(cat out)"
expect "old file without --replace: texts kept" \
    "$(q "SELECT count(*) FROM item WHERE lead IS NOT NULL")" 18
run 'import the old item file --replace' 0 "$E" import item old.csv --replace \
    --db s.db
expect "the old file --replace over the sample: what it says" "$(cat out)" \
    'old.csv: read as UTF-8, 18 rows: 0 added, 18 replaced
old.csv: the file has no column served, content, responsibility, lead: 18 replaced rows that held a value there are now empty (the values before are kept: `equirule log`)'
expect "old file --replace: texts empty" \
    "$(q "SELECT count(*) FROM item WHERE lead IS NOT NULL")" 0
expect "old file --replace: the texts are in the history" \
    "$(q "SELECT count(*) FROM item_history WHERE lead IS NOT NULL AND
          ended = (SELECT max(id) FROM data_version)")" 18
run 'import the export again' 0 "$E" import item item.csv --replace --db s.db
run 'export item after restoring' 0 "$E" export item --db s.db -o item-r.csv
cmp -s item.csv item-r.csv || fail "the texts did not come back"

# ---- the sample's file as GBK (a spreadsheet saved on Chinese Windows) -----

iconv -f UTF-8 -t GBK "$SAMPLE" >gbk.csv || fail "iconv to GBK"
run 'import the GBK file --replace' 0 "$E" import item gbk.csv --replace \
    --db s.db
grep -q "read as GB18030" out ||
    fail "the GBK file is not read as GB18030: $(cat out err)"
grep -q "18 rows already in the database, unchanged" out ||
    fail "the GBK file does not read as the UTF-8 one: $(cat out err)"

# ---- a bad text ----------------------------------------------------------------

{
    echo "$HEADER"
    echo 'edu.textbooks,义务教育,免费提供教科书,education,元/生·年,edu.textbooks.pupils,义务教育阶段在校学生,"免费提供国家规定课程教科书'
    echo '免费提供学生字典",省与市县共同财政事权,省教育厅'
    printf 'assist.hardship,基本生活救助,困难群众救助,civil_affairs,元/人·年,assist.hardship.beneficiaries,最低生活保障对象\t,按月发放最低生活保障金,省与市县共同财政事权,省民政厅\n'
} >bad.csv
before=$(q "SELECT group_concat(content, '|') FROM item")
run 'import of a bad text' 3 "$E" import item bad.csv --replace --db s.db
expect "bad text: stderr" "$(cat err)" "bad.csv:2:8: content \"免费提供国家规定课程教科书\\n...\" holds the control character U+000A; text may not hold control characters (tabs, line breaks)
bad.csv:4:7: served \"最低生活保障对象\\x09\" holds the control character U+0009; text may not hold control characters (tabs, line breaks)
equirule: bad.csv (read as UTF-8): 2 errors; nothing was imported into item"
expect "bad text: nothing imported" \
    "$(q "SELECT group_concat(content, '|') FROM item")" "$before"

# a text of 200,000 characters (Excel holds 32,767 in a cell), a lone CR
# inside quotes: refused, located, nothing imported
{
    echo "$HEADER"
    printf 'edu.textbooks,义务教育,免费提供教科书,education,元/生·年,edu.textbooks.pupils,义务教育阶段在校学生,'
    python3 -c 'print("字" * 200000, end="")'
    echo ',省与市县共同财政事权,省教育厅'
    printf 'assist.hardship,基本生活救助,困难群众救助,civil_affairs,元/人·年,assist.hardship.beneficiaries,"最低生活保障对象\r",按月发放最低生活保障金,省与市县共同财政事权,省民政厅\n'
} >long.csv
run 'import of a long text and a CR' 3 "$E" import item long.csv --replace \
    --db s.db
expect "long text and CR: stderr" "$(cat err)" "long.csv:2:8: content \"字字字字字字字字字字字字字...\" is 200000 characters long; a text may hold at most 4000 characters
long.csv:3:7: served \"最低生活保障对象\\r\" holds the control character U+000D; text may not hold control characters (tabs, line breaks)
equirule: long.csv (read as UTF-8): 2 errors; nothing was imported into item"
expect "long text: nothing imported" \
    "$(q "SELECT group_concat(content, '|') FROM item")" "$before"

# blanks around a text (spaces, 全角空格 U+3000) are trimmed, as around a
# code or a number
{
    echo "$HEADER"
    echo 'edu.textbooks,义务教育,免费提供教科书,education,元/生·年,edu.textbooks.pupils,  义务教育阶段在校学生　," 免费提供国家规定课程教科书 ",省与市县共同财政事权,省教育厅 '
} >blanks.csv
run 'import of texts with blanks around' 0 "$E" import item blanks.csv \
    --replace --db s.db
expect "blanks trimmed" \
    "$(q "SELECT '[' || served || '|' || content || '|' || lead || ']'
          FROM item WHERE code = 'edu.textbooks'")" \
    "[义务教育阶段在校学生|免费提供国家规定课程教科书|省教育厅]"

echo "item_list: ok"
