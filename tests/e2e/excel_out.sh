#!/bin/sh
# excel_out.sh - end to end: `report --format xlsx` and `export --format
# xlsx` write real workbooks, read back here with python3's standard zipfile
# and xml.etree (tests/e2e/xlsx_read.py): the package's parts, the sheets'
# names, header rows, frozen panes and autofilters, the number of rows, and
# the totals (findings, failing, cuts, allocations, to the fen) equal those
# of `report --format json` of the same run; a data table's sheet holds the
# CSV export's columns, rows and values. Without -o a workbook is refused;
# a workbook that cannot be written gives a clear error and leaves no file.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Stops with a message and exit status 1 at
# the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "excel_out: FAILED: $*" >&2
    exit 1
}

command -v python3 >/dev/null || fail "python3 is needed (scripts/setup)"
work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_excel.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"
read_xlsx="python3 $ER_SOURCE_DIR/tests/e2e/xlsx_read.py"

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

# expect WHAT GOT WANT
expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

"$EQUIRULE_BIN" init --sample --db s.db >/dev/null || fail "init --sample"
"$EQUIRULE_BIN" run --db s.db --rules "$ER_SOURCE_DIR/rules" \
    --years 2018-2020 >/dev/null 2>&1
[ $? -le 1 ] || fail "run"

# ---- the report ------------------------------------------------------------

run 'report --format json' 0 "$EQUIRULE_BIN" report --db s.db --format json -o r.json
run 'report -o r.xlsx' 0 "$EQUIRULE_BIN" report --db s.db -o r.xlsx
expect 'report message' "$(cat out)" 'r.xlsx: report of run 1 (xlsx)'
run 'report --format xlsx' 0 "$EQUIRULE_BIN" report --db s.db --format xlsx -o r2.bin
$read_xlsx r.xlsx >r.xlsx.json || fail "r.xlsx does not read back"
$read_xlsx r2.bin >r2.xlsx.json || fail "r2.bin does not read back"
cmp -s r.xlsx.json r2.xlsx.json || fail "--format xlsx and -o .xlsx differ"

python3 - r.json r.xlsx.json <<'EOF' || fail "the workbook of the report"
import json, sys
rep = json.load(open(sys.argv[1]))
book = json.load(open(sys.argv[2]))

def check(what, got, want):
    if got != want:
        sys.exit("excel_out: %s: got %r, expected %r" % (what, got, want))

for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
             "xl/_rels/workbook.xml.rels", "xl/styles.xml",
             "xl/sharedStrings.xml", "docProps/core.xml"]:
    check("part " + part, part in book["parts"], True)
sheets = {s["name"]: s for s in book["sheets"]}
check("sheet names", [s["name"] for s in book["sheets"]],
      ["概要 Summary", "部门 Departments", "地区 Regions", "未通过 Failing",
       "扣减与分配 Cuts & allocations", "全部结果 All findings"])
for s in book["sheets"]:
    check(s["name"] + ": frozen header", s["frozen"], "A2")
    check(s["name"] + ": autofilter", s["autofilter"] is not None, True)
    ct = book["content_types"].get(
        "xl/worksheets/sheet%d.xml" % (book["sheets"].index(s) + 1))
    check(s["name"] + ": content type", ct,
          "application/vnd.openxmlformats-officedocument.spreadsheetml."
          "worksheet+xml")

# the summary: the run's audit data and its totals
summary = {row[0]: row[1:] for row in sheets["概要 Summary"]["rows"][1:]}
run = rep["run"]
check("run id", summary["运行编号 Run"][0], float(run["id"]))
check("status", summary["状态 Status"][0], run["status"])
check("started", summary["开始 Started at"][0], run["started_at"])
check("finished", summary["结束 Finished at"][0], run["finished_at"])
check("rules digest", summary["规则摘要 Rules digest (SHA-256)"][0],
      run["rules_digest"])
check("data digest", summary["数据摘要 Data digest (SHA-256)"][0],
      run["data_digest"])
check("engine", summary["引擎版本 Engine version"][0], run["engine_version"])
check("options", summary["运行命令 Command options"][0], run["options"])
check("findings", summary["结果 Findings"][0],
      float(rep["summary"]["findings"]))
check("failing", summary["未通过 Failing (fail, missing, error)"][0],
      float(rep["summary"]["failing"]))
money = rep["money"]
check("cuts", round(summary["扣减合计 Cuts (元)"][0] * 100), money["cut_fen"])
check("cuts in fen", summary["扣减合计 Cuts (元)"][1],
      "%d 分 fen" % money["cut_fen"])
