#!/bin/sh
# template.sh - `equirule template`: the fact CSV of a database with the
# sample's catalogs and no facts lists exactly the rows the shipped rules
# read (filled from the sample's fact.csv and imported, the run's findings
# are the sample run's); --dept, --level and --year narrow it; a
# half-filled template imports its filled rows and skips the others; a
# unit that is not the metric's is refused; a metric read on one branch is
# listed; what the database lacks besides facts is said; --list needs no
# database.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "template: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_template.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

E=$EQUIRULE_BIN
rules=$ER_SOURCE_DIR/rules
sample=$ER_SOURCE_DIR/data/sample
fx=$ER_SOURCE_DIR/tests/fixtures/tools/template

# rows of a CSV, header left out
rows() { tail -n +2 "$1" | wc -l | tr -d ' '; }

# the sample's catalogs and data tables, every one but fact
"$E" init --db "$tmp/empty.db" >/dev/null || fail "init"
for t in zone setting region metric item standard share transfer split city_transfer national_average; do
    [ -f "$sample/$t.csv" ] || continue
    "$E" import --db "$tmp/empty.db" "$t" "$sample/$t.csv" >/dev/null ||
        fail "import $t"
done
cp "$tmp/empty.db" "$tmp/filled.db"
"$E" init --sample --db "$tmp/sample.db" >/dev/null || fail "init --sample"

# ---- without facts, the years must be given --------------------------------
"$E" template --db "$tmp/empty.db" --rules "$rules" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "template of a database without facts and no year exited $rc, not 2"
grep -q 'holds no facts: give the years the template is for (--year Y or --years A-B)' "$tmp/err" ||
    fail "no 'give the years' message: $(cat "$tmp/err")"

# ---- the template of the emptied fact table ---------------------------------
"$E" template --db "$tmp/empty.db" --rules "$rules" --years 2018-2020 \
    -o "$tmp/t.csv" 2>"$tmp/err" || fail "template exited $? ($(cat "$tmp/err"))"
[ "$(head -1 "$tmp/t.csv")" = "region,year,metric,value,source,region_name,metric_name,unit" ] ||
    fail "header: $(head -1 "$tmp/t.csv")"
n=$(rows "$tmp/t.csv")
grep -q "^template: $n rows for 2018-2020, 0 filled from the database, $n to fill\$" "$tmp/err" ||
    fail "summary: $(cat "$tmp/err")"
grep -q '^  nothing: every standard, share and transfer is there$' "$tmp/err" ||
    fail "the sample lacks no standard, share or transfer: $(cat "$tmp/err")"
# in key order, each row once, every value empty
tail -n +2 "$tmp/t.csv" | cut -d, -f1-3 >"$tmp/keys"
sort -t, -k1,1 -k2,2n -k3,3 "$tmp/keys" | cmp -s - "$tmp/keys" ||
    fail "rows not in region, year, metric order"
[ "$(sort -u "$tmp/keys" | wc -l | tr -d ' ')" = "$n" ] || fail "a row twice"
[ -z "$(tail -n +2 "$tmp/t.csv" | cut -d, -f4 | sort -u)" ] ||
    fail "a value filled in a template of no facts"
grep -q '^441402,2019,health.public_health.spend,,,梅江区,基本公共卫生服务经费,元$' "$tmp/t.csv" ||
    fail "no row of 梅江区's public health spending in 2019 with its names and unit"
# 梅州市's own value is the sum of its counties' (a roll-up): not asked for
grep -q '^441400,2019,health.public_health.spend,' "$tmp/t.csv" &&
    fail "a row of 梅州市's public health spending, the sum of its counties'"
grep -q '^template: [0-9]* rows of parent regions left out: their values are the sums of their children.s rows (roll-ups)$' "$tmp/err" ||
    fail "the summary does not count the rows left to roll-ups: $(cat "$tmp/err")"
