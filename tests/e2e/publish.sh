#!/bin/sh
# publish.sh - end to end: `equirule publish`, the basic public service list
# (基本公共服务清单). Builds the built-in sample and writes the list of the
# province and of 梅州市 (441400) in every format (csv, md, xlsx, html),
# then reads each back: CSV with python3's csv module, the Markdown table,
# the workbook with tests/e2e/xlsx_read.py and the HTML page as headless
# Chromium renders it (--dump-dom). Checked: the heading, 18 items in the
# item table's order under their categories, every item's texts, known
# standards (城乡居民基础养老金: national 88 元/人·月 to 2019 and 93 in
# 2020, provincial 148 in 2018 and 170 from 2019, the higher one marked;
# 深圳市's own 360 in 2020), the provincial shares of the tiers and 梅州市's
# (第一档: 70%/30%) with its city-county split (30%/70%, 40%/60% for
# 公用经费保障), every format saying the same, and no code, key or English
# word in the rendered page. An unknown region, a year without data, a
# bad format and an -o FILE whose extension names no format or another one
# than --format (x.pdf, x.xls, --format html -o x.xlsx) are usage errors
# (exit 2) that write nothing. Items without the list's texts (a database
# upgraded to schema 14) are published with "—" and a warning on stderr
# saying how many lack which text and how to fill them in; exit status 0.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree; CHROMIUM (optional), the browser to use.
# When no Chromium is installed, every other check runs and the test exits
# 77 (ctest: skipped) at the end, saying so. Any failure is exit status 1.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "publish: FAILED: $*" >&2
    exit 1
}

command -v python3 >/dev/null || fail "python3 is needed (scripts/setup)"
work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_publish.XXXXXX") ||
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

# expect_line WHAT GOT WANT
expect_line() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

"$EQUIRULE_BIN" init --sample --db s.db >/dev/null || fail "init --sample"
pub() { "$EQUIRULE_BIN" publish --db s.db "$@"; }

# ---- every format, province and city ----------------------------------------

for who in province city; do
    if [ $who = city ]; then set -- --region 441400; else set --; fi
    for f in csv md xlsx html; do
        run "publish $who $f" 0 pub "$@" --year 2020 -o "$who.$f"
        [ -s "$who.$f" ] || fail "publish $who $f wrote nothing"
        if [ $who = city ]; then name=梅州市; else name=广东省; fi
        grep -q "^$who.$f: ${name}基本公共服务清单（2020年） ($f)\$" out ||
            fail "publish $who $f does not say what it wrote: $(cat out)"
    done
done
# the default year is the latest with data and standards in force (2020),
# the default format html
run "publish, defaults" 0 pub
cmp -s out province.html || fail "publish without options differs from " \
    "--year 2020 --format html"
