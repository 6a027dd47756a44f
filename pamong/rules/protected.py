"""Attributes that may never be a rule input (DESIGN §3): nationality, ethnicity, religion and race.

Fact, table, derived-value and score names, descriptions and sources are split into words (snake_case,
camelCase and punctuation all split) and each word is compared with the list below, so "beras" or
"prasarana" do not trip on "ras". A few harmless Indonesian phrases are exempt ("suku bunga" is an
interest rate, "suku cadang" a spare part).
"""

from __future__ import annotations

import re

PROTECTED_WORDS = frozenset(
    {
        # Indonesian
        "kewarganegaraan",
        "warganegara",
        "wni",
        "wna",
        "kebangsaan",
        "suku",
        "kesukuan",
        "sukubangsa",
        "etnis",
        "etnik",
        "etnisitas",
        "agama",
        "beragama",
        "keagamaan",
        "penghayat",
        "ras",
        "rasial",
        # English
        "nationality",
        "nationalities",
        "citizenship",
        "ethnicity",
        "ethnicities",
        "ethnic",
        "religion",
        "religions",
        "religious",
        "race",
        "races",
        "racial",
        "tribe",
        "tribal",
        "creed",
    }
)
PROTECTED_PHRASES = frozenset({("warga", "negara"), ("aliran", "kepercayaan"), ("country", "of", "origin")})
EXEMPT_PHRASES = frozenset({("suku", "bunga"), ("suku", "cadang")})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(_CAMEL.sub(" ", text))]


def protected_attribute(text: str) -> str | None:
    """The first protected word or phrase in ``text``, or None."""
    tokens = words(text)
    for index, token in enumerate(tokens):
        following = tuple(tokens[index : index + 3])
        if following[:2] in EXEMPT_PHRASES:
            continue
        if token in PROTECTED_WORDS:
            return token
        for phrase in PROTECTED_PHRASES:
            if following[: len(phrase)] == phrase:
                return " ".join(phrase)
    return None
