#!/bin/sh
# The equirule benchmark. Builds with optimisation, generates synthetic
# datasets (cached in the build folder), and prints Markdown tables:
#   - the built-in sample: `init --sample` plus `run` of every shipped rule;
#   - for each rule set and size, the plain-Lua baseline of that set (its
#     rules' arithmetic as plain Lua functions in one lua_State, no engine)
#     beside `equirule run --stats` of the set with each worker count, every
#     finding stored: wall time, each phase's time, rates, bytes on disk per
#     finding (the database's growth over the run, WAL checkpointed, divided
#     by the findings) and peak RSS;
#     the sets are "simple" (bench/rules-simple: 10 rules of one comparison
#     each; baseline bench/plain-simple.lua) and "bench" (bench/rules: 20
#     rules of realistic shape; baseline bench/plain.lua);
#   - the time of `report` (HTML, CSV) of the largest run measured.
#
# usage: bench/run.sh [--only simple|bench] [COUNTIES...]
#        (default: both sets, 1000 10000 100000 500000 counties)
# env:   BUILD (default build-bench), JOBS (default "1 2"),
#        SETS (default "simple bench"; --only overrides it)
#
# `run --stats` lines are parsed by their words, not their layout: a field
# the engine no longer prints shows as "-", and a phase it prints that is
# not one of snapshot, evaluate, record is listed in "other phases".
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
JOBS=${JOBS:-"1 2"}
SETS=${SETS:-"simple bench"}

usage() {
    echo "usage: bench/run.sh [--only simple|bench] [COUNTIES...]" >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
    --only)
        [ $# -ge 2 ] || usage
        SETS=$2
        shift 2
        ;;
    --only=*)
        SETS=${1#--only=}
        shift
        ;;
    -h | --help) usage ;;
    -*) echo "bench/run.sh: unknown option $1" >&2; usage ;;
    *) break ;;
    esac
done
for s in $SETS; do
    case $s in
    simple | bench) ;;
    *) echo "bench/run.sh: unknown rule set '$s' (simple or bench)" >&2; exit 2 ;;
    esac
done
SIZES=${*:-"1000 10000 100000 500000"}
for n in $SIZES; do
    case $n in
    '' | *[!0-9]*) echo "bench/run.sh: COUNTIES must be a number, not '$n'" >&2; exit 2 ;;
    esac
done

sh "$ROOT/scripts/setup"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DEQUIRULE_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
EQ=$BUILD/equirule
GEN=$BUILD/bench/equirule-bench-gen
PLAIN=$BUILD/bench/equirule-bench-plain
command -v sqlite3 >/dev/null 2>&1 ||
    { echo "bench/run.sh: the sqlite3 shell is needed (scripts/setup)" >&2; exit 3; }
# GNU time gives a report's peak RSS; without it that column shows "-"
GNU_TIME=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then
    GNU_TIME=/usr/bin/time
fi

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $1 - $2 }'; }
load() { sed 's/.*load average: //' /proc/loadavg 2>/dev/null | cut -d' ' -f1-3 || uptime; }