# exactly the rows the rules read: every row is one of the sample's facts
# but 汕尾市's 2019 hardship beneficiaries (left out of the sample on
# purpose, a data gap the sample run reports); the sample facts no rule
# reads are not asked for: the province's own counts, and the cities'
# 2018 revenue (finance.subsidy_cut, which reads it, is in force from 2019)
tail -n +2 "$sample/fact.csv" | cut -d, -f1-3 | sort >"$tmp/sample_keys"
extra=$(sort "$tmp/keys" | comm -23 - "$tmp/sample_keys")
[ "$extra" = "441500,2019,assist.hardship.beneficiaries" ] ||
    fail "rows the sample has no fact for: $extra"
# the four cities with counties: their facts are sums of their counties'
# (roll-ups), asked of the counties instead
withcounties='^\(440100\|440800\|441400\|441600\),'
unread=$(sort "$tmp/keys" | comm -13 - "$tmp/sample_keys" | grep -v '^440000,' |
    grep -v "$withcounties" | cut -d, -f2,3 | sort | uniq -c | tr -s ' ')
[ "$unread" = " 17 2018,fin.revenue" ] ||
    fail "sample facts of cities the template does not ask for: $unread"
sort "$tmp/keys" | comm -13 - "$tmp/sample_keys" | grep "$withcounties" |
    grep -v ',2018,fin.revenue$' >"$tmp/rolled"
while IFS=, read -r city year metric; do
    grep -q "^${city%00}[0-9][0-9],$year,$metric\$" "$tmp/keys" ||
        fail "$city $year $metric: not asked, and asked of none of its counties"
done <"$tmp/rolled"
[ "$(wc -l <"$tmp/rolled" | tr -d ' ')" -gt 300 ] ||
    fail "too few rows left to roll-ups: $(wc -l <"$tmp/rolled")"

# fill it from the sample's facts (the first five fields have no quotes),
# import it as it is, and run: the sample run's findings
awk -F, 'NR == FNR { if (FNR > 1) v[$1 "," $2 "," $3] = $4 "," $5; next }
         FNR == 1 { print; next }
         { k = $1 "," $2 "," $3
           rest = substr($0, length(k) + 4)
           print (k in v) ? k "," v[k] "," rest : $0 }' \
    "$sample/fact.csv" "$tmp/t.csv" >"$tmp/filled.csv"
"$E" import --db "$tmp/filled.db" fact "$tmp/filled.csv" >"$tmp/out" 2>&1 ||
    fail "import of the filled template exited $?: $(cat "$tmp/out")"
grep -q "rows: $((n - 1)) added, 0 replaced\$" "$tmp/out" ||
    fail "import message: $(cat "$tmp/out")"
grep -q '1 row without a value skipped (not imported)' "$tmp/out" ||
    fail "import does not count the row left empty: $(cat "$tmp/out")"
for d in sample filled; do
    "$E" run --db "$tmp/$d.db" --rules "$rules" --years 2018-2020 >/dev/null
    rc=$?
    [ $rc -le 1 ] || fail "run on $d exited $rc"
    "$E" report --db "$tmp/$d.db" --format csv >"$tmp/$d.findings" ||
        fail "report of $d"
done
cmp -s "$tmp/sample.findings" "$tmp/filled.findings" || {
    diff "$tmp/sample.findings" "$tmp/filled.findings" | head -20 >&2
    fail "the filled template's findings differ from the sample run's"
}
[ "$(rows "$tmp/sample.findings")" -gt 1000 ] || fail "too few findings"

# ---- a database that holds the facts fills the template ----------------------
"$E" template --db "$tmp/sample.db" --rules "$rules" --years 2018-2020 \
    -o "$tmp/full.csv" 2>"$tmp/err" || fail "template of the sample"
# (the cities' stored values are asked for, filled; the province's are
# sums of its cities': left out)
nf=$(rows "$tmp/full.csv")
grep -q "^template: $nf rows for 2018-2020, $((nf - 1)) filled from the database, 1 to fill\$" "$tmp/err" ||
    fail "summary of the sample: $(cat "$tmp/err")"
