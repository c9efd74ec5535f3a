#!/bin/sh
# Proves that the build enforces the layers (CMakeLists.txt, er_layer):
# each probe in this folder is compiled as a file of one layer would be, and
# every wrong-direction include must fail on the header it reaches for,
# while the right-direction control case builds.
# Usage: check.sh BUILD_DIR
set -u
build=$1
fail=0
probe() { # target expect(ok|fail) header
    out=$(cmake --build "$build" --target "$1" 2>&1)
    rc=$?
    if [ "$2" = ok ]; then
        if [ $rc -ne 0 ]; then
            echo "FAIL $1: should build, did not:"; echo "$out" | tail -5
            fail=1
        else
            echo "ok   $1 builds"
        fi
    else
        if [ $rc -eq 0 ]; then
            echo "FAIL $1: built, but includes $3 across a layer"
            fail=1
        elif ! echo "$out" | grep -q "$3: No such file or directory"; then
            echo "FAIL $1: failed for another reason:"; echo "$out" | tail -5
            fail=1
        else
            echo "ok   $1 does not build ($3 not found)"
        fi
    fi
}
probe layer_probe_tools_includes_all ok
probe layer_probe_report_includes_engine fail engine.h
probe layer_probe_store_includes_report fail report.h
probe layer_probe_store_includes_engine fail engine.h
probe layer_probe_base_includes_store fail store.h
probe layer_probe_engine_includes_report fail report.h
probe layer_probe_engine_includes_tools fail tools.h
probe layer_probe_cli_includes_base fail base.h

# An include by a relative path ("../engine/engine.h") would reach past the
# include path the layers are enforced by: no file under core/ may name a
# header by a path.
src=$(cd "$(dirname "$0")/../.." && pwd)
paths=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*/' \
        "$src/core" "$src/include" 2>/dev/null)
if [ -n "$paths" ]; then
    echo "FAIL headers included by a path (a layer's header by its name only):"
    echo "$paths"
    fail=1
else
    echo "ok   no header is included by a path"
fi
exit $fail
