"""The home page: the first services of the catalog and its agencies."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pamong.catalog import selectors as catalog


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", {"services": catalog.service_list()[:6], "agencies": catalog.agency_list()}
    )
