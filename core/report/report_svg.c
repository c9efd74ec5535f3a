/*
 * report_svg.c - the SVG charts of the HTML report: pass rates as bars,
 * cuts and allocations by region, per-capita spending by city with the
 * reference mean and the band of the allowed gap, and line charts over the
 * years. Each writes one inline <svg> element; the figure and caption
 * around it are report_html.c's. Colours are the CSS variables of
 * assets/report.css (by `style`), zones' colours those of the data. A
 * number that is not finite is never written: a chart leaves it out.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void put(FILE *fp, const char *s) { er_html_put(fp, s); }

const char *er_html_int(char *buf, size_t size, double v)
{
    if (!isfinite(v)) {
        snprintf(buf, size, "—");
        return buf;
    }
    if (fabs(v) >= 1e15) /* past what an int64_t of fen holds */
        return er_fmt_num(buf, size, v);
    er_fmt_fen(buf, size, (int64_t)llround(v) * 100);
    size_t n = strlen(buf);
    if (n >= 3)
        buf[n - 3] = '\0'; /* drop ".00" */
    return buf;
}

/* Writes the fill of a zone's shape: the zone table's colour, or the
 * page's colour for no zone. */
static void put_zone_fill(const er_report *r, FILE *fp, const char *zone)
{
    const er_rep_zone *z = er_report_zone(r, zone);
    if (z && z->colour && *z->colour) {
        fputs(" fill=\"", fp);
        put(fp, z->colour);
        fputs("\"", fp);
    } else {
        fputs(" style=\"fill:var(--zone-none)\"", fp);
    }
}

/* A "nice" step (1, 2, 2.5 or 5 times a power of ten) giving about
 * `ticks` steps up to `max`. */
static double nice_step(double max, int ticks)
{
    if (!(max > 0) || !isfinite(max))
        return 1;
    double raw = max / ticks;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return n * mag;
}

void er_svg_rates(FILE *fp, const char *cls, const char *title, size_t n,
                  const char *const *labels, const char *const *sublabels,
                  const long *const *counts)
{
    const double right = 120, top = 26, row = 26, bottom = 24, width = 960;
    double height = top + row * (double)n + bottom;
    char rate[32];

    /* room for the longest label: about 6 px per column at 11 px */
    int cols = 0;
    for (size_t i = 0; i < n; i++) {
        int w = er_display_width(labels[i]) +
                (sublabels && sublabels[i] ? 1 + er_display_width(sublabels[i])
                                           : 0);
        if (w > cols)
            cols = w;
    }
    double left = 16 + 6.2 * cols;
    if (left < 120)
        left = 120;
    if (left > 420)
        left = 420;
    double pw = width - left - right;

    fprintf(fp,
            "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\" aria-label=\"",
            width, height, width, height);
    put(fp, title);
    fputs("\">\n", fp);
    for (int t = 0; t <= 4; t++) {
        double x = left + pw * t / 4.0;
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "style=\"stroke:var(--grid)\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d%%"
                "</text>\n",
                x, top - 4, x, height - bottom, x, top - 10, t * 25);
    }
    for (size_t i = 0; i < n; i++) {
        const long *c = counts[i];
        double rt = er_pass_rate(c);
        double y = top + row * (double)i;
        long assessed = 0;
        for (int o = 0; o < ER_OUTCOME_COUNT; o++)
            if (er_outcome_in_pass_rate(o))
                assessed += c[o];
        /* green at 100%, orange from 90%, red below */
        const char *fill = !isfinite(rt) ? "none"
                           : rt >= 1.0   ? "pass"
                           : rt >= 0.9   ? "warn"
                                         : "fail";
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                left - 8, y + row / 2 + 4);
        put(fp, labels[i]);
        if (sublabels && sublabels[i]) {
            fputs(" <tspan style=\"fill:var(--muted)\">", fp);
            put(fp, sublabels[i]);
            fputs("</tspan>", fp);
        }
        fputs("</text>\n", fp);
        double w = isfinite(rt) ? pw * rt : 0;
        fprintf(fp,
                "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\" style=\"fill:var(--%s)\"><title>",
                cls, left, y + 4, w, row - 8, fill);
        put(fp, labels[i]);
        fprintf(fp, " %s</title></rect>\n", er_fmt_rate(rate, sizeof rate, rt));
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">%s（%ld/%ld）</text>\n",
                left + w + 6, y + row / 2 + 4,
                er_fmt_rate(rate, sizeof rate, rt), c[ER_PASS], assessed);
    }
    fputs("</svg>\n", fp);
}

