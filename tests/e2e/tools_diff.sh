#!/bin/sh
# tools_diff.sh - `equirule diff`: two fixture rule folders on fixture data
# list exactly the changed findings and exit 1; identical folders exit 0;
# --set makes a what-if; a git revision of a temporary repository is read
# without touching its work tree; nothing is written to the database.
#
# Environment (set by ctest): EQUIRULE_BIN, the equirule binary;
# ER_SOURCE_DIR, the source tree.

set -u

: "${EQUIRULE_BIN:?set EQUIRULE_BIN to the equirule binary}"
: "${ER_SOURCE_DIR:?set ER_SOURCE_DIR to the source tree}"

fail() {
    echo "tools_diff: FAILED: $*" >&2
    exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/er_e2e_tools_diff.XXXXXX") ||
    fail "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

fx=$ER_SOURCE_DIR/tests/fixtures/tools
db=$tmp/t.db
"$EQUIRULE_BIN" init --db "$db" >/dev/null || fail "init"
for t in region metric item standard fact; do
    "$EQUIRULE_BIN" import --db "$db" "$t" "$fx/data/$t.csv" >/dev/null ||
        fail "import $t"
done

# the floor 65 -> 68: 4 findings change (required), 汕尾 pass -> fail
"$EQUIRULE_BIN" diff --db "$db" --base "$fx/diff/base" --head "$fx/diff/head" \
    --format csv >"$tmp/out.csv" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/err"; fail "exit status $rc, expected 1"; }
[ "$(wc -l <"$tmp/out.csv")" -eq 5 ] || { cat "$tmp/out.csv"; fail "a header and 4 rows"; }
cat >"$tmp/want.csv" <<'CSV'
rule,region,name,year,change,outcome_before,outcome_after,measured_before,measured_after,required_before,required_after,amount_before_yuan,amount_after_yuan,unit,note_after
demo.per_capita,440100,广州市,2019,changed,pass,pass,90,90,65,68,,,元/人,
demo.per_capita,441400,梅州市,2019,changed,fail,fail,64,64,65,68,,,元/人,
demo.per_capita,441500,汕尾市,2019,changed,pass,fail,67,67,65,68,,,元/人,
demo.per_capita,441600,河源市,2019,changed,pass,pass,69,69,65,68,,,元/人,
CSV
cmp -s "$tmp/want.csv" "$tmp/out.csv" ||
    { diff "$tmp/want.csv" "$tmp/out.csv"; fail "the changed findings"; }

"$EQUIRULE_BIN" diff --db "$db" --base "$fx/diff/base" --head "$fx/diff/head" \
    >"$tmp/out" 2>&1
grep -q '^4 findings changed$' "$tmp/out" || fail "text: count"
grep -q '441500 汕尾市  2019  pass → fail' "$tmp/out" || fail "text: 汕尾"
grep -q '^  demo.added (1 finding: skip 1)$' "$tmp/out" || fail "text: added"
grep -q '^  demo.removed (4 findings: pass 4)$' "$tmp/out" || fail "text: removed"

# --changed outcome: only 汕尾's pass -> fail is listed; the 3 findings
# whose required alone changed are counted, not listed
"$EQUIRULE_BIN" diff --db "$db" --base "$fx/diff/base" --head "$fx/diff/head" \
    --changed outcome --format csv >"$tmp/out.csv" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/err"; fail "--changed outcome: exit status $rc, expected 1"; }
[ "$(wc -l <"$tmp/out.csv")" -eq 2 ] || { cat "$tmp/out.csv"; fail "--changed outcome: a header and 1 row"; }
grep -q '^demo.per_capita,441500,汕尾市,2019,changed,pass,fail,' "$tmp/out.csv" ||
    fail "--changed outcome: the row of 汕尾"
"$EQUIRULE_BIN" diff --db "$db" --base "$fx/diff/base" --head "$fx/diff/head" \
    --changed outcome >"$tmp/out" 2>&1
grep -q '^1 finding changed outcome or amount (or appeared or went)$' "$tmp/out" ||
    { cat "$tmp/out"; fail "--changed outcome: text count"; }
grep -q '^3 findings changed only measured or required; not listed$' "$tmp/out" ||
    fail "--changed outcome: the count of the rest"
grep -q '441400 梅州市' "$tmp/out" && fail "--changed outcome: 梅州 fail -> fail listed"
"$EQUIRULE_BIN" diff --db "$db" --base "$fx/diff/base" --head "$fx/diff/head" \
    --changed outcome --format json >"$tmp/out.json" 2>&1
grep -q '"listed": "outcome", "value_only": 3,' "$tmp/out.json" ||
    { cat "$tmp/out.json"; fail "--changed outcome: json"; }
"$EQUIRULE_BIN" diff --db "$db" --base "$fx/diff/base" --head "$fx/diff/head" \
    --changed outcomes >"$tmp/out" 2>&1
[ $? -eq 2 ] || fail "--changed outcomes: a usage error"

# identical folders: nothing, exit 0
"$EQUIRULE_BIN" diff --db "$db" --base "$fx/diff/base" --head "$fx/diff/base" \
    >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "identical folders should exit 0"; }
