"""Staffing's API: POST /api/v1/staffing/replies, the webhook of the messaging gateway (WhatsApp Business / SMS)
or e-mail relay through which staff acknowledge a *darurat* notice by answering it ("OK", "1", "ya"; with
several open, "OK <code>"). Signed like the assistant's gateway (`pamong.core.gateway`, its own secret); the
answer says what happened, in a machine-readable `code` and a `reply` the gateway sends back."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from pamong.core.apiedge import loads_strict
from pamong.core.errors import ApplicationError
from pamong.core.gateway import check_signature, message_body_openapi
from pamong.core.schemas import ErrorOut

from . import routing, selectors

router = Router(tags=["staffing"])
CHANNELS = ("whatsapp", "sms", "email")


class ReplyOut(Schema):
    code: str  # acknowledged | unknown_sender | reply_not_understood | nothing_to_acknowledge | which_notice
    acknowledged: bool
    reply: str


class ReplyBodyInvalid(ApplicationError):
    status = 422
    code = "invalid_message"

    def __init__(self) -> None:
        super().__init__(
            _('The body must be JSON {"from": "...", "text": "...", "channel": "whatsapp|sms|email"} with a text '
              "that is not empty.")
        )  # fmt: skip


@router.post(
    "/replies",
    response={200: ReplyOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Webhook of a messaging gateway: a staff member's answer acknowledges their urgent notice (signed)",
    openapi_extra=message_body_openapi(channel={"type": "string", "enum": list(CHANNELS)}),
)
def replies(request: HttpRequest):
    """Headers X-Pamong-Timestamp and X-Pamong-Signature (checked before the body is read). 200 for every signed
    message, acknowledged or not, so that the gateway does not retry an answer that cannot be matched."""
    check_signature(request, settings.PAMONG_STAFF_REPLY_SECRET)
    body = loads_strict(request.body)
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("from"), str)
        or not isinstance(body.get("text"), str)
        or not body["text"].strip()
        or body.get("channel", "whatsapp") not in CHANNELS
    ):
        raise ReplyBodyInvalid()
    sender = selectors.staff_by_address(body["from"][:200])
    outcome = routing.acknowledge_reply(
        sender=sender, text=body["text"][:2000], channel=body.get("channel", "whatsapp")
    )
    return {"code": outcome.code, "acknowledged": outcome.acknowledged, "reply": _reply_text(outcome)}


def _reply_text(outcome: routing.ReplyOutcome) -> str:
    if outcome.code == "acknowledged":
        return _("Received: the urgent notice is marked as acknowledged and will not be passed on.")
    if outcome.code == "which_notice":
        return _("You have several open urgent notices. Reply OK with the code of one: %(codes)s.") % {
            "codes": ", ".join(outcome.codes)
        }
    if outcome.code == "nothing_to_acknowledge":
        return _("There is no open urgent notice to acknowledge (it may already be acknowledged).")
    if outcome.code == "reply_not_understood":
        return _('Reply not understood. To acknowledge the urgent notice, reply "OK" or use the link in it.')
    return _("This number or address does not belong to a staff member.")
