#!/bin/sh
# compare_html.sh - `equirule report --compare A B --format html` on the
# built-in sample: run 1 with the shipped rules; run 2 with spending_gap's
# max_gap lowered in a copy of the rules (and of scripts/lib, which a run
# records beside them) and cut_redistribution's
# recipients set to 2; run 3 after a fact is replaced. The page says the
# counts `report --compare` gives (7 changed, 0 added, 2 removed), names the
# one rule file that changed with both digests, says whether the data
# changed and which data row, and gives the money that moved per region to
# the fen: the sums
# of the changed amounts of the CSV comparison, region by region. It is one
# self-contained page with the report's inline script only.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "compare_html: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_compare_html.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
cd "$tmp" || fail "cannot enter $tmp"

E=$EQUIRULE_BIN
"$E" init --sample --db s.db >/dev/null || fail "init --sample"
"$E" run --db s.db --rules "$ER_SOURCE_DIR/rules" --years 2018-2020 \
    >/dev/null 2>&1
[ $? -le 1 ] || fail "run 1"
# a copy of the tree's rules and helper modules (the run records both),
# with one rule file changed
mkdir -p tree/scripts || fail "mkdir"
cp -R "$ER_SOURCE_DIR/rules" tree/rules &&
    cp -R "$ER_SOURCE_DIR/scripts/lib" tree/scripts/lib || fail "copy the rules"
sed 's/max_gap = 0\.30/max_gap = 0.20/' \
    "$ER_SOURCE_DIR/rules/finance/spending_gap.lua" \
    >tree/rules/finance/spending_gap.lua || fail "edit spending_gap.lua"
cmp -s tree/rules/finance/spending_gap.lua \
    "$ER_SOURCE_DIR/rules/finance/spending_gap.lua" &&
    fail "spending_gap.lua no longer declares max_gap = 0.30"
"$E" run --db s.db --rules tree/rules --years 2018-2020 \
    --set finance.cut_redistribution.recipients=2 >/dev/null 2>&1
[ $? -le 1 ] || fail "run 2"

# ---- the counts, as the other formats give them ------------------------------

"$E" report --db s.db --compare 1 2 --format html -o c.html >out.txt 2>&1
rc=$?
[ $rc -eq 1 ] || fail "exit status $rc, expected 1 (findings changed): $(cat out.txt)"
grep -q '^c.html: run 1 → run 2: 7 changed, 0 added, 2 removed$' out.txt ||
    fail "the command's line: $(cat out.txt)"
"$E" report --db s.db --compare 1 2 --format csv >c.csv
[ "$(grep -c '^changed,' c.csv)" -eq 7 ] || fail "csv: 7 changed"
[ "$(grep -c '^removed,' c.csv)" -eq 2 ] || fail "csv: 2 removed"

flat=$(tr '\n' ' ' <c.html)
summary=$(printf '%s' "$flat" | sed 's/.*<p id="summary-text">//; s#</p>.*##')
case $summary in
"变化 7 条，新增 0 条，删除 2 条，未变 4014 条。"*) ;;
*) fail "summary: $summary" ;;
esac
changes=$(grep -c '<tr class="change ' c.html)
[ "$changes" -eq 9 ] || fail "$changes change rows, expected 9"
[ "$(grep -c '<tr class="change removed"' c.html)" -eq 2 ] ||
    fail "2 removed rows"
# grouped by region: 广东省 (spending_gap, 3 years), 汕头市, 茂名市, 揭阳市
heads=$(grep -o '<h3 id="region-[0-9]*">[^<]*' c.html | sed 's/.*">//; s/ *$//' |
    tr '\n' ' ')
[ "$heads" = "广东省 汕头市 茂名市 揭阳市 " ] ||
    fail "the regions' groups: $heads"
grep -q '<code>finance.spending_gap</code></td><td>pass</td><td>fail</td><td class="num">2</td>' c.html ||
    fail "the transition pass → fail of spending_gap (2)"

# ---- what the runs read ------------------------------------------------------

grep -q '规则文件：1 个有变化，34 个相同' c.html ||
    fail "rule files: $(grep -o '规则文件：[^<]*' c.html)"
old=$(sha256sum "$ER_SOURCE_DIR/rules/finance/spending_gap.lua" | cut -c1-64)
new=$(sha256sum tree/rules/finance/spending_gap.lua | cut -c1-64)
row=$(grep -o '<tr><td><code>[^<]*spending_gap.lua</code></td>.*' c.html)
case $row in
*"$old"*"$new"*) ;;
*) fail "the changed rule file's digests: $row" ;;
esac
grep -q '两次运行读取的数据相同' c.html || fail "the data are the same"

# ---- the money that moved, to the fen ---------------------------------------

