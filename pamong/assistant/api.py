"""The assistant's API: POST /api/v1/assistant/ask (anyone; a signed-in citizen also hears about their own
applications) and POST /api/v1/assistant/gateway, the webhook of a WhatsApp Business / SMS gateway (HMAC-SHA256
signature over timestamp and body, `pamong.core.gateway`; answered in plain text with short absolute links)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Router, Schema

from pamong.core.apiedge import loads_strict, session_auth
from pamong.core.errors import ApplicationError, gettext_noop
from pamong.core.gateway import check_signature, message_body_openapi
from pamong.core.schemas import ErrorOut

from . import services
from .models import Channel

router = Router(tags=["assistant"])

GATEWAY_MAX_CHARS = 1500  # one WhatsApp message comfortably; SMS gateways split it


class AskIn(Schema):
    question: str = Field(min_length=1, max_length=500)


class SourceOut(Schema):
    kind: str
    slug: str
    url: str


class AskOut(Schema):
    answer: str
    sources: list[SourceOut]
    handover: bool


def _anonymous(request: HttpRequest) -> bool:
    return True


@router.post(
    "/ask",
    response={200: AskOut, 403: ErrorOut},
    auth=[session_auth, _anonymous],
    summary="Ask the assistant a question in Bahasa Indonesia",
    # Signing in is optional: anonymous callers are answered too (OpenAPI's empty requirement).
    openapi_extra={"security": [{}]},
)
def ask(request: HttpRequest, payload: AskIn):
    """The answer, composed only from cited sources (most relevant first), or a hand-over to an officer
    (`handover: true`, the answer says when a person answers). Its fixed words follow the request's language
    (Accept-Language, as every API endpoint; Bahasa Indonesia by default); the cited agency texts are Indonesian."""
    question = payload.question.strip()
    if not question:
        raise EmptyQuestion()
    user = request.auth if request.auth is not True else None  # a session's user passed the CSRF check
    reply = services.ask_question(question, user=user, channel=Channel.API)
    sources = [] if reply.answer.handover else reply.answer.sources
    return {
        "answer": reply.text,
        "sources": [{"kind": s.kind, "slug": s.slug, "url": s.url} for s in sources],
        "handover": reply.answer.handover,
    }


class EmptyQuestion(ApplicationError):
    status = 422
    code = "empty_question"

    def __init__(self) -> None:
        super().__init__(gettext_noop("Write your question first."))


@router.post(
    "/gateway",
    response={200: str, 401: ErrorOut, 404: ErrorOut},
    summary="Webhook of a messaging gateway (WhatsApp Business / SMS): signed, answered in plain text",
    openapi_extra=message_body_openapi(),
)
def gateway(request: HttpRequest):
    """Body `{"from": "<sender's number>", "text": "<message>"}`, headers X-Pamong-Timestamp and
    X-Pamong-Signature. The signature is checked before the body is read."""
    check_signature(request, settings.PAMONG_ASSISTANT_WEBHOOK_SECRET)
    body = loads_strict(request.body)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"].strip():
        raise GatewayBodyInvalid()
    sender = body.get("from") if isinstance(body.get("from"), str) else ""
    reply = services.ask_question(
        body["text"].strip()[:500], user=None, channel=Channel.GATEWAY, contact=sender[:40]
    )
    return HttpResponse(plain_text(reply, request), content_type="text/plain; charset=utf-8")


class GatewayBodyInvalid(ApplicationError):
    status = 422
    code = "invalid_message"

    def __init__(self) -> None:
        super().__init__(
            gettext_noop(
                'The message must be JSON {"from": "...", "text": "..."} with a text that is not empty.'
            )
        )


def plain_text(reply: services.Reply, request: HttpRequest) -> str:
    """The answer as a text message: sentences, then at most two sources as absolute links."""
    if reply.answer.handover:
        return reply.text[:GATEWAY_MAX_CHARS]
    lines = [s.text for s in reply.answer.sentences if s.template != "more"]
    links = [request.build_absolute_uri(source.url) for source in reply.answer.sources[:2]]
    tail = f"\n{gettext('Sources')}: " + " ".join(links)
    text = "\n".join(lines)
    if len(text) + len(tail) > GATEWAY_MAX_CHARS:
        text = text[: GATEWAY_MAX_CHARS - len(tail) - 1].rsplit("\n", 1)[0] + "\n…"
    return text + tail
