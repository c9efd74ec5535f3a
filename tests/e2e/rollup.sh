#!/bin/sh
# rollup.sh - roll-ups on the built-in sample, whose province has no rows
# of its own: explain shows the province's values as derived (text and
# JSON); a rule reading the province's 2019 hardship beneficiaries (汕尾
# lacks its row) gets `missing`, its note and its data gap naming 汕尾,
# not the province; `check` warns, without changing its exit status, when
# a stored province value differs from its cities' sum; the province's
# transfers roll up (explain shows the derived row, a partial set of
# counties' rows is not summed, check warns on a city row off its
# counties' sum); import refuses a sum of ratios.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "rollup: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_rollup.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

E=$EQUIRULE_BIN
db=$tmp/s.db
rules=$ER_SOURCE_DIR/rules
q() { sqlite3 "$db" "$1"; }
"$E" init --sample --db "$db" >/dev/null || fail "init --sample"
[ "$(q "SELECT count(*) FROM fact WHERE region = '440000'")" = 0 ] ||
    fail "the sample stores rows of the province"

# ---- explain: derived, not a source ---------------------------------------
"$E" explain finance.short_board 440000 --year 2019 --db "$db" \
    --rules "$rules" >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "explain"; }
grep -qF 'fact      edu.pupils.primary = 12215748  (derived: sum of 21 cities)' \
    "$tmp/out" || { cat "$tmp/out"; fail "explain does not show the derived value"; }
"$E" explain finance.short_board 440000 --year 2019 --db "$db" \
    --rules "$rules" --format json >"$tmp/json" 2>&1 || fail "explain json"
grep -qF '"key": "edu.pupils.primary", "region": "440000", "year": 2019, "value": 12215748, "source": null, "derived": {"from": "children", "count": 21, "of": "cities"}' \
    "$tmp/json" || { cat "$tmp/json"; fail "explain --format json does not say derived"; }

# ---- a partial roll-up is missing, the gap on the city lacking data ------
mkdir -p "$tmp/rules/finance"
cat >"$tmp/rules/finance/hardship_total.lua" <<'LUA'
return {
  id = "finance.hardship_total", title = "全省困难群众人数", basis = "测试",
  kind = "indicator", level = "province",
  evaluate = function(r)
    return indicator(r:fact("assist.hardship.beneficiaries"), 0, ">=")
  end,
}
LUA
"$E" run --db "$db" --rules "$tmp/rules" --years 2018-2019 >"$tmp/run" 2>&1
[ $? -eq 1 ] || { cat "$tmp/run"; fail "run: exit status"; }
[ "$(q "SELECT outcome FROM finding WHERE rule = 'finance.hardship_total' AND year = 2018")" = pass ] ||
    fail "2018 (every city has the value) is not derived"
[ "$(q "SELECT outcome FROM finding WHERE rule = 'finance.hardship_total' AND year = 2019")" = missing ] ||
    fail "2019 (汕尾 lacks the value) is not missing"
note=$(q "SELECT note FROM finding WHERE rule = 'finance.hardship_total' AND year = 2019")
case $note in
*"no value of assist.hardship.beneficiaries for 440000 广东省 in 2019 (the sum of its 21 cities lacks 441500 汕尾市)"*) ;;
*) fail "the note does not name the city lacking data: $note" ;;
esac
[ "$(q "SELECT group_concat(region || ' ' || data_region || ' ' || data_year || ' ' || key) FROM run_gap WHERE rule = 'finance.hardship_total'")" = \
  "440000 441500 2019 assist.hardship.beneficiaries" ] ||
    fail "the data gap is not 汕尾's row: $(q "SELECT * FROM run_gap")"
"$E" explain finance.hardship_total 440000 --year 2019 --db "$db" \
    --rules "$tmp/rules" >"$tmp/out" 2>&1
grep -qF 'missing: the evaluation stops with outcome missing (the sum of its 21 cities lacks 441500 汕尾市)' \
    "$tmp/out" || { cat "$tmp/out"; fail "explain does not say why the roll-up is missing"; }

# ---- check: a stored province value against its cities' sum -------------
"$E" check --db "$db" --rules "$rules" >"$tmp/check0" 2>&1
status0=$?
grep -q 'differs from the sum' "$tmp/check0" &&
    fail "check warns on the sample: $(cat "$tmp/check0")"
cities="region IN (SELECT code FROM region WHERE level = 'city')"
q "INSERT INTO fact(region, year, metric, value) SELECT '440000', 2019, 'pop.resident', sum(value) + 7 FROM fact WHERE year = 2019 AND metric = 'pop.resident' AND $cities;
   INSERT INTO fact(region, year, metric, value) SELECT '440000', 2019, 'fin.revenue', sum(value) + 0.004 FROM fact WHERE year = 2019 AND metric = 'fin.revenue' AND $cities"
