#!/usr/bin/env python3
"""Prints what an .xlsx file holds, as JSON, for tables_xlsx_test.cpp.

Reads the workbook with nothing but Python's zipfile and ElementTree (not with srma's writer or
libxlsxwriter), so the test checks the file as a reader sees it: the sheets' names, and for the
first sheet every cell (reference, type, value with shared strings resolved, bold or not, number
format code), the frozen pane, the column widths, and the document's title and creation time.

Usage: xlsx_dump.py FILE.xlsx
"""
import json
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
# Number formats built into Excel (ECMA-376 Part 1, 18.8.30), those a table may use.
BUILTIN_NUMFMT = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 49: "@"}


def text_of(si):
    """The text of a shared string item: its <t>, or the <t> of each rich-text run."""
    return "".join(t.text or "" for t in si.iter("{%s}t" % NS["m"]))


def main(path):
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        if bad is not None:
            raise SystemExit("corrupt member: " + bad)
        names = set(z.namelist())
        workbook = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
        sheets = workbook.findall("m:sheets/m:sheet", NS)
        sheet_names = [s.get("name") for s in sheets]
        first = "xl/" + targets[sheets[0].get("{%s}id" % NS["r"])]

        shared = []
        if "xl/sharedStrings.xml" in names:
            sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
            shared = [text_of(si) for si in sst.findall("m:si", NS)]

        styles = ET.fromstring(z.read("xl/styles.xml"))
        numfmts = dict(BUILTIN_NUMFMT)
        for f in styles.findall("m:numFmts/m:numFmt", NS):
            numfmts[int(f.get("numFmtId"))] = f.get("formatCode")
        fonts = styles.findall("m:fonts/m:font", NS)
        xfs = styles.findall("m:cellXfs/m:xf", NS)

        def style(index):
            xf = xfs[index]
            font = fonts[int(xf.get("fontId", "0"))]
            return {
                "bold": font.find("m:b", NS) is not None,
                "numfmt": numfmts.get(int(xf.get("numFmtId", "0")), "?"),
                "wrap": (xf.find("m:alignment", NS) is not None
                         and xf.find("m:alignment", NS).get("wrapText") == "1"),
            }

        ws = ET.fromstring(z.read(first))
        cells = []
        for c in ws.iter("{%s}c" % NS["m"]):
            kind = c.get("t", "n")
            v = c.find("m:v", NS)
            if kind == "s":
                value = shared[int(v.text)]
            elif kind == "inlineStr":
                value = text_of(c.find("m:is", NS))
            else:
                value = v.text if v is not None else None
            cell = {"ref": c.get("r"), "type": kind, "value": value}
            cell.update(style(int(c.get("s", "0"))))
            cells.append(cell)

        pane = ws.find("m:sheetViews/m:sheetView/m:pane", NS)
        freeze = None
        if pane is not None:
            freeze = {k: pane.get(k) for k in ("xSplit", "ySplit", "topLeftCell", "state")}
        cols = [{"min": int(c.get("min")), "max": int(c.get("max")), "width": float(c.get("width"))}
                for c in ws.findall("m:cols/m:col", NS)]

        core = ET.fromstring(z.read("docProps/core.xml"))
        title = core.find("dc:title", NS)
        created = core.find("dcterms:created", NS)
        out = {
            "sheets": sheet_names,
            "cells": cells,
            "freeze": freeze,
            "cols": cols,
            "title": title.text if title is not None else None,
            "created": created.text if created is not None else None,
        }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
