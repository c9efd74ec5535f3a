#!/bin/sh
# report_browser_sections.sh - end to end: the report sections the rules'
# `report` hints feed, as headless Chromium renders them. Runs the fixture
# rules of tests/fixtures/rules/report_sections (every hint: the measures of
# the equalization index, an item's index, two goals, a ranking) over 2018
# (run 1), then 2019-2020 (run 2), and checks:
# - run_rule.report holds each rule's hint as a JSON object;
# - 均等化水平: the years x measures table (gini "缺数据" in 2019), the
#   between/within-zone bars split 60% : 40% as drawn (widths measured in
#   the browser), the between/within-city bars, the per-item table;
# - 目标进展: a chart per goal with the target line and the goal year's
#   marker, 2018's points taken from run 1 ("取自运行 #1"), the sentences;
# - 绩效考核排名: each year's cities by score, highest first, ties sharing
#   a rank, with the notes; a report of one city keeps its province-wide
#   rank, and sections 8 and 9 say in one line that the filter left their
#   rules out; a run narrowed to one city shows no rank and says it did
#   not evaluate the province; a run of edited rules takes no goal point
#   of another run and counts those it left out;
# - no script but the report's own.
#
# Environment (set by ctest): EQUIRULE_BIN, ER_SOURCE_DIR; CHROMIUM
# (optional). Exit status 77 (skipped) only when no Chromium is installed.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "report_browser_sections: FAILED: $*" >&2
    er_browser_log
    exit 1
}

. "$ER_SOURCE_DIR/tests/e2e/lib/browser.sh"
if ! er_find_browser; then
    echo "SKIP: chromium not installed"
    exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_sections.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

E=$EQUIRULE_BIN
R=$ER_SOURCE_DIR/tests/fixtures/rules/report_sections
"$E" init --sample --db s.db >/dev/null || fail "init --sample"
"$E" run --db s.db --rules "$R" --years 2018 >run1.txt 2>&1
[ $? -le 1 ] || fail "run 2018: $(tail -n 3 run1.txt)"
"$E" run --db s.db --rules "$R" --years 2019-2020 >run2.txt 2>&1
[ $? -le 1 ] || fail "run 2019-2020: $(tail -n 3 run2.txt)"
"$E" report 2 --db s.db -o r.html >/dev/null 2>&1 || fail "report 2"

