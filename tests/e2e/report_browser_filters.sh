#!/bin/sh
# report_browser_filters.sh - end to end: what the HTML report's script
# does in a real browser, and the region scorecards. Runs the shipped rules
# on the built-in sample (run 1), on 梅州市 alone (run 2, --region 441400)
# and with cut_redistribution's recipients set to 2 (run 3); then, in
# headless Chromium:
# - filters: the report with a test script appended that chooses a
#   department, a region, types in the search box, and reads the rows left
#   visible; each count equals the CSV report's count of the same failing
#   findings. Without the script the controls are hidden and every row is
#   there.
# - sorting: a click on the measured column's header orders the rows by
#   number (blanks last), a second click reverses it; a click on the region
#   column orders them by region code.
# - scorecards: a matrix cell links to an existing scorecard; the full
#   report has one per city and county with findings; run 2's report opens
#   with 梅州市's scorecard.
# - compare: `report --compare 1 3 --format html` renders with its counts.
# Keeps two screenshots in the folder ctest runs the test in:
# report_browser_filters.png (the failing findings filtered to one
# department, and a scorecard) and report_browser_scorecard.png (run 2's
# page).
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree; CHROMIUM (optional), the browser to use.
# Exit status 77 (ctest: skipped) only when no Chromium is installed. Any
# other failure is 1.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "report_browser_filters: FAILED: $*" >&2
    er_browser_log
    exit 1
}

. "$ER_SOURCE_DIR/tests/e2e/lib/browser.sh"
if ! er_find_browser; then
    echo "SKIP: chromium not installed"
    exit 77
fi

outdir=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_browser_filters.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

E=$EQUIRULE_BIN
R=$ER_SOURCE_DIR/rules
"$E" init --sample --db s.db >/dev/null || fail "init --sample"
for args in "" "--region 441400" "--set finance.cut_redistribution.recipients=2"
do
    # shellcheck disable=SC2086 # the words of $args are options
    "$E" run --db s.db --rules "$R" --years 2018-2020 $args >/dev/null 2>&1
    [ $? -le 1 ] || fail "run $args"
done
"$E" report 1 --db s.db -o r.html >/dev/null || fail "report 1"
"$E" report 2 --db s.db -o r2.html >/dev/null || fail "report 2"
"$E" report --db s.db --compare 1 3 --format html -o c.html >/dev/null
[ $? -eq 1 ] || fail "report --compare 1 3"

# The failing findings of run 1 as the CSV report gives them: department
# (field 3), region (4) and outcome (7) come before any quoted note.
"$E" report 1 --db s.db --format csv |
    awk -F, 'NR > 1 && ($7 == "fail" || $7 == "missing" || $7 == "error")' \
        >failing.csv
all=$(wc -l <failing.csv | tr -d ' ')
health=$(awk -F, '$3 == "health"' failing.csv | wc -l | tr -d ' ')
# 梅州市 and its counties (their codes begin with the city's 4414)
meizhou=$(awk -F, 'substr($4, 1, 4) == "4414"' failing.csv | wc -l | tr -d ' ')
rule=health.public_health_per_capita
byrule=$(awk -F, -v r=$rule '$2 == r' failing.csv | wc -l | tr -d ' ')
[ "$all" -gt 0 ] && [ "$health" -gt 0 ] && [ "$health" -lt "$all" ] &&
    [ "$meizhou" -gt 0 ] && [ "$byrule" -gt 0 ] ||
    fail "the sample's failing findings: $all, health $health, 441400 $meizhou"

# ---- without script: everything is there, no control shows --------------------

grep -q '<div class="filters" hidden data-for="failing-table">' r.html ||
    fail "the filters are not hidden without the script"
grep -q '<tr class="finding"[^>]* hidden' r.html &&
    fail "a failing row is hidden without the script"
grep -Fq '.filters[hidden],.filter-status[hidden],tr[hidden]{display:none}' r.html ||
    fail "the style would show the hidden filters"
grep -Fq '@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}nav,.filters{display:none}' r.html ||
    fail "printing does not hide the filters"

# ---- the page's script, driven by a test script -------------------------------

