#!/bin/sh
# report_browser.sh - end to end: the HTML report as a real browser renders
# it. Builds the built-in sample, runs the shipped rules over 2018-2020,
# writes `equirule report -o report.html`, opens it in headless Chromium and
# checks what the browser made of it (--dump-dom): the summary's counts as
# `equirule runs` gives them, 梅州市 and 汕尾市 among the failing findings,
# one per-capita bar per city and year, no script but the report's own
# (filters and sorting: report_browser_filters.sh). Then saves a screenshot
# (report_browser.png in the folder ctest runs the test in) and prints the
# page to an A4 PDF.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree; CHROMIUM (optional), the browser to use.
# Exit status 77 (ctest: skipped) only when no Chromium is installed: print
# "SKIP: chromium not installed". Install it with
# `EQUIRULE_SETUP_BROWSER=1 scripts/setup`. Any other failure is 1.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "report_browser: FAILED: $*" >&2
    er_browser_log
    exit 1
}

. "$ER_SOURCE_DIR/tests/e2e/lib/browser.sh"
if ! er_find_browser; then
    echo "SKIP: chromium not installed"
    exit 77
fi

outdir=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_browser.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

# ---- the report ---------------------------------------------------------------

"$EQUIRULE_BIN" init --sample --db s.db >/dev/null || fail "init --sample"
"$EQUIRULE_BIN" run --db s.db --rules "$ER_SOURCE_DIR/rules" \
    --years 2018-2020 >run.txt 2>&1
rc=$?
[ $rc -le 1 ] || fail "run exited with $rc: $(tail -n 3 run.txt)"
"$EQUIRULE_BIN" report --db s.db -o report.html >/dev/null ||
    fail "report -o report.html"

# What the database says, through the command line: findings and failing
# findings of run 1, and the number of cities.
line=$("$EQUIRULE_BIN" runs --db s.db --format csv | sed -n 2p)
findings=$(echo "$line" | cut -d, -f7)
failing=$(echo "$line" | cut -d, -f8)
cities=$("$EQUIRULE_BIN" export --db s.db region | awk -F, '$4 == "city"' |
    wc -l | tr -d ' ')
[ -n "$findings" ] && [ "$findings" -gt 0 ] || fail "runs: no findings"
[ "$cities" -eq 21 ] || fail "the sample has $cities cities, expected 21"

# Nothing in the file is fetched from anywhere; its one script is inline.
if grep -Eq '<link|@import|url\(|src=|href="(https?:)?//' report.html
then
    fail "report.html refers to something outside itself"
fi
[ "$(grep -o '<script' report.html | wc -l | tr -d ' ')" -eq 1 ] &&
    grep -q '^<script>$' report.html ||
    fail "report.html holds a script other than its own inline one"

# ---- what the browser rendered ----------------------------------------------

chrome --dump-dom "file://$work/report.html" >dom.html ||
    fail "chromium --dump-dom"
grep -q '<html lang="zh-CN"><head>' dom.html ||
    fail "the browser did not render the page (see dom.html)"
flat=$(tr '\n' ' ' <dom.html)

summary=$(printf '%s' "$flat" | sed 's/.*<p id="summary-text">//; s#</p>.*##')
case $summary in
*"共 $findings 条结果"*) ;;
*) fail "summary does not say $findings findings: $summary" ;;
esac
case $summary in
*"未通过（fail、missing、error）共 $failing 条"*) ;;
*) fail "summary does not say $failing failing: $summary" ;;
esac

failing_section=$(printf '%s' "$flat" |
    sed 's/.*<section id="failing">//; s#</section>.*##')
for name in 梅州市 汕尾市; do
    case $failing_section in
    *"$name"*) ;;
    *) fail "$name is not among the failing findings" ;;
    esac
done
rows=$(printf '%s' "$failing_section" | grep -o '<tr class="finding"' |
    wc -l | tr -d ' ')
[ "$rows" -eq "$failing" ] ||
    fail "$rows failing rows rendered, the run has $failing"

bars=$(grep -o '<rect class="bar"' dom.html | wc -l | tr -d ' ')
[ "$bars" -eq $((cities * 3)) ] ||
    fail "$bars per-capita bars, expected $cities cities x 3 years"
for year in 2018 2019 2020; do
    grep -q "<figure class=\"percap\" data-year=\"$year\"" dom.html ||
        fail "no per-capita chart for $year"
done
[ "$(grep -o '<script' dom.html | wc -l | tr -d ' ')" -eq 1 ] ||
    fail "the rendered page holds a script other than the report's own"

# ---- screenshot and print ------------------------------------------------------

chrome --hide-scrollbars --screenshot="$work/report.png" \
    --window-size=1280,4000 "file://$work/report.html" >/dev/null ||
    fail "chromium --screenshot"
[ -s report.png ] || fail "no screenshot written"
magic=$(head -c 4 report.png | tail -c 3)
[ "$magic" = "PNG" ] || fail "the screenshot is not a PNG"
size=$(wc -c <report.png | tr -d ' ')
[ "$size" -gt 50000 ] || fail "the screenshot is nearly empty ($size bytes)"
cp report.png "$outdir/report_browser.png" 2>/dev/null &&
    echo "report_browser: screenshot in $outdir/report_browser.png"

chrome --no-pdf-header-footer --print-to-pdf="$work/report.pdf" \
    "file://$work/report.html" >/dev/null || fail "chromium --print-to-pdf"
[ "$(head -c 4 report.pdf)" = "%PDF" ] || fail "the printout is not a PDF"
# A4 is 595 x 842 points
if grep -aq '/MediaBox' report.pdf &&
    ! grep -aEq '/MediaBox \[0 0 59[45](\.[0-9]+)? 84[12](\.[0-9]+)?\]' report.pdf
then
    fail "the printout is not A4"
fi

echo "report_browser: ok ($findings findings, $failing failing, $bars bars)"
exit 0
