from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pamong.core.errors import NotFound
from pamong.core.views import not_found

from . import selectors


def service_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    agency = request.GET.get("instansi", "")[:50]
    services = selectors.service_list(query=query, agency=agency)
    context = {"services": services, "query": query, "agency": agency, "agencies": selectors.agency_list()}
    return render(request, "catalog/service_list.html", context)


def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        service = selectors.service_get(slug=slug)
    except NotFound:
        return not_found(request)
    return render(request, "catalog/service_detail.html", {"service": service})


def contact(request: HttpRequest) -> HttpResponse:
    """Where to reach each agency: address, phone, e-mail, website (from packs/agencies.yaml)."""
    return render(request, "catalog/contact.html", {"agencies": selectors.agency_list()})