# stat_fields FILE: the fields of a `run --stats` output as shell
# assignments (evals findings snap eval_s rec rate frate rss other), "-"
# for what is absent. The words are read, not the layout: "N evaluations",
# "N findings", "PHASE X s", "(N evaluations/s)", "(N findings/s)",
# "N MB (WHO)".
stat_fields() {
    awk '
    function num(s) { return s ~ /^[0-9]+(\.[0-9]+)?$/ }
    function clean(s) { gsub(/^[(]+|[,;:)]+$/, "", s); return s }
    BEGIN { ev = fi = sn = es = rc = ra = fr = "-"; rss = ""; other = "" }
    /^stats:/ {
        n = 0
        for (i = 2; i <= NF; i++) t[++n] = clean($i)
        for (i = 1; i <= n; i++) {
            if (i > 1 && num(t[i - 1])) {
                if (t[i] == "evaluations" && ev == "-") ev = t[i - 1]
                else if (t[i] == "findings" && fi == "-") fi = t[i - 1]
                else if (t[i] == "evaluations/s" && ra == "-") ra = t[i - 1]
                else if (t[i] == "findings/s" && fr == "-") fr = t[i - 1]
                else if (t[i] == "MB") rss = rss (rss == "" ? "" : " + ") t[i - 1]
            }
            if (i + 2 <= n && num(t[i + 1]) && t[i + 2] == "s" && t[i] ~ /^[a-z][a-z_ -]*$/) {
                if (t[i] == "snapshot") sn = t[i + 1]
                else if (t[i] == "evaluate") es = t[i + 1]
                else if (t[i] == "record") rc = t[i + 1]
                else other = other (other == "" ? "" : ", ") t[i] " " t[i + 1]
            }
        }
    }
    END {
        if (rss == "") rss = "-"
        if (other == "") other = "-"
        printf "evals=%s findings=%s snap=%s eval_s=%s rec=%s rate=%s frate=%s rss=\"%s\" other=\"%s\"\n", \
            ev, fi, sn, es, rc, ra, fr, rss, other
    }' "$1"
}

# db_bytes DB: the database's size on disk with its WAL checkpointed into it
db_bytes() {
    sqlite3 -batch "$1" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1 || true
    total=0
    for f in "$1" "$1-wal"; do
        [ -f "$f" ] && total=$((total + $(wc -c <"$f")))
    done
    echo "$total"
}

# ratio A B FORMAT: A ÷ B printed with FORMAT, or "-" when either is not a
# number or B is 0
ratio() {
    echo "$1 $2 $3" | awk '
        $1 ~ /^[0-9.]+$/ && $2 ~ /^[0-9.]+$/ && $2 + 0 > 0 { printf $3, $1 / $2; exit }
        { printf "-" }'
}

echo "# equirule benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -m)"
echo
echo "load average at the start: $(load) (other work on the machine slows every line)"
echo

# the built-in sample: init --sample plus run, every rule, 2018-2020
tmp=$(mktemp -d)
t0=$(now)
"$EQ" init --sample --db "$tmp/sample.db" >/dev/null
"$EQ" run --db "$tmp/sample.db" --rules "$ROOT/rules" --years 2018-2020 >/dev/null || true
t1=$(now)
echo "sample: init --sample + run --years 2018-2020: $(elapsed "$t1" "$t0") s"
rm -rf "$tmp"

