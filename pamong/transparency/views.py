"""Public performance pages (no sign-in, no JavaScript, small): an index, a page per service and per agency, and
their CSV and JSON downloads. Thin: find the subject, read the day's figures, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _

from pamong.catalog.models import Agency, Service
from pamong.oversight import charts

from . import export, selectors


def index(request: HttpRequest) -> HttpResponse:
    context = {"agencies": selectors.public_agencies(), "services": selectors.public_services()}
    return render(request, "transparency/index.html", context)


def _service(slug: str) -> Service:
    service = Service.objects.select_related("agency").filter(slug=slug).first()
    if service is None:
        raise Http404
    return service


def _agency(slug: str) -> Agency:
    agency = Agency.objects.filter(slug=slug).first()
    if agency is None:
        raise Http404
    return agency


def _page(request: HttpRequest, perf: selectors.Performance) -> HttpResponse:
    chart = charts.stacked_columns(
        "kinerja-bulanan",
        _("Decisions per month"),
        [str(MONTHS_3[f.start.month]).title() for f in perf.months],
        {
            "GRANT": [f.granted for f in perf.months],
            "DENY": [f.refused for f in perf.months],
            "DEEMED": [f.deemed for f in perf.months],
        },
        colours={**charts.OUTCOME_COLOURS, "DEEMED": "#5b2a86"},
        names={"GRANT": _("granted"), "DENY": _("refused"), "DEEMED": _("deemed granted")},
    )
    context = {"perf": perf, "chart": chart, "total": perf.total, "months": perf.months}
    return render(request, "transparency/performance.html", context)


def service_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, selectors.performance("service", _service(slug)))


def agency_page(request: HttpRequest, agency_slug: str) -> HttpResponse:
    return _page(request, selectors.performance("agency", _agency(agency_slug)))


def _download(perf: selectors.Performance, fmt: str) -> HttpResponse:
    name = f"kinerja-{perf.slug}-{perf.as_of.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(export.as_csv(perf), content_type="text/csv; charset=utf-8")
    else:
        response = JsonResponse(export.as_json(perf), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def service_csv(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(selectors.performance("service", _service(slug)), "csv")


def service_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _download(selectors.performance("service", _service(slug)), "json")


def agency_csv(request: HttpRequest, agency_slug: str) -> HttpResponse:
    return _download(selectors.performance("agency", _agency(agency_slug)), "csv")


def agency_json(request: HttpRequest, agency_slug: str) -> HttpResponse:
    return _download(selectors.performance("agency", _agency(agency_slug)), "json")
