"""Reads of staffing."""

from __future__ import annotations

from .models import StaffNotice


def notice_by_token(token: str) -> StaffNotice | None:
    return StaffNotice.objects.select_related("recipient", "acknowledged_by").filter(token=token).first()
