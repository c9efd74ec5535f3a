#!/bin/sh
# tests/fuzz/run.sh [SECONDS] - builds the libFuzzer harnesses with clang
# (AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer on) into
# a build folder of their own, then runs each for SECONDS (default 60),
# one after the other, and prints the executions of each:
#
#   fuzz_csv    CSV text     -> er_import_csv into every data table
#   fuzz_rules  a rule file  -> er_ruleset_load, the catalog, params, lint
#   fuzz_tests  a _test.lua  -> er_test_run against a fixed rule file
#
# Each starts from its seed corpus (tests/fuzz/corpus/<harness>/ and the
# folders of the tree that tests/fuzz/seeds names, left untouched) and the
# inputs it found in earlier runs (<build>/corpus/).
# A crash, a leak, a sanitizer report or an input slower than 30 s stops
# the harness and leaves the input in <build>/artifacts/<harness>/; the
# script then exits 1, naming it. Copy such an input into the seed corpus
# as a regression case once it is fixed: the normal test build replays
# the seed corpus (ctest -R fuzz_corpus).
#
# Environment: FUZZ_BUILD, the build folder (default build-fuzz in the
# source tree); CC, the compiler (default clang); FUZZ_JOBS, build jobs.
# Takes about 3 x SECONDS plus the build (a minute from scratch).

set -u

seconds=${1:-60}
case $seconds in
'' | *[!0-9]*)
    echo "usage: tests/fuzz/run.sh [SECONDS]" >&2
    exit 2
    ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
build=${FUZZ_BUILD:-$root/build-fuzz}
cc=${CC:-clang}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

command -v "$cc" >/dev/null 2>&1 || {
    echo "fuzz: $cc is not installed (libFuzzer comes with clang)" >&2
    exit 2
}

echo "== building the harnesses with $cc into $build"
cmake -S "$root" -B "$build" -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEQUIRULE_TESTS=OFF \
    -DEQUIRULE_SANITIZE=ON -DEQUIRULE_FUZZ=ON >"$build.cmake.log" 2>&1 || {
    cat "$build.cmake.log" >&2
    echo "fuzz: cmake failed" >&2
    exit 2
}
rm -f "$build.cmake.log"
cmake --build "$build" -j "$jobs" --target fuzz_csv fuzz_rules fuzz_tests \
    >"$build/build.log" 2>&1 || {
    cat "$build/build.log" >&2
    echo "fuzz: the build failed" >&2
    exit 2
}

# the sandbox's deadlines and the workers' behaviour do not depend on
# these, but a leak report must fail the run
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:allocator_may_return_null=1"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS UBSAN_OPTIONS

# the harnesses' scratch folders, gone with this script even when a
# harness dies
shm=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && shm=/dev/shm
FUZZ_SCRATCH=$(mktemp -d "$shm/equirule-fuzz-run.XXXXXX") || exit 2
export FUZZ_SCRATCH
trap 'rm -rf "$FUZZ_SCRATCH"' EXIT
trap 'exit 1' INT TERM

failed=""
summary=""
for harness in csv rules tests; do
    case $harness in
    csv) dict=$root/tests/fuzz/csv.dict ;;
    *) dict=$root/tests/fuzz/lua.dict ;;
    esac
    # the folders of the tree tests/fuzz/seeds names for this harness
    seeds=$(awk -v h="$harness" -v r="$root" \
        '$1 == h { for (i = 2; i <= NF; i++) printf "%s/%s ", r, $i }' \
        "$root/tests/fuzz/seeds")
    corpus=$build/corpus/$harness
    artifacts=$build/artifacts/$harness
    log=$build/fuzz_$harness.log
    mkdir -p "$corpus" "$artifacts"
    echo "== fuzz_$harness for $seconds s"
    "$build/tests/fuzz/fuzz_$harness" -max_total_time="$seconds" \
        -timeout=30 -rss_limit_mb=4096 -malloc_limit_mb=2048 \
        -max_len=65536 -dict="$dict" -print_final_stats=1 \
        -artifact_prefix="$artifacts/" \
        "$corpus" "$root/tests/fuzz/corpus/$harness" $seeds >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    per_s=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    line="fuzz_$harness: ${execs:-?} executions in $seconds s (${per_s:-?}/s), coverage ${cov:-?}"
    if [ "$status" -ne 0 ]; then
        line="$line: FAILED (exit $status), see $log and $artifacts/"
        failed="$failed fuzz_$harness"
        grep -E 'ERROR|SUMMARY|Test unit written|fuzz_(csv|rules|tests):' "$log" |
            head -20 >&2
    fi
    echo "$line"
    summary="$summary$line
"
done

echo "== summary"
printf '%s' "$summary"
if [ -n "$failed" ]; then
    echo "fuzz: FAILED:$failed" >&2
    exit 1
fi
exit 0
