"""Indonesian-aware catalog search: words are reduced to their root with Sastrawi (the Nazief–Adriani
stemmer, the standard for Bahasa Indonesia), so "pembuatan akta kelahiran anak" finds *Akta Kelahiran*.

Pure module: no Django import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

_WORD = re.compile(r"[a-z0-9]+")
# Generic request words that appear in many queries but name no service.
_EXTRA_STOPWORDS = {"cara", "layan", "urus", "buat", "mohon", "syarat", "online", "daftar"}
# Sastrawi lists these as stop words, but in service names they carry the meaning ("tidak mampu" = poor).
_MEANINGFUL = {"mampu", "miskin", "baru", "lahir", "mati"}


@cache
def _stemmer():
    return StemmerFactory().create_stemmer()


@cache
def _stopwords() -> frozenset[str]:
    return (frozenset(StopWordRemoverFactory().get_stop_words()) | _EXTRA_STOPWORDS) - _MEANINGFUL


@cache
def stem_word(word: str) -> str:
    return _stemmer().stem(word)


def stems(text: str) -> list[str]:
    """Distinct root words of `text`, in order, without stop words."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        root = stem_word(word)
        if root and root not in _stopwords() and word not in _stopwords():
            seen.setdefault(root, None)
    return list(seen)


def index_text(parts: Iterable[str]) -> str:
    """The value stored in Service.search_terms: roots separated and wrapped by spaces for whole-word matching."""
    return " " + " ".join(stems(" ".join(parts))) + " "


def score(query_stems: list[str], search_terms: str) -> int:
    return sum(1 for root in query_stems if f" {root} " in search_terms)
