"""The auditor's page: the signed tree heads as published, and a check of the whole log on request. It lives in
oversight (the auditor's other pages are here too) because the audit module sits below accounts and knows no roles."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from pamong.audit import selectors, services, signing
from pamong.audit.verification import verify_log

from . import access


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not access.is_auditor(request.user):
        raise Http404
    services.current_tree_head()  # as the open API does: sign a new head when the log has grown
    report = verify_log() if request.GET.get("periksa") == "1" else None
    context = {
        "size": services.tree_size(),
        "heads": selectors.recent_tree_heads(),
        "key_id": signing.key_id(),
        "report": report,
    }
    return render(request, "oversight/audit_log.html", context)
