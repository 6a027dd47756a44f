"""GET /api/v1/me/data: download everything Pamong holds about me, from every module's declaration."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from ninja import Router

from pamong.core.apiedge import session_auth

from .services import export_personal_data

router = Router(tags=["me"], auth=session_auth)


@router.get("/data", response={200: dict}, summary="Download all my personal data (JSON)")
def export_my_data(request: HttpRequest) -> HttpResponse:
    body = json.dumps(export_personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-pamong-saya.json"'
    return response
