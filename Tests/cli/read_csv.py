#!/usr/bin/python3
"""Reads a CSV file the way a spreadsheet import would, with Python's `csv` module,
and prints what it found as JSON.

Usage: /usr/bin/python3 Tests/cli/read_csv.py FILE.csv

Prints {"bom": bool, "crlf": bool, "bareLF": bool, "header": [...], "rows": [[...], ...]}:
`bom` the file starts with the UTF-8 byte-order mark (EF BB BF); `crlf` every line
break outside quoted cells is CRLF; `bareLF` some line break outside quoted cells is
a lone LF. The cells are the parsed values (quotes removed, "" unescaped), read as
UTF-8 after the BOM. Exits 1 when the file is not UTF-8 or not valid CSV (strict).
"""

import csv
import io
import json
import sys


def fail(message):
    print("read_csv: " + message, file=sys.stderr)
    sys.exit(1)


def line_breaks(text):
    """The line breaks outside quoted cells: (count of CRLF, count of bare LF)."""
    crlf = bare = 0
    quoted = False
    previous = ""
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            if previous == "\r":
                crlf += 1
            else:
                bare += 1
        previous = ch
    return crlf, bare


def main():
    if len(sys.argv) != 2:
        fail("usage: read_csv.py FILE.csv")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("not UTF-8: %s" % e)
    crlf, bare = line_breaks(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        fail("not valid CSV: %s" % e)
    if not rows:
        fail("no header row")
    print(json.dumps({
        "bom": bom,
        "crlf": crlf > 0 and bare == 0,
        "bareLF": bare > 0,
        "header": rows[0],
        "rows": rows[1:],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