cat >drive.js <<'JS'
<script>
(function () {
  var out = [];
  function say(k, v) { out.push(k + "=" + v); }
  var table = document.getElementById("failing-table");
  function rows() { return Array.prototype.slice.call(table.tBodies[0].rows); }
  function shown() { return rows().filter(function (tr) { return !tr.hidden; }); }
  var box = document.querySelector('div.filters[data-for="failing-table"]');
  function choose(name, value) {
    var s = box.querySelector("select[name=" + name + "]");
    s.value = value;
    s.dispatchEvent(new Event("change"));
  }
  function search(text) {
    var q = box.querySelector("input[type=search]");
    q.value = text;
    q.dispatchEvent(new Event("input"));
  }
  say("controls", box.hidden ? "hidden" : "shown");
  /* without the script the box keeps its hidden attribute: it must not show */
  var probe = box.cloneNode(true);
  probe.hidden = true;
  document.body.appendChild(probe);
  say("hidden_box", getComputedStyle(probe).display);
  document.body.removeChild(probe);
  say("all", shown().length);
  choose("dept", "health");
  say("health", shown().length);
  say("health_other", shown().filter(function (tr) {
    return tr.getAttribute("data-dept") !== "health"; }).length);
  say("status", document.querySelector(
    '.filter-status[data-for="failing-table"]').getAttribute("data-shown"));
  choose("dept", "");
  choose("region", "441400");
  say("meizhou", shown().length);
  choose("region", "");
  search("RULE");
  say("search", shown().length);
  search("");
  say("reset", shown().length);
  var heads = table.tHead.rows[0].cells;
  function column(i, attr) {
    return rows().map(function (tr) {
      return attr ? tr.cells[i].getAttribute(attr) : tr.cells[i].textContent;
    }).join("|");
  }
  heads[4].click();
  say("measured_asc", column(4));
  heads[4].click();
  say("measured_desc", column(4));
  heads[1].click();
  say("region_asc", column(1, "data-sort"));
  var link = document.querySelector("table.matrix td.c a");
  var target = link && document.getElementById(link.getAttribute("href").slice(1));
  say("matrix_link", link ? link.getAttribute("href") : "none");
  say("matrix_target", target ? target.className : "none");
  say("scorecards", document.querySelectorAll("div.scorecard").length);
  if (location.search === "?shot") { /* the screenshot: one department, one scorecard */
    choose("dept", "health");
    Array.prototype.forEach.call(document.querySelectorAll("section"), function (s) {
      if (s.id !== "failing" && s.id !== "scorecards") s.style.display = "none";
    });
    Array.prototype.forEach.call(document.querySelectorAll("div.scorecard"), function (d, i) {
      if (i > 0) d.style.display = "none";
    });
  }
  var pre = document.createElement("pre");
  pre.id = "er-test";
  pre.textContent = "\n" + out.join("\n") + "\n";
  document.body.appendChild(pre);
})();
</script>
JS
sed "s/RULE/$rule/" drive.js >drive2.js
awk '/^<\/body>$/ { while ((getline l < "drive2.js") > 0) print l } { print }' \
    r.html >t.html
grep -q 'id = "er-test"' t.html || fail "could not append the test script"

chrome --dump-dom "file://$work/t.html" >dom.html || fail "chromium --dump-dom"
sed -n '/<pre id="er-test">/,/<\/pre>/p' dom.html >result.txt
[ -s result.txt ] || fail "the test script left no result (see dom.html)"
val() { sed -n "s/^$1=//p" result.txt; }

[ "$(val controls)" = shown ] || fail "the filters are not shown with the script"
[ "$(val hidden_box)" = none ] ||
    fail "a hidden filter box displays as $(val hidden_box)"
[ "$(val all)" = "$all" ] || fail "$(val all) rows shown, the run has $all failing"
[ "$(val health)" = "$health" ] ||
    fail "department health: $(val health) rows shown, the CSV has $health"
[ "$(val health_other)" = 0 ] || fail "other departments' rows stay shown"
[ "$(val status)" = "$health" ] || fail "the status line says $(val status)"
[ "$(val meizhou)" = "$meizhou" ] ||
    fail "region 441400: $(val meizhou) rows shown, the CSV has $meizhou"
[ "$(val search)" = "$byrule" ] ||
    fail "search $rule: $(val search) rows shown, the CSV has $byrule"
[ "$(val reset)" = "$all" ] || fail "cleared: $(val reset) rows shown"

