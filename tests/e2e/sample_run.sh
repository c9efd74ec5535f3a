#!/bin/sh
# sample_run.sh - end to end: create the built-in Guangdong sample, run the
# shipped rules over 2018-2020 and check the stored findings the sample's
# story (data/sample/README.md) promises; then the command line's exit
# statuses for a missing database, an unknown command, --version and help.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "sample_run: FAILED: $*" >&2
    exit 1
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_sample.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

# q SQL: the rows of a query on t.db, '|' between columns.
q() {
    sqlite3 -batch -noheader t.db "$1" 2>&1 || fail "sqlite3: $1"
}

# expect WHAT GOT WANT
expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# ---- init and run ---------------------------------------------------------

"$EQUIRULE_BIN" init --sample --db t.db >init.out 2>init.err
status=$?
[ "$status" -eq 0 ] || fail "init --sample exited $status: $(cat init.err)"
[ -f t.db ] || fail "init --sample did not create t.db"
expect "regions of the sample" "$(q 'SELECT count(*) FROM region')" 56
expect "counties of the sample by city" \
    "$(q "SELECT group_concat(parent || ':' || n, ' ') FROM (SELECT parent, count(*) AS n FROM region WHERE level = 'county' GROUP BY parent ORDER BY parent)")" \
    "440100:11 440800:9 441400:8 441600:6"
# a city's summable facts are its counties' sums, to the unit
expect "city facts that differ from the sum of their counties" \
    "$(q "SELECT count(*) FROM fact c JOIN (SELECT g.parent AS region, f.year, f.metric, sum(f.value) AS total FROM fact f JOIN region g ON g.code = f.region WHERE g.level = 'county' GROUP BY g.parent, f.year, f.metric) k ON k.region = c.region AND k.year = c.year AND k.metric = c.metric WHERE c.value <> k.total")" 0
expect "city transfers that differ from the sum of their counties" \
    "$(q "SELECT count(*) FROM transfer c JOIN (SELECT g.parent AS region, t.year, t.item, sum(t.amount) AS total FROM transfer t JOIN region g ON g.code = t.region WHERE g.level = 'county' GROUP BY g.parent, t.year, t.item) k ON k.region = c.region AND k.year = c.year AND k.item = c.item WHERE c.amount <> k.total")" 0

"$EQUIRULE_BIN" run --db t.db --rules "$ER_SOURCE_DIR/rules" \
    --years 2018-2020 >run.out 2>run.err
status=$?
[ "$status" -eq 1 ] ||
    fail "run exited $status, expected 1 (the sample fails by design): $(cat run.err)"
grep -q 'failing findings' run.out || fail "run printed no failing findings"

# ---- the findings ----------------------------------------------------------

# f RULE REGION YEAR COLUMNS: one stored finding's columns
f() {
    q "SELECT $4 FROM finding WHERE rule = '$1' AND region = '$2' AND year = $3"
}

expect "health.public_health_per_capita 441400 (梅州) 2019" \
    "$(f health.public_health_per_capita 441400 2019 \
        "outcome || ' ' || printf('%.2f', measured) || ' ' || required")" \
    "fail 63.93 69.0"
expect "health.public_health_per_capita 441500 (汕尾) 2019" \
    "$(f health.public_health_per_capita 441500 2019 \
        "outcome || ' ' || printf('%.2f', measured) || ' ' || required")" \
    "fail 67.00 69.0"
expect "health.public_health_per_capita 441600 (河源) 2019, exactly at 69" \
    "$(f health.public_health_per_capita 441600 2019 outcome)" pass

# a county below the standard under a city that passes: 大埔县 in 2020
expect "health.public_health_per_capita 441400 (梅州) 2020" \
    "$(f health.public_health_per_capita 441400 2020 \
        "outcome || ' ' || printf('%.2f', measured) || ' ' || required")" \
    "pass 74.50 74.0"
expect "health.public_health_per_capita 441422 (大埔县) 2020" \
    "$(f health.public_health_per_capita 441422 2020 \
        "outcome || ' ' || printf('%.2f', measured) || ' ' || required")" \
    "fail 66.23 74.0"