void er_svg_money(const er_report *r, FILE *fp, size_t from, size_t to)
{
    const double left = 150, right = 150, top = 30, row = 24, bottom = 12;
    const double width = 960, pw = width - left - right;
    double height = top + row * (double)(to - from) + bottom;
    int64_t max = 1;
    char num[64];

    for (size_t i = from; i < to; i++) {
        int64_t a = llabs(r->money[i].cut), b = llabs(r->money[i].allocation);
        if (a > max)
            max = a;
        if (b > max)
            max = b;
    }
    fprintf(fp,
            "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\" aria-label=\"%d 年核减与分配\">\n",
            width, height, width, height, r->money[from].year);
    fprintf(fp,
            "<rect x=\"%.1f\" y=\"8\" width=\"12\" height=\"12\" "
            "style=\"fill:var(--cut)\"/><text x=\"%.1f\" y=\"18\">核减 cut"
            "</text><rect x=\"%.1f\" y=\"8\" width=\"12\" height=\"12\" "
            "style=\"fill:var(--allocation)\"/><text x=\"%.1f\" y=\"18\">"
            "分配 allocation</text>\n",
            left, left + 16, left + 110, left + 126);
    for (size_t i = from; i < to; i++) {
        const er_rep_money *m = &r->money[i];
        double y = top + row * (double)(i - from);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
                left - 8, y + row / 2 + 4);
        put(fp, er_rep_region_label(&r->regions[m->region]));
        fputs("</text>\n", fp);
        double x = left;
        const struct {
            int64_t fen;
            const char *colour;
        } parts[] = {{m->cut, "cut"}, {m->allocation, "allocation"}};
        for (size_t k = 0; k < 2; k++) {
            if (!parts[k].fen)
                continue;
            double w = pw * (double)llabs(parts[k].fen) / (double)max / 2.0;
            fprintf(fp,
                    "<rect class=\"money-bar\" x=\"%.1f\" y=\"%.1f\" "
                    "width=\"%.1f\" height=\"%.1f\" "
                    "style=\"fill:var(--%s)\"><title>%s 元</title></rect>\n",
                    x, y + 4, w, row - 8, parts[k].colour,
                    er_fmt_fen(num, sizeof num, parts[k].fen));
            x += w;
        }
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">", x + 6, y + row / 2 + 4);
        if (m->cut)
            fprintf(fp, "核减 %s", er_fmt_fen(num, sizeof num, m->cut));
        if (m->allocation)
            fprintf(fp, "%s分配 %s", m->cut ? "；" : "",
                    er_fmt_fen(num, sizeof num, m->allocation));
        fputs(" 元</text>\n", fp);
    }
    fputs("</svg>\n", fp);
}

/* "25%" for 0.25, "32.5%" for 0.325: a gap as its label shows it. */
static const char *gap_pct(char *buf, size_t size, double v)
{
    char num[64];
    snprintf(buf, size, "%s%%", er_rep_num(num, sizeof num, v * 100.0));
    return buf;
}

