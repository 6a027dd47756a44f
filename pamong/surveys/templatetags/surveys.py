"""`{% survey_offer application user %}`: the survey invitation on a page of another module (the citizen's case
page), so that cases links to the survey by template and URL name without importing this module."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils import timezone

from pamong.core.formatting import format_number, format_percent

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
    """A Fraction or Decimal with `places` decimals, half up, the reader's way: 77,78 (id) / 77.78 (en)."""
    if value is None or value == "":
        return "-"
    return format_number(value if isinstance(value, Fraction | Decimal) else Fraction(value), int(places))


@register.filter
def percent(value) -> str:
    """A share 0..1 as a percentage with one decimal, the reader's way: 83,3% (id) / 83.3% (en)."""
    if value is None:
        return "-"
    return format_percent(value if isinstance(value, Fraction | Decimal) else Fraction(value), 1)


@register.inclusion_tag("surveys/_service_ikm.html")
def service_ikm(service) -> dict:
    """This year's IKM of a service, for the catalog's service page (catalog links here by template only)."""
    year = timezone.localdate().year
    return {"result": selectors.ikm_of([service], parse_period(str(year))), "year": year, "service": service}
