/*
 * test_publish.c - the public service list (`equirule publish`) as a
 * resident reads it, on the built-in sample with edits made here: which
 * standards are shown and which one is marked as applying (equal ones, a
 * county under its city's local standard, a variant without words), the
 * shares in words (a county that takes its city's tier, an item without a
 * share), what an item without texts or standards says, every text of
 * the data escaped, and what is refused with nothing written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char path[64];
    er_db *db;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->path, sizeof f->path, "/tmp/er_test_publish_XXXXXX");
    int fd = mkstemp(f->path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(er_db_init(&f->db, f->path, NULL), ER_OK);
    assert_int_equal(er_db_load_sample(f->db), ER_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char side[96];
    er_db_free(f->db);
    unlink(f->path);
    snprintf(side, sizeof side, "%s-wal", f->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    unlink(side);
    free(f);
    return 0;
}

static void sql(struct fixture *f, const char *s)
{
    char *err = NULL;
    if (sqlite3_exec(f->db->db, s, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", s, err);
}

static er_pub_list *load(struct fixture *f, const char *region, int year)
{
    er_publish_opts o = {.region = region, .year = year};
    er_pub_list *l = NULL;
    if (er_pub_list_load(f->db, &o, &l) != ER_OK)
        fail_msg("load %s %d: %s", region ? region : "-", year, er_errmsg());
    return l;
}

static const er_pub_item *item(const er_pub_list *l, const char *name)
{
    for (size_t i = 0; i < l->nitems; i++)
        if (l->items[i].name && strcmp(l->items[i].name, name) == 0)
            return &l->items[i];
    fail_msg("no item %s", name);
    return NULL;
}

/* The list written in `fmt` as one string (caller frees). */
static char *write_list(struct fixture *f, const char *region, int year,
                        er_format fmt, unsigned flags, int *rc)
{
    er_publish_opts o = {.region = region, .year = year};
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    *rc = er_publish_write(f->db, &o, fmt, flags, fp, NULL);
    fclose(fp);
    return buf;
}

#define PENSION "城乡居民基本养老保险补助"

static void test_publish__province_lists_every_item_in_file_order(void **state)
{
    struct fixture *f = *state;
    er_pub_list *l = load(f, NULL, 0);
    assert_int_equal(l->year, 2020);
    assert_string_equal(l->title, "广东省基本公共服务清单（2020年）");
    assert_string_equal(l->basis, "粤财办〔2019〕1号 二(一)2");
    assert_int_equal(l->nitems, 18);
    assert_string_equal(l->items[0].name, "公用经费保障");
    assert_string_equal(l->items[17].name, "城乡保障性安居工程");
    /* the province shows no city's local standard */
    const er_pub_item *p = item(l, PENSION);
    assert_int_equal(p->nstandards, 2);
    assert_string_equal(p->standards[0].scope, "国家标准");
    assert_true(p->standards[0].value == 93);
    assert_false(p->standards[0].applies);
    assert_string_equal(p->standards[1].scope, "省标准");
    assert_true(p->standards[1].value == 170);
    assert_true(p->standards[1].applies);
    assert_string_equal(p->shares, "省级按分档比例分担：第一档省级承担 70%，"
                                   "第二档省级承担 50%，第三档省级承担 30%");
    er_pub_list_free(l);
}

static void test_publish__variants_named_from_the_metric_catalog(void **state)
{
    struct fixture *f = *state;
    er_pub_list *l = load(f, "梅州市", 2020);
    const er_pub_item *p = item(l, "公用经费保障");
    assert_int_equal(p->nstandards, 2);
    assert_string_equal(p->standards[0].variant, "小学");
    assert_string_equal(p->standards[1].variant, "初中");
    /* each variant has its own standard that applies */
    assert_true(p->standards[0].applies && p->standards[1].applies);
    er_pub_list_free(l);
    /* a variant no metric names shows no words, never its key */
    sql(f, "INSERT INTO standard(key, scope, year_from, value, unit, basis) "
           "VALUES ('health.public_health.rural', 'national', 2020, 80, "
           "'元/人', '示例')");
    l = load(f, "梅州市", 2020);
    p = item(l, "基本公共卫生服务");
    assert_int_equal(p->nstandards, 2);
    assert_null(p->standards[0].variant);
    assert_null(p->standards[1].variant);
    assert_true(p->standards[0].applies && p->standards[1].applies);
    er_pub_list_free(l);
}

