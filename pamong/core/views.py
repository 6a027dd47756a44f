import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def _own_page(response: HttpResponse) -> HttpResponse:
    """Mark the project's own error page, so that FriendlyErrorPagesMiddleware leaves it alone under DEBUG."""
    response.pamong_error_page = True
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _own_page(JsonResponse({"code": "not_found", "message": "Tidak ditemukan."}, status=404))
    return _own_page(render(request, "core/404.html", status=404))


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _own_page(render(request, "core/403.html", status=403))


# Seconds a client should wait before retrying when the database cannot be reached (503).
RETRY_AFTER_SECONDS = 5


def server_error(request: HttpRequest) -> HttpResponse:
    """Never a traceback to a user; the error is logged by Django. A database that cannot be reached (down,
    restarting, out of connections, a pool wait that timed out) is a passing condition, not a fault of the
    request: 503 with Retry-After, so clients retry (with their Idempotency-Key) instead of giving up."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return _own_page(database_unavailable(request))
    return _own_page(render(request, "core/500.html", status=500))


def database_unavailable(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: the context processors would read the session from the database.
    if request.path.startswith("/api/"):
        body = {
            "code": "service_unavailable",
            "message": "Layanan sedang tidak dapat menjangkau basis data. Coba lagi sebentar lagi.",
        }
        response: HttpResponse = JsonResponse(body, status=503)
    else:
        html = render_to_string("core/503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
