"""Fill (or replace, clearing a fuzzy guess) msgstr entries of a .po file from a JSON map {msgid: msgstr} (or {msgid: [singular, plural]}).

Usage: python scripts/po_fill.py pamong/locale/id/LC_MESSAGES/django.po translations.json
Written by hand because gettext's tools edit catalogs but do not fill them from a table.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line[line.index('"') :]) for line in lines)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def fill(po_text: str, table: dict) -> tuple[str, int]:
    blocks = po_text.split("\n\n")
    filled = 0
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        keys = [n for n, line in enumerate(lines) if re.match(r"(msgid|msgid_plural|msgstr(\[\d\])?) ", line)]
        parts: dict[str, list[str]] = {}
        for k, start in enumerate(keys):
            end = keys[k + 1] if k + 1 < len(keys) else len(lines)
            name = lines[start].split(" ", 1)[0]
            parts[name] = lines[start:end]
        if "msgid" not in parts:
            continue
        msgid = _unquote(parts["msgid"])
        if not msgid or msgid not in table:
            continue
        value = table[msgid]
        head = [line for line in lines[: keys[0]]] + parts["msgid"] + parts.get("msgid_plural", [])
        # A filled entry is no longer a guess: drop the fuzzy flag (keeping other flags) and the previous msgid.
        head = [re.sub(r"^#, fuzzy(, )?", "#, ", line) for line in head if not line.startswith("#|")]
        head = [line for line in head if line != "#, "]
        if "msgid_plural" in parts:
            singular, plural = value
            body = [f"msgstr[0] {_quote(singular)}", f"msgstr[1] {_quote(plural)}"]
        else:
            body = [f"msgstr {_quote(value)}"]
        blocks[i] = "\n".join(head + body)
        filled += 1
    return "\n\n".join(blocks), filled


if __name__ == "__main__":
    po_path, table_path = Path(sys.argv[1]), Path(sys.argv[2])
    text, count = fill(
        po_path.read_text(encoding="utf-8"), json.loads(Path(table_path).read_text(encoding="utf-8"))
    )
    po_path.write_text(text, encoding="utf-8")
    print(f"{po_path}: {count} entries filled")
