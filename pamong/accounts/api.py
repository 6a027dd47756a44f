"""The citizen's access log: GET /api/v1/me/access-log (the data download is pamong.privacy.api)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from pamong.core.apiedge import session_auth

from . import selectors

router = Router(tags=["me"], auth=session_auth)


class AccessOut(Schema):
    at: dt.datetime
    by: str
    what: str
    why: str


@router.get("/access-log", response=list[AccessOut], summary="Which staff opened my personal data, and why")
@paginate(LimitOffsetPagination)
def my_access_log(request: HttpRequest):
    return [
        {"at": e.at, "by": selectors.staff_label(e.actor), "what": e.what, "why": e.why}
        for e in selectors.access_log_of(request.user)
    ]
