#!/bin/sh
# reliability_leaks.sh - every command, on its ordinary path and on its
# error paths, exits with the status it documents and, in a build with
# AddressSanitizer (-DEQUIRULE_SANITIZE=ON), without a leak or another
# sanitizer report: LeakSanitizer runs when the command exits, and a
# report is caught both by its text on stderr and by the exit status it
# forces (ASAN_OPTIONS exitcode=86 here, or an abort under CI's
# abort_on_error=1). In another build it checks the exit statuses only.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree. Stops with a message and exit status 1
# at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "reliability_leaks: FAILED: $*" >&2
    exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_leaks.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

RULES=$ER_SOURCE_DIR/rules
RFIX=$ER_SOURCE_DIR/tests/fixtures/rules
IFIX=$ER_SOURCE_DIR/tests/fixtures/import

if grep -a -q __asan_init "$EQUIRULE_BIN" 2>/dev/null; then
    asan=1
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:exitcode=86"
    export ASAN_OPTIONS
    echo "reliability_leaks: an AddressSanitizer build: LeakSanitizer checks every command"
else
    asan=0
    echo "reliability_leaks: not an AddressSanitizer build: exit statuses only (CI's ASan build checks leaks)"
fi

count=0
# check STATUS ARGS...: `equirule ARGS...` exits with STATUS, and no
# sanitizer reports anything.
check() {
    want=$1
    shift
    "$EQUIRULE_BIN" "$@" >cmd.out 2>cmd.err </dev/null
    got=$?
    if grep -q -E 'Sanitizer|runtime error:' cmd.err; then
        fail "equirule $*: a sanitizer report (exit status $got):
$(cat cmd.err)"
    fi
    [ "$got" -eq "$want" ] ||
        fail "equirule $*: exit status $got, expected $want: $(head -5 cmd.err)"
    count=$((count + 1))
}

# init
check 0 init --db e.db
check 0 init --db e.db
check 0 init --sample --db s.db
check 2 init --sample --db s.db extra
cp "$ER_SOURCE_DIR/tests/fixtures/reliability/not_a_database.txt" text.db
check 3 init --db text.db
check 2 init --no-such-option

