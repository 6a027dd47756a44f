"""Rupiah and percentages the reader's way (Rp1.234.567, 45,2% in Bahasa Indonesia; Rp1,234,567, 45.2% in
English), and suppliers by their pseudonymous code."""

from django import template

from pamong.budget import flags
from pamong.core.formatting import format_percent, page_rupiah

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    return page_rupiah(amount or 0)


@register.filter
def percent(share) -> str:
    return "–" if share is None else format_percent(share, 1)


@register.filter
def supplier_code(supplier: str) -> str:
    return flags.supplier_code(supplier) if supplier else "–"
