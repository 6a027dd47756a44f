"""A letter from its HTML template to PDF: WeasyPrint (Debian's Pango) embeds the subset of the fonts it uses
(DejaVu, from Debian's fonts-dejavu-core), and the QR code (segno) is drawn as vector SVG, so a letter stays
small (well under 150 KB). The text is Bahasa Indonesia, the citizen's language of record, whatever the page."""

from __future__ import annotations

from typing import Any

import segno
import weasyprint
from django.template.loader import render_to_string
from django.utils import translation


def qr_data_uri(url: str) -> str:
    """The verification address as a QR code (error correction M: survives a crease or a stain)."""
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def render_html(context: dict[str, Any], *, template: str = "documents/letter.html") -> str:
    with translation.override("id"):
        return render_to_string(template, context)


def render_pdf(context: dict[str, Any], *, template: str = "documents/letter.html") -> bytes:
    html = render_html(context, template=template)
    return weasyprint.HTML(string=html).write_pdf()
