#!/bin/sh
# compare_why.sh - `equirule report --compare A B` says why findings
# changed: on the built-in sample, run 1 with the shipped rules; then
# 珠海市's 2019 resident population replaced (import --replace) and
# spending_gap.lua edited in a copy of the rules; run 2. The comparison
# names the changed rule file with both SHA-256 digests (those of the files
# on disk) and the replaced fact with its value before and after, the data
# version that replaced it, who imported it and from which file — in text,
# Markdown, JSON and HTML; filters keep the data rows of the region and year
# compared; compared the other way round, before and after swap. Then 25
# facts replaced and run 3: text and HTML list 20 and count the rest, JSON
# lists all 25. A run stored before data versions were recorded: the
# comparison says so instead of listing.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "compare_why: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_compare_why.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
cd "$tmp" || fail "cannot enter $tmp"

E=$EQUIRULE_BIN
"$E" init --sample --db s.db >/dev/null || fail "init --sample"
"$E" run --db s.db --rules "$ER_SOURCE_DIR/rules" --years 2018-2020 \
    >/dev/null 2>&1
[ $? -le 1 ] || fail "run 1"
v1=$("$E" runs --db s.db --format json | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["data_version"])') || fail "runs --format json"

# the rules copied (with the helper modules a run records beside them),
# one rule file changed; one fact replaced
mkdir -p tree/scripts || fail "mkdir"
cp -R "$ER_SOURCE_DIR/rules" tree/rules &&
    cp -R "$ER_SOURCE_DIR/scripts/lib" tree/scripts/lib || fail "copy the rules"
sed 's/max_gap = 0\.30/max_gap = 0.20/' \
    "$ER_SOURCE_DIR/rules/finance/spending_gap.lua" \
    >tree/rules/finance/spending_gap.lua || fail "edit spending_gap.lua"
cmp -s tree/rules/finance/spending_gap.lua \
    "$ER_SOURCE_DIR/rules/finance/spending_gap.lua" &&
    fail "spending_gap.lua no longer declares max_gap = 0.30"
grep -q '^440400,2019,pop.resident,2023700,' "$ER_SOURCE_DIR/data/sample/fact.csv" ||
    fail "the sample no longer holds 珠海市's 2019 resident population 2023700"
printf 'region,year,metric,value,source\n440400,2019,pop.resident,2000000,复核\n' \
    >corr.csv
"$E" import --db s.db --replace fact corr.csv >/dev/null || fail "import"
"$E" run --db s.db --rules tree/rules --years 2018-2020 >/dev/null 2>&1
[ $? -le 1 ] || fail "run 2"
v2=$((v1 + 1))
old=$(sha256sum "$ER_SOURCE_DIR/rules/finance/spending_gap.lua" | cut -c1-64)
new=$(sha256sum tree/rules/finance/spending_gap.lua | cut -c1-64)
user=$(id -un)

# ---- text ----------------------------------------------------------------------

"$E" report --db s.db --compare 1 2 >c.txt 2>err.txt
[ $? -eq 1 ] || fail "compare 1 2: exit status, expected 1: $(cat err.txt)"
grep -q '^rule files: 1 changed, 0 added, 0 removed, 34 the same$' c.txt ||
    fail "text: the rule files' line: $(grep '^rule files' c.txt)"
line=$(grep '^  changed  finance/spending_gap.lua ' c.txt) ||
    fail "text: no line for spending_gap.lua"
old12=$(echo "$old" | cut -c1-12)
new12=$(echo "$new" | cut -c1-12)
case $line in
*" $old12 → $new12") ;;
*) fail "text: the digests of spending_gap.lua: $line" ;;
esac
grep -q "^data: run 1 read data version $v1, run 2 read data version $v2: 1 row differs$" c.txt ||
    fail "text: the data line: $(grep '^data' c.txt)"
grep -q "^  fact 440400 2019 pop.resident  value=2023700 source=广东统计年鉴2020 → value=2000000 source=复核  (version $v2)$" c.txt ||
    fail "text: the replaced fact: $(sed -n '/^data/,/^$/p' c.txt)"
grep -q "^  version $v2: [0-9T:Z-]* · $user · import fact corr.csv (0 added, 1 replaced)$" c.txt ||
    fail "text: the version: $(grep '^  version' c.txt)"

# ---- json ----------------------------------------------------------------------

"$E" report --db s.db --compare 1 2 --format json >c.json
python3 - c.json "$old" "$new" "$v1" "$v2" "$user" <<'EOF' || fail "json"
import json, sys
old, new, v1, v2, user = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
with open(sys.argv[1], encoding="utf-8") as fp:
    d = json.load(fp)
f = d["rule_files"]
assert f["same"] == 34, f
assert f["differ"] == [{"change": "changed", "path": "finance/spending_gap.lua",
                        "sha256_before": old, "sha256_after": new}], f["differ"]
data = d["data"]
assert data["version_before"] == v1 and data["version_after"] == v2, data
assert data["unlisted"] is None and data["outside_filter"] == 0, data
assert data["rows"] == [{"table": "fact", "key": "440400 2019 pop.resident",
                         "before": "value=2023700 source=广东统计年鉴2020",
                         "after": "value=2000000 source=复核",
                         "version": v2}], data["rows"]
(v,) = data["versions"]
assert (v["id"], v["user"], v["table"], v["file"], v["added"], v["replaced"]) == \
    (v2, user, "fact", "corr.csv", 0, 1), v