# import: rows, a dry run, replacing, bad data, files that are not there
printf 'key,name\nleak.metric,a metric\n' >metric.csv
check 0 import --db s.db metric metric.csv
printf 'region,year,metric,value\n440100,2019,leak.metric,1\n' >fact.csv
check 0 import --db s.db --dry-run fact fact.csv
check 0 import --db s.db fact fact.csv
check 0 import --db s.db --replace fact fact.csv
# the same row again: unchanged; another value without --replace: refused
check 0 import --db s.db fact fact.csv
printf 'region,year,metric,value\n440100,2019,leak.metric,2\n' >fact2.csv
check 3 import --db s.db fact fact2.csv
# the import unit tests' bad files, each into an empty database
for f in "$IFIX"/*.csv; do
    case $(basename "$f") in
    bom_crlf_quotes.csv | region_parent_order.csv) continue ;; # valid
    share_*) table=share ;;
    standard_*) table=standard ;;
    region_* | header_* | field_* | multiline_*) table=region ;;
    *) table=fact ;;
    esac
    check 3 import --db e.db "$table" "$f"
done
check 3 import --db s.db fact missing.csv
check 2 import --db s.db no_such_table fact.csv
check 3 import --db missing.db fact fact.csv
check 2 import --db s.db fact
# encodings: detected, forced, refused; an empty database name
check 0 import --db s.db --dry-run metric "$IFIX/encoding/metric_gbk_valid_utf8.csv"
check 0 import --db s.db --dry-run --encoding gbk metric "$IFIX/encoding/metric_ambiguous.csv"
check 3 import --db s.db metric "$IFIX/encoding/metric_ambiguous.csv"
check 3 import --db s.db --encoding gbk metric "$IFIX/encoding/metric_gbk_invalid_byte.csv"
check 3 import --db s.db fact "$IFIX/encoding/fact_gbk_bad_value.csv"
check 2 import --db s.db --encoding latin1 metric "$IFIX/encoding/metric_ambiguous.csv"
check 2 import --db "" metric "$IFIX/encoding/metric_ambiguous.csv"
check 2 init --db ""

# run: in workers, in process, a selection, what-ifs, broken rules, errors
check 1 run --db s.db --rules "$RULES" --years 2018-2020
check 1 run --db s.db --rules "$RULES" --year 2019 --jobs 0 --format json
check 1 run --db s.db --rules "$RULES" --year 2019 --jobs 2 --stats
check 0 run --db s.db --rules "$RULES" --rule health.public_health_per_capita --region 441600 --year 2019
check 1 run --db s.db --rules "$RULES" --dept finance --set finance.subsidy_cut.strong_ratio=1.2 --year 2019
check 1 run --db s.db --rules "$RFIX/syntax_error" --year 2019
check 1 run --db s.db --rules "$RFIX/cycle" --year 2019
check 1 run --db s.db --rules "$RFIX/runtime_error" --year 2019
check 2 run --db s.db --rules "$RULES" --rule no.such_rule
check 2 run --db s.db --rules "$RULES" --region 999999
check 2 run --db s.db --rules "$RULES" --set no_dot
check 3 run --db s.db --rules no_such_folder
check 3 run --db e.db --rules "$RULES"
check 3 run --db missing.db --rules "$RULES"
check 2 run --db s.db --jobs many

# runs and report
check 0 runs --db s.db
check 0 runs --db s.db --format json
check 0 runs --db s.db --format csv
check 0 runs --db e.db
for format in html md csv json text; do
    check 0 report --db s.db --format "$format" -o "report.$format"
done
check 0 report --db s.db 1 --format csv --excel
# run 1 (2018-2020) against run 5 (2019, finance with another strong_ratio):
# compared within 2019 and finance, where the cuts changed
check 1 report --db s.db --compare 1 5
check 3 report --db s.db 999
check 3 report --db e.db
check 2 report --db s.db --format pdf

# the public service list
for format in html md csv xlsx; do
    check 0 publish --db s.db --region 梅州 --format "$format" -o "list.$format"
done
check 0 publish --db s.db --region 440103 --format csv --excel
check 2 publish --db s.db --region 449999
check 2 publish --db s.db --year 2030
check 2 publish --db s.db --format pdf
check 2 publish --db e.db
check 3 publish --db missing.db

# export
for table in region metric item standard share transfer fact; do
    check 0 export --db s.db "$table" -o "$table.csv"
done
check 2 export --db s.db no_such_table

# rule tests, with coverage and reports; broken and failing test files
check 0 test --rules "$RULES" "$RULES"
check 0 test --rules "$RULES" --coverage --coverage-json cov.json \
    --coverage-lcov cov.info --junit junit.xml "$RULES/health"
mkdir -p failing/health
cp "$RULES/health/public_health_per_capita.lua" failing/health/
sed 's/outcome = "fail"/outcome = "pass"/' \
    "$RULES/health/public_health_per_capita_test.lua" \
    >failing/health/public_health_per_capita_test.lua
check 1 test --rules failing failing
printf 'return { { name = "broken", year = ' >failing/health/broken_test.lua
check 1 test --rules failing failing
check 3 test --rules "$RULES" no_such_path

# the tools: rules, lint, explain, diff
check 0 rules --rules "$RULES"
check 0 rules --rules "$RULES" --format json
check 3 lint --rules "$RFIX/syntax_error"
check 0 explain health.public_health_per_capita 441400 --db s.db --rules "$RULES" --year 2019
check 0 explain health.public_health_per_capita 梅州市 --db s.db --rules "$RULES" --year 2019 --format json
check 2 explain no.such_rule 441400 --db s.db --rules "$RULES"
check 0 diff --base "$RULES" --head "$RULES" --db s.db --year 2019
check 1 diff --base "$RULES" --head "$RULES" --db s.db --year 2019 \
    --set finance.subsidy_cut.strong_ratio=1.2
check 2 diff --base no_such_folder --head "$RULES" --db s.db

# help and versions
check 0 --version
check 0 help
check 0 help run
check 2 help no_such_command
check 2 no_such_command
check 2

echo "reliability_leaks: $count commands, all with their exit status$([ $asan -eq 1 ] && echo ' and no leak')"
exit 0
