#!/bin/sh
# performance.sh - finance.performance (绩效考核) on the built-in sample:
#  1. its needs are every shipped compliance rule evaluated for cities or
#     counties, sorted: a department's new compliance rule that is not added
#     to rules/finance/performance.lua fails this test, naming it;
#  2. a warn finding earns params.credit_warn (no shipped rule gives warn:
#     a copy of the rules whose housing.affordable_coverage always warns);
#  3. the note names the deductions it leaves out and the explain command
#     that lists them all, and that command does.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "performance: FAILED: $*" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_performance.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

RULE=finance.performance
db=$work/gd.db
rules=$ER_SOURCE_DIR/rules
"$EQUIRULE_BIN" init --sample --db "$db" >/dev/null ||
    fail "init --sample failed"

# 1. needs = the shipped compliance rules of level city and/or county.
"$EQUIRULE_BIN" rules --rules "$rules" --format json >"$work/rules.json" ||
    fail "equirule rules failed"
grep '"kind":"compliance"' "$work/rules.json" |
    grep -E '"level":"[a-z,]*(city|county)' |
    sed 's/.*"id":"\([^"]*\)".*/\1/' | LC_ALL=C sort >"$work/compliance"
[ -s "$work/compliance" ] || fail "no compliance rule found in equirule rules"
grep -qx 'health.public_health_per_capita' "$work/compliance" ||
    fail "health.public_health_per_capita is not listed as a compliance rule"

"$EQUIRULE_BIN" explain "$RULE" 441400 --year 2019 --db "$db" \
    --rules "$rules" >"$work/explain" || fail "explain $RULE 441400 failed"
sed -n 's/^  needs  \(.*\) (evaluated first.*/\1/p' "$work/explain" |
    tr -d ' ' | tr ',' '\n' >"$work/needs"
[ -s "$work/needs" ] || fail "explain shows no needs of $RULE"
LC_ALL=C sort -c "$work/needs" 2>/dev/null ||
    fail "the needs of $RULE are not sorted (rules/finance/performance.lua)"
left=$(LC_ALL=C comm -23 "$work/compliance" "$work/needs")
[ -z "$left" ] ||
    fail "compliance rules not scored by $RULE (add them to its needs in rules/finance/performance.lua): $(echo $left)"
extra=$(LC_ALL=C comm -13 "$work/compliance" "$work/needs")
[ -z "$extra" ] ||
    fail "$RULE needs rules that are not city or county compliance rules: $(echo $extra)"

# 2. credit_warn: only housing weighs; every city's housing finding warns.
cp -R "$rules" "$work/rules"
cat >"$work/rules/housing/affordable_coverage.lua" <<'EOF'
return {
  id = "housing.affordable_coverage",
  title = "总是预警（测试）",
  basis = "tests/e2e/performance.sh",
  kind = "compliance",
  level = "city",
  params = { min_coverage = 0.95 },
  evaluate = function(r)
    return warn("测试预警 " .. params.min_coverage)
  end,
}
EOF
only_housing="--set $RULE.weight_civil_affairs=0 --set $RULE.weight_education=0
 --set $RULE.weight_finance=0 --set $RULE.weight_health=0
 --set $RULE.weight_hrss=0 --set $RULE.weight_medical=0"
score() { # score CREDIT_WARN: the measured score of 441400, run with it
    # shellcheck disable=SC2086
    "$EQUIRULE_BIN" run --db "$db" --rules "$work/rules" --rule "$RULE" \
        --year 2019 $only_housing --set "$RULE.credit_warn=$1" \
        >"$work/run.out" 2>&1
    "$EQUIRULE_BIN" report --db "$db" --format csv --rule "$RULE" \
        --region 441400 2>/dev/null | awk -F, '$2 == "'"$RULE"'" { print $8 }'
}
got=$(score 0.5)
[ "$got" = "50" ] || fail "one warn at credit_warn 0.5: score '$got', expected 50"
got=$(score 0.8)
[ "$got" = "80" ] || fail "one warn at credit_warn 0.8: score '$got', expected 80"

# 3. the capped note and the explain command that lists every deduction.
note=$(sed -n 's/^note      //p' "$work/explain")
n=$(printf '%s\n' "$note" | sed -n 's/.*等 \([0-9][0-9]*\) 项（全部：.*/\1/p')
[ -n "$n" ] || fail "the note of 441400 in 2019 names no deductions left out: $note"
shown=$(printf '%s\n' "$note" | grep -o ' 分、\| 分等' | wc -l)
[ "$shown" -eq 10 ] || fail "the note lists $shown deductions, expected the first 10"
cmd=$(printf '%s\n' "$note" | sed -n 's/.*（全部：equirule \(.*\)）$/\1/p')
[ -n "$cmd" ] || fail "the note names no command: $note"
# shellcheck disable=SC2086
"$EQUIRULE_BIN" $cmd --db "$db" --rules "$rules" >"$work/full" ||
    fail "the command the note names failed: equirule $cmd"
full=$(sed -n 's/^note      //p' "$work/full")
all=$(printf '%s\n' "$full" | grep -o ' 分、\| 分$' | wc -l)
[ "$all" -eq "$n" ] || fail "equirule $cmd lists $all deductions, expected $n"
case $full in *"等 "*" 项（全部"*) fail "the full list is still capped: $full" ;; esac

# 4. a weight so large that its sums overflow (1e308) is refused, named.
"$EQUIRULE_BIN" explain $RULE 441400 --db "$db" --rules "$rules" --year 2019 \
    --set $RULE.weight_finance=1e308 >"$work/big" 2>&1
grep -q '^outcome   error$' "$work/big" &&
    grep -q 'params.weight_finance must be at most 1000, got 1e+308' \
    "$work/big" || { cat "$work/big"; fail "weight_finance=1e308"; }

echo "performance: needs cover $(wc -l <"$work/needs") compliance rules; credit_warn scores; the full list of $n deductions shows in explain"
exit 0
