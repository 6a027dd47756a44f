"""A letter from its HTML template to PDF: WeasyPrint (Debian's Pango) embeds the subset of the fonts it uses
(DejaVu, from Debian's fonts-dejavu-core), and the QR code (segno) is drawn as vector SVG, so a letter stays
small (well under 150 KB). The text is Bahasa Indonesia, the language that binds; a citizen who chose English
gets the English translation as further pages of the same signed file."""

from __future__ import annotations

from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils import translation


def qr_data_uri(url: str) -> str:
    """The verification address as a QR code (error correction M: survives a crease or a stain)."""
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def render_html(context: dict[str, Any], *, template: str = "documents/letter.html") -> str:
    with translation.override(context.get("language", "id")):
        return render_to_string(template, context)


def render_pdf(contexts: list[dict[str, Any]], *, template: str = "documents/letter.html") -> bytes:
    """One PDF of every copy in `contexts` (Indonesian first), each copy starting on a new page."""
    import weasyprint  # noqa: PLC0415  (WeasyPrint costs ~0.7 s at every process start: import when a PDF is made)

    documents = [
        weasyprint.HTML(string=render_html(context, template=template)).render() for context in contexts
    ]
    first = documents[0]
    pages = [page for document in documents for page in document.pages]
    return first.copy(pages).write_pdf()
