/*
 * main.c - the equirule command line: the table of commands and dispatch.
 * Each command parses its options in its own file (cmd_<name>.c) and calls
 * the library; none holds logic a test would need. See include/equirule.h.
 *
 * Exit status: 0 done and nothing failed; 1 done and findings or tests
 * failed; 2 usage error; 3 bad data, bad rule or another error that stopped
 * the command.
 */
#include "cli.h"

#include <errno.h>
#include <lua.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

static int cmd_help(int argc, char **argv);

static const command commands[] = {
    {"init", cmd_init, "create or upgrade a database",
     "usage: equirule init [--db FILE] [--sample]\n\n"
     "Creates the database, or upgrades one of an older schema version.\n"
     "Only init creates a database; other commands refuse a missing file.\n\n"
     COMMON_DB
     "  --sample         load the built-in Guangdong sample (广东省 and its 21\n"
     "                   cities, 2018-2020) into the new database\n"},
    {"import", cmd_import, "load a CSV file into a data table",
     "usage: equirule import [--db FILE] [--replace] [--dry-run]\n"
     "                       [--encoding utf-8|gbk] TABLE FILE.csv\n\n"
     "Loads FILE.csv into TABLE (region, metric, item, standard, share,\n"
    "transfer, split, city_transfer, fact, national_average; zone and\n"
    "setting, the names the report shows), all or nothing. The header names the table's columns in any order; an\n"
     "empty field is NULL; text holds no control characters. LF or CRLF\n"
     "line ends; fields may be quoted. Every value (a fact's within its\n"
     "metric's domain: kind, whole number, bounds; a transfer money >= 0\n"
     "in whole fen; a national average > 0 in the unit of its key's\n"
     "national standard in force, imported first),\n"
     "reference and key is checked; every error names file:line:column and\n"
     "the reason, up to 20 are listed, and then nothing is imported. A\n"
     "metric row whose domain facts already stored break is refused, and\n"
     "so is aggregate sum on a ratio, rate, per_unit or index metric.\n\n"
     "The file is UTF-8 (with or without a byte order mark) or GBK/GB18030\n"
     "(what Excel on Chinese Windows saves as CSV). Without --encoding the\n"
     "encoding is detected: a file that could be either is read the way\n"
     "that gives Chinese text, and refused when that is not clear. The\n"
     "message says which encoding was read.\n\n"
     "Spreadsheet habits: blank rows (every cell empty) are skipped and\n"
     "counted; empty columns right of the header are ignored (a value under\n"
     "one is an error); 70% is read as 0.7 for ratio and rate metrics and\n"
     "shares; \"1,234,567.50\" (quoted, groups of three) is a number; a\n"
     "region's parent may be anywhere in the file (written parents first).\n\n"
     "A row whose key is already in the database (region code, metric key,\n"
     "item code; region, year and metric of a fact; region, year and item of\n"
     "a transfer; key and year of a national average; for standard and share, years overlapping a stored span of\n"
     "the same key) is an error unless --replace is given: then it replaces\n"
     "the stored row, columns the file leaves out becoming empty (for\n"
     "standard and share: the overlapping spans are deleted). Rows the file\n"
     "does not name are never touched, a row stored as the file gives it is\n"
     "counted unchanged, and the rows replaced or deleted are kept: each\n"
     "import is a data version (`equirule log`).\n\n"
     "A fact row whose value is empty (a row of `equirule template` not\n"
     "filled in) is skipped and counted. Beside a fact's columns, the\n"
     "template's region_name and metric_name are ignored, and its unit must\n"
     "be the metric's when given.\n\n" COMMON_DB
     "  --replace        replace rows whose key the file covers\n"
     "  --dry-run        validate only; change nothing\n"
     "  --encoding E     read the file as E: utf-8, or gbk (= gb18030)\n"},
    {"export", cmd_export, "write a data table as CSV or a workbook",
     "usage: equirule export [--db FILE] TABLE [-o FILE] [--excel]\n"
     "       equirule export [--db FILE] TABLE --format xlsx -o FILE.xlsx\n\n"
     "Writes TABLE (region, metric, item, standard, share, transfer, split,\n"
     "city_transfer, fact, zone, setting, national_average) as CSV in the format `equirule import` reads: a header naming every\n"
     "column, rows in key order, numbers that read back identically, NULL\n"
     "as an empty field. Two exports of the same data are identical.\n"
     "--format xlsx (or -o FILE.xlsx) writes an Excel workbook instead: one\n"
     "sheet, the same columns and rows, numbers as numbers, text as text;\n"
     "it needs -o and appears only once complete.\n\n"
     COMMON_DB
     "  --format F       csv (default) or xlsx\n"
     "  -o, --output FILE  write to FILE (default: standard output)\n"
     "  --excel          for a spreadsheet: a UTF-8 byte order mark first,\n"
     "                   and ' before a text that would read as a formula\n"
     "                   (=, +, -, @); not for import\n"},
    {"run", cmd_run, "evaluate the rules and store the run",
     "usage: equirule run [options]\n\n"
     "Evaluates every rule (or a selection) on the database's data, stores\n"
     "the run with every finding in one transaction, and prints the "
     "summary.\n"
     "The summary gives each rule's assessed share (findings that are pass,\n"
     "fail, warn, cut or allocation), lists every rule that assessed nothing\n"
     "in a year with why (未评估), and groups the data gaps by what was\n"
     "lacking (数据缺口).\n"
     "Exit status 1 when a finding is fail, missing or error, when no\n"
     "evaluation was assessed, or when the assessed share is below\n"
     "--min-assessed.\n\n" COMMON_DB
         COMMON_RULES
     "  --year Y         evaluate year Y (default: the latest with data)\n"
     "  --years A-B      evaluate the years A to B\n"
     "  --dept D         only the rules of department D (repeatable)\n"
     "  --rule ID        only rule ID (and the rules it needs)\n"
     "  --region REGION  only one region: its code, name (梅州市 or 梅州) or\n"
     "                   English name (rules that others need still run\n"
     "                   everywhere; only their finding for it is kept)\n"
    "                   exit status 2 when no selected rule evaluates\n"
    "                   its level (a county under city-only rules)\n"
     "  --set RULE.PARAM=VALUE  override a rule's param (repeatable)\n"
     "  --jobs N, -j N   worker processes (default: one per core; 0 = none,\n"
     "                   evaluate in this process without isolation)\n"
     "  --max-instructions N  instruction budget per evaluation "
     "(default 50000000;\n"
     "                   1000 to 10^12)\n"
     "  --max-memory MB  memory limit of the Lua state (default 256; at "
     "most\n"
     "                   1048576)\n"
     "  --timeout S      wall-clock limit of loading each rule file and "
     "of each\n"
     "                   evaluation, in seconds (default 2; more than 0, at "
     "most\n"
     "                   86400)\n"
     "  --format F       text (default) or json\n"
     "  --min-assessed FRACTION  exit status 1 when fewer than this share of\n"
     "                   the findings were assessed (a decimal from 0 to 1)\n"
     "  --stats          print where the time went and the peak memory\n"},
    {"check", cmd_check, "check the integrity and completeness of the data",
     "usage: equirule check [--db FILE] [--rules DIR] [--year Y]\n\n"
     "Checks what import guarantees on the rows as they are, whatever wrote\n"
     "them (import, the sqlite3 shell, a script), without a run:\n"
     "  - every fact within its metric's value domain (kind, whole number,\n"
     "    bounds), transfers money >= 0, standards >= 0, shares in 0..1,\n"
     "    every number finite and of a sane magnitude\n"
     "  - facts, transfers, standards, shares and items naming known\n"
     "    regions, metrics and items\n"
     "  - parents that exist, sit at a higher level and never loop\n"
     "  - no two standards (key, scope, region) or shares (item, tier) in\n"
     "    force in the same year, no duplicate transfer\n"
     "  - with --year, that the year has facts (the evaluation below)\n"
     "Lists each error as `table key: why` (a run stops on any of them,\n"
     "exit 3, listing the first 20), then warnings: metrics without a\n"
     "declared value domain, standard keys that name no item, a stored\n"
     "value of a metric that sums (metric.aggregate) that differs from its\n"
     "region's children's sum (exact for whole numbers, half a fen for\n"
     "money, 1e-9 relative otherwise).\n\n"
     "When the data holds, evaluates the rules as `run` would (year Y, by\n"
     "default the latest with data), stores nothing, and prints what they\n"
     "could not check: assessed coverage per rule, the rules that would\n"
     "assess nothing (未评估) and the data gaps grouped by metric, year and\n"
     "region (数据缺口).\n"
     "Exit status 3 when there is an integrity error; 1 when a rule file\n"
     "does not load; else 0 (warnings and data gaps do not count).\n\n"
     COMMON_DB COMMON_RULES
     "  --year Y         the year the rules are evaluated on (default: the\n"
     "                   latest with data); the integrity is of every row,\n"
     "                   as a run of any year checks it\n"},
    {"rules", cmd_rules, "list the rule catalog",
     "usage: equirule rules [--rules DIR] [--format text|md|json] "
     "[--timeout S]\n\n"
     "Loads every rule file and lists the rules: id, kind, level, item,\n"
     "effective years and title (md and json add the basis).\n\n"
         COMMON_RULES COMMON_TIMEOUT},
    {"lint", cmd_lint, "check every rule without running it",
     "usage: equirule lint [--rules DIR] [--db FILE] [--no-eval] [--strict] "
     "[--timeout S]\n\n"
     "Compiles every rule file in the sandbox, checks each rule against the\n"
     "rule contract and evaluates it once, storing nothing: with a database\n"
     "(--db, or the default one when it exists; a warning when there is\n"
     "none) on the latest year with data; a rule the data does not evaluate\n"
     "(no region, not in force, only missing or skip) and every rule without\n"
     "a database on a synthetic province (a city of each zone, a county\n"
     "below each) whose every read gets a plausible value (in the metric's\n"
     "domain when the catalog has one). An evaluate that returns nothing,\n"
     "returns something that is not an outcome (\"skip\" instead of skip(),\n"
     "a number, a table) or raises is an error at the line of the raise,\n"
     "else of evaluate.\n"
     "With a database, every metric and item a rule reads must be in the\n"
     "catalog (metric and item tables), and a rule's item must be a known\n"
     "item. Keys are found in the source (string literals and local string\n"
     "constants passed to r:fact, r:has, r:standard, r:share, r:transfer)\n"
     "and by the evaluation on the data (computed keys too, on the paths\n"
     "the data takes).\n"
     "Warnings: a standard key that no standard row and no item has, a\n"
     "param the file never reads (params.NAME), a rule file without a\n"
     "NAME_test.lua beside it, no database. Lines read\n"
     "FILE:LINE: error|warning: ... and a count line ends the output.\n"
     "Exit status 3 when an error is found; warnings do not count, unless\n"
     "--strict.\n\n"
         COMMON_RULES COMMON_DB
     "  --no-eval        scan the sources only; evaluate nothing\n"
     "  --strict         every warning is an error (exit status 3)\n"
         COMMON_TIMEOUT},
    {"runs", cmd_runs, "list stored runs",
     "usage: equirule runs [--db FILE] [--format text|json|csv]\n"
     "       equirule runs --delete RUNS [--db FILE]\n\n"
     "Lists the runs stored in the database, oldest first: id, start time,\n"
     "status, years, rules, findings, failing findings (fail, missing,\n"
     "error), assessed share, total cut, rules and data digests, the data\n"
     "version read (`equirule log`; - for a run before versions), user and\n"
     "scope: full, or what narrowed the run (--region, --dept, --rule,\n"
     "--set); json and csv add finish time, allocations, engine version\n"
     "and the command line (json: scope null for a full run).\n\n"
     "With --delete, deletes the runs RUNS (an id, a list 3,5,7, a range\n"
     "2-6, or both: 1-3,7) with all their rows (findings, rules, rule\n"
     "files, counts, gaps), in one transaction. The data history they read\n"
     "stays until `equirule log --prune`.\n\n"
     COMMON_DB
     "  --format F       text (default), json or csv\n"
     "  --delete RUNS    delete these runs\n"},
    {"report", cmd_report, "render a stored run, or compare two",
     "usage: equirule report [RUN] [--db FILE] [--format F] [-o FILE] "
     "[--excel] [FILTER...]\n"
     "       equirule report --compare RUN_A RUN_B [--db FILE] [--format F] "
     "[-o FILE]\n"
     "                       [--changed any|outcome] [FILTER...]\n\n"
     "Renders stored run RUN (default: the latest full run, one that no\n"
     "--region, --dept, --rule or --set narrowed, else the latest run,\n"
     "named as partial; stderr says which) as\n"
     "  html  one self-contained page with inline SVG charts, for A4 print,\n"
     "        a scorecard per city and county, in-page filters and sorting\n"
     "  md    the same sections as Markdown tables\n"
     "  csv   one row per finding\n"
     "  json  one document {run, rules, summary, findings, money, "
     "per_capita}\n"
     "  text  the summary `equirule run` prints\n"
     "  xlsx  an Excel workbook: sheets for the summary (with the run's\n"
     "        audit data), departments, regions, failing findings, cuts and\n"
     "        allocations, and all findings; money in 元; needs -o FILE\n"
     "The format defaults to the extension of -o FILE, else html.\n\n"
     "With --compare, lists the findings that changed between two runs\n"
     "(matched on rule, region and year), were added or were removed, with\n"
     "a summary per rule; format text (default), md, json, csv or html\n"
     "(one page: the runs' data and rule file digests, the changes by\n"
     "region and rule, the money that moved per region). Exit status 1\n"
     "when anything listed changed, 0 when nothing did.\n\n"
     "Filters show some findings only; the counts, totals and gaps are\n"
     "then of those, and every format but csv says what was filtered. An\n"
     "unknown region, department, rule or outcome is a usage error (exit\n"
     "2); a filter no finding passes is an error (exit 3).\n"
     "  --region REGION  a code, name (梅州市 or 梅州) or English name: the\n"
     "                   region and every region below it (repeatable)\n"
     "  --dept D         the rules of department D (repeatable)\n"
     "  --rule ID        rule ID, and the rules whose id begins with ID.\n"
     "                   (finance.cost_sharing: finance.cost_sharing.*)\n"
     "                   (repeatable)\n"
     "  --year Y         year Y\n"
     "  --outcome O      outcome O: pass, fail, warn, skip, cut, allocation,\n"
     "                   missing, error, a list (fail,missing) (repeatable)\n"
     "  --failing        fail, missing and error\n"
     "  --changed outcome  with --compare: list only the findings whose\n"
     "                   outcome or amount changed (or that were added or\n"
     "                   removed), with a count of the rest; any (default)\n"
     "                   lists all\n\n"
     COMMON_DB
     "  --format F       html, md, csv, json, text or xlsx (compare: text,\n"
     "                   md, json, csv or html)\n"
     "  -o, --output FILE  write to FILE (default: standard output)\n"
     "  --excel          CSV for a spreadsheet: a UTF-8 byte order mark\n"
     "                   first, and ' before a text that would read as a\n"
     "                   formula (=, +, -, @)\n"
     "  --compare RUN_A RUN_B  compare two stored runs\n"},
    {"publish", cmd_publish, "write the public service list of a region",
     "usage: equirule publish [--db FILE] [--year Y] [--region REGION]\n"
     "                        [--format html|md|csv|xlsx] [-o FILE] "
     "[--excel]\n\n"
     "Writes the basic public service list (基本公共服务清单) of REGION for\n"
     "year Y as its residents read it: one row per item, in the item\n"
     "table's order and grouped by category, with 序号, 服务类别, 服务项目,\n"
     "服务对象, 服务内容, 服务标准 (every standard in force that year:\n"
     "national, provincial and, for a city or county, its own or its\n"
     "nearest ancestor's local one, each with its basis; the highest, the\n"
     "one that applies, marked 【适用】), 支出责任 (the item's text and the\n"
     "provincial share of the region's tier, with the city-county split\n"
     "where one is in force) and 牵头负责单位. It reads the data, not a\n"
     "run. The HTML page holds no code, key or English word of the data.\n"
     "An unknown region, a year the data does not hold, another format or\n"
     "an -o FILE whose extension names another format or none of the four\n"
     "(x.pdf) is a usage error (exit 2), and nothing is written. Items\n"
     "without the list's texts (served, content, responsibility, lead) are\n"
     "listed with — and a warning on standard error.\n\n"
     COMMON_DB
     "  --year Y         the year (default: the latest year of the data in\n"
     "                   which a standard is in force)\n"
     "  --region REGION  a code, name (梅州市 or 梅州) or English name\n"
     "                   (default: the province)\n"
     "  --format F       html, md, csv or xlsx (default: the extension of\n"
     "                   -o FILE, else html); xlsx needs -o FILE\n"
     "  -o, --output FILE  write to FILE (default: standard output)\n"
     "  --excel          CSV for a spreadsheet: a UTF-8 byte order mark\n"
     "                   first, and ' before a text that would read as a\n"
     "                   formula (=, +, -, @)\n"},
    {"test", cmd_test, "run the rules' tests",
     "usage: equirule test [PATH...] [--rules DIR] [--filter TEXT] "
     "[--set RULE.PARAM=VALUE] [-v]\n"
     "                     [--coverage] [--coverage-json FILE] "
     "[--coverage-lcov FILE]\n"
     "                     [--min-coverage N] [--junit FILE] "
     "[--timeout S]\n\n"
     "Runs the test files (<name>_test.lua) under each PATH (default: the\n"
     "rules folder); a rule file as PATH runs its <name>_test.lua. Without\n"
     "--rules, the rules folder is the one that holds the PATHs. Each case\n"
     "is checked against the test-case schema (an unknown key, an outcome\n"
     "that is not one, a case that expects nothing fail it), builds its\n"
     "data in an in-memory database and runs the rules of the file under\n"
     "test. Exit status 1 when a case or test file fails (a test file with\n"
     "no cases, a rule file under test that did not load); 3 when a PATH\n"
     "holds no test file or --filter matches no case.\n\n" COMMON_RULES
     "  --filter TEXT    only cases whose name contains TEXT\n"
     "  --set R.P=V      override a param in every case\n"
     "  -v, --verbose    list every case\n"
     "  --coverage       line coverage of the rule files: lines run over\n"
     "                   runnable lines, and the lines never run\n"
     "  --coverage-json FILE  the coverage as JSON (hits per line)\n"
     "  --coverage-lcov FILE  the coverage as an LCOV tracefile\n"
     "  --min-coverage N exit status 1 when line coverage is below N%\n"
     "  --junit FILE     JUnit XML: a testsuite per file, a testcase per "
     "case\n" COMMON_TIMEOUT},
    {"diff", cmd_diff, "the impact of a rule change",
     "usage: equirule diff --base DIR|GIT-REV [--head DIR] [--db FILE]\n"
     "                     [--year Y | --years A-B] [--set R.P=V] "
     "[--set-base R.P=V]\n"
     "                     [--format text|md|json|csv] [--timeout S]\n"
     "                     [--changed any|outcome]\n\n"
     "Evaluates the base rules and the head rules on the same data and\n"
     "lists the findings that changed (outcome, measured, required, amount\n"
     "before and after), a summary per rule (changes by transition, cut\n"
     "and allocation totals before and after) and the rules added or\n"
     "removed. --base is a rules folder, or a git revision (HEAD, HEAD~1, a\n"
     "tag) of the repository holding the head folder, read with git\n"
     "archive without touching the checkout. Nothing is written to the\n"
     "database. Exit status 0 when nothing changed, 1 when something did,\n"
     "2 on a usage error (an unknown revision), 3 on another error.\n\n"
     COMMON_DB
     "  --head DIR, --rules DIR  the head rules (default: $EQUIRULE_RULES "
     "or rules)\n"
     "  --base DIR|REV   the rules to compare with\n"
     "  --year Y         evaluate year Y (default: the latest with data)\n"
     "  --years A-B      evaluate the years A to B\n"
     "  --set R.P=V      override a param on the head side (what-if: with\n"
     "                   --base the head folder, the change is the override)\n"
     "  --set-base R.P=V override a param on the base side\n"
     "  --format F       text (default), md, json or csv\n"
     "  --changed outcome  list only the findings whose outcome or amount\n"
     "                   changed (or that appeared or went), with a count of\n"
     "                   those whose measured or required alone changed;\n"
     "                   those do not make the exit status 1. any (default):\n"
     "                   all\n"
     COMMON_TIMEOUT},
    {"explain", cmd_explain, "one evaluation, every value it read",
     "usage: equirule explain RULE REGION [--year Y] [--db FILE] "
     "[--rules DIR]\n"
     "                        [--set R.P=V] [--format text|json] "
     "[--timeout S]\n\n"
    "Evaluates RULE for REGION (a code such as 441400, a name such as\n"
    "梅州市 or 梅州, or an English name) and lists, in order and with the rule's line, every fact read\n"
    "(with its source, or `derived: sum of N cities` for a roll-up of the\n"
    "region's children), every standard resolved (the scope chosen and why,\n"
     "the basis), shares, transfers, results of needed rules (which are\n"
     "evaluated first, as in a run), r:has checks and r:sql queries, then\n"
     "the outcome with measured, required, amount and note. Nothing is\n"
     "recorded.\n\n" COMMON_DB COMMON_RULES
     "  --year Y         the year (default: the latest with data; with\n"
     "                   --run, the run's last year)\n"
     "  --set R.P=V      override a param\n"
     "  --run N          with the data, rules and --set overrides of stored\n"
     "                   run N (as `verify` rebuilds them; --rules and --set\n"
     "                   are not used), then the finding the run stored and\n"
     "                   whether evaluating it again gives the same\n"
     "  --format F       text (default) or json\n" COMMON_TIMEOUT},
    {"verify", cmd_verify, "replay a stored run and compare every finding",
     "usage: equirule verify RUN [--db FILE] [--jobs N]\n\n"
     "Replays stored run RUN (an id, or `latest`) from what the database\n"
     "kept: its data (which must be the data the run read), the rule files\n"
     "and helper modules it used (as stored with the run, whatever became of\n"
     "the rules folder) and its options (years, region, departments, rule,\n"
     "--set overrides, limits). Compares every finding with the stored one:\n"
     "outcome, measured, required, amount to the fen, unit and note. Prints\n"
     "`run N reproduced: M findings identical`, or each difference (rule,\n"
     "region, year, field: stored X, now Y) and the findings missing or\n"
     "extra. Nothing is written to the database.\n\n" COMMON_DB
     "  --jobs N         worker processes of the replay (default: one per\n"
     "                   core; 0 = in this process)\n\n"
     "Exit status: 0 reproduced, 1 findings differ, 2 usage error, 3 the run\n"
     "cannot be replayed (no such run, no stored sources, its data is no\n"
     "longer the data held, its stored sources were altered).\n"},
    {"template", cmd_template, "the fact CSV the rules need, to fill in",
     "usage: equirule template [--db FILE] [--rules DIR] [--year Y | --years A-B]\n"
     "                         [--dept D] [--level L] [-o FILE]\n"
     "       equirule template --list [--format text|md] [--dept D] "
     "[--level L]\n\n"
     "Writes the fact CSV the rules (or those of --dept) need in the years\n"
     "asked (default: the latest with facts; a database without facts needs\n"
     "--year or --years): one row per region, year and metric a rule reads,\n"
     "sorted by region, year and metric, with the columns `import fact`\n"
     "reads (region, year, metric, value, source) and, beside them, the\n"
     "region's name, the metric's name and its unit (region_name,\n"
     "metric_name, unit). Value and source are filled where the database\n"
     "has the fact. Fill in the values and import the file as it is:\n"
     "`import fact` ignores the name columns, refuses a unit that is not the\n"
     "metric's, and skips (and counts) the rows left without a value.\n\n"
     "What a rule reads is found by evaluating it, storing nothing: on\n"
     "lint's synthetic province, where every read finds a value (each read\n"
     "then asked of every region of the level read), and on the database's\n"
     "regions and years. A branch neither takes is not seen, nor what r:sql\n"
     "reads (the summary names such rules). The summary on stderr also says\n"
     "which standards, shares and transfers the rules read that the\n"
     "database lacks, and which metrics are not in its catalog.\n\n"
     "With --list, prints instead each rule with the metrics, standards and\n"
     "items it reads, by department (no database needed; with one, metric\n"
     "names and units): docs/administrators.md carries this list.\n\n"
     "Exit status 1 when the list may be incomplete: a rule file did not\n"
     "load, or a rule's evaluation raised an error, hung or crashed (each\n"
     "is named on stderr; `equirule lint` says why).\n\n"
     COMMON_DB COMMON_RULES
     "  --year Y         the year (default: the latest with facts)\n"
     "  --years A-B      the years A to B\n"
     "  --dept D         only the rules of department D (repeatable), and\n"
     "                   the rules they need\n"
     "  --level L        only the rows of regions of level L (province, city,\n"
     "                   county); with --list, the rules of level L\n"
     "  --list           what each rule reads, not the CSV\n"
     "  --format F       of --list: text (default) or md\n"
     "  -o, --output FILE  write to FILE (default: standard output)\n"
     COMMON_TIMEOUT},
    {"log", cmd_log, "the data versions: who imported what, when",
     "usage: equirule log [--db FILE] [--format text|json]\n"
     "       equirule log --fact REGION METRIC YEAR [--db FILE] "
     "[--format text|json]\n"
     "       equirule log --prune [--dry-run] [--db FILE]\n\n"
     "Every successful import (and each table of init --sample) is a data\n"
     "version. Lists them newest first: id, when, who, the table, the file\n"
     "and its SHA-256, the rows added, replaced and unchanged, and the runs\n"
     "that read it (`runs` shows each run's version). Version 0 holds the\n"
     "rows stored before versions were recorded. Rows an import replaces or\n"
     "deletes are kept, so the data as of any version can be rebuilt.\n\n"
     "With --fact, prints every value one fact had (REGION a code or a\n"
     "name such as 梅州市), newest first, with the version, when, who and\n"
     "file that set it and the runs that read it.\n\n"
     "With --prune, drops in one transaction the replaced or deleted rows\n"
     "that no kept run read (`runs --delete` removes runs): never the\n"
     "current data, never what a kept run read. Every log line stays; the\n"
     "versions that can no longer be rebuilt are marked pruned.\n\n"
     COMMON_DB
     "  --format F       text (default) or json\n"
     "  --fact           one fact's history: REGION METRIC YEAR\n"
     "  --prune          drop the history no kept run read\n"
     "  --dry-run        with --prune: say what would be dropped, change "
     "nothing\n"},
    {"help", cmd_help, "show help for a command",
     "usage: equirule help [COMMAND]\n"},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < ER_ARRAY_LEN_MAIN(commands); i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int cli_print_help(const char *name)
{
    const command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "equirule: no command '%s'\n", name);
        return EXIT_USAGE;
    }
    printf("%s", c->usage);
    return EXIT_OK;
}
static void print_usage(FILE *fp)
{
    fprintf(fp,
            "equirule %s - rule evaluator for basic public service "
            "equalization (基本公共服务均等化)\n\n"
            "usage: equirule <command> [options]\n\ncommands:\n",
            ER_VERSION);
    for (size_t i = 0; i < ER_ARRAY_LEN_MAIN(commands); i++)
        fprintf(fp, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n`equirule help COMMAND` or `equirule COMMAND --help` for "
                "a command's options.\n"
                "exit status: 0 ok; 1 findings or tests failed; 2 usage "
                "error; 3 error\n");
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stdout);
        return EXIT_OK;
    }
    return cli_print_help(argv[1]);
}

/* The exit status once standard output is flushed: EXIT_ERROR, said
 * once, when what the command wrote did not all reach it (a full disk). */
static int stdout_written(int status)
{
    errno = 0;
    bool failed = fflush(stdout) != 0;
    int err = errno;
    if (!failed && !ferror(stdout))
        return status;
    if (status != EXIT_ERROR) /* else the command has said why it stopped */
        fprintf(stderr, "equirule: standard output: cannot write: %s\n",
                strerror(err ? err : EIO));
    return EXIT_ERROR;
}

int main(int argc, char **argv)
{
    /* past a file size limit (ulimit -f), a write fails with EFBIG and
     * the command reports it, rather than the process dying of SIGXFSZ
     * halfway */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("equirule %s (schema %d, %s, SQLite %s)\n", ER_VERSION,
               ER_SCHEMA_VERSION, LUA_RELEASE, sqlite3_libversion());
        return stdout_written(EXIT_OK);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_usage(stdout);
        return stdout_written(EXIT_OK);
    }
    const command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "equirule: no command '%s'\n", argv[1]);
        print_usage(stderr);
        return EXIT_USAGE;
    }
    return stdout_written(c->fn(argc - 1, argv + 1));
}
