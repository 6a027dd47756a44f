"""The right person at the counter (issue 15): the name typed by the officer against the population registry's
name for that NIK. Pure (no Django): normalise, then compare with rapidfuzz, tolerant of the usual spelling
variants of Indonesian names (spaces inside a name, "Nurhaliza"/"Nurhalizah", "Muhammad"/"Muhamad", accents,
case, punctuation), but not of a different person's name or of a part of the name only."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# Similarity (0-100) from which two normalised names are read as the same name. Chosen on the examples in
# tests/test_counter_identity.py: spelling variants score 88-100, different people under 70.
NAME_MATCH_THRESHOLD = 85


def plain_name(name: str) -> str:
    """Lower case ASCII letters and single spaces: "Siti  Nur'haliza" -> "siti nurhaliza"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z ]", " ", text).split())


def name_similarity(typed: str, registered: str) -> float:
    """The better of: the names with their words sorted (order of given and family names), and the names
    without spaces ("Nur Haliza" = "Nurhaliza")."""
    a, b = plain_name(typed), plain_name(registered)
    if not a or not b:
        return 0.0
    return max(fuzz.token_sort_ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")))


def names_match(typed: str, registered: str) -> bool:
    return name_similarity(typed, registered) >= NAME_MATCH_THRESHOLD