money() { # money CODE: the region's row of the money table, cells by |
    grep -o "<tr class=\"moved-region\"><td data-sort=\"$1\">.*" c.html |
        sed 's#</tr>.*##; s#<td[^>]*>#|#g; s#<[^>]*>##g'
}
[ "$(money 440500)" = "|汕头市 440500|0.00|0.00|0.00|14,201,776.80|0.00|-14,201,776.80" ] ||
    fail "汕头市: $(money 440500)"
[ "$(money 440900)" = "|茂名市 440900|0.00|0.00|0.00|16,062,992.92|23,348,124.34|+7,285,131.42" ] ||
    fail "茂名市: $(money 440900)"
[ "$(money 445200)" = "|揭阳市 445200|0.00|0.00|0.00|15,250,540.28|22,167,185.66|+6,916,645.38" ] ||
    fail "揭阳市: $(money 445200)"
[ "$(grep -c '<tr class="moved-region">' c.html)" -eq 3 ] ||
    fail "3 regions' money moved"
grep -q '3 个地区的核减或分配有变化' c.html || fail "says 3 regions"
# the run totals equal the reports'
for run in 1 2; do
    side=$([ $run -eq 1 ] && echo a || echo b)
    want=$("$E" report $run --db s.db --format html |
        grep -o '<span id="allocation-total">[^<]*' | sed 's/.*>//')
    got=$(grep -o "<td class=\"num\" id=\"allocation-$side\">[^<]*" c.html |
        sed 's/.*>//')
    [ -n "$want" ] && [ "$want" = "$got" ] ||
        fail "run $run's allocations: $got, the report says $want"
done
# each region's change of allocation = the sum of its findings' changes in
# the CSV comparison (yuan with two decimals, summed in fen)
awk -F, 'NR > 1 && $2 == "finance.cut_redistribution" {
        a = $12 == "" ? 0 : $12; b = $13 == "" ? 0 : $13
        gsub(/\./, "", a); gsub(/\./, "", b)
        d[$3] += b - a
    }
    END { for (r in d) printf "%s %d\n", r, d[r] }' c.csv | sort >want.txt
: >got.txt
for code in 440500 440900 445200; do
    fen=$(money $code | cut -d'|' -f8 | tr -d ',+.')
    echo "$code $fen" >>got.txt
done
cmp -s want.txt got.txt || { diff want.txt got.txt; fail "Δ allocation per region"; }

# ---- self-contained ----------------------------------------------------------

if grep -Eq '<link|@import|url\(|src=|href="(https?:)?//' c.html; then
    fail "c.html refers to something outside itself"
fi
[ "$(grep -c '<script' c.html)" -eq 1 ] || fail "one inline script"
for code in 440500 440900 445200; do
    grep -q "href=\"#region-$code\"" c.html || fail "no link to $code"
    grep -q "<h3 id=\"region-$code\">" c.html || fail "no anchor $code"
done

# ---- the data changed --------------------------------------------------------

printf 'region,year,metric,value,source\n441400,2019,health.public_health.spend,310000000,corrected\n' >fact.csv
"$E" import --db s.db --replace fact fact.csv >/dev/null || fail "import"
"$E" run --db s.db --rules "$ER_SOURCE_DIR/rules" --years 2018-2020 \
    >/dev/null 2>&1
[ $? -le 1 ] || fail "run 3"
"$E" report --db s.db --compare 1 3 --format html -o c3.html >out3.txt 2>&1
[ $? -eq 1 ] || fail "compare 1 3: $(cat out3.txt)"
grep -q '两次运行读取的数据不同' c3.html || fail "the data differ"
grep -q '规则文件：0 个有变化，35 个相同' c3.html || fail "c3: rule files"
counts=$(sed 's/.*: //' out3.txt)
summary=$(tr '\n' ' ' <c3.html | sed 's/.*<p id="summary-text">//; s#</p>.*##')
n=$(echo "$counts" | sed 's/ changed.*//')
case $summary in
"变化 $n 条，新增 0 条，删除 0 条，"*) ;;
*) fail "c3 summary: $summary (command: $counts)" ;;
esac
grep -q '<h3 id="region-441400">梅州市' c3.html || fail "c3: 梅州市"
# the data row that changed, as the runs read it
grep -q '<tr class="data-row"><td><code>fact</code></td><td><code>441400 2019 health.public_health.spend</code></td><td>value=280000000 source=estimate</td><td class="moved">value=310000000 source=corrected</td>' c3.html ||
    fail "c3: the replaced fact"
grep -q '数据行：1 行有变化。' c3.html || fail "c3: the count of data rows"
grep -q '数据行：0 行有变化。' c.html || fail "c: no data row changed"

echo "compare_html: ok"
exit 0