check("allocations", round(summary["分配合计 Allocations (元)"][0] * 100),
      money["allocation_fen"])
check("rule files", [r[1] for r in sheets["概要 Summary"]["rows"]
                     if r[0] == "规则文件 Rule file"],
      [f["path"] for f in run["rule_files"]])
if money["cut_fen"] == 0 or money["allocation_fen"] == 0:
    sys.exit("excel_out: the sample run has no cut or allocation to compare")

# every finding, and the failing ones, in the report's order
findings = rep["findings"]
heads = ["年度 Year", "部门 Department", "规则 Rule", "标题 Title",
         "地区 Region", "地区名称 Name", "结果 Outcome", "结果 结论",
         "实测 Measured", "要求 Required", "单位 Unit", "金额 Amount (元)",
         "说明 Note"]
allrows = sheets["全部结果 All findings"]["rows"]
check("all findings: header", allrows[0], heads)
check("all findings: rows", len(allrows) - 1, len(findings))
for row, f in zip(allrows[1:], findings):
    check("finding", (row[0], row[2], row[4], row[6]),
          (float(f["year"]), f["rule"], f["region"], f["outcome"]))
failing = [f for f in findings if f["outcome"] in ("fail", "missing", "error")]
failrows = sheets["未通过 Failing"]["rows"]
check("failing: header", failrows[0], heads)
check("failing: rows", len(failrows) - 1, len(failing))
check("failing: rows = summary", len(failrows) - 1,
      rep["summary"]["failing"])

# cuts and allocations: each amount, summed to the fen, = the JSON's
mrows = sheets["扣减与分配 Cuts & allocations"]["rows"]
check("money: header", mrows[0],
      ["年度 Year", "地区 Region", "地区名称 Name", "规则 Rule",
       "结果 Outcome", "金额 Amount (元)", "金额 Amount (分 fen)", "说明 Note"])
cut = sum(int(r[6]) for r in mrows[1:] if r[4] == "cut")
alloc = sum(int(r[6]) for r in mrows[1:] if r[4] == "allocation")
check("money: cuts", cut, money["cut_fen"])
check("money: allocations", alloc, money["allocation_fen"])
for r in mrows[1:]:
    check("money: 元 = fen", round(r[5] * 100), int(r[6]))
fmts = sheets["扣减与分配 Cuts & allocations"]["formats"]
check("money: format", fmts.get("F2"), "#,##0.00")

# departments and regions: their counts add up to the run's
drows = sheets["部门 Departments"]["rows"]
check("departments", [r[0] for r in drows[1:]],
      [d["department"] for d in rep["summary"]["by_department"]])
check("departments: findings", sum(r[3] for r in drows[1:]),
      float(rep["summary"]["findings"]))
grows = sheets["地区 Regions"]["rows"]
h = grows[0]
check("regions: findings", sum(r[h.index("结果 findings")] for r in grows[1:]),
      float(rep["summary"]["findings"]))
check("regions: cuts",
      round(sum(r[h.index("扣减 Cuts (元)")] for r in grows[1:]) * 100),
      money["cut_fen"])
check("regions: allocations",
      round(sum(r[h.index("分配 Allocations (元)")] for r in grows[1:]) * 100),
      money["allocation_fen"])
EOF

# ---- a data table ------------------------------------------------------------

for t in region fact; do
    run "export $t csv" 0 "$EQUIRULE_BIN" export --db s.db $t -o $t.csv
    run "export $t xlsx" 0 "$EQUIRULE_BIN" export --db s.db --format xlsx -o $t.x $t
    expect "export $t message" "$(cat out)" \
        "$t.x: $(($(wc -l <$t.csv) - 1)) rows of $t"
    $read_xlsx $t.x >$t.x.json || fail "$t.x does not read back"
    python3 - $t $t.csv $t.x.json <<'EOF' || fail "the workbook of $t"
import csv, json, sys
table = sys.argv[1]
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
book = json.load(open(sys.argv[3]))
if [s["name"] for s in book["sheets"]] != [table]:
    sys.exit("excel_out: sheets %r" % [s["name"] for s in book["sheets"]])
sheet = book["sheets"][0]
got = sheet["rows"]
if sheet["frozen"] != "A2" or sheet["autofilter"] is None:
    sys.exit("excel_out: %s: no frozen header or autofilter" % table)
if got[0] != rows[0]:
    sys.exit("excel_out: %s header %r != %r" % (table, got[0], rows[0]))
