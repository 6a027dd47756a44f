"""The citizen's own data: GET /api/v1/me/data (download everything), GET /api/v1/me/access-log."""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from . import selectors

router = Router(tags=["me"], auth=django_auth)


class AccessOut(Schema):
    at: dt.datetime
    by: str
    what: str
    why: str


@router.get("/data", response={200: dict}, summary="Download all my personal data (JSON)")
def export_my_data(request: HttpRequest) -> HttpResponse:
    body = json.dumps(selectors.personal_data_export(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-pamong-saya.json"'
    return response


@router.get("/access-log", response=list[AccessOut], summary="Which staff opened my personal data, and why")
@paginate(LimitOffsetPagination)
def my_access_log(request: HttpRequest):
    return [
        {"at": e.at, "by": selectors.staff_label(e.actor), "what": e.what, "why": e.why}
        for e in selectors.access_log_of(request.user)
    ]