expect "health.public_health_per_capita of 梅州's other counties in 2020" \
    "$(q "SELECT group_concat(DISTINCT outcome) FROM finding WHERE rule = 'health.public_health_per_capita' AND year = 2020 AND region LIKE '4414%' AND region NOT IN ('441400', '441422')")" \
    pass
# the within-city gap: 湛江's counties diverge beyond 30%, the others not
expect "finance.county_spending_gap 2019" \
    "$(q "SELECT group_concat(region || ':' || outcome || ':' || printf('%.4f', measured), ' ') FROM (SELECT region, outcome, measured FROM finding WHERE rule = 'finance.county_spending_gap' AND year = 2019 AND outcome <> 'skip' ORDER BY region)")" \
    "440100:pass:0.2174 440800:fail:0.4138 441400:pass:0.1481 441600:pass:0.1204"
expect "finance.county_spending_gap skips (cities without counties)" \
    "$(q "SELECT count(*) FROM finding WHERE rule = 'finance.county_spending_gap' AND outcome = 'skip'")" 51
# county cost sharing: every county finding assessed but the nutrition
# skips of 广州's districts; the fails are the story's (湛江 paid 徐闻县's
# 2019 public health 80% of its part) and the county side of the city
# stories (湛江's 2018 nutrition at 600, 梅州's 2019 public health below
# the standard, 大埔县 below it in 2018 and 2020)
expect "finance.county_cost_sharing findings by outcome" \
    "$(q "SELECT group_concat(outcome || '=' || n, ' ') FROM (SELECT outcome, count(*) AS n FROM finding WHERE rule LIKE 'finance.county_cost_sharing.%' GROUP BY outcome ORDER BY outcome)")" \
    "fail=20 pass=967 skip=33"
expect "finance.county_cost_sharing fails" \
    "$(q "SELECT group_concat(k || ':' || n, ' ') FROM (SELECT year || '/' || substr(rule, 29) || '/' || substr(region, 1, 4) AS k, count(*) AS n FROM finding WHERE rule LIKE 'finance.county_cost_sharing.%' AND outcome = 'fail' GROUP BY k ORDER BY k)")" \
    "2018/edu.nutrition/4408:9 2018/health.public_health/4414:1 2019/health.public_health/4408:1 2019/health.public_health/4414:8 2020/health.public_health/4414:1"
expect "finance.county_cost_sharing.health.public_health 440825 (徐闻县) 2019" \
    "$(f finance.county_cost_sharing.health.public_health 440825 2019 \
        "outcome || ' ' || printf('%.6f', measured) || ' ' || note")" \
    "fail 0.800000 所需 69 × 741295 = 51149355 元；省级（第1档 0.7）应担 35804549 元，已拨 35804549.00 元；市级（湛江市 分担 0.5）应担 0.5 × (51149355 − 35804549) = 7672403 元，已拨 6137922.00 元；县级应担 7672403 元，自有支出 11252858.00 元（支出 53195329.00 − 省级转移 35804549.00 − 市级转移 6137922.00）；市级少拨 1534481.00 元"
expect "city payments that differ from the county rule's city part" \
    "$(q "SELECT count(*) FROM finding WHERE rule LIKE 'finance.county_cost_sharing.%' AND note LIKE '%市级少拨%'")" 1

expect "civil_affairs.hardship_per_capita 441500 (汕尾) 2019" \
    "$(f civil_affairs.hardship_per_capita 441500 2019 outcome)" missing
note=$(f civil_affairs.hardship_per_capita 441500 2019 note)
case $note in
*assist.hardship.beneficiaries*441500*2019*) ;;
*) fail "the missing finding's note does not name metric, region and year: $note" ;;
esac
# the provincial average lacks 汕尾: no other city is judged against it
expect "civil_affairs.hardship_per_capita of 2019 not missing" \
    "$(q "SELECT count(*) FROM finding WHERE rule = 'civil_affairs.hardship_per_capita' AND year = 2019 AND outcome <> 'missing'")" 0
note=$(f civil_affairs.hardship_per_capita 441400 2019 note)
case $note in
*汕尾市*assist.hardship.beneficiaries*) ;;
*) fail "梅州's missing finding does not name the city the average lacks: $note" ;;
esac

