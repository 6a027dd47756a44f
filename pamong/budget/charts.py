"""The plan-versus-realisation chart, drawn on the server as inline SVG (no JavaScript). The page shows the same
numbers in a table, so nothing depends on seeing the chart or its colours. (Oversight has its own charts; modules
of one layer do not import each other, and this chart is small.)"""

from __future__ import annotations

from html import escape

from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from pamong.core.formatting import format_number

PLAN = "#6b7785"  # grey, lighter bar
REALISED = "#0b5394"  # blue, darker bar
INK = "#1b1b1b"


def month_short(month: int) -> str:
    """Jan … Des (id) / Jan … Dec (en): the month's short name in the reader's language."""
    return str(MONTHS_3[month]).title()


def billions(amount: int) -> str:
    """12,5 M (id) / 12.5 bn (en): billions of rupiah the reader's way."""
    # Translators: short for billions of rupiah on the chart's axis (Indonesian: M, miliar).
    return format_number(amount / 1e9, 1) + " " + gettext("bn")


def plan_realisation_columns(
    months, *, title: str, desc: str, plan_label: str, realised_label: str
) -> SafeString:
    """Two columns per month (budget, realisation), cumulative over the year, with a legend."""
    width, height, left, bottom, top = 640, 240, 56, 40, 30
    peak = max([m.plan_cumulative for m in months] + [m.realised_cumulative for m in months] + [1])
    slot = (width - left - 10) / 12
    bar = slot * 0.38
    plot = height - bottom - top
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="{INK}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11" fill="{INK}">{billions(peak)}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="11" fill="{INK}">0</text>',
        f'<rect x="{left}" y="6" width="12" height="12" fill="{PLAN}"/>',
        f'<text x="{left + 16}" y="16" font-size="12" fill="{INK}">{escape(plan_label)}</text>',
        f'<rect x="{left + 200}" y="6" width="12" height="12" fill="{REALISED}"/>',
        f'<text x="{left + 216}" y="16" font-size="12" fill="{INK}">{escape(realised_label)}</text>',
    ]
    for i, month in enumerate(months):
        x = left + i * slot + slot * 0.1
        for offset, amount, colour in (
            (0, month.plan_cumulative, PLAN),
            (bar, month.realised_cumulative, REALISED),
        ):
            h = plot * amount / peak
            body.append(
                f'<rect x="{x + offset:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"/>'
            )
        body.append(
            f'<text x="{x + bar:.1f}" y="{height - bottom + 14}" text-anchor="middle" font-size="11" '
            f'fill="{INK}">{escape(month_short(i + 1))}</text>'
        )
    svg = (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="pvr-t pvr-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="pvr-t">{escape(title)}</title><desc id="pvr-d">{escape(desc)}</desc>{"".join(body)}</svg>'
    )
    return mark_safe(svg)  # noqa: S308 - every text is escaped above; numbers are formatted here