largest=0
largest_what=
for set in $SETS; do
    case $set in
    simple)
        rules=$ROOT/bench/rules-simple
        plain_lua=$ROOT/bench/plain-simple.lua
        title="simple rules (bench/rules-simple, 10 rules of one comparison)"
        ;;
    bench)
        rules=$ROOT/bench/rules
        plain_lua=$ROOT/bench/plain.lua
        title="bench rules (bench/rules, 20 rules)"
        ;;
    esac
    echo
    echo "## $title"
    echo
    printf '| counties | evaluations | plain Lua M/s | plain RSS MB | jobs | wall s | snapshot s | evaluate s | record s | other phases | evaluations/s | per worker ÷ plain | findings | findings/s | bytes/finding | peak RSS MB (as --stats lists them) |\n'
    printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n'
    for n in $SIZES; do
        db=$BUILD/bench-$n.db
        [ -f "$db" ] || "$GEN" "$db" "$n" >/dev/null
        "$PLAIN" "$db" "$plain_lua" >"$BUILD/plain.txt"
        plain=$(sed -n 's/.*= \([0-9.]*\) M\/s.*/\1/p' "$BUILD/plain.txt")
        plain_rss=$(sed -n 's/.*peak RSS \([0-9]*\) MB.*/\1/p' "$BUILD/plain.txt")
        for j in $JOBS; do
            rm -f "$BUILD/run.db" "$BUILD/run.db-wal" "$BUILD/run.db-shm"
            cp "$db" "$BUILD/run.db"
            before=$(db_bytes "$BUILD/run.db")
            t0=$(now)
            status=0
            "$EQ" run --db "$BUILD/run.db" --rules "$rules" --jobs "$j" \
                --stats --format json >/dev/null 2>"$BUILD/stats.txt" || status=$?
            t1=$(now)
            if [ "$status" -gt 1 ]; then
                echo "bench/run.sh: run of $set, $n counties, --jobs $j exited $status:" >&2
                grep -v '^stats:' "$BUILD/stats.txt" | head -n 5 >&2
            fi
            after=$(db_bytes "$BUILD/run.db")
            eval "$(stat_fields "$BUILD/stats.txt")"
            # the evaluation rate of one worker (--jobs 0: the one process)
            # against the plain loop's
            share=$(echo "$rate $j ${plain:--}" | awk '
                $1 ~ /^[0-9.]+$/ && $3 ~ /^[0-9.]+$/ && $3 + 0 > 0 {
                    w = $2 > 0 ? $2 : 1
                    printf "%.1f%%", 100 * $1 / w / ($3 * 1e6); exit }
                { printf "-" }')
            bpf=$(ratio "$((after - before))" "$findings" '%.1f')
            printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
                "$n" "$evals" "${plain:--}" "${plain_rss:--}" "$j" "$(elapsed "$t1" "$t0")" \
                "$snap" "$eval_s" "$rec" "$other" "$rate" "$share" "$findings" \
                "$frate" "$bpf" "$rss"
            if [ "$findings" != "-" ] && [ "$findings" -gt "$largest" ]; then
                largest=$findings
                largest_what="$set rules, $n counties, --jobs $j"
                rm -f "$BUILD/largest.db" "$BUILD/largest.db-wal" "$BUILD/largest.db-shm"
                mv "$BUILD/run.db" "$BUILD/largest.db"
            fi
        done
    done
done

# the reports of the largest run
if [ "$largest" -gt 0 ]; then
    echo
    echo "## report of the largest run ($largest findings: $largest_what)"
    echo
    printf '| format | wall s | output MB | peak RSS MB |\n'
    printf '| --- | ---: | ---: | ---: |\n'
    for fmt in html csv; do
        out=$BUILD/report.$fmt
        rm -f "$out"
        t0=$(now)
        if [ -n "$GNU_TIME" ]; then
            "$GNU_TIME" -f '%M' -o "$BUILD/report.rss" \
                "$EQ" report --db "$BUILD/largest.db" --format "$fmt" -o "$out" \
                >/dev/null 2>"$BUILD/report.err" || true
        else
            "$EQ" report --db "$BUILD/largest.db" --format "$fmt" -o "$out" \
                >/dev/null 2>"$BUILD/report.err" || true
        fi
        t1=$(now)
        if [ ! -s "$out" ]; then
            echo "bench/run.sh: report --format $fmt failed: $(head -n 3 "$BUILD/report.err")" >&2
            printf '| %s | - | - | - |\n' "$fmt"
            continue
        fi
        size=$(wc -c <"$out" | awk '{ printf "%.1f", $1 / 1048576 }')
        rss=-
        if [ -n "$GNU_TIME" ]; then
            rss=$(tail -n 1 "$BUILD/report.rss" | awk '$1 ~ /^[0-9]+$/ { printf "%d", $1 / 1024; exit } { printf "-" }')
        fi
        printf '| %s | %s | %s | %s |\n' "$fmt" "$(elapsed "$t1" "$t0")" "$size" "$rss"
    done
fi
echo
echo "load average at the end: $(load)"
rm -f "$BUILD/run.db" "$BUILD/run.db-wal" "$BUILD/run.db-shm" "$BUILD/stats.txt" \
    "$BUILD/plain.txt" "$BUILD/report.html" "$BUILD/report.csv" "$BUILD/report.rss" \
    "$BUILD/report.err" "$BUILD/largest.db" "$BUILD/largest.db-wal" "$BUILD/largest.db-shm"
