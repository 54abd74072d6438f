#!/usr/bin/env python3
"""Small helper for the zh_Hans catalogues (no third-party packages).

    scripts/po.py todo PO            print untranslated and fuzzy msgids as JSON {msgid: ""}
    scripts/po.py fill PO JSON       set msgstr from a JSON {msgid: msgstr} file and clear
                                     the fuzzy flag of the entries it fills

Catalogues are written with --no-wrap, so msgids sit on one line (with \\n escapes).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_STRING = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$')


def _unescape(text: str) -> str:
    return json.loads(f'"{text}"')


def _escape(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


def _blocks(path: Path) -> list[list[str]]:
    return [block.split("\n") for block in path.read_text().split("\n\n")]


def _fields(block: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    last = ""
    for line in block:
        match = _STRING.match(line)
        if match:
            last = match.group(1)
            fields[last] = fields.get(last, "") + _unescape(match.group(2))
        elif line.startswith('"') and last:
            fields[last] += _unescape(line[1:-1])
    return fields


def _needs_work(block: list[str], fields: dict[str, str]) -> bool:
    if not fields.get("msgid"):
        return False
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block)
    empty = not fields.get("msgstr", fields.get("msgstr[0]", ""))
    return fuzzy or empty


def todo(po: Path) -> None:
    out = {}
    for block in _blocks(po):
        fields = _fields(block)
        if _needs_work(block, fields):
            out[fields["msgid"]] = ""
    print(json.dumps(out, ensure_ascii=False, indent=1))


def fill(po: Path, mapping_path: Path) -> None:
    mapping: dict[str, str] = json.loads(mapping_path.read_text())
    blocks = _blocks(po)
    filled = 0
    for index, block in enumerate(blocks):
        fields = _fields(block)
        msgid = fields.get("msgid")
        if not msgid or msgid not in mapping or not mapping[msgid]:
            continue
        if not _needs_work(block, fields):
            continue
        text = _escape(mapping[msgid])
        kept: list[str] = []
        for line in block:
            if line.startswith("#|"):
                continue
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    kept.append("#, " + ", ".join(flags))
                continue
            if line.startswith("msgstr"):
                break
            kept.append(line)
        key = "msgstr[0]" if "msgid_plural" in fields else "msgstr"
        kept.append(f'{key} "{text}"')
        blocks[index] = kept
        filled += 1
    po.write_text("\n\n".join("\n".join(block) for block in blocks))
    print(f"{po}: filled {filled}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "todo":
        todo(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "fill":
        fill(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        sys.exit(__doc__)