static void test_publish__equal_standards_mark_the_narrowest(void **state)
{
    struct fixture *f = *state;
    sql(f, "INSERT INTO standard(key, scope, year_from, year_to, value, "
           "unit, basis) VALUES ('medical.resident_insurance', 'provincial', "
           "2020, 2020, 550, '元/人·年', '示例')");
    er_pub_list *l = load(f, NULL, 2020);
    const er_pub_item *p = item(l, "城乡居民基本医疗保险补助");
    assert_int_equal(p->nstandards, 2);
    assert_false(p->standards[0].applies);
    assert_true(p->standards[1].applies);
    er_pub_list_free(l);
}

static void test_publish__county_under_its_citys_local_standard(void **state)
{
    struct fixture *f = *state;
    /* 荔湾区 has no standard of its own: 广州市's, named; and no tier:
     * 广州市's, said so */
    sql(f, "UPDATE region SET tier = NULL WHERE code = '440103'");
    er_pub_list *l = load(f, "440103", 2020);
    assert_string_equal(l->title, "荔湾区基本公共服务清单（2020年）");
    const er_pub_item *p = item(l, PENSION);
    assert_int_equal(p->nstandards, 3);
    assert_string_equal(p->standards[2].scope, "市标准");
    assert_string_equal(p->standards[2].owner, "广州市");
    assert_true(p->standards[2].value == 200);
    assert_true(p->standards[2].applies);
    assert_false(p->standards[1].applies);
    assert_string_equal(p->shares,
                        "荔湾区（广州市第三档）：省级承担 30%，市县承担 70%；"
                        "市县承担部分中，广州市承担 50%，所辖县（市、区）承担 "
                        "50%");
    er_pub_list_free(l);
    /* a county's own local standard wins over its city's */
    sql(f, "INSERT INTO standard(key, scope, region, year_from, value, unit, "
           "basis) VALUES ('pension.resident_basic', 'local', '440103', "
           "2020, 180, '元/人·月', '示例')");
    l = load(f, "荔湾区", 2020);
    p = item(l, PENSION);
    assert_int_equal(p->nstandards, 3);
    assert_string_equal(p->standards[2].scope, "县标准");
    assert_null(p->standards[2].owner);
    assert_true(p->standards[2].value == 180);
    assert_true(p->standards[2].applies);
    er_pub_list_free(l);
}

static void test_publish__what_is_missing_is_said_in_words(void **state)
{
    struct fixture *f = *state;
    sql(f, "UPDATE item SET served = NULL, lead = '  ' WHERE code = "
           "'housing.affordable'");
    int rc;
    char *csv = write_list(f, "441400", 2020, ER_FORMAT_CSV, 0, &rc);
    assert_int_equal(rc, ER_OK);
    /* no standard, no share: said; no texts: empty cells */
    const char *row = strstr(csv, "\n18,");
    assert_non_null(row);
    assert_non_null(strstr(row, ",基本住房保障,城乡保障性安居工程,\"\","));
    assert_non_null(strstr(row, ",本年度暂无服务标准,"));
    assert_non_null(strstr(row, "梅州市（第一档）：2020年未设省级分担比例"));
    assert_true(row[strlen(row) - 2] == '"'); /* lead: empty */
    free(csv);
    char *html = write_list(f, "441400", 2020, ER_FORMAT_HTML, 0, &rc);
    assert_int_equal(rc, ER_OK);
    assert_non_null(strstr(html, "<td class=\"served\">—</td>"));
    assert_non_null(strstr(html, "<td class=\"lead\">—</td>"));
    free(html);
}