void er_svg_percap(const er_report *r, FILE *fp, int year,
                   const er_rep_percap *const *bars, size_t n, double mean,
                   double band_floor, double max_gap)
{
    char num[64], pct[64], pct2[64];
    double max = n ? bars[0]->value : 0;
    if (isfinite(mean) && mean > max)
        max = mean;
    if (!(max > 0))
        max = 1;
    double step = nice_step(max * 1.08, 5);
    double ymax = ceil(max * 1.08 / step) * step;
    if (!isfinite(ymax) || !(ymax > 0)) /* max near DBL_MAX */
        ymax = max;
    const double width = 960, left = 64, right = 118, top = 40;
    double slot = (width - left - right) / (double)(n ? n : 1);
    bool vertical = slot < 36;
    double bottom = vertical ? 86 : 44, height = 404;
    double ph = height - top - bottom;
#define Y(v) (top + ph * (1.0 - (v) / ymax))

    fprintf(fp,
            "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
            "height=\"%.0f\" role=\"img\" aria-label=\"%d 年各市人均基本公共"
            "服务支出\">\n",
            width, height, width, height, year);
    /* legend: the zones of the data */
    double lx = left;
    for (size_t z = 0; z < r->nzones; z++) {
        fprintf(fp, "<rect x=\"%.1f\" y=\"10\" width=\"12\" height=\"12\"",
                lx);
        put_zone_fill(r, fp, r->zones[z].code);
        fprintf(fp, "/><text x=\"%.1f\" y=\"20\">", lx + 16);
        put(fp, r->zones[z].name);
        fputs(" ", fp);
        put(fp, r->zones[z].code);
        fputs("</text>\n", fp);
        lx += 170;
    }
    /* grid */
    for (int t = 0; t * step <= ymax + step / 2 && t <= 100; t++) {
        double v = t * step;
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "style=\"stroke:var(--grid)\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"end\">%s</text>\n",
                left, Y(v), width - right, Y(v), left - 6, Y(v) + 4,
                er_html_int(num, sizeof num, v));
    }
    fprintf(fp,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\">元/人"
            "</text>\n",
            4.0, top - 8);
    /* the band: from its floor up to the mean */
    if (isfinite(mean) && isfinite(band_floor))
        fprintf(fp,
                "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" "
                "width=\"%.1f\" height=\"%.1f\" style=\"fill:var(--band)\"/>\n",
                left, Y(mean), width - right - left, Y(band_floor) - Y(mean));
    /* bars */
    for (size_t i = 0; i < n; i++) {
        const er_rep_percap *p = bars[i];
        const er_rep_region *g = &r->regions[p->region];
        /* a bar fills the middle of its slot, with a margin each side */
        double margin = slot * 0.15;
        double x = left + slot * (double)i + margin, w = slot - 2 * margin;
        double y = Y(p->value);
        fputs("<rect class=\"bar\" data-region=\"", fp);
        put(fp, g->code);
        fputs("\" data-zone=\"", fp);
        put(fp, g->zone);
        fprintf(fp,
                "\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"", x,
                y, w, top + ph - y);
        put_zone_fill(r, fp, g->zone);
        fputs("><title>", fp);
        put(fp, er_rep_region_label(g));
        fprintf(fp, " %s 元/人</title></rect>\n",
                er_html_int(num, sizeof num, p->value));
        if (slot >= 30)
            fprintf(fp,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    "style=\"font-size:9.5px\">%s</text>\n",
                    x + w / 2, y - 3, er_html_int(num, sizeof num, p->value));
        if (vertical)
            fprintf(fp,
                    "<text transform=\"translate(%.1f %.1f) rotate(-60)\" "
                    "text-anchor=\"end\">",
                    x + w / 2 + 3, top + ph + 10);
        else
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                    x + w / 2, top + ph + 16);
        put(fp, er_rep_region_label(g));
        fputs("</text>\n", fp);
        /* the zone in words too, so that a black-and-white copy keeps it */
        if (vertical)
            continue;
        const er_rep_zone *z = er_report_zone(r, g->zone);
        fprintf(fp,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                "style=\"font-size:9.5px;fill:var(--muted)\">",
                x + w / 2, top + ph + 29);
        put(fp, z && z->short_name ? z->short_name : "");
        fputs("</text>\n", fp);
    }
    /* the mean and the band's floor, drawn over the bars */
    if (isfinite(mean)) {
        fprintf(fp,
                "<line class=\"core-mean\" x1=\"%.1f\" y1=\"%.1f\" "
                "x2=\"%.1f\" y2=\"%.1f\" style=\"stroke:var(--mean)\" "
                "stroke-width=\"1.5\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\">核心区人均</text>"
                "<text x=\"%.1f\" y=\"%.1f\">%s 元/人</text>\n",
                left, Y(mean), width - right, Y(mean), width - right + 6,
                Y(mean) - 2, width - right + 6, Y(mean) + 11,
                er_html_int(num, sizeof num, mean));
    }
    if (isfinite(mean) && isfinite(band_floor)) {
        fprintf(fp,
                "<line class=\"band-floor\" x1=\"%.1f\" y1=\"%.1f\" "
                "x2=\"%.1f\" y2=\"%.1f\" style=\"stroke:var(--fail)\" "
                "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" style=\"fill:var(--fail)\">"
                "%s（差距 %s）</text><text x=\"%.1f\" y=\"%.1f\" "
                "style=\"fill:var(--fail)\">%s 元/人</text>\n",
                left, Y(band_floor), width - right, Y(band_floor),
                width - right + 6, Y(band_floor) + 2,
                gap_pct(pct, sizeof pct, 1.0 - max_gap),
                gap_pct(pct2, sizeof pct2, max_gap), width - right + 6,
                Y(band_floor) + 15, er_html_int(num, sizeof num, band_floor));
    }
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "style=\"stroke:var(--axis)\"/>\n</svg>\n",
            left, top + ph, width - right, top + ph);
