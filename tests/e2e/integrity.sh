#!/bin/sh
# integrity.sh - end to end: bad data never turns into money. On copies of
# the built-in sample, the scenarios of issue 13 are replayed through
# `import` (zero and negative population, negative spending, a ratio above
# its bound, 1e300, a negative transfer, a metric domain that stored facts
# break: each refused with file:line:column, the value and the rule it
# breaks, nothing imported) and through the sqlite3 shell (the same values
# written directly, a second national 2019 public-health standard, a
# second tier-1 share for 2019, a region whose parent is missing, parents
# that loop): `run` and `explain` stop with exit 3 listing the rows and
# store nothing, `check` lists them with exit 3. A run on a year without
# facts is exit 3 naming the years that have facts. A national average
# without a unit or of 0, or of an item whose standard is set per part,
# and a transfer of a fraction of a fen are refused by import and stop
# `check` and `run`; a run of a year no selected rule is in force is exit
# 2 and stores nothing. The sample itself is clean and its run unchanged.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell
# (scripts/setup installs it).

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "integrity: FAILED: $*" >&2
    exit 1
}
note() {
    echo "integrity: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_integrity.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

RULES="$ER_SOURCE_DIR/rules"

# q DB SQL: the rows of a query, '|' between columns
q() {
    sqlite3 -batch -noheader "$1" "$2" 2>&1 || fail "sqlite3: $2"
}

# expect WHAT GOT WANT
expect() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

# says WHAT FILE TEXT: FILE holds TEXT (a fixed string)
says() {
    grep -qF -- "$3" "$2" || fail "$1: does not say '$3': $(cat "$2")"
}

"$EQUIRULE_BIN" init --sample --db sample.db >/dev/null 2>&1 ||
    fail "init --sample"

# ---- the sample is clean, and its run is what it was ----------------------

"$EQUIRULE_BIN" check --rules "$RULES" --db sample.db >check.out 2>check.err
expect "check of the sample" "$?" 0
says "check of the sample" check.out "integrity of sample.db, every year: no errors"
# no warning, and the completeness of the latest year: the sample's one
# gap is in 2019, so 2020 has none
! grep -q "warning" check.out ||
    fail "check of the sample has warnings: $(cat check.out)"
says "check of the sample" check.out "assessed (已评估) "
! grep -q "数据缺口" check.out ||
    fail "check of the sample's 2020 has data gaps: $(cat check.out)"
"$EQUIRULE_BIN" run --db sample.db --rules "$RULES" --years 2018-2020 \
    >run.out 2>run.err
expect "run of the sample (it fails by design)" "$?" 1
expect "findings of the sample run" \
    "$(q sample.db "SELECT count(*) FROM finding")" 4023
expect "cut and allocation totals of the sample run (fen)" \
    "$(q sample.db "SELECT outcome, sum(amount) FROM finding WHERE outcome IN ('cut', 'allocation') GROUP BY outcome ORDER BY outcome")" \
    "$(printf 'allocation|%s\ncut|%s' \
        "$(q sample.db "SELECT sum(amount) FROM finding WHERE outcome = 'cut'")" \
        "$(q sample.db "SELECT sum(amount) FROM finding WHERE outcome = 'cut'")")"
note "the sample is clean: check exit 0, run 4023 findings, cut pool = allocations"

# ---- through import: refused, nothing imported ------------------------------

facts=$(q sample.db "SELECT count(*) || ' ' || total(value) FROM fact")

# import_refused NAME TABLE CSV-TEXT MESSAGE...: the import exits 3, says
# each message, and changes nothing
import_refused() {
    name=$1 table=$2 text=$3
    shift 3
    printf '%s' "$text" >"$name.csv"
    "$EQUIRULE_BIN" import --db sample.db "$table" "$name.csv" \
        >"$name.out" 2>"$name.err"
    expect "import of $name: exit status" "$?" 3
    for m in "$@"; do
        says "import of $name" "$name.err" "$m"
    done
    says "import of $name" "$name.err" "nothing was imported into $table"
    expect "import of $name: facts unchanged" \
        "$(q sample.db "SELECT count(*) || ' ' || total(value) FROM fact")" "$facts"
}

import_refused zero_population fact \
    "region,year,metric,value
445300,2019,pop.resident,0
" "zero_population.csv:2:4: value 0 for pop.resident is out of its domain: count (人) must be > 0"

import_refused negative_population fact \
    "region,year,metric,value
445300,2019,pop.registered,-2500000
" "negative_population.csv:2:4: value -2500000 for pop.registered is out of its domain: count (人) must be > 0"

import_refused negative_spending fact \
    "region,year,metric,value
445100,2020,fin.basic_service.spend,-5e9
445100,2020,health.public_health.spend,-1
" "negative_spending.csv:2:4: value -5e9 for fin.basic_service.spend is out of its domain: money (元) must be ≥ 0" \
  "negative_spending.csv:3:4: value -1 for health.public_health.spend is out of its domain: money (元) must be ≥ 0"

import_refused huge fact \
    "region,year,metric,value
440100,2019,fin.revenue,1e300
440100,2019,pop.resident,1e300
440100,2019,edu.pupils.primary,1.5
" "huge.csv:2:4: value 1e300 for fin.revenue is out of its domain: money (元) must be at most 90071992547409.92 in magnitude" \
  "huge.csv:3:4: value 1e300 for pop.resident is out of its domain: count (人) must be at most 1e15 in magnitude" \
  "huge.csv:4:4: value 1.5 for edu.pupils.primary is out of its domain: count (人) must be a whole number"

import_refused not_finite fact \
    "region,year,metric,value
440100,2019,fin.revenue,1e999
" "not_finite.csv:2:4: value \"1e999\" is not a finite number"

# a coverage ratio declared in [0, 1]
printf 'key,name,kind,min,max\nhealth.coverage,覆盖率,ratio,0,1\n' >ratio.csv
"$EQUIRULE_BIN" import --db sample.db metric ratio.csv >/dev/null 2>ratio.err ||
    fail "import of a ratio metric: $(cat ratio.err)"
import_refused ratio_above_one fact \
    "region,year,metric,value
440100,2019,health.coverage,1.2
440100,2020,health.coverage,-0.1
" "ratio_above_one.csv:2:4: value 1.2 for health.coverage is out of its domain: ratio must be ≥ 0 and ≤ 1" \
  "ratio_above_one.csv:3:4: value -0.1 for health.coverage is out of its domain: ratio must be ≥ 0 and ≤ 1"

transfers=$(q sample.db "SELECT count(*) || ' ' || total(amount) FROM transfer")
printf 'region,year,item,amount\n440100,2019,edu.public_funds,-5\n440100,2020,edu.public_funds,1e300\n' >transfer.csv
"$EQUIRULE_BIN" import --db sample.db --replace transfer transfer.csv >/dev/null 2>transfer.err
expect "import of bad transfers: exit status" "$?" 3
says "import of bad transfers" transfer.err "transfer.csv:2:4: amount -5 for edu.public_funds is out of its domain: money (元) must be ≥ 0"
says "import of bad transfers" transfer.err "transfer.csv:3:4: amount 1e300 for edu.public_funds is out of its domain: money (元) must be at most 90071992547409.92"
expect "transfers unchanged" \
    "$(q sample.db "SELECT count(*) || ' ' || total(amount) FROM transfer")" "$transfers"

# a domain that facts already stored break: the metric row is refused
printf 'key,name,unit,kind,min\nfin.revenue,一般公共预算收入,元,money,1e12\n' >tighter.csv
"$EQUIRULE_BIN" import --db sample.db --replace metric tighter.csv >/dev/null 2>tighter.err
expect "import of a tighter domain: exit status" "$?" 3
says "import of a tighter domain" tighter.err "tighter.csv:2:1: the domain of fin.revenue (money (元): ≥ 1000000000000) is broken by 63 facts already in the database"
expect "the domain of fin.revenue unchanged" \
    "$(q sample.db "SELECT kind || ' ' || coalesce(min, 'none') FROM metric WHERE key = 'fin.revenue'")" \
    "money none"
note "import refuses zero, negative, non-whole, out-of-bound and absurd values, and domains stored facts break"

# ---- through the sqlite3 shell: run, explain and check stop ----------------

runs=$(q sample.db "SELECT count(*) FROM run")

# written NAME SQL MESSAGE...: on a copy of the sample with SQL applied,
# run and explain exit 3 saying each message, and store no run; check
# exits 3 saying them too
written() {
    name=$1 sql=$2
    shift 2
    cp sample.db "$name.db"
    q "$name.db" "PRAGMA foreign_keys = OFF; $sql" >/dev/null
    "$EQUIRULE_BIN" run --db "$name.db" --rules "$RULES" --year 2019 \
        >"$name.run.out" 2>"$name.run.err"
    expect "run on $name: exit status" "$?" 3
    says "run on $name" "$name.run.err" "the data breaks its integrity rules"
    says "run on $name" "$name.run.err" "nothing was evaluated"
    expect "runs stored after the run on $name" \
        "$(q "$name.db" "SELECT count(*) FROM run")" "$runs"
    "$EQUIRULE_BIN" explain health.public_health_per_capita 441400 \
        --db "$name.db" --rules "$RULES" --year 2019 \
        >"$name.explain.out" 2>"$name.explain.err"
    expect "explain on $name: exit status" "$?" 3
    "$EQUIRULE_BIN" check --rules "$RULES" --db "$name.db" >"$name.check.out" 2>&1
    expect "check on $name: exit status" "$?" 3
    for m in "$@"; do
        says "run on $name" "$name.run.err" "$m"
        says "explain on $name" "$name.explain.err" "$m"
        says "check on $name" "$name.check.out" "$m"
    done
}

written zero_population \
    "UPDATE fact SET value = 0 WHERE region = '445300' AND year = 2019 AND metric = 'pop.resident'" \
    "fact region 445300, year 2019, metric pop.resident: value 0 is out of its domain: count (人) must be > 0"

written zero_population_cut_city \
    "UPDATE fact SET value = 0 WHERE region = '440300' AND year = 2020 AND metric = 'pop.resident'" \
    "fact region 440300, year 2020, metric pop.resident: value 0 is out of its domain: count (人) must be > 0"

written negative_population \
    "UPDATE fact SET value = -2500000 WHERE region = '445300' AND year = 2019 AND metric = 'pop.registered'" \
    "fact region 445300, year 2019, metric pop.registered: value -2500000 is out of its domain: count (人) must be > 0"

written negative_spending \
    "UPDATE fact SET value = -5e9 WHERE region = '445100' AND year = 2020 AND metric = 'fin.basic_service.spend'" \
    "fact region 445100, year 2020, metric fin.basic_service.spend: value -5000000000 is out of its domain: money (元) must be ≥ 0"

written ratio_above_one \
    "INSERT INTO fact(region, year, metric, value, source) VALUES ('440100', 2019, 'health.coverage', 1.2, NULL)" \
    "fact region 440100, year 2019, metric health.coverage: value 1.2 is out of its domain: ratio must be ≥ 0 and ≤ 1"

written huge \
    "UPDATE fact SET value = 1e300 WHERE region = '440100' AND year = 2019 AND metric = 'fin.revenue'; UPDATE transfer SET amount = -5 WHERE region = '440100' AND year = 2018 AND item = 'edu.living_allowance'" \
    "fact region 440100, year 2019, metric fin.revenue: value 1e+300 is out of its domain: money (元) must be at most 90071992547409.92 in magnitude" \
    "transfer region 440100, year 2018, item edu.living_allowance: amount -5 is out of its domain: money (元) must be ≥ 0"

written text_value \
    "UPDATE fact SET value = 'n/a' WHERE region = '440100' AND year = 2019 AND metric = 'pop.resident'" \
    "fact region 440100, year 2019, metric pop.resident: value (text) is out of its domain: it is not a number"

written second_standard \
    "INSERT INTO standard(key, scope, region, year_from, year_to, value, unit, basis) VALUES ('health.public_health', 'national', NULL, 2019, 2019, 80, '元/人', 'a second one')" \
    "standard key health.public_health, national, years 2019..2019: overlaps years 2019..2019 (value 80 against 69): which standard is in force is ambiguous"

written second_share \
    "INSERT INTO share(item, tier, year_from, year_to, province_share) VALUES ('health.public_health', 1, 2019, 2019, 0.5)" \
    "share item health.public_health, tier 1, years 2018..: overlaps years 2019..2019 (share 0.5 against 0.7): which share is in force is ambiguous"

# columns read as whole numbers, holding text or a fraction (the engine
# would read 1 out of '1x' or 1.5, 2019 out of '2019x' or 2019.5)
written share_tier_text \
    "INSERT INTO share(item, tier, year_from, year_to, province_share) VALUES ('health.public_health', '1x', 2019, 2019, 0.5)" \
    "share item health.public_health, tier 1x, years 2019..2019: tier '1x' is not a whole number"

written share_tier_real \
    "INSERT INTO share(item, tier, year_from, year_to, province_share) VALUES ('health.public_health', 1.5, 2019, 2019, 0.5)" \
    "share item health.public_health, tier 1.5, years 2019..2019: tier '1.5' is not a whole number"

written share_year_text \
    "INSERT INTO share(item, tier, year_from, year_to, province_share) VALUES ('health.public_health', 1, '2019x', NULL, 0.5)" \
    "share item health.public_health, tier 1, years 2019x..: year_from '2019x' is not a whole number"

written region_tier_text \
    "UPDATE region SET tier = '1x' WHERE code = '440300'" \
    "region 440300: tier '1x' is not a whole number"

written region_tier_real \
    "UPDATE region SET tier = 1.5 WHERE code = '440300'" \
    "region 440300: tier '1.5' is not a whole number"

written transfer_year_text \
    "INSERT INTO transfer(region, year, item, amount) VALUES ('440300', '2019x', 'pension.resident_basic', 1)" \
    "transfer region 440300, year 2019x, item pension.resident_basic: year '2019x' is not a whole number"

written transfer_year_real \
    "INSERT INTO transfer(region, year, item, amount) VALUES ('440300', 2019.5, 'pension.resident_basic', 1)" \
    "transfer region 440300, year 2019.5, item pension.resident_basic: year '2019.5' is not a whole number"

written standard_year_to_real \
    "UPDATE standard SET year_to = 2030.5 WHERE key = 'health.public_health' AND scope = 'national'" \
    "year_to '2030.5' is not a whole number"

written fact_year_text \
    "INSERT INTO fact(region, year, metric, value, source) VALUES ('440100', '2019x', 'pop.resident', 1, NULL)" \
    "fact region 440100, year 2019x, metric pop.resident: year '2019x' is not a whole number"

# a region outside the tree, or under the wrong level, leaves every
# aggregate over its parent's children
written orphan_city \
    "UPDATE region SET parent = NULL WHERE code = '440300'" \
    "region 440300: a city must have a parent (a province)"

written county_under_province \
    "UPDATE region SET level = 'county' WHERE code = '440300'" \
    "region 440300: a county under the province 440000: its parent must be a city"

written missing_parent \
    "INSERT INTO region(code, name, name_en, level, parent, zone, tier) VALUES ('445381', '罗定市', 'Luoding', 'county', '445399', NULL, 3)" \
    "region 445381: parent 445399 is not in the region table"

written cycle \
    "UPDATE region SET parent = '441400' WHERE code = '440000'" \
    "region 440000: its parents loop (440000 -> 441400 -> 440000)" \
    "region 440000: a province under the city 441400: a parent is of a higher level"

written unknown_metric \
    "INSERT INTO fact(region, year, metric, value, source) VALUES ('440100', 2019, 'pop.typo', 1, NULL)" \
    "fact region 440100, year 2019, metric pop.typo: metric pop.typo is not in the metric table"

# many bad rows: the first are listed, the rest counted
cp sample.db many.db
q many.db "UPDATE fact SET value = -1 WHERE metric = 'pop.resident'" >/dev/null
"$EQUIRULE_BIN" run --db many.db --rules "$RULES" --year 2019 >/dev/null 2>many.err
expect "run on 165 bad facts: exit status" "$?" 3
says "run on 165 bad facts" many.err "in 165 places"
says "run on 165 bad facts" many.err "  and 155 more"
note "rows written by SQL: run and explain exit 3 listing them, nothing stored; check lists them"

# ---- a year without facts ---------------------------------------------------

"$EQUIRULE_BIN" run --db sample.db --rules "$RULES" --year 2021 >y.out 2>y.err
expect "run on a year without facts: exit status" "$?" 3
says "run on a year without facts" y.err "sample.db holds no facts for 2021: nothing could be evaluated; it holds facts for 2018-2020"
"$EQUIRULE_BIN" run --db sample.db --rules "$RULES" --years 2020-2022 >y.out 2>y.err
expect "run on years partly without facts: exit status" "$?" 3
says "run on years partly without facts" y.err "holds no facts for 2021-2022"
"$EQUIRULE_BIN" check --rules "$RULES" --db sample.db --year 2021 >y.out 2>&1
expect "check of a year without facts: exit status" "$?" 3
says "check of a year without facts" y.out "sample.db holds no facts for 2021: nothing could be evaluated; it holds facts for 2018-2020"
expect "runs stored after the runs on missing years" \
    "$(q sample.db "SELECT count(*) FROM run")" "$runs"
note "a year without facts: run and check exit 3, naming the years that have facts"

# ---- a database of schema version 4 ------------------------------------------

# the sample as version 4 had it (no domain columns), holding a negative
# amount in 元: the upgrade declares 元 money, and the run stops on it
cp sample.db v4.db
q v4.db "ALTER TABLE item DROP COLUMN served; ALTER TABLE item DROP COLUMN content; ALTER TABLE item DROP COLUMN responsibility; ALTER TABLE item DROP COLUMN lead; ALTER TABLE item_history DROP COLUMN served; ALTER TABLE item_history DROP COLUMN content; ALTER TABLE item_history DROP COLUMN responsibility; ALTER TABLE item_history DROP COLUMN lead; DROP TABLE run_source; DROP TABLE rule_source; ALTER TABLE run DROP COLUMN replay; DROP INDEX run_data_version; ALTER TABLE run DROP COLUMN data_version; DROP TABLE data_version; DROP TABLE region_history; ALTER TABLE region DROP COLUMN version; DROP TABLE metric_history; ALTER TABLE metric DROP COLUMN version; DROP TABLE item_history; ALTER TABLE item DROP COLUMN version; DROP TABLE standard_history; ALTER TABLE standard DROP COLUMN version; DROP TABLE share_history; ALTER TABLE share DROP COLUMN version; DROP TABLE transfer_history; ALTER TABLE transfer DROP COLUMN version; DROP TABLE split_history; ALTER TABLE split DROP COLUMN version; DROP TABLE city_transfer_history; ALTER TABLE city_transfer DROP COLUMN version; DROP TABLE fact_history; ALTER TABLE fact DROP COLUMN version; DROP TABLE zone_history; ALTER TABLE zone DROP COLUMN version; DROP TABLE setting_history; ALTER TABLE setting DROP COLUMN version; DROP TABLE national_average_history; ALTER TABLE national_average DROP COLUMN version; PRAGMA user_version = 11" >/dev/null
# (and no findings store of version 11: the finding table of version 10)
sqlite3 -batch v4.db <"$ER_SOURCE_DIR/tests/fixtures/schema10/downgrade.sql" >/dev/null ||
    fail "tests/fixtures/schema10/downgrade.sql"
q v4.db "ALTER TABLE metric DROP COLUMN aggregate; ALTER TABLE metric DROP COLUMN max_open; ALTER TABLE metric DROP COLUMN max; ALTER TABLE metric DROP COLUMN min_open; ALTER TABLE metric DROP COLUMN min; ALTER TABLE metric DROP COLUMN integer; ALTER TABLE metric DROP COLUMN kind; UPDATE fact SET value = -3 WHERE region = '440100' AND year = 2019 AND metric = 'fin.revenue'; UPDATE fact SET value = 0 WHERE region = '445300' AND year = 2019 AND metric = 'pop.resident'; DROP TABLE run_gap; DROP TABLE split; DROP TABLE city_transfer; DROP TABLE national_average; DROP TABLE run_count; CREATE TABLE run_count(run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE, rule TEXT NOT NULL, outcome TEXT NOT NULL, n INTEGER NOT NULL, amount INTEGER, PRIMARY KEY (run, rule, outcome)) WITHOUT ROWID; ALTER TABLE run DROP COLUMN scope; PRAGMA user_version = 4" >/dev/null
"$EQUIRULE_BIN" init --db v4.db >/dev/null 2>v4.err || fail "upgrade of a version-4 database: $(cat v4.err)"
# (health.coverage, imported above, has no unit: it declares nothing)
expect "kinds declared by the upgrade" \
    "$(q v4.db "SELECT kind, count(*) FROM metric GROUP BY kind ORDER BY kind")" \
    "$(printf '|1\ncount|25\nmoney|17')"
expect "domains of population after the upgrade (a count > 0, as the sample)" \
    "$(q v4.db "SELECT key, kind, min, min_open FROM metric WHERE key LIKE 'pop.%' ORDER BY key")" \
    "$(printf 'pop.registered|count|0.0|1\npop.resident|count|0.0|1')"
"$EQUIRULE_BIN" run --db v4.db --rules "$RULES" --year 2019 >/dev/null 2>v4.err
expect "run on the upgraded database: exit status" "$?" 3
says "run on the upgraded database" v4.err "fact region 440100, year 2019, metric fin.revenue: value -3 is out of its domain: money (元) must be ≥ 0"
says "run on the upgraded database" v4.err "fact region 445300, year 2019, metric pop.resident: value 0 is out of its domain: count (人) must be > 0"
# the metric's real domain, imported again, lets it run
printf 'key,name,unit,kind\nfin.revenue,一般公共预算收入,元,other\n' >other.csv
"$EQUIRULE_BIN" import --db v4.db --replace metric other.csv >/dev/null 2>v4.err ||
    fail "import of the metric's domain: $(cat v4.err)"
# and the population, corrected
q v4.db "ATTACH 'sample.db' AS s; UPDATE fact SET value = (SELECT value FROM s.fact WHERE region = '445300' AND year = 2019 AND metric = 'pop.resident') WHERE region = '445300' AND year = 2019 AND metric = 'pop.resident'" >/dev/null
"$EQUIRULE_BIN" check --rules "$RULES" --db v4.db >v4.out 2>&1
expect "check after declaring the domain: exit status" "$?" 0
note "a version-4 database: the upgrade declares counts and money from the units, population > 0; facts that break them stop the run until corrected or declared"

# ---- money paid in whole fen; national averages above 0, in the standard's unit

cp sample.db na.db
printf 'key,year,value,unit,basis,source\npension.resident_basic,2020,2040,,全国平均（年）,x\nedu.public_funds.primary,2020,0,元/生·年,全国平均,x\nedu.public_funds,2020,900,元/生·年,全国平均,x\n' >na.csv
"$EQUIRULE_BIN" import --db na.db --replace national_average na.csv >/dev/null 2>na.err
expect "import of bad national averages: exit status" "$?" 3
says "import of an average without a unit" na.err "na.csv:2:4: unit is empty; the national standard of key \"pension.resident_basic\" is in 元/人·月"
says "import of an average of 0" na.err "na.csv:3:3: value 0 for edu.public_funds.primary is out of its domain: the value must be > 0"
says "import of an average of an item set per part" na.err "na.csv:4:1: key \"edu.public_funds\" names an item whose national standard is set per part (edu.public_funds.junior, edu.public_funds.primary)"
expect "national averages after the refused import" \
    "$(q na.db "SELECT count(*) FROM national_average WHERE year = 2020")" 9
printf 'region,year,item,amount\n441422,2020,edu.living_allowance,3166624.996\n' >tr.csv
"$EQUIRULE_BIN" import --db na.db --replace transfer tr.csv >/dev/null 2>tr.err
expect "import of a transfer of a fraction of a fen: exit status" "$?" 3
says "import of a transfer of a fraction of a fen" tr.err "tr.csv:2:4: amount 3166624.996 for edu.living_allowance is out of its domain: money (元) must be a whole number of fen"
# the same rows written by hand: check and run stop on them
q na.db "UPDATE national_average SET unit = NULL WHERE key = 'pension.resident_basic' AND year = 2020; UPDATE national_average SET value = 0 WHERE key = 'edu.public_funds.primary' AND year = 2020; UPDATE city_transfer SET amount = amount + 0.004 WHERE region = '441422' AND year = 2020 AND item = 'edu.nutrition'" >/dev/null
"$EQUIRULE_BIN" check --rules "$RULES" --db na.db --year 2020 >na.out 2>&1
expect "check of bad national averages and a city transfer: exit status" "$?" 3
says "check of an average without a unit" na.out "national_average key pension.resident_basic, year 2020: has no unit; the national standard's is 元/人·月"
says "check of an average of 0" na.out "national_average key edu.public_funds.primary, year 2020: value 0 is out of its domain: the value (元/生·年) must be > 0"
says "check of a city transfer of a fraction of a fen" na.out "must be a whole number of fen (at most two decimals): it is money paid"
runs=$(q na.db "SELECT count(*) FROM run")
"$EQUIRULE_BIN" run --db na.db --rules "$RULES" --year 2020 --rule finance.short_board >/dev/null 2>na.err
expect "run on bad national averages: exit status" "$?" 3
expect "runs stored by the refused run" "$(q na.db "SELECT count(*) FROM run")" "$runs"
note "an average without a unit or of 0, of an item set per part, a transfer of a fraction of a fen: import refuses with file:line:column, check and run stop"

# ---- a year in which no selected rule is in force --------------------------

cp sample.db yr.db
yr_runs=$(q yr.db "SELECT count(*) FROM run")
"$EQUIRULE_BIN" run --db yr.db --rules "$RULES" --region 440000 --rule finance.cut_redistribution --year 2018 >/dev/null 2>yr.err
expect "run of a rule not in force in the year: exit status" "$?" 2
says "run of a rule not in force in the year" yr.err "no selected rule that evaluates 440000 广东省, a province, is in force in 2018 (finance.cut_redistribution from 2019); nothing was run"
expect "runs stored by a run of a rule not in force" "$(q yr.db "SELECT count(*) FROM run")" "$yr_runs"
note "run --region in a year no selected rule is in force: exit 2, nothing stored"

# ---- warnings ---------------------------------------------------------------

cp sample.db warn.db
q warn.db "INSERT INTO metric(key, name) VALUES ('x.free', '自由')" >/dev/null
"$EQUIRULE_BIN" check --rules "$RULES" --db warn.db >warn.out 2>&1
expect "check with a metric without a domain: exit status" "$?" 0
says "check with a metric without a domain" warn.out "1 warning"
says "check with a metric without a domain" warn.out "metric key x.free: no value domain declared"
note "a metric without a declared domain: check warns, exit 0"

note "ok"