run "publish --excel" 0 pub --region 梅州 --format csv --excel
[ "$(head -c 3 out | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
    fail "--excel: no byte order mark"
for y in 2018 2019; do
    run "publish $y" 0 pub --year $y --format csv -o "province$y.csv"
done
run "publish 深圳市" 0 pub --region 深圳市 --format csv -o shenzhen.csv
run "publish a county" 0 pub --region 441402 --format csv -o county.csv

# ---- the lists read back ---------------------------------------------------------

$read_xlsx province.xlsx >province.xlsx.json || fail "province.xlsx unreadable"
$read_xlsx city.xlsx >city.xlsx.json || fail "city.xlsx unreadable"

python3 - <<'EOF' || fail "the lists do not hold what they should (above)"
import csv, json, re, sys

HEAD = ["序号", "服务类别", "服务项目", "服务对象", "服务内容", "服务标准",
        "支出责任", "牵头负责单位"]
CATEGORIES = ["义务教育"] * 4 + ["学生资助"] * 4 + ["基本就业服务",
              "基本养老保险", "基本医疗保障", "基本医疗保障", "基本卫生计生",
              "基本卫生计生", "基本生活救助", "基本生活救助", "基本生活救助",
              "基本住房保障"]
PENSION = "城乡居民基本养老保险补助"
errors = []

def check(cond, what):
    if not cond:
        errors.append(what)

def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    check(rows[0] == HEAD, f"{path}: header {rows[0]}")
    return rows[1:]

def by_name(rows):
    return {r[2]: r for r in rows}

def lines(cell):
    return cell.split("\n")

def common(path, rows):
    check(len(rows) == 18, f"{path}: {len(rows)} items, expected 18")
    check([r[0] for r in rows] == [str(i) for i in range(1, 19)],
          f"{path}: numbers {[r[0] for r in rows]}")
    check([r[1] for r in rows] == CATEGORIES,
          f"{path}: categories {[r[1] for r in rows]}")
    check(rows[0][2] == "公用经费保障" and rows[17][2] == "城乡保障性安居工程",
          f"{path}: items not in the item table's order")
    for r in rows:
        for c in (3, 4, 5, 6, 7):
            check(r[c].strip() != "", f"{path}: {r[2]}: {HEAD[c]} empty")

def pension_standards(path, rows, national, provincial, local=None):
    std = lines(by_name(rows)[PENSION][5])
    want = [f"国家标准：{national} 元/人·月", f"省标准：{provincial} 元/人·月"]
    if local:
        want.append(f"市标准：{local} 元/人·月")
    check(len(std) == len(want), f"{path}: pension standards {std}")
    for line, w in zip(std, want):
        check(line.startswith(w + "（依据："), f"{path}: '{line}' is not {w}")
    top = max(range(len(want)),
              key=lambda i: float(re.search(r"：(\d+)", want[i]).group(1)))
    for i, line in enumerate(std):
        check(line.endswith("【适用】") == (i == top),
              f"{path}: the mark of '{line}'")

province = read_csv("province.csv")
city = read_csv("city.csv")
common("province.csv", province)
common("city.csv", city)
pension_standards("province.csv", province, 93, 170)
pension_standards("province2019.csv", read_csv("province2019.csv"), 88, 170)
pension_standards("province2018.csv", read_csv("province2018.csv"), 88, 148)
pension_standards("city.csv", city, 93, 170)
pension_standards("shenzhen.csv", read_csv("shenzhen.csv"), 93, 170, 360)
# the standards of the items without any
for rows, path in ((province, "province.csv"), (city, "city.csv")):
    check(by_name(rows)["基本公共就业服务"][5] == "本年度暂无服务标准",
          f"{path}: an item without standards")
    # a variant in words: 小学 and 初中
    std = lines(by_name(rows)["公用经费保障"][5])
    check(std[0].startswith("国家标准：小学 650 元/生·年") and
          std[1].startswith("国家标准：初中 850 元/生·年"),
          f"{path}: 公用经费保障 standards {std}")

# the shares: the province's tiers; 梅州市's tier and split
resp = lines(by_name(province)[PENSION][6])
check(resp[-1] == "省级按分档比例分担：第一档省级承担 70%，第二档省级承担 "
      "50%，第三档省级承担 30%", f"province.csv: pension shares {resp}")
check(len(resp) == 2 and resp[0].startswith("省与市县共同财政事权"),
      f"province.csv: the item's responsibility text {resp}")
resp = lines(by_name(city)[PENSION][6])
check(resp[-1] == "梅州市（第一档）：省级承担 70%，市县承担 30%；市县承担部分"
      "中，梅州市承担 30%，所辖县（市、区）承担 70%",
      f"city.csv: pension shares {resp}")
resp = lines(by_name(city)["公用经费保障"][6])
check(resp[-1].endswith("梅州市承担 40%，所辖县（市、区）承担 60%"),
      f"city.csv: the split of 公用经费保障 {resp}")
resp = lines(by_name(read_csv("county.csv"))[PENSION][6])
check(resp[-1] == "梅江区（第一档）：省级承担 70%，市县承担 30%；市县承担部分"
      "中，梅州市承担 30%，所辖县（市、区）承担 70%",
      f"county.csv: pension shares {resp}")

# Markdown: the heading and the same 18 rows
for who, rows, name in (("province", province, "广东省"),
                        ("city", city, "梅州市")):
    md = open(f"{who}.md", encoding="utf-8").read().split("\n")
    check(md[0] == f"# {name}基本公共服务清单（2020年）",
          f"{who}.md: title {md[0]}")
    check("依据：粤财办〔2019〕1号 二(一)2（向社会公开基本公共服务清单）" in md,
          f"{who}.md: no policy basis")
    check(any(re.fullmatch(r"数据版本：第 \d+ 版（\d{4}年\d+月\d+日）", l)
              for l in md), f"{who}.md: no data version")
    table = [l for l in md if re.match(r"\| \d+ \|", l)]
    check(len(table) == 18, f"{who}.md: {len(table)} rows")
    for l, r in zip(table, rows):
        cells = [c.strip() for c in l.strip("|").split(" | ")]
        want = [c.replace("\n", "<br>") for c in r]
        check(cells == want, f"{who}.md: row {r[0]}: {cells} != {want}")

# the workbook: the heading above, then the same cells
for who, rows, name in (("province", province, "广东省"),
                        ("city", city, "梅州市")):
    book = json.load(open(f"{who}.xlsx.json", encoding="utf-8"))
    sheet = book["sheets"][0]
    check(sheet["name"] == "基本公共服务清单", f"{who}.xlsx: sheet name")
    cells = sheet["rows"]
    check(cells[0][0] == f"{name}基本公共服务清单（2020年）",
          f"{who}.xlsx: title {cells[0]}")
    head = next(i for i, r in enumerate(cells) if r and r[0] == "序号")
    check(cells[head] == HEAD, f"{who}.xlsx: header {cells[head]}")
    body = cells[head + 1:]
    check(len(body) == 18, f"{who}.xlsx: {len(body)} items")
    for got, r in zip(body, rows):
        got = ["%d" % got[0]] + [c or "" for c in got[1:]]
        check(got == r, f"{who}.xlsx: row {r[0]}: {got} != {r}")

for e in errors:
    print("  " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF

# ---- what is refused: nothing written ---------------------------------------

rm -f bad.html
run "an unknown region" 2 pub --region 449999 -o bad.html
grep -q "no region '449999'" err || fail "unknown region: $(cat err)"
[ ! -e bad.html ] || fail "an unknown region wrote bad.html"
run "a year without data" 2 pub --year 2030 -o bad.html
grep -q "no data for 2030: the data holds the years 2018 to 2020" err ||
    fail "a year without data: $(cat err)"
[ ! -e bad.html ] || fail "a year without data wrote bad.html"
run "a year without data, to stdout" 2 pub --year 2017
[ ! -s out ] || fail "a year without data wrote to standard output"
run "a bad format" 2 pub --format pdf -o bad.html
grep -q "format 'pdf': html, md, csv or xlsx" err || fail "bad format: $(cat err)"
[ ! -e bad.html ] || fail "a bad format wrote bad.html"
run "a workbook to standard output" 2 pub --format xlsx
run "a bad year" 2 pub --year 20x0
run "an unknown region, workbook" 2 pub --region 不存在 -o bad.xlsx
[ ! -e bad.xlsx ] || fail "an unknown region wrote bad.xlsx"
# an -o FILE whose extension names no format publish writes, or another
# one than --format: refused, never html in an .xlsx or a .pdf
for f in bad.pdf bad.xls; do
    run "-o $f" 2 pub -o $f
    expect_line "-o $f" "$(head -n 1 err)" "equirule: -o $f: publish writes html, md, csv or xlsx, not ${f#bad.}; name the file .html, .md, .csv or .xlsx, or give --format"
    [ ! -e $f ] || fail "-o $f wrote $f"
done
run "--format html -o bad.xlsx" 2 pub --format html -o bad.xlsx
expect_line "--format html -o bad.xlsx" "$(head -n 1 err)" "equirule: --format html, but the extension of -o bad.xlsx names xlsx: give --format xlsx, or a file name that ends in .html"
[ ! -e bad.xlsx ] || fail "--format html wrote bad.xlsx"
run "--format csv -o bad.md" 2 pub --format csv -o bad.md
[ ! -e bad.md ] || fail "--format csv wrote bad.md"
# an explicit --format for a name of no known extension, or none: as asked
run "--format csv --excel -o list.xls" 0 pub --format csv --excel -o list.xls
grep -q "^list.xls: 广东省基本公共服务清单（2020年） (csv)\$" out ||
    fail "--format csv -o list.xls: $(cat out)"
# a dot in a folder's name is no extension
mkdir list.v2 || fail "mkdir list.v2"
run "-o list.v2/list" 0 pub -o list.v2/list
cmp -s list.v2/list province.html || fail "-o list.v2/list is not the html"
# the sample's items all have their texts: no warning
[ ! -s err ] || fail "publish of the sample warns: $(cat err)"
run "help" 0 "$EQUIRULE_BIN" help publish
grep -q "基本公共服务清单" out || fail "help publish says nothing of the list"

# ---- items without the list's texts (a database upgraded to schema 14) ----
# the list is written, with "—", and a warning says what to fill in

cp s.db u.db
"$EQUIRULE_BIN" export --db u.db item -o item.csv >/dev/null ||
    fail "export item"
cut -d, -f1-6 item.csv >item-old.csv
run "import the items without texts" 0 "$EQUIRULE_BIN" import --db u.db \
    --replace item item-old.csv
for f in html xlsx; do
    run "publish without texts, $f" 0 "$EQUIRULE_BIN" publish --db u.db \
        -o "u.$f"
    [ -s "u.$f" ] || fail "publish without texts wrote no u.$f"
    expect_line "publish without texts, $f: the warning" "$(cat err)" \
        "equirule: warning: 18 of the 18 items lack texts of the list: served (服务对象) 18, content (服务内容) 18, responsibility (支出责任) 18, lead (牵头负责单位) 18; the list shows — for them. Fill them in: equirule export --db u.db item -o item.csv, fill in those columns, then equirule import --db u.db --replace item item.csv"
done
grep -c '<td class="served">—</td>' u.html >count || true
[ "$(cat count)" -ge 1 ] || fail "the list without texts does not show —"
# two items filled in again: the counts say which remain
head -n 3 item.csv >item-two.csv
run "import two items' texts" 0 "$EQUIRULE_BIN" import --db u.db --replace \
    item item-two.csv
run "publish with two items' texts" 0 "$EQUIRULE_BIN" publish --db u.db \
    --format md
grep -q "^equirule: warning: 16 of the 18 items lack texts of the list: served (服务对象) 16, content (服务内容) 16, responsibility (支出责任) 16, lead (牵头负责单位) 16;" err ||
    fail "two items filled in: $(cat err)"

# ---- the page as a browser renders it ---------------------------------------

. "$ER_SOURCE_DIR/tests/e2e/lib/browser.sh"
if ! er_find_browser; then
    echo "SKIP: chromium not installed (every other check passed)"
    exit 77
fi
# Nothing in the page is fetched from anywhere, and it runs no script.
for who in province city; do
    if grep -Eq '<link|<script|@import|url\(|src=|href=' $who.html; then
        fail "$who.html refers to something outside itself or has a script"
    fi
    chrome --dump-dom "file://$work/$who.html" >$who.dom ||
        fail "chromium --dump-dom $who.html: $(tail -n 5 chromium.log)"
    grep -q '<html lang="zh-CN"><head>' $who.dom ||
        fail "the browser did not render $who.html"
done
python3 - <<'EOF' || fail "the rendered pages are not what they should be"
import csv, html.parser, re, sys

class Text(html.parser.HTMLParser):
    """The text a reader sees, per element of interest."""
    def __init__(self):
        super().__init__()
        self.hidden = 0
        self.text = []
        self.rows = []
        self.cell = None
    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self.hidden += 1
        if tag == "tr" and ("class", "item") in attrs:
            self.rows.append([])
        if tag == "td" and self.rows:
            self.cell = []
        if tag == "br" and self.cell is not None:
            self.cell.append("\n")
    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self.hidden -= 1
        if tag == "td" and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None
    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)
            if self.cell is not None:
                self.cell.append(data)

errors = []
for who, name in (("province", "广东省"), ("city", "梅州市")):
    t = Text()
    t.feed(open(f"{who}.dom", encoding="utf-8").read())
    text = "".join(t.text)
    if f"{name}基本公共服务清单（2020年）" not in text:
        errors.append(f"{who}: no title")
    if "粤财办〔2019〕1号 二(一)2" not in text:
        errors.append(f"{who}: no policy basis")
    if not re.search(r"数据版本：第 \d+ 版（\d{4}年\d+月\d+日）", text):
        errors.append(f"{who}: no data version")
    if len(t.rows) != 18:
        errors.append(f"{who}: {len(t.rows)} items rendered, expected 18")
    latin = sorted(set(re.findall(r"[A-Za-z][A-Za-z._]*", text)))
    if latin:
        errors.append(f"{who}: English or codes in the page: {latin}")
    region_codes = re.findall(r"(?<!\d)44\d{4}(?!\d)", text)
    if region_codes:
        errors.append(f"{who}: region codes in the page: {region_codes}")
    # the standards as the CSV says them
    rows = list(csv.reader(open(f"{who}.csv", encoding="utf-8",
                                newline="")))[1:]
    pension = next(r for r in t.rows if "城乡居民基本养老保险补助" in r)
    want = next(r for r in rows if r[2] == "城乡居民基本养老保险补助")
    for value in ("国家标准：93 元/人·月", "省标准：170 元/人·月"):
        if value not in "".join(pension):
            errors.append(f"{who}: pension standard {value} not rendered")
    if want[6].split("\n")[-1] not in pension[-2]:
        errors.append(f"{who}: the shares {want[6]!r} not rendered: "
                      f"{pension[-2]!r}")
for e in errors:
    print("  " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
echo "publish: ok"