if len(got) != len(rows):
    sys.exit("excel_out: %s: %d rows != %d" % (table, len(got), len(rows)))
for i, (g, w) in enumerate(zip(got[1:], rows[1:]), 2):
    g = g + [None] * (len(w) - len(g))
    for j, (a, b) in enumerate(zip(g, w)):
        if b == "":
            ok = a is None
        elif isinstance(a, float):
            ok = a == float(b)  # a number as a number, to the last bit
        else:
            ok = a == b  # text as text
        if not ok:
            sys.exit("excel_out: %s row %d column %d: %r != %r"
                     % (table, i, j + 1, a, b))
# numbers as numbers, text as text (a code of digits stays text)
types = {"region": {"code": str, "name": str, "tier": float},
         "fact": {"region": str, "year": float, "metric": str,
                  "value": float}}[table]
for name, want in types.items():
    j = rows[0].index(name)
    for g in got[1:]:
        if len(g) > j and g[j] is not None and not isinstance(g[j], want):
            sys.exit("excel_out: %s.%s: %r is not %s"
                     % (table, name, g[j], want.__name__))
EOF
done
grep -q '梅州市' region.x.json || fail "the region names in the workbook"

# ---- refusals and failures -------------------------------------------------

run 'xlsx without -o' 2 "$EQUIRULE_BIN" report --db s.db --format xlsx
expect 'xlsx without -o' "$(head -1 err)" \
    'equirule: --format xlsx writes a workbook to a file: give -o FILE.xlsx'
run 'xlsx to standard output' 2 "$EQUIRULE_BIN" export --db s.db --format xlsx -o - fact
expect 'export xlsx to -' "$(head -1 err)" \
    'equirule: --format xlsx writes a workbook to a file: give -o FILE.xlsx'
run 'xlsx --compare' 2 "$EQUIRULE_BIN" report --db s.db --compare 1 1 --format xlsx -o c.xlsx
run 'export --format ods' 2 "$EQUIRULE_BIN" export --db s.db --format ods fact
expect 'export --format ods' "$(head -1 err)" "equirule: format 'ods': csv or xlsx"

before=$(ls | sort)
run 'report into a missing folder' 3 "$EQUIRULE_BIN" report 1 --db s.db -o no/such/r.xlsx
expect 'missing folder' "$(cat err)" \
    'equirule: no/such/r.xlsx: No such file or directory'
mkdir d.xlsx
run 'report onto a folder' 2 "$EQUIRULE_BIN" report 1 --db s.db -o d.xlsx
expect 'onto a folder' "$(cat err)" 'equirule: d.xlsx is a folder: name the file to write'
rmdir d.xlsx
run 'report onto the database' 2 "$EQUIRULE_BIN" report --db s.db -o s.db --format xlsx
run 'export of an unknown table' 2 "$EQUIRULE_BIN" export --db s.db -o t.xlsx nosuch
[ ! -e t.xlsx ] || fail "an unknown table left t.xlsx"
run 'report of a missing run' 3 "$EQUIRULE_BIN" report 99 --db s.db -o m.xlsx
[ ! -e m.xlsx ] || fail "a missing run left m.xlsx"
expect 'no partial files' "$(ls | sort)" "$before"

# a partial run's workbook says so on its first sheet, right under the run
cp s.db p.db
"$EQUIRULE_BIN" run --db p.db --rules "$ER_SOURCE_DIR/rules" --region 梅州 \
    --year 2020 >/dev/null 2>&1
[ $? -le 1 ] || fail "run --region 梅州"
run 'report of a partial run' 0 "$EQUIRULE_BIN" report 2 --db p.db -o p.xlsx
$read_xlsx p.xlsx >p.xlsx.json || fail "p.xlsx does not read back"
expect 'partial run row' "$(python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["sheets"][0]["rows"]
print(rows[1][0], "|", rows[2][0], "|", rows[2][1])
' p.xlsx.json)" "运行编号 Run | 部分运行 Partial run | region 441400 梅州市"
$read_xlsx r.xlsx | grep -q '部分运行' && fail "a full run's workbook says partial"

# killed while the workbook is written: the named file never appears
if EQUIRULE_FAULT=kill:xlsx "$EQUIRULE_BIN" report --db s.db -o k.xlsx \
    >/dev/null 2>&1; then
    fail "kill:xlsx did not stop the report"
fi
[ ! -e k.xlsx ] || fail "a killed report left k.xlsx"

echo "excel_out: the workbooks read back as expected"
exit 0