expect "finance.subsidy_cut 440300 (深圳) 2019" \
    "$(f finance.subsidy_cut 440300 2019 "outcome || ' ' || amount")" \
    "cut 959400000"

for year in 2019 2020; do
    cuts=$(q "SELECT total(amount) FROM finding WHERE outcome = 'cut' AND year = $year")
    allocations=$(q "SELECT total(amount) FROM finding WHERE outcome = 'allocation' AND year = $year")
    [ "$cuts" != "0.0" ] || fail "no cut in $year"
    expect "allocations of $year (cuts $cuts)" "$allocations" "$cuts"
done
# the pool goes to the less developed (outside the core zone), never to a
# city cut the same year: 2019 and 2020 each give it to 揭阳, 茂名, 汕头
expect "allocations to a core city or a city cut that year" \
    "$(q "SELECT count(*) FROM finding a JOIN region g ON g.code = a.region WHERE a.outcome = 'allocation' AND (g.zone IS NOT 'east' AND g.zone IS NOT 'west' AND g.zone IS NOT 'north' OR EXISTS (SELECT 1 FROM finding c WHERE c.run = a.run AND c.year = a.year AND c.region = a.region AND c.outcome = 'cut'))")" 0
expect "recipients of the cut pool by year" \
    "$(q "SELECT group_concat(year || ':' || region, ' ') FROM (SELECT year, region FROM finding WHERE outcome = 'allocation' ORDER BY year, region)")" \
    "2019:440500 2019:440900 2019:445200 2020:440500 2020:440900 2020:445200"
# no cut is more than the transfers of the city and year it is taken from
expect "cuts above the transfers paid" \
    "$(q "SELECT count(*) FROM finding f WHERE f.rule = 'finance.subsidy_cut' AND f.outcome = 'cut' AND f.amount > (SELECT coalesce(sum(t.amount), 0) * 100 FROM transfer t WHERE t.region = f.region AND t.year = f.year)")" 0
expect "amounts are whole fen" \
    "$(q "SELECT count(*) FROM finding WHERE amount IS NOT NULL AND typeof(amount) <> 'integer'")" 0

# the short board measures against the national averages (estimates in the
# sample), and names the items without one; explain shows each average read
expect "finance.short_board by year" \
    "$(q "SELECT group_concat(year || ':' || outcome || ':' || measured, ' ') FROM (SELECT year, outcome, measured FROM finding WHERE rule = 'finance.short_board' ORDER BY year)")" \
    "2018:fail:3.0 2019:fail:2.0 2020:fail:1.0"
note=$(f finance.short_board 440000 2019 note)
case $note in
*"2. 义务教育公用经费保障 达标率 99.43%（差距 0.57%）"*"以国家标准为参照：中职国家助学金、中职免学费补助、计划生育扶助保障"*) ;;
*) fail "finance.short_board 2019 note: $note" ;;
esac
"$EQUIRULE_BIN" explain --db t.db --rules "$ER_SOURCE_DIR/rules" --year 2019 \
    finance.short_board 440000 >explain.out 2>&1 ||
    fail "explain finance.short_board: $(cat explain.out)"
grep -q "average   edu.public_funds.primary = 780 元/生·年  (national average 2019; source: estimate" explain.out ||
    fail "explain does not show the national average read: $(cat explain.out)"

expect "finance.spending_gap by year" \
    "$(q "SELECT group_concat(year || ':' || outcome, ' ') FROM (SELECT year, outcome FROM finding WHERE rule = 'finance.spending_gap' AND region = '440000' ORDER BY year)")" \
    "2018:fail 2019:pass 2020:pass"

# ---- the run and its audit trail ---------------------------------------------

expect "stored runs" "$(q "SELECT count(*) || ' ' || min(status) || ' ' || min(years) FROM run")" \
    "1 done 2018-2020"
expect "findings outside the run" \
    "$(q "SELECT count(*) FROM finding WHERE run NOT IN (SELECT id FROM run)")" 0

files=$(q "SELECT count(*) FROM rule_file")
[ "$files" -gt 0 ] || fail "no rule_file rows"
expect "rule_file digests that are not SHA-256 hex" \
    "$(q "SELECT count(*) FROM rule_file WHERE length(sha256) <> 64 OR sha256 GLOB '*[^0-9a-f]*'")" 0
