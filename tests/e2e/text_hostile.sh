#!/bin/sh
# text_hostile.sh - the text writers, end to end: a rule whose notes and
# title hold bytes that are not UTF-8, terminal escape sequences and
# spreadsheet formulas goes through `run`, `report --format
# json|html|md|csv|text`, `explain`, `runs`, `rules` and `lint`; every output
# is valid UTF-8 with no raw ESC, JSON parses, `--excel` CSV neutralizes the
# formulas but keeps numbers; lint warns of a rule file saved in GBK; and a
# command whose standard output cannot be written (/dev/full) exits 3 with
# "cannot write".
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "text_hostile: FAILED: $*" >&2
    exit 1
}

command -v python3 >/dev/null 2>&1 || fail "python3 is needed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_text_hostile.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

data=$ER_SOURCE_DIR/tests/fixtures/tools/data
rules=$ER_SOURCE_DIR/tests/fixtures/text/hostile
db=$tmp/t.db
"$EQUIRULE_BIN" init --db "$db" >/dev/null || fail "init"
for t in region metric item standard fact; do
    "$EQUIRULE_BIN" import --db "$db" "$t" "$data/$t.csv" >/dev/null ||
        fail "import $t"
done
# a region whose name is a spreadsheet formula
printf 'code,name,name_en,level,parent,zone,tier\n445100,"=HYPERLINK(""http://x"",""y"")",Evil,city,440000,east,1\n' \
    >"$tmp/evil.csv"
"$EQUIRULE_BIN" import --db "$db" region "$tmp/evil.csv" >/dev/null ||
    fail "import the formula region"

# The outputs to check, at the end, in one python3 (it is slow to start):
# valid UTF-8, and no raw control character but line ends (and, in CSV, the
# line ends and CR the fields hold, quoted); JSON loads.
checks=""
clean() { # FILE [csv|json]
    checks="$checks $1:${2:-text}"
}

"$EQUIRULE_BIN" run --db "$db" --rules "$rules" >"$tmp/run.txt" 2>"$tmp/run.err"
[ $? -eq 1 ] || { cat "$tmp/run.txt" "$tmp/run.err"; fail "run should exit 1"; }
clean "$tmp/run.txt"
clean "$tmp/run.err"
grep -qF 'bad �� \x1b[2J\x1b]0;pwned\x07 done\r' "$tmp/run.txt" ||
    { cat "$tmp/run.txt"; fail "run: the note shown escaped"; }

for f in json html md csv text; do
    "$EQUIRULE_BIN" report --db "$db" --format $f -o "$tmp/report.$f" ||
        fail "report --format $f"
    clean "$tmp/report.$f" $([ $f = csv ] || [ $f = json ] && echo $f)
done
grep -qF '"note": "bad �� \u001b[2J' "$tmp/report.json" ||
    fail "report json: U+FFFD for the bad bytes"
grep -qF 'bad �� \x1b[2J' "$tmp/report.text" || fail "report text: escaped"
grep -qF 'bad �� ' "$tmp/report.html" || fail "report html: U+FFFD"
# plain CSV keeps the text as it is: it is data, not a spreadsheet
grep -qF ',=1+1' "$tmp/report.csv" || fail "report csv: the note verbatim"

"$EQUIRULE_BIN" report --db "$db" --format csv --excel -o "$tmp/excel.csv" ||
    fail "report --excel"
clean "$tmp/excel.csv" csv
python3 - "$tmp/excel.csv" <<'EOF' || fail "report --excel: formulas"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
cells = [v for r in rows for v in r.values()]
for c in cells:
    if c and c[0] in "=+@\t\r":
        sys.exit("a cell a spreadsheet reads as a formula: %r" % c)
    if c and c[0] == "-":
        float(c)  # only numbers start with -
names = {r["region_name"] for r in rows}
assert "'=HYPERLINK(\"http://x\",\"y\")" in names, names
notes = {r["note"] for r in rows}
assert "'=1+1" in notes and "'@SUM(1)" in notes, notes
assert any(r["measured"] == "-12.5" for r in rows), "a negative number stays"
EOF

# --compare writes no spreadsheet CSV: --excel there is a usage error
"$EQUIRULE_BIN" report --db "$db" --compare 1 1 --format csv --excel \
    >/dev/null 2>&1
[ $? -eq 2 ] || fail "report --compare --excel should exit 2"

"$EQUIRULE_BIN" export --db "$db" region --excel -o "$tmp/region.csv" ||
    fail "export --excel"