#undef Y
}

/* "25%" for 0.25, with a decimal only where the step needs one. */
static const char *axis_rate(char *buf, size_t size, double v)
{
    double pct = v * 100.0;
    if (fabs(pct - round(pct)) < 1e-9)
        snprintf(buf, size, "%.0f%%", pct);
    else
        snprintf(buf, size, "%.1f%%", pct);
    return buf;
}

void er_svg_line(FILE *fp, const char *cls, const char *label,
                 const int *years, const double *values,
                 const double *threshold, size_t n)
{
    const double width = 470, height = 230, left = 50, right = 20, top = 20,
                 bottom = 30;
    double pw = width - left - right, ph = height - top - bottom;
    double max = 0;
    char buf[32];
    for (size_t i = 0; i < n; i++) {
        if (isfinite(values[i]) && values[i] > max)
            max = values[i];
        if (threshold && isfinite(threshold[i]) && threshold[i] > max)
            max = threshold[i];
    }
    double step = nice_step(max > 0 ? max * 1.15 : 1, 4);
    double ymax = ceil((max > 0 ? max * 1.15 : 1) / step) * step;
    if (!isfinite(ymax) || !(ymax > 0))
        ymax = max > 0 ? max : 1;
    if (strcmp(cls, "trend-rate") == 0)
        ymax = 1.0, step = 0.25;
#define X(i)                                                                   \
    (left + 30 +                                                               \
     (n > 1 ? (pw - 60) * (double)(i) / (double)(n - 1) : (pw - 60) / 2))
#define Y(v) (top + ph * (1.0 - (v) / ymax))
    fprintf(fp,
            "<svg class=\"chart %s\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"",
            cls, width, height, width, height);
    put(fp, label);
    fputs("\">\n", fp);
    for (int t = 0; t * step <= ymax + step / 2 && t <= 100; t++)
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "style=\"stroke:var(--grid)\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"end\">%s</text>\n",
                left, Y(t * step), width - right, Y(t * step), left - 6,
                Y(t * step) + 4, axis_rate(buf, sizeof buf, t * step));
    for (size_t i = 0; i < n; i++)
        fprintf(fp,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d"
                "</text>\n",
                X(i), height - 10, years[i]);
    if (threshold) {
        fputs("<polyline fill=\"none\" style=\"stroke:var(--fail)\" "
              "stroke-width=\"1.5\" stroke-dasharray=\"6 4\" points=\"",
              fp);
        for (size_t i = 0; i < n; i++)
            if (isfinite(threshold[i]))
                fprintf(fp, "%.1f,%.1f ", X(i), Y(threshold[i]));
        fputs("\"/>\n", fp);
    }
    fputs("<polyline fill=\"none\" style=\"stroke:var(--accent)\" "
          "stroke-width=\"2\" points=\"",
          fp);
    for (size_t i = 0; i < n; i++)
        if (isfinite(values[i]))
            fprintf(fp, "%.1f,%.1f ", X(i), Y(values[i]));
    fputs("\"/>\n", fp);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            continue;
        fprintf(fp,
                "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
                "style=\"fill:var(--accent)\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"middle\">%s</text>\n",
                X(i), Y(values[i]), X(i), Y(values[i]) - 8,
                er_fmt_rate(buf, sizeof buf, values[i]));
    }
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "style=\"stroke:var(--axis)\"/>\n</svg>\n",
            left, top + ph, width - right, top + ph);
