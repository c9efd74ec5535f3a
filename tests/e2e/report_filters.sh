#!/bin/sh
# report_filters.sh - end to end on the built-in sample: `report` filters
# (--region by code, name, short name and English name with everything
# below it, --dept, --rule as an id or a prefix, --year, --outcome,
# --failing) give exact row counts in every format and say what was
# filtered; unknown names are usage errors with "did you mean"; a filter
# nothing passes is an error, not an empty report; `report --compare`
# takes the same filters and --changed outcome; `runs` shows each run's
# scope and the default report is of the latest full run; `run --region`
# accepts a name.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. The counts are those of the sample of
# data/sample (2018-2020, 65 rules, 4023 findings).

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "report_filters: FAILED: $*" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_filters.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

E=$EQUIRULE_BIN
R=$ER_SOURCE_DIR/rules

# expect WHAT GOT WANT
expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# rows FILTER...: the findings `report --format csv` lists with FILTER
rows() {
    "$E" report --db t.db 1 --format csv "$@" >out.csv 2>err ||
        { cat err; fail "report $*: exit status $?"; }
    echo $(($(wc -l <out.csv) - 1))
}

"$E" init --sample --db t.db >/dev/null || fail "init"
"$E" run --db t.db --rules "$R" --years 2018-2020 >/dev/null 2>&1
[ $? -le 1 ] || fail "the full run"

# ---- the row counts of each filter ------------------------------------------
expect "no filter" "$(rows)" 4023
expect "--region 441400" "$(rows --region 441400)" 533
expect "--region 梅州市" "$(rows --region 梅州市)" 533
expect "--region 梅州" "$(rows --region 梅州)" 533
expect "--region meizhou" "$(rows --region meizhou)" 533
expect "--region 440000 (the province and below)" "$(rows --region 440000)" 4023
expect "two regions" "$(rows --region 梅州 --region 441600)" 958
expect "--dept health" "$(rows --dept health)" 228
expect "--dept health --dept education" \
    "$(rows --dept health --dept education)" 1470
expect "--rule finance.cost_sharing (a prefix)" \
    "$(rows --rule finance.cost_sharing)" 630
expect "--rule finance.cost_sharing.edu" \
    "$(rows --rule finance.cost_sharing.edu)" 189
expect "--rule an id" "$(rows --rule health.public_health_per_capita)" 165
expect "--year 2019" "$(rows --year 2019)" 1349
expect "--failing" "$(rows --failing)" 131
expect "--outcome fail" "$(rows --outcome fail)" 76
expect "--outcome fail,missing" "$(rows --outcome fail,missing)" 131
expect "--outcome fail --outcome missing" \
    "$(rows --outcome fail --outcome missing)" 131
expect "--region 梅州 --failing" "$(rows --region 梅州 --failing)" 31
expect "--dept finance --year 2020 --outcome cut" \
    "$(rows --dept finance --year 2020 --outcome cut)" 2

# every row of a region filter is of that region or one below it: 梅州市
# and its eight counties
rows --region 梅州 >/dev/null
[ "$(cut -d, -f4 out.csv | sort -u | tr '\n' ' ')" = "441400 441402 441403 441422 441423 441424 441426 441427 441481 region " ] ||
    fail "--region 梅州: rows of other regions"

# ---- the header says what was filtered --------------------------------------
"$E" report --db t.db 1 --region 梅州 --failing --format text >out.txt 2>&1 ||
    fail "text report"
grep -q '^filtered: region 441400 梅州市 and below; outcome fail, missing, error$' out.txt ||
    { cat out.txt; fail "text: the filter line"; }
grep -q '^failing findings (31):$' out.txt || fail "text: the failing count"
"$E" report --db t.db 1 --region 梅州 --failing --format md >out.md 2>&1 ||
    fail "md report"
grep -q '^\*\*筛选 filtered:\*\* region 441400 梅州市 and below; outcome fail, missing, error' out.md ||
    fail "md: the filter line"
"$E" report --db t.db 1 --region 梅州 --failing --format html >out.html 2>&1 ||
    fail "html report"
grep -q '<p class="sub filter">筛选 filtered: region 441400 梅州市 and below; outcome fail, missing, error</p>' out.html ||
    fail "html: the filter line"
"$E" report --db t.db 1 --region 梅州 --failing --format json >out.json 2>&1 ||
    fail "json report"
grep -q '"filter": {"regions": \[{"code": "441400", "name": "梅州市"}\], "departments": \[\], "rules": \[\], "year": null, "outcomes": \["fail", "missing", "error"\]},' out.json ||
    fail "json: the filter object"
grep -q '"findings": 31,' out.json || fail "json: the summary counts the filtered findings"
"$E" report --db t.db 1 --format json >out.json 2>&1 || fail "json report"
grep -q '"filter": null,' out.json || fail "json: no filter"

# ---- mistakes are loud ------------------------------------------------------
"$E" report --db t.db 1 --region Meizou >out 2>&1
expect "unknown region: exit status" $? 2
grep -q "no region 'Meizou' in t.db (did you mean Meizhou?)" out ||
    { cat out; fail "unknown region: message"; }
