/*
 * test_view.c - the region view `r` a rule's evaluate function receives,
 * member by member, through real evaluation: a small province is written
 * into a temporary database, small rule files into a temporary rules
 * folder, er_run evaluates them and the test reads the stored findings
 * back, as a user of `equirule run` would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Formats a number or "nil" inside a rule. */
#define S "local function s(x) return x and string.format('%g', x) or 'nil' end\n"

static int setup(void **state)
{
    harness *h = h_new();
    h_small_province(h);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    h_free(*state);
    return 0;
}

/* ---- attributes ----------------------------------------------------------- */

static void test_view__attributes(void **state)
{
    harness *h = *state;
    static const char body[] =
        "    return pass(string.format('%s|%s|%s|%s|%s|%s|%d|%s|%s|%s',\n"
        "      r.code, r.name, r.level, tostring(r.zone), tostring(r.tier),\n"
        "      tostring(r.parent), r.year, tostring(r.name_en),\n"
        "      tostring(math.type(r.tier)), math.type(r.year)))\n";
    h_rule(h, "health/county.lua", "health.county", "compliance", "county", "",
           body);
    h_rule(h, "health/city.lua", "health.city", "compliance", "city", "",
           body);
    h_rule(h, "health/province.lua", "health.province", "compliance",
           "province", "", body);
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.county", "441402", 2019, "pass",
             "441402|梅江区|county|north|1|441400|2019|nil|integer|integer");
    h_expect(h, "health.county", "440103", 2019, "pass",
             "440103|荔湾区|county|core|3|440100|2019|nil|integer|integer");
    h_expect(h, "health.city", "441400", 2019, "pass",
             "441400|梅州市|city|north|1|440000|2019|Meizhou|integer|integer");
    h_expect(h, "health.province", "440000", 2019, "pass",
             "440000|广东省|province|nil|nil|nil|2019|Guangdong|nil|integer");
    /* one finding per region of the rule's level */
    assert_int_equal(h_findings(h, "health.county"), 3);
    assert_int_equal(h_findings(h, "health.city"), 3);
    assert_int_equal(h_findings(h, "health.province"), 1);
}

static void test_view__is_read_only_and_has_no_other_fields(void **state)
{
    harness *h = *state;
    h_rule(h, "health/write.lua", "health.write", "compliance", "province", "",
           "    r.code = '440001'\n"
           "    return pass()\n");
    h_rule(h, "health/field.lua", "health.field", "compliance", "province", "",
           "    return pass(tostring(r.population))\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.write", "440000", 2019, "error",
             h_at(h, "health/write.lua", 9, "the region view is read-only"));
    h_expect(h, "health.field", "440000", 2019, "error",
             h_at(h, "health/field.lua", 9,
                  "region view has no field 'population'"));
}

/* ---- facts -------------------------------------------------------------------- */