grep -qF "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" "$tmp/region.csv" ||
    { cat "$tmp/region.csv"; fail "export --excel: the formula region"; }

"$EQUIRULE_BIN" explain demo.hostile 440100 --db "$db" --rules "$rules" \
    >"$tmp/explain.txt" 2>&1 || { cat "$tmp/explain.txt"; fail "explain"; }
clean "$tmp/explain.txt"
grep -qF '\x1b]0;pwned\x07' "$tmp/explain.txt" ||
    { cat "$tmp/explain.txt"; fail "explain: the note escaped"; }
"$EQUIRULE_BIN" explain demo.hostile 440100 --db "$db" --rules "$rules" \
    --format json >"$tmp/explain.json" || fail "explain json"
clean "$tmp/explain.json" json

for f in text json csv; do
    "$EQUIRULE_BIN" runs --db "$db" --format $f >"$tmp/runs.$f" ||
        fail "runs --format $f"
    clean "$tmp/runs.$f" $([ $f = json ] && echo json)
done
for f in text md json; do
    "$EQUIRULE_BIN" rules --rules "$rules" --format $f >"$tmp/rules.$f" ||
        fail "rules --format $f"
    clean "$tmp/rules.$f" $([ $f = json ] && echo json)
done
grep -qF 'hostile \x1b[2J title �' "$tmp/rules.text" ||
    { cat "$tmp/rules.text"; fail "rules: the title escaped"; }

# lint: a warning (with the line) for a rule file that is not UTF-8
"$EQUIRULE_BIN" lint --rules "$ER_SOURCE_DIR/tests/fixtures/text/gbk" \
    >"$tmp/lint.txt" 2>&1
clean "$tmp/lint.txt"
grep -q 'demo/gbk.lua:2: warning: not valid UTF-8 (byte 0x' "$tmp/lint.txt" ||
    { cat "$tmp/lint.txt"; fail "lint: the UTF-8 warning"; }

# lint and coverage name files by their path, which is text from outside:
# a rules folder named with ESC, C1 and a right-to-left override
evil=$(printf '%s/hx\033[31m\302\233\342\200\256' "$tmp")
mkdir -p "$evil" && cp -r "$ER_SOURCE_DIR/tests/fixtures/text/gbk/demo" "$evil/" ||
    fail "the hostile folder"
"$EQUIRULE_BIN" lint --rules "$evil" >"$tmp/lint-evil.txt" 2>&1
clean "$tmp/lint-evil.txt"
grep -qF 'hx\x1b[31m\u009b\u202e/demo/gbk.lua:2: warning' "$tmp/lint-evil.txt" ||
    { cat "$tmp/lint-evil.txt"; fail "lint: the path escaped"; }

# shellcheck disable=SC2086
python3 - $checks <<'EOF' || fail "the outputs are not clean text"
import json, sys
for arg in sys.argv[1:]:
    path, kind = arg.rsplit(":", 1)
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit("%s: not valid UTF-8: %s" % (path, e))
    allowed = b"\n\r" if kind == "csv" else b"\n"
    bad = sorted({c for c in data
                  if (c < 0x20 and c not in allowed) or c == 0x7F})
    if bad:
        sys.exit("%s: raw control characters %r" % (path, bad))
    # C1, direction marks and overrides, line separators: never raw
    hidden = sorted({hex(ord(ch)) for ch in text
                     if 0x80 <= ord(ch) <= 0x9F or ord(ch) in
                     (0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B,
                      0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068,
                      0x2069)})
    if hidden:
        sys.exit("%s: raw invisible control characters %r" % (path, hidden))
    if kind == "json":
        json.loads(text)
EOF

# standard output that cannot be written: exit 3, said on stderr
if [ -w /dev/full ]; then
    for cmd in "runs --db $db --format csv" "runs --db $db" \
        "rules --rules $rules" "lint --rules $rules" \
        "report --db $db --format json" \
        "explain demo.hostile 440100 --db $db --rules $rules" \
        "test --rules $ER_SOURCE_DIR/rules $ER_SOURCE_DIR/rules/health" \
        "--help" "help run"; do
        # shellcheck disable=SC2086
        "$EQUIRULE_BIN" $cmd >/dev/full 2>"$tmp/full.err"
        st=$?
        [ $st -eq 3 ] || { cat "$tmp/full.err"; fail "$cmd > /dev/full exited $st"; }
        grep -q '^equirule: .*cannot write: ' "$tmp/full.err" ||
            { cat "$tmp/full.err"; fail "$cmd > /dev/full: no message"; }
    done
fi
exit 0
