"""Staffing pages (Indonesian paths). Thin: parse, call one selector or service, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import routing, selectors


def acknowledge(request: HttpRequest, token: str) -> HttpResponse:
    """One-click acknowledgement of an urgent notice. The link itself is the key (a phone at 02:00 is not signed
    in); a GET only shows the button, so a link preview or a scanner acknowledges nothing."""
    notice = selectors.notice_by_token(token)
    if notice is None:
        raise Http404
    if request.method == "POST":
        notice = routing.acknowledge(token=token, actor=request.user)
    return render(request, "staffing/acknowledge.html", {"notice": notice})