#undef X
#undef Y
}

/* "62.3%" for 0.623. */
static const char *share_pct(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.1f%%", v * 100.0);
    return buf;
}

void er_svg_shares(FILE *fp, const char *cls, const char *label, size_t n,
                   const int *years, const double *a, const double *b,
                   const char *name_a, const char *name_b)
{
    const double width = 700, left = 56, right = 16, top = 30, barh = 26,
                 gap = 12;
    double pw = width - left - right;
    double height = top + (double)n * (barh + gap) + 4;
    char pa[32], pb[32], va[64], vb[64];
    fprintf(fp,
            "<svg class=\"chart %s\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"",
            cls, width, height, width, height);
    put(fp, label);
    fputs("\">\n", fp);
    /* the legend */
    fputs("<rect x=\"56\" y=\"6\" width=\"12\" height=\"12\" "
          "style=\"fill:var(--between)\"/><text x=\"72\" y=\"16\">",
          fp);
    put(fp, name_a);
    fputs("</text><rect x=\"300\" y=\"6\" width=\"12\" height=\"12\" "
          "style=\"fill:var(--within)\"/><text x=\"316\" y=\"16\">",
          fp);
    put(fp, name_b);
    fputs("</text>\n", fp);
    for (size_t i = 0; i < n; i++) {
        double y = top + (double)i * (barh + gap);
        double sum = a[i] + b[i];
        fprintf(fp,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n",
                left - 8, y + barh / 2 + 5, years[i]);
        if (!isfinite(a[i]) || !isfinite(b[i]) || !(sum > 0) ||
            a[i] < 0 || b[i] < 0) {
            fprintf(fp,
                    "<text class=\"noshare\" x=\"%.1f\" y=\"%.1f\">无法分解"
                    "（缺少数值或不是正数）</text>\n",
                    left + 4, y + barh / 2 + 5);
            continue;
        }
        double sa = a[i] / sum, wa = pw * sa;
        fprintf(fp,
                "<g class=\"share\" data-year=\"%d\" data-a=\"%.6f\" "
                "data-b=\"%.6f\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.0f\" style=\"fill:var(--between)\"/>"
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.0f\" "
                "style=\"fill:var(--within)\"/>",
                years[i], sa, 1 - sa, left, y, wa, barh, left + wa, y,
                pw - wa, barh);
        er_goal_num(va, sizeof va, a[i]);
        er_goal_num(vb, sizeof vb, b[i]);
        share_pct(pa, sizeof pa, sa);
        share_pct(pb, sizeof pb, 1 - sa);
        /* labels inside their part when it is wide enough, else beside */
        if (wa >= 120)
            fprintf(fp,
                    "<text x=\"%.1f\" y=\"%.1f\" style=\"fill:#fff\">%s"
                    "（%s）</text>",
                    left + 6, y + barh / 2 + 5, pa, va);
        if (pw - wa >= 120)
            fprintf(fp,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s"
                    "（%s）</text>",
                    left + pw - 6, y + barh / 2 + 5, pb, vb);
        if (wa < 120 || pw - wa < 120)
            fprintf(fp,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                    "%s（%s） : %s（%s）</text>",
                    left + pw / 2, y + barh / 2 + 5, pa, va, pb, vb);
        fputs("</g>\n", fp);
    }
    fputs("</svg>\n", fp);
}

void er_svg_goal(FILE *fp, const char *label, const er_rep_goalpt *pts,
                 size_t n, int goal, int64_t run)
{
    const double width = 560, height = 250, left = 60, right = 20, top = 20,
                 bottom = 30;
    double pw = width - left - right, ph = height - top - bottom;
    int y0 = goal, y1 = goal;
    double max = 0, min = 0;
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        if (pts[i].year < y0)
            y0 = pts[i].year;
        if (pts[i].year > y1)
            y1 = pts[i].year;
        if (pts[i].has_measured && isfinite(pts[i].measured)) {
            max = fmax(max, pts[i].measured);
            min = fmin(min, pts[i].measured);
        }
        if (pts[i].has_required && isfinite(pts[i].required)) {
            max = fmax(max, pts[i].required);
            min = fmin(min, pts[i].required);
        }
    }
    double step = nice_step(max > 0 ? max * 1.15 : 1, 4);
    double ymax = ceil((max > 0 ? max * 1.15 : 1) / step) * step;
    if (!isfinite(ymax) || !(ymax > 0))
        ymax = max > 0 ? max : 1;
    double ymin = min < 0 ? floor(min * 1.15 / step) * step : 0;
    int span = y1 - y0;