static void test_view__fact_of_this_year_and_of_another(void **state)
{
    harness *h = *state;
    h_rule(h, "health/pop.lua", "health.pop", "compliance", "city", "",
           "    return pass({ measured = r:fact('pop.resident'),\n"
           "                  required = r:fact('pop.resident', 2018),\n"
           "                  note = math.type(r:fact('pop.resident')) })\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    h_finding f = h_get(h, "health.pop", "441400", 2019);
    assert_string_equal(f.outcome, "pass");
    assert_true(f.has_measured && f.has_required);
    assert_near(f.measured, 4380000, 0);
    assert_near(f.required, 4350000, 0);
    assert_string_equal(f.note, "float");
    f = h_get(h, "health.pop", "440100", 2018);
    assert_near(f.measured, 14903000, 0);
    assert_near(f.required, 14903000, 0);
}

static void test_view__missing_fact_gives_missing(void **state)
{
    harness *h = *state;
    h_rule(h, "health/spend.lua", "health.spend", "compliance", "city", "",
           "    local spend = r:fact('health.public_health.spend')\n"
           "    return at_least(spend / r:fact('pop.resident'), 60)\n");
    h_rule(h, "health/old.lua", "health.old", "compliance", "city", "",
           "    return pass({ measured = r:fact('pop.resident', 2010) })\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.spend", "440300", 2019, "missing",
             "缺数据：440300 深圳市 无 health.public_health.spend 的 2019 "
             "年数值 / no value of health.public_health.spend for 440300 "
             "深圳市 in 2019");
    h_finding f = h_get(h, "health.spend", "440300", 2019);
    assert_false(f.has_measured || f.has_required || f.has_amount);
    /* the other regions are still judged */
    h_expect(h, "health.spend", "441400", 2019, "pass", NULL);
    h_expect(h, "health.spend", "440100", 2019, "pass", NULL);
    h_expect(h, "health.old", "441400", 2019, "missing",
             "缺数据：441400 梅州市 无 pop.resident 的 2010 年数值 / no value "
             "of pop.resident for 441400 梅州市 in 2010");
}

static void test_view__missing_fact_inside_pcall_is_still_missing(void **state)
{
    harness *h = *state;
    h_rule(h, "health/pcall.lua", "health.pcall", "compliance", "city", "",
           "    local ok = pcall(r.fact, r, 'health.public_health.spend')\n"
           "    if not ok then return pass('swallowed') end\n"
           "    return pass('found')\n");
    h_rule(h, "health/nested.lua", "health.nested", "compliance", "city", "",
           "    local ok, err = pcall(function()\n"
           "      return r:fact('health.public_health.spend') / 2\n"
           "    end)\n"
           "    return ok and pass('found') or fail(tostring(err))\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    const char *note = "缺数据：440300 深圳市 无 health.public_health.spend "
                       "的 2019 年数值 / no value of "
                       "health.public_health.spend for 440300 深圳市 in "
                       "2019";
    h_expect(h, "health.pcall", "440300", 2019, "missing", note);
    h_expect(h, "health.nested", "440300", 2019, "missing", note);
    h_expect(h, "health.pcall", "441400", 2019, "pass", "found");
}

static void test_view__has(void **state)
{
    harness *h = *state;
    h_rule(h, "health/has.lua", "health.has", "compliance", "city", "",
           "    return pass(string.format('%s %s %s %s %s',\n"
           "      tostring(r:has('pop.resident')),\n"
           "      tostring(r:has('health.public_health.spend')),\n"
           "      tostring(r:has('pop.resident', 2018)),\n"
           "      tostring(r:has('pop.resident', 2017)),\n"
           "      tostring(r:has('fin.revenue'))))\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.has", "440300", 2019, "pass",
             "true false true false false");
    h_expect(h, "health.has", "441400", 2019, "pass",
             "true true true false false");
}

/* ---- standards ------------------------------------------------------------------ */

static void test_view__standard_binding_and_each_scope(void **state)
{
    harness *h = *state;
    h_rule(h, "health/std.lua", "health.std", "compliance", "city", "",
           S "    local k = 'health.public_health'\n"
             "    return pass({ measured = r:standard(k), note =\n"
             "      s(r:standard(k, 'national')) .. '/' ..\n"
             "      s(r:standard(k, 'provincial')) .. '/' ..\n"
             "      s(r:standard(k, 'local')) .. '/' ..\n"
             "      s(r:standard('edu.nothing')) .. '/' ..\n"
             "      s(r:standard('edu.nothing', 'local')) })\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    /* 2018: national 55, provincial 60 -> 60 binds */
    h_finding f = h_get(h, "health.std", "441400", 2018);
    assert_near(f.measured, 60, 0);
    assert_string_equal(f.note, "55/60/nil/nil/nil");
    /* 2019: national 69, provincial 60 -> 69; 梅州 has its own 80 */
    f = h_get(h, "health.std", "441400", 2019);
    assert_near(f.measured, 69, 0);
    assert_string_equal(f.note, "69/60/80/nil/nil");
    /* the local standard does not raise the binding minimum */
    f = h_get(h, "health.std", "440100", 2019);
    assert_near(f.measured, 69, 0);
    assert_string_equal(f.note, "69/60/nil/nil/nil");
}

static void test_view__standard_changing_between_years(void **state)
{
    harness *h = *state;
    /* 梅州 spends 57.00 per resident in 2018 and 63.93 in 2019: above the
     * national 55 of 2018, below the 69 of 2019 */
    h_rule(h, "health/national.lua", "health.national", "compliance", "city",
           "",
           "    local per = r:fact('health.public_health.spend') /\n"
           "                r:fact('pop.resident')\n"
           "    return at_least(per, r:standard('health.public_health',\n"
           "                                    'national'))\n");
    assert_int_equal(h_run_region(h, 2018, 2019, "441400"), ER_OK);
    h_finding f = h_get(h, "health.national", "441400", 2018);
    assert_string_equal(f.outcome, "pass");
    assert_near(f.measured, 57.0, 1e-9);
    assert_near(f.required, 55, 0);
    f = h_get(h, "health.national", "441400", 2019);
    assert_string_equal(f.outcome, "fail");
    assert_near(f.measured, 280000000.0 / 4380000.0, 1e-9);
    assert_near(f.required, 69, 0);
    assert_int_equal(h_findings(h, "health.national"), 2);
}

static void test_view__standard_of_a_bad_scope_is_an_error(void **state)
{
    harness *h = *state;
    h_rule(h, "health/scope.lua", "health.scope", "compliance", "province", "",
           "    return pass(tostring(r:standard('health.public_health', "
           "'regional')))\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.scope", "440000", 2019, "error",
             h_at(h, "health/scope.lua", 9,
                  "bad argument #2 to 'standard' (invalid option "
                  "'regional')"));
}

static void test_view__local_standard_inherited_from_the_parent(void **state)
{
    harness *h = *state;
    h_rule(h, "health/local.lua", "health.local", "compliance", "county", "",
           S "    return pass(s(r:standard('health.public_health', "
             "'local')))\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    h_expect(h, "health.local", "441402", 2019, "pass", "80"); /* 梅州's */
    h_expect(h, "health.local", "441403", 2019, "pass", "90"); /* its own */
    h_expect(h, "health.local", "440103", 2019, "pass", "nil");
    h_expect(h, "health.local", "441402", 2018, "pass", "nil");
    h_expect(h, "health.local", "441403", 2018, "pass", "nil");
}

/* ---- shares and transfers --------------------------------------------------------- */

static void test_view__share_by_tier(void **state)
{
    harness *h = *state;
    h_rule(h, "health/share.lua", "health.share", "compliance", "city", "",
           "    return pass({ measured = r:share('health.public_health') })\n");
    h_rule(h, "health/pshare.lua", "health.pshare", "compliance", "province",
           "", "    return pass({ measured = r:share('health.public_health') "
               "})\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    h_finding f = h_get(h, "health.share", "441400", 2018); /* tier 1 */
    assert_near(f.measured, 0.7, 1e-12);
    f = h_get(h, "health.share", "441400", 2019);
    assert_near(f.measured, 0.7, 1e-12);
    f = h_get(h, "health.share", "440100", 2018); /* tier 3 changes */
    assert_near(f.measured, 0.3, 1e-12);
    f = h_get(h, "health.share", "440100", 2019);
    assert_near(f.measured, 0.25, 1e-12);
    h_expect(h, "health.share", "440300", 2019, "missing",
             "缺数据：health.public_health 第2档 2019 年无省级分担比例 / no "
             "provincial share of health.public_health for tier 2 in 2019");
    h_expect(h, "health.pshare", "440000", 2019, "missing",
             "缺数据：440000 广东省 无分档，无省级分担比例 / no provincial "
             "share of health.public_health for 440000 广东省: the region "
             "has no tier");
}

static void test_view__transfer_is_zero_when_none(void **state)
{
    harness *h = *state;
    h_rule(h, "health/transfer.lua", "health.transfer", "compliance", "city",
           "",
           "    return pass({ measured = r:transfer('health.public_health'),\n"
           "                  required = r:transfer('pension.resident_basic'),\n"
           "                  note = tostring(r:transfer('pension.resident_basic')) })\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    h_finding f = h_get(h, "health.transfer", "441400", 2019);
    assert_string_equal(f.outcome, "pass");
    assert_near(f.measured, 1000000.5, 0);
    assert_near(f.required, 0, 0);
    assert_string_equal(f.note, "0.0");
    f = h_get(h, "health.transfer", "440100", 2019);
    assert_near(f.measured, 0, 0);
    assert_near(f.required, 25, 0);
    f = h_get(h, "health.transfer", "441400", 2018);
    assert_near(f.measured, 0, 0);
}

/* r:transfer of a city without a row of its own for the item and year
 * reads the sum of ALL its counties' rows (a roll-up); one county
 * without a row leaves it 0 (none paid), never a partial sum. */
static void test_view__transfer_of_a_city_is_its_counties_sum(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO transfer(region, year, item, amount) VALUES "
              "('441402', 2018, 'health.public_health', 300.25),"
              "('441403', 2018, 'health.public_health', 700.5),"
              "('441402', 2019, 'pension.resident_basic', 5);");
    h_rule(h, "health/transfer.lua", "health.transfer", "compliance", "city",
           "",
           "    return pass({ measured = r:transfer('health.public_health'),\n"
           "                  required = r:transfer('pension.resident_basic') "
           "})\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    h_finding f = h_get(h, "health.transfer", "441400", 2018);
    assert_true(f.measured == 1000.75); /* 300.25 + 700.5, derived */
    f = h_get(h, "health.transfer", "441400", 2019);
    assert_true(f.measured == 1000000.5); /* its own row */
    assert_true(f.required == 0); /* 梅县区 has none: not 5 */
}

/* A county without a tier of its own is shared with by its city's tier;
 * one with its own tier by that. */
static void test_view__share_of_a_county_without_a_tier_is_its_citys(
    void **state)
{
    harness *h = *state;
    h_exec(h, "UPDATE region SET tier = NULL WHERE code = '441402';"
              "UPDATE region SET tier = 3 WHERE code = '441403';");
    h_rule(h, "health/share.lua", "health.share", "compliance", "county", "",
           "    return pass({ measured = r:share('health.public_health') })\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    /* 梅江区: no tier, 梅州's tier 1 = 0.7; 梅县区: its own tier 3 = 0.25 */
    assert_near(h_get(h, "health.share", "441402", 2019).measured, 0.7, 0);
    assert_near(h_get(h, "health.share", "441403", 2019).measured, 0.25, 0);
}

/* Only a county inherits, and only its city's tier: a city without a
 * tier is missing although the province row has one, and a county whose
 * city has none does not skip to the province's. */
static void test_view__share_never_takes_the_provinces_tier(void **state)
{
    harness *h = *state;
    h_exec(h, "UPDATE region SET tier = 1 WHERE code = '440000';"
              "UPDATE region SET tier = NULL WHERE code IN "
              "('441400', '441402');");
    h_rule(h, "health/share.lua", "health.share", "compliance", "city", "",
           "    return pass({ measured = r:share('health.public_health') })\n");
    h_rule(h, "health/cshare.lua", "health.cshare", "compliance", "county",
           "",
           "    return pass({ measured = r:share('health.public_health') })\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.share", "441400", 2019, "missing",
             "缺数据：441400 梅州市 无分档，无省级分担比例 / no provincial "
             "share of health.public_health for 441400 梅州市: the region "
             "has no tier");
    h_expect(h, "health.cshare", "441402", 2019, "missing",
             "缺数据：441402 梅江区 及其所属市均无分档，无省级分担比例 / no "
             "provincial share of health.public_health for 441402 梅江区: "
             "neither the county nor its city has a tier");
    /* a city with its own tier is unchanged: 广州 tier 3 = 0.25 in 2019 */
    assert_near(h_get(h, "health.share", "440100", 2019).measured, 0.25, 0);
}

/* r:split reads the county's city's split: the city's row for the item,
 * else its default; none in force is missing naming the city; a region in
 * no city is a rule bug. */
static void test_view__split_of_the_item_else_the_citys_default(
    void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO split(city, item, year_from, year_to, "
              "city_share) VALUES "
              "('441400', NULL, 2018, NULL, 0.6),"
              "('441400', 'health.public_health', 2019, NULL, 0.5);");
    h_rule(h, "health/split.lua", "health.split", "compliance", "county", "",
           "    return pass({ measured = r:split('health.public_health'),\n"
           "                  required = r:split('pension.resident_basic') "
           "})\n");
    h_rule(h, "health/csplit.lua", "health.csplit", "compliance", "city", "",
           "    return pass({ measured = r:split('health.public_health') "
           "})\n");
    h_rule(h, "health/psplit.lua", "health.psplit", "compliance", "province",
           "",
           "    return pass({ measured = r:split('health.public_health') "
           "})\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    h_finding f = h_get(h, "health.split", "441402", 2019);
    assert_near(f.measured, 0.5, 0); /* the item's row */
    assert_near(f.required, 0.6, 0); /* the default */
    f = h_get(h, "health.split", "441403", 2018);
    assert_near(f.measured, 0.6, 0); /* the item's row is not in force */
    assert_near(h_get(h, "health.csplit", "441400", 2019).measured, 0.5, 0);
    h_expect(h, "health.split", "440103", 2019, "missing",
             "缺数据：440100 广州市 2019 年无 health.public_health 的市县分担"
             "比例 / no city-county split of health.public_health for "
             "440100 广州市 in 2019");
    assert_string_equal(
        h_text(h, "SELECT kind || ' ' || key || ' ' || data_region FROM "
                  "run_gap WHERE rule = 'health.split' AND region = "
                  "'440103' AND year = 2019"),
        "split health.public_health 440100");
    h_finding p = h_get(h, "health.psplit", "440000", 2019);
    assert_string_equal(p.outcome, "error");
    assert_non_null(strstr(p.note, "r:split: 440000 广东省 is a province, "
                                   "in no city"));
}

/* r:transfer(item, { payer = "city" }) reads what a county received from
 * its city, and is an error on a city; the option is checked as the
 * outcomes' options are. */
static void test_view__transfer_from_the_city_and_its_options(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO city_transfer(region, year, item, amount) VALUES "
              "('441402', 2019, 'health.public_health', 4968000);");
    h_rule(h, "health/ctransfer.lua", "health.ctransfer", "compliance",
           "county", "",
           "    return pass({ measured = r:transfer('health.public_health', "
           "{ payer = 'city' }),\n"
           "                  required = r:transfer('health.public_health', "
           "{ payer = 'province' }) })\n");
    h_rule(h, "health/badopt.lua", "health.badopt", "compliance", "county",
           "",
           "    return pass({ measured = r:transfer('health.public_health', "
           "{ payr = 'city' }) })\n");
    h_rule(h, "health/badpayer.lua", "health.badpayer", "compliance",
           "county", "",
           "    return pass({ measured = r:transfer('health.public_health', "
           "{ payer = 'county' }) })\n");
    /* a city is paid by no city: not 0 yuan, a rule error */
    h_rule(h, "health/citypayer.lua", "health.citypayer", "compliance",
           "city", "",
           "    return pass({ measured = r:transfer('health.public_health', "
           "{ payer = 'city' }) })\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_finding c = h_get(h, "health.citypayer", "441400", 2019);
    assert_string_equal(c.outcome, "error");
    assert_non_null(strstr(c.note, "transfer: payer city: 441400 梅州市 is a "
                                   "city; a city pays only its counties"));
    h_finding f = h_get(h, "health.ctransfer", "441402", 2019);
    assert_near(f.measured, 4968000, 0);
    assert_near(f.required, 0, 0); /* the province paid the county nothing */
    assert_near(h_get(h, "health.ctransfer", "441403", 2019).measured, 0, 0);
    f = h_get(h, "health.badopt", "441402", 2019);
    assert_string_equal(f.outcome, "error");
    assert_non_null(strstr(f.note, "transfer: unknown option 'payr' (did "
                                   "you mean payer?); the option is payer"));
    f = h_get(h, "health.badpayer", "441402", 2019);
    assert_string_equal(f.outcome, "error");
    assert_non_null(
        strstr(f.note, "transfer: payer must be \"province\" or \"city\""));
}

/* r:national_average: the year's row, nil for a year or key without one
 * (the rule then falls back on its own terms), and an error for a key
 * that names no item, as for every other key of the catalog. */
static void test_view__national_average_of_the_year_or_nil(void **state)
{
    harness *h = *state;
    h_exec(h, "INSERT INTO national_average(key, year, value, unit, source) "
              "VALUES ('health.public_health', 2019, 72.5, '元/人', "
              "'estimate'), ('health.public_health', 2018, 60, '元/人', "
              "NULL), ('pension.resident_basic.rural', 2019, 160, '元/人·月', "
              "NULL);"
              /* an average is in the unit of its key's national standard */
              "INSERT INTO standard(key, scope, region, year_from, year_to, "
              "value, unit, basis) VALUES ('pension.resident_basic.rural', "
              "'national', NULL, 2019, NULL, 93, '元/人·月', '国家')");
    h_rule(h, "health/avg.lua", "health.avg", "compliance", "province", "",
           S "    return pass(s(r:national_average('health.public_health'))\n"
           "      .. ' ' .. s(r:national_average('pension.resident_basic.rural'))\n"
           "      .. ' ' .. s(r:national_average('pension.resident_basic')))\n");
    h_rule(h, "health/avgbad.lua", "health.avgbad", "compliance", "province",
           "",
           "    return pass(tostring(r:national_average('health.public_heath')))\n");
    assert_int_equal(h_run(h, 2018, 2019), ER_OK);
    h_expect(h, "health.avg", "440000", 2019, "pass", "72.5 160 nil");
    h_expect(h, "health.avg", "440000", 2018, "pass", "60 nil nil");
    h_finding f = h_get(h, "health.avgbad", "440000", 2019);
    assert_string_equal(f.outcome, "error");
    assert_non_null(strstr(f.note, "r:national_average: key "
                                   "'health.public_heath' is not in the item "
                                   "table"));
}

/* A key no database can hold a value of (a metric not in the metric
 * catalog, an item not in the item table) is a misspelt key: a rule bug
 * naming the key and the close one, never missing data (which would blame
 * the data) nor a transfer of 0 (silently wrong money); and, as a rule
 * bug, sticky under pcall. A catalogued metric without a value stays
 * missing (test_view__missing_fact_gives_missing). */
static void test_view__key_not_in_the_catalog_is_a_rule_bug(void **state)
{
    harness *h = *state;
    h_rule(h, "health/fact.lua", "health.fact", "compliance", "city", "",
           "    return pass({ measured = r:fact('pop.residnet') })\n");
    h_rule(h, "health/far.lua", "health.far", "compliance", "city", "",
           "    return pass({ measured = r:fact('pop.' .. 'nowhere') })\n");
    h_rule(h, "health/has.lua", "health.has", "compliance", "city", "",
           "    if r:has('fin.revenu') then return pass() end\n"
           "    return skip('no revenue')\n");
    h_rule(h, "health/share.lua", "health.share", "compliance", "city", "",
           "    return pass({ measured = r:share('health.public_heath') })\n");
    h_rule(h, "health/paid.lua", "health.paid", "compliance", "city", "",
           "    return pass({ measured = r:transfer('pension.resident_basc') })\n");
    h_rule(h, "health/caught.lua", "health.caught", "compliance", "city", "",
           "    local ok = pcall(r.fact, r, 'pop.residnet')\n"
           "    return pass(tostring(ok))\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    const char *tail = ": a misspelt key is a rule bug, not missing data";
    char want[512];
    snprintf(want, sizeof want, "r:fact: metric 'pop.residnet' is not in the "
             "metric catalog (did you mean pop.resident?)%s", tail);
    h_expect(h, "health.fact", "441400", 2019, "error",
             h_at(h, "health/fact.lua", 9, want));
    h_expect(h, "health.caught", "441400", 2019, "error",
             h_at(h, "health/caught.lua", 9, want));
    snprintf(want, sizeof want, "r:fact: metric 'pop.nowhere' is not in the "
             "metric catalog%s", tail);
    h_expect(h, "health.far", "440100", 2019, "error",
             h_at(h, "health/far.lua", 9, want));
    snprintf(want, sizeof want, "r:has: metric 'fin.revenu' is not in the "
             "metric catalog (did you mean fin.revenue?)%s", tail);
    h_expect(h, "health.has", "440300", 2019, "error",
             h_at(h, "health/has.lua", 9, want));
    snprintf(want, sizeof want, "r:share: item 'health.public_heath' is not "
             "in the item table (did you mean health.public_health?)%s", tail);
    h_expect(h, "health.share", "441400", 2019, "error",
             h_at(h, "health/share.lua", 9, want));
    snprintf(want, sizeof want, "r:transfer: item 'pension.resident_basc' is not "
             "in the item table (did you mean pension.resident_basic?)%s",
             tail);
    h_expect(h, "health.paid", "441400", 2019, "error",
             h_at(h, "health/paid.lua", 9, want));
}

/* ---- other regions ------------------------------------------------------------------ */

#define CODES                                                              \
    "    local function codes(list)\n"                                     \
    "      local out = {}\n"                                               \
    "      for i, c in ipairs(list) do out[i] = c.code end\n"              \
    "      return table.concat(out, ',')\n"                                \
    "    end\n"

static void test_view__children_in_code_order(void **state)
{
    harness *h = *state;
    h_rule(h, "health/children.lua", "health.children", "compliance",
           "province", "",
           CODES "    local pop = 0\n"
                 "    for _, c in ipairs(r:children('city')) do\n"
                 "      pop = pop + c:fact('pop.resident')\n"
                 "      assert(c.year == r.year)\n"
                 "    end\n"
                 "    return pass({ measured = pop, note =\n"
                 "      codes(r:children()) .. '|' ..\n"
                 "      codes(r:children('county')) .. '|' ..\n"
                 "      codes(r:children('city')) .. '|' ..\n"
                 "      codes(r:children('province')) })\n");
    h_rule(h, "health/kids.lua", "health.kids", "compliance", "city", "",
           CODES "    return pass(codes(r:children()) .. '|' ..\n"
                 "                codes(r:children('county')))\n");
    h_rule(h, "health/bad_level.lua", "health.bad_level", "compliance",
           "province", "", "    return pass(#r:children('town'))\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_finding f = h_get(h, "health.children", "440000", 2019);
    assert_string_equal(f.outcome, "pass");
    assert_string_equal(f.note, "440100,440300,441400|440103,441402,441403|"
                                "440100,440300,441400|");
    assert_near(f.measured, 15308900 + 13438800 + 4380000, 0);
    h_expect(h, "health.kids", "441400", 2019, "pass",
             "441402,441403|441402,441403");
    h_expect(h, "health.kids", "440300", 2019, "pass", "|");
    h_expect(h, "health.bad_level", "440000", 2019, "error",
             h_at(h, "health/bad_level.lua", 9,
                  "children: level must be province, city or county"));
}

static void test_view__region_of_any_code(void **state)
{
    harness *h = *state;
    h_rule(h, "health/region.lua", "health.region", "compliance", "county", "",
           "    local p = r:region(r.parent)\n"
           "    local top = r:region(p.parent)\n"
           "    return pass(string.format('%s|%s|%d|%s|%s|%.0f|%s',\n"
           "      p.name, p.level, p.year, top.code, top.level,\n"
           "      r:region('440300'):fact('pop.resident'),\n"
           "      tostring(r:region('999999'))))\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.region", "441402", 2019, "pass",
             "梅州市|city|2019|440000|province|13438800|nil");
    h_expect(h, "health.region", "440103", 2019, "pass",
             "广州市|city|2019|440000|province|13438800|nil");
}

/* ---- results of needed rules -------------------------------------------------------- */

static void test_view__result_of_a_needed_rule(void **state)
{
    harness *h = *state;
    h_rule(h, "health/a.lua", "health.a", "compliance", "city", "",
           "    local per = r:fact('health.public_health.spend') /\n"
           "                r:fact('pop.resident')\n"
           "    return at_least(per, 65, { unit = '元/人', note = 'a' })\n");
    h_rule(h, "health/cutter.lua", "health.cutter", "cut", "city", "",
           "    return cut(1234.565, 'cut')\n");
    h_rule(h, "health/later.lua", "health.later", "compliance", "city",
           "effective = { from = 2020 },", "    return pass()\n");
    h_rule(h, "finance/reader.lua", "finance.reader", "compliance", "city",
           "needs = { 'health.a', 'health.cutter', 'health.later' },",
           S "    local a = r:result('health.a')\n"
             "    local c = r:result('health.cutter')\n"
             "    return pass(string.format('%s|%s|%s|%s|%s|%s|%.2f|%s',\n"
             "      a.outcome, s(a.measured), s(a.required), tostring(a.unit),\n"
             "      a.note, c.outcome, c.amount,\n"
             "      tostring(r:result('health.later'))))\n");
    h_rule(h, "finance/rogue.lua", "finance.rogue", "compliance", "city", "",
           "    return pass(r:result('health.a').outcome)\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "finance.reader", "441400", 2019, "pass",
             "fail|63.9269|65|元/人|a|cut|1234.57|nil");
    h_expect(h, "finance.reader", "440100", 2019, "pass",
             "pass|71.8536|65|元/人|a|cut|1234.57|nil");
    /* a missing result is read as missing, with its note */
    h_expect(h, "finance.reader", "440300", 2019, "pass",
             "missing|nil|nil|nil|缺数据：440300 深圳市 无 "
             "health.public_health.spend 的 2019 年数值 / no value of "
             "health.public_health.spend for 440300 深圳市 in "
             "2019|cut|1234.57|nil");
    h_expect(h, "finance.rogue", "441400", 2019, "error",
             h_at(h, "finance/rogue.lua", 9,
                  "result: 'health.a' is not in the needs of "
                  "finance.rogue"));
}

/* ---- r:sql ------------------------------------------------------------------------ */

static void test_view__sql_rows_keyed_by_column(void **state)
{
    harness *h = *state;
    h_rule(h, "health/sql.lua", "health.sql", "compliance", "city", "",
           "    local rows = r:sql('SELECT code, name, name_en, tier FROM '\n"
           "      .. 'region WHERE parent = ? ORDER BY code', r.code)\n"
           "    local parts = {}\n"
           "    for i, row in ipairs(rows) do\n"
           "      parts[i] = row.code .. '/' .. row.name .. '/' ..\n"
           "        tostring(row.name_en) .. '/' .. math.type(row.tier) ..\n"
           "        row.tier\n"
           "    end\n"
           "    local t = r:sql('SELECT count(*) AS n, sum(value) AS total '\n"
           "      .. 'FROM fact WHERE metric = ? AND year = ?',\n"
           "      'pop.resident', r.year)\n"
           "    return pass({ measured = t[1].total, note =\n"
           "      table.concat(parts, ',') .. '|' .. #rows .. '|' .. "
           "t[1].n })\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_finding f = h_get(h, "health.sql", "441400", 2019);
    assert_string_equal(f.outcome, "pass");
    assert_string_equal(f.note, "441402/梅江区/nil/integer1,"
                                "441403/梅县区/nil/integer1|2|3");
    assert_near(f.measured, 15308900 + 13438800 + 4380000, 0);
    h_expect(h, "health.sql", "440300", 2019, "pass", "|0|3");
}

/* The data version that wrote a row is not data: r:sql reads it as NULL,
 * so no finding depends on the history of imports. */
static void test_view__sql_reads_no_data_version(void **state)
{
    harness *h = *state;
    h_rule(h, "health/sqlv.lua", "health.sqlv", "compliance", "city", "",
           "    local rows = r:sql('SELECT *, version AS v FROM fact '\n"
           "      .. 'WHERE region = ? AND year = ? AND version IS NULL '\n"
           "      .. 'LIMIT 1', r.code, r.year)\n"
           "    return pass(tostring(rows[1].version) .. '/' ..\n"
           "      tostring(rows[1].v) .. '/' .. #rows)\n");
    /* the rows as an import writes them: each with its version */
    h_exec(h, "UPDATE fact SET version = 7");
    assert_int_equal(h_count(h, "SELECT count(*) FROM fact WHERE version "
                                "IS NULL"),
                     0);
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    h_expect(h, "health.sqlv", "441400", 2019, "pass", "nil/nil/1");
}

static void test_view__sql_refuses_writes_and_run_tables(void **state)
{
    harness *h = *state;
    static const struct {
        const char *name;
        const char *query;
        const char *message;
    } cases[] = {
        {"delete", "DELETE FROM fact", "sql: not authorized"},
        {"insert",
         "INSERT INTO region(code, name, level) VALUES ('999999', 'x', "
         "'city')",
         "sql: not authorized"},
        {"update", "UPDATE fact SET value = 0", "sql: not authorized"},
        {"finding", "SELECT outcome FROM finding",
         "sql: access to view \"finding\" prohibited"},
        {"finding_row", "SELECT outcome FROM finding_row",
         "sql: access to finding_row.outcome is prohibited"},
        {"finding_rule", "SELECT rule FROM finding_rule",
         "sql: access to finding_rule.rule is prohibited"},
        {"finding_text", "SELECT count(*) FROM finding_text",
         "sql: not authorized"},
        {"run", "SELECT count(*) FROM run", "sql: not authorized"},
        {"schema", "SELECT sql FROM sqlite_schema",
         "sql: access to sqlite_master.sql is prohibited"},
        {"two", "SELECT 1; SELECT 2", "sql: one statement only"},
        {"attach", "ATTACH '/tmp/x.db' AS x", "sql: not authorized"},
        {"pragma", "PRAGMA user_version = 9", "sql: not authorized"},
    };
    char rel[64], id[64], body[512];
    for (size_t i = 0; i < ER_ARRAY_LEN(cases); i++) {
        snprintf(rel, sizeof rel, "health/%s.lua", cases[i].name);
        snprintf(id, sizeof id, "health.%s", cases[i].name);
        snprintf(body, sizeof body, "    return pass(#r:sql(\"%s\"))\n",
                 cases[i].query);
        h_rule(h, rel, id, "compliance", "province", "", body);
    }
    h_rule(h, "health/args.lua", "health.args", "compliance", "province", "",
           "    return pass(#r:sql('SELECT code FROM region WHERE code = ?'))"
           "\n");
    assert_int_equal(h_run(h, 2019, 2019), ER_OK);
    for (size_t i = 0; i < ER_ARRAY_LEN(cases); i++) {
        snprintf(rel, sizeof rel, "health/%s.lua", cases[i].name);
        snprintf(id, sizeof id, "health.%s", cases[i].name);
        h_expect(h, id, "440000", 2019, "error",
                 h_at(h, rel, 9, cases[i].message));
    }
    h_expect(h, "health.args", "440000", 2019, "error",
             h_at(h, "health/args.lua", 9,
                  "sql: the query takes 1 parameters, 0 given"));
    /* nothing was written */
    assert_int_equal(h_count(h, "SELECT count(*) FROM fact"), 9);
    assert_int_equal(h_count(h, "SELECT count(*) FROM region"), 7);
    assert_int_equal(h_count(h, "PRAGMA user_version"), ER_SCHEMA_VERSION);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_view__attributes),
        T(test_view__is_read_only_and_has_no_other_fields),
        T(test_view__fact_of_this_year_and_of_another),
        T(test_view__missing_fact_gives_missing),
        T(test_view__missing_fact_inside_pcall_is_still_missing),
        T(test_view__has),
        T(test_view__standard_binding_and_each_scope),
        T(test_view__standard_changing_between_years),
        T(test_view__standard_of_a_bad_scope_is_an_error),
        T(test_view__local_standard_inherited_from_the_parent),
        T(test_view__share_by_tier),
        T(test_view__share_of_a_county_without_a_tier_is_its_citys),
        T(test_view__transfer_of_a_city_is_its_counties_sum),
        T(test_view__share_never_takes_the_provinces_tier),
        T(test_view__split_of_the_item_else_the_citys_default),
        T(test_view__transfer_from_the_city_and_its_options),
        T(test_view__key_not_in_the_catalog_is_a_rule_bug),
        T(test_view__transfer_is_zero_when_none),
        T(test_view__national_average_of_the_year_or_nil),
        T(test_view__children_in_code_order),
        T(test_view__region_of_any_code),
        T(test_view__result_of_a_needed_rule),
        T(test_view__sql_rows_keyed_by_column),
        T(test_view__sql_reads_no_data_version),
        T(test_view__sql_refuses_writes_and_run_tables),
    };
#undef T
    return cmocka_run_group_tests_name("view", tests, NULL, NULL);
}
