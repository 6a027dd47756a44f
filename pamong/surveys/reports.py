"""The IKM report per period as a PDF (PermenPANRB 14/2017's layout: introduction, data collection, results,
analysis and follow-up, conclusion), for signing and filing. The same body template as the HTML report, printed by
WeasyPrint with the fonts it uses embedded (DejaVu, from Debian's fonts-dejavu-core, subset) and nothing fetched:
every URL the HTML names is refused, so the PDF depends on no network and no static files."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string


class _NoFetching(ValueError):
    pass


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise _NoFetching(f"the IKM report fetches nothing: {url}")


def render_report_pdf(context: dict[str, Any]) -> bytes:
    """The report of `context` (the HTML report's context) as PDF, in the active language."""
    html = render_to_string("surveys/report_pdf.html", context)
    import weasyprint  # noqa: PLC0415  (WeasyPrint costs ~0.7 s at every process start: import when a PDF is made)

    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()


def pdf_filename(agency_slug: str, service_slug: str | None, period_code: str) -> str:
    return f"ikm-{agency_slug}-{service_slug or 'semua-layanan'}-{period_code}.pdf"