#define X(year)                                                                \
    (left + 30 +                                                               \
     (span > 0 ? (pw - 60) * (double)((year) - y0) / (double)span             \
               : (pw - 60) / 2))
#define Y(v) (top + ph * (1.0 - ((v) - ymin) / (ymax - ymin)))
    fprintf(fp,
            "<svg class=\"chart goal\" viewBox=\"0 0 %.0f %.0f\" "
            "width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"",
            width, height, width, height);
    put(fp, label);
    fputs("\">\n", fp);
    for (int t = 0; ymin + t * step <= ymax + step / 2 && t <= 100; t++) {
        double v = ymin + t * step;
        fprintf(fp,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "style=\"stroke:var(--grid)\"/><text x=\"%.1f\" y=\"%.1f\" "
                "text-anchor=\"end\">%s</text>\n",
                left, Y(v), width - right, Y(v), left - 6, Y(v) + 4,
                er_fmt_num(buf, sizeof buf, fabs(v) < step / 1e6 ? 0 : v));
    }
    for (int y = y0; y <= y1 && y - y0 <= 100; y++)
        fprintf(fp,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d"
                "</text>\n",
                X(y), height - 10, y);
    /* the goal year */
    fprintf(fp,
            "<line class=\"goal-year\" data-year=\"%d\" x1=\"%.1f\" "
            "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" style=\"stroke:var(--mean)\""
            " stroke-dasharray=\"2 3\"/><text x=\"%.1f\" y=\"%.1f\" "
            "text-anchor=\"middle\">目标 %d</text>\n",
            goal, X(goal), top, X(goal), top + ph, X(goal), top - 6, goal);
    /* the target: the required value of each point */
    fputs("<polyline class=\"target\" fill=\"none\" "
          "style=\"stroke:var(--fail)\" stroke-width=\"1.5\" "
          "stroke-dasharray=\"6 4\" points=\"",
          fp);
    for (size_t i = 0; i < n; i++)
        if (pts[i].has_required && isfinite(pts[i].required))
            fprintf(fp, "%.1f,%.1f ", X(pts[i].year), Y(pts[i].required));
    fputs("\"/>\n<polyline fill=\"none\" style=\"stroke:var(--accent)\" "
          "stroke-width=\"2\" points=\"",
          fp);
    for (size_t i = 0; i < n; i++)
        if (pts[i].has_measured && isfinite(pts[i].measured))
            fprintf(fp, "%.1f,%.1f ", X(pts[i].year), Y(pts[i].measured));
    fputs("\"/>\n", fp);
    for (size_t i = 0; i < n; i++) {
        if (!pts[i].has_measured || !isfinite(pts[i].measured))
            continue;
        bool other = pts[i].run != run;
        fprintf(fp,
                "<circle class=\"point%s\" data-year=\"%d\" cx=\"%.1f\" "
                "cy=\"%.1f\" r=\"4\" style=\"fill:%s;stroke:var(--accent)\"/>"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s",
                other ? " other-run" : "", pts[i].year, X(pts[i].year),
                Y(pts[i].measured), other ? "#fff" : "var(--accent)",
                X(pts[i].year), Y(pts[i].measured) - 8,
                er_goal_num(buf, sizeof buf, pts[i].measured));
        fputs("</text>\n", fp);
        if (other) /* below the point: the label above is the value's */
            fprintf(fp,
                    "<text class=\"other-run\" x=\"%.1f\" y=\"%.1f\" "
                    "text-anchor=\"middle\">取自运行 #%lld</text>\n",
                    X(pts[i].year), Y(pts[i].measured) + 18,
                    (long long)pts[i].run);
    }
    fprintf(fp,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
            "style=\"stroke:var(--axis)\"/>\n</svg>\n",
            left, Y(ymin), width - right, Y(ymin));
#undef X
#undef Y
}
