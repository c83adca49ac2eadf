#!/usr/bin/env python3
"""Reads a .vcf file with a real vCard parser (PyPI `vobject`, installed by
`make vobject-deps` into .venv-vobject/) and prints what it found as JSON.

Usage: .venv-vobject/bin/python Tests/cli/read_vcf.py FILE.vcf

Prints {"crlf": bool, "maxLineOctets": n, "cards": [{"fn", "n", "org", "title",
"tel", "email", "version"}, ...]}: `crlf` every line ends in CRLF; `maxLineOctets`
the longest physical line in UTF-8 octets (without its CRLF). Exits 1 when the
file is not UTF-8 or does not parse.
"""
import json
import sys

import vobject


def value(card, name):
    items = card.contents.get(name.lower())
    if not items:
        return None
    v = items[0].value
    if name == "ORG":
        return ";".join(v) if isinstance(v, list) else v
    if name == "N":
        return [v.family, v.given]
    return v


def main():
    raw = open(sys.argv[1], "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print("read_vcf: not UTF-8: %s" % e, file=sys.stderr)
        sys.exit(1)
    body = raw[:-2] if raw.endswith(b"\r\n") else raw
    lines = body.split(b"\r\n")
    crlf = raw.endswith(b"\r\n") and all(b"\n" not in l and b"\r" not in l for l in lines)
    cards = []
    try:
        for card in vobject.readComponents(text, validate=False):
            cards.append({k.lower(): value(card, k) for k in ["FN", "N", "ORG", "TITLE", "TEL", "EMAIL", "VERSION"]})
    except Exception as e:  # noqa: BLE001 - any parse error fails the check
        print("read_vcf: does not parse: %s" % e, file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"crlf": crlf, "maxLineOctets": max(len(l) for l in lines), "cards": cards}, ensure_ascii=False))


main()
