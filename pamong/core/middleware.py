"""Security headers that Django does not set by itself."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from . import views

# Pages are server-rendered with no inline script; the API docs page loads its own bundled assets.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI (the /api/docs page) is django-ninja's bundled copy, served from our own static files; it sets
# inline styles, so only styles are relaxed there.
API_DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = API_DOCS_POLICY if request.path.startswith("/api/docs") else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


def _api_language(request: HttpRequest) -> str:
    """An API client states its language on purpose (no browser default stands behind it): the first of its
    Accept-Language that Pamong speaks: the project API and the Open311 GeoReport API. Pages keep to the cookie."""
    if not request.path.startswith(("/api/", "/open311/")):
        return ""
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if tag.split("-")[0].lower() in dict(settings.LANGUAGES):
            return tag.split("-")[0].lower()
    return ""


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the person chose English with the language switch (the cookie set by
    /i18n/setlang/). Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: a public
    service in Indonesia speaks Indonesian first, and English is an explicit choice. An API request without the
    cookie may name its language in Accept-Language (ADR 51)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") or _api_language(request)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class FriendlyErrorPagesMiddleware:
    """The project's own 404 and 500 pages under DEBUG too. Django shows its technical pages then (the URL list,
    a traceback), which nobody using the demo should meet; the traceback still goes to the log (django.request).
    The project's own error views mark their responses, and those pass through unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not settings.DEBUG or getattr(response, "pamong_error_page", False):
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if response.status_code == 404:
            return views.not_found(request)
        if response.status_code == 500:
            return views.server_error(request)
        return response


CONTROL_CHARACTERS = {chr(code) for code in range(32)} - {"\t", "\n", "\r"} | {"\x7f"}


class PlainFormTextMiddleware:
    """A page's form fields are text: a NUL or another control character (which no keyboard types) is refused
    with a 400 before any view stores it (issue 21; PostgreSQL cannot even store a NUL). The API has its own,
    stricter check in its JSON parser (pamong.core.apiedge)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and not request.path_info.startswith("/api/") and _has_control(request):
            return HttpResponseBadRequest(
                _(
                    "The form contains control characters (such as NUL) that cannot be accepted. Type plain text."
                ),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


def _has_control(request: HttpRequest) -> bool:
    try:
        items = list(request.POST.lists())
    except Exception:  # an unreadable body is left to the view and to Django's own handling
        return False
    return any(
        CONTROL_CHARACTERS.intersection(key)
        or any(CONTROL_CHARACTERS.intersection(value) for value in values)
        for key, values in items
    )
