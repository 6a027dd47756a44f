from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


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


def server_error(request: HttpRequest) -> HttpResponse:
    # Never a traceback to a user; the error is logged by Django. A plain template: nothing here can fail again.
    return _own_page(render(request, "core/500.html", status=500))