grep -q '^0 findings changed$' "$tmp/out" || fail "identical: count"

# what-if: the base folder with an override on the head side
"$EQUIRULE_BIN" diff --db "$db" --base "$fx/diff/base" --head "$fx/diff/base" \
    --set demo.per_capita.floor=68 >"$tmp/out" 2>&1
[ $? -eq 1 ] || fail "--set: expected exit status 1"
grep -q '^head overrides: demo.per_capita.floor=68$' "$tmp/out" || fail "--set: note"
grep -q '^4 findings changed$' "$tmp/out" || fail "--set: count"

# nothing was written
[ "$("$EQUIRULE_BIN" runs --db "$db" --format json | tr -d ' \n')" = "[]" ] ||
    fail "diff must not store a run"

# a git revision as the base
if command -v git >/dev/null 2>&1; then
    repo=$tmp/repo
    mkdir -p "$repo/rules" && cp -R "$fx/diff/base/demo" "$repo/rules/" ||
        fail "repo setup"
    (cd "$repo" && git init -q . && git add rules &&
        git -c user.name=t -c user.email=t@t commit -q -m base) ||
        fail "git commit"
    cp "$fx/diff/head/demo/per_capita.lua" "$repo/rules/demo/"
    (cd "$repo" && "$EQUIRULE_BIN" diff --db "$db" --base HEAD --head rules) \
        >"$tmp/out" 2>&1
    rc=$?
    [ $rc -eq 1 ] || { cat "$tmp/out"; fail "git: exit status $rc, expected 1"; }
    grep -q '^diff HEAD ([0-9a-f]\{7\}) → rules · 2019$' "$tmp/out" ||
        { cat "$tmp/out"; fail "git: heading"; }
    grep -q '^4 findings changed$' "$tmp/out" || fail "git: count"
    [ "$(cd "$repo" && git status --porcelain)" = " M rules/demo/per_capita.lua" ] ||
        fail "git: the work tree changed"
    (cd "$repo" && "$EQUIRULE_BIN" diff --db "$db" --base nosuchrev --head rules) \
        >/dev/null 2>"$tmp/err"
    [ $? -eq 2 ] || fail "git: an unknown revision should be a usage error"
    grep -q 'neither a folder nor a revision' "$tmp/err" || fail "git: message"
else
    echo "tools_diff: git not found; the revision check is skipped"
fi

# money is never "value only": with every cut doubled, --changed outcome
# lists the 5 findings of 2019 whose cut or allocation changed (2 cuts of
# finance.subsidy_cut, 3 allocations of finance.cut_redistribution) and
# exits 1
sdb=$tmp/sample.db
"$EQUIRULE_BIN" init --sample --db "$sdb" >/dev/null || fail "init --sample"
cp -r "$ER_SOURCE_DIR/rules" "$tmp/rb"
cp -r "$ER_SOURCE_DIR/rules" "$tmp/rh"
sed -i 's|cut(total_fen / 100|cut(total_fen / 50|' "$tmp/rh/finance/subsidy_cut.lua"
grep -q 'cut(total_fen / 50' "$tmp/rh/finance/subsidy_cut.lua" ||
    fail "the cut of finance.subsidy_cut was not found to double"
"$EQUIRULE_BIN" diff --db "$sdb" --base "$tmp/rb" --head "$tmp/rh" --year 2019 \
    --changed outcome --format csv >"$tmp/money.csv" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/err"; fail "doubled cuts, --changed outcome: exit $rc, expected 1"; }
