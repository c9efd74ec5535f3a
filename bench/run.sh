#!/bin/sh
# The equirule benchmark. Builds with optimisation, generates synthetic
# datasets (cached in the build folder), and for each size runs:
#   - the plain-Lua baseline (bench/plain.lua: the bench rules' arithmetic as
#     plain Lua functions in one lua_State, no engine);
#   - `equirule run` of the 20 bench rules (bench/rules) with 1 and 2 workers,
#     every finding stored;
# then prints a Markdown table. Also times `init --sample` plus `run` on the
# built-in sample.
#
# usage: bench/run.sh [COUNTIES...]      (default: 1000 10000 100000 500000)
# env:   BUILD (default build-bench), JOBS (default "1 2")
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
JOBS=${JOBS:-"1 2"}
SIZES=${*:-"1000 10000 100000 500000"}

sh "$ROOT/scripts/setup"
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DEQUIRULE_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
EQ=$BUILD/equirule
GEN=$BUILD/bench/equirule-bench-gen
PLAIN=$BUILD/bench/equirule-bench-plain

now() { date +%s.%N; }
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $1 - $2 }'; }
field() { # field NAME FILE: a number after "NAME " in --stats output
    sed -n "s/.*$1 \([0-9.]*\).*/\1/p" "$2" | head -n 1
}

echo "# equirule benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
echo

# the built-in sample: init --sample plus run, every rule, 2018-2020
tmp=$(mktemp -d)
t0=$(now)
"$EQ" init --sample --db "$tmp/sample.db" >/dev/null
"$EQ" run --db "$tmp/sample.db" --rules "$ROOT/rules" --years 2018-2020 >/dev/null || true
t1=$(now)
echo "sample: init --sample + run --years 2018-2020: $(elapsed "$t1" "$t0") s"
rm -rf "$tmp"
echo

printf '| counties | evaluations | plain Lua M/s | jobs | wall s | snapshot s | evaluate s | evaluations/s | engine ÷ plain | record s | findings/s | peak RSS MB (supervisor + largest worker) |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n'
for n in $SIZES; do
    db=$BUILD/bench-$n.db
    [ -f "$db" ] || "$GEN" "$db" "$n" >/dev/null
    plain=$("$PLAIN" "$db" "$ROOT/bench/plain.lua" | sed -n 's/.*= \([0-9.]*\) M\/s.*/\1/p')
    for j in $JOBS; do
        cp "$db" "$BUILD/run.db"
        rm -f "$BUILD/run.db-wal" "$BUILD/run.db-shm"
        t0=$(now)
        "$EQ" run --db "$BUILD/run.db" --rules "$ROOT/bench/rules" --jobs "$j" \
            --stats --format json >/dev/null 2>"$BUILD/stats.txt" || true
        t1=$(now)
        evals=$(sed -n 's/^stats: \([0-9]*\) evaluations.*/\1/p' "$BUILD/stats.txt")
        snap=$(field snapshot "$BUILD/stats.txt")
        eval_s=$(field evaluate "$BUILD/stats.txt")
        rate=$(sed -n 's/.*evaluate [0-9.]* s (\([0-9]*\) evaluations\/s).*/\1/p' "$BUILD/stats.txt")
        rec=$(field record "$BUILD/stats.txt")
        frate=$(sed -n 's/.*record [0-9.]* s (\([0-9]*\) findings\/s).*/\1/p' "$BUILD/stats.txt")
        rss_self=$(sed -n 's/.*peak RSS \([0-9]*\) MB (this process).*/\1/p' "$BUILD/stats.txt")
        rss_w=$(sed -n 's/.*MB (this process), \([0-9]*\) MB.*/\1/p' "$BUILD/stats.txt")
        ratio=$(echo "$rate $plain" | awk '{ printf "%.1f%%", 100 * $1 / ($2 * 1e6) }')
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s + %s |\n' \
            "$n" "$evals" "$plain" "$j" "$(elapsed "$t1" "$t0")" "$snap" "$eval_s" \
            "$rate" "$ratio" "$rec" "$frate" "$rss_self" "$rss_w"
    done
done
rm -f "$BUILD/run.db" "$BUILD/run.db-wal" "$BUILD/run.db-shm" "$BUILD/stats.txt"
