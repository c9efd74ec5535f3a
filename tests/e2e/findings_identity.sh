#!/bin/sh
# findings_identity.sh - end to end: the findings, and their order, are the
# same whatever the number of workers, and the same as the committed golden
# (tests/fixtures/identity), made from the code before the evaluation and
# the findings store were reworked for speed. Two datasets:
#   - the built-in sample (init --sample), every shipped rule, 2018-2020:
#     golden sample.txt, the whole normalized report;
#   - the bench generator's 1,000 counties (deterministic), bench/rules:
#     golden bench.digest, digests per section and per rule (the normalized
#     report is some 5 MB), the outcome counts in clear; and the same data
#     with bench/rules-simple: golden simple.digest.
# For each, `run --jobs 0, 1, 2, 8` into a fresh copy of the data, then
# `report --format json` normalized by tests/fixtures/identity/normalize.py
# (run id, timestamps, user, engine version, command line, rules folder and
# input digests dropped) is compared with the golden, and `report --format
# csv` of --jobs 0 with that of --jobs 8, byte for byte. The runs get a
# --timeout of 120 s: a loaded machine (8 workers on 2 cores) must not turn
# a finding into a timeout error.
#
# A change of the findings on purpose (a rule or the data changed) makes
# new goldens with ER_IDENTITY_UPDATE=1 (see docs/testing.md); say why in
# the commit message.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree; EQUIRULE_BENCH_GEN, the bench generator
# (default: bench/equirule-bench-gen beside EQUIRULE_BIN). Needs python3.
# Stops with a message and exit status 1 at the first failed check.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"
GEN=${EQUIRULE_BENCH_GEN:-$(dirname "$EQUIRULE_BIN")/bench/equirule-bench-gen}
FIX=$ER_SOURCE_DIR/tests/fixtures/identity
NORM="python3 $FIX/normalize.py"
JOBS="0 1 2 8"

fail() {
    echo "findings_identity: FAILED: $*" >&2
    exit 1
}

command -v python3 >/dev/null 2>&1 || fail "python3 is needed (scripts/setup)"
[ -x "$GEN" ] || fail "the bench generator $GEN is not built (cmake --build build)"

work=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_identity.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
cd "$work" || fail "cannot enter $work"

# compare WHAT GOLDEN GOT: GOT equals the golden file, else the first lines
# of the difference; with ER_IDENTITY_UPDATE=1, the first GOT (--jobs 0)
# becomes the golden and the others are compared with it
compare() {
    if [ "${ER_IDENTITY_UPDATE:-0}" = 1 ] && [ ! -e "$(basename "$2").written" ]; then
        cp "$3" "$2" || fail "cannot write $2"
        : >"$(basename "$2").written"
        echo "findings_identity: wrote $2"
        return
    fi
    [ -f "$2" ] || fail "$1: no golden $2 (ER_IDENTITY_UPDATE=1 makes it)"
    if ! cmp -s "$2" "$3"; then
        echo "findings_identity: $1 differs from $2 (- golden, + now):" >&2
        diff -u "$2" "$3" | head -n 60 | cut -c 1-600 >&2
        fail "$1: the findings differ from the golden"
    fi
}

# check NAME DB RULES GOLDEN MODE [RUN OPTION...]: run RULES over a copy of
# DB with each --jobs, compare the normalized JSON report (MODE full or
# digest) with GOLDEN and the CSV of --jobs 0 with that of --jobs 8
check() {
    name=$1 db=$2 rules=$3 golden=$4 mode=$5
    shift 5
    for j in $JOBS; do
        cp "$db" "$name-$j.db" || fail "cannot copy $db"
        "$EQUIRULE_BIN" run --db "$name-$j.db" --rules "$rules" --jobs "$j" \
            --timeout 120 "$@" \
            >"$name-$j.run.out" 2>"$name-$j.run.err"
        status=$?
        # 1: the run is done and some findings fail, which both datasets have
        [ "$status" -eq 1 ] ||
            fail "$name: run --jobs $j exited $status, expected 1: $(head -n 5 "$name-$j.run.err")"
        "$EQUIRULE_BIN" report --db "$name-$j.db" --format json \
            -o "$name-$j.json" >/dev/null 2>"$name-$j.report.err" ||
            fail "$name: report --format json after --jobs $j: $(cat "$name-$j.report.err")"
        $NORM "$mode" "$name-$j.json" >"$name-$j.norm" ||
            fail "$name: cannot normalize the report of --jobs $j"
        compare "$name --jobs $j" "$golden" "$name-$j.norm"
        "$EQUIRULE_BIN" report --db "$name-$j.db" --format csv \
            -o "$name-$j.csv" >/dev/null 2>"$name-$j.report.err" ||
            fail "$name: report --format csv after --jobs $j: $(cat "$name-$j.report.err")"
        # a limit hit is the machine's load, not the findings: never golden
        ! grep -q 'time limit exceeded\|timeout: no result' "$name-$j.csv" ||
            fail "$name: --jobs $j: an evaluation ran out of time: $(grep -m 1 'time limit exceeded\|timeout: no result' "$name-$j.csv")"
    done
    if ! cmp -s "$name-0.csv" "$name-8.csv"; then
        echo "findings_identity: $name: CSV of --jobs 0 (-) and --jobs 8 (+):" >&2
        diff -u "$name-0.csv" "$name-8.csv" | head -n 40 | cut -c 1-400 >&2
        fail "$name: report --format csv differs between --jobs 0 and --jobs 8"
    fi
    rows=$(wc -l <"$name-0.csv")
    [ "$rows" -gt 1 ] || fail "$name: the CSV report holds no finding"
    echo "findings_identity: $name: $((rows - 1)) findings, identical for --jobs $JOBS"
}

# ---- the built-in sample ---------------------------------------------------

"$EQUIRULE_BIN" init --sample --db sample.db >init.out 2>init.err ||
    fail "init --sample: $(cat init.err)"
check sample sample.db "$ER_SOURCE_DIR/rules" "$FIX/sample.txt" full --years 2018-2020

# ---- the bench dataset -------------------------------------------------------

"$GEN" bench.db 1000 >gen.out 2>gen.err || fail "$GEN bench.db 1000: $(cat gen.err)"
check bench bench.db "$ER_SOURCE_DIR/bench/rules" "$FIX/bench.digest" digest
# the simple rules (one comparison each: the shape a faster path serves first)
check simple bench.db "$ER_SOURCE_DIR/bench/rules-simple" "$FIX/simple.digest" digest

echo "findings_identity: all checks passed"
exit 0
