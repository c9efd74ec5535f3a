#!/bin/sh
# assessed.sh - end to end: a run says what it could not check. On copies
# of the built-in sample: the sample run's assessed coverage and its one
# data gap; a database without standard rows (run --year 2019 --dept
# health assesses nothing: both rules listed as 未评估, never "no failing
# findings", exit status 1); three cities without a resident population
# (the data gaps read as one metric, three regions); --min-assessed and its
# refused values; the reports' coverage and gap sections.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

E=$EQUIRULE_BIN
RULES=$ER_SOURCE_DIR/rules

fail() {
    echo "assessed: FAILED: $*" >&2
    exit 1
}

note() {
    echo "assessed: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_assessed.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

q() {
    sqlite3 -batch -noheader "$1" "$2" 2>&1 || fail "sqlite3: $2"
}

expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# has FILE TEXT: FILE holds TEXT (a fixed string)
has() {
    grep -qF -- "$2" "$1" || fail "$1 does not say '$2':
$(cat "$1")"
}

# lacks FILE TEXT
lacks() {
    grep -qF -- "$2" "$1" && fail "$1 says '$2':
$(cat "$1")"
    return 0
}

# run NAME STATUS ARGS...: equirule ARGS > NAME.out 2> NAME.err, exit STATUS
run() {
    name=$1
    want=$2
    shift 2
    "$E" "$@" >"$name.out" 2>"$name.err"
    got=$?
    [ "$got" -eq "$want" ] ||
        fail "$name: equirule $* exited $got, expected $want: $(cat "$name.err")"
}

"$E" init --sample --db sample.db >/dev/null 2>&1 || fail "init --sample"

# ---- the sample: its findings as before, the coverage beside them ----------

run sample 1 run --db sample.db --rules "$RULES" --years 2018-2020
# 65 rules over the province and its 21 cities, 8 of them over the 34
# counties too (816 findings), finance.county_spending_gap over the
# cities (63), and the 10 county cost-sharing rules over the counties
# (1020), which the sample's splits, transfers and payments let assess
expect "findings of the sample" "$(q sample.db 'SELECT count(*) FROM finding')" 4023
expect "findings by outcome" \
    "$(q sample.db "SELECT group_concat(outcome || '=' || n, ' ') FROM (SELECT outcome, count(*) AS n FROM finding GROUP BY outcome ORDER BY outcome)")" \
    "allocation=6 cut=4 fail=76 missing=55 pass=3711 skip=171"
expect "run_count by year adds up to the findings" \
    "$(q sample.db 'SELECT sum(n) FROM run_count')" 4023
expect "run_count years" \
    "$(q sample.db 'SELECT group_concat(DISTINCT year) FROM run_count')" "2018,2019,2020"
has sample.out "assessed (已评估) 3797 of 4023 findings (94.3%); not assessed: 171 skip, 55 missing"
has sample.out "data gaps (数据缺口): 55 missing findings lack 1 metric"
# the 20 cities and 34 counties whose average lacks 汕尾市 say so through
# the helper's gaps
has sample.out "assist.hardship.beneficiaries（困难群众救助人数）: 1 region, 2019 (汕尾市): 55 findings of 1 rule missing"
expect "the sample's gaps" \
    "$(q sample.db "SELECT count(*) || ' ' || count(DISTINCT region) || ' ' || group_concat(DISTINCT kind || ':' || key || ':' || data_region || ':' || data_year) FROM run_gap")" \
    "55 55 fact:assist.hardship.beneficiaries:441500:2019"
# every city's and county's finding of hardship_per_capita lacks 汕尾市's
# figure in 2019
has sample.out "not assessed (未评估): 1 rule-year assessed nothing"
has sample.out "2019  civil_affairs.hardship_per_capita        缺数据 (missing data): assist.hardship.beneficiaries（困难群众救助人数） ×55 — 55 missing"
expect "the sample's gap rows" \
    "$(q sample.db "SELECT group_concat(DISTINCT rule || '|' || kind || '|' || key || '|' || data_region || '|' || data_year) FROM run_gap")" \
    "civil_affairs.hardship_per_capita|fact|assist.hardship.beneficiaries|441500|2019"
note "the sample run: 94.3% assessed, one data gap (one metric, one region, 55 findings)"

# ---- a database without standards: nothing assessed is not clean ------------

cp sample.db nostd.db
q nostd.db "DELETE FROM standard" >/dev/null
run nostd 1 run --db nostd.db --rules "$RULES" --year 2019 --dept health
has nostd.out "assessed (已评估) 0 of 76 findings (0.0%); not assessed: 76 skip"
has nostd.out "no evaluation was assessed"
has nostd.out "2019  health.family_planning_award"
has nostd.out "未评估：本年度无标准 (no standard in force: health.family_planning) — 21 skip"
has nostd.out "2019  health.public_health_per_capita"
has nostd.out "未评估：本年度无标准 (no standard in force: health.public_health) — 55 skip"
lacks nostd.out "no failing findings"
has nostd.err "equirule: no evaluation was assessed: 76 findings, all skip, missing or error"
run nostd_json 1 run --db nostd.db --rules "$RULES" --year 2019 --dept health --format json
has nostd_json.out '"assessed": 0, "assessed_share": 0,'
has nostd_json.out '"reason": "未评估：本年度无标准 (no standard in force: health.public_health) — 55 skip"'
note "no standards: the rules listed as 未评估, exit status 1"

# ---- three cities without a resident population: one metric, three regions --

cp sample.db nopop.db
q nopop.db "
            DELETE FROM fact WHERE metric = 'pop.resident' AND year = 2019
              AND region IN ('445300', '445100', '441500')" >/dev/null
run nopop 1 run --db nopop.db --rules "$RULES" --year 2019
has nopop.out "pop.resident（常住人口）: 3 regions, 2019 (汕尾市, 潮州市, 云浮市)"
missing=$(q nopop.db "SELECT count(*) FROM finding WHERE outcome = 'missing'")
[ "$missing" -gt 3 ] || fail "only $missing missing findings"
# every missing finding says what it lacked (an aggregate lacking several
# cities has a row for each)
expect "every missing finding's gap is recorded" \
    "$(q nopop.db "SELECT count(*) FROM finding f WHERE outcome = 'missing' AND EXISTS (SELECT 1 FROM run_gap g WHERE g.run = f.run AND g.rule = f.rule AND g.region = f.region AND g.year = f.year AND g.kind = 'fact')")" "$missing"
expect "the gaps name the three cities' residents (and the sample's own gap)" \
    "$(q nopop.db "SELECT group_concat(DISTINCT key || ':' || data_region) FROM (SELECT * FROM run_gap ORDER BY data_region)")" \
    "assist.hardship.beneficiaries:441500,pop.resident:441500,pop.resident:445100,pop.resident:445300"
has nopop.out "缺数据：445300 云浮市 无 pop.resident 的 2019 年数值 / no value of pop.resident for 445300 云浮市 in 2019"
note "no resident population in three cities: $missing missing findings read as one metric"

# check, without a run: the same gaps, and nothing stored
runs_before=$(q nopop.db "SELECT count(*) FROM run")
run check_nopop 0 check --db nopop.db --rules "$RULES" --year 2019
has check_nopop.out "integrity of nopop.db, every year: no errors"
has check_nopop.out "data gaps (数据缺口): "
has check_nopop.out "pop.resident（常住人口）: 3 regions, 2019 (汕尾市, 潮州市, 云浮市)"
has check_nopop.out "not assessed (未评估): "
expect "check stores no run" "$(q nopop.db "SELECT count(*) FROM run")" "$runs_before"
note "check: the data gaps without a run"

# ---- --min-assessed -----------------------------------------------------------

# 2019's nutrition rule: 12 of 21 cities and 23 of 34 counties assessed
# (广州's 11 districts, like the core cities, skip)
run min_ok 0 run --db sample.db --rules "$RULES" --year 2019 \
    --rule education.nutrition_per_student --min-assessed 0.5
lacks min_ok.err "min-assessed"
run min_low 1 run --db sample.db --rules "$RULES" --year 2019 \
    --rule education.nutrition_per_student --min-assessed 0.7
has min_low.err "equirule: assessed 35 of 55 findings (63.6%), below --min-assessed 0.7"
run min_all 0 run --db sample.db --rules "$RULES" --year 2019 \
    --rule hrss.pension_basic_minimum --min-assessed 1
for bad in 1.5 90% -0.1 1e-1 "" . 0.5x; do
    run min_bad 2 run --db sample.db --rules "$RULES" --year 2019 \
        --min-assessed "$bad"
    has min_bad.err "bad --min-assessed '$bad': a plain decimal from 0 to 1"
done
note "--min-assessed: exit status 1 below the share, 2 for a value that is not one"

# ---- the reports ------------------------------------------------------------------
# (of the latest run, partial: without RUN, a report is of the latest full run)

run report_html 0 report latest --db nostd.db --format html -o nostd.html
has nostd.html '<section id="not-assessed">'
has nostd.html '未评估：本年度无标准 (no standard in force: health.public_health) — 55 skip'
has nostd.html '<section id="data-gaps">'
has nostd.html '<span>已评估 assessed</span>'
has nostd.html '没有任何评估得出结论'
run report_md 0 report latest --db nopop.db --format md -o nopop.md
has nopop.md "| pop.resident（常住人口） | 3 regions, 2019 (汕尾市, 潮州市, 云浮市):"
has nopop.md " 已评估 assessed |"
run report_json 0 report latest --db nopop.db --format json -o nopop.json
has nopop.json '"coverage": {"findings": '
has nopop.json '{"kind": "fact", "key": "pop.resident", "name": "常住人口", "year": 2019,'
run report_text 0 report latest --db nostd.db --format text
has report_text.out "no evaluation was assessed"
note "reports: assessed coverage, 未评估 and 数据缺口"

# ---- runs: the assessed share of each run ---------------------------------------

run runs_text 0 runs --db nostd.db
grep -q "^2 .*  0.0% " runs_text.out || fail "runs: run 2 not 0.0% assessed: $(cat runs_text.out)"
grep -q "^1 .* 94.3% " runs_text.out || fail "runs: run 1 not 94.3% assessed: $(cat runs_text.out)"
run runs_csv 0 runs --db sample.db --format csv
# the last column: the data version the run read (`equirule log`)
head -1 runs_csv.out | grep -q ",options,assessed_share,scope,data_version$" || fail "runs csv header: $(cat runs_csv.out)"
grep -q ",0.943823,,[0-9][0-9]*$" runs_csv.out || fail "runs csv: $(cat runs_csv.out)"
run runs_json 0 runs --db nostd.db --format json
has runs_json.out '"assessed_share": 0, "scope": "dept health", "data_version": '
note "runs: the assessed share of each run"
