"""Indonesian formatting for pages and messages: the rules engine's helpers (pamong.rules.formatting), so a page,
a notification and a rule explanation write Rp1.250.000 and 5 Januari 2026 the same way."""

from __future__ import annotations

import datetime as dt

from pamong.rules.formatting import format_date as _format_date
from pamong.rules.formatting import format_rupiah as _format_rupiah


def format_rupiah(amount: int | None) -> str:
    return "-" if amount is None else _format_rupiah(amount)


def format_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return "-"
    return _format_date(day.date() if isinstance(day, dt.datetime) else day)