# the hints as stored with the run
hints=$(sqlite3 s.db "SELECT rule || ' ' || report FROM run_rule
    WHERE run = 2 AND report IS NOT NULL ORDER BY rule" | tr '\n' ';')
want='finance.eq_between {"index":"theil_between_zone"};'
want=$want'finance.eq_cv {"index":"cv"};finance.eq_gini {"index":"gini"};'
want=$want'finance.eq_item {"index":"theil"};'
want=$want'finance.eq_theil {"index":"theil","goal":2022};'
want=$want'finance.eq_within {"index":"theil_within_zone"};'
want=$want'finance.eq_within_city {"index":"theil_within_city"};'
want=$want'finance.gap_goal {"goal":2020};finance.score {"chart":"ranking"};'
[ "$hints" = "$want" ] || fail "run_rule.report: $hints"

[ "$(grep -o '<script' r.html | wc -l | tr -d ' ')" -eq 1 ] ||
    fail "report.html holds a script other than its own"

# A report of one city keeps the city's province-wide rank (on the score
# rounded to 0.01), and the sections whose province-level rules the filter
# leaves out say so in one line.
"$E" report 2 --db s.db --format md >all.md 2>/dev/null || fail "report 2 md"
row=$(sed -n '/^## 10 /,$p' all.md | sed -n '/^### 2020/,$p' |
    grep '^| [0-9]' | tail -n 1)
code=$(printf '%s\n' "$row" | sed -n 's/^| [0-9]* | [^|]* \([0-9]\{6\}\) |.*/\1/p')
[ -n "$code" ] || fail "no ranked city in 2020: $row"
"$E" report 2 --db s.db --region "$code" --year 2020 --format md >one.md \
    2>/dev/null || fail "report 2 --region $code"
grep -qF "$(printf '%s\n' "$row" | cut -d'|' -f1-3)|" one.md ||
    fail "report of $code: its rank is not the province-wide one: $row"
grep -q '^本报告的筛选条件未含声明均等化指数的规则的结果' one.md ||
    fail "report of $code: section 8 does not say why it is empty"
grep -q '^本报告的筛选条件未含声明目标的规则的结果' one.md ||
    fail "report of $code: section 9 does not say why it is empty"

# A run narrowed to that city (run 3) stored its score only: no rank (its
# note may name the rule's), and sections 8 and 9 say the run did not
# evaluate the province.
"$E" run --db s.db --rules "$R" --years 2020 --region "$code" >run3.txt 2>&1
[ $? -le 1 ] || fail "run --region $code: $(tail -n 3 run3.txt)"
"$E" report 3 --db s.db --format md >region.md 2>/dev/null ||
    fail "report 3 md"
grep -q "^| — | [^|]* $code |" region.md ||
    fail "region run: a rank is shown: $(grep "$code |" region.md | tail -n 1)"
grep -q '^不显示名次：本次运行只评估了一个地区' region.md ||
    fail "region run: the ranking does not say why it shows no rank"
[ "$(grep -c '^本次运行按地区运行（--region）' region.md)" -eq 2 ] ||
    fail "region run: sections 8 and 9 do not say the province was not run"
"$E" report 3 --db s.db --format json 2>/dev/null | grep -q '"ranked": false' ||
    fail "region run: JSON ranking not marked unranked"

# A run of an edited copy of the rules (run 4) takes no other run's goal
# points: they are of other code; the line under the chart counts them.
cp -r "$R" edited || fail "cp rules"
echo '-- edited' >>edited/finance/sections.lua
"$E" run --db s.db --rules edited --years 2018 --rule finance.gap_goal \
    >run4.txt 2>&1
[ $? -le 1 ] || fail "run of edited rules: $(tail -n 3 run4.txt)"
"$E" report 4 --db s.db --format md >edited.md 2>/dev/null ||
    fail "report 4 md"
grep -q '取自运行' edited.md &&
    fail "edited rules: a point of another run's code is shown"
grep -q '^另有 2 个年度的点取自其他运行，未列入' edited.md ||
    fail "edited rules: the left-out points are not counted"
grep -q '2020年目标：2020年的结果只在规则代码或参数不同的其他运行中，未列入' \
    edited.md || fail "edited rules: the goal sentence does not say why"

cat >drive.js <<'JS'
<script>
(function () {
  var out = [];
  function say(k, v) { out.push(k + "=" + v); }
  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : "none"; }
  var eq = document.getElementById("equalization");
  say("eq_head", text(eq.querySelector("h2")));
  var table = eq.querySelector("table.index");
  say("eq_cols", Array.prototype.map.call(table.tHead.rows[0].cells,
      function (c) { return c.getAttribute("data-index") || "year"; }).join(","));
  Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
    say("eq_" + tr.getAttribute("data-year"),
        Array.prototype.map.call(tr.cells, text).join("|"));
  });
  /* the split bars as drawn: the between part's share of the bar */
  ["split-zone", "split-city"].forEach(function (cls) {
    Array.prototype.forEach.call(eq.querySelectorAll("svg." + cls + " g.share"),
      function (g) {
        var r = g.querySelectorAll("rect");
        var a = r[0].getBBox().width, b = r[1].getBBox().width;
        say(cls + "_" + g.getAttribute("data-year"),
            (100 * a / (a + b)).toFixed(1) + "|" + text(g));
      });
  });
  say("items", Array.prototype.map.call(
      eq.querySelectorAll("table.index-items tbody tr"), function (tr) {
        return Array.prototype.map.call(tr.cells, text).join("|"); }).join(";"));
  var goals = document.getElementById("goals");
  say("goals_head", text(goals.querySelector("h2")));
  Array.prototype.forEach.call(goals.querySelectorAll("figure.goal"), function (f) {
    var id = f.getAttribute("data-rule");
    var svg = f.querySelector("svg");
    say("goal_" + id + "_verdict", text(f.querySelector(".goal-verdict")));
    say("goal_" + id + "_met", f.querySelector(".goal-verdict").getAttribute("data-met"));
    say("goal_" + id + "_points", svg.querySelectorAll("circle.point").length);
    say("goal_" + id + "_other", text(svg.querySelector("text.other-run")));
    say("goal_" + id + "_target", svg.querySelector("polyline.target").getBBox().width > 0);
    say("goal_" + id + "_marker", svg.querySelector("line.goal-year").getAttribute("data-year"));
    say("goal_" + id + "_height", Math.round(svg.getBoundingClientRect().height));
  });
  var rank = document.getElementById("ranking");
  say("rank_head", text(rank.querySelector("h2")));
  Array.prototype.forEach.call(rank.querySelectorAll("table.ranking"), function (t) {
    var rows = Array.prototype.slice.call(t.tBodies[0].rows);
    var y = t.getAttribute("data-year");
    say("rank_" + y + "_n", rows.length);
    say("rank_" + y + "_first",
        Array.prototype.map.call(rows[0].cells, text).join("|"));
    var sorted = true, ties = true;
    for (var i = 1; i < rows.length; i++) {
      var s0 = +rows[i - 1].cells[2].textContent, s1 = +rows[i].cells[2].textContent;
      var r0 = +rows[i - 1].cells[0].textContent, r1 = +rows[i].cells[0].textContent;
      if (s1 > s0) sorted = false;
      if ((s1 === s0) !== (r1 === r0)) ties = false;
      if (s1 < s0 && r1 !== i + 1) ties = false;
    }
    say("rank_" + y + "_sorted", sorted);
    say("rank_" + y + "_ties", ties);
  });
  say("scripts", document.querySelectorAll("script").length);
  var pre = document.createElement("pre");
  pre.id = "er-test";
  pre.textContent = "\n" + out.join("\n") + "\n";
  document.body.appendChild(pre);
})();
</script>
JS
awk '/^<\/body>$/ { while ((getline l < "drive.js") > 0) print l } { print }' \
    r.html >t.html