static void test_publish__every_text_escaped(void **state)
{
    struct fixture *f = *state;
    sql(f, "UPDATE item SET served = '<script>x</script>', content = "
           "'=1+2', lead = 'a|b' WHERE code = 'edu.textbooks'");
    int rc;
    char *html = write_list(f, NULL, 2020, ER_FORMAT_HTML, 0, &rc);
    assert_int_equal(rc, ER_OK);
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;script&gt;x&lt;/script&gt;"));
    free(html);
    char *csv = write_list(f, NULL, 2020, ER_FORMAT_CSV, ER_CSV_EXCEL, &rc);
    assert_int_equal(rc, ER_OK);
    assert_memory_equal(csv, "\xEF\xBB\xBF序号,", 10);
    assert_non_null(strstr(csv, ",'=1+2,"));
    free(csv);
    char *md = write_list(f, NULL, 2020, ER_FORMAT_MD, 0, &rc);
    assert_int_equal(rc, ER_OK);
    assert_non_null(strstr(md, "| a\\|b |"));
    free(md);
}

static void test_publish__refused_with_nothing_written(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *region;
        int year;
        er_format fmt;
        const char *msg;
    } cases[] = {
        {"449999", 2020, ER_FORMAT_HTML, "no region '449999'"},
        {NULL, 2030, ER_FORMAT_HTML,
         "no data for 2030: the data holds the years 2018 to 2020"},
        {"梅州", 2017, ER_FORMAT_CSV, "no data for 2017"},
        {NULL, 2020, ER_FORMAT_JSON, "html, md, csv or xlsx"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        er_publish_opts o = {.region = cases[i].region, .year = cases[i].year};
        char *buf = NULL, *title = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&buf, &len);
        assert_non_null(fp);
        assert_int_equal(
            er_publish_write(f->db, &o, cases[i].fmt, 0, fp, &title),
            ER_EUSAGE);
        fclose(fp);
        if (!strstr(er_errmsg(), cases[i].msg))
            fail_msg("case %zu: %s", i, er_errmsg());
        assert_int_equal(len, 0);
        assert_null(title);
        free(buf);
    }
    /* a workbook: no file either */
    char path[] = "/tmp/er_test_publish_book.xlsx";
    unlink(path);
    er_publish_opts o = {.region = "不存在"};
    assert_int_equal(er_publish_write_xlsx(f->db, &o, path, NULL), ER_EUSAGE);
    assert_int_equal(access(path, F_OK), -1);
}

/* Items that lack the list's texts (NULL, as after the upgrade to schema
 * 14, or blanks only: what the list shows as —) are counted per text, and
 * the line says how to fill them in; none lacking: NULL. */
static void test_publish__items_without_texts_are_counted(void **state)
{
    struct fixture *f = *state;
    assert_null(er_publish_missing_texts(f->db, "gd.db"));
    sql(f, "UPDATE item SET served = NULL, content = NULL, "
           "responsibility = NULL, lead = NULL");
    char *s = er_publish_missing_texts(f->db, "gd.db");
    assert_non_null(s);
    assert_string_equal(
        s, "18 of the 18 items lack texts of the list: served (服务对象) 18, "
           "content (服务内容) 18, responsibility (支出责任) 18, lead "
           "(牵头负责单位) 18; the list shows — for them. Fill them in: "
           "equirule export --db gd.db item -o item.csv, fill in those "
           "columns, then equirule import --db gd.db --replace item "
           "item.csv");
    free(s);
    sql(f, "UPDATE item SET served = '学生', content = '教科书', "
           "responsibility = '省级', lead = '省教育厅'");
    sql(f, "UPDATE item SET lead = ' ' WHERE code = 'edu.textbooks'");
    sql(f, "UPDATE item SET served = NULL, lead = NULL WHERE code = "
           "'assist.hardship'");
    s = er_publish_missing_texts(f->db, NULL);
    assert_non_null(s);
    char want[512];
    snprintf(want, sizeof want,
             "2 of the 18 items lack texts of the list: served (服务对象) 1, "
             "lead (牵头负责单位) 2; the list shows — for them. Fill them in: "
             "equirule export --db %s item -o item.csv",
             f->path);
    assert_memory_equal(s, want, strlen(want));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_publish__province_lists_every_item_in_file_order, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_publish__variants_named_from_the_metric_catalog, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_publish__equal_standards_mark_the_narrowest, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish__county_under_its_citys_local_standard, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_publish__what_is_missing_is_said_in_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_publish__every_text_escaped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_publish__refused_with_nothing_written, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish__items_without_texts_are_counted, setup, teardown),
    };
    return cmocka_run_group_tests_name("publish", tests, NULL, NULL);
}
