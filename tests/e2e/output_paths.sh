#!/bin/sh
# An output file (-o, --junit, --coverage-json, --coverage-lcov) that names
# the database, or its -wal or -shm file, is refused: the database is left
# whole and the command fails with a message saying why.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "output_paths: $*" >&2; exit 1; }
E=$EQUIRULE_BIN
db=$tmp/x.db
"$E" init --sample --db "$db" >/dev/null || fail "init"
"$E" run --db "$db" --rules "$ER_SOURCE_DIR/rules" --years 2019 >/dev/null 2>&1
before=$(sqlite3 "$db" "SELECT count(*) FROM finding")
[ "$before" -gt 0 ] || fail "no findings to protect"

check() { # what, then the command
    what=$1; shift
    "$@" >"$tmp/out" 2>&1
    rc=$?
    [ $rc -ne 0 ] || { cat "$tmp/out"; fail "$what: exit 0"; }
    grep -q "is a database: writing the output there would destroy it\|belongs to the database beside it" "$tmp/out" ||
        { cat "$tmp/out"; fail "$what: no message"; }
    [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "$what: database damaged"
    [ "$(sqlite3 "$db" 'SELECT count(*) FROM finding')" = "$before" ] ||
        fail "$what: findings changed"
}
check "report -o DB" "$E" report --db "$db" --format csv -o "$db"
check "export -o DB" "$E" export --db "$db" fact -o "$db"
cp "$db" "$tmp/y.db"
check "report -o DB-wal" "$E" report --db "$db" --format md -o "$tmp/y.db-wal"
check "test --junit DB" "$E" test --rules "$ER_SOURCE_DIR/rules" --junit "$db" \
    "$ER_SOURCE_DIR/rules/health"
check "test --coverage-json DB" "$E" test --rules "$ER_SOURCE_DIR/rules" \
    --coverage-json "$db" "$ER_SOURCE_DIR/rules/health"
# an ordinary file is still written
"$E" report --db "$db" --format csv -o "$tmp/r.csv" || fail "report -o FILE"
[ -s "$tmp/r.csv" ] || fail "report -o FILE: empty"
echo "output_paths: every case as expected"