# sorted by number, blanks ("—") last, then reversed
order() { # order asc|desc: the measured column is in that order
    val "measured_$1" | tr '|' '\n' | tr -d ', ' | awk -v d="$1" '
        $0 == "—" { blank = 1; next }
        blank { bad = 1 }
        NR > 1 && seen && (d == "asc" ? $0 + 0 < prev : $0 + 0 > prev) { bad = 1 }
        { prev = $0 + 0; seen = 1 }
        END { exit bad }'
}
order asc || fail "measured ascending: $(val measured_asc)"
order desc || fail "measured descending: $(val measured_desc)"
[ "$(val measured_asc)" != "$(val measured_desc)" ] || fail "the second click did not reverse"
codes=$(val region_asc | tr '|' '\n')
[ "$codes" = "$(printf '%s\n' "$codes" | sort)" ] ||
    fail "region column not in code order: $(val region_asc)"

# matrix → scorecard; one scorecard per city and county with findings
case $(val matrix_link) in
"#region-"[0-9]*) ;;
*) fail "a matrix cell links to $(val matrix_link)" ;;
esac
case $(val matrix_target) in
scorecard*) ;;
*) fail "the matrix link's target is $(val matrix_target)" ;;
esac
"$E" export --db s.db region | awk -F, '$4 == "city" || $4 == "county" { print $1 }' |
    sort >levels.txt
"$E" report 1 --db s.db --format csv | awk -F, 'NR > 1 { print $4 }' | sort -u |
    join - levels.txt | wc -l | tr -d ' ' >want.txt
[ "$(val scorecards)" = "$(cat want.txt)" ] ||
    fail "$(val scorecards) scorecards, $(cat want.txt) cities and counties have findings"

# ---- run 2 (梅州市 alone): its scorecard leads the page ---------------------------

chrome --dump-dom "file://$work/r2.html" >dom2.html || fail "dump run 2"
first=$(grep -o '<section id="[a-z-]*"' dom2.html | head -n 1)
[ "$first" = '<section id="focus"' ] || fail "run 2's page opens with $first"
focus=$(tr '\n' ' ' <dom2.html | sed 's/.*<section id="focus"//; s#</section>.*##')
case $focus in
*'<div class="scorecard focus" id="region-441400"'*) ;;
*) fail "the focus is not 梅州市's scorecard" ;;
esac
n2=$("$E" runs --db s.db --format csv | awk -F, '$1 == 2 { print $7 }')
case $focus in
*"<b>$n2</b><span>结果 findings</span>"*) ;;
*) fail "the scorecard does not count run 2's $n2 findings" ;;
esac

# ---- the compare page -----------------------------------------------------------

chrome --dump-dom "file://$work/c.html" >dom3.html || fail "dump compare"
grep -q '<section id="changes">' dom3.html || fail "the compare page did not render"
"$E" report --db s.db --compare 1 3 --format csv | cut -d, -f1 >kinds.txt
changed=$(grep -c '^changed$' kinds.txt)
added=$(grep -c '^added$' kinds.txt)
removed=$(grep -c '^removed$' kinds.txt)
[ $((changed + added + removed)) -gt 0 ] || fail "compare 1 3: no change"
grep -q "变化 $changed 条，新增 $added 条，删除 $removed 条" dom3.html ||
    fail "the compare page does not say $changed changed, $added added, $removed removed"

# ---- screenshots ------------------------------------------------------------------

chrome --hide-scrollbars --screenshot="$work/filters.png" \
    --window-size=1280,2400 "file://$work/t.html?shot" >/dev/null ||
    fail "chromium --screenshot"
chrome --hide-scrollbars --screenshot="$work/scorecard.png" \
    --window-size=1280,2400 "file://$work/r2.html" >/dev/null ||
    fail "chromium --screenshot (run 2)"
for shot in filters scorecard; do
    [ "$(head -c 4 $shot.png | tail -c 3)" = PNG ] || fail "$shot.png is not a PNG"
    size=$(wc -c <$shot.png | tr -d ' ')
    [ "$size" -gt 50000 ] || fail "$shot.png is nearly empty ($size bytes)"
    cp $shot.png "$outdir/report_browser_$shot.png" 2>/dev/null &&
        echo "report_browser_filters: screenshot in $outdir/report_browser_$shot.png"
done

echo "report_browser_filters: ok ($all failing, health $health, 441400 $meizhou)"
exit 0
