#!/bin/sh
# money_overflow.sh - money totals that do not fit in 64-bit fen are an
# error, never a silently wrong or swallowed total. Two cuts of 6e16 yuan
# (each fits, their total does not) beside a failing rule: `run` exits 3
# naming the outcome and the rule, records nothing, and never says "no
# failing findings"; the database stays usable. One such cut with the
# failing rule is recorded and summarized exactly. A database holding an
# overflowing run written by other means (an older version) makes `runs`,
# `report` and `report --compare` exit 3 naming the run, while `runs`
# still lists the others. A database whose run table is damaged is an
# error, never "holds no finished run".
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Needs the sqlite3 command line shell.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "money_overflow: FAILED: $*" >&2
    exit 1
}
note() {
    echo "money_overflow: $*"
}

command -v sqlite3 >/dev/null 2>&1 || fail "the sqlite3 shell is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_money.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

FIX=$ER_SOURCE_DIR/tests/fixtures/money
E=$EQUIRULE_BIN

q() {
    sqlite3 -batch -noheader "$1" "$2" 2>&1 || fail "sqlite3: $2"
}

# check NAME EXPECTED-STATUS CMD...: runs CMD, output in NAME.out/.err
check() {
    name=$1
    want=$2
    shift 2
    "$@" >"$name.out" 2>"$name.err"
    got=$?
    [ "$got" = "$want" ] ||
        fail "$name: exit status $got, expected $want: $(cat "$name.err")"
}

"$E" init --sample --db m.db >/dev/null 2>init.err ||
    fail "init --sample: $(cat init.err)"

# 1. the total does not fit: an error naming the outcome and the rule
for format in text json; do
    check "overflow_$format" 3 "$E" run --db m.db --rules "$FIX/overflow" \
        --format "$format"
    grep -q "cut amounts of the run add up to more than" "overflow_$format.err" ||
        fail "run --format $format: no overflow message: $(cat "overflow_$format.err")"
    grep -q "finance.big_cut_b" "overflow_$format.err" ||
        fail "run --format $format: the message names no rule: $(cat "overflow_$format.err")"
    grep -q "no failing findings" "overflow_$format.out" &&
        fail "run --format $format says no failing findings"
    grep -q '"findings": 0' "overflow_$format.out" &&
        fail "run --format json says no findings"
done
[ "$(q m.db "SELECT count(*) FROM run")" = 0 ] ||
    fail "a run whose total does not fit was recorded"
check runs_empty 0 "$E" runs --db m.db
note "a run whose cut total does not fit is refused (exit 3), nothing recorded"

# 2. the largest amount whose total fits: recorded exactly
check fits 1 "$E" run --db m.db --rules "$FIX/fits" --format json
grep -q '"cut_fen": 6000000000000000000' fits.out ||
    fail "run --format json: $(cat fits.out)"
grep -q '"fail": 1' fits.out || fail "run --format json: $(cat fits.out)"
check fits_text 0 "$E" report --db m.db
grep -q "60,000,000,000,000,000.00" fits_text.out ||
    fail "report: the cut total is not 60,000,000,000,000,000.00: $(cat fits_text.out)"
check fits_runs 0 "$E" runs --db m.db --format csv
grep -q ",6000000000000000000,0," fits_runs.out ||
    fail "runs --format csv: $(cat fits_runs.out)"
note "one cut of 6e16 yuan is recorded and summarized to the fen"

# 3. an overflowing run stored by other means: every reader says so
q m.db "INSERT INTO run(started_at, finished_at, status, years, engine_version,
          rules_digest, data_digest, user)
        SELECT started_at, finished_at, status, years, engine_version,
          rules_digest, data_digest, user FROM run WHERE id = 1;
        INSERT INTO run_rule(run, rule, department, path, title, basis, kind,
          level, params)
        SELECT 2, rule, department, path, title, basis, kind, level, params
          FROM run_rule WHERE run = 1;
        INSERT INTO finding(run, rule, region, year, outcome, amount)
          VALUES (2, 'finance.big_cut_a', '440000', 2020, 'cut',
                  6000000000000000000),
                 (2, 'finance.big_cut_a', '440000', 2019, 'cut',
                  6000000000000000000);
        INSERT INTO run_count(run, rule, year, outcome, n, amount)
          VALUES (2, 'finance.big_cut_a', 2020, 'cut', 1, 6000000000000000000),
                 (2, 'finance.always_fails', 2019, 'cut', 1,
                  6000000000000000000);"
check runs_overflow 3 "$E" runs --db m.db
grep -q "run 2 in m.db: the cut amounts add up" runs_overflow.err ||
    fail "runs: $(cat runs_overflow.err)"
grep -q "^1 " runs_overflow.out || fail "runs: run 1 not listed: $(cat runs_overflow.out)"
grep -q "^2 .*overflow" runs_overflow.out ||
    fail "runs: run 2 not listed as overflowing: $(cat runs_overflow.out)"
check runs_json 3 "$E" runs --db m.db --format json
grep -q '"cut_fen": null' runs_json.out || fail "runs --format json: $(cat runs_json.out)"
for format in text md json csv html; do
    check "report_$format" 3 "$E" report --db m.db 2 --format "$format"
    grep -q "run 2" "report_$format.err" || fail "report --format $format: $(cat "report_$format.err")"
done
check compare 3 "$E" report --db m.db 2 --compare 1
grep -q "run 2" compare.err || fail "report --compare: $(cat compare.err)"
check report_1 0 "$E" report --db m.db 1
note "runs, report and report --compare exit 3 on a stored total that does not fit"

# 4. a damaged run table is an error, not "no finished run"
"$E" init --sample --db d.db >/dev/null 2>&1 || fail "init d.db"
check d_run 1 "$E" run --db d.db --rules "$FIX/fits"
page=$(q d.db "PRAGMA page_size")
root=$(q d.db "SELECT rootpage FROM sqlite_master WHERE name = 'run'")
printf 'damaged page damaged page damaged page damaged page damaged page' |
    dd of=d.db bs=1 seek=$(((root - 1) * page)) conv=notrunc 2>/dev/null ||
    fail "cannot damage d.db"
check d_report 3 "$E" report --db d.db
grep -q "holds no finished run" d_report.err &&
    fail "report on a damaged run table: $(cat d_report.err)"
grep -qi "malformed\|damaged\|corrupt" d_report.err ||
    fail "report on a damaged run table: $(cat d_report.err)"
note "a damaged run table is reported as such (exit 3)"

# 5. diff: a rule set whose totals do not fit is an error; the largest
#    that fit are compared to the fen
check diff_overflow 3 "$E" diff --db m.db --base "$FIX/fits" --head "$FIX/overflow"
grep -q "cut amounts of the head rules add up to more than" diff_overflow.err ||
    fail "diff: $(cat diff_overflow.err)"
check diff_fits 0 "$E" diff --db m.db --base "$FIX/fits" --head "$FIX/fits" \
    --format json
note "diff exits 3 when a side's cut total does not fit"