grep -q '^440000,' "$tmp/full.csv" && fail "a row of the province, a sum of its cities'"
grep -q '^441400,2019,health.public_health.spend,[0-9][0-9.]*,[^,]' "$tmp/full.csv" ||
    fail "梅州市's value and source not filled"
# the default year is the latest with facts (with the rows of the base
# year 2018 that the equalization index reads to evaluate 2020)
"$E" template --db "$tmp/sample.db" --rules "$rules" -o "$tmp/latest.csv" 2>/dev/null ||
    fail "template without --year"
y2020=$(tail -n +2 "$tmp/full.csv" | cut -d, -f2 | grep -c '^2020$')
l2020=$(tail -n +2 "$tmp/latest.csv" | cut -d, -f2 | grep -c '^2020$')
[ "$l2020" = "$y2020" ] ||
    fail "default year: $l2020 rows of 2020, not 2020's $y2020"
[ "$(tail -n +2 "$tmp/latest.csv" | cut -d, -f2 | grep -cv '^20[12][08]$')" = 0 ] ||
    fail "default year: rows of years other than 2020 and the base year 2018"
grep -q '^440100,2018,fin.basic_service.spend,' "$tmp/latest.csv" ||
    fail "default year: no row of the base year 2018, which the index reads"

# ---- --year, --dept, --level --------------------------------------------------
"$E" template --db "$tmp/empty.db" --rules "$rules" --year 2019 \
    -o "$tmp/y.csv" 2>/dev/null || fail "--year 2019"
# (and the base year 2018's rows the equalization index reads)
[ "$(tail -n +2 "$tmp/y.csv" | cut -d, -f2 | grep -c '^2019$')" = \
  "$(cut -d, -f2 "$tmp/keys" | grep -c '^2019$')" ] ||
    fail "--year 2019: $(rows "$tmp/y.csv") rows"
[ "$(tail -n +2 "$tmp/y.csv" | cut -d, -f2 | grep -cv '^201[89]$')" = 0 ] ||
    fail "--year 2019: rows of years other than 2019 and the base year 2018"
"$E" template --db "$tmp/empty.db" --rules "$rules" --year 2020 \
    --dept health -o "$tmp/h.csv" 2>/dev/null || fail "--dept health"
# health: public health (spending, residents: cities and counties) and
# family planning (beneficiaries, spending: cities): 17 cities x 4, the
# 34 counties x 2, and the 4 cities with counties x 2 (their public health
# values are the sums of their counties')
[ "$(rows "$tmp/h.csv")" = 144 ] || fail "--dept health: $(rows "$tmp/h.csv") rows, not 17 x 4 + 34 x 2 + 4 x 2"
[ "$(tail -n +2 "$tmp/h.csv" | cut -d, -f3 | sort -u | tr '\n' ' ')" = \
  "health.family_planning.beneficiaries health.family_planning.spend health.public_health.spend pop.resident " ] ||
    fail "--dept health metrics: $(tail -n +2 "$tmp/h.csv" | cut -d, -f3 | sort -u)"
# every value the province's rules read is a sum of its cities': nothing
# to fill at its level, and the summary says why
"$E" template --db "$tmp/empty.db" --rules "$rules" --year 2020 \
    --level province -o "$tmp/p.csv" 2>"$tmp/err" || fail "--level province"
[ "$(rows "$tmp/p.csv")" = 0 ] ||
    fail "--level province: $(rows "$tmp/p.csv") rows, not 0"
grep -q '^template: 24 rows of parent regions left out' "$tmp/err" ||
    fail "--level province: $(cat "$tmp/err")"
"$E" template --db "$tmp/empty.db" --rules "$rules" --year 2020 \
    --level city -o "$tmp/c.csv" 2>/dev/null || fail "--level city"
