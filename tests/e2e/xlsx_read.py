#!/usr/bin/env python3
"""xlsx_read.py - reads an .xlsx workbook back with the standard library
only (zipfile, xml.etree) for the end-to-end tests, and prints it as JSON:

  {"parts": [...], "content_types": {part: type},
   "sheets": [{"name": ..., "rows": [[cell, ...], ...],
               "frozen": "A2" or null, "autofilter": "A1:M42" or null,
               "formats": {"B2": "#,##0.00", ...}}]}

A cell is a number (float) or a string; an empty cell is null. "formats"
lists the number format of every cell that has a custom one. Any part that
is not well-formed XML, a sheet the workbook names but the package lacks,
or a relationship that points nowhere makes it fail (exit status 1).

usage: xlsx_read.py FILE.xlsx
"""
import json
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
RID = "{%s}id" % NS["r"]


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n - 1


def text_of(si):
    # a shared or inline string: its <t> elements, rich runs included
    return "".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))


def main(path):
    z = zipfile.ZipFile(path)
    if z.testzip() is not None:
        raise SystemExit("xlsx_read: a damaged member in " + path)
    parts = z.namelist()
    # every XML part must parse
    trees = {}
    for p in parts:
        if p.endswith(".xml") or p.endswith(".rels"):
            trees[p] = ET.fromstring(z.read(p))
    types = {}
    for o in trees["[Content_Types].xml"]:
        if o.tag == "{%s}Override" % NS["ct"]:
            types[o.get("PartName").lstrip("/")] = o.get("ContentType")
    for p in types:
        if p not in parts:
            raise SystemExit("xlsx_read: [Content_Types].xml names missing " + p)

    shared = []
    if "xl/sharedStrings.xml" in trees:
        shared = [text_of(si) for si in trees["xl/sharedStrings.xml"]]

    # number formats of the cell styles
    styles = trees["xl/styles.xml"]
    numfmts = {int(f.get("numFmtId")): f.get("formatCode")
               for f in styles.iter("{%s}numFmt" % NS["m"])}
    xfs = styles.find("m:cellXfs", NS)
    style_fmt = [numfmts.get(int(x.get("numFmtId", "0"))) for x in xfs]

    rels = {r.get("Id"): r.get("Target")
            for r in trees["xl/_rels/workbook.xml.rels"]}
    sheets = []
    for s in trees["xl/workbook.xml"].find("m:sheets", NS):
        target = rels[s.get(RID)]
        part = "xl/" + target if not target.startswith("/") else target[1:]
        if part not in trees:
            raise SystemExit("xlsx_read: sheet part missing: " + part)
        ws = trees[part]
        rows, formats = [], {}
        for row in ws.iter("{%s}row" % NS["m"]):
            r = int(row.get("r")) - 1
            while len(rows) <= r:
                rows.append([])
            cells = rows[r]
            for c in row.findall("m:c", NS):
                ref = c.get("r")
                i = column_index(ref)
                while len(cells) <= i:
                    cells.append(None)
                t = c.get("t")
                v = c.find("m:v", NS)
                if t == "s":
                    cells[i] = shared[int(v.text)]
                elif t == "inlineStr":
                    cells[i] = text_of(c.find("m:is", NS))
                elif t == "str":
                    raise SystemExit("xlsx_read: a formula in " + ref)
                elif v is not None:
                    cells[i] = float(v.text)
                fmt = style_fmt[int(c.get("s", "0"))]
                if fmt:
                    formats[ref] = fmt
        pane = ws.find("m:sheetViews/m:sheetView/m:pane", NS)
        frozen = (pane.get("topLeftCell")
                  if pane is not None and pane.get("state") == "frozen"
                  else None)
        af = ws.find("m:autoFilter", NS)
        sheets.append({"name": s.get("name"), "rows": rows, "frozen": frozen,
                       "autofilter": af.get("ref") if af is not None else None,
                       "formats": formats})
    json.dump({"parts": parts, "content_types": types, "sheets": sheets},
              sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
