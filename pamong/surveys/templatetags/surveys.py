"""`{% survey_offer application user %}`: the survey invitation on a page of another module (the citizen's case
page), so that cases links to the survey by template and URL name without importing this module."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django import template
from django.utils import timezone

from .. import selectors
from ..ikm import parse_period
from ..selectors import final_decision_exists
from ..services import has_responded

register = template.Library()


@register.inclusion_tag("surveys/_offer.html")
def survey_offer(application, user) -> dict:
    offer = ""
    if getattr(user, "pk", None) == application.applicant_id and final_decision_exists(application):
        offer = "answered" if has_responded(application) else "open"
    return {"offer": offer, "application": application}


@register.filter
def desimal(value, places: int = 2) -> str:
    """A Fraction or Decimal as Indonesian text with `places` decimals, half up: 77,78."""
    if value is None or value == "":
        return "-"
    fraction = Fraction(value) if not isinstance(value, Fraction) else value
    quantum = Decimal(1).scaleb(-int(places))
    number = (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(quantum, ROUND_HALF_UP)
    return f"{number:,}".replace(",", " ").replace(".", ",").replace(" ", ".")


@register.filter
def percent(value) -> str:
    """A share 0..1 as an Indonesian percentage with one decimal: 83,3%."""
    if value is None:
        return "-"
    return desimal(Fraction(value) * 100, 1) + "%"


@register.inclusion_tag("surveys/_service_ikm.html")
def service_ikm(service) -> dict:
    """This year's IKM of a service, for the catalog's service page (catalog links here by template only)."""
    year = timezone.localdate().year
    return {"result": selectors.ikm_of([service], parse_period(str(year))), "year": year, "service": service}