[ "$(grep -c ',finance.subsidy_cut,\|^finance.subsidy_cut,' "$tmp/money.csv")" -eq 2 ] &&
    [ "$(grep -c '^finance.cut_redistribution,' "$tmp/money.csv")" -eq 3 ] &&
    [ "$(wc -l <"$tmp/money.csv")" -eq 6 ] ||
    { cat "$tmp/money.csv"; fail "doubled cuts, --changed outcome: not the 5 money changes"; }
"$EQUIRULE_BIN" diff --db "$sdb" --base "$tmp/rb" --head "$tmp/rh" --year 2019 \
    --changed outcome >"$tmp/money.txt" 2>&1
grep -q '^5 findings changed outcome or amount (or appeared or went)$' "$tmp/money.txt" &&
    grep -q '^0 findings changed only measured or required; not listed$' "$tmp/money.txt" ||
    { cat "$tmp/money.txt"; fail "doubled cuts, --changed outcome: text counts"; }
# the same with two stored runs: report --compare --changed outcome
"$EQUIRULE_BIN" run --db "$sdb" --rules "$tmp/rb" --year 2019 >/dev/null 2>&1
"$EQUIRULE_BIN" run --db "$sdb" --rules "$tmp/rh" --year 2019 >/dev/null 2>&1
"$EQUIRULE_BIN" report --db "$sdb" --compare 1 2 --changed outcome >"$tmp/cmp.txt" 2>&1
rc=$?
[ $rc -eq 1 ] || { cat "$tmp/cmp.txt"; fail "report --compare --changed outcome, doubled cuts: exit $rc"; }
grep -q '^5 changed, 0 added, 0 removed, ' "$tmp/cmp.txt" &&
    grep -q '^0 findings changed only measured or required; not listed$' "$tmp/cmp.txt" ||
    { cat "$tmp/cmp.txt"; fail "report --compare --changed outcome: the 5 money changes"; }

# a partial run, or runs over other years, are compared within what both
# evaluated: nothing outside is added or removed, and the header says so
"$EQUIRULE_BIN" run --db "$sdb" --rules "$tmp/rb" --region 梅州 --year 2019 >/dev/null 2>&1
"$EQUIRULE_BIN" run --db "$sdb" --rules "$tmp/rb" --years 2018-2019 >/dev/null 2>&1
# cmp_counts A B WANT-COUNTS WANT-FILTER-LINE
cmp_counts() {
    "$EQUIRULE_BIN" report --db "$sdb" --compare "$1" "$2" >"$tmp/cmp.txt" 2>&1
    grep -qx "$3" "$tmp/cmp.txt" && grep -qx "filtered: $4" "$tmp/cmp.txt" ||
        { cat "$tmp/cmp.txt"; fail "compare $1 $2: expected '$3' and 'filtered: $4'"; }
}
cmp_counts 1 3 '0 changed, 0 added, 0 removed, 34 unchanged' \
    'compared within what both runs evaluated: run 3 is partial (region 441400 梅州市); years compared 2019'
cmp_counts 3 1 '0 changed, 0 added, 0 removed, 34 unchanged' \
    'compared within what both runs evaluated: run 3 is partial (region 441400 梅州市); years compared 2019'
cmp_counts 1 4 '0 changed, 0 added, 0 removed, 1349 unchanged' \
    'compared within what both runs evaluated; years compared 2019'
cmp_counts 4 2 '5 changed, 0 added, 0 removed, 1344 unchanged' \
    'compared within what both runs evaluated; years compared 2019'
"$EQUIRULE_BIN" report --db "$sdb" --compare 1 3 --format html -o "$tmp/c13.html" \
    >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "compare 1 3 as html"; }
grep -q 'filtered: compared within what both runs evaluated: run 3 is partial' "$tmp/c13.html" ||
    fail "compare 1 3 as html: the page does not say run 3 is partial"
"$EQUIRULE_BIN" report --db "$sdb" --compare 1 3 --format json >"$tmp/c13.json" 2>&1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["filter"]["within"].startswith("compared within"), d["filter"]; assert d["stats"]["removed"] == 0' \
    "$tmp/c13.json" || fail "compare 1 3 as json: filter.within"

echo "tools_diff: changed findings, what-if and git revision as expected"
exit 0