"$E" report --db t.db 1 --dept helth >out 2>&1
expect "unknown dept: exit status" $? 2
grep -q "run 1 has no department 'helth' (did you mean health?)" out ||
    { cat out; fail "unknown dept: message"; }
"$E" report --db t.db 1 --rule finance.cost_sharin >out 2>&1
expect "unknown rule: exit status" $? 2
grep -q "(did you mean finance.cost_sharing?)" out ||
    { cat out; fail "unknown rule: message"; }
"$E" report --db t.db 1 --outcome fial >out 2>&1
expect "unknown outcome: exit status" $? 2
grep -q "no outcome 'fial' (did you mean fail?)" out ||
    { cat out; fail "unknown outcome: message"; }
"$E" report --db t.db 1 --outcome error --format csv >out 2>&1
expect "nothing passes: exit status" $? 3
grep -q "no finding of run 1 passes the filter (outcome error)" out ||
    { cat out; fail "nothing passes: message"; }
"$E" report --db t.db 1 --year 2017 >out 2>&1
expect "a year outside the run: exit status" $? 3

# ---- compare: the same filters, and --changed outcome -----------------------
"$E" run --db t.db --rules "$R" --years 2018-2020 \
    --set finance.resident_coverage.min_resident=0.97 >/dev/null 2>&1
"$E" report --db t.db --compare 1 2 >out 2>&1
expect "compare: exit status" $? 1
grep -q '^63 changed, 0 added, 0 removed, 3960 unchanged$' out ||
    { cat out; fail "compare: counts"; }
"$E" report --db t.db --compare 1 2 --changed outcome >out 2>&1
expect "compare --changed outcome: exit status" $? 1
grep -q '^1 changed, 0 added, 0 removed, 3960 unchanged$' out ||
    { cat out; fail "compare --changed outcome: counts"; }
grep -q '^62 findings changed only measured or required; not listed$' out ||
    fail "compare --changed outcome: the rest"
"$E" report --db t.db --compare 1 2 --changed outcome --region 梅州 >out 2>&1
expect "compare --region 梅州 --changed outcome: exit status" $? 0
grep -q '^filtered: region 441400 梅州市 and below$' out ||
    { cat out; fail "compare: the filter line"; }
grep -q '^0 changed, 0 added, 0 removed, 530 unchanged$' out ||
    fail "compare --region: counts"
grep -q '^3 findings changed only measured or required; not listed$' out ||
    fail "compare --region: the rest"
"$E" report --db t.db --compare 1 2 --format csv --rule finance.resident_coverage \
    --changed any >out.csv 2>&1
expect "compare --rule csv rows" "$(($(wc -l <out.csv) - 1))" 63
"$E" report --db t.db 1 --changed outcome >out 2>&1
expect "--changed without --compare" $? 2

# ---- runs show the scope; the default report is the latest full run -------
"$E" run --db t.db --rules "$R" --year 2019 --region 梅州市 >out 2>&1
[ $? -le 1 ] || { cat out; fail "run --region 梅州市"; }
grep -q '^partial run: region 441400 梅州市$' out || { cat out; fail "run: partial"; }
"$E" run --db t.db --rules "$R" --year 2019 --region 梅 >out 2>&1
expect "run --region 梅: exit status" $? 2
"$E" runs --db t.db >out 2>&1 || fail "runs"
grep -q '^1 .* full$' out || { cat out; fail "runs: run 1 is full"; }
grep -q '^2 .* set finance.resident_coverage.min_resident=0.97$' out ||
    fail "runs: run 2's override"
grep -q '^3 .* region 441400 梅州市$' out || fail "runs: run 3's region"
"$E" runs --db t.db --format json >out 2>&1 || fail "runs json"
grep -q '"scope": "region 441400 梅州市"' out || fail "runs json: scope"
"$E" report --db t.db --format md -o r.md >/dev/null 2>err || fail "default report"
grep -q '^equirule: report of run 1, the latest full run$' err ||
    { cat err; fail "default report: stderr"; }
grep -q '^# 基本公共服务均等化规则评估报告 · run 1$' r.md || fail "default report: run 1"
grep -q 'partial run' r.md && fail "default report: run 1 is not partial"

rm -f p.db
"$E" init --sample --db p.db >/dev/null || fail "init p.db"
"$E" run --db p.db --rules "$R" --dept health >/dev/null 2>&1
"$E" report --db p.db --format md -o p.md >/dev/null 2>err || fail "partial default report"
grep -q '^equirule: no full run stored; report of run 1, the latest run, partial: dept health$' err ||
    { cat err; fail "partial default report: stderr"; }
grep -q '^\*\*部分运行 partial run:\*\* dept health' p.md ||
    fail "partial default report: header"

# ---- explain takes the same region names -------------------------------------
"$E" explain health.public_health_per_capita 梅州 --db t.db --rules "$R" \
    --year 2019 >out 2>&1 || { cat out; fail "explain 梅州"; }
grep -q '441400' out || fail "explain 梅州: the region"

echo "report_filters: ok"