grep -q 'id = "er-test"' t.html || fail "could not append the test script"
chrome --dump-dom "file://$work/t.html" >dom.html || fail "chromium --dump-dom"
sed -n '/<pre id="er-test">/,/<\/pre>/p' dom.html >result.txt
[ -s result.txt ] || fail "the test script left no result (see dom.html)"
val() { sed -n "s/^$1=//p" result.txt; }
expect() { # NAME VALUE
    [ "$(val "$1")" = "$2" ] || fail "$1: '$(val "$1")', expected '$2'"
}

expect eq_head "8 均等化水平 Equalization index"
expect eq_cols "year,cv,gini,theil,theil_between_zone,theil_within_zone,theil_within_city"
expect eq_2019 "2019|0.16|缺数据 missing|0.04|0.024|0.016|0.01"
expect eq_2020 "2020|0.12|0.20|0.03|0.018|0.012|0.01"
expect split-zone_2019 "60.0|60.0%（0.024）40.0%（0.016）"
expect split-zone_2020 "60.0|60.0%（0.018）40.0%（0.012）"
expect split-city_2019 "80.0|80.0%（0.04）20.0%（0.01）"
expect split-city_2020 "75.0|75.0%（0.03）25.0%（0.01）"
expect items "普高国家助学金 aid.highschool_grant|泰尔指数|0.004|0.006"
expect goals_head "9 目标进展 Progress toward the goals"
expect goal_finance.gap_goal_verdict "2020年：0.2616 ≤ 0.30，已达到目标（2020年）"
expect goal_finance.gap_goal_met yes
expect goal_finance.gap_goal_points 3
expect goal_finance.gap_goal_other "取自运行 #1"
expect goal_finance.gap_goal_target true
expect goal_finance.gap_goal_marker 2020
expect goal_finance.eq_theil_verdict "2022年目标：尚无2022年数据；最近 2020年：0.03 ≤ 0.06"
expect goal_finance.eq_theil_met unknown
expect goal_finance.eq_theil_points 3
expect goal_finance.eq_theil_marker 2022
[ "$(val goal_finance.gap_goal_height)" -gt 100 ] ||
    fail "the goal chart is $(val goal_finance.gap_goal_height) px high"
expect rank_head "10 绩效考核排名 Performance ranking"
cities=$("$E" export --db s.db region | awk -F, '$4 == "city"' | wc -l |
    tr -d ' ')
for y in 2019 2020; do
    expect rank_${y}_n "$cities"
    expect rank_${y}_sorted true
    expect rank_${y}_ties true
    expect rank_${y}_first "1|汕头市 440500|100|通过 pass|扣 0 分（测试）"
done
expect scripts 2 # the report's own and this test's

echo "report_browser_sections: ok"
exit 0
