"""The Indonesian catalogue is complete and compiled: a fuzzy or empty entry would show English to citizens.

msgfmt leaves fuzzy entries out of the .mo without a word, so the page silently falls back to the English
msgid; these tests read the committed .po with polib and the .mo with the standard library and compare them.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
TEMPLATES = PACKAGE
# The project catalogue, and one per module that keeps its own (`pamong/<module>/locale/`), so that modules
# built side by side do not all edit one file; Django reads every installed app's catalogue.
CATALOGUES = [PACKAGE / "locale/id/LC_MESSAGES", *sorted(PACKAGE.glob("*/locale/id/LC_MESSAGES"))]
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.*?)\1""")


def read_po(catalogue: Path) -> list[dict]:
    """A catalogue's live entries (obsolete `#~` ones are not compiled). `forms` holds a plural entry's
    translations by plural index (the .mo's `(msgid, index)` keys); `msgstr` is a plural entry's first form."""
    return [
        {
            "msgid": entry.msgid,
            "msgstr": entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr,
            "forms": {int(index): text for index, text in entry.msgstr_plural.items()},
            "fuzzy": entry.fuzzy,
        }
        for entry in polib.pofile(str(catalogue / "django.po"), wrapwidth=0)
        if not entry.obsolete
    ]


@pytest.fixture(scope="module")
def po() -> list[dict]:
    return [entry for catalogue in CATALOGUES for entry in read_po(catalogue) if entry["msgid"]]


def test_no_entry_is_fuzzy_or_empty(po):
    assert len(po) > 400
    assert [e["msgid"] for e in po if e["fuzzy"]] == []
    assert [e["msgid"] for e in po if not e["msgstr"] or not all(e["forms"].values())] == []


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: path.parents[2].name)
def test_the_compiled_catalogue_holds_every_entry_of_the_po(catalogue):
    po = [entry for entry in read_po(catalogue) if entry["msgid"]]  # polib keeps the header apart
    with (catalogue / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    singular = {key for key in catalog if isinstance(key, str)}
    plural = {key[0] for key in catalog if isinstance(key, tuple)}
    missing = [e["msgid"] for e in po if e["msgid"] not in singular | plural]
    assert missing == [], "run `make messages` after editing the .po"
    stale = [e["msgid"] for e in po if e["msgid"] in singular and catalog[e["msgid"]] != e["msgstr"]]
    stale += [
        e["msgid"]
        for e in po
        for index, text in e["forms"].items()
        if catalog.get((e["msgid"], index)) != text
    ]
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


def test_no_msgid_is_translated_two_ways():
    """Django takes the project catalogue first, then the apps' in INSTALLED_APPS order: a msgid kept in two
    catalogues with different texts would show whichever wins, so one text per msgid."""
    texts: dict[str, set[str]] = {}
    for catalogue in CATALOGUES:
        for entry in read_po(catalogue):
            if entry["msgid"]:
                texts.setdefault(entry["msgid"], set()).add(entry["msgstr"])
    assert {msgid: found for msgid, found in texts.items() if len(found) > 1} == {}