"$E" template --db "$tmp/empty.db" --rules "$rules" --year 2020 \
    --level county -o "$tmp/k.csv" 2>/dev/null || fail "--level county"
# (their 2020 rows: the cities' base-year rows of the index come beside)
[ $(($(grep -c ',2020,' "$tmp/p.csv") + $(grep -c ',2020,' "$tmp/c.csv") + $(grep -c ',2020,' "$tmp/k.csv"))) = "$(grep -c ',2020,' "$tmp/t.csv")" ] ||
    fail "--level province, city and county do not add up to the year's rows"
"$E" template --db "$tmp/empty.db" --rules "$rules" --year 2020 --dept nosuch \
    >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--dept nosuch did not exit 2"
grep -q "no rule of department 'nosuch'" "$tmp/err" || fail "--dept nosuch: $(cat "$tmp/err")"
"$E" template --db "$tmp/empty.db" --rules "$rules" --year 2020 --level town \
    >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--level town did not exit 2"

# ---- a half-filled template imports its filled rows --------------------------
"$E" template --db "$tmp/sample.db" --rules "$rules" --year 2020 \
    -o "$tmp/y20.csv" 2>/dev/null || fail "template 2020"
m=$(rows "$tmp/y20.csv")
# every other row's value and source emptied
awk -F, 'NR == 1 || NR % 2 { print; next }
         { k = $1 "," $2 "," $3 ","; rest = substr($0, length(k) + 1)
           sub(/^[^,]*,[^,]*/, ",", rest); print k rest }' \
    "$tmp/y20.csv" >"$tmp/half.csv"
half=$(tail -n +2 "$tmp/half.csv" | cut -d, -f4 | grep -c '^$')
[ "$half" -gt 0 ] || fail "nothing emptied"
cp "$tmp/empty.db" "$tmp/half.db"
"$E" import --db "$tmp/half.db" fact "$tmp/half.csv" >"$tmp/out" 2>&1 ||
    fail "import of a half-filled template exited $?: $(cat "$tmp/out")"
grep -q "read as UTF-8, $m rows: $((m - half)) added, 0 replaced\$" "$tmp/out" ||
    fail "half import: $(cat "$tmp/out")"
grep -q "$half rows without a value skipped (not imported)" "$tmp/out" ||
    fail "half import skipped: $(cat "$tmp/out")"
# the template of that database gives the filled rows back as they were
# (a row left empty may instead be asked of the region's children, where
# its value is their sum)
"$E" template --db "$tmp/half.db" --rules "$rules" --year 2020 \
    -o "$tmp/again.csv" 2>/dev/null || fail "template after the half import"
awk -F, 'NR > 1 && $4 != ""' "$tmp/half.csv" | sort >"$tmp/half.filled"
awk -F, 'NR > 1 && $4 != ""' "$tmp/again.csv" | sort >"$tmp/again.filled"
cmp -s "$tmp/half.filled" "$tmp/again.filled" || {
    diff "$tmp/half.filled" "$tmp/again.filled" | head >&2
    fail "the template after a half import is not the half-filled template"
}

# ---- a unit that is not the metric's is refused --------------------------------
sed 's/^\(441400,2020,health.public_health.spend,[^,]*,[^,]*,梅州市,基本公共卫生服务经费,\)元$/\1万元/' \
    "$tmp/y20.csv" >"$tmp/unit.csv"
cmp -s "$tmp/unit.csv" "$tmp/y20.csv" && fail "the unit was not changed"
cp "$tmp/empty.db" "$tmp/unit.db"
"$E" import --db "$tmp/unit.db" fact "$tmp/unit.csv" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] || fail "a unit mix imported (exit $rc)"
line=$(grep -n '^441400,2020,health.public_health.spend,' "$tmp/unit.csv" | cut -d: -f1)
grep -q "unit.csv:$line:8: unit \"万元\" is not the unit of \"health.public_health.spend\" (元): convert the value to 元" "$tmp/out" ||
    fail "unit error: $(cat "$tmp/out")"