"$E" check --db "$db" --rules "$rules" >"$tmp/check1" 2>&1
[ $? -eq $status0 ] || fail "check's exit status changed with a warning"
grep -qF '  fact region 440000, year 2019, metric pop.resident: stored 115228907 differs from the sum of its 21 cities, 115228900, by 7 (tolerance: exact for whole numbers)' \
    "$tmp/check1" || { cat "$tmp/check1"; fail "check does not warn on the province's population"; }
grep -q 'metric fin.revenue' "$tmp/check1" &&
    fail "check warns on money within half a fen"

# ---- transfers roll up: a city without its row is its counties' sum ------
# (the sample's counties' rows add up to their city's; take 梅州's away)
tdb=$tmp/t.db
cp "$db" "$tdb"
sqlite3 "$tdb" "DELETE FROM fact WHERE region = '440000';
  DELETE FROM transfer WHERE region = '441400' AND year = 2020 AND item = 'health.public_health'"
sum=$(sqlite3 "$tdb" "SELECT sum(amount) FROM transfer WHERE year = 2020 AND item = 'health.public_health' AND region IN (SELECT code FROM region WHERE parent = '441400')")
[ "$sum" = 227402000.0 ] || fail "梅州's counties' 2020 public health transfers: $sum"
"$E" check --db "$tdb" --rules "$rules" --year 2020 >"$tmp/tcheck" 2>&1
grep -q 'transfer region' "$tmp/tcheck" &&
    fail "check warns on a derived transfer: $(cat "$tmp/tcheck")"
"$E" explain finance.cost_sharing.health.public_health 441400 --year 2020 \
    --db "$tdb" --rules "$rules" >"$tmp/tex" 2>&1
grep -qF 'transfer  health.public_health = 227402000 元  (derived: sum of 8 counties'"'"' rows)' \
    "$tmp/tex" || { cat "$tmp/tex"; fail "explain does not show the derived transfer"; }
grep -qF '省级（第1档 0.7）应担 227402000 元，已拨 227402000.00 元' "$tmp/tex" ||
    { cat "$tmp/tex"; fail "the city's cost sharing does not read its counties' transfers"; }
"$E" explain finance.cost_sharing.health.public_health 441400 --year 2020 \
    --db "$tdb" --rules "$rules" --format json >"$tmp/tjson" 2>&1
grep -qF '"value": 227402000, "payer": "province", "derived": {"from": "children", "count": 8, "of": "counties"}' \
    "$tmp/tjson" || { cat "$tmp/tjson"; fail "explain --format json does not say the transfer is derived"; }
# one county without its row: no sum (0 paid, as before), and explain says why
sqlite3 "$tdb" "DELETE FROM transfer WHERE region = '441422' AND year = 2020 AND item = 'health.public_health'"
"$E" explain finance.cost_sharing.health.public_health 441400 --year 2020 \
    --db "$tdb" --rules "$rules" >"$tmp/tex" 2>&1
grep -qF 'transfer  health.public_health = 0 元 (none paid: no row; only 7 of its 8 counties have one, so it is not their sum)' \
    "$tmp/tex" || { cat "$tmp/tex"; fail "explain does not say the partial transfers are not summed"; }
# a stored city row off its counties' sum warns
cp "$db" "$tdb"
sqlite3 "$tdb" "UPDATE transfer SET amount = amount + 5000000 WHERE region = '441422' AND year = 2020 AND item = 'health.public_health'"
"$E" check --db "$tdb" --rules "$rules" --year 2020 >"$tmp/tcheck" 2>&1
grep -qF '  transfer region 441400, year 2020, item health.public_health: stored 227402000 differs from the sum of its 8 counties'"'"' rows, 232402000, by -5000000 (tolerance: half a fen)' \
    "$tmp/tcheck" || { cat "$tmp/tcheck"; fail "check does not warn on a city transfer off its counties' sum"; }

# ---- import refuses a sum of ratios -----------------------------------------
printf 'key,name,kind,aggregate\nx.rate,比例,ratio,sum\n' >"$tmp/m.csv"
"$E" import --db "$db" metric "$tmp/m.csv" >"$tmp/imp" 2>&1
[ $? -eq 3 ] || fail "import of a sum of ratios: exit status"
grep -qF 'm.csv:2:4: aggregate sum is meaningless for a metric of kind ratio' \
    "$tmp/imp" || fail "import of a sum of ratios: $(cat "$tmp/imp")"
exit 0