# the findings that changed are those of 珠海市's population and spending_gap
regions = {c["region"] for c in d["changes"]}
assert "440400" in regions and "440000" in regions, regions
EOF

# ---- md and html ---------------------------------------------------------------

"$E" report --db s.db --compare 1 2 --format md >c.md
grep -q "^| changed | finance/spending_gap.lua | $old | $new |$" c.md ||
    fail "md: the rule file"
grep -q "^| fact | 440400 2019 pop.resident | value=2023700 source=广东统计年鉴2020 | value=2000000 source=复核 | $v2 |$" c.md ||
    fail "md: the fact"
"$E" report --db s.db --compare 1 2 --format html -o c.html >/dev/null
[ $? -eq 1 ] || fail "html"
grep -q "<tr class=\"data-row\"><td><code>fact</code></td><td><code>440400 2019 pop.resident</code></td><td>value=2023700 source=广东统计年鉴2020</td><td class=\"moved\">value=2000000 source=复核</td><td class=\"num\">$v2</td></tr>" c.html ||
    fail "html: the fact"
grep -q "<tr><td class=\"num\">$v2</td><td>[0-9T:Z-]*</td><td>$user</td><td>fact</td><td>corr.csv</td></tr>" c.html ||
    fail "html: the version"
grep -q '数据行：1 行有变化。' c.html || fail "html: the count of data rows"
row=$(grep -o '<tr><td><code>[^<]*spending_gap.lua</code></td>.*' c.html)
case $row in
*"$old"*"$new"*) ;;
*) fail "html: the changed rule file's digests: $row" ;;
esac

# ---- filters and the other way round -------------------------------------------

"$E" report --db s.db --compare 1 2 --region 汕头 >f1.txt
grep -q '1 outside the filter' f1.txt && grep -q ': 0 rows differ' f1.txt ||
    fail "--region 汕头 keeps 珠海市's fact: $(grep '^data' f1.txt)"
"$E" report --db s.db --compare 1 2 --region 珠海 --year 2019 >f2.txt
grep -q ': 1 row differs$' f2.txt || fail "--region 珠海 --year 2019: $(grep '^data' f2.txt)"
"$E" report --db s.db --compare 1 2 --year 2018 >f3.txt
grep -q ': 0 rows differ (and 1 outside the filter)$' f3.txt ||
    fail "--year 2018: $(grep '^data' f3.txt)"
"$E" report --db s.db --compare 2 1 >r.txt
grep -q "^  fact 440400 2019 pop.resident  value=2000000 source=复核 → value=2023700 source=广东统计年鉴2020  (version $v2)$" r.txt ||
    fail "compare 2 1: before and after: $(sed -n '/^data/,/^$/p' r.txt)"

# ---- many rows: text and html list 20, json all --------------------------------

grep ',2020,pop.registered,' "$ER_SOURCE_DIR/data/sample/fact.csv" | head -21 |
    awk -F, 'BEGIN { print "region,year,metric,value,source" }
        { print $1 "," $2 "," $3 "," $4 + 1 ",复核" }' >many.csv
grep ',2020,pop.resident,' "$ER_SOURCE_DIR/data/sample/fact.csv" | head -4 |
    awk -F, '{ print $1 "," $2 "," $3 "," $4 + 1 ",复核" }' >>many.csv
[ "$(wc -l <many.csv)" -eq 26 ] || fail "many.csv: $(wc -l <many.csv) lines"
"$E" import --db s.db --replace fact many.csv >/dev/null || fail "import many"
"$E" run --db s.db --rules tree/rules --years 2018-2020 >/dev/null 2>&1
[ $? -le 1 ] || fail "run 3"
"$E" report --db s.db --compare 2 3 >m.txt
grep -q ': 25 rows differ$' m.txt || fail "25 rows: $(grep '^data' m.txt)"
[ "$(grep -c '^  fact 44' m.txt)" -eq 20 ] || fail "text lists 20 rows"
grep -q '^  … and 5 more (--format json lists every row)$' m.txt ||
    fail "text: the rest counted"
"$E" report --db s.db --compare 2 3 --format json |
    python3 -c 'import json, sys; d = json.load(sys.stdin)["data"]; assert len(d["rows"]) == 25, d' ||
    fail "json lists 25 rows"
"$E" report --db s.db --compare 2 3 --format html -o m.html >/dev/null
[ "$(grep -c '<tr class="data-row">' m.html)" -eq 20 ] || fail "html lists 20 rows"
grep -q '数据行：25 行有变化，列出前 20 行。' m.html || fail "html: the rest counted"

# ---- a run stored before data versions were recorded ---------------------------

sqlite3 s.db 'UPDATE run SET data_version = NULL WHERE id = 1' || fail "sqlite3"
"$E" report --db s.db --compare 1 2 >n.txt
grep -q '^data: run 1 read no data version, run 2 read data version [0-9]*: not known: run 1 was stored before data versions were recorded$' n.txt ||
    fail "no data version: $(grep '^data' n.txt)"
"$E" report --db s.db --compare 1 2 --format json |
    python3 -c 'import json, sys; d = json.load(sys.stdin)["data"]; assert d["version_before"] is None and d["rows"] == [] and "before data versions" in d["unlisted"], d' ||
    fail "json: no data version"
grep -q '^rule files: 1 changed' n.txt || fail "the rule files are still listed"

echo "compare_why: ok"