# nothing at all was imported
"$E" template --db "$tmp/unit.db" --rules "$rules" --year 2020 2>"$tmp/err" >/dev/null
grep -q " 0 filled from the database" "$tmp/err" || fail "a refused import changed the data"

# ---- a metric read on one branch --------------------------------------------------
"$E" template --db "$tmp/sample.db" --rules "$fx" --year 2020 \
    -o "$tmp/b.csv" 2>"$tmp/err" || fail "template of the branch fixture"
# the zone branch: lint's synthetic province has a city of each zone, so
# every city is asked (a read on one branch is asked of every region of
# the level: more rows than the rule reads, never fewer)
[ "$(grep -c ',2020,demo.north_only,' "$tmp/b.csv")" = 21 ] ||
    fail "demo.north_only is not asked of the 21 cities"
# the branch on a value only the real data takes: the cities that take it,
# in the year before
[ "$(grep ',demo.big_only,' "$tmp/b.csv" | cut -d, -f1,2 | tr '\n' ' ')" = "440100,2019 440300,2019 " ] ||
    fail "demo.big_only rows: $(grep ',demo.big_only,' "$tmp/b.csv")"
grep -q '^equirule: metric demo.north_only is not in the metric catalog: import it (import metric) before the facts$' "$tmp/err" ||
    fail "an unknown metric is not said: $(cat "$tmp/err")"

# a rule that raises an error: what it reads after the error is not seen
"$E" template --db "$tmp/sample.db" --rules "$ER_SOURCE_DIR/tests/fixtures/tools/template_error" \
    --year 2020 -o "$tmp/oops.csv" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "a template missing a rule's reads exited $rc, not 1"
grep -q "^equirule: rule demo.oops raised an error on lint's synthetic province: what it reads after the error is not listed (see equirule lint)\$" "$tmp/err" ||
    fail "the rule's error is not said: $(cat "$tmp/err")"
[ "$(rows "$tmp/oops.csv")" = 21 ] || fail "the rows read before the error are not written"

# ---- what the database lacks besides facts ----------------------------------------
"$E" init --db "$tmp/bare.db" >/dev/null || fail "init bare"
for t in zone setting region metric item; do
    [ -f "$sample/$t.csv" ] || continue
    "$E" import --db "$tmp/bare.db" "$t" "$sample/$t.csv" >/dev/null ||
        fail "import $t into bare"
done
"$E" template --db "$tmp/bare.db" --rules "$rules" --year 2020 --dept finance \
    >/dev/null 2>"$tmp/err" || fail "template of a database without standards"
for want in \
    '  standard health.public_health: none in force in 2020' \
    '  standard health.public_health national: none in force in 2020' \
    '  share health.public_health: none for tier 1 in 2020' \
    '  transfer health.public_health: 21 of 21 city regions have no row in 2020 (read as 0)'; do
    grep -qxF "$want" "$tmp/err" || fail "lacking: no '$want' in: $(cat "$tmp/err")"
done

# ---- --list needs no database --------------------------------------------------
(cd "$tmp" && "$E" template --list --rules "$fx") >"$tmp/list" 2>&1 ||
    fail "--list without a database exited $?: $(cat "$tmp/list")"
grep -q '^  demo.branches (city)$' "$tmp/list" || fail "--list: $(cat "$tmp/list")"
grep -q 'demo.north_only' "$tmp/list" || fail "--list misses the branch's metric"
"$E" template --db "$tmp/nosuch.db" --rules "$rules" --year 2020 >/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 3 ] || fail "template of a missing database exited $rc, not 3"
grep -q 'equirule init' "$tmp/err" || fail "missing database: $(cat "$tmp/err")"

echo "template: ok ($n rows for the sample's 2018-2020)"
exit 0
