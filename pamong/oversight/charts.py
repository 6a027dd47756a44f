"""Inline SVG charts a person reads at a glance, drawn on the server (no JavaScript, no CDN). Pure Python.

Every chart carries a <title> and a <desc> (role="img"), and the page shows the same numbers in a table, so
nothing depends on seeing colour. Colours have at least 3:1 contrast against white and differ in lightness too.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from pamong.core.formatting import format_percent

OUTCOME_COLOURS = {"GRANT": "#1e6b34", "REFER": "#8a5a00", "DENY": "#b3261e"}
BAR = "#0b5394"
ALERT = "#b3261e"
INK = "#1b1b1b"
GRID = "#6b7785"


def _svg(width: int, height: int, chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped; numbers are formatted here


def stacked_columns(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[int]],
    *,
    colours: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
) -> SafeString:
    """Columns per label (e.g. day), stacked by series (e.g. outcome), with a legend."""
    colours = colours or OUTCOME_COLOURS
    names = names or {}
    width, height, left, bottom, top = 640, 220, 40, 40, 24
    count = max(1, len(labels))
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    peak = max([*totals, 1])
    slot = (width - left - 10) / count
    bar = max(2.0, slot * 0.7)
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="{GRID}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11" fill="{INK}">{peak}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end" font-size="11" fill="{INK}">0</text>',
    ]
    plot = height - bottom - top
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar) / 2
        y = height - bottom
        for name, values in series.items():
            value = values[i]
            if not value:
                continue
            h = plot * value / peak
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colours.get(name, BAR)}">'
                f"<title>{escape(label)}: {escape(names.get(name, name))} {value}</title></rect>"
            )
        if count <= 14 or i % max(1, count // 7) == 0:
            body.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle" font-size="10" '
                f'fill="{INK}">{escape(label)}</text>'
            )
    legend_x = left
    for name in series:
        body.append(
            f'<rect x="{legend_x}" y="{height - 14}" width="10" height="10" fill="{colours.get(name, BAR)}"/>'
        )
        text = escape(names.get(name, name))
        body.append(f'<text x="{legend_x + 14}" y="{height - 5}" font-size="11" fill="{INK}">{text}</text>')
        legend_x += 24 + 7 * len(names.get(name, name))
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{names.get(n, n)} {values[i]}" for n, values in series.items())
        for i, label in enumerate(labels)
        if totals[i]
    )
    return _svg(width, height, chart_id, title, desc or "Belum ada data pada periode ini.", body)


def rate_bars(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float | None, str]],
    *,
    flagged: set[str] | None = None,
    reference: float | None = None,
) -> SafeString:
    """Horizontal bars of rates (0..1) with their text; a flagged row is drawn in the alert colour and marked."""
    flagged = flagged or set()
    width, row_h, left = 640, 26, 230
    height = max(1, len(rows)) * row_h + 16
    span = width - left - 110
    body = []
    for i, (label, value, text) in enumerate(rows):
        y = 8 + i * row_h
        mark = " (!)" if label in flagged else ""
        room = 31 - len(mark)  # what fits left of the bars at this size; the whole label is in <title>
        short = label if len(label) <= room else label[: room - 1].rstrip() + "…"
        body.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12" fill="{INK}">'
            f"<title>{escape(label)}</title>{escape(short)}{mark}</text>"
        )
        w = span * max(0.0, min(1.0, value or 0.0))
        colour = ALERT if label in flagged else BAR
        body.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="16" fill="{colour}"/>')
        body.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="12" fill="{INK}">{escape(text)}</text>'
        )
    if reference is not None:
        x = left + span * reference
        body.append(
            f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 4}" stroke="{INK}" stroke-dasharray="4 3"/>'
        )
    desc = "; ".join(f"{label}: {text}" for label, _, text in rows)
    return _svg(width, height, chart_id, title, desc or "Belum ada data pada periode ini.", body)


def percent(value: float | None) -> str:
    """A share 0..1 the reader's way: 42,0% (id) / 42.0% (en)."""
    return format_percent(value, 1)
