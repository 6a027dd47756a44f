"""Template helpers: the user's language picks the English text where a pack gives one."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pamong.core.formatting import format_number, page_rupiah, reader_date

register = template.Library()


@register.simple_tag
def loc(obj: Any, field: str) -> str:
    """`{% loc service "name" %}`: `name_en` when the page is in English and it exists, else `name`."""
    if (get_language() or "id").startswith("en"):
        english = obj.get(f"{field}_en") if isinstance(obj, dict) else getattr(obj, f"{field}_en", "")
        if english:
            return english
    return obj.get(field, "") if isinstance(obj, dict) else getattr(obj, field, "")


@register.filter
def rupiah(amount: int | None) -> str:
    """Rp1.250.000 (id) / Rp1,250,000 (en)."""
    return page_rupiah(amount)


@register.filter
def angka(count) -> str:
    """`{{ totals.evaluated|angka }}` → 21.076 (id) / 21,076 (en): a count grouped the reader's way; "-" if none."""
    if count is None or count == "":
        return "-"
    return format_number(count)


@register.filter
def tanggal(day) -> str:
    """`{{ application.decision_due|tanggal }}` → 5 Januari 2026 (5 January 2026 on an English page)."""
    return reader_date(day)


OUTCOME_WORDS = {"GRANT": _("granted"), "REFER": _("passed to an officer"), "DENY": _("refused")}


@register.filter
def outcome(code: str) -> str:
    """`{{ "GRANT"|outcome }}` → dikabulkan; `"GRANT→DENY"` → dikabulkan → ditolak. Codes never reach a page."""
    parts = str(code).split("→")
    return " → ".join(str(OUTCOME_WORDS.get(part.strip(), part)) for part in parts)
