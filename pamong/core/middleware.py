"""Security headers that Django does not set by itself."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _

# Pages are server-rendered with no inline script; the API docs page loads its own bundled assets.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)
# Swagger UI (the /api/docs page) needs inline script to boot and a CDN-free bundle; relax only there.
API_DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline' https:; "
    "script-src 'self' 'unsafe-inline' https:; object-src 'none'; frame-ancestors 'none'"
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


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the person chose English with the language switch (the cookie set by
    /i18n/setlang/). Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language: a public
    service in Indonesia speaks Indonesian first, and English is an explicit choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
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
