/*
 * cmd_publish.c - `equirule publish`: the basic public service list
 * (基本公共服务清单) of a region and a year, as HTML, Markdown, CSV or an
 * Excel workbook, for the public. Options and output as `report`'s, but
 * an -o FILE whose extension names another format, or none of the four,
 * is refused; a list whose items lack their texts is written with a
 * warning.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The extension of a file name (".xlsx"), or NULL when its last
 * component has none. */
static const char *extension_of(const char *path)
{
    if (!path)
        return NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : NULL;
}

/* The format an extension names, or NULL. */
static const char *format_of_extension(const char *ext)
{
    static const struct {
        const char *ext, *format;
    } exts[] = {{".html", "html"},
                {".htm", "html"},
                {".md", "md"},
                {".csv", "csv"},
                {".xlsx", "xlsx"}};
    for (size_t i = 0; ext && i < ER_ARRAY_LEN_MAIN(exts); i++)
        if (strcasecmp(ext, exts[i].ext) == 0)
            return exts[i].format;
    return NULL;
}

int cmd_publish(int argc, char **argv)
{
    const char *dbpath = cli_default_db(), *out = NULL, *format = NULL;
    er_publish_opts po = {0};
    unsigned flags = 0;
    enum { O_EXCEL = 2000, O_FORMAT, O_REGION, O_YEAR };
    static const struct option opts[] = {
        {"db", required_argument, 0, OPT_DB},
        {"format", required_argument, 0, O_FORMAT},
        {"output", required_argument, 0, 'o'},
        {"excel", no_argument, 0, O_EXCEL},
        {"region", required_argument, 0, O_REGION},
        {"year", required_argument, 0, O_YEAR},
        {"help", no_argument, 0, OPT_HELP},
        {0, 0, 0, 0}};
    int c;
    cli_getopt_state g = {"publish", NULL, {{0}}, 0};
    while ((c = cli_getopt(&g, argc, argv, "ho:", opts)) != -1) {
        switch (c) {
        case CLI_OPT_TWICE:
            return EXIT_USAGE;
        case OPT_DB:
            dbpath = optarg;
            break;
        case O_FORMAT:
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case O_EXCEL:
            flags |= ER_CSV_EXCEL;
            break;
        case O_REGION:
            po.region = optarg;
            break;
        case O_YEAR: {
            int to = 0;
            if (!cli_parse_years(optarg, &po.year, &to) || to != po.year)
                return cli_usage_error("publish", "bad year '%s'", optarg);
            break;
        }
        default:
            return cli_help_or_bad_option("publish", c);
        }
    }
    if (optind < argc)
        return cli_usage_error("publish", "unexpected argument '%s'",
                               argv[optind]);
    /* the format: --format, else the extension of -o FILE, else html; an
     * extension that names another format, or none publish writes (x.pdf,
     * x.xls), is refused rather than filled with html */
    const char *ext = out && strcmp(out, "-") != 0 ? extension_of(out) : NULL;
    const char *ext_format = format_of_extension(ext);
    char msg[512];
    if (!format && ext && !ext_format) {
        snprintf(msg, sizeof msg,
                 "-o %s: publish writes html, md, csv or xlsx, not %s; name "
                 "the file .html, .md, .csv or .xlsx, or give --format",
                 out, ext + 1);
        return cli_usage_error("publish", "%s", msg);
    }
    if (!format)
        format = ext_format ? ext_format : "html";
    er_format fmt;
    if (!cli_parse_format(format, "html,md,csv,xlsx", &fmt))
        return cli_usage_error("publish", "format '%s': html, md, csv or xlsx",
                               format);
    er_format ext_fmt;
    if (ext_format && cli_parse_format(ext_format, "html,md,csv,xlsx",
                                       &ext_fmt) &&
        ext_fmt != fmt) {
        snprintf(msg, sizeof msg,
                 "--format %s, but the extension of -o %s names %s: give "
                 "--format %s, or a file name that ends in .%s",
                 format, out, ext_format, ext_format, format);
        return cli_usage_error("publish", "%s", msg);
    }
    if ((flags & ER_CSV_EXCEL) && fmt != ER_FORMAT_CSV)
        return cli_usage_error("publish", "%s",
                               "--excel goes with --format csv");
    /* a workbook is a binary file, never for a terminal or a pipe */
    if (fmt == ER_FORMAT_XLSX && (!out || strcmp(out, "-") == 0))
        return cli_usage_error("publish", "%s",
                               "--format xlsx writes a workbook to a file: "
                               "give -o FILE.xlsx");

    er_db *db = NULL;
    int rc = er_db_open(&db, dbpath, ER_DB_READONLY);
    if (rc != ER_OK)
        return cli_error_exit(rc);
    /* decided before writing: a line after a workbook written through
     * /dev/stdout would spoil it */
    bool to_file = cli_output_is_file(out);
    char *title = NULL;
    /* texts the list shows as — (an upgraded database): said once the list
     * is written, on stderr; the exit status does not change */
    char *lack = er_publish_missing_texts(db, dbpath);
    int status;
    if (fmt == ER_FORMAT_XLSX) {
        rc = er_publish_write_xlsx(db, &po, out, &title);
        er_db_free(db);
        status = rc == ER_OK ? EXIT_OK : cli_error_exit(rc);
    } else {
        cli_output o;
        if (!cli_output_open(&o, out)) {
            er_db_free(db);
            free(lack);
            return EXIT_ERROR;
        }
        rc = er_publish_write(db, &po, fmt, flags, o.fp, &title);
        er_db_free(db);
        status = cli_output_finish(&o, rc);
    }
    if (status == EXIT_OK && to_file)
        printf("%s: %s (%s)\n", out, title, format);
    if (status == EXIT_OK && lack) {
        fflush(stdout); /* after the line that names the file */
        fprintf(stderr, "equirule: warning: %s\n", lack);
    }
    free(lack);
    free(title);
    return status;
}
