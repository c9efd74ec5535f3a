#!/bin/sh
# An output file (-o, --junit, --coverage-json, --coverage-lcov) that names
# the database, or its -wal or -shm file, is refused: the database is left
# whole and the command fails with a message saying why. -o through a
# symbolic link replaces the file it points to and keeps the link; a device,
# a fifo or /dev/stdout is written through, never replaced; a folder is
# refused.
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

# -o through a symbolic link replaces the file it points to; the link stays
echo old >"$tmp/target.csv"
ln -s target.csv "$tmp/link.csv"
"$E" report --db "$db" --format csv -o "$tmp/link.csv" >"$tmp/out" 2>&1 ||
    { cat "$tmp/out"; fail "report -o LINK"; }
[ -L "$tmp/link.csv" ] || fail "report -o LINK: the link was replaced"
"$E" report --db "$db" --format csv 2>/dev/null >"$tmp/want.csv"
cmp -s "$tmp/target.csv" "$tmp/want.csv" || fail "report -o LINK: target not updated"
echo old >"$tmp/target.xlsx"
ln -s target.xlsx "$tmp/link.xlsx"
"$E" report --db "$db" -o "$tmp/link.xlsx" >/dev/null 2>&1 || fail "report -o LINK.xlsx"
[ -L "$tmp/link.xlsx" ] || fail "report -o LINK.xlsx: the link was replaced"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).testzip()' \
    "$tmp/target.xlsx" || fail "report -o LINK.xlsx: target is no workbook"
echo old >"$tmp/target2.csv"
ln -s target2.csv "$tmp/link2.csv"
"$E" export --db "$db" fact -o "$tmp/link2.csv" >/dev/null 2>&1 || fail "export -o LINK"
[ -L "$tmp/link2.csv" ] && [ "$(wc -l <"$tmp/target2.csv")" -gt 100 ] ||
    fail "export -o LINK: link replaced or target not written"
# a link to the database is refused like the database itself
ln -s x.db "$tmp/db-link.csv"
check "report -o LINK-TO-DB" "$E" report --db "$db" --format csv -o "$tmp/db-link.csv"
[ -L "$tmp/db-link.csv" ] || fail "report -o LINK-TO-DB: the link was replaced"

# a path that is no regular file is written through, never replaced:
# /dev/stdout into a file and into a pipe, for text and for a workbook
"$E" report --db "$db" --format csv -o /dev/stdout >"$tmp/so.csv" 2>/dev/null ||
    fail "report -o /dev/stdout"
cmp -s "$tmp/so.csv" "$tmp/want.csv" || fail "report -o /dev/stdout: not the report alone"
"$E" report --db "$db" --format csv -o /dev/stdout 2>/dev/null | cat >"$tmp/sp.csv"
cmp -s "$tmp/sp.csv" "$tmp/want.csv" || fail "report -o /dev/stdout | cat: not the report"
[ -L /dev/stdout ] || fail "/dev/stdout is no longer a link"
"$E" report --db "$db" --format xlsx -o /dev/stdout >"$tmp/so.xlsx" 2>/dev/null ||
    fail "report --format xlsx -o /dev/stdout"
"$E" export --db "$db" region --format xlsx -o /dev/stdout 2>/dev/null |
    cat >"$tmp/sp.xlsx"
for f in so.xlsx sp.xlsx; do
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).testzip()' \
        "$tmp/$f" || fail "$f: -o /dev/stdout gave no workbook"
done
# a fifo: read on the other side, still a fifo afterwards
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo" &
reader=$!
"$E" report --db "$db" --format csv -o "$tmp/fifo" >/dev/null 2>&1 || fail "report -o FIFO"
wait $reader
[ -p "$tmp/fifo" ] || fail "report -o FIFO: the fifo was replaced"
cmp -s "$tmp/from-fifo" "$tmp/want.csv" || fail "report -o FIFO: not the report"
# a device node of our own (root only): still the device afterwards
if mknod "$tmp/null" c 1 3 2>/dev/null; then
    "$E" report --db "$db" --format xlsx -o "$tmp/null" >/dev/null 2>&1 ||
        fail "report --format xlsx -o DEVICE"
    "$E" report --db "$db" --format html -o "$tmp/null" >/dev/null 2>&1 ||
        fail "report -o DEVICE"
    [ -c "$tmp/null" ] || fail "report -o DEVICE: the device was replaced"
fi
# a folder is refused, and left alone
mkdir "$tmp/dir"
"$E" report --db "$db" --format csv -o "$tmp/dir" >"$tmp/out" 2>&1 &&
    fail "report -o FOLDER: exit 0"
grep -q "is a folder" "$tmp/out" || { cat "$tmp/out"; fail "report -o FOLDER: no message"; }
[ -d "$tmp/dir" ] || fail "report -o FOLDER: the folder is gone"
echo "output_paths: every case as expected"