rule=health/public_health_per_capita.lua
stored=$(q "SELECT sha256 FROM rule_file WHERE path = '$rule'")
if command -v sha256sum >/dev/null 2>&1; then
    actual=$(sha256sum "$ER_SOURCE_DIR/rules/$rule" | cut -d' ' -f1)
    expect "sha256 of $rule" "$stored" "$actual"
else
    [ -n "$stored" ] || fail "no rule_file row for $rule"
fi

expect "PRAGMA integrity_check" "$(q 'PRAGMA integrity_check')" ok

# ---- one region: a rule that reads the results of another --------------------
# cut_redistribution at the province reads subsidy_cut of every city: with
# --region 440000 the cities are still evaluated, and only the province's
# evaluation (the allocations it makes) is recorded
"$EQUIRULE_BIN" run --db t.db --rules "$ER_SOURCE_DIR/rules" --year 2019 \
    --rule finance.cut_redistribution --region 440000 >region.out 2>&1
status=$?
expect "exit status of run --region 440000" "$status" 0
rrun=$(q "SELECT max(id) FROM run")
expect "pool allocated under --region 440000 (fen)" \
    "$(q "SELECT sum(amount) FROM finding WHERE run = $rrun AND outcome = 'allocation'")" \
    "$(q "SELECT sum(amount) FROM finding WHERE run = 1 AND year = 2019 AND rule = 'finance.subsidy_cut' AND outcome = 'cut'")"
expect "subsidy_cut findings recorded under --region 440000" \
    "$(q "SELECT count(*) FROM finding WHERE run = $rrun AND rule = 'finance.subsidy_cut'")" 0

# ---- a region no selected rule evaluates ---------------------------------------
# the province-level gap rules evaluate no county: refused, naming the
# region, its level and the rules' levels, and nothing is stored
runs=$(q "SELECT count(*) FROM run")
"$EQUIRULE_BIN" run --db t.db --rules "$ER_SOURCE_DIR/rules" --year 2019 \
    --rule finance.spending_gap --region 441422 >county.out 2>county.err
status=$?
expect "exit status of run --region 441422 with a province rule" "$status" 2
grep -q "441422 大埔县, a county: the selected rules evaluate province regions" \
    county.err || fail "the refusal does not say why: $(cat county.err)"
expect "runs after the refused run" "$(q "SELECT count(*) FROM run")" "$runs"
# with every rule, the county is evaluated by the county rules
"$EQUIRULE_BIN" run --db t.db --rules "$ER_SOURCE_DIR/rules" --year 2020 \
    --region 441422 >county.out 2>&1
status=$?
expect "exit status of run --region 441422 (大埔县 fails)" "$status" 1
crun=$(q "SELECT max(id) FROM run")
expect "regions of the findings of run --region 441422" \
    "$(q "SELECT group_concat(DISTINCT region) FROM finding WHERE run = $crun")" 441422

# ---- the command line ----------------------------------------------------------

"$EQUIRULE_BIN" run --db missing.db --rules "$ER_SOURCE_DIR/rules" \
    >missing.out 2>missing.err
status=$?
expect "exit status of run on a missing database" "$status" 3
grep -q 'equirule init' missing.err ||
    fail "run on a missing database does not point to equirule init: $(cat missing.err)"
[ ! -e missing.db ] || fail "run created missing.db"

"$EQUIRULE_BIN" frobnicate >unknown.out 2>unknown.err
status=$?
expect "exit status of an unknown command" "$status" 2
grep -q "frobnicate" unknown.err || fail "the unknown command is not named: $(cat unknown.err)"

"$EQUIRULE_BIN" --version >version.out 2>&1
status=$?
expect "exit status of --version" "$status" 0
grep -q '^equirule [0-9]' version.out || fail "--version printed: $(cat version.out)"

"$EQUIRULE_BIN" help run >help.out 2>&1
status=$?
expect "exit status of help run" "$status" 0
grep -q '^usage: equirule run' help.out || fail "help run printed: $(cat help.out)"
grep -q -- '--years' help.out || fail "help run does not list --years"

echo "sample_run: all checks passed"
exit 0
