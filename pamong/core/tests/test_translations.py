"""The Indonesian catalogue is complete and compiled: a fuzzy or empty entry would show English to citizens.

msgfmt leaves fuzzy entries out of the .mo without a word, so the page silently falls back to the English
msgid; these tests read the committed .po and .mo with the standard library and compare them.
"""

from __future__ import annotations

import gettext
import json
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale/id/LC_MESSAGES"
TEMPLATES = Path(__file__).resolve().parents[2]
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.*?)\1""")


def _joined(lines: list[str], keyword: str) -> str | None:
    """The text of ``keyword "..."`` and its continuation lines, or None when the entry has no such key."""
    for start, line in enumerate(lines):
        if line.startswith(keyword + " "):
            parts = [line[len(keyword) + 1 :]]
            for more in lines[start + 1 :]:
                if not more.startswith('"'):
                    break
                parts.append(more)
            return "".join(json.loads(part) for part in parts)  # PO escapes are JSON's for these texts
    return None


def read_po() -> list[dict]:
    entries = []
    for block in (LOCALE / "django.po").read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().split("\n")
        msgid = _joined(lines, "msgid")
        if msgid is None:
            continue
        flags = " ".join(line for line in lines if line.startswith("#,"))
        msgstr = _joined(lines, "msgstr") or _joined(lines, "msgstr[0]")
        entries.append({"msgid": msgid, "msgstr": msgstr, "fuzzy": "fuzzy" in flags})
    return entries


@pytest.fixture(scope="module")
def po() -> list[dict]:
    return [entry for entry in read_po() if entry["msgid"]]  # the header's msgid is ""


def test_no_entry_is_fuzzy_or_empty(po):
    assert len(po) > 400
    assert [e["msgid"] for e in po if e["fuzzy"]] == []
    assert [e["msgid"] for e in po if not e["msgstr"]] == []


def test_the_compiled_catalogue_holds_every_entry_of_the_po(po):
    with (LOCALE / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    singular = {key for key in catalog if isinstance(key, str)}
    plural = {key[0] for key in catalog if isinstance(key, tuple)}
    missing = [e["msgid"] for e in po if e["msgid"] not in singular | plural]
    assert missing == [], "run `make messages` after editing the .po"
    stale = [e["msgid"] for e in po if e["msgid"] in singular and catalog[e["msgid"]] != e["msgstr"]]
    assert stale == [], "run `make messages` after editing the .po"


def test_every_translate_tag_in_the_templates_is_in_the_catalogue(po):
    known = {e["msgid"] for e in po}
    used = {
        # Django doubles % in template msgids (they are python-format in the catalogue).
        match.group(2).replace("%", "%%")
        for template in TEMPLATES.rglob("templates/**/*.html")
        for match in TRANSLATE_TAG.finditer(template.read_text(encoding="utf-8"))
    }
    assert len(used) > 300
    assert sorted(used - known) == []
