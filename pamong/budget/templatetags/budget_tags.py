"""Rupiah and percentages the Indonesian way (Rp1.234.567; 45,2%), and suppliers by their pseudonymous code."""

from django import template

from pamong.budget import flags

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    return flags.rupiah(amount or 0)


@register.filter
def percent(share) -> str:
    return "–" if share is None else flags.percent(share)


@register.filter
def supplier_code(supplier: str) -> str:
    return flags.supplier_code(supplier) if supplier else "–"
