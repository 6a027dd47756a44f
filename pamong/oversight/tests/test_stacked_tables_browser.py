"""Stacked tables at 360 px keep their captions readable (issue 20, point 6).

On small screens `.table` becomes stacked rows (display: block). A visible <caption> left as `table-caption`
inside that block shrank to one letter per line on the oversight dashboard: nothing scrolled sideways, so the
width checks passed. This renders the dashboard's officer table with the project's own stylesheet."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from pamong.core.testing.browser import chromium, squeezed_text

pytestmark = pytest.mark.browser

CSS = Path(__file__).resolve().parents[2] / "core" / "static" / "pamong" / "pamong.css"


def test_the_officer_table_caption_reads_across_the_screen_at_360px():
    row = SimpleNamespace(
        officer="Petugas Dinas Sosial",
        rubber_stamp=False,
        proposals=12,
        share=0.75,
        median=42.0,
        under_minute=3,
    )
    voice = SimpleNamespace(
        patterns=[row], corrections_open=1, corrections_overdue=0, corrections_corrected=2, flags=[]
    )
    with translation.override("id"):
        section = render_to_string("oversight/_voice.html", {"voice": voice})
    html = f"<!doctype html><html lang=id><head><style>{CSS.read_text()}</style></head><body><main>{section}</main></body></html>"
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        page.set_content(html)
        caption = page.locator("caption").bounding_box()
        assert squeezed_text(page) == []
        assert caption is not None and caption["width"] > 250  # across the screen, not a column of letters
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
