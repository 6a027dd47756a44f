"""The citizen's access log: GET /api/v1/me/access-log, and their notices: GET /api/v1/me/notifications (the data
download is pamong.privacy.api)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from pamong.core.apiedge import session_auth
from pamong.core.errors import NotFound
from pamong.notify import services as notify

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


class NoticeOut(Schema):
    id: int
    created_at: dt.datetime
    subject: str
    body: str
    template: str
    channel: str
    status: str  # pending | sent | letter | failed
    delivered_at: dt.datetime | None
    read_at: dt.datetime | None
    handed_over_at: dt.datetime | None


def _notice(n) -> dict:
    return {
        "id": n.pk,
        "created_at": n.created_at,
        "subject": n.subject,
        "body": n.body,
        "template": n.template,
        "channel": n.channel,
        "status": n.status,
        "delivered_at": n.sent_at,
        "read_at": n.read_at,
        "handed_over_at": n.handed_over_at,
    }


@router.get("/notifications", response=list[NoticeOut], summary="My notices, unread first")
@paginate(LimitOffsetPagination)
def my_notifications(request: HttpRequest):
    return [_notice(n) for n in notify.inbox_of(request.user)]


@router.post(
    "/notifications/{notification_id}/read",
    response=NoticeOut,
    summary="Record that I read a notice (the objection period runs from when I was told)",
)
def read_notification(request: HttpRequest, notification_id: int):
    found = notify.inbox_of(request.user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound(_("Notification not found."), code="notification_not_found")
    return _notice(notify.mark_read(found))
