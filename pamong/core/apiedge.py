"""The API's edge (issue 21): what a request body must be before any handler sees it.

- JSON bodies are strict: UTF-8, no duplicate keys (the last would silently win), no NaN or Infinity, no
  number too large for a float, no lone surrogates and no control characters in strings (line breaks and tabs
  aside). Each refusal is a 422 with a reason.
- A body of a type the operation does not take is a 415 (a JSON operation takes application/json; an upload
  takes multipart/form-data); a body over the limit is a 413, answered before it is read.
- Session authentication says 401 to a caller who is not signed in, before any CSRF check (a CSRF failure is
  only possible for a signed-in browser session).
All of them in the one error shape of pamong.core.errors.
"""

from __future__ import annotations

import json
import math
import unicodedata
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.parser import Parser
from ninja.security import SessionAuth

from pamong.core.errors import ApplicationError, translate
from pamong.core.errors import gettext_noop as _

JSON_TYPES = ("application/json",)
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
ALLOWED_IN_TEXT = {"\n", "\r", "\t"}
API_PREFIX = "/api/"


class UnsupportedMediaType(ApplicationError):
    code = "unsupported_media_type"
    status = 415


class BodyTooLarge(ApplicationError):
    code = "body_too_large"
    status = 413


class InvalidJSON(ApplicationError):
    code = "invalid_json"
    status = 422


def is_json(content_type: str) -> bool:
    return content_type in JSON_TYPES or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


def unsupported(content_type: str, expected: str) -> UnsupportedMediaType:
    return UnsupportedMediaType(
        _("This content type is not accepted here; send it with Content-Type: %(expected)s."),
        params={"expected": expected},
        details={"content_type": content_type or None, "expected": expected},
    )


def _duplicate_safe(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidJSON(
                _("The key '%(key)s' appears twice in the JSON; send each key once."),
                params={"key": _printable(key)},
                details={"reason": "duplicate_key", "key": _printable(key)},
            )
        result[key] = value
    return result


def _no_constant(name: str) -> float:
    raise InvalidJSON(
        _("%(name)s is not a valid JSON number; send an ordinary number."),
        params={"name": name},
        details={"reason": "non_finite_number"},
    )


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        _no_constant(text)
    return value


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")[:60]


def check_strings(value: Any, path: str = "") -> None:
    """Every string (keys included) is valid Unicode text without control characters."""
    if isinstance(value, dict):
        for key, item in value.items():
            check_strings(key, path or "body")
            check_strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_strings(item, f"{path}.{index}" if path else str(index))
    elif isinstance(value, str):
        for char in value:
            category = unicodedata.category(char)
            if category == "Cs":
                raise InvalidJSON(
                    _("The text holds a broken Unicode character (a lone surrogate)."),
                    details={"reason": "lone_surrogate", "field": _printable(path)},
                )
            if category == "Cc" and char not in ALLOWED_IN_TEXT:
                raise InvalidJSON(
                    _(
                        "The text holds a control character (e.g. NUL), which is not accepted; send plain text."
                    ),
                    details={"reason": "control_character", "field": _printable(path)},
                )


def loads_strict(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidJSON(_("The request body must be UTF-8."), details={"reason": "not_utf8"}) from None
    try:
        data = json.loads(
            text, object_pairs_hook=_duplicate_safe, parse_constant=_no_constant, parse_float=_finite_float
        )
    except InvalidJSON:
        raise
    except (ValueError, RecursionError) as exc:
        raise InvalidJSON(
            _("The request body is not valid JSON."), details={"reason": "malformed", "error": str(exc)[:200]}
        ) from None
    check_strings(data)
    return data


class StrictParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        if not is_json(request.content_type or ""):
            raise unsupported(request.content_type or "", "application/json")
        return loads_strict(request.body)

    def parse_querydict(self, data, list_fields, request: HttpRequest):
        # Form and file parameters come from a form body; query parameters from the URL, whatever the body.
        form_body = (data is request.POST or data is request.FILES) and request.method not in ("GET", "HEAD")
        if form_body and (request.content_type or "") not in FORM_TYPES:
            raise unsupported(request.content_type or "", "multipart/form-data")
        return super().parse_querydict(data, list_fields, request)


class StrictSessionAuth(SessionAuth):
    """Django's session; not signed in is a 401 whatever the CSRF token says, signed in the CSRF check holds."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


session_auth = StrictSessionAuth()


def error_response(status: int, code: str, message: str, details: Any = None) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return JsonResponse(body, status=status)


def body_limit(request: HttpRequest) -> int:
    if (request.content_type or "") == "multipart/form-data":
        return settings.PAMONG_UPLOAD_MAX_BYTES + 64 * 1024  # the file and the form's own bytes
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class ApiBodyLimitMiddleware:
    """A body over the limit is refused with 413 before anything reads it (only under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return error_response(400, "bad_request", translate(_("Invalid Content-Length.")))
            limit = body_limit(request)
            if length > limit:
                return too_large(limit)
        return self.get_response(request)


def too_large(limit: int) -> HttpResponse:
    return error_response(
        413,
        BodyTooLarge.code,
        translate(_("The request body is too large; at most %(kb)s KB."), {"kb": limit // 1024}),
        {"limit_bytes": limit},
    )
