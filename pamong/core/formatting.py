"""Indonesian formatting for pages and messages: the rules engine's helpers (pamong.rules.formatting), so a page,
a notification and a rule explanation write Rp1.250.000 and 5 Januari 2026 the same way. `reader_date` is for
pages only: it follows the reader's language, while texts that are stored or sent (notices, decision reasons,
letters) keep `format_date`, the citizen's language of record."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import get_language

from pamong.rules.formatting import format_date as _format_date
from pamong.rules.formatting import format_rupiah as _format_rupiah


def format_rupiah(amount: int | None) -> str:
    return "-" if amount is None else _format_rupiah(amount)


def format_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return "-"
    return _format_date(day.date() if isinstance(day, dt.datetime) else day)


def reader_date(day: dt.date | dt.datetime | None) -> str:
    """A date on a page in the reader's language: 5 Januari 2026, or 5 January 2026 under English."""
    if day is None or not (get_language() or "id").startswith("en"):
        return format_date(day)
    return formats.date_format(day.date() if isinstance(day, dt.datetime) else day, "j F Y")
